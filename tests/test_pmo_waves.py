"""The PMO's wave screens: create (with province quotas), live counts, close, walk-ins, selection, results,
exports; each page with and without htmx."""

import io
import pathlib
import re
from datetime import datetime, timedelta

import pytest
from wave_support import make_application, open_wave, past_wave, wave_form
from wizard_support import error_for

from portal.models import AuditEntry, Wave, WaveEntry, WaveQuota, utcnow
from portal.services import waves


def test_create_a_wave_with_province_quotas(app, pmo):
    form = pmo.get("/pmo/gelombang/baru").get_data(as_text=True)
    assert 'name="province_32"' in form and 'value="1"' in form
    response = pmo.post("/pmo/gelombang/baru", data=wave_form(
        8, opens="5 1 2031 08:00", province_32="40", province_35="", province_91="10"))
    assert response.status_code == 303 and response.headers["Location"].endswith("/pmo/gelombang/8")
    with app.app_context():
        wave = Wave.get(Wave.number == 8)
        assert (wave.opens_at, wave.closes_at) == (datetime(2031, 1, 5, 1, 0), datetime(2031, 1, 12, 16, 59))  # WIB-7
        assert {q.province: q.quota for q in WaveQuota.select()} == {"32": 40, "91": 10}
        assert AuditEntry.select().where(AuditEntry.action == "wave.created").count() == 1
    assert "Wave 8" in pmo.get("/pmo/gelombang").get_data(as_text=True)


def test_a_refused_wave_says_error_once_in_the_page_title(app, pmo):
    html = pmo.post("/pmo/gelombang/baru", data={"number": "x"}).get_data(as_text=True)
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert title.startswith("Error: Create a wave") and title.count("Error") == 1


def test_no_page_adds_the_error_prefix_to_its_own_title():
    """base.html adds it for every page with a form in error; a page adding it too would say it twice."""
    for template in (pathlib.Path(__file__).parent.parent / "templates").rglob("*.html"):
        for block in re.findall(r"{% block title %}(.*?){% endblock", template.read_text(), re.S):
            assert '"Error"' not in block, template


def test_overlapping_or_bad_waves_get_messages_next_to_the_fields(app, pmo):
    good = wave_form(1)
    assert pmo.post("/pmo/gelombang/baru", data=good).status_code == 303
    html = pmo.post("/pmo/gelombang/baru", data={**good, "number": "2"}).get_data(as_text=True)
    assert "must not overlap" in html and "There is a problem" in html
    html = pmo.post("/pmo/gelombang/baru", data={**good, "number": "3", "opens_at-month": "bukan",
                                                 "province_32": "-1"}).get_data(as_text=True)
    assert "must be a real date" in error_for(html, "opens_at") and "Enter a quota of 0 or more" in html
    html = pmo.post("/pmo/gelombang/baru", data=wave_form(4, opens="5 1 2032 08:00", closes="6 1 2032 08:00",
                                                          province_32="101")).get_data(as_text=True)
    assert "more than the total quota" in html
    with app.app_context():
        assert Wave.select().count() == 1


def test_live_counts_close_select_results_and_exports(app, pmo):
    with app.app_context():
        wave = open_wave(number=5, quota=3, province_quotas={"32": 1})
        for province in ("32", "32", "35", "35", "91"):
            waves.join(make_application(province=province))
    html = pmo.get("/pmo/gelombang/5").get_data(as_text=True)
    assert "Jawa Barat" in html and "Open" in html
    assert "Run the selection" not in html
    assert pmo.post("/pmo/gelombang/5/seleksi").status_code == 303
    with app.app_context():
        assert WaveEntry.select().where(WaveEntry.outcome.is_null(False)).count() == 0
    assert pmo.post("/pmo/gelombang/5/tutup").status_code == 303
    html = pmo.get("/pmo/gelombang/5").get_data(as_text=True)
    assert "Run the selection" in html
    assert "Run the selection of wave 5?" in pmo.get("/pmo/gelombang/5/seleksi/konfirmasi").get_data(as_text=True)
    response = pmo.post("/pmo/gelombang/5/seleksi")  # queued, and run at once in the tests' immediate mode
    assert response.headers["Location"].endswith("/pmo/gelombang/5/seleksi")
    assert pmo.get("/pmo/gelombang/5/seleksi").headers["Location"].endswith("/pmo/gelombang/5/hasil")
    html = pmo.get("/pmo/gelombang/5/hasil").get_data(as_text=True)
    with app.app_context():
        seed = Wave.get_by_id(wave.id).seed
        assert WaveEntry.select().where(WaveEntry.outcome == "selected").count() == 3
        actions = {e.action for e in AuditEntry.select()}
        assert {"wave.created", "wave.closed", "wave.selected", "wave.results_sent"} <= actions
    assert seed in html and "Jawa Timur" in html and "quota was filled" in html
    csv = pmo.get("/pmo/gelombang/5/hasil.csv")
    text = csv.get_data(as_text=True)
    assert csv.headers["Content-Disposition"].endswith('gelombang-5-hasil.csv"')
    assert csv.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert f"seed={seed}" in text and "sha256=" in text and "reference,province,tier" in text
    assert text.count("PK-") == 5
    xlsx = pmo.get("/pmo/gelombang/5/hasil.xlsx")
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(xlsx.data))
    assert book.sheetnames == ["hasil", "manifest"] and book["hasil"].max_row == 6
    assert pmo.get("/pmo/gelombang/99").status_code == 404


def test_confirmed_walkins_are_entered_in_one_action(app, pmo):
    with app.app_context():
        walkins = [make_application(channel="walkin", status="confirmed") for _ in range(3)]
        make_application(channel="walkin", status="ratified")
        now = utcnow()
        waves.create(None, 2, now + timedelta(days=1), now + timedelta(days=3), 10)
    html = pmo.get("/pmo/gelombang/2").get_data(as_text=True)
    assert "3 confirmed walk-in candidates are not in this wave yet" in html
    pmo.post("/pmo/gelombang/2/pendaftar-langsung")
    pmo.post("/pmo/gelombang/2/pendaftar-langsung")
    with app.app_context():
        assert sorted(e.application_id for e in WaveEntry.select()) == sorted(a.id for a in walkins)
        assert AuditEntry.select().where(AuditEntry.action == "wave.entered").count() == 3
    assert "0 confirmed walk-in candidates" in pmo.get("/pmo/gelombang/2").get_data(as_text=True)


def test_closing_early_asks_first_and_counts_what_it_leaves(app, pmo):
    with app.app_context():
        wave = open_wave(number=3, closes=timedelta(days=2))
        for province in ("32", "35"):
            waves.join(make_application(province=province))
        for _ in range(3):
            make_application(channel="walkin", status="confirmed")
        closes_at = wave.closes_at
    detail = pmo.get("/pmo/gelombang/3").get_data(as_text=True)
    assert 'href="/pmo/gelombang/3/tutup"' in detail and 'action="/pmo/gelombang/3/tutup"' not in detail
    for headers, whole in (({}, True), ({"HX-Request": "true"}, False)):
        page = pmo.get("/pmo/gelombang/3/tutup", headers=headers).get_data(as_text=True)
        assert ("<html" in page) is whole
        assert "Close wave 3 now?" in page and "is due to close at" in page and "cannot join it any more" in page
        assert "2 applicants have joined so far" in page
        assert "3 confirmed walk-in candidates are not in this wave yet" in page
        assert 'href="/pmo/gelombang/3"' in page  # the way back without closing
    with app.app_context():
        assert Wave.get_by_id(wave.id).closes_at == closes_at  # looking at the question closes nothing
    response = pmo.post("/pmo/gelombang/3/tutup")
    assert response.status_code == 303 and response.headers["Location"].endswith("/pmo/gelombang/3")
    with app.app_context():
        assert Wave.get_by_id(wave.id).closes_at < closes_at
        assert AuditEntry.select().where(AuditEntry.action == "wave.closed").count() == 1
    again = pmo.get("/pmo/gelombang/3/tutup")
    assert again.status_code == 303 and again.headers["Location"].endswith("/pmo/gelombang/3")
    assert "not open, so it cannot be closed" in pmo.get("/pmo/gelombang/3").get_data(as_text=True)


def test_walkins_left_out_at_close_are_entered_before_the_draw_and_come_first(app, pmo):
    with app.app_context():
        open_wave(number=4, quota=3, closes=timedelta(days=2))
        online = [make_application(province="32") for _ in range(3)]
        for application in online:
            waves.join(application)
        walkins = [make_application(channel="walkin", status="confirmed", province="35") for _ in range(2)]
    pmo.post("/pmo/gelombang/4/tutup")
    detail = pmo.get("/pmo/gelombang/4").get_data(as_text=True)
    assert "2 confirmed walk-in candidates are not in this wave yet" in detail
    assert "Enter them before you run the selection" in detail
    assert 'href="/pmo/gelombang/4/seleksi/konfirmasi"' in detail and 'action="/pmo/gelombang/4/seleksi"' not in detail
    for headers, whole in (({}, True), ({"HX-Request": "true"}, False)):
        page = pmo.get("/pmo/gelombang/4/seleksi/konfirmasi", headers=headers).get_data(as_text=True)
        assert ("<html" in page) is whole
        assert "Run the selection of wave 4?" in page and "by email and SMS as soon as the selection finishes" in page
        assert "cannot be run again" in page and ">3</dd>" in page  # 3 entries, quota 3
        assert "2 confirmed walk-in candidates are not in this wave" in page and "left out of this draw" in page
    with app.app_context():
        assert WaveEntry.select().where(WaveEntry.outcome.is_null(False)).count() == 0  # nothing run by looking
    response = pmo.post("/pmo/gelombang/4/pendaftar-langsung", data={"then": "select"})
    assert response.headers["Location"].endswith("/pmo/gelombang/4/seleksi/konfirmasi")
    page = pmo.get("/pmo/gelombang/4/seleksi/konfirmasi").get_data(as_text=True)
    assert "2 confirmed walk-in candidates entered into wave 4" in page and "left out of this draw" not in page
    assert ">5</dd>" in page
    assert pmo.post("/pmo/gelombang/4/seleksi").headers["Location"].endswith("/pmo/gelombang/4/seleksi")
    with app.app_context():
        chosen = {e.application_id for e in WaveEntry.select().where(WaveEntry.outcome == "selected")}
        assert {a.id for a in walkins} <= chosen and len(chosen) == 3  # walk-ins first (Permenaker 17/2020)
        assert AuditEntry.select().where(AuditEntry.action == "wave.entered").count() == 2
        late = make_application(channel="walkin", status="confirmed")
    assert "left out" not in pmo.get("/pmo/gelombang/4").get_data(as_text=True)
    assert "Enter them into this wave" not in pmo.get("/pmo/gelombang/4").get_data(as_text=True)
    refused = pmo.post("/pmo/gelombang/4/pendaftar-langsung", follow_redirects=True).get_data(as_text=True)
    assert "Enter the candidates into the next wave" in refused
    assert pmo.get("/pmo/gelombang/4/seleksi/konfirmasi").headers["Location"].endswith("/pmo/gelombang/4")
    with app.app_context():
        assert not WaveEntry.select().where(WaveEntry.application == late.id).exists()


def test_the_selection_check_is_in_indonesian(app, client, make_staff, staff_login):
    make_staff("pmo")
    staff_login(client, "pmo@kantor.id")
    with app.app_context():
        past_wave(2, entries=[make_application()])
        make_application(channel="walkin", status="confirmed")
    page = client.get("/pmo/gelombang/2/seleksi/konfirmasi").get_data(as_text=True)
    assert "Jalankan seleksi gelombang 2?" in page and "email dan SMS" in page and "Permenaker 17/2020" in page


@pytest.mark.parametrize("path", ["/pmo/gelombang", "/pmo/gelombang/baru", "/pmo/gelombang/1",
                                  "/pmo/gelombang/1/tutup", "/pmo/gelombang/2/seleksi/konfirmasi"])
def test_pmo_pages_with_and_without_htmx(app, pmo, path):
    with app.app_context():
        open_wave(number=1)
        past_wave(2, entries=[make_application()])
    full = pmo.get(path)
    partial = pmo.get(path, headers={"HX-Request": "true"})
    assert full.status_code == partial.status_code == 200
    assert "<html" in full.get_data(as_text=True) and "<html" not in partial.get_data(as_text=True)


def test_applicants_cannot_reach_pmo_screens(app, applicant):
    assert applicant.get("/pmo/gelombang").status_code in (302, 303, 403, 404)


def test_wave_pages_count_applicants_not_notes(app, client, make_staff, staff_login):
    """In Indonesian the wave's entries read "Pendaftar"; "Catatan" (notes, the audit log's word) misled."""
    make_staff("pmo")
    staff_login(client, "pmo@kantor.id")
    with app.app_context():
        open_wave(number=5, quota=3)
    for path in ("/pmo/gelombang", "/pmo/gelombang/5"):
        html = client.get(path).get_data(as_text=True)
        assert "Pendaftar" in html and "Catatan" not in html


def test_closing_needs_the_check_pages_token(app, pmo):
    with app.app_context():
        wave = open_wave(number=6, closes=timedelta(days=2))
        closes_at = wave.closes_at
    app.config["WTF_CSRF_ENABLED"] = True
    pmo.post("/pmo/gelombang/6/tutup")  # a forged post from elsewhere, without the token
    with app.app_context():
        assert Wave.get_by_id(wave.id).closes_at == closes_at
    page = pmo.get("/pmo/gelombang/6/tutup").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    pmo.post("/pmo/gelombang/6/tutup", data={"csrf_token": token})
    with app.app_context():
        assert Wave.get_by_id(wave.id).closes_at < closes_at


def test_the_results_give_reasons_in_the_staffs_words_and_the_applicant_reads_their_own(app, pmo):
    from portal.rules import screening
    from portal.services import selection

    with app.app_context():
        wave = past_wave(7, quota=1, entries=[make_application(not_in_education=False),
                                              make_application(province="91"), make_application(province="91")])
        selection.run(wave, notify=False)
        reasons = {e.reason for e in WaveEntry.select()} - {None}
        assert reasons == {"in_education", "national_quota_full"}
    with app.test_request_context(headers={"Cookie": "lang=en"}):
        assert "You declared" in str(screening.reason_label("in_education"))  # an applicant's page, an email
    page = pmo.get("/pmo/gelombang/7/hasil").get_data(as_text=True)
    assert "Declared being in formal education" in page and "shared by provinces without their own quota" in page
    assert "You declared" not in page and "your turn" not in page
    pmo.set_cookie("lang", "id")
    page = pmo.get("/pmo/gelombang/7/hasil").get_data(as_text=True)
    assert "Kuota bersama untuk provinsi yang tidak punya kuota sendiri" in page
    assert "Anda menyatakan" not in page and "giliran Anda" not in page


def marked_boxes(html, name):
    """The boxes of a date-and-time field drawn in error."""
    return [part for part in ("day", "month", "year", "time")
            if re.search(rf'class="[^"]*input--error[^"]*" id="{name}-{part}"', html)]


def summary_links(html):
    return re.findall(r'href="(#[^"]+)"', re.search(r'<ul class="error-summary__list">(.*?)</ul>', html, re.S).group(1))


@pytest.mark.parametrize("typed, message, marked", [
    ("   ", "Enter the date and time the wave opens", ["day", "month", "year", "time"]),
    ("5  2031 08:00", "The date and time the wave opens must include a month", ["month"]),
    ("5 1  08:00", "The date and time the wave opens must include a year", ["year"]),
    ("31 2 2031 08:00", "The date and time the wave opens must be a real date, like 1 12 2026",
     ["day", "month", "year"]),
    ("5 1 31 08:00", "must be a real date", ["year"]),
    ("5 1 0001 08:00", "must be a real date", ["year"]),
    ("5 1 2031 ", "The date and time the wave opens must include a time, like 09:00", ["time"]),
    ("5 1 2031 25:00", "must be a real time on the 24-hour clock, like 09:00 or 21:30", ["time"]),
    ("5 1 2031 8pm", "must be a real time", ["time"]),
    ("5 1 2031 08:60", "must be a real time", ["time"]),
])
def test_a_wave_time_that_is_not_one_says_which_box_is_wrong_and_keeps_what_was_typed(app, pmo, typed, message,
                                                                                        marked):
    # Without JavaScript; boosted by htmx, as the browser posts it (the whole page, #main swapped); and as an
    # htmx fragment, which has no summary (partial.html).
    boosted = {"HX-Request": "true", "HX-Boosted": "true"}
    for headers, whole in (({}, True), (boosted, True), ({"HX-Request": "true"}, False)):
        response = pmo.post("/pmo/gelombang/baru", data=wave_form(1, opens=typed), headers=headers)
        html = response.get_data(as_text=True)
        assert response.status_code == 200 and ("<html" in html) is whole
        assert message in error_for(html, "opens_at")
        assert marked_boxes(html, "opens_at") == marked and marked_boxes(html, "closes_at") == []
        if whole:
            assert summary_links(html) == [f"#opens_at-{marked[0]}"]
            assert re.search(r"<title>Error: Create a wave", html)
        for part, value in zip(("day", "month", "year", "time"), typed.split(" ")):
            assert re.search(rf'id="opens_at-{part}" name="opens_at-{part}" [^>]*value="{value}"', html), part
    with app.app_context():
        assert Wave.select().count() == 0


@pytest.mark.parametrize("typed, stored", [
    ("5 1 2031 09:30", datetime(2031, 1, 5, 2, 30)), ("05 01 2031 9.30", datetime(2031, 1, 5, 2, 30)),
    ("5 1 2031 0930", datetime(2031, 1, 5, 2, 30)), ("５ １ ２０３１ 9", datetime(2031, 1, 5, 2, 0)),
    ("1 1 2031 00:00", datetime(2030, 12, 31, 17, 0)),  # midnight WIB is the day before in UTC
])
def test_a_wave_time_is_read_in_the_ways_people_write_it_and_kept_in_utc(app, pmo, typed, stored):
    assert pmo.post("/pmo/gelombang/baru", data=wave_form(1, opens=typed)).status_code == 303
    with app.app_context():
        assert Wave.get(Wave.number == 1).opens_at == stored


def test_the_new_wave_form_offers_tomorrow_0800_wib_for_a_week_in_the_boxes(app, pmo):
    from portal.pmo.wave_forms import to_wib

    opens, closes = (to_wib(moment) for moment in waves.default_times())
    for headers in ({}, {"HX-Request": "true"}):
        html = pmo.get("/pmo/gelombang/baru", headers=headers).get_data(as_text=True)
        for name, moment in (("opens_at", opens), ("closes_at", closes)):
            shown = re.findall(rf'id="{name}-(\w+)" name="{name}-\w+" [^>]*value="([^"]*)"', html)
            assert dict(shown) == {"day": str(moment.day), "month": str(moment.month), "year": str(moment.year),
                                   "time": "08:00"}
        assert "24-hour clock, for example 09:00 or 21:30" in html and 'type="datetime-local"' not in html


def test_a_wave_closing_before_it_opens_marks_the_closing_boxes(app, pmo):
    html = pmo.post("/pmo/gelombang/baru", data=wave_form(1, closes="4 1 2031 08:00")).get_data(as_text=True)
    assert error_for(html, "closes_at") and marked_boxes(html, "closes_at") == ["day", "month", "year", "time"]
    assert summary_links(html) == ["#closes_at-day"]

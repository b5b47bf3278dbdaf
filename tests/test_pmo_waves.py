"""The PMO's wave screens: create (with province quotas), live counts, close, walk-ins, selection, results,
exports; each page with and without htmx."""

import io
import pathlib
import re
from datetime import timedelta

import pytest

from portal.models import AuditEntry, Wave, WaveEntry, WaveQuota, utcnow
from portal.services import waves
from wave_support import make_application, open_wave


def test_create_a_wave_with_province_quotas(app, pmo):
    form = pmo.get("/pmo/gelombang/baru").get_data(as_text=True)
    assert 'name="province_32"' in form and 'value="1"' in form
    response = pmo.post("/pmo/gelombang/baru", data={
        "number": "8", "opens_at": "2031-01-05T08:00", "closes_at": "2031-01-12T23:59", "quota": "100",
        "province_32": "40", "province_35": "", "province_91": "10"})
    assert response.status_code == 303 and response.headers["Location"].endswith("/pmo/gelombang/8")
    with app.app_context():
        wave = Wave.get(Wave.number == 8)
        assert wave.opens_at.hour == 1  # 08:00 WIB is 01:00 UTC
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
    good = {"number": "1", "opens_at": "2031-01-05T08:00", "closes_at": "2031-01-12T23:59", "quota": "100"}
    assert pmo.post("/pmo/gelombang/baru", data=good).status_code == 303
    html = pmo.post("/pmo/gelombang/baru", data={**good, "number": "2"}).get_data(as_text=True)
    assert "must not overlap" in html and "There is a problem" in html
    html = pmo.post("/pmo/gelombang/baru", data={**good, "number": "3", "opens_at": "bukan",
                                                 "province_32": "-1"}).get_data(as_text=True)
    assert "Enter when the wave opens" in html and "Enter a quota of 0 or more" in html
    html = pmo.post("/pmo/gelombang/baru", data={**good, "number": "4", "opens_at": "2032-01-05T08:00",
                                                 "closes_at": "2032-01-06T08:00", "province_32": "101"}).get_data(as_text=True)
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


@pytest.mark.parametrize("path", ["/pmo/gelombang", "/pmo/gelombang/baru", "/pmo/gelombang/1"])
def test_pmo_pages_with_and_without_htmx(app, pmo, path):
    with app.app_context():
        open_wave(number=1)
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

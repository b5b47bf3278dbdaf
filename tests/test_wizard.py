"""The registration wizard over HTTP: each step, its rules and messages, resuming, submitting."""

import re
import threading

import pytest
from conftest import PASSWORD, body
from wizard_support import ADDRESS, DECLARATIONS, KTP, NAME, STEPS, application_of, complete_sections, error_for

from portal.models import Address, Application


def test_a_new_applicant_sees_every_section_not_started(applicant):
    page = applicant.get("/pendaftaran/").get_data(as_text=True)
    names = re.findall(r'class="task-list__name">(?:<a [^>]*>)?([^<]+)', page)
    assert names == ["Account", "KTP details", "Personal details", "Photos", "Mobile number", "Check and send"]
    assert re.findall(r'id="status-\w+">([^<]+)', page) == ["Completed"] + ["Not started"] * 4 + ["Cannot start yet"]



def test_the_task_list_links_personal_details_to_its_first_unanswered_step(applicant):
    def link():
        page = applicant.get("/pendaftaran/").get_data(as_text=True)
        return re.search(r'<a href="([^"]+)" aria-describedby="status-personal"', page).group(1)

    applicant.post("/pendaftaran/ktp", data=KTP)
    applicant.post("/pendaftaran/ktp/konfirmasi")
    assert link() == "/pendaftaran/data-diri/nama"
    applicant.post("/pendaftaran/data-diri/nama", data=NAME)
    assert link() == "/pendaftaran/data-diri/alamat-ktp"
    # /data-diri, for bookmarks and older pages, leads to the same step.
    assert applicant.get("/pendaftaran/data-diri").headers["Location"] == "/pendaftaran/data-diri/alamat-ktp"


def test_ktp_step_saves_and_shows_the_sex_the_nik_gives(applicant, app):
    response = applicant.post("/pendaftaran/ktp", data=KTP)
    assert response.headers["Location"] == "/pendaftaran/ktp/konfirmasi"
    page = applicant.get("/pendaftaran/ktp/konfirmasi").get_data(as_text=True)
    assert "Female" in page and "5 December 1990" in page and "Cibinong, Kabupaten Bogor, Jawa Barat" in page
    assert "In progress" in applicant.get("/pendaftaran/").get_data(as_text=True)
    # Straight to the first unanswered step of the next section, without a redirect in between.
    assert applicant.post("/pendaftaran/ktp/konfirmasi").headers["Location"] == "/pendaftaran/data-diri/nama"
    saved = application_of(app)
    assert (saved.nik, saved.kk_number, saved.sex, saved.ktp_confirmed) == ("3201014512900001", "3201010101010001", "P", True)


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"nik": ""}, "nik", "Enter your NIK"),
        ({"nik": "3201-0145-1290"}, "nik", "16 digits; you entered 12"),
        ({"nik": "32010145129000O1"}, "nik", "only include numbers"),
        ({"nik": "3201017212900001"}, "nik", "not a real date"),
        ({"birth_date-day": "6"}, "nik", "is not the date of birth you entered (06-12-90)"),
        ({"birth_date-day": "", "birth_date-month": "", "birth_date-year": ""}, "birth_date", "Enter your date of birth"),
        ({"birth_date-month": ""}, "birth_date-month", "must include a month"),  # the summary links to that box
        ({"birth_date-day": "31", "birth_date-month": "2"}, "birth_date", "must be a real date"),
        ({"birth_date-year": "90"}, "birth_date-year", "must be a real date"),
        ({"nik": "3201014512080001", "birth_date-year": "2008", "birth_date-month": "12", "birth_date-day": "5"},
         "birth_date", "at least 18 years old"),
        ({"kk_number": "12345"}, "kk_number", "16 digits; you entered 5"),
        ({"kk_number": "9901010101010001"}, "kk_number", "990101 is not one"),
    ],
)
def test_ktp_mistakes_are_explained_at_the_field_and_nothing_is_saved(applicant, app, changes, field, message):
    data = {**KTP, **changes}
    response = applicant.post("/pendaftaran/ktp", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "<title>Error:" in page
    assert message in error_for(page, field.split("-")[0])
    target = "birth_date-day" if field == "birth_date" else field
    assert f'href="#{target}"' in page
    for name in ("nik", "kk_number"):
        assert f'value="{data[name]}"' in page
    assert application_of(app).nik is None


def test_under_18_is_refused_with_the_day_they_can_register(applicant):
    page = applicant.post("/pendaftaran/ktp", data={
        **KTP, "nik": "3201014512090001", "birth_date-year": "2009"}).get_data(as_text=True)
    assert "You can register from 5 December 2027" in error_for(page, "birth_date")


def test_an_unknown_region_prefix_is_a_warning_that_lets_them_continue(applicant):
    response = applicant.post("/pendaftaran/ktp", data={**KTP, "nik": "9901014512900001"})
    assert response.status_code == 303
    assert "we do not recognise (990101)" in applicant.get("/pendaftaran/ktp/konfirmasi").get_data(as_text=True)


def test_a_nik_already_used_by_another_account_reveals_nothing(client, make_account, login, app):
    make_account(email="budi@contoh.id", name="Budi Santoso")
    login("budi@contoh.id")
    client.post("/pendaftaran/ktp", data=KTP)
    client.post("/keluar")
    make_account()
    client.set_cookie("lang", "en")
    login()
    page = client.post("/pendaftaran/ktp", data=KTP).get_data(as_text=True)
    message = error_for(page, "nik")
    assert "already used in another application" in message and "manpower office" in message
    assert "Budi" not in page and "budi@" not in page
    assert application_of(app).nik is None


@pytest.mark.parametrize("htmx", [True, False])
def test_inline_nik_check(applicant, app, htmx):
    headers = {"HX-Request": "true"} if htmx else {}
    bad = applicant.post("/pendaftaran/ktp?fragment=nik", data={"nik": "3201017212900001"}, headers=headers)
    good = applicant.post("/pendaftaran/ktp?fragment=nik", data={**KTP}, headers=headers)
    if htmx:
        assert "<html" not in bad.get_data(as_text=True) and "not a real date" in bad.get_data(as_text=True)
        fragment = good.get_data(as_text=True)
        assert "<html" not in fragment and "Your NIK says: Female, born 5 December 1990" in fragment
        assert application_of(app).nik is None  # checking saves nothing
    else:
        # Without htmx the same URL is simply the form: a full page with errors, or saved and redirected.
        assert "<html" in bad.get_data(as_text=True) and "not a real date" in bad.get_data(as_text=True)
        assert good.status_code == 303 and application_of(app).nik == KTP["nik"]


def test_region_lists_cascade_without_javascript(applicant, app):
    page = applicant.get("/pendaftaran/data-diri/alamat-ktp").get_data(as_text=True)
    assert page.count("<option") == 39 and 'id="regency"' not in page  # provinces only
    page = applicant.post("/pendaftaran/data-diri/alamat-ktp", data={"action": "region", "province": "32", "street": "Jl. Mawar"}).get_data(as_text=True)
    assert 'id="regency"' in page and 'value="32.01"' in page and 'id="district"' not in page
    assert 'value="Jl. Mawar"' in page  # what was typed stays
    # A browser always posts the empty postal-code box; the village still fills it in.
    page = applicant.post("/pendaftaran/data-diri/alamat-ktp", data={
        "action": "region", "province": "32", "regency": "32.01", "district": "32.01.01", "village": "32.01.01.1001",
        "postal_code": "", "street": ""}).get_data(as_text=True)
    assert 'value="16914"' in page
    with app.app_context():
        assert Address.get().region_code == "32.01.01.1001"  # the choice so far is saved


def test_the_error_summary_lists_problems_in_the_order_of_the_page(applicant):
    page = applicant.post("/pendaftaran/data-diri/alamat-ktp", data={
        "province": "32", "regency": "32.01", "district": "32.01.01", "village": "32.01.01.1001",
        "postal_code": "123", "street": "", "rt": "abcd", "rw": "12345"}).get_data(as_text=True)
    summary = page[page.index('class="error-summary"'):page.index("</ul>", page.index('class="error-summary"'))]
    linked = re.findall(r'href="#([\w-]+)"', summary)
    on_page = sorted(linked, key=lambda name: page.index(f'id="{name}"'))
    assert linked == on_page and linked == ["postal_code", "street", "rt", "rw"]


def test_region_lists_cascade_with_htmx(applicant):
    response = applicant.post("/pendaftaran/data-diri/alamat-ktp", data={"action": "region", "province": "32"},
                              headers={"HX-Request": "true"})
    fragment = response.get_data(as_text=True)
    assert "<html" not in fragment and "<h1" not in fragment
    assert 'id="regency"' in fragment and "Kabupaten Bogor" in fragment and 'id="street"' not in fragment


def test_changing_a_higher_region_clears_the_lower_ones(applicant):
    page = applicant.post("/pendaftaran/data-diri/alamat-ktp", data={
        "action": "region", "province": "33", "regency": "32.01", "district": "32.01.01"}).get_data(as_text=True)
    assert 'id="district"' not in page and re.search(r'<option selected value="33"|<option value="33" selected', page)


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"village": ""}, "village", "Select your village"),
        ({"district": "", "village": ""}, "district", "Select your district"),
        ({"province": ""}, "province", "Select your province"),
        ({"street": ""}, "street", "Enter your street"),
        ({"rt": "1a"}, "rt", "RT must be a number"),
        ({"postal_code": "123"}, "postal_code", "must be 5 digits"),
    ],
)
def test_address_mistakes(applicant, app, changes, field, message):
    page = applicant.post("/pendaftaran/data-diri/alamat-ktp", data={**ADDRESS, **changes}).get_data(as_text=True)
    assert message in error_for(page, field)
    with app.app_context():
        assert not Address.select().where(Address.street != "").exists()


def test_living_elsewhere_needs_a_second_address(applicant, app, sms):
    assert applicant.post("/pendaftaran/data-diri/domisili", data={"domicile_same": "no"}).headers["Location"] == "/pendaftaran/data-diri/alamat-domisili"
    complete_sections(applicant, sms, **{"/pendaftaran/data-diri/domisili": {"domicile_same": "no"}})
    page = applicant.get("/pendaftaran/").get_data(as_text=True)
    assert re.search(r'id="status-personal">In progress', page)
    applicant.post("/pendaftaran/data-diri/alamat-domisili", data={**ADDRESS, "street": "Jl. Kenanga 9"})
    assert re.search(r'id="status-personal">Completed', applicant.get("/pendaftaran/").get_data(as_text=True))


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"not_in_education": ""}, "not_in_education", "not in formal education"),
        ({"not_excluded": ""}, "not_excluded", "none of the people listed"),
        ({"aid": []}, "aid", "or None"),
        ({"aid": ["none", "pkh"]}, "aid", "only if you have received no aid"),
        ({"training_field": ""}, "training_field", "Select what you would like training in"),
    ],
)
def test_declaration_mistakes(applicant, changes, field, message):
    page = applicant.post("/pendaftaran/data-diri/pernyataan", data={**DECLARATIONS, **changes}).get_data(as_text=True)
    assert message in error_for(page, field)


def test_values_are_kept_when_a_step_is_sent_back(applicant):
    page = applicant.post("/pendaftaran/data-diri/pernyataan", data={**DECLARATIONS, "not_excluded": ""}).get_data(as_text=True)
    assert re.search(r'id="aid-0"[^>]*checked|checked[^>]*id="aid-0"', page)
    assert re.search(r'(checked[^>]*value="digital"|value="digital"[^>]*checked)', page)


def test_sections_are_completed_and_check_page_opens(applicant, sms):
    assert applicant.get("/pendaftaran/periksa").status_code == 303  # cannot start yet
    complete_sections(applicant, sms)
    page = applicant.get("/pendaftaran/").get_data(as_text=True)
    assert re.findall(r'id="status-\w+">([^<]+)', page) == ["Completed"] * 5 + ["Not started"]
    page = applicant.get("/pendaftaran/periksa").get_data(as_text=True)
    for answer in ("3201014512900001", "Ani Lestari", "Jl. Mawar No. 3, RT 003/RW 011, Pondok Rajeg, Cibinong",
                   "Senior or vocational high school", "Laid off", "Computers and digital skills"):
        assert answer in page


def test_change_links_name_the_field_as_its_label_is_written(applicant, sms):
    """A screen reader says "Change NIK", not "change nik" read letter by letter or as a word."""
    complete_sections(applicant, sms)
    page = applicant.get("/pendaftaran/periksa").get_data(as_text=True)
    hidden = re.findall(r'Change<span class="visually-hidden"> ([^<]+)</span>', page)
    assert "NIK" in hidden and any("KK" in label for label in hidden) and any("KTP" in label for label in hidden)
    keys = re.findall(r'<dt class="summary-list__key">([^<]+)</dt>', page)
    assert set(hidden) <= set(keys)


def test_change_links_return_to_the_check_page(applicant, app, sms):
    complete_sections(applicant, sms)
    page = applicant.get("/pendaftaran/periksa").get_data(as_text=True)
    assert 'href="/pendaftaran/data-diri/nama?dari=periksa"' in page
    response = applicant.post("/pendaftaran/data-diri/nama?dari=periksa", data={**NAME, "birth_place": "Depok"})
    assert response.headers["Location"] == "/pendaftaran/periksa"
    assert application_of(app).birth_place == "Depok"
    back = applicant.get("/pendaftaran/data-diri/nama?dari=periksa").get_data(as_text=True)
    assert 'class="back-link" href="/pendaftaran/periksa"' in back


def test_submit_needs_the_declaration(applicant, app, sms):
    complete_sections(applicant, sms)
    page = applicant.post("/pendaftaran/periksa", data={}).get_data(as_text=True)
    assert "Tick the declaration" in error_for(page, "declaration")
    assert application_of(app).status == "draft"


def test_submitting_gives_a_reference_by_page_and_email_once(applicant, app, mailbox, sms):
    complete_sections(applicant, sms)
    assert applicant.post("/pendaftaran/periksa", data={"declaration": "y"}).headers["Location"] == "/pendaftaran/terkirim"
    reference = application_of(app).reference
    assert re.fullmatch(r"PK-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}", reference)
    assert reference in applicant.get("/pendaftaran/terkirim").get_data(as_text=True)
    # A double tap or a retry after a timeout changes nothing and sends no second email.
    assert applicant.post("/pendaftaran/periksa", data={"declaration": "y"}).headers["Location"] == "/pendaftaran/terkirim"
    assert application_of(app).reference == reference
    [message] = mailbox.to("ani@contoh.id")
    assert reference in body(message) and reference in message["Subject"]


def test_a_sent_application_is_read_only(applicant, app, sms):
    complete_sections(applicant, sms)
    applicant.post("/pendaftaran/periksa", data={"declaration": "y"})
    for url, data in STEPS:
        response = applicant.post(url, data={**data, "full_name": "Orang Lain"})
        assert response.headers["Location"] == "/pendaftaran/"
    assert application_of(app).full_name == "Ani Lestari"
    page = applicant.get("/pendaftaran/periksa").get_data(as_text=True)
    assert "?dari=periksa" not in page and application_of(app).reference in page
    assert "Status: Sent" in applicant.get("/pendaftaran/").get_data(as_text=True)


def test_stopping_midway_and_resuming_after_a_new_login(app, make_account, mailbox):
    make_account()
    phone = app.test_client()
    phone.post("/masuk", data={"email": "ani@contoh.id", "password": PASSWORD})
    phone.post("/pendaftaran/ktp", data=KTP)
    phone.post("/pendaftaran/ktp/konfirmasi")
    phone.post("/pendaftaran/data-diri/nama", data=NAME)
    phone.post("/keluar")

    pc = app.test_client()
    pc.set_cookie("lang", "en")
    assert pc.post("/masuk", data={"email": "ani@contoh.id", "password": PASSWORD}).headers["Location"] == "/pendaftaran/"
    page = pc.get("/pendaftaran/").get_data(as_text=True)
    assert re.findall(r'id="status-\w+">([^<]+)', page) == ["Completed", "Completed", "In progress", "Not started", "Not started", "Cannot start yet"]
    assert pc.get("/pendaftaran/data-diri").headers["Location"] == "/pendaftaran/data-diri/alamat-ktp"
    assert 'value="Ani Lestari"' in pc.get("/pendaftaran/data-diri/nama").get_data(as_text=True)


def test_a_repeated_step_post_makes_one_record(applicant, app):
    for _ in range(3):
        applicant.post("/pendaftaran/data-diri/alamat-ktp", data=ADDRESS)
    with app.app_context():
        assert Application.select().count() == 1 and Address.select().count() == 1


def test_two_accounts_racing_for_one_nik_end_with_one_winner(app, make_account):
    """Both pass the form's checks at the same moment; the unique index decides (run on PostgreSQL in CI)."""
    from portal.domain import DomainError
    from portal.models import db
    from portal.services import applications

    accounts = [make_account(email=f"orang{i}@contoh.id") for i in range(2)]
    barrier = threading.Barrier(2)
    outcomes = []

    def claim(account):
        with app.app_context(), db.connection_context():
            draft = applications.draft_for(account)
            barrier.wait()
            try:
                applications.save_ktp(draft, account, KTP["nik"], None, KTP["kk_number"], "P")
                outcomes.append("won")
            except DomainError:
                outcomes.append("refused")

    threads = [threading.Thread(target=claim, args=(account,)) for account in accounts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["refused", "won"]
    with app.app_context():
        assert Application.select().where(Application.nik == KTP["nik"]).count() == 1


@pytest.mark.parametrize("url", ["/pendaftaran/ktp", "/pendaftaran/data-diri/nama", "/pendaftaran/data-diri/alamat-ktp",
                                 "/pendaftaran/data-diri/domisili", "/pendaftaran/data-diri/pendidikan-pekerjaan",
                                 "/pendaftaran/data-diri/pernyataan"])
def test_each_step_serves_page_and_htmx_partial(applicant, url):
    full = applicant.get(url).get_data(as_text=True)
    partial = applicant.get(url, headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" in full and "<html" not in partial and "<form" in partial and "<h1" in partial


def test_wizard_needs_login(client):
    assert client.get("/pendaftaran/ktp").headers["Location"].startswith("/masuk")


@pytest.mark.parametrize("rt, rw, postal, expected", [
    ("3", "11", "16914", "Jl. Mawar 3, RT 003/RW 011, Pondok Rajeg, Cibinong, Kabupaten Bogor, Jawa Barat 16914"),
    ("3", "", "", "Jl. Mawar 3, RT 003, Pondok Rajeg, Cibinong, Kabupaten Bogor, Jawa Barat"),
    ("", "", "", "Jl. Mawar 3, Pondok Rajeg, Cibinong, Kabupaten Bogor, Jawa Barat"),
])
def test_an_address_reads_as_on_a_ktp_with_no_placeholders_for_what_is_missing(rt, rw, postal, expected):
    from types import SimpleNamespace

    from portal.rendering import address_line

    address = SimpleNamespace(street="Jl. Mawar 3", rt=rt, rw=rw, region_code="32.01.01.1001", postal_code=postal)
    assert address_line(address) == expected

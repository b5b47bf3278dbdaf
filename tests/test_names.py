"""Names and places of birth: letters of any script with a KTP's marks are kept; digits, symbols and emoji are
refused next to the field, on the online steps, at registration and at the desk, and by the intake service
whatever calls it (one rule: portal.rules.names)."""

import html
import re

import pytest

from walkin_support import form_post, nik, walkin_data
from wizard_support import NAME, STEPS, application_of, error_for

NAME_URL = "/pendaftaran/data-diri/nama"
ONLY_LETTERS = "must only include letters, spaces, hyphens, apostrophes, full stops and commas"


def answer_until(client, url):
    for step, data in STEPS[: [u for u, _ in STEPS].index(url)]:
        assert client.post(step, data=data).status_code == 303, step


def value_of(page, field):
    return html.unescape(re.search(rf'<input[^>]*id="{field}"[^>]*value="([^"]*)"', page).group(1))


@pytest.mark.parametrize("name", ["Ani Lestari 😀", "Ani Lestari 2", "<b>Ani</b>", "Ani_Lestari", "Ani@Lestari"])
def test_a_name_with_digits_symbols_or_emoji_is_refused_and_kept(applicant, app, name):
    answer_until(applicant, NAME_URL)
    response = applicant.post(NAME_URL, data={**NAME, "full_name": name})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and ONLY_LETTERS in error_for(page, "full_name")
    assert value_of(page, "full_name") == name
    assert application_of(app).full_name != name


REAL_NAMES = ["Siti Nur'aini", "Siti Nur’aini", "Abdul-Rahman", "Drs. H. Budi Santoso, S.Kom.", "José Ramos-Horta",
              "Nguyễn Thị Hoa", "ꦱꦶꦠꦶ", "Ｓｉｔｉ"]
REAL_PLACES = ["Kab. Toli-Toli", "Sidomulyo SP 2", "Pangkalpinang", "Gunungsitoli, Nias"]


@pytest.mark.parametrize("name", REAL_NAMES)
def test_real_names_are_accepted(applicant, app, name):
    answer_until(applicant, NAME_URL)
    assert applicant.post(NAME_URL, data={**NAME, "full_name": name}).status_code == 303
    assert application_of(app).full_name == name


@pytest.mark.parametrize("place", ["<script>alert(1)</script>", "Bogor 😀", "Bogor; Jakarta", "Bogor/Jakarta"])
def test_a_place_of_birth_with_symbols_is_refused_and_kept(applicant, app, place):
    answer_until(applicant, NAME_URL)
    page = applicant.post(NAME_URL, data={**NAME, "birth_place": place}).get_data(as_text=True)
    assert "must only include letters, numbers, spaces" in error_for(page, "birth_place")
    assert value_of(page, "birth_place") == place


@pytest.mark.parametrize("place", REAL_PLACES)
def test_real_places_of_birth_are_accepted(applicant, app, place):
    answer_until(applicant, NAME_URL)
    assert applicant.post(NAME_URL, data={**NAME, "birth_place": place}).status_code == 303
    assert application_of(app).birth_place == place


def test_registration_refuses_an_emoji_name(client):
    client.set_cookie("lang", "en")
    page = client.post("/daftar", data={"full_name": "Ani 😀", "email": "ani@contoh.id", "password": "x"})
    assert ONLY_LETTERS in error_for(page.get_data(as_text=True), "full_name")


@pytest.fixture
def desk(client, make_staff, staff_login):
    make_staff("officer")
    assert staff_login(client, "officer@kantor.id").status_code == 303
    return client


def test_the_desk_refuses_digits_in_a_name_and_symbols_in_a_place(desk):
    page = desk.post("/petugas/meja/baru", data=form_post(full_name="Siti 4minah", birth_place="<b>Bogor</b>"))
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "hanya boleh berisi huruf, spasi" in error_for(text, "full_name")
    assert "hanya boleh berisi huruf, angka" in error_for(text, "birth_place")
    assert value_of(text, "full_name") == "Siti 4minah"


@pytest.fixture
def officer(app, make_staff, english):
    """The desk officer as the intake service takes it, inside an app context (messages in English)."""
    from portal.models import Account

    return Account.get_by_id(make_staff("officer").id)


ONLY_PLACE = "must only include letters, numbers, spaces, hyphens, apostrophes, full stops and commas"
SERVICE_REFUSALS = [
    ("full_name", "Budi<script>", f"Full name as on the KTP {ONLY_LETTERS}"),
    ("full_name", "R2D2", f"Full name as on the KTP {ONLY_LETTERS}"),
    ("full_name", "Ani 😀", f"Full name as on the KTP {ONLY_LETTERS}"),
    ("full_name", "- . ,", "Full name as on the KTP must include letters"),
    ("full_name", "Siti " + "a" * 96, "Full name must be 100 characters or fewer"),
    ("full_name", " ", "Enter the applicant's full name as it is written on the KTP"),
    ("birth_place", "<b>Bogor</b>", f"Place of birth {ONLY_PLACE}"),
    ("birth_place", "Bogor; Jakarta", f"Place of birth {ONLY_PLACE}"),
    ("birth_place", "123", "Place of birth must include letters"),
    ("birth_place", "", "Enter the applicant's place of birth"),
]


@pytest.mark.parametrize("field, value, message", SERVICE_REFUSALS)
def test_the_intake_service_refuses_a_bad_name_on_its_field_and_writes_nothing(officer, field, value, message):
    from portal.domain import DomainError
    from portal.models import Application, AuditEntry
    from portal.services.intake import create_walkin

    with pytest.raises(DomainError) as refused:
        create_walkin(walkin_data(**{field: value}), officer)
    assert (refused.value.field, str(refused.value.message)) == (field, message)
    assert Application.select().count() == 0 and AuditEntry.select().count() == 0


def test_a_correction_with_a_bad_name_is_refused_and_the_record_kept(officer):
    from portal.domain import DomainError
    from portal.models import Application
    from portal.services.intake import create_walkin, update_walkin

    record = create_walkin(walkin_data(), officer)
    for field, value in (("full_name", "Siti<script>"), ("birth_place", "Bogor 😀")):
        with pytest.raises(DomainError) as refused:
            update_walkin(record, walkin_data(**{field: value}), officer)
        assert refused.value.field == field
    saved = Application.get_by_id(record.id)
    assert (saved.full_name, saved.birth_place) == ("Siti Aminah", "Bogor")


@pytest.mark.parametrize("name, place", list(zip(REAL_NAMES, REAL_PLACES * 2)))
def test_the_intake_service_keeps_real_names_and_places(officer, name, place):
    from portal.models import Application
    from portal.services.intake import create_walkin

    record = create_walkin(walkin_data(full_name=f"  {name} ", birth_place=place), officer)
    saved = Application.get_by_id(record.id)
    assert (saved.full_name, saved.birth_place) == (name, place)


@pytest.fixture
def held_nik(app, make_account):
    """A NIK an online application holds, so a dispute about it can be recorded."""
    from portal.models import Account
    from portal.services.applications import draft_for

    make_account(email="online@contoh.id")
    with app.app_context():
        online = draft_for(Account.by_email("online@contoh.id"))
        online.nik = nik(5)
        online.save()
    return nik(5)


@pytest.mark.parametrize("name, message", [
    ("Budi<script>", f"Applicant's full name {ONLY_LETTERS}"),
    ("R2D2", f"Applicant's full name {ONLY_LETTERS}"),
    ("", "Enter the applicant's full name"),
])
def test_a_dispute_with_a_bad_claimant_name_is_refused_and_not_recorded(officer, held_nik, name, message):
    from portal.domain import DomainError
    from portal.models import NikDispute
    from portal.services.intake import record_dispute

    with pytest.raises(DomainError) as refused:
        record_dispute(held_nik, name, "0812-3456-7890", "", officer)
    assert (refused.value.field, str(refused.value.message)) == ("claimant_name", message)
    assert NikDispute.select().count() == 0


@pytest.mark.parametrize("name", ["Siti Nur'aini", "Drs. H. Budi Santoso, S.Kom.", "José Ramos-Horta"])
def test_a_dispute_keeps_a_real_claimant_name(officer, held_nik, name):
    from portal.services.intake import record_dispute

    assert record_dispute(held_nik, name, "0812-3456-7890", "", officer).claimant_name == name


@pytest.mark.parametrize("field, value", [("full_name", "R2D2"), ("birth_place", "Bogor/Jakarta")])
def test_the_desk_form_and_the_service_say_the_same(app, desk, field, value):
    from portal.domain import DomainError
    from portal.models import Account
    from portal.services.intake import create_walkin

    desk.set_cookie("lang", "en")
    shown = error_for(desk.post("/petugas/meja/baru", data=form_post(**{field: value})).get_data(as_text=True), field)
    with app.test_request_context(headers={"Accept-Language": "en"}):
        with pytest.raises(DomainError) as refused:
            create_walkin(walkin_data(**{field: value}), Account.by_email("officer@kantor.id"))
        assert html.escape(str(refused.value.message)) in shown

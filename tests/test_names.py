"""Names and places of birth: letters of any script with a KTP's marks are kept; digits, symbols and emoji are
refused next to the field, on the online steps, at registration and at the desk."""

import html
import re

import pytest

from walkin_support import form_post
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


@pytest.mark.parametrize("name", ["Siti Nur'aini", "Siti Nur’aini", "Abdul-Rahman", "Drs. H. Budi Santoso, S.Kom.",
                                  "José Ramos-Horta", "Nguyễn Thị Hoa", "ꦱꦶꦠꦶ", "Ｓｉｔｉ"])
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


@pytest.mark.parametrize("place", ["Kab. Toli-Toli", "Sidomulyo SP 2", "Pangkalpinang"])
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

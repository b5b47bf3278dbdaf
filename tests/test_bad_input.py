"""Input that used to answer 500 (issue 7 item 6), each fixed at its root: a message at the field instead."""

import re

import pytest
from flask_wtf import FlaskForm

from portal.domain import DomainError
from portal.forms.base import Form
from portal.models import Account, Address
from portal.services import applications
from wizard_support import ADDRESS, KTP, NAME, PHONE, PHONE_E164, STEPS, application_of, error_for

HIDDEN = "hidden characters"


def answer_until(client, url):
    """Answer every wizard step before the one at `url`."""
    for step, data in STEPS[: [u for u, _ in STEPS].index(url)]:
        assert client.post(step, data=data).status_code == 303, step


# --- dates and numbers ----------------------------------------------------------------------------------

@pytest.mark.parametrize("part", ["day", "month"])
def test_an_over_long_number_in_a_date_box_is_not_a_date(applicant, app, part):
    response = applicant.post("/pendaftaran/ktp", data={**KTP, f"birth_date-{part}": "9" * 25})
    assert response.status_code == 200
    assert "must be a real date" in error_for(response.get_data(as_text=True), "birth_date")
    assert application_of(app).birth_date is None


def test_full_width_digits_are_read_as_digits(applicant, app):
    full_width = str.maketrans("0123456789", "０１２３４５６７８９")
    typed = {name: value.translate(full_width) for name, value in KTP.items()}
    assert applicant.post("/pendaftaran/ktp", data=typed).status_code == 303
    saved = application_of(app)
    assert (saved.nik, str(saved.birth_date), saved.kk_number) == (KTP["nik"], "1990-12-05", KTP["kk_number"])


@pytest.mark.parametrize("nik", ["320101451290000٣", "32010145129000३३"])
def test_digits_of_other_scripts_are_not_taken_for_a_nik(applicant, nik):
    page = applicant.post("/pendaftaran/ktp", data={**KTP, "nik": nik}).get_data(as_text=True)
    assert "only include numbers" in error_for(page, "nik") or "16 digits" in error_for(page, "nik")


# --- NUL and control characters in text fields -------------------------------------------------------------

TEXT_FIELDS = [
    # (page, steps answered first, the form's other answers, field, shown again without the hidden characters)
    ("/daftar", None, {"full_name": "Ani", "email": "ani@contoh.id", "password": "sawah-hijau-pagi"}, "full_name", True),
    ("/daftar", None, {"full_name": "Ani", "email": "ani@contoh.id", "password": "sawah-hijau-pagi"}, "email", True),
    ("/daftar", None, {"full_name": "Ani", "email": "ani@contoh.id", "password": "sawah-hijau-pagi"}, "password", False),
    ("/masuk", None, {"email": "ani@contoh.id", "password": "sawah-hijau-pagi"}, "email", True),
    ("/lupa-sandi", None, {"email": "ani@contoh.id"}, "email", True),
    ("/pendaftaran/ktp", "/pendaftaran/ktp", KTP, "nik", True),
    ("/pendaftaran/ktp", "/pendaftaran/ktp", KTP, "kk_number", True),
    ("/pendaftaran/data-diri/nama", "/pendaftaran/data-diri/nama", NAME, "birth_place", True),
    ("/pendaftaran/data-diri/alamat-ktp", "/pendaftaran/data-diri/alamat-ktp", ADDRESS, "street", True),
    ("/pendaftaran/data-diri/alamat-ktp", "/pendaftaran/data-diri/alamat-ktp", ADDRESS, "rt", True),
    ("/pendaftaran/nomor-hp", None, {"phone": PHONE}, "phone", True),
]


@pytest.mark.parametrize("hidden", ["\x00", "\r\n", "\x1b", "\x85"], ids=["NUL", "CRLF", "ESC", "NEL"])
@pytest.mark.parametrize("url, before, data, name, shown", TEXT_FIELDS,
                         ids=[f"{url} {name}" for url, _, _, name, _ in TEXT_FIELDS])
def test_hidden_characters_are_refused_at_the_field_and_the_rest_kept(app, client, make_account, url, before,
                                                                      data, name, shown, hidden):
    if url.startswith("/pendaftaran"):
        make_account(email="budi@contoh.id")
        client.post("/masuk", data={"email": "budi@contoh.id", "password": "sawah-hijau-pagi"})
        if before:
            answer_until(client, before)
    client.set_cookie("lang", "en")
    typed = data[name][:2] + hidden + data[name][2:]
    response = client.post(url, data={**data, name: typed})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "<title>Error:" in page
    assert HIDDEN in error_for(page, name) and f'href="#{name}"' in page
    if hidden != "\r\n":  # pages have line breaks of their own
        assert hidden not in page
    if shown:
        assert f'value="{data[name]}"' in page  # what was typed, less what cannot be shown
    with app.app_context():
        assert Account.select().where(Account.email == "ani@contoh.id").count() == 0
        assert Address.select().count() == 0


def test_every_form_is_built_on_the_base_that_refuses_hidden_characters(app):
    """A form on plain FlaskForm would let NUL reach PostgreSQL (a 500) and break the page it is shown on."""

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    ours = [form for form in subclasses(FlaskForm) if form.__module__.startswith("portal.")]
    assert len(ours) > 10
    assert [form.__qualname__ for form in ours if not issubclass(form, Form)] == []


# --- redirects and query parameters ------------------------------------------------------------------------

@pytest.mark.parametrize("target", ["/pendaftaran/\r\nSet-Cookie: a=b", "/\t/jahat.example", "/x\x00y", "/\n/jahat.example"])
def test_control_characters_in_next_never_reach_the_location_header(client, make_account, target):
    make_account()
    response = client.post("/masuk", query_string={"next": target},
                           data={"email": "ani@contoh.id", "password": "sawah-hijau-pagi"})
    assert response.status_code == 303 and response.headers["Location"] == "/pendaftaran/"
    assert client.get("/pendaftaran/").status_code == 200  # logged in, and told where to go
    assert client.get("/bahasa/en", query_string={"next": target}).headers["Location"] == "/"


JUNK = {"kind": "x", "endpoint": "x", "_method": "GET", "_external": "1", "_anchor": "x", "values": "x"}


@pytest.mark.parametrize("url", ["/pendaftaran/foto", "/pendaftaran/ktp/konfirmasi", "/pendaftaran/nomor-hp/kode",
                                 "/pendaftaran/data-diri/nama", "/pendaftaran/data-diri/alamat-ktp"])
def test_unknown_query_parameters_are_ignored_and_only_dari_is_carried(applicant, sms, url):
    answer_until(applicant, "/pendaftaran/data-diri/pendidikan-pekerjaan")
    applicant.post("/pendaftaran/nomor-hp", data={"phone": PHONE})
    response = applicant.get(url, query_string={**JUNK, "dari": "periksa"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    links = re.findall(r'(?:href|action|data-hx-post)="(/pendaftaran/[^"]*)"', page)
    assert links and not [link for link in links if "endpoint" in link or "kind=" in link or "_method" in link]
    assert any(link.endswith("?dari=periksa") for link in links)


def test_the_phone_page_sends_one_code_and_goes_on_despite_junk_parameters(applicant, sms):
    response = applicant.post("/pendaftaran/nomor-hp", query_string=JUNK, data={"phone": PHONE})
    assert response.status_code == 303 and response.headers["Location"] == "/pendaftaran/nomor-hp/kode"
    assert len(sms.texts_to(PHONE_E164)) == 1
    resend = applicant.post("/pendaftaran/nomor-hp/kirim-ulang", query_string=JUNK)
    assert resend.status_code == 303 and resend.headers["Location"] == "/pendaftaran/nomor-hp/kode"


def test_a_path_number_too_large_for_the_database_is_not_found(applicant):
    assert applicant.get("/foto/99999999999999999999999/kecil").status_code == 404
    assert applicant.get(f"/foto/{2**31}/kecil").status_code == 404


# --- a rule broken inside a step ----------------------------------------------------------------------------

def test_a_rule_about_the_whole_application_is_shown_in_the_error_summary(applicant, app, monkeypatch):
    """A rule that names no field: a message in the error summary, not a KeyError, and what was typed kept."""

    def refused(application, actor, **fields):
        raise DomainError(applications.NOT_READY)

    monkeypatch.setattr(applications, "update", refused)
    response = applicant.post("/pendaftaran/data-diri/nama", data=NAME)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "<title>Error:" in page
    summary = re.search(r'<div class="error-summary".*?</div>', page, re.S).group(0)
    assert "Complete every section" in summary
    assert 'value="Bogor"' in page  # what was typed is kept


def test_a_step_saved_after_another_tab_sent_the_application_goes_to_the_task_list(applicant, app, monkeypatch):
    """Nothing on the step can be saved any more: the task list says why, as the guard does for a GET."""

    def sent_meanwhile(application, actor, **fields):
        raise DomainError(DomainError.SENT)

    monkeypatch.setattr(applications, "update", sent_meanwhile)
    response = applicant.post("/pendaftaran/data-diri/nama", data=NAME, follow_redirects=True)
    assert response.request.path == "/pendaftaran/"
    assert "has been sent, so it can no longer be changed" in response.get_data(as_text=True)


def test_a_rule_broken_outside_a_step_is_a_message_not_a_500(applicant, app, monkeypatch):
    answer_until(applicant, "/pendaftaran/ktp/konfirmasi")

    def sent_meanwhile(application, actor, **fields):
        raise DomainError(DomainError.SENT)

    monkeypatch.setattr(applications, "update", sent_meanwhile)
    response = applicant.post("/pendaftaran/ktp/konfirmasi", follow_redirects=True)
    assert response.status_code == 200 and "has been sent, so it can no longer be changed" in response.get_data(as_text=True)

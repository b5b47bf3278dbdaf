"""Notices reach applicants in the language they use the portal in: remembered on their account when they
register, claim a walk-in record or switch language while logged in; Indonesian for everyone else."""

import re

import pytest
from conftest import PASSWORD, body
from walkin_support import make_walkin, walkin
from wave_support import make_application, past_wave
from wizard_support import PHONE_E164, application_of, complete_sections

from portal.models import Account
from portal.services import selection
from portal.services.status import transition


def language_of(app, email):
    with app.app_context():
        return Account.by_email(email).language


def test_registering_keeps_the_language_of_the_page(app, client):
    client.set_cookie("lang", "en")
    client.post("/daftar", data={"full_name": "Ani Lestari", "email": "ani@contoh.id", "password": PASSWORD})
    other = app.test_client()  # no language chosen and none asked for by the browser: Indonesian
    other.post("/daftar", data={"full_name": "Budi Santoso", "email": "budi@contoh.id", "password": PASSWORD})
    assert (language_of(app, "ani@contoh.id"), language_of(app, "budi@contoh.id")) == ("en", "id")


def test_switching_language_while_logged_in_is_remembered_and_logged_out_is_not(app, client, make_account, login):
    make_account()
    client.get("/bahasa/en")  # not logged in yet: only the cookie
    assert language_of(app, "ani@contoh.id") == "id"
    login()
    assert client.get("/bahasa/en?next=/pendaftaran/").status_code == 303
    assert language_of(app, "ani@contoh.id") == "en"
    client.get("/bahasa/id")
    assert language_of(app, "ani@contoh.id") == "id"


def test_a_status_change_reaches_an_english_speaking_applicant_in_english(app, client, make_account, login,
                                                                         make_staff, mailbox, sms):
    pmo = make_staff("pmo")
    english = make_account(email="siti@contoh.id", name="Siti Aminah")
    indonesian = make_account(email="dewi@contoh.id", name="Dewi Lestari")
    login(email="siti@contoh.id")
    client.get("/bahasa/en")
    theirs, default = walkin(app, "ratified", account=english), walkin(app, "ratified", account=indonesian)
    unclaimed = walkin(app, "ratified")  # a walk-in without an account
    with app.app_context():
        for record in (theirs, default, unclaimed):
            transition(record, pmo, "confirmed")
    [email] = mailbox.to("siti@contoh.id")
    assert email["Subject"].strip() == f"Prakerja application {theirs.reference}: Confirmed as a candidate participant"
    assert f"Hello {theirs.full_name}," in body(email) and "Halo" not in body(email)
    [text] = sms.texts_to(theirs.phone)
    assert text.startswith(f"Prakerja {theirs.reference}: Confirmed as a candidate participant. Check status:")
    [email] = mailbox.to("dewi@contoh.id")
    assert "Dikukuhkan sebagai calon peserta" in email["Subject"] and f"Halo {default.full_name}," in body(email)
    for record in (default, unclaimed):
        [text] = sms.texts_to(record.phone)
        assert text.startswith(f"Prakerja {record.reference}: Dikukuhkan sebagai calon peserta.")


def test_a_wave_result_reaches_an_english_speaking_applicant_in_english(app, client, make_account, login, mailbox,
                                                                       sms):
    make_account(email="siti@contoh.id")
    make_account(email="dewi@contoh.id")
    login(email="siti@contoh.id")
    client.get("/bahasa/en")
    with app.app_context():
        siti = make_application(account=Account.by_email("siti@contoh.id"), verified_phone="+6281200000001")
        dewi = make_application(account=Account.by_email("dewi@contoh.id"), verified_phone="+6281200000002")
        selection.run(past_wave(1, quota=5, entries=[siti, dewi]))
    [email] = mailbox.to("siti@contoh.id")
    assert email["Subject"].strip() == "Prakerja wave 1: Selected" and "Hello" in body(email)
    assert sms.texts_to("+6281200000001")[-1].startswith("Congratulations, you were selected in Prakerja wave 1.")
    [email] = mailbox.to("dewi@contoh.id")
    assert email["Subject"].strip() == "Prakerja gelombang 1: Lolos" and "Halo" in body(email)
    assert sms.texts_to("+6281200000002")[-1].startswith("Selamat, Anda lolos Prakerja gelombang 1.")
    assert sms.texts_to("+6281200000002")[-1].endswith(app.config["BASE_URL"] + "/pendaftaran/")


@pytest.mark.parametrize("language, code_text, sent_text", [
    ("en", r"Your Prakerja code: \d{6}\. Valid for 10 minutes\. Do not give this code to anyone\.",
     "Your Prakerja application has been sent. Reference number: {}. Keep this number."),
    ("id", r"Kode Prakerja Anda: \d{6}\. Berlaku 10 menit\. Jangan berikan kode ini kepada siapa pun\.",
     "Pendaftaran Prakerja Anda terkirim. Nomor pendaftaran: {}. Simpan nomor ini."),
])
def test_the_code_and_the_application_sent_sms_reach_an_applicant_in_their_language(app, client, make_account, login,
                                                                                    sms, language, code_text,
                                                                                    sent_text):
    make_account()
    login()
    client.get(f"/bahasa/{language}")
    complete_sections(client, sms)
    assert client.post("/pendaftaran/periksa", data={"declaration": "y"}).status_code == 303
    code, sent = sms.texts_to(PHONE_E164)
    assert re.fullmatch(code_text, code)
    assert sent == sent_text.format(application_of(app).reference)


def test_a_walkin_at_an_english_desk_gets_the_code_in_indonesian(app, client, make_staff, staff_login, sms):
    officer = make_staff("officer")
    record = make_walkin(app, officer)
    client.set_cookie("lang", "en")
    staff_login(client, officer.email)
    assert client.post(f"/petugas/meja/data/{record.reference}/nomor-hp", data={"action": "send"}).status_code == 303
    assert "Code sent." in client.get(f"/petugas/meja/data/{record.reference}/nomor-hp").get_data(as_text=True)
    [text] = sms.texts_to(record.phone)
    assert text.startswith("Kode Prakerja Anda: ")

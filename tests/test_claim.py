"""Klaim pendaftaran: a walk-in proves a record is theirs (reference, NIK, date of birth, then an SMS code or an
emailed link), chooses an email address and password, and follows the record from the new account."""

import re

import pytest

from conftest import PASSWORD, link_in
from portal.models import Account, Application, AuditEntry
from portal.services import audit
from walkin_support import BORN, walkin


def claim_form(record, nik=None, born=BORN, reference=None):
    return {"reference": reference or record.reference, "nik": nik or record.nik, "birth_date-day": born.day,
            "birth_date-month": born.month, "birth_date-year": born.year}


def main_text(response):
    html = response.get_data(as_text=True)
    main = html[html.index('<main id="main">'):html.index("</main>")]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))


@pytest.fixture
def visitor(client):
    client.set_cookie("lang", "en")
    client.environ_base["REMOTE_ADDR"] = "10.9.0.1"
    return client


def test_a_walkin_claims_with_an_sms_code_and_sees_the_same_status(app, visitor, sms, mailbox):
    record = walkin(app, "confirmed")
    response = visitor.post("/klaim", data=claim_form(record, nik=record.nik[:4] + " " + record.nik[4:]))
    assert response.status_code == 303 and response.headers["Location"] == "/klaim/kode"
    page = main_text(visitor.get("/klaim/kode"))
    assert "+62 813-****-" + record.phone[-4:] in page and record.phone not in page
    wrong = visitor.post("/klaim/kode", data={"code": "000000" if sms.last_code(record.phone) != "000000" else "111111"})
    assert "The code is not correct. You have 4 tries left" in main_text(wrong)
    [text] = sms.texts_to(record.phone)
    maxlength = int(re.search(r'<input[^>]*id="code"[^>]*maxlength="(\d+)"', wrong.get_data(as_text=True)).group(1))
    assert maxlength >= len(text)
    assert visitor.post("/klaim/kode", data={"code": text}).headers["Location"] == "/klaim/akun"  # the whole SMS pasted
    response = visitor.post("/klaim/akun", data={"email": "Siti.Baru@Contoh.id", "password": PASSWORD})
    assert response.headers["Location"] == "/daftar/cek-email"
    [email] = mailbox.to("siti.baru@contoh.id")
    assert visitor.get(link_in(email, "/verifikasi/")).headers["Location"] == "/masuk"
    response = visitor.post("/masuk", data={"email": "siti.baru@contoh.id", "password": PASSWORD})
    assert response.headers["Location"] == "/pendaftaran/"
    page = main_text(visitor.get("/pendaftaran/"))
    assert "Status: Confirmed as a candidate participant" in page and record.reference in page
    assert "KTP details" not in page  # no wizard for a record the office keeps
    for wizard in ("/pendaftaran/ktp", "/pendaftaran/periksa", "/pendaftaran/foto", "/pendaftaran/terkirim"):
        assert visitor.get(wizard).headers["Location"] == "/pendaftaran/", wizard
    with app.app_context():
        account = Account.by_email("siti.baru@contoh.id")
        assert Application.get_by_id(record.id).account_id == account.id and account.full_name == record.full_name
        assert account.language == "en"  # claimed in English: their notices come in English
        [entry] = AuditEntry.select().where(AuditEntry.action == "application.claimed")
        assert (entry.actor_id, entry.target_id, entry.fields) == (account.id, str(record.id), "account")
        assert audit.verify().ok


@pytest.mark.parametrize("wrong", ["nik", "birth date", "reference", "online application"])
def test_wrong_combinations_reveal_nothing(app, visitor, sms, make_account, wrong):
    record = walkin(app, "confirmed")
    if wrong == "online application":
        account = make_account(email="daring@contoh.id")
        with app.app_context():
            Application.update(channel="online", account=account).where(Application.id == record.id).execute()
    form = {
        "nik": claim_form(record, nik=record.nik[:-1] + ("1" if record.nik[-1] != "1" else "2")),
        "birth date": claim_form(record, born=BORN.replace(year=1991)),
        "reference": claim_form(record, reference="PK-ZZZZ-ZZZZ"),
        "online application": claim_form(record),
    }[wrong]
    response = visitor.post("/klaim", data=form)
    assert response.status_code == 200
    text = main_text(response)
    assert "We could not find an application with this reference number, NIK and date of birth" in text
    assert "claimed" not in text and sms.requests == []
    assert visitor.get("/klaim/akun").headers["Location"] == "/klaim"


def test_an_already_claimed_record_says_only_that(app, visitor, sms, make_account):
    record = walkin(app, "confirmed", account=make_account(email="pemilik@contoh.id"))
    text = main_text(visitor.post("/klaim", data=claim_form(record)))
    assert "This application cannot be claimed online" in text and "pemilik" not in text
    assert sms.requests == []


def test_wrong_tries_are_limited_per_reference_then_per_connection(app, visitor, sms):
    record = walkin(app, "confirmed")
    for year in range(1980, 1985):
        visitor.environ_base["REMOTE_ADDR"] = f"10.9.1.{year - 1979}"
        assert "could not find" in main_text(visitor.post("/klaim", data=claim_form(record, born=BORN.replace(year=year))))
    response = visitor.post("/klaim", data=claim_form(record))  # even the right answer now waits
    assert response.status_code == 429 and re.search(r"try again in about \d+ minutes", main_text(response))
    assert sms.requests == []
    app.config["CLAIM_LIMIT_IP"] = "3 per 10 minutes"
    visitor.environ_base["REMOTE_ADDR"] = "10.9.2.2"
    for n in range(3):
        visitor.post("/klaim", data=claim_form(record, reference=f"PK-AAAA-{n:04d}"))
    assert visitor.post("/klaim", data=claim_form(record, reference="PK-AAAA-0009")).status_code == 429


def test_a_record_with_an_email_and_no_number_is_claimed_by_an_emailed_link(app, visitor, sms, mailbox):
    record = walkin(app, "ratified", phone=None, email="tanpa.hp@contoh.id")
    response = visitor.post("/klaim", data=claim_form(record))
    assert response.headers["Location"] == "/klaim/cek-email"
    assert "t***@contoh.id" in main_text(visitor.get("/klaim/cek-email"))
    [email] = mailbox.to("tanpa.hp@contoh.id")
    other = visitor.application.test_client()  # the link opened on another phone
    assert other.get(link_in(email, "/klaim/tautan/")).headers["Location"] == "/klaim/akun"
    assert 'value="tanpa.hp@contoh.id"' in other.get("/klaim/akun").get_data(as_text=True)
    response = other.post("/klaim/akun", data={"email": "tanpa.hp@contoh.id", "password": PASSWORD})
    assert response.headers["Location"] == "/masuk"  # the link proved the address: no second email
    assert other.post("/masuk", data={"email": "tanpa.hp@contoh.id", "password": PASSWORD}).headers["Location"] == "/pendaftaran/"
    # Once claimed, the link is dead.
    assert other.application.test_client().get(link_in(email, "/klaim/tautan/")).status_code == 400
    assert sms.requests == []


def test_an_email_address_with_an_account_is_refused_next_to_the_field(app, visitor, sms, make_account):
    make_account(email="ada@contoh.id")
    record = walkin(app, "confirmed")
    visitor.post("/klaim", data=claim_form(record))
    visitor.post("/klaim/kode", data={"code": sms.last_code(record.phone)})
    response = visitor.post("/klaim/akun", data={"email": "ADA@contoh.id", "password": PASSWORD})
    assert "An account already uses this email address" in main_text(response)
    with app.app_context():
        assert Application.get_by_id(record.id).account_id is None


def test_a_common_password_is_refused_as_at_registration(app, visitor, sms):
    record = walkin(app, "confirmed")
    visitor.post("/klaim", data=claim_form(record))
    visitor.post("/klaim/kode", data={"code": sms.last_code(record.phone)})
    response = visitor.post("/klaim/akun", data={"email": "baru@contoh.id", "password": "password123"})
    assert "too common" in main_text(response)


def test_steps_cannot_be_skipped(app, visitor, sms):
    assert visitor.get("/klaim/akun").headers["Location"] == "/klaim"
    assert visitor.get("/klaim/kode").headers["Location"] == "/klaim"
    record = walkin(app, "confirmed")
    visitor.post("/klaim", data=claim_form(record))
    assert visitor.get("/klaim/akun").headers["Location"] == "/klaim"  # found, but the code is not entered yet
    assert visitor.post("/klaim/akun", data={"email": "x@contoh.id", "password": PASSWORD}).headers["Location"] == "/klaim"


def test_a_new_code_can_be_asked_for_after_the_cooldown_and_the_old_one_dies(app, visitor, sms):
    app.config["SMS_COOLDOWN"] = 0
    record = walkin(app, "confirmed")
    visitor.post("/klaim", data=claim_form(record))
    first = sms.last_code(record.phone)
    assert visitor.post("/klaim/kirim-ulang").headers["Location"] == "/klaim/kode"
    second = sms.last_code(record.phone)
    assert len(sms.texts_to(record.phone)) == 2
    if first != second:  # one chance in a million that they are equal
        assert "The code is not correct" in main_text(visitor.post("/klaim/kode", data={"code": first}))
    assert visitor.post("/klaim/kode", data={"code": second}).headers["Location"] == "/klaim/akun"


def test_pages_work_as_plain_forms_and_as_htmx_swaps(client):
    for path in ("/klaim",):
        assert b"<html" in client.get(path).data
        partial = client.get(path, headers={"HX-Request": "true"})
        assert partial.status_code == 200 and b"<html" not in partial.data and b'name="nik"' in partial.data


def test_a_claimed_confirmed_walkin_joins_the_open_wave_from_the_account(app, client, make_account):
    import wave_support
    from portal.models import WaveEntry

    account = make_account(email="klaim@contoh.id")
    record = walkin(app, "confirmed", account=account)
    with app.app_context():
        wave_support.open_wave()
    client.set_cookie("lang", "en")
    client.post("/masuk", data={"email": "klaim@contoh.id", "password": PASSWORD})
    assert client.get("/pendaftaran/gelombang").status_code == 200
    assert client.post("/pendaftaran/gelombang", data={"consent": "y"}).headers["Location"] == "/pendaftaran/"
    with app.app_context():
        assert WaveEntry.select().where(WaveEntry.application == record.id).count() == 1
    assert client.get("/pendaftaran/foto").headers["Location"] == "/pendaftaran/"

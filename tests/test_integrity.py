"""Writes that cannot undo each other: column-level saves, and every change to a draft conditional on it being one."""

import re
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest

from conftest import PASSWORD
from portal.models import Account, Address, Application, LoginSession, OtpCode, OutboxMessage, Photo, SmsLog, utcnow
from portal.services import accounts, applications
from portal.services.phones import code_hash
from wizard_support import (ADDRESS, DECLARATIONS, KTP, NAME, PHONE, PHONE_E164, WORK, application_of,
                            complete_sections, error_for, upload)

ROUNDS = 20
# Six step saves, each in its own browser tab, racing one "Kirim".
RACING_STEPS = [
    ("/pendaftaran/data-diri/nama", NAME, "/pendaftaran/data-diri/alamat-ktp"),
    ("/pendaftaran/data-diri/alamat-ktp", ADDRESS, "/pendaftaran/data-diri/domisili"),
    ("/pendaftaran/data-diri/domisili", {"domicile_same": "yes"}, "/pendaftaran/data-diri/pendidikan-pekerjaan"),
    ("/pendaftaran/data-diri/pendidikan-pekerjaan", WORK, "/pendaftaran/data-diri/pernyataan"),
    ("/pendaftaran/data-diri/pernyataan", DECLARATIONS, "/pendaftaran/"),
    ("/pendaftaran/ktp/konfirmasi", {}, "/pendaftaran/data-diri/nama"),
]
REFUSED = "Your application has been sent, so it can no longer be changed."


def tab(app):
    """A browser tab of the logged-in applicant (its own session, like a second device)."""
    client = app.test_client()
    client.set_cookie("lang", "en")
    assert client.post("/masuk", data={"email": "ani@contoh.id", "password": PASSWORD}).status_code == 303
    return client


def test_a_submit_racing_six_step_saves_has_one_outcome(app, make_account, sms, mailbox):
    """Real threads, one database connection each: the submission always stands, with its reference."""
    make_account()
    complete_sections(tab(app), sms)
    tabs = [tab(app) for _ in range(len(RACING_STEPS) + 1)]
    saved = refused = 0
    for round_ in range(ROUNDS):
        with app.app_context():
            Application.update(status="draft", reference=None, submitted_at=None).execute()
        barrier = threading.Barrier(len(tabs))

        def post(client, url, data):
            barrier.wait()
            return client.post(url, data={**data, "birth_place": f"Bogor {round_}"} if "nama" in url else data)

        with ThreadPoolExecutor(len(tabs)) as pool:
            submit = pool.submit(post, tabs[0], "/pendaftaran/periksa", {"declaration": "y"})
            steps = [pool.submit(post, client, url, data) for client, (url, data, _next) in zip(tabs[1:], RACING_STEPS)]
            answers = [future.result() for future in [submit, *steps]]

        assert [answer.status_code for answer in answers] == [303] * len(answers), round_
        assert answers[0].headers["Location"] == "/pendaftaran/terkirim"
        sent = application_of(app)
        assert sent.status == "submitted" and re.fullmatch(r"PK-\w{4}-\w{4}", sent.reference or ""), round_
        for client, answer, (url, _data, next_url) in zip(tabs[1:], answers[1:], RACING_STEPS):
            with client.session_transaction() as session:
                flashed = [message for _category, message in session.get("_flashes", [])]
            if REFUSED in flashed:  # refused, by the guard or by the save itself, and told why
                refused += 1
                assert answer.headers["Location"] == "/pendaftaran/", url
                assert REFUSED in client.get("/pendaftaran/").get_data(as_text=True), url
            else:
                saved += 1
                assert answer.headers["Location"] == next_url, url
        # The reference on the page is the one the email and SMS carried.
        assert sent.reference in tabs[0].get("/pendaftaran/terkirim").get_data(as_text=True)
        assert any(sent.reference in text for text in sms.texts_to(sent.verified_phone))
        assert application_of(app).reference == sent.reference
    print(f"\n{ROUNDS} rounds: {saved} step saves landed before the submission, {refused} were refused after it")


def snapshot(app, upload_dir):
    """Everything an application and its sending touch, for comparing before and after a refused save."""
    with app.app_context():
        rows = {model.__name__: sorted(map(repr, model.select().dicts()))
                for model in (Application, Address, Photo, SmsLog, OutboxMessage)}
        rows["OtpCode"] = sorted(map(repr, OtpCode.select(OtpCode.id, OtpCode.phone, OtpCode.used).dicts()))
    rows["files"] = sorted(p.name for p in upload_dir.rglob("*") if p.is_file())
    return rows


STALE_SAVES = {
    "KTP": ("/pendaftaran/ktp", {**KTP, "kk_number": "3201010101010009"}),
    "KTP confirmation": ("/pendaftaran/ktp/konfirmasi", {}),
    "name": ("/pendaftaran/data-diri/nama", {**NAME, "full_name": "Orang Lain"}),
    "KTP address": ("/pendaftaran/data-diri/alamat-ktp", {**ADDRESS, "street": "Jl. Lain 1"}),
    "region list": ("/pendaftaran/data-diri/alamat-ktp", {"action": "region", "province": "33"}),
    "domicile": ("/pendaftaran/data-diri/domisili", {"domicile_same": "no"}),
    "work": ("/pendaftaran/data-diri/pendidikan-pekerjaan", {"education": "smp", "employment": "worker"}),
    "declarations": ("/pendaftaran/data-diri/pernyataan", {**DECLARATIONS, "training_field": "sales"}),
    "new number": ("/pendaftaran/nomor-hp", {"phone": "0812 9999 8888"}),
    "code": ("/pendaftaran/nomor-hp/kode", {"code": "135790"}),
    "photo": ("/pendaftaran/foto/selfie", None),
}


@pytest.mark.parametrize("step", STALE_SAVES)
def test_a_save_begun_before_another_tab_sent_the_application_is_refused_and_changes_nothing(
        app, applicant, sms, tmp_path, monkeypatch, step):
    """The tab passed the "already sent?" check just before the submission landed: its save must still be refused."""
    complete_sections(applicant, sms)
    with app.app_context():
        draft = Application.get()
        # A live code, so that the code step gets as far as saving.
        OtpCode.create(application=draft, phone=draft.phone, code_hash=code_hash(draft.id, draft.phone, "135790"))
    sent = applicant.post("/pendaftaran/periksa", data={"declaration": "y"})
    assert sent.headers["Location"] == "/pendaftaran/terkirim"
    before = snapshot(app, tmp_path / "uploads")
    monkeypatch.setattr("portal.applicant.draft_for", lambda account: draft)  # the row as read before sending

    url, data = STALE_SAVES[step]
    response = upload(applicant, "selfie") if data is None else applicant.post(url, data=data)

    assert response.status_code == 303 and response.headers["Location"] == "/pendaftaran/"
    monkeypatch.undo()
    assert REFUSED in applicant.get("/pendaftaran/").get_data(as_text=True)
    assert snapshot(app, tmp_path / "uploads") == before
    assert application_of(app).status == "submitted"


def test_two_tabs_saving_different_answers_keep_both(app, make_account):
    """Each save writes only its own columns, so neither writes back what the other tab loaded."""
    account = make_account()
    with app.app_context():
        draft = applications.draft_for(account)
        tab1, tab2 = Application.get_by_id(draft.id), Application.get_by_id(draft.id)
        applications.update(tab1, account, full_name="Ani Lestari", birth_place="Bogor")
        applications.update(tab2, account, education="sma", employment="laid_off")
        tab2.domicile_same = True
        tab2.save()  # even a plain save() writes only what was set on this object
        saved = Application.get_by_id(draft.id)
    assert (saved.full_name, saved.birth_place) == ("Ani Lestari", "Bogor")
    assert (saved.education, saved.employment, saved.domicile_same) == ("sma", "laid_off", True)


def test_a_ktp_confirmed_in_one_tab_stays_confirmed_when_another_saves_the_same_nik(app, make_account):
    account = make_account()
    nik, born = KTP["nik"], date(1990, 12, 5)
    with app.app_context():
        draft = applications.draft_for(account)
        applications.save_ktp(draft, account, nik, born, KTP["kk_number"], "P")
        stale = Application.get_by_id(draft.id)  # a tab showing the KTP page, not yet confirmed
        applications.update(draft, account, ktp_confirmed=True)
        applications.save_ktp(stale, account, nik, born, "3201010101010002", "P")  # only the KK number changed
        assert Application.get_by_id(draft.id).ktp_confirmed is True and stale.ktp_confirmed is True
        applications.save_ktp(stale, account, "3201014512900002", born, "3201010101010002", "P")
        assert Application.get_by_id(draft.id).ktp_confirmed is False  # a new NIK must be confirmed again


def test_a_login_racing_a_password_reset_does_not_undo_it(app, make_account):
    """A login loaded the account just before the reset committed; saving its login time keeps the new password."""
    account = make_account()
    with app.app_context():
        LoginSession.create(account=account, key_hash="0" * 64)  # a browser signed in before the reset
        racing_login = Account.by_email("ani@contoh.id")
        accounts.reset_password(Account.by_email("ani@contoh.id"), "kopi-susu-sore-hari")
        racing_login.last_login_at = utcnow()
        racing_login.save()
        assert accounts.authenticate("ani@contoh.id", "kopi-susu-sore-hari") is not None
        # Sessions from before the reset stay ended.
        assert not LoginSession.select().where(LoginSession.account == account.id).exists()


def test_parallel_guesses_of_a_code_get_no_more_tries_than_allowed(app, applicant, sms):
    applicant.post("/pendaftaran/nomor-hp", data={"phone": PHONE})
    wrong = "000000" if sms.last_code(PHONE_E164) != "000000" else "111111"
    guessers = [tab(app) for _ in range(10)]
    barrier = threading.Barrier(len(guessers))

    def guess(client):
        barrier.wait()
        return error_for(client.post("/pendaftaran/nomor-hp/kode", data={"code": wrong}).get_data(as_text=True), "code")

    with ThreadPoolExecutor(len(guessers)) as pool:
        messages = list(pool.map(guess, guessers))
    compared = [m for m in messages if "not correct" in m or "wrong 5 times" in m]
    assert len(compared) == 5 and len(messages) - len(compared) == 5
    with app.app_context():
        assert OtpCode.get().attempts == 5

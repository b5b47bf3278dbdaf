"""Login sessions end on the server: a copy of the cookie dies at logout, password reset and the idle limit."""

import logging
import re
import time

import pytest

from conftest import PASSWORD, link_in, totp_code
from portal.models import Application, LoginSession
from wizard_support import KTP


def copy_of(app, client):
    """A second browser holding a copy of the first one's session cookie (as an onlooker could take it)."""
    thief = app.test_client()
    thief.set_cookie("session", client.get_cookie("session").value)
    assert thief.get("/pendaftaran/").status_code == 200  # as good as the original, until the session ends
    return thief


def assert_sent_to_login(client):
    """The page the copy gets is the login form, not the application and not an error."""
    response = client.get("/pendaftaran/")
    assert response.status_code in (302, 303) and response.headers["Location"].startswith("/masuk")
    page = client.get(response.headers["Location"])
    assert page.status_code == 200 and 'name="password"' in page.get_data(as_text=True)


def count_sessions(app):
    with app.app_context():
        return LoginSession.select().count()


def test_a_copied_cookie_is_dead_after_finish_and_clear(app, applicant, sms):
    thief = copy_of(app, applicant)
    applicant.post("/keluar")
    assert count_sessions(app) == 0
    assert_sent_to_login(thief)
    # Nor can it change the application.
    response = thief.post("/pendaftaran/ktp", data=KTP)
    assert response.status_code == 302 and response.headers["Location"].startswith("/masuk")
    with app.app_context():
        assert Application.select().where(Application.nik.is_null(False)).count() == 0


def test_a_copied_cookie_is_dead_after_a_password_reset(app, applicant, mailbox):
    thief = copy_of(app, applicant)
    other_browser = app.test_client()
    other_browser.post("/masuk", data={"email": "ani@contoh.id", "password": PASSWORD})
    assert count_sessions(app) == 2

    reset = app.test_client()
    reset.post("/lupa-sandi", data={"email": "ani@contoh.id"})
    reset.get(link_in(mailbox.to("ani@contoh.id")[0], "/atur-sandi/"))
    assert reset.post("/atur-sandi", data={"password": "padi-menguning-senja"}).status_code == 303

    assert count_sessions(app) == 0
    for client in (thief, applicant, other_browser):
        assert_sent_to_login(client)


def test_a_copied_cookie_is_dead_after_the_idle_limit(app, applicant, monkeypatch):
    thief = copy_of(app, applicant)
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 15 * 60 + 1)
    response = thief.get("/pendaftaran/")
    assert response.status_code == 303 and response.headers["Location"] == "/masuk"
    page = thief.get("/masuk").get_data(as_text=True)
    assert "tidak ada aktivitas" in page and 'name="password"' in page
    assert count_sessions(app) == 0
    # The owner's browser, back after the same pause, is logged out as well: the session is gone.
    assert_sent_to_login(applicant)


def test_activity_in_one_browser_is_activity_of_the_session(app, applicant, monkeypatch):
    """The idle limit counts from the last request made with the session, wherever it came from."""
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 10 * 60)
    assert applicant.get("/pendaftaran/").status_code == 200
    monkeypatch.setattr(time, "time", lambda: real() + 20 * 60)
    assert applicant.get("/pendaftaran/").status_code == 200


def test_logging_out_ends_only_that_browser(app, applicant):
    other_browser = app.test_client()
    other_browser.post("/masuk", data={"email": "ani@contoh.id", "password": PASSWORD})
    applicant.post("/keluar")
    assert other_browser.get("/pendaftaran/").status_code == 200
    assert count_sessions(app) == 1


def test_the_cookie_holds_a_key_not_the_session(app, applicant):
    value = applicant.get_cookie("session").value
    assert len(value) < 400
    with app.app_context():
        row = LoginSession.get()
    # Only the key's hash is stored, so a copy of the database cannot be used as a cookie.
    assert len(row.key_hash) == 64 and row.key_hash not in value


def queries(caplog, client, url):
    """The SQL statements one request runs."""
    caplog.clear()
    with caplog.at_level(logging.DEBUG, logger="peewee"):
        client.get(url)
    return [record.getMessage() for record in caplog.records if record.name == "peewee"]


def test_loading_the_user_and_session_is_one_query_and_last_seen_is_written_once_a_minute(
        app, applicant, caplog, monkeypatch):
    # The sign-in page run by a logged-in browser reads nothing but the user (for the header).
    [select] = queries(caplog, applicant, "/lupa-sandi")
    assert select.startswith("('SELECT") and "JOIN" in select and "login_session" in select
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 61)
    statements = queries(caplog, applicant, "/lupa-sandi")
    assert len(statements) == 2 and statements[1].startswith("('UPDATE")
    assert len(queries(caplog, applicant, "/lupa-sandi")) == 1


@pytest.mark.parametrize("minutes, alive", [(14, True), (16, False)])
def test_last_seen_written_once_a_minute_still_ends_the_session_on_time(app, applicant, monkeypatch, minutes, alive):
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 30)  # within the minute: not written
    assert applicant.get("/pendaftaran/").status_code == 200
    monkeypatch.setattr(time, "time", lambda: real() + minutes * 60)
    assert (applicant.get("/pendaftaran/").status_code == 200) is alive


def test_a_new_login_clears_away_sessions_that_timed_out(app, make_account, login, monkeypatch):
    make_account()
    login()
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 16 * 60)
    app.test_client().post("/masuk", data={"email": "ani@contoh.id", "password": PASSWORD})
    assert count_sessions(app) == 1


# Staff sessions: the same rows, marked at the staff entrance, with the second factor recorded on the row.

def staff_browser(app, make_staff, staff_login):
    """A browser signed in at /petugas as an officer (password and code)."""
    make_staff()
    browser = app.test_client()
    assert staff_login(browser, "officer@kantor.id").status_code == 303
    return browser


def staff_copy_of(app, client):
    thief = app.test_client()
    thief.set_cookie("session", client.get_cookie("session").value)
    assert thief.get("/petugas/beranda").status_code == 200
    return thief


def test_a_staff_session_is_marked_on_its_row_and_the_cookie_stays_small(app, make_staff, staff_login):
    browser = staff_browser(app, make_staff, staff_login)
    value = browser.get_cookie("session").value
    contents = app.session_interface.get_signing_serializer(app).loads(value)
    assert len(value) < 400 and not {"staff", "second_factor", "started", "seen"} & set(contents)
    with app.app_context():
        row = LoginSession.get()
    assert row.staff and row.second_factor_at is not None


def test_a_copied_staff_cookie_is_dead_after_finish_and_clear(app, make_staff, staff_login):
    browser = staff_browser(app, make_staff, staff_login)
    thief = staff_copy_of(app, browser)
    browser.post("/petugas/keluar")
    assert count_sessions(app) == 0
    assert thief.get("/petugas/beranda").status_code == 404


@pytest.mark.parametrize("command", ["deactivate", "send-link"])
def test_deactivation_and_a_new_set_password_link_end_every_staff_session(app, runner, mailbox, make_staff,
                                                                          staff_login, command):
    browser = staff_browser(app, make_staff, staff_login)
    other = app.test_client()
    staff_login(other, "officer@kantor.id")
    thief = staff_copy_of(app, browser)
    assert count_sessions(app) == 2
    assert runner.invoke(args=["staff", command, "officer@kantor.id"]).exit_code == 0
    assert count_sessions(app) == 0
    for client in (browser, other, thief):
        assert client.get("/petugas/beranda").status_code == 404


def test_setting_a_staff_password_ends_the_accounts_sessions(app, make_staff):
    from portal.services import staff

    account = make_staff()
    with app.app_context():
        LoginSession.create(account=account, key_hash="1" * 64, staff=True)
        staff.set_password(account, "gedung-dinas-lantai-tiga")
        assert not LoginSession.select().where(LoginSession.account == account.id).exists()


def test_setting_up_the_authenticator_replaces_the_session_it_started_in(app, client, make_staff):
    make_staff(enrolled=False)
    first = client.post("/petugas", data={"email": "officer@kantor.id", "password": PASSWORD, "code": ""})
    assert first.headers["Location"] == "/petugas/autentikator"
    half_done = app.test_client()  # a copy of the cookie from before the second factor
    half_done.set_cookie("session", client.get_cookie("session").value)
    page = client.get("/petugas/autentikator").get_data(as_text=True)
    secret = re.search(r'id="secret">([A-Z2-7 ]+)<', page).group(1).replace(" ", "")
    assert client.post("/petugas/autentikator", data={"code": totp_code(secret)}).status_code == 303
    assert client.get("/petugas/beranda").status_code == 200
    assert count_sessions(app) == 1
    assert half_done.get("/petugas/autentikator").status_code == 404


def test_staff_and_applicants_keep_their_own_idle_limits(app, applicant, make_staff, staff_login, monkeypatch):
    app.config["STAFF_IDLE_MINUTES"] = 5
    browser = staff_browser(app, make_staff, staff_login)
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 6 * 60)
    response = browser.get("/petugas/beranda")
    assert response.status_code == 303 and response.headers["Location"] == "/petugas"
    assert "tidak ada aktivitas" in browser.get("/petugas").get_data(as_text=True)
    assert applicant.get("/pendaftaran/").status_code == 200


def test_a_login_clears_away_only_sessions_past_their_own_idle_limit(app, make_account, make_staff, staff_login,
                                                                    monkeypatch):
    app.config["STAFF_IDLE_MINUTES"] = 30
    browser = staff_browser(app, make_staff, staff_login)
    make_account()
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 20 * 60)
    app.test_client().post("/masuk", data={"email": "ani@contoh.id", "password": PASSWORD})
    assert count_sessions(app) == 2  # the staff session, 20 minutes idle of its 30, is kept
    assert browser.get("/petugas/beranda").status_code == 200

"""Login sessions end on the server: a copy of the cookie dies at logout, password reset and the idle limit."""

import logging
import time

import pytest

from conftest import PASSWORD, link_in
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

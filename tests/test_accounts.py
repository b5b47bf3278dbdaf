"""Registration, email verification, login, logout and password reset, over HTTP without JavaScript."""

import re
import time

import pytest

from conftest import PASSWORD, body, link_in
from portal.models import Account, EmailLog


def register(client, email="ani@contoh.id", name="Ani Lestari", password=PASSWORD, **extra):
    return client.post("/daftar", data={"full_name": name, "email": email, "password": password, **extra})


def test_register_sends_a_verification_link_that_lets_the_user_log_in(client, mailbox, app):
    response = register(client, email="Ani@Contoh.ID")
    assert response.status_code == 303 and response.headers["Location"] == "/daftar/cek-email"
    page = client.get("/daftar/cek-email").get_data(as_text=True)
    assert "ani@contoh.id" in page and "spam" in page.lower()

    [message] = mailbox.to("ani@contoh.id")
    response = client.get(link_in(message, "/verifikasi/"))
    assert response.headers["Location"] == "/masuk"
    assert "sudah dikonfirmasi" in client.get("/masuk").get_data(as_text=True)

    response = client.post("/masuk", data={"email": "ANI@contoh.id", "password": PASSWORD})
    assert response.headers["Location"] == "/pendaftaran/"
    page = client.get("/pendaftaran/").get_data(as_text=True)
    assert "Ani Lestari" in page and "Selesai dan bersihkan" in page


def test_verification_link_works_once(client, mailbox):
    register(client)
    link = link_in(mailbox.to("ani@contoh.id")[0], "/verifikasi/")
    assert client.get(link).status_code == 303
    again = client.get(link)
    assert again.status_code == 400
    assert "sudah pernah dipakai" in again.get_data(as_text=True)


def test_verification_link_expires_after_24_hours(client, mailbox, app, monkeypatch):
    register(client)
    link = link_in(mailbox.to("ani@contoh.id")[0], "/verifikasi/")
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 24 * 3600 + 5)
    response = client.get(link)
    assert response.status_code == 400 and "sudah tidak berlaku" in response.get_data(as_text=True)
    with app.app_context():
        assert not Account.by_email("ani@contoh.id").is_verified


def test_tampered_verification_link_is_refused(client, mailbox):
    register(client)
    link = link_in(mailbox.to("ani@contoh.id")[0], "/verifikasi/")
    assert client.get(link[:-3] + "xyz").status_code == 400


def test_registering_an_existing_address_looks_the_same_and_emails_the_owner(client, mailbox, make_account, app):
    make_account(email="ani@contoh.id")
    response = register(client, email="ANI@contoh.id", name="Orang Lain", password="bukan-sandi-asli")
    assert response.headers["Location"] == "/daftar/cek-email"
    page = client.get("/daftar/cek-email").get_data(as_text=True)
    stranger = app.test_client()
    register(stranger, email="baru@contoh.id")
    fresh_page = stranger.get("/daftar/cek-email").get_data(as_text=True)
    assert page == fresh_page.replace("baru@contoh.id", "ani@contoh.id")
    [message] = mailbox.to("ani@contoh.id")
    assert "/masuk" in body(message) and "/lupa-sandi" in body(message)
    with app.app_context():
        assert Account.select().where(Account.full_name == "Orang Lain").count() == 0
        assert Account.by_email("ani@contoh.id").full_name == "Ani Lestari"


def test_double_submit_creates_one_account_and_one_email(client, mailbox, app):
    register(client)
    register(client)
    with app.app_context():
        assert Account.select().count() == 1
    assert len(mailbox.to("ani@contoh.id")) == 1


def test_resend_has_a_cooldown_and_an_hourly_cap(client, mailbox, app, monkeypatch):
    register(client)
    response = client.post("/daftar/kirim-ulang", follow_redirects=True)
    assert "Kami baru saja mengirim email ke alamat ini. Anda bisa meminta email lagi setelah sekitar 1 menit." \
        in response.get_data(as_text=True)
    assert len(mailbox.to("ani@contoh.id")) == 1

    for _ in range(4):
        _shift_email_log(app, seconds=61)
        response = client.post("/daftar/kirim-ulang", follow_redirects=True)
        assert "email baru" in response.get_data(as_text=True)
    assert len(mailbox.to("ani@contoh.id")) == 5
    _shift_email_log(app, seconds=61)
    page = client.post("/daftar/kirim-ulang", follow_redirects=True).get_data(as_text=True)
    assert "beberapa email ke alamat ini dalam 1 jam terakhir" in page and "setelah sekitar 5" in page
    assert len(mailbox.to("ani@contoh.id")) == 5


def _shift_email_log(app, seconds):
    """Pretend every email so far was sent `seconds` earlier."""
    from datetime import timedelta

    with app.app_context():
        for row in EmailLog.select():
            row.created_at -= timedelta(seconds=seconds)
            row.save()


def test_change_address_before_verifying_sends_a_new_link_and_kills_the_old(client, mailbox, app):
    register(client, email="salah@contoh.id")
    old_link = link_in(mailbox.to("salah@contoh.id")[0], "/verifikasi/")
    response = client.post("/daftar/ubah-email", data={"email": "benar@contoh.id"})
    assert response.headers["Location"] == "/daftar/cek-email"
    assert "benar@contoh.id" in client.get("/daftar/cek-email").get_data(as_text=True)
    assert client.get(old_link).status_code == 400
    new_link = link_in(mailbox.to("benar@contoh.id")[0], "/verifikasi/")
    assert client.get(new_link).status_code == 303
    with app.app_context():
        assert Account.by_email("benar@contoh.id").is_verified
        assert Account.by_email("salah@contoh.id") is None


def test_change_address_keeps_what_was_typed_when_it_is_malformed(client, mailbox):
    register(client)
    response = client.post("/daftar/ubah-email", data={"email": "bukan email"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'value="bukan email"' in page and "format yang benar" in page


def test_login_error_is_the_same_for_unknown_email_and_wrong_password(client, make_account):
    make_account()
    wrong = client.post("/masuk", data={"email": "ani@contoh.id", "password": "salah-sandi-ini"})
    unknown = client.post("/masuk", data={"email": "siapa@contoh.id", "password": "salah-sandi-ini"})
    for response in (wrong, unknown):
        assert response.status_code == 200
        assert "Alamat email atau kata sandi salah" in response.get_data(as_text=True)
    assert 'value="ani@contoh.id"' in wrong.get_data(as_text=True)


def test_unverified_account_is_told_how_to_verify(client, make_account):
    make_account(verified=False)
    response = client.post("/masuk", data={"email": "ani@contoh.id", "password": PASSWORD})
    assert response.headers["Location"] == "/daftar/cek-email"
    page = client.get("/daftar/cek-email").get_data(as_text=True)
    assert "Konfirmasi alamat email Anda dulu" in page and "ani@contoh.id" in page
    assert client.get("/pendaftaran/").status_code == 302


def test_login_renews_the_session(client, make_account, login):
    make_account()
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    login()
    with client.session_transaction() as session:
        assert "planted" not in session and "_user_id" in session


def test_login_rehashes_when_the_cost_settings_change(client, make_account, login, app):
    account = make_account()
    app.config["ARGON2_TIME_COST"] = 2
    login()
    with app.app_context():
        new_hash = Account.get_by_id(account.id).password_hash
    assert new_hash != account.password_hash and "t=2" in new_hash and new_hash.startswith("$argon2id$")


def test_login_is_throttled_per_account_with_a_clear_429(client, make_account):
    make_account()
    for _ in range(5):
        assert client.post("/masuk", data={"email": "ani@contoh.id", "password": "salah-sandi-ini"}).status_code == 200
    response = client.post("/masuk", data={"email": "ani@contoh.id", "password": PASSWORD})
    assert response.status_code == 429
    assert "mencoba lagi setelah pukul" in response.get_data(as_text=True)
    assert int(response.headers["Retry-After"]) > 0
    # Another account from the same address is not locked out by it.
    assert client.post("/masuk", data={"email": "lain@contoh.id", "password": "x"}).status_code == 200


def test_login_is_throttled_per_ip(client, app):
    app.config["LOGIN_LIMIT_IP"] = "3 per 10 minutes"
    for i in range(3):
        client.post("/masuk", data={"email": f"orang{i}@contoh.id", "password": "salah-sandi-ini"})
    assert client.post("/masuk", data={"email": "baru@contoh.id", "password": "x"}).status_code == 429


def test_finish_and_clear_logs_out_and_clears_site_data(client, make_account, login):
    make_account()
    login()
    response = client.post("/keluar")
    assert response.status_code == 303
    assert response.headers["Clear-Site-Data"] == '"cache", "cookies", "storage"'
    page = client.get("/keluar/selesai")
    assert page.headers["Clear-Site-Data"] == '"cache", "cookies", "storage"'
    assert client.get("/pendaftaran/").status_code == 302


def test_logout_needs_post(client):
    assert client.get("/keluar").status_code == 405


def test_idle_session_ends_after_15_minutes(client, make_account, login, monkeypatch):
    make_account()
    login()
    assert client.get("/pendaftaran/").status_code == 200
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 15 * 60 + 1)
    response = client.get("/pendaftaran/")
    assert response.status_code == 303 and response.headers["Location"] == "/masuk"
    assert "tidak ada aktivitas" in client.get("/masuk").get_data(as_text=True)


def test_activity_keeps_the_session_but_not_past_12_hours(client, make_account, login, monkeypatch):
    make_account()
    login()
    real = time.time
    for minutes in range(10, 12 * 60, 10):
        monkeypatch.setattr(time, "time", lambda m=minutes: real() + m * 60)
        assert client.get("/pendaftaran/").status_code == 200
    monkeypatch.setattr(time, "time", lambda: real() + 12 * 3600 + 1)
    assert client.get("/pendaftaran/").status_code == 303


def test_page_states_when_the_session_will_end(client, make_account, login):
    make_account()
    login()
    page = client.get("/pendaftaran/").get_data(as_text=True)
    assert "otomatis keluar pada pukul" in page
    assert 890 <= int(re.search(r'data-expires-in="(\d+)"', page).group(1)) <= 900


def test_password_reset_by_email_ends_all_sessions_and_sends_a_notice(app, client, make_account, login, mailbox):
    make_account()
    other_device = app.test_client()
    other_device.post("/masuk", data={"email": "ani@contoh.id", "password": PASSWORD})
    assert other_device.get("/pendaftaran/").status_code == 200

    response = client.post("/lupa-sandi", data={"email": "ANI@contoh.id"})
    assert response.headers["Location"] == "/lupa-sandi/terkirim"
    link = link_in(mailbox.to("ani@contoh.id")[0], "/atur-sandi/")
    response = client.get(link)
    assert response.headers["Location"] == "/atur-sandi"  # the token leaves the address bar
    response = client.post("/atur-sandi", data={"password": "padi-menguning-senja"})
    assert response.headers["Location"] == "/masuk"

    assert other_device.get("/pendaftaran/").status_code == 302
    notices = [m for m in mailbox.to("ani@contoh.id") if "diubah" in m["Subject"]]
    assert len(notices) == 1
    assert client.post("/masuk", data={"email": "ani@contoh.id", "password": PASSWORD}).status_code == 200
    assert client.post("/masuk", data={"email": "ani@contoh.id", "password": "padi-menguning-senja"}).status_code == 303

    # The link worked once.
    fresh = app.test_client()
    fresh.get(link)
    assert fresh.get("/atur-sandi").status_code == 400


def test_reset_link_expires_after_an_hour(client, make_account, mailbox, monkeypatch):
    make_account()
    client.post("/lupa-sandi", data={"email": "ani@contoh.id"})
    link = link_in(mailbox.to("ani@contoh.id")[0], "/atur-sandi/")
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 3601)
    client.get(link)
    page = client.get("/atur-sandi")
    assert page.status_code == 400 and "sudah tidak berlaku" in page.get_data(as_text=True)


def test_reset_for_an_unknown_address_says_the_same_and_sends_nothing(client, mailbox):
    response = client.post("/lupa-sandi", data={"email": "tidakada@contoh.id"}, follow_redirects=True)
    assert "Jika ada akun" in response.get_data(as_text=True)
    assert mailbox.to("tidakada@contoh.id", timeout=0.3) == []


@pytest.mark.parametrize(
    "password, message",
    [
        ("", "Masukkan kata sandi"),
        ("pendek", "8 sampai 128"),
        ("x" * 129, "8 sampai 128"),
        ("password123", "terlalu umum"),
        ("Bismillah", "terlalu umum"),
        ("prakerja2020", "terlalu umum"),
    ],
)
def test_weak_passwords_are_refused_with_a_reason(client, app, password, message):
    response = register(client, password=password)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and message in page
    assert 'href="#password"' in page  # the summary links to the field
    with app.app_context():
        assert Account.select().count() == 0


@pytest.mark.parametrize("password", ["kopi susu gula aren", "12345678Ab!x", "a" * 128, "Rahasia!Ku#2026"])
def test_long_or_unusual_passwords_are_accepted(client, app, password):
    assert register(client, password=password).status_code == 303


def test_show_password_without_javascript_shows_what_was_typed(client):
    page = register(client, password="pendek", show_password="y").get_data(as_text=True)
    assert 'type="text"' in page and 'value="pendek"' in page
    hidden = register(client, password="pendek").get_data(as_text=True)
    assert 'value="pendek"' not in hidden


def test_a_later_registration_in_the_same_browser_does_not_steer_the_earlier_account(client, mailbox, make_account, app):
    register(client, email="pertama@contoh.id")
    make_account(email="budi@contoh.id", name="Budi Santoso")
    register(client, email="budi@contoh.id", name="Orang Lain")
    client.post("/daftar/ubah-email", data={"email": "ketiga@contoh.id"})
    with app.app_context():
        assert Account.by_email("pertama@contoh.id") is not None  # untouched by the change of address
        assert Account.by_email("ketiga@contoh.id") is None


def test_an_account_exists_email_names_the_real_owner(client, mailbox, make_account, app):
    make_account(email="budi@contoh.id", name="Budi Santoso")
    register(client, email="salah@contoh.id", name="Ani Lestari")
    client.post("/daftar/ubah-email", data={"email": "budi@contoh.id"})
    _shift_email_log(app, seconds=61)
    client.post("/daftar/kirim-ulang")  # the resend goes to the address now shown: Budi's
    messages = mailbox.to("budi@contoh.id")
    assert len(messages) == 2
    for message in messages:
        assert "Budi Santoso" in body(message) and "Ani" not in body(message)

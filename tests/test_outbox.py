"""The outbox: every email and SMS is a sealed row written with its change, delivered from the queue at least once."""

import logging
import re
import sqlite3
import threading
from datetime import datetime, timedelta

import pytest
from huey.storage import RedisStorage

from conftest import PASSWORD, PG_URL, body, free_port, link_in
from portal import outbox
from portal.jobs import huey
from portal.models import Account, Application, OutboxMessage, db, utcnow
from portal.sealing import open_sealed
from portal.sms import send_sms
from queue_support import queue_in, sqlite_queue, work
from wizard_support import PHONE, PHONE_E164, application_of, complete_sections

NUMBER = "+6281298765432"
TEXT = "Kode Prakerja Anda: 482913. Jangan berikan kode ini kepada siapa pun."


def register(client, email):
    return client.post("/daftar", data={"full_name": "Rina Kusuma", "email": email, "password": PASSWORD})


def test_a_message_is_sealed_until_sent_then_blanked(app, client, tmp_path, mailbox):
    with queue_in(sqlite_queue(tmp_path / "huey.db")) as queue:
        assert register(client, "rina@contoh.id").status_code == 303
        with app.app_context():
            message = OutboxMessage.get()
            assert (message.channel, message.kind, message.sent_at) == ("email", "verify_email", None)
            assert "rina@contoh.id" not in message.payload and "/verifikasi/" not in message.payload
            assert '"to": "rina@contoh.id"' in open_sealed("outbox", message.payload)
            assert message.queued_at is not None and mailbox.to("rina@contoh.id", timeout=0) == []
            work(queue)
            message = OutboxMessage.get()
            assert message.sent_at and message.payload == "" and message.attempts == 1
    [email] = mailbox.to("rina@contoh.id")
    assert "/verifikasi/" in body(email)


def test_no_code_or_link_token_sits_readable_in_any_database_file(app, applicant, tmp_path, mailbox, sms):
    """Item 7: after a run of sends the WAL of the emptied queue held 91 codes and 8 live link tokens."""
    from test_photos_phone import age_sms

    start = pg_position() if PG_URL else None
    # An open reader keeps the SQLite WAL from being folded back and deleted, as in a running portal.
    keeper = sqlite3.connect(":memory:" if PG_URL else tmp_path / "portal.db")
    keeper.execute("SELECT count(*) FROM sqlite_master").fetchone()
    with queue_in(sqlite_queue(tmp_path / "huey.db")) as queue:
        stranger = app.test_client()
        register(stranger, "rina@contoh.id")
        stranger.post("/lupa-sandi", data={"email": "ani@contoh.id"})
        applicant.post("/pendaftaran/nomor-hp", data={"phone": PHONE})
        for _ in range(2):
            age_sms(app, 61)
            applicant.post("/pendaftaran/nomor-hp/kirim-ulang")
        with app.app_context():
            assert work(queue) == 5 and queue.pending_count() == 0
            assert [m.payload for m in OutboxMessage.select()] == [""] * 5
    texts = sms.texts_to(PHONE_E164)
    secrets = [link_in(mailbox.to("rina@contoh.id")[0], "/verifikasi/").rsplit("/", 1)[1],
               link_in(mailbox.to("ani@contoh.id")[0], "/atur-sandi/").rsplit("/", 1)[1]]
    secrets += texts + [re.search(r"Anda: \d{6}", text).group(0) for text in texts]
    assert len(texts) == 3 and applicant.post("/pendaftaran/nomor-hp/kode", data={"code": texts[-1]}).status_code == 303

    files = sorted(tmp_path.glob("*.db*"))
    assert {f.name for f in files} >= {"huey.db", "huey.db-wal"} | (set() if PG_URL else {"portal.db-wal"})
    files += pg_files(start) if PG_URL else []
    for path in files:
        data = path.read_bytes()
        for secret in secrets:
            assert secret.encode() not in data, f"{secret!r} readable in {path}"
    keeper.close()


def pg_position():
    with db.connection_context():
        return db.execute_sql("SELECT pg_current_wal_lsn()").fetchone()[0]


def pg_files(start):
    """PostgreSQL's files that a run of sends wrote: the outbox table (and its TOAST) and the WAL since `start`."""
    from pathlib import Path

    with db.connection_context():
        db.execute_sql("CHECKPOINT")
        run = lambda sql: db.execute_sql(sql).fetchone()[0]  # noqa: E731
        data = Path(run("SHOW data_directory"))
        tables = [run("SELECT pg_relation_filepath('outbox_message')"),
                  run("SELECT pg_relation_filepath(reltoastrelid) FROM pg_class WHERE relname = 'outbox_message'")]
        first, last = run(f"SELECT pg_walfile_name('{start}')"), run("SELECT pg_walfile_name(pg_current_wal_lsn())")
    wal = [p for p in sorted((data / "pg_wal").iterdir()) if first <= p.name <= last and len(p.name) == 24]
    return [data / t for t in tables if t] + wal


@pytest.mark.parametrize("outage", ["sqlite queue locked", "redis down"])
def test_a_queue_outage_never_fails_registering_or_sending(app, applicant, tmp_path, sms, mailbox, caplog, outage):
    """Item 13: with the queue's database locked, registering and sending each answered 500 and no email came."""
    complete_sections(applicant, sms)
    sms.clear()
    if outage == "redis down":
        broken = RedisStorage("portal", url=f"redis://127.0.0.1:{free_port()}/0")
    else:
        broken = sqlite_queue(tmp_path / "huey.db", timeout=0.2)
        holder = broken.conn.__class__(str(tmp_path / "huey.db"), isolation_level=None)
        holder.execute("BEGIN EXCLUSIVE")  # another process holds the queue's database (25 s in the report)
    caplog.set_level(logging.WARNING)
    with queue_in(broken):
        assert register(app.test_client(), "rina@contoh.id").headers["Location"] == "/daftar/cek-email"
        sent = applicant.post("/pendaftaran/periksa", data={"declaration": "y"})
        assert sent.headers["Location"] == "/pendaftaran/terkirim"
    with app.app_context():
        assert Account.get_or_none(Account.email == "rina@contoh.id") is not None
        assert Application.get().status == "submitted"
        waiting = list(OutboxMessage.select().where(OutboxMessage.sent_at.is_null()))
        assert [(m.kind, m.queued_at) for m in waiting] == [("verify_email", None), ("application_sent", None),
                                                            ("application_sent", None)]
    assert caplog.text.count("not queued") == 3 and mailbox.to("rina@contoh.id", timeout=0) == [] and sms.requests == []

    if outage == "sqlite queue locked":
        holder.rollback()
    with queue_in(sqlite_queue(tmp_path / "later.db")) as queue, app.app_context():  # the queue is back
        assert len(outbox.sweep()) == 3
        assert work(queue) == 3
    reference = application_of(app).reference
    assert len(mailbox.to("rina@contoh.id")) == 1
    assert [reference in m["Subject"] for m in mailbox.to("ani@contoh.id")] == [True]
    assert [reference in text for text in sms.texts_to(PHONE_E164)] == [True]


def test_a_change_rolled_back_sends_nothing(app, sms):
    with app.test_request_context():
        with pytest.raises(ZeroDivisionError):
            with db.atomic():
                send_sms(NUMBER, TEXT)
                raise ZeroDivisionError  # the change fails after its SMS was written
    with app.app_context():
        assert OutboxMessage.select().count() == 0
    assert sms.requests == []


def test_workers_racing_for_one_message_send_it_once(app, tmp_path, sms):
    sms.delay = 0.3
    with queue_in(sqlite_queue(tmp_path / "huey.db")) as queue, app.app_context():
        send_sms(NUMBER, TEXT)
        message_id = OutboxMessage.get().id
        outbox.queue([message_id] * 3)  # the sweep and a restarted consumer may queue it again
        assert queue.pending_count() == 4
    barrier = threading.Barrier(4)

    def worker():
        with app.app_context(), db.connection_context():
            barrier.wait()
            outbox.deliver(message_id)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sms.texts_to(NUMBER) == [TEXT]
    with queue_in(sqlite_queue(tmp_path / "huey.db")) as queue, app.app_context():
        assert work(queue) == 4 and sms.texts_to(NUMBER) == [TEXT]  # the jobs left find it sent


def test_retries_and_their_delay_come_from_the_settings(app, sms, caplog):
    """Item 12: the real task, queued as the app queues it, with OUTBOX_RETRIES and OUTBOX_RETRY_DELAY."""
    app.config.update(OUTBOX_RETRIES=2, OUTBOX_RETRY_DELAY=7)
    sms.fail(100)
    with app.app_context():
        huey.flush()
        send_sms(NUMBER, TEXT)
        [retry] = huey.scheduled()
        assert retry.name == "deliver_message" and retry.retries == 1 and retry.retry_delay == 7
        assert 6 <= (retry.eta - datetime.utcnow()).total_seconds() <= 7
        assert work(huey) == 2
        message = OutboxMessage.get()
        assert (message.attempts, message.sent_at, message.last_error) == (3, None, "SmsDeliveryError")
        assert outbox.sweep() == []  # given up: left for an operator, not tried for ever
    assert len(sms.requests) == 3 and "not sent after 3 attempts: SmsDeliveryError" in caplog.text
    assert "482913" not in caplog.text


def test_the_sweep_queues_only_what_was_lost(app, tmp_path):
    app.config.update(OUTBOX_LEASE_SECONDS=120, OUTBOX_RETRIES=5)
    now, long_ago = utcnow(), utcnow() - timedelta(seconds=121)
    states = {
        "never queued (a crash after the commit)": {},
        "queued long ago, never taken (a lost job)": {"queued_at": long_ago},
        "claimed by a worker that died": {"queued_at": long_ago, "claimed_until": now - timedelta(seconds=1),
                                          "attempts": 1},
        "queued a moment ago": {"queued_at": now},
        "being sent": {"queued_at": long_ago, "claimed_until": now + timedelta(seconds=60), "attempts": 1},
        "retry due later": {"queued_at": now + timedelta(seconds=30), "attempts": 1},
        "sent": {"queued_at": long_ago, "sent_at": now, "attempts": 1},
        "given up": {"queued_at": long_ago, "attempts": 6},
    }
    with queue_in(sqlite_queue(tmp_path / "huey.db")) as queue, app.app_context():
        ids = {name: OutboxMessage.create(channel="sms", kind="otp", payload="x", **row).id
               for name, row in states.items()}
        swept = outbox.sweep()
        assert sorted(swept) == sorted(ids[name] for name in list(states)[:3])
        assert sorted(job.args[0] for job in queue.pending()) == sorted(swept)
        assert outbox.sweep() == []  # queued now: the next sweep leaves them to the queue

"""Applicants hear of their record being returned, ratified, confirmed or rejected: one email and one SMS per
record, written with the move, in bulk for big moves (sent by the queue, not the request), never twice."""

import time

import pytest

from conftest import body
from portal import outbox
from portal.domain import DomainError
from portal.jobs import huey
from portal.models import Account, Application, OutboxMessage, utcnow
from portal.services import notices
from portal.services.status import transition, transition_many
from queue_support import work
from walkin_support import walkin


def sent(sms, mailbox, record, email):
    """(emails to `email`, SMS texts to the record's number) delivered so far."""
    return mailbox.to(email, timeout=0.5) if email else [], sms.texts_to(record.phone) if record.phone else []


def test_a_returned_record_tells_its_applicant_why_and_how_to_check(app, make_staff, mailbox, sms):
    reviewer = make_staff("reviewer")
    record = walkin(app, "closed", email="siti@contoh.id")
    with app.app_context():
        transition(record, reviewer, "returned", reason="incomplete", note="Alamat domisili kosong")
    [email], [text] = sent(sms, mailbox, record, "siti@contoh.id")
    assert record.reference in email["Subject"] and "Dikembalikan ke kantor" in email["Subject"]
    words = body(email)
    assert f"Halo {record.full_name}," in words and "Alasan: Data belum lengkap" in words
    assert "http://localhost/status" in words and "Alamat domisili kosong" not in words  # the note stays inside
    assert text.startswith(f"Prakerja {record.reference}: Dikembalikan ke kantor.") and "http://localhost/status" in text
    assert "Alasan: Data belum lengkap" in text


@pytest.mark.parametrize("reason", sorted(notices.status.REJECT_REASONS))
def test_every_rejection_sms_fits_one_message(app, make_staff, sms, reason):
    pmo = make_staff("pmo")
    record = walkin(app, "ratified")
    with app.app_context():
        transition(record, pmo, "rejected", reason=reason)
    [text] = sms.texts_to(record.phone)
    assert len(text) <= 160 and text.startswith(f"Prakerja {record.reference}: Ditolak.")


def test_moves_applicants_need_not_hear_of_send_nothing(app, make_staff, mailbox, sms):
    reviewer = make_staff("reviewer")
    record = walkin(app, "closed", email="siti@contoh.id")
    with app.app_context():
        transition(record, reviewer, "accepted")
        assert OutboxMessage.select().count() == 0


def test_a_claimed_record_writes_to_the_account_and_a_record_without_a_number_gets_email_only(
        app, make_staff, make_account, mailbox, sms):
    pmo = make_staff("pmo")
    account = make_account(email="siti.baru@contoh.id")
    claimed = walkin(app, "ratified", email="lama@contoh.id", account=account)
    no_number = walkin(app, "ratified", email="tanpa.hp@contoh.id", phone=None)
    no_email = walkin(app, "ratified")
    with app.app_context():
        for record in (claimed, no_number, no_email):
            transition(record, pmo, "confirmed")
        kinds = [(m.channel, m.kind) for m in OutboxMessage.select().order_by(OutboxMessage.id)]
    assert kinds == [("email", "status_changed"), ("sms", "status_changed"), ("email", "status_changed"),
                     ("sms", "status_changed")]
    [confirmed] = mailbox.to("siti.baru@contoh.id")
    assert "http://localhost/klaim" in body(confirmed) and mailbox.to("lama@contoh.id", timeout=0.3) == []
    assert len(mailbox.to("tanpa.hp@contoh.id")) == 1
    assert len(sms.texts_to(claimed.phone)) == 1 and len(sms.texts_to(no_email.phone)) == 1


def test_a_move_retried_or_refused_sends_nothing_more(app, make_staff, mailbox, sms):
    pmo = make_staff("pmo")
    record = walkin(app, "ratified", email="siti@contoh.id")
    with app.app_context():
        stale = Application.get_by_id(record.id)
        transition(record, pmo, "confirmed")
        with pytest.raises(DomainError):
            transition(stale, pmo, "confirmed")  # a double click, a second PMO user
        with pytest.raises(DomainError):
            transition(Application.get_by_id(record.id), pmo, "rejected", reason="other")
    emails, texts = sent(sms, mailbox, record, "siti@contoh.id")
    assert len(emails) == 1 and len(texts) == 1


def test_a_gateway_failure_is_retried_and_the_applicant_gets_one_sms(app, make_staff, sms):
    pmo = make_staff("pmo")
    record = walkin(app, "ratified")
    sms.fail(2)
    with app.app_context():
        huey.flush()
        transition(record, pmo, "confirmed")
        outbox.flush()  # what the end of the request does: queue what the move wrote
        work(huey)
        message = OutboxMessage.get()
        assert message.sent_at is not None and message.attempts == 3
        assert outbox.sweep() == []
    # The fake gateway records every request: two refused, then the one it accepted.
    assert len(sms.texts_to(record.phone)) == 3 and len(set(sms.texts_to(record.phone))) == 1


def test_a_big_ratification_writes_its_messages_in_bulk_and_leaves_sending_to_the_queue(
        app, make_staff, mailbox, sms):
    reviewer = make_staff("reviewer")
    records = [walkin(app, "accepted", email=f"orang{n}@contoh.id") for n in range(40)]
    with app.app_context():
        started = time.monotonic()
        moved = transition_many(Application.select(), reviewer, "accepted", "ratified")
        assert len(moved) == 40 and time.monotonic() - started < 5
        rows = list(OutboxMessage.select())
        assert len(rows) == 80 and all(r.sent_at is None and r.queued_at is None for r in rows)
        assert sms.requests == [] and mailbox.to("orang0@contoh.id", timeout=0.2) == []
        # Ratifying again (a retried request) moves nothing and writes nothing.
        assert transition_many(Application.select(), reviewer, "accepted", "ratified") == []
        assert OutboxMessage.select().count() == 80
        assert len(outbox.sweep()) == 80  # the sweep (every minute) hands them to the workers
        assert outbox.sweep() == []
        assert OutboxMessage.select().where(OutboxMessage.sent_at.is_null()).count() == 0
    for n, record in enumerate(records):
        [email] = mailbox.to(f"orang{n}@contoh.id")
        assert record.reference in email["Subject"] and "Ditetapkan" in email["Subject"]
        [text] = sms.texts_to(record.phone)
        assert record.reference in text and "Ditetapkan" in text


def test_a_move_rolled_back_leaves_no_message(app, make_staff, sms):
    from portal.models import db

    pmo = make_staff("pmo")
    record = walkin(app, "ratified")
    with app.app_context():
        with pytest.raises(ZeroDivisionError):
            with db.atomic():
                transition(record, pmo, "confirmed")
                raise ZeroDivisionError
        assert OutboxMessage.select().count() == 0 and Application.get_by_id(record.id).status == "ratified"
    assert sms.requests == []

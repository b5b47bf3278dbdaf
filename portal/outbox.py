"""The transactional outbox: every email and SMS is a row written in the transaction of the change that causes it.

post() writes the row, with its recipient and text sealed. Once that transaction has committed, the row's id
goes on the Huey queue; a worker claims the row, sends it, marks it sent and blanks its text. A failed send
is tried again OUTBOX_RETRIES times, OUTBOX_RETRY_DELAY seconds apart. If queueing fails (the queue's
database locked, Redis down) the request still succeeds: the row is committed, and the sweep queues it later.

Delivery is at least once. Two live workers never send one row, because each must first claim it with a
conditional UPDATE that only one can win. A message goes twice only if its worker dies, or stalls longer
than OUTBOX_LEASE_SECONDS, after the mail server or SMS gateway accepted it and before the row was marked
sent: the claim then expires and the sweep sends it again. Nothing can close that window, because the
carrier and our database cannot commit together; the lease keeps it to crashes.
"""

import json
from datetime import timedelta

from flask import current_app, g

from portal.jobs import deliver_message
from portal.models import OutboxMessage as Message
from portal.models import db, utcnow
from portal.sealing import open_sealed, seal, sealer

SEAL = "outbox"


def post(channel, kind, **content):
    """Write a message to send; it is queued when the current transaction has ended, or at once outside one."""
    message = Message.create(channel=channel, kind=kind, payload=seal(SEAL, json.dumps(content)))
    if db.in_transaction():
        g.setdefault("outbox_pending", []).append(message.id)
    else:
        queue([message.id])
    return message


def post_many(messages, send=True):
    """Write many messages, (channel, kind, content) each, in bulk; queued like post()'s when `send`, else
    left to the sweep (a change to thousands of records sends nothing from the request that made it)."""
    box, now = sealer(SEAL), utcnow()
    rows = [(channel, kind, box(json.dumps(content)), now) for channel, kind, content in messages]
    fields = [Message.channel, Message.kind, Message.payload, Message.created_at]
    ids = []
    for start in range(0, len(rows), 1000):
        insert = Message.insert_many(rows[start:start + 1000], fields=fields).returning(Message.id)
        ids.extend(row.id for row in insert.execute())
    if send and ids:
        if db.in_transaction():
            g.setdefault("outbox_pending", []).extend(ids)
        else:
            queue(ids)
    return ids


def flush(exc=None):
    """Queue the messages posted inside transactions during this request or app context (a teardown handler).

    It runs after the view, when those transactions have ended. A message whose transaction was rolled
    back is not in the table, and its job finds nothing to send.
    """
    pending = g.pop("outbox_pending", None)
    if pending:
        queue(pending)


def init_app(app):
    # Registered after the database's teardown, so it runs before it, while the request's connection is open.
    app.teardown_request(flush)
    app.teardown_appcontext(flush)


def queue(message_ids):
    """Put a delivery job for each message on the queue; a message that cannot go on it is left to the sweep."""
    config = current_app.config
    queued = []
    for message_id in message_ids:
        try:
            deliver_message(message_id, retries=config["OUTBOX_RETRIES"], retry_delay=config["OUTBOX_RETRY_DELAY"])
        except Exception as error:  # the queue's own failure, whatever it is: the change stands, the row waits
            current_app.logger.warning("outbox message %d not queued (%s); the sweep will queue it",
                                       message_id, type(error).__name__)
        else:
            queued.append(message_id)
    if queued:
        Message.update(queued_at=utcnow()).where(Message.id.in_(queued), Message.sent_at.is_null()).execute()


def deliver(message_id):
    """Claim a message, send it, then mark it sent and blank its text; a failed send raises so that Huey retries."""
    config = current_app.config
    now = utcnow()
    claimed = (
        Message.update(attempts=Message.attempts + 1,
                       claimed_until=now + timedelta(seconds=config["OUTBOX_LEASE_SECONDS"]))
        .where(Message.id == message_id, Message.sent_at.is_null(), Message.attempts <= config["OUTBOX_RETRIES"],
               Message.claimed_until.is_null() | (Message.claimed_until <= now))
        .execute()
    )
    if not claimed:
        return  # sent already, being sent by another worker, given up, or rolled back with its change
    message = Message.get_by_id(message_id)
    try:
        carrier(message.channel)(**json.loads(open_sealed(SEAL, message.payload)))
    except Exception as error:  # any carrier failure; only its class is kept, as its text may quote the message
        retry_at = utcnow() + timedelta(seconds=config["OUTBOX_RETRY_DELAY"])
        (Message.update(claimed_until=None, queued_at=retry_at, last_error=type(error).__name__[:100])
         .where(Message.id == message_id).execute())
        if message.attempts > config["OUTBOX_RETRIES"]:
            current_app.logger.error("outbox message %d (%s %s) not sent after %d attempts: %s", message_id,
                                     message.channel, message.kind, message.attempts, type(error).__name__)
            return
        raise
    # The at-least-once window: a crash between the carrier's acceptance above and this write.
    (Message.update(sent_at=utcnow(), payload="", claimed_until=None, last_error="")
     .where(Message.id == message_id).execute())


def sweep():
    """Queue again every message that is unsent, unclaimed and not queued within OUTBOX_LEASE_SECONDS."""
    config = current_app.config
    now = utcnow()
    stale = now - timedelta(seconds=config["OUTBOX_LEASE_SECONDS"])
    ids = [row.id for row in Message.select(Message.id).where(
        Message.sent_at.is_null(), Message.attempts <= config["OUTBOX_RETRIES"],
        Message.claimed_until.is_null() | (Message.claimed_until <= now),
        Message.queued_at.is_null() | (Message.queued_at <= stale),
    ).order_by(Message.id)]
    if ids:
        current_app.logger.info("outbox sweep: queueing %d unsent messages again", len(ids))
        queue(ids)
    return ids


def carrier(channel):
    """The function that hands a message of this channel to the mail server or the SMS gateway."""
    from portal import email, sms  # both post through this module, so they are imported when first needed

    return {"email": email.deliver, "sms": sms.deliver}[channel]

"""The outbox: every email and SMS a change causes, written in the change's transaction and sent from the queue."""

from peewee import AutoField, CharField, DateTimeField, IntegerField, TextField

from portal.models.base import BaseModel, utcnow


class OutboxMessage(BaseModel):
    """One email or SMS to deliver; its recipient and text are sealed, and blanked once it is sent."""

    id = AutoField()
    channel = CharField(max_length=10)  # "email" or "sms"
    kind = CharField(max_length=30)  # the email template or the SMS's purpose, for the operator; never personal
    # portal.sealing.seal("outbox", ...) of the recipient and text: a copy of the database reveals no code or link.
    payload = TextField()
    created_at = DateTimeField(default=utcnow)
    # When a delivery job for it was last put on the queue (or, after a failure, when Huey's retry is due);
    # null = never queued. The sweep queues it again when this is older than OUTBOX_LEASE_SECONDS.
    queued_at = DateTimeField(null=True)
    # Set while one worker sends it, so no other worker sends it too; expires if that worker dies.
    claimed_until = DateTimeField(null=True)
    attempts = IntegerField(default=0)
    sent_at = DateTimeField(null=True, index=True)
    last_error = CharField(max_length=100, default="")  # the exception's class name only: messages may quote data

    class Meta:
        table_name = "outbox_message"

"""Accounts (people who log in) and the emails sent to them."""

from flask_login import UserMixin
from peewee import AutoField, CharField, DateTimeField, DeferredForeignKey, ForeignKeyField

from portal.models.base import BaseModel, utcnow


class Account(UserMixin, BaseModel):
    """A person who logs in: an applicant, or staff (portal.roles) who may belong to an office."""

    id = AutoField()
    # Stored lower-cased so that one address has one account whatever its spelling.
    email = CharField(max_length=254, unique=True)
    full_name = CharField(max_length=100)
    password_hash = CharField(max_length=255)
    role = CharField(max_length=20, default="applicant")
    email_verified_at = DateTimeField(null=True)
    created_at = DateTimeField(default=utcnow)
    last_login_at = DateTimeField(null=True)
    # Officers and supervisors belong to an office; applicants and ministry-wide staff do not. Deferred
    # because Office lives in models.staff, which refers back to Account.
    office = DeferredForeignKey("Office", null=True, backref="staff", on_delete="RESTRICT")
    # Staff accounts are deactivated, never deleted: the audit log keeps pointing at them.
    deactivated_at = DateTimeField(null=True)
    # The language the owner uses the portal in (portal.languages): their notices are written in it.
    language = CharField(max_length=5, default="id")

    class Meta:
        table_name = "account"

    @property
    def is_active(self):
        """Flask-Login refuses to log in an inactive account."""
        return self.deactivated_at is None

    @property
    def is_verified(self):
        return self.email_verified_at is not None

    @classmethod
    def by_email(cls, email):
        """The account for an address in any letter case, or None."""
        return cls.get_or_none(cls.email == email.strip().lower())


class EmailLog(BaseModel):
    """One row per email sent, for resend cooldowns and hourly caps."""

    id = AutoField()
    account = ForeignKeyField(Account, null=True, backref="emails", on_delete="CASCADE")
    to_address = CharField(max_length=254, index=True)
    kind = CharField(max_length=30)
    created_at = DateTimeField(default=utcnow, index=True)

    class Meta:
        table_name = "email_log"

    @classmethod
    def recent(cls, to_address, kinds, since):
        """Emails of the given kinds sent to an address since a time, newest first."""
        return (
            cls.select()
            .where(cls.to_address == to_address, cls.kind.in_(kinds), cls.created_at >= since)
            .order_by(cls.created_at.desc())
        )

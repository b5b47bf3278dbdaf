"""Login sessions, kept on the server so that logging out, a password reset or the idle limit really ends them."""

from peewee import AutoField, BooleanField, CharField, DateTimeField, ForeignKeyField

from portal.models.accounts import Account
from portal.models.base import BaseModel, utcnow


class LoginSession(BaseModel):
    """One login in one browser: the signed cookie carries a random key, this row only its SHA-256."""

    id = AutoField()
    account = ForeignKeyField(Account, backref="login_sessions", on_delete="CASCADE")
    key_hash = CharField(max_length=64, unique=True)
    created_at = DateTimeField(default=utcnow)
    # Moved forward at most once a minute (SESSION_TOUCH_SECONDS), so most page views do not write.
    last_seen_at = DateTimeField(default=utcnow, index=True)
    # Started at the staff entrance (/petugas): its own idle limit, and it signs in again there.
    staff = BooleanField(default=False)
    # Staff sign-in sets this once the second factor is checked; applicants never need it.
    second_factor_at = DateTimeField(null=True)

    class Meta:
        table_name = "login_session"

    @classmethod
    def end_all(cls, account):
        """End every session of an account, in every browser: each is logged out at its next request."""
        return cls.delete().where(cls.account == account.id).execute()

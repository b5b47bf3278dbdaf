"""Manpower offices, staff second factors and recovery codes, and the hash-chained audit log."""

from peewee import (
    AutoField, BigIntegerField, CharField, DateTimeField, ForeignKeyField, IntegerField, TextField,
)

from portal.models.accounts import Account
from portal.models.base import BaseModel, utcnow

# Kinds of office that take walk-ins (Perpres 76/2020 art. 10): the ministry itself, or a provincial or
# regency/city manpower office (Dinas Ketenagakerjaan).
OFFICE_KINDS = ("kemnaker", "province", "regency")


class Office(BaseModel):
    """Kemnaker or a Disnaker; officers and supervisors belong to one and see only its records."""

    id = AutoField()
    code = CharField(max_length=20, unique=True)  # short and stable, typed on the command line: "DISNAKER-3201"
    name = CharField(max_length=120)
    kind = CharField(max_length=10)  # one of OFFICE_KINDS
    # Kemendagri code of the area it serves: "32" for a province, "32.01" for a regency; "" for Kemnaker.
    region_code = CharField(max_length=13, default="")
    created_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "office"

    def __str__(self):
        return self.name


class SecondFactor(BaseModel):
    """A staff member's authenticator (TOTP, RFC 6238): the secret sealed at rest, and the last step used."""

    id = AutoField()
    account = ForeignKeyField(Account, unique=True, backref="second_factors", on_delete="CASCADE")
    secret_sealed = TextField()  # portal.sealing.seal("totp", base32 secret)
    enrolled_at = DateTimeField(null=True)  # null until the first code confirms the app holds the secret
    # The 30-second time step of the last accepted code: a code is accepted only for a later step,
    # so one seen over a shoulder cannot be used again (RFC 6238 section 5.2).
    last_step = BigIntegerField(default=0)
    created_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "second_factor"


class RecoveryCode(BaseModel):
    """One of a staff member's ten single-use codes for when the authenticator is lost; stored as a keyed hash."""

    id = AutoField()
    account = ForeignKeyField(Account, backref="recovery_codes", on_delete="CASCADE")
    code_hash = CharField(max_length=64)
    used_at = DateTimeField(null=True)
    created_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "recovery_code"


class AuditEntry(BaseModel):
    """One staff action, chained to the entry before it by hash (see portal.services.audit for the form).

    Holds ids and field names only, never a personal value. Rows are only ever inserted.
    """

    id = AutoField()
    # 1, 2, 3... in chain order; unique, so two writers can never both append after the same entry.
    seq = BigIntegerField(unique=True)
    created_at = DateTimeField(default=utcnow)
    # Plain ids, not foreign keys: the log must outlive any row it mentions and never cascade.
    actor_id = IntegerField(null=True)  # null for the command line
    actor_role = CharField(max_length=20)
    office_id = IntegerField(null=True)
    action = CharField(max_length=40)
    target_type = CharField(max_length=30, default="")
    target_id = CharField(max_length=40, default="")
    fields = TextField(default="")  # names of the fields changed, comma-separated
    ip = CharField(max_length=45, default="")
    prev_hash = CharField(max_length=64)
    hash = CharField(max_length=64)

    class Meta:
        table_name = "audit_entry"
        indexes = ((("target_type", "target_id"), False),)

    def save(self, force_insert=False, only=None):
        """Entries are inserted once (portal.services.audit.record) and never changed."""
        if not force_insert:
            raise TypeError("audit entries are append-only")
        return super().save(force_insert=True)

    def delete_instance(self, *args, **kwargs):
        raise TypeError("audit entries are append-only")

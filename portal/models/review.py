"""The ministry's side of walk-in batches: records as received, quotas per province and period, decrees."""

from peewee import AutoField, CharField, DateField, DateTimeField, ForeignKeyField, IntegerField

from portal.models.accounts import Account
from portal.models.applications import Application
from portal.models.base import BaseModel, utcnow
from portal.models.batches import Batch


class Quota(BaseModel):
    """How many walk-ins of a province (by KTP address) may be ratified in a period; set by the administrator."""

    id = AutoField()
    province_code = CharField(max_length=2)  # Kemendagri province code, "32"
    starts_on = DateField()
    ends_on = DateField()  # inclusive
    amount = IntegerField()
    updated_by = ForeignKeyField(Account, null=True, backref="quotas_set", on_delete="RESTRICT")
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "quota"
        indexes = ((("province_code", "starts_on"), True),)


class ReceivedRecord(BaseModel):
    """A record as the ministry received it: the SHA-256 of its canonical row when the batch's manifest matched.

    Later checks compare each record still under decision with this, so an edit after receipt is caught even
    once returned records have gone back to their office (and so changed the batch as a whole).
    """

    id = AutoField()
    batch = ForeignKeyField(Batch, backref="received", on_delete="RESTRICT")
    application = ForeignKeyField(Application, backref="receipts", on_delete="RESTRICT")
    row_sha256 = CharField(max_length=64)

    class Meta:
        table_name = "received_record"
        indexes = ((("batch", "application"), True),)


class Ratification(BaseModel):
    """One decree (surat keputusan) ratifying the accepted records of a batch that fit their quotas."""

    id = AutoField()
    batch = ForeignKeyField(Batch, backref="ratifications", on_delete="RESTRICT")
    decree_number = CharField(max_length=60)
    decree_date = DateField()  # also picks the quota period
    ratified_by = ForeignKeyField(Account, backref="ratifications", on_delete="RESTRICT")
    ratified_at = DateTimeField(default=utcnow)
    ratified_count = IntegerField(default=0)
    waiting_count = IntegerField(default=0)  # accepted records left waiting: over their quota
    # SHA-256 of the ratified list's canonical export (portal.rules.manifest), printed on the list.
    manifest_sha256 = CharField(max_length=64, default="")

    class Meta:
        table_name = "ratification"


class RatificationEntry(BaseModel):
    """A record a decree ratified, and the province whose quota it used."""

    id = AutoField()
    ratification = ForeignKeyField(Ratification, backref="entries", on_delete="RESTRICT")
    application = ForeignKeyField(Application, unique=True, backref="ratification_entries", on_delete="RESTRICT")
    province_code = CharField(max_length=2)

    class Meta:
        table_name = "ratification_entry"

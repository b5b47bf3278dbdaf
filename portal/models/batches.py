"""An office's batches of walk-in records (pengumpulan kolektif) and the NIK disputes recorded at its desk."""

from peewee import SQL, AutoField, CharField, DateTimeField, ForeignKeyField, IntegerField, TextField

from portal.models.accounts import Account
from portal.models.base import BaseModel, utcnow
from portal.models.staff import Office


class Batch(BaseModel):
    """Walk-ins an office collects and sends together (Perpres 76/2020 art. 10; DESIGN.md 2.2 step 5).

    Open while the office adds records; closed (frozen, with its manifest) by a second person; then decided
    on by the ministry. States: "open", "closed", then those the ministry chain adds.
    """

    id = AutoField()
    office = ForeignKeyField(Office, backref="batches", on_delete="RESTRICT")
    number = IntegerField()  # 1, 2, 3... within its office
    status = CharField(max_length=20, default="open")
    # The office's id while the batch is open, null after: unique, so an office has one open batch at most.
    open_slot = IntegerField(null=True, unique=True)
    opened_at = DateTimeField(default=utcnow)
    closed_at = DateTimeField(null=True)
    closed_by = ForeignKeyField(Account, null=True, backref="batches_closed", on_delete="RESTRICT")
    # Fixed at closing: how many records, and SHA-256 over their canonical export (printed on every document).
    record_count = IntegerField(null=True)
    manifest_sha256 = CharField(max_length=64, null=True)
    # The number printed on the statement of data truth and the handover record (BAST).
    document_number = CharField(max_length=40, null=True)

    class Meta:
        table_name = "batch"
        indexes = ((("office", "number"), True),)


class NikDispute(BaseModel):
    """A person whose NIK is held by someone else's online application, shown with the original e-KTP at a desk.

    Nothing of the other application is shown to the office; the PMO resolves the dispute (issue 10).
    """

    id = AutoField()
    nik = CharField(max_length=16, index=True)
    claimant_name = CharField(max_length=100)
    contact_phone = CharField(max_length=16)  # E.164
    note = TextField(default="")
    office = ForeignKeyField(Office, backref="nik_disputes", on_delete="RESTRICT")
    recorded_by = ForeignKeyField(Account, backref="nik_disputes_recorded", on_delete="RESTRICT")
    created_at = DateTimeField(default=utcnow)
    status = CharField(max_length=10, default="open")  # "open" or "resolved"
    resolution = CharField(max_length=20, null=True)
    resolution_note = TextField(null=True)
    resolved_by = ForeignKeyField(Account, null=True, backref="nik_disputes_resolved", on_delete="RESTRICT")
    resolved_at = DateTimeField(null=True)

    class Meta:
        table_name = "nik_dispute"


# At most one open dispute per NIK, however many desks record one at once; resolved ones stay as the record
# (migration 0028).
NikDispute.add_index(NikDispute.index(NikDispute.nik, unique=True, where=SQL("status = 'open'"),
                                      name="nik_dispute_one_open"))

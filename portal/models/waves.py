"""Waves (gelombang), their per-province quotas, the entries applicants make, and statement letters.

Times are stored as naive UTC like every other timestamp; screens show them in Asia/Jakarta (WIB).
"""

from peewee import SQL, AutoField, CharField, DateTimeField, ForeignKeyField, IntegerField, TextField

from portal.models.accounts import Account
from portal.models.applications import Application
from portal.models.base import BaseModel, utcnow


class Wave(BaseModel):
    """One wave: open for joining between opens_at and closes_at, then selection fills its quota by a draw.

    Its state follows from the times and stamps: scheduled, open, closed, selected (selection run, outcomes
    on the entries), results sent. The seed is fixed when selection first runs and published with the results.
    """

    id = AutoField()
    number = IntegerField(unique=True)
    opens_at = DateTimeField(index=True)
    closes_at = DateTimeField(index=True)
    quota = IntegerField()  # seats in total; per-province seats in WaveQuota come out of it
    seed = CharField(max_length=64, null=True)
    created_at = DateTimeField(default=utcnow)
    created_by = ForeignKeyField(Account, null=True, backref="waves_created", on_delete="RESTRICT")
    selected_at = DateTimeField(null=True)
    selected_by = ForeignKeyField(Account, null=True, backref="waves_selected", on_delete="RESTRICT")
    results_sent_at = DateTimeField(null=True)
    # The selection runs as a queued job (portal.services.selection_jobs): asked for, started, or failed.
    selection_requested_at = DateTimeField(null=True)
    selection_started_at = DateTimeField(null=True)
    selection_failed_at = DateTimeField(null=True)

    class Meta:
        table_name = "wave"


class WaveQuota(BaseModel):
    """Seats of a wave reserved for one province (two-digit Kemendagri code)."""

    id = AutoField()
    wave = ForeignKeyField(Wave, backref="province_quotas", on_delete="CASCADE")
    province = CharField(max_length=2)
    quota = IntegerField()

    class Meta:
        table_name = "wave_quota"
        indexes = ((("wave", "province"), True),)


class WaveEntry(BaseModel):
    """An application's entry in a wave; unique per wave and application, so a double join makes one row.

    Selection writes the outcome ("selected", "not_selected", "ineligible"), its reason key
    (portal.rules.screening), the priority tier, the draw key SHA-256(seed + reference) and the rank.
    """

    id = AutoField()
    wave = ForeignKeyField(Wave, backref="entries", on_delete="CASCADE")
    application = ForeignKeyField(Application, backref="wave_entries", on_delete="CASCADE")
    province = CharField(max_length=2)  # of the KTP address, for the per-province quota
    joined_at = DateTimeField(default=utcnow)  # also when the applicant confirmed their data is valid
    entered_by = ForeignKeyField(Account, null=True, backref="wave_entries_entered", on_delete="RESTRICT")
    outcome = CharField(max_length=12, null=True)
    reason = CharField(max_length=20, null=True)
    tier = IntegerField(null=True)
    draw_key = CharField(max_length=64, null=True)
    rank = IntegerField(null=True)
    notified_at = DateTimeField(null=True)

    class Meta:
        table_name = "wave_entry"
        indexes = ((("wave", "application"), True), (("wave", "province"), False))


class StatementLetter(BaseModel):
    """A signed statement letter (surat pernyataan) after three non-selections, reviewed by the PMO."""

    id = AutoField()
    application = ForeignKeyField(Application, backref="statement_letters", on_delete="CASCADE")
    status = CharField(max_length=10, default="pending")  # "pending", "approved" or "rejected"
    reason = TextField(null=True)  # why it was rejected, shown to the applicant
    image_key = CharField(max_length=80, null=True)
    thumb_key = CharField(max_length=80, null=True)
    created_at = DateTimeField(default=utcnow)
    decided_at = DateTimeField(null=True)
    decided_by = ForeignKeyField(Account, null=True, backref="letters_decided", on_delete="RESTRICT")

    class Meta:
        table_name = "statement_letter"


# The PMO's queue reads pending letters oldest first; one pending letter per applicant, however many uploads
# race (migration 0025).
StatementLetter.add_index(StatementLetter.status, StatementLetter.created_at)
StatementLetter.add_index(StatementLetter.index(StatementLetter.application, unique=True,
                                                where=SQL("status = 'pending'"),
                                                name="statement_letter_one_pending"))

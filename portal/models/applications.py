"""An application (both channels), its addresses and photos, and the SMS codes that verify its number."""

from peewee import (AutoField, BooleanField, CharField, DateField, DateTimeField, ForeignKeyField, IntegerField,
                    TextField, fn)

from portal.models.accounts import Account
from portal.models.base import BaseModel, utcnow
from portal.models.batches import Batch
from portal.models.prepared import Prepared
from portal.models.staff import Office


class Application(BaseModel):
    """One person's application to the programme, online (with an account) or walk-in (keyed by an officer).

    Both channels share this table and the state machine in portal.rules.status.
    """

    id = AutoField()
    # Null for a walk-in until the person claims an online account to follow it.
    account = ForeignKeyField(Account, null=True, unique=True, backref="applications", on_delete="CASCADE")
    channel = CharField(max_length=10, default="online")  # "online" or "walkin"
    status = CharField(max_length=20, default="draft")  # portal.rules.status
    # Why it is in its status, where the status needs one (a reason key of portal.rules.status), and a note.
    status_reason = CharField(max_length=30, null=True)
    status_note = TextField(null=True)
    status_changed_at = DateTimeField(null=True)
    # Crockford base32, given at submission: "PK-7G4M-2QXA".
    reference = CharField(max_length=12, null=True, unique=True)
    # One application per NIK (DESIGN.md 3): the unique index makes two racing saves end with one winner.
    nik = CharField(max_length=16, null=True, unique=True)
    birth_date = DateField(null=True)
    kk_number = CharField(max_length=16, null=True, index=True)
    sex = CharField(max_length=1, null=True)
    ktp_confirmed = BooleanField(default=False)
    full_name = CharField(max_length=100, null=True)
    birth_place = CharField(max_length=60, null=True)
    domicile_same = BooleanField(null=True)
    education = CharField(max_length=20, null=True)
    employment = CharField(max_length=20, null=True)
    not_in_education = BooleanField(null=True)
    not_excluded = BooleanField(null=True)
    aid = CharField(max_length=120, null=True)  # comma-separated keys of choices.GOVERNMENT_AID
    training_field = CharField(max_length=20, null=True)
    # The number being verified, and once the code is entered the same number here too; the unique index
    # keeps a number verified on one application only (DESIGN.md 3).
    phone = CharField(max_length=16, null=True)
    verified_phone = CharField(max_length=16, null=True, unique=True)
    # Walk-ins (DESIGN.md 2.2): the office and officer who keyed the paper form, its batch, an optional
    # email address, and the officer's two ticks (original e-KTP seen; applicant statement signed).
    office = ForeignKeyField(Office, null=True, backref="applications", on_delete="RESTRICT")
    entered_by = ForeignKeyField(Account, null=True, backref="applications_entered", on_delete="RESTRICT")
    batch = ForeignKeyField(Batch, null=True, backref="applications", on_delete="RESTRICT")
    contact_email = CharField(max_length=254, null=True)
    ktp_seen = BooleanField(default=False)
    statement_signed = BooleanField(default=False)
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)
    submitted_at = DateTimeField(null=True)

    class Meta:
        table_name = "application"

    @property
    def is_submitted(self):
        return self.status != "draft"

    def address(self, kind):
        """The address of a kind ("ktp" or "domicile"), or an unsaved empty one; loaded once per instance."""
        if not hasattr(self, "_addresses"):
            self._addresses = {a.kind: a for a in ADDRESSES_OF.rows(self.id)}
        return self._addresses.setdefault(kind, Address(application=self, kind=kind))

    def photo_total(self):
        """How many photos it has: counted with the row when the applicant's pages loaded it (in the same query:
        sessions.SESSION_ROW, services.applications.APPLICATION_OF), else now."""
        count = vars(self).get("photo_count")
        return PHOTO_COUNT.scalar(self.id) if count is None else count


class Address(BaseModel):
    """An address by Kemendagri region code; region_code may stop above village level while being filled in."""

    id = AutoField()
    application = ForeignKeyField(Application, backref="addresses", on_delete="CASCADE")
    kind = CharField(max_length=10)  # "ktp" or "domicile"
    region_code = CharField(max_length=13, default="")
    street = CharField(max_length=120, default="")
    rt = CharField(max_length=3, default="")
    rw = CharField(max_length=3, default="")
    postal_code = CharField(max_length=5, default="")

    class Meta:
        table_name = "address"
        indexes = ((("application", "kind"), True),)

    @property
    def is_complete(self):
        return self.region_code.count(".") == 3 and bool(self.street)


class Photo(BaseModel):
    """A processed photo of an application: the KTP, or a selfie holding it. Files live in portal.storage."""

    id = AutoField()
    application = ForeignKeyField(Application, backref="photos", on_delete="CASCADE")
    kind = CharField(max_length=10)  # "ktp" or "selfie"
    image_key = CharField(max_length=80)
    thumb_key = CharField(max_length=80)
    width = IntegerField()
    height = IntegerField()
    size_bytes = IntegerField()
    created_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "photo"
        indexes = ((("application", "kind"), True),)


class OtpCode(BaseModel):
    """A one-time code sent by SMS, stored only as a keyed hash (DESIGN.md 5)."""

    id = AutoField()
    application = ForeignKeyField(Application, backref="otp_codes", on_delete="CASCADE")
    phone = CharField(max_length=16)
    code_hash = CharField(max_length=64)
    attempts = IntegerField(default=0)
    used = BooleanField(default=False)
    created_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "otp_code"


class SmsLog(BaseModel):
    """One row per SMS sent, for the per-number and per-IP limits."""

    id = AutoField()
    phone = CharField(max_length=16, index=True)
    ip = CharField(max_length=45, index=True)
    kind = CharField(max_length=20)
    created_at = DateTimeField(default=utcnow, index=True)

    class Meta:
        table_name = "sms_log"


# The task list and every address step read them: SQL written once (portal.models.prepared).
ADDRESSES_OF = Prepared(lambda application_id: Address.select().where(Address.application == application_id))
PHOTO_COUNT = Prepared(lambda application_id: Photo.select(fn.COUNT(Photo.id))
                       .where(Photo.application == application_id))
# The same count as a column of a query that selects applications; it arrives as application.photo_count (the
# COALESCE makes it a column expression that peewee can bind to the application row).
PHOTOS_OF_ROW = fn.COALESCE(Photo.select(fn.COUNT(Photo.id)).where(Photo.application == Application.id), 0).alias(
    "photo_count").bind_to(Application)

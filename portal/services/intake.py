"""Walk-in records keyed at an office desk (Perpres 76/2020 art. 10; DESIGN.md 2.2): create, correct, withdraw.

The one place a walk-in is written. Every answer is checked again here with the same rule functions the
online wizard uses (portal.rules), whatever screen or test calls in; the record gets a reference, joins the
office's open batch, carries the officer who keyed it, and the change is audited by field NAMES only.

`data` (create_walkin, update_walkin) is a plain dict of the paper form's answers:

    nik, kk_number             str, as typed (spaces and dashes are dropped)
    birth_date                 datetime.date
    full_name, birth_place     str
    phone                      str, as typed or E.164 ("0812 3456 7890", "+6281234567890")
    contact_email              str, optional ("" or missing: none)
    ktp_address                {"region_code": "32.01.01.1006", "street": str, "rt": str, "rw": str,
                                "postal_code": str}; rt, rw, postal_code optional
    domicile_same              bool; when False, domicile_address (same shape) is required
    education, employment      keys of portal.choices.EDUCATION / EMPLOYMENT
    not_in_education, not_excluded   bool, both must be True (Permenko 11/2020 art. 2)
    aid                        list of keys of portal.choices.GOVERNMENT_AID (["none"] for none)
    training_field             key of portal.choices.TRAINING_FIELDS
    ktp_seen                   bool, must be True: the officer saw the original e-KTP
    statement_signed           bool, optional: the applicant signed the printed statement (can be ticked later)

A problem raises portal.domain.DomainError(message, field) with `field` the data key it is about.
tests/walkin_support.py has walkin_data(**changes) with a valid form, for other tests.
"""

import re
from datetime import datetime, time, timedelta, timezone
from functools import wraps

from email_validator import EmailNotValidError, validate_email
from flask_babel import LazyString
from peewee import IntegrityError

from portal import choices
from portal.domain import DomainError
from portal.i18n import lazy_gettext as _l
from portal.models import Address, Application, Batch, NikDispute, Office, db, utcnow
from portal.rendering import datetime_utc
from portal.roles import OFFICE_ROLES
from portal.rules import names, regions
from portal.rules import status as states
from portal.rules.eligibility import ZONE, age_problem
from portal.rules.nik import check_kk, check_nik, clean_number
from portal.rules.phone import check_mobile
from portal.rules.reference import new_reference, normalise
from portal.rules.voice import for_staff
from portal.services import audit, phones
from portal.services.batches import open_batch, write_transaction
from portal.services.status import CHANGED, transition

WALKIN = "walkin"
# The answer columns of a walk-in, in the paper form's order; the names audit entries carry.
COLUMNS = ("nik", "birth_date", "kk_number", "sex", "full_name", "birth_place", "contact_email", "phone",
           "domicile_same", "education", "employment", "not_in_education", "not_excluded", "aid",
           "training_field", "ktp_seen", "statement_signed")
ADDRESS_COLUMNS = ("region_code", "street", "rt", "rw", "postal_code")
# Statuses in which an office may still correct a record (an entered one sits in an open batch).
CORRECTABLE = (states.ENTERED, states.RETURNED)
KK_LIMIT = 2  # at most 2 recipients per family card (DESIGN.md 3)

NOT_OFFICE_STAFF = _l("Only an officer or supervisor of an office can enter walk-in records.")
NOT_CORRECTABLE = _l("This record can no longer be corrected: its batch has been closed.")
KTP_NOT_SEEN = _l("Tick to confirm you have seen the applicant's original e-KTP")
NO_ONLINE_HOLDER = _l("No online application holds this NIK, so there is nothing to dispute. Enter the walk-in "
                      "form instead.")


def in_staff_voice(function):
    """Refusals from the shared rules are worded for the officer ("the applicant's NIK")."""

    @wraps(function)
    def speaking_to_staff(*args, **kwargs):
        try:
            return function(*args, **kwargs)
        except DomainError as error:
            raise DomainError(for_staff(error.message), field=error.field) from None

    return speaking_to_staff


def _required(value, message, field):
    if not value:
        raise DomainError(message, field=field)


def _name(value, field, answer):
    """A name answer (a portal.rules.names.NameAnswer) checked as its form field is, in the desk form's words."""
    value = (value or "").strip()
    _required(value, answer.required, field)
    if len(value) > answer.max_length:
        raise DomainError(answer.too_long % {"max": answer.max_length}, field=field)
    problem = names.name_problem(value, for_staff(answer.label), answer.place)
    if problem:
        raise DomainError(problem, field=field)
    return value


def _address(value, field):
    """An address dict checked: region down to the village, a street, RT/RW/postal code in shape."""
    value = dict(value or {})
    code = value.get("region_code") or ""
    depth = len(regions.chain(regions.deepest_valid(*regions.chain(code))))
    if depth < 4 or code.count(".") != 3:
        raise DomainError(regions.MISSING[min(depth, 3)], field=field)
    street = (value.get("street") or "").strip()
    _required(street, _l("Enter the street, house number or hamlet"), field)
    if len(street) > 120:
        raise DomainError(_l("Street must be %(max)d characters or fewer", max=120), field=field)
    clean = {"region_code": code, "street": street}
    for part, pattern in (("rt", r"[0-9]{1,3}"), ("rw", r"[0-9]{1,3}"), ("postal_code", r"[0-9]{5}")):
        typed = clean_number(value.get(part) or "")
        if typed and not re.fullmatch(pattern, typed):
            raise DomainError(_l("Check the RT, RW and postal code of this address"), field=field)
        clean[part] = typed
    return clean


def _choice(value, options, message, field):
    if value not in dict(options):
        raise DomainError(message, field=field)
    return value


@in_staff_voice
def clean(data):
    """The paper form's answers checked by the shared rules: (application columns, {kind: address}).

    DomainError on the first problem, in the paper form's order."""
    born = data.get("birth_date")
    nik = check_nik(data.get("nik"), born)
    if nik.errors and not nik.date_mismatch:
        raise DomainError(nik.errors[0], field="nik")
    _required(born, _l("Enter the applicant's date of birth"), "birth_date")
    problem = age_problem(born)
    if problem:
        raise DomainError(problem, field="birth_date")
    if nik.errors:
        raise DomainError(nik.errors[0], field="nik")
    kk_number, problem = check_kk(data.get("kk_number"))
    if problem:
        raise DomainError(problem, field="kk_number")
    columns = {"nik": nik.digits, "birth_date": born, "kk_number": kk_number, "sex": nik.sex}
    columns["full_name"] = _name(data.get("full_name"), "full_name", names.FULL_NAME)
    columns["birth_place"] = _name(data.get("birth_place"), "birth_place", names.BIRTH_PLACE)
    email = (data.get("contact_email") or "").strip()
    if email:
        try:
            email = validate_email(email, check_deliverability=False).normalized
        except EmailNotValidError:
            raise DomainError(_l("Enter an email address in the correct format, like nama@contoh.com"),
                              field="contact_email")
    columns["contact_email"] = email or None
    columns["phone"], problem = check_mobile(data.get("phone"))
    if problem:
        raise DomainError(problem, field="phone")
    addresses = {"ktp": _address(data.get("ktp_address"), "ktp_address")}
    if data.get("domicile_same") not in (True, False):
        raise DomainError(_l("Select whether the applicant lives at the address on the KTP"), field="domicile_same")
    columns["domicile_same"] = data["domicile_same"]
    if not data["domicile_same"]:
        addresses["domicile"] = _address(data.get("domicile_address"), "domicile_address")
    columns["education"] = _choice(data.get("education"), choices.EDUCATION,
                                   _l("Select the highest education the applicant finished"), "education")
    columns["employment"] = _choice(data.get("employment"), choices.EMPLOYMENT,
                                    _l("Select what the applicant does now"), "employment")
    for declaration in ("not_in_education", "not_excluded"):
        if data.get(declaration) is not True:
            raise DomainError(_l("The applicant can only join Prakerja if they make both declarations"),
                              field=declaration)
        columns[declaration] = True
    aid = list(data.get("aid") or [])
    if not aid or any(key not in dict(choices.GOVERNMENT_AID) for key in aid):
        raise DomainError(_l("Select the aid the applicant has received, or None"), field="aid")
    if "none" in aid and len(aid) > 1:
        raise DomainError(_l("Select None only if the applicant has received no aid"), field="aid")
    columns["aid"] = ",".join(aid)
    columns["training_field"] = _choice(data.get("training_field"), choices.TRAINING_FIELDS,
                                        _l("Select what the applicant would like training in"), "training_field")
    if data.get("ktp_seen") is not True:
        raise DomainError(KTP_NOT_SEEN, field="ktp_seen")
    columns["ktp_seen"] = True
    columns["statement_signed"] = data.get("statement_signed") is True
    return columns, addresses


def _office_staff(officer):
    if getattr(officer, "role", None) not in OFFICE_ROLES or not officer.office_id:
        raise DomainError(NOT_OFFICE_STAFF)


def nik_holder(nik, exclude_id=None):
    """The application holding this NIK (any channel), or None."""
    query = Application.select().where(Application.nik == nik)
    if exclude_id:
        query = query.where(Application.id != exclude_id)
    return query.first()


def where_registered(other, office):
    """Where a NIK is already registered, in words that say nothing about the person: channel, office, status."""
    if other.channel != WALKIN:
        if other.status == states.DRAFT:
            return _l("This NIK is already registered online (not sent yet).")
        return _l("This NIK is already registered online (sent; status: %(status)s).", status=states.label(other.status))
    if office is not None and other.office_id == office.id:
        return _l("This NIK is already registered as a walk-in at this office: %(reference)s (status: %(status)s).",
                  reference=other.reference, status=states.label(other.status))
    return _l("This NIK is already registered as a walk-in at another office (status: %(status)s).",
              status=states.label(other.status))


def _refuse_taken_nik(nik, office, exclude_id=None):
    other = nik_holder(nik, exclude_id)
    if other is not None:
        raise DomainError(where_registered(other, office), field="nik")


def _write_addresses(application, addresses):
    """Create or update the record's addresses; a domicile no longer needed is removed. Returns changed kinds."""
    changed = []
    current = {a.kind: a for a in Address.select().where(Address.application == application.id)}
    for kind in ("ktp", "domicile"):
        wanted, had = addresses.get(kind), current.get(kind)
        if wanted is None:
            if had is not None:
                had.delete_instance()
                changed.append(kind)
        elif had is None:
            Address.create(application=application.id, kind=kind, **wanted)
            changed.append(kind)
        elif any(getattr(had, name) != wanted[name] for name in ADDRESS_COLUMNS):
            Address.update(**wanted).where(Address.id == had.id).execute()
            changed.append(kind)
    if hasattr(application, "_addresses"):
        del application._addresses
    return [f"{kind}_address" for kind in changed]


def create_walkin(data, officer, ip=None):
    """Save a walk-in's paper form keyed by `officer` (an office's officer or supervisor Account); returns the
    new Application: status entered, a reference, in the office's open batch, entered_by the officer.

    `data` is described in this module's docstring. DomainError(message, field) on a problem, including a
    NIK already registered anywhere (the message says where, never whose)."""
    _office_staff(officer)
    columns, addresses = clean(data)
    office = officer.office
    _refuse_taken_nik(columns["nik"], office)
    for _attempt in range(5):
        try:
            with write_transaction():  # the batch cannot close between choosing it and the insert
                batch = open_batch(office)
                now = utcnow()
                application = Application.create(
                    channel=WALKIN, status=states.INITIAL[WALKIN][0], reference=new_reference(), ktp_confirmed=True,
                    office=office, entered_by=officer, batch=batch, submitted_at=now, status_changed_at=now,
                    created_at=now, updated_at=now, **columns,
                )
                _write_addresses(application, addresses)
                audit.record(officer, "walkin.created", application,
                             fields=[*COLUMNS, *[f"{kind}_address" for kind in addresses]], ip=ip)
            return application
        except IntegrityError:
            _refuse_taken_nik(columns["nik"], office)  # another desk saved this NIK a moment ago
            continue  # the random reference was taken: draw again
    raise DomainError(CHANGED)


def correctable(application):
    """Whether the office may still correct the record: entered in an open batch, or returned to it."""
    if application.status == states.ENTERED:
        return application.batch_id is not None and Batch.get_by_id(application.batch_id).status == "open"
    return application.status == states.RETURNED


def update_walkin(application, data, officer, ip=None):
    """Correct a walk-in of the officer's own office while it is correctable; only changed columns are written
    and audited (names only). A returned record goes back into the office's open batch. Returns the names of
    the fields changed (empty when nothing was)."""
    _office_staff(officer)
    if application.channel != WALKIN or application.office_id != officer.office_id:
        raise DomainError(NOT_CORRECTABLE)
    if not (states.editable(application.status, officer.role) and correctable(application)):
        raise DomainError(NOT_CORRECTABLE)
    columns, addresses = clean(data)
    if columns["nik"] != application.nik:
        _refuse_taken_nik(columns["nik"], officer.office, exclude_id=application.id)
    changed = {name: value for name, value in columns.items() if getattr(application, name) != value}
    if "phone" in changed:
        changed["verified_phone"] = None  # a new number must be confirmed again
    try:
        with write_transaction():
            if changed:
                written = (Application.update(updated_at=utcnow(), **changed)
                           .where(Application.id == application.id, Application.status == application.status)
                           .execute())
                if not written:
                    raise DomainError(CHANGED)
            names = [name for name in changed if name != "verified_phone"] + _write_addresses(application, addresses)
            if names:
                audit.record(officer, "walkin.corrected", application, fields=names, ip=ip)
            if application.status == states.RETURNED:
                transition(application, officer, states.ENTERED, ip=ip, batch=open_batch(officer.office).id)
    except IntegrityError:
        _refuse_taken_nik(columns["nik"], officer.office, exclude_id=application.id)
        raise DomainError(CHANGED)
    for name, value in changed.items():
        setattr(application, name, value)
    return names


def set_statement_signed(application, officer, ip=None):
    """Tick that the applicant signed the printed statement (pernyataan pendaftar)."""
    _office_staff(officer)
    if application.office_id != officer.office_id or not correctable(application):
        raise DomainError(NOT_CORRECTABLE)
    with db.atomic():
        Application.update(statement_signed=True, updated_at=utcnow()).where(Application.id == application.id).execute()
        audit.record(officer, "walkin.corrected", application, fields=["statement_signed"], ip=ip)
    application.statement_signed = True


def withdraw_walkin(application, officer, reason, note=None, ip=None):
    """Withdraw a walk-in of the officer's office with a reason (a key of WITHDRAW_REASONS); audited."""
    _office_staff(officer)
    if application.office_id != officer.office_id:
        raise DomainError(NOT_CORRECTABLE)
    if reason not in states.WITHDRAW_REASONS:
        raise DomainError(_l("Select why the record is withdrawn"), field="reason")
    return transition(application, officer, states.WITHDRAWN, reason=reason, note=(note or "").strip() or None, ip=ip)


def open_dispute(nik):
    """The open dispute over this NIK, or None: there is at most one (migration 0028)."""
    return (NikDispute.select(NikDispute, Office).join(Office)
            .where(NikDispute.nik == nik, NikDispute.status == "open").first())


def dispute_open(dispute, office):
    """Why no second dispute over a NIK is recorded while `dispute` is open, for the officer at `office`: when
    and where it was recorded (never anything of the online application), and what to tell the person."""
    when = LazyString(datetime_utc, dispute.created_at)  # in the language and zone of the page that shows it
    if office is not None and dispute.office_id == office.id:
        return _l("A NIK dispute is already open for this NIK: this office recorded it on %(when)s. The PMO will "
                  "decide it, so do not record it again: tell the person their case stands and the PMO will "
                  "contact them.", when=when)
    return _l("A NIK dispute is already open for this NIK: %(office)s recorded it on %(when)s. The PMO will decide "
              "it, so do not record it again: tell the person their case stands and the PMO will contact them at "
              "the number they gave there.", office=dispute.office.name, when=when)


def _refuse_open_dispute(nik, office):
    existing = open_dispute(nik)
    if existing is not None:
        raise DomainError(dispute_open(existing, office), field="nik")


@in_staff_voice
def record_dispute(nik, claimant_name, contact_phone, note, officer, ip=None):
    """Record that the person at the desk, with the original e-KTP, claims a NIK another online application
    holds (DESIGN.md 2.2). Nothing of that application is read out; the PMO resolves it. While a dispute over
    the NIK is open, another is refused (it says when and where the open one was recorded). Returns the
    NikDispute."""
    _office_staff(officer)
    check = check_nik(nik)
    if check.errors:
        raise DomainError(check.errors[0], field="nik")
    holder = nik_holder(check.digits)
    if holder is None or holder.channel == WALKIN:
        raise DomainError(NO_ONLINE_HOLDER, field="nik")
    _refuse_open_dispute(check.digits, officer.office)
    name = _name(claimant_name, "claimant_name", names.CLAIMANT_NAME)
    phone, problem = check_mobile(contact_phone)
    if problem:
        raise DomainError(problem, field="contact_phone")
    try:
        with write_transaction():
            dispute = NikDispute.create(nik=check.digits, claimant_name=name, contact_phone=phone,
                                        note=(note or "").strip(), office=officer.office, recorded_by=officer)
            audit.record(officer, "nik_dispute.recorded", dispute,
                         fields=["nik", "claimant_name", "contact_phone", "note"], ip=ip)
    except IntegrityError:
        _refuse_open_dispute(check.digits, officer.office)  # another desk recorded it a moment ago
        raise
    return dispute


def findings(office, nik=None, kk_number=None, phone=None, exclude_id=None):
    """What the desk should know before saving, as {field: [(kind, message)]}: kind "taken" (the NIK is
    registered: saving is refused), "dispute" (taken by an online application: a dispute can be recorded, unless
    one is open, which a "warning" then says), or "warning". Never a name or other personal value of another
    record."""
    found = {}
    digits = clean_number(nik or "")
    if len(digits) == 16:
        other = nik_holder(digits, exclude_id)
        if other is not None:
            found.setdefault("nik", []).append(("taken", where_registered(other, office)))
        existing = open_dispute(digits)
        if existing is not None:
            found.setdefault("nik", []).append(("warning", dispute_open(existing, office)))
        elif other is not None and other.channel != WALKIN:
            found["nik"].append(("dispute", _l(
                "If the person in front of you shows the original e-KTP with this NIK and never registered "
                "online, record a NIK dispute.")))
    kk = clean_number(kk_number or "")
    if len(kk) == 16:
        query = Application.select().where(Application.kk_number == kk, Application.status != states.WITHDRAWN)
        if exclude_id:
            query = query.where(Application.id != exclude_id)
        count = query.count()
        if count >= KK_LIMIT:
            found.setdefault("kk_number", []).append(("warning", _l(
                "This KK number already has %(count)d applications. At most %(limit)d people on one family card "
                "can be selected.", count=count, limit=KK_LIMIT)))
    e164, _problem = check_mobile(phone) if phone else (None, None)
    if e164:
        query = Application.select().where(Application.verified_phone == e164)
        if exclude_id:
            query = query.where(Application.id != exclude_id)
        if query.exists():
            found.setdefault("phone", []).append(("warning", _l(
                "This mobile number is already confirmed on another application, so it cannot be confirmed by SMS "
                "for this one. You can still save the form.")))
    return found


def office_walkins(office):
    """The office's walk-in records, newest first."""
    return (Application.select().where(Application.channel == WALKIN, Application.office == office)
            .order_by(Application.created_at.desc(), Application.id.desc()))


def entered_today(office, now=None):
    """The office's walk-ins entered today (Western Indonesia Time), newest first."""
    local = (now or datetime.now(ZONE)).astimezone(ZONE)
    start = datetime.combine(local.date(), time(0), ZONE).astimezone(timezone.utc).replace(tzinfo=None)
    return office_walkins(office).where(Application.created_at >= start,
                                        Application.created_at < start + timedelta(days=1))


def find(office, text):
    """The office's walk-in with this reference or full NIK, or None (another office's records are not found)."""
    reference = normalise(text)
    digits = clean_number(text or "")
    if reference:
        condition = Application.reference == reference
    elif len(digits) == 16 and digits.isdigit():
        condition = Application.nik == digits
    else:
        return None
    return office_walkins(office).where(condition).first()


def _own_correctable(application, officer):
    _office_staff(officer)
    if application.channel != WALKIN or application.office_id != officer.office_id or not correctable(application):
        raise DomainError(NOT_CORRECTABLE)


def send_phone_code(application, officer, ip=None):
    """Send the SMS code to the record's number for the applicant to read out at the desk: the online code
    service, its limits and gateway (portal.services.phones)."""
    _own_correctable(application, officer)
    with db.atomic():
        phones.send_code(application, officer, application.phone, ip)
        audit.record(officer, "walkin.phone_code_sent", application, fields=["phone"], ip=ip)


def confirm_phone(application, officer, code, ip=None):
    """Confirm the number with the code the applicant read out; the same tries and expiry as online."""
    _own_correctable(application, officer)
    with db.atomic():
        phones.verify_code(application, officer, code)
        audit.record(officer, "walkin.phone_verified", application, fields=["verified_phone"], ip=ip)
    return application

"""Application rules: saving each step, completeness, and submission. Shared by applicant and officer flows."""

from peewee import Case, IntegrityError

from portal.domain import DomainError
from portal.i18n import lazy_gettext as _l
from portal.models import Address, Application, db, utcnow
from portal.models.applications import PHOTOS_OF_ROW
from portal.models.prepared import Prepared
from portal.rules.reference import new_reference

PERSONAL_STEPS = ("name", "ktp_address", "domicile", "work", "declarations")
DRAFT, SUBMITTED = "draft", "submitted"
NOT_READY = _l("Complete every section before you check and send your application.")


# Every applicant page loads it: its SQL is written once, and the task list's photo count comes with it.
APPLICATION_OF = Prepared(lambda account_id: Application.select(Application, PHOTOS_OF_ROW)
                          .where(Application.account == account_id).limit(1))


def draft_for(account):
    """The account's application, created on first use (two racing requests still make one)."""
    # Loaded with the login session when the account is the signed-in one (portal.sessions.SESSION_ROW); where it
    # has none yet, that outer join gives an application without an id (only its photo count, 0, was set).
    found = vars(account).get("preloaded_application")
    if found is None or found.id is None:
        found = APPLICATION_OF.first(account.id)
    if found:
        return found
    try:
        with db.atomic():
            return Application.create(account=account)
    except IntegrityError:
        return Application.get(Application.account == account)


def writable():
    """Rows whose answers may still change: online drafts, and walk-ins their office may still correct (entered,
    so in an open batch, or returned to it): the SMS code service works for both channels."""
    return (Application.status == DRAFT) | (
        (Application.channel == "walkin") & Application.status.in_(("entered", "returned")))


def hold(application, **columns):
    """Write these columns of a draft, and only while it is one (or a correctable walk-in, see writable); False,
    writing nothing, once it has been sent.

    Every change to an application or its children starts with this inside its transaction. On PostgreSQL
    the row then stays locked until commit, so a racing submit waits for the change or the change for it.
    """
    columns["updated_at"] = utcnow()
    written = (Application.update(**columns)
               .where(Application.id == application.id, writable()).execute())
    if written:
        application.updated_at = columns["updated_at"]
    return bool(written)


def write(application, **columns):
    """hold(), refusing with a message when the application has been sent (perhaps from another tab)."""
    if not hold(application, **columns):
        raise DomainError(DomainError.SENT)


def update(application, actor, **fields):
    """Save some answers on a draft: only those columns."""
    write(application, **fields)
    for name, value in fields.items():
        setattr(application, name, value)
    return application


def save_ktp(application, actor, nik, birth_date, kk_number, sex):
    """Save the KTP answers; a NIK held by another application is refused without saying whose it is."""
    # Decided by the row as it is when written, not as this request read it: the confirmation stands only
    # while the NIK and birth date it confirmed are unchanged.
    same = (Application.nik == nik) & (Application.birth_date == birth_date)
    try:
        with db.atomic():
            write(application, nik=nik, birth_date=birth_date, kk_number=kk_number, sex=sex,
                  ktp_confirmed=Case(None, [(same, Application.ktp_confirmed)], False))
    except IntegrityError:
        raise DomainError(
            _l("This NIK is already used in another application. If it is yours, log in to that account "
               "(reset its password if you forgot it) or visit your local manpower office with your e-KTP."),
            field="nik",
        )
    application.nik, application.birth_date, application.kk_number, application.sex = nik, birth_date, kk_number, sex
    application.ktp_confirmed = (
        Application.select(Application.ktp_confirmed).where(Application.id == application.id).scalar()
    )
    return application


def save_address(application, actor, kind, region_code, **fields):
    """Create or update the application's address of a kind ("ktp" or "domicile"): only the given columns."""
    columns = {"region_code": region_code, **{name: value or "" for name, value in fields.items()}}
    with db.atomic():
        write(application)
        written = (Address.update(**columns)
                   .where(Address.application == application.id, Address.kind == kind).execute())
        if not written:
            Address.create(application=application.id, kind=kind, **columns)
    address = application.address(kind)
    for name, value in columns.items():
        setattr(address, name, value)
    return address


def ktp_done(application):
    return bool(application.nik and application.birth_date and application.kk_number and application.ktp_confirmed)


def step_done(application, step):
    """Whether one step of the personal-details section is answered."""
    if step == "name":
        return bool(application.full_name and application.birth_place)
    if step == "ktp_address":
        return application.address("ktp").is_complete
    if step == "domicile":
        return application.domicile_same is True or (
            application.domicile_same is False and application.address("domicile").is_complete
        )
    if step == "work":
        return bool(application.education and application.employment)
    if step == "declarations":
        return bool(application.not_in_education and application.not_excluded and application.aid
                    and application.training_field)
    raise ValueError(step)


def first_missing_step(application):
    """The first unanswered personal-details step, or None when all are done."""
    return next((step for step in PERSONAL_STEPS if not step_done(application, step)), None)


def submit(application, actor, ready=None):
    """Give a complete draft its reference and lock it; submitting twice returns the first result.

    `ready(application)` is asked again inside the transaction, once the row is held, so a step saved in
    another tab at the same moment cannot leave a sent application incomplete. Returns the application as
    stored and whether this call sent it.
    """
    for _attempt in range(5):
        try:
            with db.atomic():
                if not hold(application):
                    break  # a second tap, or another tab, sent it first
                if ready is not None and not ready(Application.get_by_id(application.id)):
                    raise DomainError(NOT_READY)
                (Application.update(status=SUBMITTED, reference=new_reference(), submitted_at=utcnow())
                 .where(Application.id == application.id).execute())
            return Application.get_by_id(application.id), True
        except IntegrityError:
            continue  # the random reference was taken: draw again
    return Application.get_by_id(application.id), False

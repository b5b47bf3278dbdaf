"""Application rules: saving each step, completeness, and submission. Shared by applicant and officer flows."""

from flask_babel import lazy_gettext as _l
from peewee import IntegrityError

from portal.domain import DomainError
from portal.models import Application, db, utcnow
from portal.rules.reference import new_reference

PERSONAL_STEPS = ("name", "ktp_address", "domicile", "work", "declarations")


def draft_for(account):
    """The account's application, created on first use (two racing requests still make one)."""
    found = Application.get_or_none(Application.account == account)
    if found:
        return found
    try:
        with db.atomic():
            return Application.create(account=account)
    except IntegrityError:
        return Application.get(Application.account == account)


def update(application, **fields):
    """Save some answers on a draft."""
    if application.is_submitted:
        raise DomainError(DomainError.SENT)
    for name, value in fields.items():
        setattr(application, name, value)
    application.updated_at = utcnow()
    application.save()
    return application


def save_ktp(application, nik, birth_date, kk_number, sex):
    """Save the KTP answers; a NIK held by another application is refused without saying whose it is."""
    changed = nik != application.nik or birth_date != application.birth_date
    try:
        with db.atomic():
            update(
                application, nik=nik, birth_date=birth_date, kk_number=kk_number, sex=sex,
                ktp_confirmed=application.ktp_confirmed and not changed,
            )
    except IntegrityError:
        application.nik = Application.get_by_id(application.id).nik
        raise DomainError(
            _l("This NIK is already used in another application. If it is yours, log in to that account "
               "(reset its password if you forgot it) or visit your local manpower office with your e-KTP."),
            field="nik",
        )
    return application


def save_address(application, kind, region_code, **fields):
    """Create or update the application's address of a kind ("ktp" or "domicile")."""
    if application.is_submitted:
        raise DomainError(DomainError.SENT)
    address = application.address(kind)
    address.region_code = region_code
    for name, value in fields.items():
        setattr(address, name, value or "")
    with db.atomic():
        address.save()
        update(application)
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


def submit(application):
    """Give a complete draft its reference and lock it; submitting twice returns the first result."""
    changed = 0
    for _attempt in range(5):
        reference = new_reference()
        try:
            with db.atomic():
                # Only a draft changes, so a second request racing this one updates nothing.
                changed = (
                    Application.update(status="submitted", reference=reference, submitted_at=utcnow())
                    .where(Application.id == application.id, Application.status == "draft")
                    .execute()
                )
            break
        except IntegrityError:
            continue  # the random reference was taken: draw again
    fresh = Application.get_by_id(application.id)
    return fresh, bool(changed)

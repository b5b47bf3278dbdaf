"""Statement letters (surat pernyataan) after three waves without success: where an applicant stands, the signed
letter's photo (the KTP photo's pipeline, judged as a document), and the PMO's decision, told by email and SMS.

Whether a letter is needed is decided in one place, portal.rules.screening.letter_required, through
services.waves.letter_needed: the join check, these pages and selection's screening all ask it.
"""

from contextlib import suppress
from dataclasses import dataclass

from flask import current_app
from flask_babel import force_locale
from peewee import IntegrityError

from portal import languages
from portal.domain import DomainError
from portal.email import send_email
from portal.i18n import lazy_gettext as _l
from portal.images import DOCUMENT, PhotoProblem, process_photo
from portal.links import external_url
from portal.models import Account, Application, StatementLetter, db, utcnow
from portal.rules import waves as wave_rules
from portal.services import audit, waves
from portal.services.photos import PROBLEMS, store_all
from portal.sms import send_sms, sms_text
from portal.storage import storage

PENDING, APPROVED, REJECTED = "pending", "approved", "rejected"
# Where an applicant stands; NOT_NEEDED when fewer than three waves failed (and no letter was ever approved).
NOT_NEEDED, NEEDED = "not_needed", "needed"
STATE_LABELS = {
    NOT_NEEDED: _l("No letter needed"),
    NEEDED: _l("Letter needed"),
    PENDING: _l("Waiting for review"),
    REJECTED: _l("Not accepted"),
    APPROVED: _l("Approved"),
}
REASON_MAX = 500

LETTER_PROBLEMS = {
    **PROBLEMS,
    "empty": _l("Select a photo of your signed letter"),
    "too_small": _l("The photo is too small to read. Take it again so that the letter fills the photo"),
    "blurred": _l("The photo is blurred, so the writing cannot be read. Hold the phone still, let it focus, "
                  "then take it again"),
}
NOT_NEEDED_NOW = _l("You do not need a statement letter now.")
ALREADY_DECIDED = _l("This letter has already been decided by someone else. Its decision is shown below.")
REASON_MISSING = _l("Enter the reason the applicant will read")

# Sent in the applicant's language whatever the page's (portal.languages); one GSM-7 SMS each, the reason is
# in the email and on the applicant's page.
SMS_TEXTS = {
    APPROVED: sms_text(_l("Your Prakerja statement letter is approved. You can join the next wave. Info: %(link)s"),
                       link="applicant.letter"),
    REJECTED: sms_text(_l("Your Prakerja statement letter was not accepted. Read why and upload it again: %(link)s"),
                       link="applicant.letter"),
}


@dataclass(frozen=True)
class LetterState:
    """An applicant's letter: where they stand, their latest letter, and the waves they were not selected in."""

    name: str
    letter: object = None
    failed_waves: tuple = ()

    @property
    def label(self):
        return STATE_LABELS[self.name]

    @property
    def can_upload(self):
        return self.name in (NEEDED, PENDING, REJECTED)


def failed_waves(entries):
    """Numbers of the waves whose selection left this person "not selected" (the failures the rule counts)."""
    return tuple(e.wave.number for e in entries if e.outcome == wave_rules.OUTCOME_NOT_SELECTED and e.wave.selected_at)


def latest_letter(application):
    """The application's newest letter, or None."""
    return (StatementLetter.select().where(StatementLetter.application == application.id)
            .order_by(StatementLetter.created_at.desc(), StatementLetter.id.desc()).first())


def state_for(application):
    """Where the applicant stands with their statement letter (three queries at most)."""
    if application.status not in wave_rules.JOINABLE:
        return LetterState(NOT_NEEDED)
    entries = waves.entries_of(application)
    failed = failed_waves(entries)
    latest = latest_letter(application)
    if not waves.letter_needed(application, entries):
        approved = None if latest is None else StatementLetter.get_or_none(
            StatementLetter.application == application.id, StatementLetter.status == APPROVED)
        return LetterState(APPROVED if approved else NOT_NEEDED, approved, failed)
    if latest is None:
        return LetterState(NEEDED, None, failed)
    return LetterState(latest.status if latest.status in (PENDING, REJECTED) else NEEDED, latest, failed)


def save_letter(application, data):
    """Check and store the photo of the signed letter as the applicant's pending letter (replacing a pending
    one's photo, or starting a new one after a rejection). DomainError(field="photo") when it cannot be used."""
    if not state_for(application).can_upload:
        raise DomainError(NOT_NEEDED_NOW)
    try:
        processed = process_photo(data, max_bytes=current_app.config["UPLOAD_MAX_BYTES"], checks=DOCUMENT)
    except PhotoProblem as problem:
        raise DomainError(LETTER_PROBLEMS[problem.code], field="photo")
    store = storage()
    image_key, thumb_key = store_all(store, processed.image, processed.thumbnail)
    try:
        old = _keep(application, image_key, thumb_key)
    except Exception:
        store.delete(image_key)
        store.delete(thumb_key)
        raise
    if old is not None:
        with suppress(OSError):
            store.delete(old.image_key)
            store.delete(old.thumb_key)
    return StatementLetter.get(StatementLetter.application == application.id, StatementLetter.status == PENDING)


def _keep(application, image_key, thumb_key):
    """Write the new photo onto the pending letter, or make one; returns the replaced letter's old keys or None.

    A partial unique index allows one pending letter per application, so two uploads racing end as one letter.
    """
    for _attempt in range(2):
        old = StatementLetter.get_or_none(StatementLetter.application == application.id,
                                          StatementLetter.status == PENDING)
        if old is not None:
            changed = (StatementLetter.update(image_key=image_key, thumb_key=thumb_key)
                       .where(StatementLetter.id == old.id, StatementLetter.status == PENDING).execute())
            if changed:
                return old
            continue  # decided meanwhile: this upload starts a new letter
        try:
            with db.atomic():
                StatementLetter.create(application=application.id, image_key=image_key, thumb_key=thumb_key)
            return None
        except IntegrityError:
            continue  # another upload made the pending letter first: write onto it
    raise DomainError(ALREADY_DECIDED, field="photo")


def queue(limit=None):
    """Pending letters, oldest first, with their applications (one query)."""
    query = (StatementLetter.select(StatementLetter, Application).join(Application)
             .where(StatementLetter.status == PENDING).order_by(StatementLetter.created_at, StatementLetter.id))
    return list(query.limit(limit) if limit else query)


def pending_count():
    return StatementLetter.select().where(StatementLetter.status == PENDING).count()


def next_pending(after=None):
    """The oldest pending letter (other than `after`), or None: where the PMO goes after a decision."""
    query = StatementLetter.select().where(StatementLetter.status == PENDING)
    if after is not None:
        query = query.where(StatementLetter.id != after)
    return query.order_by(StatementLetter.created_at, StatementLetter.id).first()


def decide(letter, actor, approve, reason="", ip=None):
    """Approve or reject (with a reason the applicant reads) a pending letter; audited and told to the applicant
    by email and SMS through the outbox. DomainError when someone decided it first or the reason is missing."""
    reason = (reason or "").strip()
    if not approve and not reason:
        raise DomainError(REASON_MISSING, field="reason")
    status = APPROVED if approve else REJECTED
    with db.atomic():
        changed = (StatementLetter.update(status=status, reason=None if approve else reason[:REASON_MAX],
                                          decided_at=utcnow(), decided_by=actor)
                   .where(StatementLetter.id == letter.id, StatementLetter.status == PENDING).execute())
        if not changed:
            raise DomainError(ALREADY_DECIDED)
        letter = StatementLetter.get_by_id(letter.id)
        audit.record(actor, f"letter.{status}", letter,
                     fields=["status", "decided_at", "decided_by"] + ([] if approve else ["reason"]), ip=ip)
        _tell(letter)
    return letter


def _tell(letter):
    """Post the decision to the applicant: an email to their account's address, an SMS to their verified number,
    both in the applicant's language (the PMO's page may be in another)."""
    application = Application.get_by_id(letter.application_id)
    account = Account.get_or_none(Account.id == application.account_id) if application.account_id else None
    with force_locale(languages.of(account)):
        _post(letter, application, account)


def _post(letter, application, account):
    address = account.email if account else application.contact_email
    if address:
        send_email("letter_decision", address, account=account, name=application.full_name,
                   approved=letter.status == APPROVED, reason=letter.reason, link=external_url("applicant.letter"))
    if application.verified_phone:
        send_sms(application.verified_phone, SMS_TEXTS[letter.status], kind="letter_decision",
                 language=languages.of(account))

"""The PMO's resolution of NIK disputes recorded at desks (DESIGN.md 2.2): someone showed their original e-KTP
at an office, but an online application already holds that NIK.

Two outcomes, each with a reason, audited, in one transaction, and the claimant told by SMS. Release: the NIK is
taken off an unsent online draft, whose owner is told by email to check their KTP number. The walk-in is the
valid holder: an unsent draft is released the same way; a sent application is rejected through the state
machine (reason "nik_dispute_lost"), the NIK taken off it and its owner told by email and SMS in their language
(portal.services.notices). Either way the office can then enter the walk-in with the NIK, which the dispute row
keeps for the record. The rejected application's wave entries not yet decided are left in place: selection
screens a rejected application out ("not_joinable", portal.rules.screening), so they end ineligible with a reason.
"""

from flask_babel import force_locale

from portal import languages
from portal.domain import DomainError
from portal.email import send_email
from portal.i18n import lazy_gettext as _l
from portal.links import external_url
from portal.models import Account, Application, NikDispute, db, utcnow
from portal.rules import status
from portal.services import audit
from portal.services.status import transition
from portal.sms import send_sms, sms_text

RELEASE, WALKIN_VALID = "released", "walkin_valid"
RESOLUTIONS = {
    RELEASE: _l("Release the NIK from the unsent online draft"),
    WALKIN_VALID: _l("The walk-in is the NIK's valid holder"),
}
LOST = "nik_dispute_lost"  # the rejection's reason key (portal.rules.status.DISPUTE_REASONS)
NOT_OPEN = _l("This dispute has already been resolved.")
NOT_A_DRAFT = _l("The online application holding this NIK has been sent, so the NIK cannot be released from it. "
                 "Choose whether the walk-in is the valid holder.")
# To the number the claimant gave at the desk: a walk-in without an account, so in Indonesian (portal.languages).
DECIDED_SMS = sms_text(_l("Prakerja: your NIK dispute has been decided. Visit the manpower office where you "
                          "recorded it, with your e-KTP, to continue."))


def open_disputes():
    """Open disputes, oldest first, with their office."""
    return list(NikDispute.select().where(NikDispute.status == "open").order_by(NikDispute.created_at, NikDispute.id))


def holder(dispute):
    """The application holding the disputed NIK, or None (released meanwhile)."""
    return Application.get_or_none(Application.nik == dispute.nik)


def rejects(online, resolution):
    """Whether this resolution rejects the application holding the NIK: a sent online one, the walk-in named."""
    return (resolution == WALKIN_VALID and online is not None and online.channel == "online"
            and online.status == status.SUBMITTED)


def resolve(dispute, actor, resolution, note, ip=None):
    """Resolve an open dispute with a reason: the NIK comes off an unsent draft (its owner emailed), or off a sent
    application the walk-in won it from, which is rejected (its owner told by email and SMS)."""
    if resolution not in RESOLUTIONS:
        raise DomainError(_l("Choose how to resolve the dispute"), field="resolution")
    if not (note or "").strip():
        raise DomainError(_l("Enter the reason for the decision"), field="note")
    online = holder(dispute)
    with db.atomic():
        # The dispute first: of two PMO hands on it, the second changes nothing and tells nobody.
        decided = (NikDispute.update(status="resolved", resolution=resolution, resolution_note=note.strip(),
                                     resolved_by=actor, resolved_at=utcnow())
                   .where(NikDispute.id == dispute.id, NikDispute.status == "open").execute())
        if not decided:
            raise DomainError(NOT_OPEN)
        released = None
        if rejects(online, resolution):
            # The note may name the claimant, so it stays on the dispute, not on the other person's record.
            transition(online, actor, status.REJECTED, reason=LOST, ip=ip, nik=None)
        elif resolution == RELEASE or (online is not None and online.status == status.DRAFT):
            if online is not None:
                # The draft keeps every other answer; its KTP section must be done again.
                released = (Application.update(nik=None, ktp_confirmed=False, updated_at=utcnow())
                            .where(Application.id == online.id, Application.status == status.DRAFT,
                                   Application.nik == dispute.nik).execute())
                if not released:
                    raise DomainError(NOT_A_DRAFT, field="resolution")
                audit.record(actor, "application.nik_released", online, fields=["nik"], ip=ip)
        audit.record(actor, f"nik_dispute.{resolution}", dispute, fields=["status", "resolution", "resolution_note"],
                     ip=ip)
        if released and online.account_id:
            owner = Account.get_by_id(online.account_id)
            with force_locale(languages.of(owner)):  # the owner's language, not the PMO page's
                send_email("nik_released", owner.email, account=owner, name=owner.full_name,
                           link=external_url("auth.login"))
        send_sms(dispute.contact_phone, DECIDED_SMS, kind="dispute", language=languages.of(None))
    return dispute

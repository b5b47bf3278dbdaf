"""Claiming a walk-in record: the person proves it is theirs (reference, NIK and date of birth, then a code sent
by SMS to the number on the record, or a link emailed to its address) and gets an online account to follow it.

A wrong combination is answered like an unknown one (find() returns None); a record that cannot be claimed
(claimed already, withdrawn, or with no number or address to confirm with) says only that.
"""

import secrets

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from peewee import IntegrityError

from portal import languages
from portal.domain import DomainError
from portal.email import send_email
from portal.i18n import lazy_gettext as _l
from portal.links import external_url
from portal.models import Account, Application, OtpCode, SmsLog, db, utcnow
from portal.rules import status
from portal.services import audit, passwords, phones
from portal.sms import send_sms, sms_text

CANNOT = _l("This application cannot be claimed online. If it is yours, visit the manpower office where you "
            "registered, with your e-KTP.")
EMAIL_TAKEN = _l("An account already uses this email address. Enter a different address")
LINK_PROBLEM = _l("This link is not valid or has expired. Start the claim again to get a new one.")
UNCLAIMABLE = frozenset({status.WITHDRAWN})
# To the number on a walk-in record, whose owner has no account yet: in Indonesian (portal.languages).
CODE_SMS = sms_text(_l("Your Prakerja claim code: %(code)s. Valid for %(minutes)d minutes. Do not give this code "
                       "to anyone."))


def find(reference, nik, birth_date):
    """The walk-in record with this reference, NIK and date of birth, or None for any wrong combination."""
    found = Application.get_or_none(Application.reference == reference)
    if found is None or found.nik != nik or found.birth_date != birth_date or found.channel != "walkin":
        return None
    return found


def how_to_confirm(application):
    """"sms" or "email", the way this record's owner proves it is theirs; DomainError when it cannot be claimed."""
    if application.account_id is not None or application.status in UNCLAIMABLE:
        raise DomainError(CANNOT)
    if application.phone:
        return "sms"
    if application.contact_email:
        return "email"
    raise DomainError(CANNOT)


def send_code(application, ip):
    """Send a claim code to the number on the record, within the SMS caps; DomainError (with the wait) when not."""
    permitted = phones.allowance(application, application.phone, ip)
    if permitted.wait:
        raise DomainError(permitted.message, field="code")
    code = f"{secrets.randbelow(10**6):06d}"
    with db.atomic():
        OtpCode.update(used=True).where(OtpCode.application == application, OtpCode.used == False).execute()  # noqa: E712
        OtpCode.create(application=application, phone=application.phone,
                       code_hash=phones.code_hash(application.id, application.phone, code))
        SmsLog.create(phone=application.phone, ip=ip, kind="claim")
        send_sms(application.phone, CODE_SMS, kind="claim", language=languages.of(None), code=code,
                 minutes=current_app.config["OTP_VALID_MINUTES"])


def check_code(application, typed):
    """Accept the code sent for this claim (once), or DomainError saying why not."""
    otp = phones.check_code(application, typed)
    if not phones.use_code(otp):
        raise DomainError(phones.DEAD_CODE, field="code")


def _serializer():
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="portal-claim")


def send_link(application):
    """Email a claim link to the address on the record; it dies when the record is claimed or the address changes."""
    token = _serializer().dumps({"a": application.id, "e": application.contact_email})
    send_email("claim_link", application.contact_email, reference=application.reference,
               name=application.full_name, link=external_url("tracking.claim_link", token=token))


def mask_email(address):
    """"siti.aminah@contoh.id" -> "s***@contoh.id": enough to recognise one's own address."""
    local, _at, domain = (address or "").partition("@")
    return f"{local[:1]}***@{domain}" if domain else ""


def application_for_link(token):
    """The record of a live claim link (sent to the address it still has), or DomainError."""
    try:
        data = _serializer().loads(token, max_age=current_app.config["EMAIL_LINK_MAX_AGE"])
    except (BadSignature, SignatureExpired):
        raise DomainError(LINK_PROBLEM)
    application = Application.get_or_none(Application.id == data.get("a"))
    if application is None or application.contact_email != data.get("e"):
        raise DomainError(LINK_PROBLEM)
    how_to_confirm(application)
    return application


def claim(application, email, password, proven_email=None, ip=None, language="id"):
    """Create the account (in the language its owner claims in) and give it the record, together; the email
    address is verified at once when it is the one the claim link was sent to. DomainError when the address has
    an account or the record was claimed."""
    email = email.strip().lower()
    try:
        with db.atomic():
            account = Account.create(
                full_name=application.full_name or email, email=email,
                password_hash=passwords.hash_password(password), language=language,
                email_verified_at=utcnow() if proven_email and email == proven_email.lower() else None)
            taken = (Application.update(account=account, updated_at=utcnow())
                     .where(Application.id == application.id, Application.account.is_null(),
                            Application.status.not_in(UNCLAIMABLE)).execute())
            if not taken:
                raise DomainError(CANNOT)
            audit.record(account, "application.claimed", application, fields=["account"], ip=ip)
    except IntegrityError:
        raise DomainError(EMAIL_TAKEN, field="email")
    application.account = account
    return account

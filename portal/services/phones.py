"""Mobile number verification by SMS code (DESIGN.md 5): 6 digits, 10 minutes, 5 tries, cooldown and caps."""

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from peewee import IntegrityError

from portal import languages
from portal.domain import DomainError
from portal.i18n import lazy_gettext as _l
from portal.models import Application, OtpCode, SmsLog, db, utcnow
from portal.services.applications import update, write
from portal.sms import send_sms, sms_text
from portal.units import duration
from portal.waits import code_wait

DEAD_CODE = _l("This code can no longer be used. Ask for a new code")
NUMBER_TAKEN = _l("This number is already verified on another application. Use a different number, or visit your local manpower office.")
CODE_SMS = sms_text(_l("Your Prakerja code: %(code)s. Valid for %(minutes)d minutes. Do not give this code to anyone."))


@dataclass
class Allowance:
    wait: int  # seconds until the next code may be sent; 0 = now
    remaining: int  # codes that may still be sent before a cap is reached
    reason: str = None  # why there is a wait: a key of portal.waits.CODE_REASONS

    @property
    def message(self):
        """The wait as the applicant reads it: why, about how many minutes, and what to do meanwhile."""
        return code_wait(self.reason, self.wait) if self.wait else ""


def code_hash(application_id, phone, code):
    """A keyed hash, so a copy of the database does not reveal codes."""
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, f"{application_id}:{phone}:{code}".encode(), hashlib.sha256).hexdigest()


def allowance(application, phone, ip):
    """How soon, and how many more times, a code may be sent to this number for this application from this address.

    The number's and the application's own caps come first; the address's cap is far larger, because an
    internet centre or a mobile network puts many applicants behind one address.
    """
    config = current_app.config
    now = utcnow()
    day, hour = now - timedelta(days=1), now - timedelta(hours=1)
    by_number = [row.created_at for row in SmsLog.select(SmsLog.created_at).where(SmsLog.phone == phone, SmsLog.created_at >= day)]
    by_account = [row.created_at for row in OtpCode.select(OtpCode.created_at)
                  .where(OtpCode.application == application, OtpCode.created_at >= day)]
    by_ip = [row.created_at for row in SmsLog.select(SmsLog.created_at).where(SmsLog.ip == ip, SmsLog.created_at >= day)]
    limits = [
        ("number", by_number, hour, config["SMS_PER_NUMBER_HOUR"]),
        ("number", by_number, day, config["SMS_PER_NUMBER_DAY"]),
        ("account", by_account, hour, config["SMS_PER_ACCOUNT_HOUR"]),
        ("account", by_account, day, config["SMS_PER_ACCOUNT_DAY"]),
        ("connection", by_ip, hour, config["SMS_PER_IP_HOUR"]),
        ("connection", by_ip, day, config["SMS_PER_IP_DAY"]),
    ]
    remaining, free_at = [], [(now, None)]
    if by_number:
        free_at.append((max(by_number) + timedelta(seconds=config["SMS_COOLDOWN"]), "cooldown"))
    for reason, sent, since, cap in limits:
        window = sorted(t for t in sent if t >= since)
        remaining.append(cap - len(window))
        if len(window) >= cap:  # the cap frees up when the oldest send in the window leaves it
            free_at.append((window[len(window) - cap] + (now - since), reason))
    # The longest wait decides; on a tie, the earlier reason (this number, this account) is the one named.
    until, reason = max(free_at, key=lambda pair: pair[0])
    wait = (until - now).total_seconds()
    return Allowance(wait=max(int(wait + 0.999), 0), remaining=max(min(remaining), 0), reason=reason)


def send_code(application, actor, phone, ip):
    """Send a new code to a number, killing earlier ones; refused when the number is taken or limits hit."""
    if Application.select().where(Application.verified_phone == phone, Application.id != application.id).exists():
        raise DomainError(NUMBER_TAKEN, field="phone")
    permitted = allowance(application, phone, ip)
    if permitted.wait:
        raise DomainError(permitted.message, field="phone")
    code = f"{secrets.randbelow(10**6):06d}"
    with db.atomic():  # the code, its log entry and its SMS are written together, or not at all
        update(application, actor, phone=phone)
        OtpCode.update(used=True).where(OtpCode.application == application, OtpCode.used == False).execute()  # noqa: E712
        OtpCode.create(application=application, phone=phone, code_hash=code_hash(application.id, phone, code))
        SmsLog.create(phone=phone, ip=ip, kind="otp")
        # In the applicant's language, as their other SMS; a walk-in at the desk without an account reads Indonesian.
        send_sms(phone, CODE_SMS, kind="otp", language=languages.of_application(application, actor), code=code,
                 minutes=current_app.config["OTP_VALID_MINUTES"])


def latest_code(application):
    """The live code for the application's number, or None."""
    return (OtpCode.select().where(OtpCode.application == application, OtpCode.phone == application.phone,
                                   OtpCode.used == False)  # noqa: E712
            .order_by(OtpCode.created_at.desc()).first())


def expires_at(otp):
    return otp.created_at + timedelta(minutes=current_app.config["OTP_VALID_MINUTES"])


def dead_code_reason(otp):
    """Why the latest code can no longer be entered (expired, or too many wrong tries), or None while it works."""
    config = current_app.config
    if otp is None or otp.attempts >= config["OTP_MAX_ATTEMPTS"]:
        return DEAD_CODE
    if utcnow() >= expires_at(otp):
        return _l("This code has expired: codes work for %(duration)s. Ask for a new code",
                  duration=duration(config["OTP_VALID_MINUTES"] * 60))
    return None


def verify_code(application, actor, typed):
    """Accept the code for the application's number, or say plainly why not."""
    otp = check_code(application, typed)
    try:
        with db.atomic():
            write(application, verified_phone=otp.phone)
            # Only a live code verifies: one killed by a newer code a moment ago, or used by a racing tab, does not.
            if not use_code(otp):
                raise DomainError(DEAD_CODE, field="code")
    except IntegrityError:
        raise DomainError(NUMBER_TAKEN, field="code")
    application.verified_phone = otp.phone
    return application


def use_code(otp):
    """Mark a code used, if it still is live: False when a newer code or a racing tab got there first."""
    return bool(OtpCode.update(used=True).where(OtpCode.id == otp.id, OtpCode.used == False).execute())  # noqa: E712


def check_code(application, typed):
    """The live code the typed one matches (its try counted), or DomainError saying plainly why not."""
    config = current_app.config
    code = "".join(ch for ch in typed or "" if not ch.isspace() and ch != "-")
    pasted = re.search(r"(?<!\d)\d{6}(?!\d)", typed or "")
    if not (code.isdigit() and len(code) == 6) and pasted:
        code = pasted.group(0)  # the whole SMS was pasted: take its code
    if not code:
        raise DomainError(_l("Enter the 6-digit code from the SMS"), field="code")
    if not (code.isdigit() and len(code) == 6):
        raise DomainError(_l("The code must be 6 digits"), field="code")
    otp = latest_code(application)
    dead = dead_code_reason(otp)
    if dead:
        raise DomainError(dead, field="code")
    # The try is counted before the code is compared, and only while tries are left, so parallel guesses
    # cannot get more than OTP_MAX_ATTEMPTS comparisons between them.
    counted = (OtpCode.update(attempts=OtpCode.attempts + 1)
               .where(OtpCode.id == otp.id, OtpCode.used == False, OtpCode.attempts < config["OTP_MAX_ATTEMPTS"])  # noqa: E712
               .execute())
    if not counted:
        raise DomainError(DEAD_CODE, field="code")
    if not hmac.compare_digest(otp.code_hash, code_hash(application.id, otp.phone, code)):
        left = config["OTP_MAX_ATTEMPTS"] - OtpCode.select(OtpCode.attempts).where(OtpCode.id == otp.id).scalar()
        if left <= 0:
            raise DomainError(_l("The code was wrong %(count)d times. Ask for a new code",
                                 count=config["OTP_MAX_ATTEMPTS"]), field="code")
        raise DomainError(_l("The code is not correct. You have %(left)d tries left", left=left), field="code")
    return otp

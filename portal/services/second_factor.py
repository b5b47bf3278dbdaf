"""Staff second factor: an authenticator app (TOTP, RFC 6238, via pyotp) and ten single-use recovery codes."""

import hashlib
import hmac
import secrets
import time

import pyotp
import segno
from flask import current_app

from portal.domain import DomainError
from portal.i18n import lazy_gettext as _l
from portal.models import RecoveryCode, SecondFactor, db, utcnow
from portal.rules.reference import ALPHABET, normalise_code
from portal.sealing import open_sealed, seal
from portal.services import audit

ISSUER = "Portal Prakerja"
STEP_SECONDS = 30
# Codes from one step either side are accepted: phone clocks drift and typing takes time.
DRIFT_STEPS = 1
RECOVERY_CODES = 10
RECOVERY_LENGTH = 10  # Crockford base32: 50 random bits each


def enrolled_factor(account):
    """The account's confirmed authenticator, or None."""
    return SecondFactor.get_or_none(SecondFactor.account == account, SecondFactor.enrolled_at.is_null(False))


def is_enrolled(account):
    return enrolled_factor(account) is not None


def pending_secret(account):
    """The secret being set up (made on first call, kept until confirmed), as base32 text."""
    factor = SecondFactor.get_or_none(SecondFactor.account == account)
    if factor is not None and factor.enrolled_at is not None:
        raise DomainError(_l("Your authenticator is already set up."))
    if factor is None:
        factor = SecondFactor.create(account=account, secret_sealed=seal("totp", pyotp.random_base32()))
    return open_sealed("totp", factor.secret_sealed)


def provisioning_uri(account, secret):
    """The otpauth:// address an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=account.email, issuer_name=ISSUER)


def qr_svg(uri, title):
    """The QR code as inline SVG, made here: no image is fetched from anywhere."""
    svg = segno.make(uri, error="m").svg_inline(scale=4, border=4, title=title, svgclass=None, lineclass=None)
    return svg.replace("<svg ", '<svg role="img" ', 1)


def _current_step():
    return int(time.time()) // STEP_SECONDS


def _matching_step(secret, code):
    """The time step near now whose code this is, or None."""
    totp = pyotp.TOTP(secret)
    now = _current_step()
    for step in range(now - DRIFT_STEPS, now + DRIFT_STEPS + 1):
        if hmac.compare_digest(totp.at(step * STEP_SECONDS), code):
            return step
    return None


def _use_step(factor, step):
    """Accept a step once: a conditional UPDATE, so a code cannot be replayed, even by two requests at once."""
    query = SecondFactor.update(last_step=step).where(SecondFactor.id == factor.id, SecondFactor.last_step < step)
    return query.execute() == 1


def confirm_enrolment(account, code, ip=None):
    """Finish setting up when the code matches the pending secret; returns the new recovery codes to show once."""
    factor = SecondFactor.get_or_none(SecondFactor.account == account, SecondFactor.enrolled_at.is_null())
    step = _matching_step(open_sealed("totp", factor.secret_sealed), code) if factor else None
    if step is None:
        raise DomainError(_l("The code is not correct. Check the time on your phone is right and enter the newest code."), "code")
    with db.atomic():
        if not _use_step(factor, step):
            raise DomainError(_l("This code was already used. Wait for the next code and enter it."), "code")
        SecondFactor.update(enrolled_at=utcnow()).where(SecondFactor.id == factor.id).execute()
        codes = _replace_recovery_codes(account)
        audit.record(account, "staff.enrolled", account, fields=("second_factor", "recovery_codes"), ip=ip)
    return codes


def _recovery_hash(account, code):
    key = hashlib.sha256(b"recovery-code:" + current_app.config["SECRET_KEY"].encode()).digest()
    return hmac.new(key, f"{account.id}:{code}".encode(), hashlib.sha256).hexdigest()


def renew_recovery_codes(account, ip=None):
    """Replace the account's recovery codes with ten new ones; returns them (they are stored only hashed)."""
    with db.atomic():
        codes = _replace_recovery_codes(account)
        audit.record(account, "staff.recovery_codes_renewed", account, fields=("recovery_codes",), ip=ip)
    return codes


def _replace_recovery_codes(account):
    codes = []
    for _ in range(RECOVERY_CODES):
        chars = "".join(secrets.choice(ALPHABET) for _ in range(RECOVERY_LENGTH))
        codes.append(f"{chars[:5]}-{chars[5:]}")
    RecoveryCode.delete().where(RecoveryCode.account == account).execute()
    RecoveryCode.insert_many(
        [{"account": account.id, "code_hash": _recovery_hash(account, c), "created_at": utcnow()} for c in codes]
    ).execute()
    return codes


def recovery_codes_left(account):
    return RecoveryCode.select().where(RecoveryCode.account == account, RecoveryCode.used_at.is_null()).count()


def check(account, code):
    """Which kind of code this is for the account, once: "totp", "recovery", or None when it is not valid."""
    code = (code or "").strip().replace(" ", "")
    factor = enrolled_factor(account)
    if factor is None:
        return None
    if code.isdigit() and len(code) == 6:
        step = _matching_step(open_sealed("totp", factor.secret_sealed), code)
        return "totp" if step is not None and _use_step(factor, step) else None
    typed = normalise_code(code, RECOVERY_LENGTH)
    if typed is None:
        return None
    row = RecoveryCode.get_or_none(
        RecoveryCode.account == account, RecoveryCode.code_hash == _recovery_hash(account, f"{typed[:5]}-{typed[5:]}"),
        RecoveryCode.used_at.is_null(),
    )
    used = row is not None and (
        RecoveryCode.update(used_at=utcnow())
        .where(RecoveryCode.id == row.id, RecoveryCode.used_at.is_null())
        .execute() == 1
    )
    return "recovery" if used else None


def remove(account):
    """Forget the authenticator and recovery codes (the administrator resets a lost one)."""
    SecondFactor.delete().where(SecondFactor.account == account).execute()
    RecoveryCode.delete().where(RecoveryCode.account == account).execute()

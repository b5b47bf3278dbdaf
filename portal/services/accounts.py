"""Account rules: registration, email verification, login checks, password reset."""

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from peewee import IntegrityError

from portal.domain import DomainError
from portal.i18n import lazy_gettext as _l
from portal.models import Account, LoginSession, db, utcnow
from portal.roles import is_staff
from portal.services import passwords


def _serializer(purpose):
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"portal-{purpose}")


def register(full_name, email, password, language="id"):
    """Create an unverified account, in the language its owner registered in; None when the address has one."""
    try:
        with db.atomic():
            return Account.create(
                full_name=full_name, email=email.strip().lower(), password_hash=passwords.hash_password(password),
                language=language,
            )
    except IntegrityError:
        return None


def verification_token(account):
    """A link token tied to the address, so it dies if the address is changed."""
    return _serializer("verify").dumps({"a": account.id, "e": account.email})


def reset_token(account):
    """A link token tied to the current password, so it works once."""
    return _serializer("reset").dumps({"a": account.id, "p": passwords.fingerprint(account.password_hash)})


def _load(purpose, token, max_age):
    try:
        data = _serializer(purpose).loads(token, max_age=max_age)
    except SignatureExpired:
        raise DomainError(_l("This link has expired."))
    except BadSignature:
        raise DomainError(_l("This link is not valid. Check you used the whole link from the email."))
    account = Account.get_or_none(Account.id == data.get("a"))
    if account is None:
        raise DomainError(_l("This link is not valid. Check you used the whole link from the email."))
    return account, data


def verify_email(token):
    """Mark the address in the token verified; a used or outdated link is refused."""
    account, data = _load("verify", token, current_app.config["EMAIL_LINK_MAX_AGE"])
    if account.is_verified:
        raise DomainError(_l("This link has already been used. Your email address is verified: you can log in."))
    if data.get("e") != account.email:
        raise DomainError(_l("This link was sent to an address you have since changed. Use the link in the latest email."))
    account.email_verified_at = utcnow()
    account.save()
    return account


def account_for_reset(token):
    """The account a reset link belongs to, while the link is unused and fresh."""
    account, data = _load("reset", token, current_app.config["RESET_LINK_MAX_AGE"])
    if data.get("p") != passwords.fingerprint(account.password_hash):
        raise DomainError(_l("This link has already been used. Ask for a new one if you still need to reset your password."))
    return account


def reset_password(account, password):
    """Set a new password, end every session in every browser, and count the emailed link as proof of the address."""
    account.password_hash = passwords.hash_password(password)
    account.email_verified_at = account.email_verified_at or utcnow()
    with db.atomic():
        account.save()
        LoginSession.end_all(account)
    return account


def authenticate(email, password, staff=False):
    """The account for these credentials, or None; upgrades the hash when the cost settings changed.

    Each entrance knows only its own accounts: the applicant login (staff=False) answers None for a staff
    account, and the staff entrance for an applicant or a deactivated account, exactly as for a wrong
    password. The staff entrance stamps the login time itself, once the second factor is passed.
    """
    account = Account.by_email(email)
    if account is None or is_staff(account) != staff or not account.is_active:
        # Hash anyway so an unknown address takes as long as a wrong password.
        passwords.check_password(_dummy_hash(), password)
        return None
    if not passwords.check_password(account.password_hash, password):
        return None
    if passwords.needs_rehash(account.password_hash):
        account.password_hash = passwords.hash_password(password)
    if not staff:
        account.last_login_at = utcnow()
    account.save()
    return account


def change_email(account, new_email):
    """Point an unverified account at another address; returns False when that address is taken."""
    try:
        with db.atomic():
            account.email = new_email.strip().lower()
            account.save()
        return True
    except IntegrityError:
        account.email = Account.get_by_id(account.id).email
        return False


_dummy = {}


def _dummy_hash():
    key = (current_app.config["ARGON2_TIME_COST"], current_app.config["ARGON2_MEMORY_COST"])
    if key not in _dummy:
        _dummy[key] = passwords.hash_password("not-a-real-password")
    return _dummy[key]

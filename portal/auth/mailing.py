"""Sign-up emails: what an address needs, and the caps that keep the forms from relaying spam."""

import secrets

from flask import current_app, session

from portal import throttle
from portal.email import send_allowance, send_email
from portal.links import external_url
from portal.models import Account
from portal.services import accounts

# Kinds that share one cooldown and hourly cap per address.
SIGNUP_KINDS = ("verify_email", "account_exists", "register_prompt")
RESET_KINDS = ("reset_password",)


def mail_quota(account_id=None):
    """Caps on emails sent for this browser and for the account it registered, so the forms relay no spam."""
    config = current_app.config
    browser = session.setdefault("browser", secrets.token_urlsafe(12))
    quota = [(config["EMAIL_LIMIT_SESSION"], "mail-browser", browser)]
    if account_id:
        quota.append((config["EMAIL_LIMIT_ACCOUNT"], "mail-account", str(account_id)))
    return quota


def allowance(address, kinds):
    """Seconds until an email of these kinds may go to an address (0 = now), and how many remain this hour."""
    config = current_app.config
    return send_allowance(address, kinds, config["EMAIL_RESEND_COOLDOWN"], config["EMAIL_HOURLY_CAP"])


def resend_wait(pending):
    """Seconds until another sign-up email may go to the pending address, and why; (0, None) when it may now."""
    wait, remaining = allowance(pending["email"], SIGNUP_KINDS)
    quota_wait = throttle.wait_all(mail_quota(pending["id"]))
    if quota_wait > wait:
        return quota_wait, "registration"
    if not wait:
        return 0, None
    return wait, "cooldown" if remaining else "address"


def send_signup_email(address, account_id=None):
    """Send what a sign-up at this address needs: a verification link, an "account exists" note, or a prompt.

    The owner is looked up by address, so the email always speaks of the account that really has it.
    Returns the seconds to wait when this registration has had its emails for now (then nothing is sent).
    """
    if allowance(address, SIGNUP_KINDS)[0]:
        return 0
    wait = throttle.take_all(mail_quota(account_id))
    if wait:
        return wait
    owner = Account.by_email(address)
    if owner is None:
        send_email("register_prompt", address, link=external_url("auth.register"))
    elif owner.is_verified:
        send_email(
            "account_exists", address, account=owner, name=owner.full_name,
            login_link=external_url("auth.login"), reset_link=external_url("auth.forgot"),
        )
    else:
        link = external_url("auth.verify", token=accounts.verification_token(owner))
        send_email("verify_email", address, account=owner, name=owner.full_name, link=link)
    return 0

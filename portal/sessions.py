"""Login sessions (DESIGN.md 5): a row on the server per login, ended by logging out, a password reset,
15 minutes idle or 12 hours. The signed cookie carries only the account id and the session's random key,
so a copy of the cookie dies with the row.
"""

import hashlib
import secrets
import time
from datetime import datetime, timedelta, timezone

from flask import current_app, flash, g, request, session, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user

from portal.extensions import login_manager
from portal.htmx import see_other
from portal.models import Account, LoginSession

SESSION_KEY = "sid"


def now():
    """Naive UTC now, read from time.time() so that tests can move the clock."""
    return datetime.fromtimestamp(time.time(), tz=timezone.utc).replace(tzinfo=None)


def key_hash(key):
    return hashlib.sha256(key.encode()).hexdigest()


def ends_at(row):
    """When a login session ends unless it is used again: idle limit or absolute limit, whichever is first."""
    config = current_app.config
    return min(row.last_seen_at + timedelta(minutes=config["SESSION_IDLE_MINUTES"]),
               row.created_at + timedelta(hours=config["SESSION_MAX_HOURS"]))


@login_manager.user_loader
def load_account(account_id):
    """The account and its login session in one query; None when the session has ended on the server."""
    key = session.get(SESSION_KEY)
    if not (key and account_id.isdigit()):
        return None
    row = (LoginSession.select(LoginSession, Account).join(Account)
           .where(LoginSession.key_hash == key_hash(key), LoginSession.account == int(account_id)).first())
    if row is None:
        return None
    moment = now()
    if moment >= ends_at(row):
        row.delete_instance()
        g.session_timed_out = True
        return None
    if (moment - row.last_seen_at).total_seconds() >= current_app.config["SESSION_TOUCH_SECONDS"]:
        LoginSession.update(last_seen_at=moment).where(LoginSession.id == row.id).execute()
        row.last_seen_at = moment
    account = row.account
    account.login_session = row
    return account


def start_session(account):
    """Log an account in with a fresh session, so nothing from before login carries over."""
    session.clear()
    moment = now()
    config = current_app.config
    # Sessions that timed out without a logout are cleared away by the next login of anyone.
    LoginSession.delete().where(
        (LoginSession.last_seen_at <= moment - timedelta(minutes=config["SESSION_IDLE_MINUTES"]))
        | (LoginSession.created_at <= moment - timedelta(hours=config["SESSION_MAX_HOURS"]))
    ).execute()
    key = secrets.token_urlsafe(32)
    account.login_session = LoginSession.create(account=account, key_hash=key_hash(key), created_at=moment,
                                                last_seen_at=moment)
    session[SESSION_KEY] = key
    login_user(account)


def end_session():
    """Log out: delete the session's row, so that no copy of the cookie works, and empty the cookie."""
    key = session.get(SESSION_KEY)
    if key:
        LoginSession.delete().where(LoginSession.key_hash == key_hash(key)).execute()
    logout_user()
    session.clear()


def expires_at():
    """Epoch seconds when the current session ends if the user does nothing."""
    return ends_at(current_user.login_session).replace(tzinfo=timezone.utc).timestamp()


def seconds_left():
    """Seconds until the current session ends if the user does nothing."""
    return max(int(expires_at() - time.time()), 0)


def enforce_limits():
    """Forget a login that ended on the server; one that timed out goes to the login page, saying why."""
    if request.endpoint == "static" or current_user.is_authenticated or "_user_id" not in session:
        return None
    session.clear()
    if g.pop("session_timed_out", False):
        flash(_l("You were logged out because you were inactive for a while. Log in again to continue."), "info")
        return see_other(url_for("auth.login"))
    return None


def init_app(app):
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Log in to continue.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    app.before_request(enforce_limits)

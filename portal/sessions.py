"""Login sessions: renewed at login, idle limit 15 minutes, absolute limit 12 hours (DESIGN.md 5).

A session started at the staff entrance is marked as such: it has its own idle limit, sends its owner back
to /petugas when it ends, and carries a flag once the second factor has been passed (portal.roles checks it).
"""

import time

from flask import current_app, flash, request, session, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user

from portal.extensions import login_manager
from portal.htmx import see_other
from portal.models import Account


@login_manager.user_loader
def load_account(session_id):
    """Load the account for a session id "<id>.<epoch>"; an old epoch means the session was ended."""
    account_id, _, epoch = session_id.partition(".")
    if not (account_id.isdigit() and epoch.isdigit()):
        return None
    account = Account.get_or_none(Account.id == int(account_id))
    if account is None or account.session_epoch != int(epoch):
        return None
    return account


STAFF = "staff"
SECOND_FACTOR = "second_factor"


def start_session(account, staff=False):
    """Log an account in with a fresh session, so nothing from before login carries over."""
    session.clear()
    login_user(account)
    session["started"] = session["seen"] = int(time.time())
    if staff:
        session[STAFF] = True


def pass_second_factor():
    """Note that this staff session has passed its second factor."""
    session[SECOND_FACTOR] = True


def second_factor_passed():
    return session.get(SECOND_FACTOR) is True


def is_staff_session():
    return session.get(STAFF) is True


def login_endpoint():
    """Where the owner of this session signs in again."""
    return "staff.login" if is_staff_session() else "auth.login"


def end_session():
    logout_user()
    session.clear()


def expires_at():
    """Epoch seconds when the current session ends if the user does nothing."""
    config = current_app.config
    idle = config["STAFF_IDLE_MINUTES" if is_staff_session() else "SESSION_IDLE_MINUTES"]
    idle_end = session.get("seen", 0) + idle * 60
    return min(idle_end, session.get("started", 0) + config["SESSION_MAX_HOURS"] * 3600)


def seconds_left():
    """Seconds until the current session ends if the user does nothing."""
    return max(int(expires_at() - time.time()), 0)


def enforce_limits():
    """End a session that was idle too long or is too old; otherwise note this request as activity."""
    if request.endpoint == "static" or not current_user.is_authenticated:
        return None
    if time.time() >= expires_at():
        login_url = url_for(login_endpoint())
        end_session()
        flash(_l("You were logged out because you were inactive for a while. Log in again to continue."), "info")
        return see_other(login_url)
    session["seen"] = int(time.time())
    return None


def init_app(app):
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Log in to continue.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    app.before_request(enforce_limits)

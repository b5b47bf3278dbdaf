"""Login sessions (DESIGN.md 5): a row on the server per login, ended by logging out, a password reset,
the idle limit or 12 hours. The signed cookie carries only the account id and the session's random key,
so a copy of the cookie dies with the row.

A session started at the staff entrance is marked as such on its row: it has its own idle limit, sends its
owner back to /petugas when it ends, and records when the second factor was passed (portal.guards checks it).
"""

import hashlib
import secrets
import time
from datetime import datetime, timedelta, timezone

from flask import current_app, flash, g, request, session, url_for
from flask_login import current_user, login_user, logout_user
from peewee import JOIN

from portal.extensions import login_manager
from portal.htmx import see_other
from portal.i18n import lazy_gettext as _l
from portal.models import Account, Application, LoginSession
from portal.models.applications import PHOTOS_OF_ROW
from portal.models.prepared import Prepared

SESSION_KEY = "sid"


def now():
    """Naive UTC now, read from time.time() so that tests can move the clock."""
    return datetime.fromtimestamp(time.time(), tz=timezone.utc).replace(tzinfo=None)


def key_hash(key):
    return hashlib.sha256(key.encode()).hexdigest()


def idle_limit(staff):
    """How long a session may go unused: staff on shared office PCs have their own limit."""
    return timedelta(minutes=current_app.config["STAFF_IDLE_MINUTES" if staff else "SESSION_IDLE_MINUTES"])


def ends_at(row):
    """When a login session ends unless it is used again: idle limit or absolute limit, whichever is first."""
    return min(row.last_seen_at + idle_limit(row.staff),
               row.created_at + timedelta(hours=current_app.config["SESSION_MAX_HOURS"]))


def idle_since(moment, staff):
    """Sessions of one kind (staff or not) unused for longer than their idle limit at a moment."""
    return (LoginSession.staff == staff) & (LoginSession.last_seen_at <= moment - idle_limit(staff))


# Every signed-in request runs it: its SQL is written once. An applicant's application (with its photo count)
# comes in the same round trip, for the applicant's pages (services.applications.draft_for); staff have none.
SESSION_ROW = Prepared(lambda key_hash, account_id: (
    LoginSession.select(LoginSession, Account, Application, PHOTOS_OF_ROW).join(Account)
    .join(Application, JOIN.LEFT_OUTER, on=(Application.account == Account.id), attr="preloaded_application")
    .where(LoginSession.key_hash == key_hash, LoginSession.account == account_id).limit(1)))


@login_manager.user_loader
def load_account(account_id):
    """The account and its login session in one query; None when the session has ended on the server."""
    key = session.get(SESSION_KEY)
    if not (key and account_id.isdigit()):
        return None
    row = SESSION_ROW.first(key_hash(key), int(account_id))
    if row is None:
        return None
    if not row.account.is_active:  # deactivation deletes the rows; this covers a request already under way
        return None
    moment = now()
    if moment >= ends_at(row):
        row.delete_instance()
        g.session_timed_out = "staff.login" if row.staff else "auth.login"
        return None
    if (moment - row.last_seen_at).total_seconds() >= current_app.config["SESSION_TOUCH_SECONDS"]:
        LoginSession.update(last_seen_at=moment).where(LoginSession.id == row.id).execute()
        row.last_seen_at = moment
    account = row.account
    account.login_session = row
    return account


def start_session(account, staff=False, second_factor=False):
    """Log an account in with a fresh session, so nothing from before login carries over.

    `staff` marks a sign-in at the staff entrance; `second_factor` that it was made with a code too.
    """
    ended = session.get(SESSION_KEY)
    if ended:  # a sign-in from a signed-in browser (the second factor set up) replaces its session
        LoginSession.delete().where(LoginSession.key_hash == key_hash(ended)).execute()
    session.clear()
    moment = now()
    max_age = timedelta(hours=current_app.config["SESSION_MAX_HOURS"])
    # Sessions that timed out without a logout are cleared away by the next login of anyone.
    LoginSession.delete().where(
        idle_since(moment, False) | idle_since(moment, True) | (LoginSession.created_at <= moment - max_age)
    ).execute()
    key = secrets.token_urlsafe(32)
    account.login_session = LoginSession.create(
        account=account, key_hash=key_hash(key), created_at=moment, last_seen_at=moment, staff=staff,
        second_factor_at=moment if second_factor else None,
    )
    session[SESSION_KEY] = key
    login_user(account)


def current_session():
    """The signed-in user's login session row, or None."""
    return current_user.login_session if current_user.is_authenticated else None


def second_factor_passed():
    row = current_session()
    return row is not None and row.second_factor_at is not None


def is_staff_session():
    row = current_session()
    return row is not None and row.staff


def login_endpoint():
    """Where the owner of this session signs in again."""
    return "staff.login" if is_staff_session() else "auth.login"


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
    """Forget a login that ended on the server; one that timed out goes to its login page, saying why."""
    if request.endpoint == "static" or current_user.is_authenticated or "_user_id" not in session:
        return None
    session.clear()
    login = g.pop("session_timed_out", None)
    if login:
        flash(_l("You were logged out because you were inactive for a while. Log in again to continue."), "info")
        return see_other(url_for(login))
    return None


def init_app(app):
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Log in to continue.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    app.before_request(enforce_limits)

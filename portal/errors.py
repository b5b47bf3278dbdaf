"""Error pages for every HTTP error and the CSRF retry."""

import time
from urllib.parse import urlsplit

from flask import current_app, flash, g, request, session, url_for
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from peewee import InterfaceError, OperationalError, PeeweeException
from werkzeug.exceptions import HTTPException, InternalServerError, SecurityError, ServiceUnavailable

from portal.domain import DomainError
from portal.extensions import limiter, login_manager
from portal.htmx import see_other
from portal.i18n import gettext as _
from portal.i18n import lazy_gettext as _l
from portal.navigation import local_path
from portal.rendering import render_page
from portal.security import CLEAR_SITE_DATA
from portal.units import size_setting

TITLES = {
    400: _l("The request could not be understood"),
    403: _l("You do not have access to this page"),
    404: _l("Page not found"),
    405: _l("This action is not allowed here"),
    413: _l("What you sent is too large"),
    429: _l("Too many attempts"),
    500: _l("Sorry, there is a problem with the service"),
    503: _l("Sorry, the service is not available right now"),
}
# A fault may strike after some answers were stored, so the page promises nothing either way.
FAULT = _l("There is a problem with the service. Your answers on this page may not have been saved. "
           "Try again in a few minutes.")
MESSAGES = {
    400: _l("Go back and try again."),
    403: _l("If you think you should have access, log in with the right account."),
    404: _l("If you typed the web address, check it is correct. If you pasted it, check you copied the whole address."),
    405: _l("Go back to the previous page and use the buttons on it."),
    413: _l("Go back and send less. Forms are limited to %(form)s; photos to %(photo)s.",
            form=size_setting("MAX_CONTENT_LENGTH"), photo=size_setting("UPLOAD_MAX_BYTES")),
    429: _l("For your security we have paused this for a while."),
    500: FAULT,
    503: FAULT,
}


def render_error(error):
    """Render the error page for an HTTP error code; a 429 says when to try again."""
    code = error.code if isinstance(error, HTTPException) and error.code in TITLES else 500
    headers = {}
    retry_at = retry_time(error) if code == 429 else None
    if retry_at:
        headers["Retry-After"] = str(max(int(retry_at - time.time()), 1))
    elif code == 503:
        headers["Retry-After"] = "60"
    user_or_anonymous()
    body, status = render_page(
        "errors/error.html", status=code, code=code, title=TITLES[code], message=MESSAGES[code], retry_at=retry_at
    )
    return body, status, headers


def retry_time(error):
    """Epoch seconds when a refused request may be tried again: from our own limits or Flask-Limiter's."""
    if isinstance(getattr(error, "retry_after", None), int):
        return time.time() + error.retry_after
    return limiter.current_limit.reset_at if limiter.current_limit else None


def user_or_anonymous():
    """Load the user for the page header; when the database cannot say who it is, they are shown as unknown."""
    try:
        current_user.is_authenticated
    except PeeweeException:
        g._login_user = login_manager.anonymous_user()  # where Flask-Login keeps the request's user


def database_unavailable(error):
    """The database cannot be reached: a 503 page that needs no database, and the cause in the log."""
    current_app.logger.error("database unavailable on %s %s: %s", request.method, request.endpoint, error)
    body, status, headers = render_error(ServiceUnavailable())
    if request.endpoint in ("auth.logout", "staff.logout"):
        # Finish and clear must still empty this shared browser; the server ends the session when idle.
        session.clear()
        headers.update(CLEAR_SITE_DATA)
    return body, status, headers


def untrusted_host(error):
    """A Host outside TRUSTED_HOSTS: a short plain answer, since a page's links cannot be built for it."""
    return _("This address does not belong to the Prakerja Portal."), 400, {"Content-Type": "text/plain; charset=utf-8"}


def csrf_retry(error):
    """An expired or missing form token: send the user back to the form with a note, not an error page."""
    flash(_l("The form expired before you sent it. Please enter your answers again and continue."), "error")
    return see_other(form_page())


def domain_error(error):
    """A rule broken where the view did not expect it (another tab sent the application): say so, no 500.

    After a POST the form's page shows the message; a page that cannot be shown goes home, never to itself.
    """
    flash(error.message, "error")
    return see_other(form_page() if request.method == "POST" else url_for("main.home"))


def form_page():
    """The page the failed form lives on: its own URL if that can be shown, else the page it was sent from."""
    try:
        current_app.url_map.bind_to_environ(request.environ).match(request.path, method="GET")
        return request.path
    except HTTPException:  # a POST-only action such as "send again"
        return local_path(urlsplit(request.referrer or "").path)


def register_error_handlers(app):
    app.register_error_handler(CSRFError, csrf_retry)
    app.register_error_handler(DomainError, domain_error)
    app.register_error_handler(SecurityError, untrusted_host)
    app.register_error_handler(HTTPException, render_error)
    app.register_error_handler(InternalServerError, render_error)
    app.register_error_handler(OperationalError, database_unavailable)
    app.register_error_handler(InterfaceError, database_unavailable)

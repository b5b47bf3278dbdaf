"""Error pages for every HTTP error and the CSRF retry."""

import time

from urllib.parse import urlsplit

from flask import current_app, flash, request, url_for
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from portal.domain import DomainError
from portal.extensions import limiter
from portal.htmx import see_other
from portal.navigation import local_path
from portal.rendering import render_page
from portal.units import size_setting

TITLES = {
    400: _l("The request could not be understood"),
    403: _l("You do not have access to this page"),
    404: _l("Page not found"),
    405: _l("This action is not allowed here"),
    413: _l("What you sent is too large"),
    429: _l("Too many attempts"),
    500: _l("Sorry, there is a problem with the service"),
}
MESSAGES = {
    400: _l("Go back and try again."),
    403: _l("If you think you should have access, log in with the right account."),
    404: _l("If you typed the web address, check it is correct. If you pasted it, check you copied the whole address."),
    405: _l("Go back to the previous page and use the buttons on it."),
    413: _l("Go back and send less. Forms are limited to %(form)s; photos to %(photo)s.",
            form=size_setting("MAX_CONTENT_LENGTH"), photo=size_setting("UPLOAD_MAX_BYTES")),
    429: _l("For your security we have paused this for a while."),
    500: _l("Try again later. Nothing you entered on this page has been saved."),
}


def render_error(error):
    """Render the error page for an HTTP error code; a 429 says when to try again."""
    code = error.code if isinstance(error, HTTPException) and error.code in TITLES else 500
    headers = {}
    retry_at = None
    if code == 429 and limiter.current_limit:
        retry_at = limiter.current_limit.reset_at
        headers["Retry-After"] = str(max(int(retry_at - time.time()), 1))
    body, status = render_page(
        "errors/error.html", status=code, code=code, title=TITLES[code], message=MESSAGES[code], retry_at=retry_at
    )
    return body, status, headers


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
    app.register_error_handler(HTTPException, render_error)
    app.register_error_handler(InternalServerError, render_error)

"""Response headers that keep pages private on shared terminals, and HTTPS-aware cookies."""

from flask import current_app, request
from flask.sessions import SecureCookieSessionInterface

# "Selesai dan bersihkan": the browser forgets this site's cookies, storage and cached pages.
CLEAR_SITE_DATA = {"Clear-Site-Data": '"cache", "cookies", "storage"'}
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'"
)


class SessionInterface(SecureCookieSessionInterface):
    """Marks the session cookie Secure whenever the request came over HTTPS; builds its signer once."""

    def get_cookie_secure(self, app):
        return super().get_cookie_secure(app) or request.is_secure

    def get_signing_serializer(self, app):
        # Flask builds a new serializer for every request, even one without a cookie: a tenth of a simple
        # page's time, profiled. The keys are the app's; a changed key (tests) builds a new one.
        keys = (app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ()))
        cached = app.extensions.get("portal_session_serializer")
        if cached is None or cached[0] != keys:
            cached = app.extensions["portal_session_serializer"] = (keys, super().get_signing_serializer(app))
        return cached[1]


SECURITY_HEADERS = (
    ("Content-Security-Policy", CSP),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "same-origin"),
    ("X-Frame-Options", "DENY"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
    ("Permissions-Policy", "geolocation=(), microphone=(), interest-cohort=()"),
)


def secure_headers(response):
    """Add the security headers a view has not set itself; nothing but static files may be stored by a browser
    or proxy."""
    headers = response.headers
    # One pass over the headers: Werkzeug's setdefault raises and catches a KeyError for each missing one.
    present = {name.lower() for name in headers.keys()}
    headers.extend([(name, value) for name, value in SECURITY_HEADERS if name.lower() not in present])
    if request.endpoint != "static" and not response.cache_control.private:
        # Pages hold names, emails and later NIKs: never keep them in a shared browser's cache. A view may
        # allow its own browser alone ("private") to keep an answer, as photo thumbnails under a content tag do.
        headers["Cache-Control"] = "no-store"
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    return response


def allows_upload(view):
    """Mark a view as taking a photo upload: its requests may be as large as UPLOAD_MAX_BYTES plus the form."""
    view.allows_upload = True
    return view


def body_limit():
    """Raise the request-size cap for upload views before anything (CSRF included) reads the body."""
    view = current_app.view_functions.get(request.endpoint)
    if getattr(view, "allows_upload", False):
        request.max_content_length = current_app.config["UPLOAD_MAX_BYTES"] + 256 * 1024
        # Werkzeug's multipart decoder checks each 64 KiB read against this, so it must stay above that.
        request.max_form_memory_size = 512 * 1024

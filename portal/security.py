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
    """Marks the session cookie Secure whenever the request came over HTTPS."""

    def get_cookie_secure(self, app):
        return super().get_cookie_secure(app) or request.is_secure


def secure_headers(response):
    """Add the security headers; nothing but static files may be stored by a browser or proxy."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "geolocation=(), microphone=(), interest-cohort=()")
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

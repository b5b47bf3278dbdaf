"""The only module that knows htmx's request and response headers."""

from flask import redirect, request


def is_partial():
    """True when htmx asked for a fragment rather than a whole page."""
    headers = request.headers
    return (
        headers.get("HX-Request") == "true"
        and headers.get("HX-Boosted") != "true"
        and headers.get("HX-History-Restore-Request") != "true"
    )


def layout():
    """The layout a page extends: the bare partial for htmx, the full document otherwise."""
    return "partial.html" if is_partial() else "base.html"


def see_other(location):
    """Redirect after POST; htmx follows a 303 itself, so plain and htmx requests share it."""
    return redirect(location, code=303)


def client_redirect(location):
    """Tell htmx to load another page whole (HX-Redirect): a polled fragment whose wait is over."""
    return "", 204, {"HX-Redirect": location}


def add_vary(response):
    """Caches must key on HX-Request because one URL serves both a page and a fragment."""
    response.vary.add("HX-Request")
    return response

"""Pages every visitor sees alike, kept rendered in each process's memory (Flask-Caching), one copy per language
and layout: the home page and the empty login and registration forms, where a wave opening's crowd arrives.
An empty form's page differs from one visitor to the next only by its CSRF token, put in as the page leaves;
a page without a form is kept compressed too, once for each encoding.
"""

import gzip

import brotli
from flask import current_app, make_response, request, session
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from portal.extensions import cache
from portal.htmx import layout
from portal.rendering import render_page

# Stands in for the CSRF token in a kept page: a token is hex, a dot and base64url, so never holds a "~".
TOKEN_SLOT = "csrf~slot"


def shared():
    """True when this request gets the page every visitor sees: a GET from someone not signed in, with no
    message waiting and no query string (the language link and a form's action carry it)."""
    return (request.method == "GET" and not request.args and "_flashes" not in session
            and not current_user.is_authenticated)


def shared_page(template_name, form_class=None):
    """The page, rendered on its first request in this language and layout and then taken from memory; with
    `form_class`, showing an empty form of that class with this visitor's CSRF token."""
    csrf = bool(form_class) and current_app.config["WTF_CSRF_ENABLED"]
    key = f"page/{template_name}/{get_locale()}/{layout()}/{csrf}"
    page = cache.get(key)
    if page is None:
        context = {}
        if form_class:
            context["form"] = form = form_class()
            if csrf:
                form.csrf_token.current_token = TOKEN_SLOT
        page, _status = render_page(template_name, **context)
        cache.set(key, page)
    return page.replace(TOKEN_SLOT, generate_csrf()) if csrf else encoded(key, page)


def encoded(key, page):
    """The kept page compressed for this browser, as Flask-Compress would do on every request (it leaves a
    response that already has a Content-Encoding alone): brotli was a sixth of the home page's time."""
    config = current_app.config
    encoding = request.accept_encodings.best_match(config["COMPRESS_ALGORITHM"])
    if encoding not in ("br", "gzip") or len(page) < config["COMPRESS_MIN_SIZE"]:
        return page
    body = cache.get(f"{key}/{encoding}")
    if body is None:
        data = page.encode()
        body = (brotli.compress(data, quality=config["COMPRESS_BR_LEVEL"]) if encoding == "br"
                else gzip.compress(data, config["COMPRESS_LEVEL"], mtime=0))
        cache.set(f"{key}/{encoding}", body)
    response = make_response(body)
    response.headers["Content-Encoding"] = encoding
    return response

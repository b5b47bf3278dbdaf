"""Pages every visitor sees alike, kept rendered in each process's memory (Flask-Caching), one copy per language
and layout: the home page and the empty login and registration forms, where a wave opening's crowd arrives.
An empty form's page differs from one visitor to the next only by its CSRF token, put in as the page leaves.
"""

from flask import current_app, request, session
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
    return page.replace(TOKEN_SLOT, generate_csrf()) if csrf else page

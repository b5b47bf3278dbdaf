"""Absolute links sent out of the portal (emails, SMS), built on BASE_URL and never on the request's Host.

A request's Host header (or X-Forwarded-Host) is whatever the sender typed: a reset link built from it
could point a victim at someone else's site.
"""

from urllib.parse import urlsplit

from flask import current_app


def external_url(endpoint, **values):
    """The absolute URL of an endpoint at the portal's public address, e.g. https://prakerja.example/masuk."""
    base = urlsplit(current_app.config["BASE_URL"])
    adapter = current_app.url_map.bind(base.netloc, script_name=base.path or "/", url_scheme=base.scheme)
    return adapter.build(endpoint, values, force_external=True)


# SMS carry links and must fit one message each: tests/test_sms.py checks every SMS text in every language with
# a BASE_URL this long, and a longer one is refused at start-up rather than failing as each SMS is sent.
MAX_BASE_URL_LENGTH = 40


def base_url_problem(url):
    """Why a BASE_URL value cannot be used, or None when it can."""
    if len(url) > MAX_BASE_URL_LENGTH:
        return (f"it is {len(url)} characters long and links in SMS leave room for {MAX_BASE_URL_LENGTH}: use a "
                "shorter public address")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return "it must start with https:// (or http://) and name the host, like https://prakerja.example"
    if parts.query or parts.fragment or url.endswith("/"):
        return "it must be the address alone: no trailing slash, query or fragment"
    return None

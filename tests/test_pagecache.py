"""Pages kept rendered in memory (portal.pagecache): every visitor still gets their own language, layout,
messages and CSRF token, and a signed-in visitor is never shown them."""

import gzip
import re

import brotli
import pytest

from conftest import PASSWORD
from portal.models import Account

TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
HTMX = {"HX-Request": "true"}


@pytest.fixture
def csrf_on(app):
    app.config["WTF_CSRF_ENABLED"] = True


@pytest.mark.parametrize("path", ["/", "/masuk", "/daftar"])
def test_each_visitor_gets_the_page_in_their_language_and_layout(app, path):
    first, second = app.test_client(), app.test_client()
    second.set_cookie("lang", "en")
    for _ in range(2):  # the second round comes from memory
        indonesian = first.get(path).get_data(as_text=True)
        english = second.get(path).get_data(as_text=True)
        fragment = first.get(path, headers=HTMX).get_data(as_text=True)
        assert '<html lang="id">' in indonesian and '<html lang="en">' in english
        assert "Portal Prakerja" in indonesian and "Prakerja Portal" in english
        assert "<html" not in fragment and "<h1" in fragment


@pytest.mark.parametrize("path, form", [("/masuk", "login"), ("/daftar", "register")])
def test_a_kept_form_page_carries_each_visitors_own_working_token(app, csrf_on, make_account, path, form):
    make_account("budi@contoh.id")
    first, second = app.test_client(), app.test_client()
    tokens = []
    for visitor in (first, second):
        html = visitor.get(path).get_data(as_text=True)
        assert "csrf~slot" not in html
        tokens.append(TOKEN.search(html).group(1))
    assert tokens[0] != tokens[1]
    fields = {"login": {"email": "budi@contoh.id", "password": PASSWORD},
              "register": {"full_name": "Sri Wahyuni", "email": "sri@contoh.id", "password": PASSWORD}}[form]
    # The first visitor's token is not the second's: each works only in its own browser.
    assert second.post(path, data={"csrf_token": tokens[0], **fields}).headers["Location"] == path
    response = second.post(path, data={"csrf_token": tokens[1], **fields})
    assert response.status_code == 303 and response.headers["Location"] != path
    if form == "register":
        with app.app_context():
            assert Account.get_or_none(Account.email == "sri@contoh.id") is not None


def test_a_waiting_message_and_a_query_string_are_never_served_from_memory(client):
    client.get("/masuk")  # kept
    with client.session_transaction() as session:
        session["_flashes"] = [("info", "Pesan untuk satu pengunjung")]
    assert "Pesan untuk satu pengunjung" in client.get("/masuk").get_data(as_text=True)
    assert "Pesan untuk satu pengunjung" not in client.get("/masuk").get_data(as_text=True)
    html = client.get("/masuk?next=/pendaftaran/ktp").get_data(as_text=True)
    assert 'action="/masuk?next=/pendaftaran/ktp"' in html


@pytest.mark.parametrize("headers", [{}, HTMX])
def test_a_signed_in_visitor_is_sent_on_not_shown_a_kept_page(client, make_account, login, headers):
    make_account()
    for path in ("/", "/masuk", "/daftar"):
        client.get(path, headers=headers)  # kept for visitors
    login()
    for path in ("/", "/masuk", "/daftar"):
        assert client.get(path, headers=headers).headers["Location"] == "/pendaftaran/"


def test_a_shared_page_is_rendered_once_per_language_and_layout(app):
    from flask import template_rendered

    rendered = []

    def record(sender, template, context, **extra):
        rendered.append(template.name)

    with template_rendered.connected_to(record, app):
        for visitor in [app.test_client() for _ in range(3)]:
            for path in ("/", "/masuk", "/daftar"):
                visitor.get(path)
                visitor.get(path, headers=HTMX)
    assert sorted(rendered) == sorted(["main/home.html", "auth/login.html", "auth/register.html"] * 2)



@pytest.mark.parametrize("accept, encoding", [("gzip, deflate, br, zstd", "br"), ("gzip, deflate", "gzip"),
                                              ("br;q=0, gzip", "gzip"), ("identity", None), ("", None)])
def test_the_kept_home_page_is_compressed_once_for_each_encoding_a_browser_takes(app, monkeypatch, accept, encoding):
    plain = app.test_client().get("/").get_data(as_text=True)
    compressed = []
    for module in (brotli, gzip):
        def counting(data, *args, original=module.compress, **kwargs):
            compressed.append(data)
            return original(data, *args, **kwargs)

        monkeypatch.setattr(module, "compress", counting)
    decode = {"br": brotli.decompress, "gzip": gzip.decompress, None: bytes}[encoding]
    for _ in range(3):  # each visitor gets the page as their browser takes it, compressed on the first visit only
        response = app.test_client().get("/", headers={"Accept-Encoding": accept})
        assert response.headers.get("Content-Encoding") == encoding
        assert "Accept-Encoding" in response.headers["Vary"]
        assert int(response.headers["Content-Length"]) == len(response.get_data())
        assert decode(response.get_data()).decode() == plain
    assert len(compressed) == (1 if encoding else 0)

"""Site-wide behaviour: headers, htmx partials, language, error pages, static files, bad input, schema."""

import hashlib
import os
import re

import pytest

from conftest import PASSWORD
from portal.models import Account

PAGES = ["/", "/daftar", "/masuk", "/lupa-sandi", "/keluar/selesai"]
HTMX_VERSION = "2.0.11"


def test_security_headers_on_every_page(client):
    for url in PAGES:
        headers = client.get(url).headers
        csp = headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"
        assert headers["Cache-Control"] == "no-store"
        assert "HX-Request" in headers["Vary"]


def test_htmx_never_writes_a_style_attribute_the_policy_would_refuse(client):
    """htmx copies listed attributes onto swapped elements ("settling"); a style attribute written that way is
    inline style, which the Content-Security-Policy refuses (an error in the browser's console)."""
    import json

    html = client.get("/").get_data(as_text=True)
    config = json.loads(re.search(r"<meta name=\"htmx-config\" content='([^']+)'", html).group(1))
    assert "style" not in config["attributesToSettle"] and config["includeIndicatorStyles"] is False


def test_pages_have_no_inline_scripts_or_styles(client, make_account, login):
    make_account()
    login()
    for url in PAGES[:-1] + ["/pendaftaran/"]:
        html = client.get(url, follow_redirects=True).get_data(as_text=True)
        assert not re.search(r"<script(?![^>]*\bsrc=)", html), url
        assert "<style" not in html and " style=" not in html and " on" + "click=" not in html, url


def test_logged_in_pages_are_not_stored(client, make_account, login):
    make_account()
    login()
    assert client.get("/pendaftaran/").headers["Cache-Control"] == "no-store"


def test_session_cookie_flags(app, client, make_account, login):
    make_account()
    cookie = login().headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    https = app.test_client().post("/masuk", data={"email": "ani@contoh.id", "password": PASSWORD}, base_url="https://localhost")
    assert "Secure" in https.headers["Set-Cookie"]


@pytest.mark.parametrize("url", ["/", "/daftar", "/masuk", "/lupa-sandi"])
def test_one_template_serves_page_and_htmx_partial(client, url):
    full = client.get(url).get_data(as_text=True)
    partial = client.get(url, headers={"HX-Request": "true"}).get_data(as_text=True)
    boosted = client.get(url, headers={"HX-Request": "true", "HX-Boosted": "true"}).get_data(as_text=True)
    assert "<html" in full and "<html" in boosted
    assert "<html" not in partial and "<h1" in partial
    assert re.search(r"<h1[^>]*>(.*?)</h1>", full).group(1) == re.search(r"<h1[^>]*>(.*?)</h1>", partial).group(1)


def test_form_errors_in_partial_and_full_page(client):
    for headers in ({}, {"HX-Request": "true"}):
        page = client.post("/masuk", data={"email": "", "password": ""}, headers=headers).get_data(as_text=True)
        assert "Masukkan alamat email Anda" in page and 'aria-invalid="true"' in page


def test_indonesian_by_default_english_on_request(client):
    assert 'lang="id"' in client.get("/").get_data(as_text=True)
    page = client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"}).get_data(as_text=True)
    assert 'lang="en"' in page and "Create an account" in page


def test_language_switch_works_without_javascript(client):
    response = client.get("/bahasa/en?next=/masuk")
    assert response.status_code == 303 and response.headers["Location"] == "/masuk"
    assert "Log in" in client.get("/masuk").get_data(as_text=True)
    client.get("/bahasa/id?next=/masuk")
    assert "Masuk" in client.get("/masuk").get_data(as_text=True)


@pytest.mark.parametrize("target", ["https://jahat.example/", "//jahat.example", "/\\jahat.example"])
def test_language_switch_does_not_redirect_off_site(client, target):
    assert client.get("/bahasa/en", query_string={"next": target}).headers["Location"] == "/"


@pytest.mark.parametrize(
    "code, method, url, id_text, en_text",
    [
        (404, "get", "/tidak-ada", "Halaman tidak ditemukan", "Page not found"),
        (405, "get", "/keluar", "tidak diizinkan", "not allowed"),
        (413, "post", "/masuk", "terlalu besar", "too large"),
    ],
)
def test_error_pages_in_both_languages(client, code, method, url, id_text, en_text):
    data = {"email": "x" * 200_000} if code == 413 else None
    for language, text in (("id", id_text), ("en", en_text)):
        client.set_cookie("lang", language)
        response = getattr(client, method)(url, data=data)
        assert response.status_code == code and text in response.get_data(as_text=True)


def test_error_page_for_a_server_fault(app, client):
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.route("/rusak")
    def broken():
        raise RuntimeError("boom")

    response = client.get("/rusak")
    assert response.status_code == 500 and "Maaf" in response.get_data(as_text=True)


def test_static_files_are_fingerprinted_and_cached_for_a_year(client):
    html = client.get("/").get_data(as_text=True)
    for name in ("app.css", "app.js", "htmx.min.js"):
        stem, ext = name.rsplit(".", 1)
        url = re.search(r'/static/' + re.escape(stem) + r'\.[0-9a-f]{12}\.' + ext + '"', html).group(0)[:-1]
        with client.get(url) as response, open(f"static/{name}", "rb") as source:
            assert response.status_code == 200 and response.get_data() == source.read()
            max_age = int(re.search(r"max-age=(\d+)", response.headers["Cache-Control"]).group(1))
            assert max_age >= 365 * 24 * 3600 and "immutable" in response.headers["Cache-Control"]


def test_htmx_is_the_pinned_version():
    with open("static/htmx.min.js", "rb") as fh:
        data = fh.read()
    assert f'version:"{HTMX_VERSION}"'.encode() in data
    with open("static/VENDORED.md") as fh:
        recorded = re.search(r"[0-9a-f]{64}", fh.read()).group(0)
    assert hashlib.sha256(data).hexdigest() == recorded


def test_missing_csrf_token_gets_a_friendly_retry_and_stores_nothing(app, client):
    app.config["WTF_CSRF_ENABLED"] = True
    response = client.post("/daftar", data={"full_name": "Ani", "email": "ani@contoh.id", "password": PASSWORD})
    assert response.status_code == 303 and response.headers["Location"] == "/daftar"
    assert "Waktu pengisian formulir sudah habis" in client.get("/daftar").get_data(as_text=True)
    with app.app_context():
        assert Account.select().count() == 0


def test_forms_carry_a_csrf_token(app, client):
    app.config["WTF_CSRF_ENABLED"] = True
    html = client.get("/daftar").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    response = client.post("/daftar", data={"csrf_token": token, "full_name": "Ani", "email": "ani@contoh.id",
                                            "password": PASSWORD})
    assert response.status_code == 303


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"full_name": "", "email": "", "password": ""}, "full_name", "Masukkan nama lengkap Anda"),
        ({"full_name": "A" * 101}, "full_name", "100 karakter"),
        ({"full_name": "1234"}, "full_name", "huruf"),
        ({"full_name": "Ani\x00Lestari"}, "full_name", "karakter tersembunyi"),
        ({"email": "ani@"}, "email", "format yang benar"),
        ({"email": "ani lestari@contoh.id"}, "email", "format yang benar"),
        ({"email": "a" * 250 + "@x.id"}, "email", "254 karakter"),
    ],
)
def test_bad_registration_input_is_explained_next_to_the_field(client, app, data, field, message):
    form = {"full_name": "Ani Lestari", "email": "ani@contoh.id", "password": PASSWORD, **data}
    response = client.post("/daftar", data=form)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert page.startswith("<!doctype html>") and "<title>Kesalahan:" in page
    error = re.search(rf'<p class="error-message" id="{field}-error">(.*?)</p>', page, re.S)
    assert error and message in error.group(1)
    assert f'href="#{field}"' in page
    if data.get("email") and "\x00" not in data.get("email"):
        assert f'value="{data["email"]}"' in page
    with app.app_context():
        assert Account.select().count() == 0


@pytest.mark.parametrize("name", ["Ni Luh Putu Ayu Sri Wahyuni", "A'isyah Nur", "Made Dwi-Arta", "Dr. Siti", "Nguyễn Thị Ánh", "阿明"])
def test_unicode_names_are_kept_exactly(client, app, name):
    assert client.post("/daftar", data={"full_name": name, "email": "u@contoh.id", "password": PASSWORD}).status_code == 303
    with app.app_context():
        assert Account.by_email("u@contoh.id").full_name == name


def test_a_one_megabyte_post_is_refused_without_storing_anything(client, app):
    response = client.post("/daftar", data={"full_name": "A" * (1024 * 1024), "email": "ani@contoh.id", "password": PASSWORD})
    assert response.status_code == 413
    with app.app_context():
        assert Account.select().count() == 0


def test_migrations_build_the_schema_the_models_describe(app):
    from playhouse.schema_diff import diff_models

    from portal.database import MIGRATIONS_DIR, migrate
    from portal.models import ALL_MODELS, REFERENCE_MODELS, db

    files = sorted(name[:-3] for name in os.listdir(MIGRATIONS_DIR) if name[:4].isdigit() and name.endswith(".py"))

    with app.app_context():
        db.connect(reuse_if_open=True)
        db.drop_tables(ALL_MODELS)
        db.execute_sql("DROP TABLE IF EXISTS schema_migration")
        assert migrate() == files and files[:3] == ["0001_initial", "0002_applications", "0003_photos_and_phone"]
        assert "0005_login_sessions" in files
        assert not diff_models(db.obj, ALL_MODELS + REFERENCE_MODELS)
        assert migrate() == []


def test_the_one_open_dispute_migration_names_nik_disputes_open_twice(app):
    """Disputes recorded twice before the rule: the migration stops and names them for the PMO to decide."""
    from playhouse.migrations import Runner

    from portal.database import MIGRATIONS_DIR
    from portal.models import ALL_MODELS, Account, NikDispute, Office, db

    with app.app_context():
        db.connect(reuse_if_open=True)
        db.drop_tables(ALL_MODELS)
        db.execute_sql("DROP TABLE IF EXISTS schema_migration")
        runner = Runner(db.obj, MIGRATIONS_DIR)
        runner.up(target="0027_account_language")
        office = Office.create(code="DISNAKER-3201", name="Disnaker Bogor", kind="regency", region_code="32.01")
        officer = Account.create(email="petugas@kantor.id", full_name="Rina", password_hash="x", role="officer",
                                 office=office)
        made = [NikDispute.create(nik=nik, claimant_name="Siti", contact_phone="+6281234567890", office=office,
                                  recorded_by=officer, status=state)
                for nik, state in [("3201014506950001", "open"), ("3201014506950001", "open"),
                                   ("3201014506950001", "resolved"), ("3201014506950002", "open")]]
        with pytest.raises(RuntimeError, match=rf"dispute ids \[{made[0].id}, {made[1].id}\]"):
            runner.up()
        NikDispute.update(status="resolved").where(NikDispute.id == made[1].id).execute()
        assert "0028_one_open_dispute_per_nik" in runner.up()


def test_init_db_and_seed_demo_commands(app, runner):
    from portal.models import ALL_MODELS, db

    with app.app_context():
        db.drop_tables(ALL_MODELS, **({"cascade": True} if "postgres" in app.config["DATABASE_URL"] else {}))
        db.execute_sql("DROP TABLE IF EXISTS schema_migration")
        db.close()
    result = runner.invoke(args=["init-db"])
    assert result.exit_code == 0 and "0003_photos_and_phone" in result.output and "0009_audit_log" in result.output and "0004_outbox" in result.output
    assert "0005_login_sessions" in result.output and "Villages" in result.output
    again = runner.invoke(args=["init-db"]).output
    assert "Schema is up to date" in again and "Villages are up to date" in again
    result = runner.invoke(args=["seed-demo"])
    assert "budi@contoh.id" in result.output and result.exit_code == 0


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    from portal import create_app

    with pytest.raises(SystemExit, match="SECRET_KEY"):
        create_app({"SECRET_KEY": "dev", "DATABASE_URL": f"sqlite:///{tmp_path}/x.db"})


def test_tokens_never_reach_the_request_log(caplog):
    import logging

    from portal.logs import RedactTokens

    record = logging.LogRecord("werkzeug", logging.INFO, "", 0, '"%s" 303 -', ("GET /atur-sandi/eyJhIjoxfQ.abc HTTP/1.1",), None)
    RedactTokens().filter(record)
    assert "eyJhIjoxfQ" not in record.getMessage()


@pytest.mark.parametrize("code", [400, 403, 404, 405, 413, 429, 500, 503])
def test_every_error_page_speaks_both_languages(app, client, code):
    from flask import abort

    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.route(f"/galat-{code}")
    def fail():
        abort(code)

    pages = {}
    for language in ("id", "en"):
        client.set_cookie("lang", language)
        response = client.get(f"/galat-{code}")
        assert response.status_code == code
        pages[language] = re.search(r"<h1[^>]*>(.*?)</h1>", response.get_data(as_text=True)).group(1)
    assert pages["id"] != pages["en"]  # a translated heading, not the English one twice


def test_the_indonesian_catalogue_translates_every_message(tmp_path):
    """Extracted msgids are English; an untranslated one would show English to Indonesian users."""
    from babel.messages.frontend import CommandLineInterface
    from babel.messages.pofile import read_po

    template = tmp_path / "messages.pot"
    CommandLineInterface().run(["pybabel", "-q", "extract", "-F", "babel.cfg", "-k", "_l", "-k", "lazy_gettext",
                                "-o", str(template), "--no-location", "portal", "templates"])
    with open(template, "rb") as fh:
        wanted = {m.id for m in read_po(fh) if m.id}
    with open("portal/translations/id/LC_MESSAGES/messages.po", "rb") as fh:
        catalogue = read_po(fh)
    translated = {m.id for m in catalogue
                  if m.id and not m.fuzzy and all(m.string if isinstance(m.string, tuple) else [m.string])}
    assert sorted(str(i) for i in wanted - translated) == []


def test_finish_and_clear_works_even_with_an_expired_form(app, client, make_account, login):
    app.config["WTF_CSRF_ENABLED"] = True
    make_account()
    login()
    response = client.post("/keluar", data={"csrf_token": "kedaluwarsa"})
    assert response.headers["Location"] == "/keluar/selesai" and "Clear-Site-Data" in response.headers
    assert client.get("/pendaftaran/").status_code == 302


def test_an_expired_form_on_a_post_only_action_returns_to_its_page(app, client):
    client.post("/daftar", data={"full_name": "Ani", "email": "ani@contoh.id", "password": PASSWORD})
    app.config["WTF_CSRF_ENABLED"] = True
    response = client.post("/daftar/kirim-ulang", headers={"Referer": "http://localhost/daftar/cek-email"})
    assert response.status_code == 303 and response.headers["Location"] == "/daftar/cek-email"
    assert "Waktu pengisian formulir sudah habis" in client.get("/daftar/cek-email").get_data(as_text=True)

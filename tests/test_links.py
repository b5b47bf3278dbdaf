"""Links in emails point at BASE_URL whatever Host a request names; hosts and proxy headers are trusted only as configured."""

import re
import runpy
import shutil
import subprocess

import pytest

from conftest import PASSWORD, body, skip_or_fail
from portal import create_app

PUBLIC = "https://prakerja.example"


@pytest.fixture
def public(app):
    app.config["BASE_URL"] = PUBLIC
    return app


def links(message):
    return re.findall(r"https?://[^\s<>\"]+", body(message))


def assert_all_on(messages, base):
    found = [link for message in messages for link in links(message)]
    assert found and all(link.startswith(base + "/") for link in found), found


def test_a_reset_request_naming_another_host_still_links_to_the_portal(public, client, make_account, mailbox):
    make_account()
    client.post("/lupa-sandi", data={"email": "ani@contoh.id"}, base_url="http://evil.example",
                headers={"X-Forwarded-Host": "evil.example"})
    [message] = mailbox.to("ani@contoh.id")
    [link] = [link for link in links(message) if "/atur-sandi/" in link]
    assert link.startswith(PUBLIC + "/atur-sandi/") and "evil" not in body(message)


def test_every_sign_up_email_links_to_the_portal(public, client, make_account, mailbox):
    make_account(email="budi@contoh.id", name="Budi Santoso")
    evil = {"base_url": "http://evil.example"}
    client.post("/daftar", data={"full_name": "Ani", "email": "ani@contoh.id", "password": PASSWORD}, **evil)
    public.test_client().post("/daftar", data={"full_name": "X", "email": "budi@contoh.id", "password": PASSWORD},
                              **evil)
    client.post("/daftar/ubah-email", data={"email": "baru@contoh.id"}, **evil)
    for address in ("ani@contoh.id", "budi@contoh.id", "baru@contoh.id"):  # verify, account exists, verify
        assert_all_on(mailbox.to(address), PUBLIC)


def test_a_new_staff_members_links_lead_to_the_portal(public, runner, mailbox):
    """`flask staff add` runs with no request at all: its emailed links are built on BASE_URL too."""
    runner.invoke(args=["staff", "add-office", "DISNAKER-3201", "Disnaker Bogor", "--kind", "regency",
                        "--region", "32.01"])
    result = runner.invoke(args=["staff", "add", "baru@kantor.id", "Budi Baru", "--role", "officer",
                                 "--office", "DISNAKER-3201"])
    assert result.exit_code == 0 and PUBLIC + "/petugas/atur-sandi/" in result.output
    messages = mailbox.to("baru@kantor.id")
    assert_all_on(messages, PUBLIC)
    assert PUBLIC + "/petugas" in body(messages[0])


def test_behind_a_proxy_forwarded_host_is_ignored_unless_configured(app, make_account, mailbox, app_config):
    make_account()
    app_config.update(BASE_URL=PUBLIC, PROXY_COUNT=1, TRUSTED_HOSTS=["prakerja.example"])
    proxied = create_app(app_config).test_client()
    sent_by_proxy = {"base_url": PUBLIC, "headers": {"X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "https"}}
    # The proxy passes the client's X-Forwarded-Host through: it is not believed, so the host check passes.
    assert proxied.get("/lupa-sandi", **sent_by_proxy).status_code == 200
    proxied.post("/lupa-sandi", data={"email": "ani@contoh.id"}, **sent_by_proxy)
    assert_all_on(mailbox.to("ani@contoh.id"), PUBLIC)

    trusting = create_app({**app_config, "PROXY_TRUST_HOST": True}).test_client()
    assert trusting.get("/lupa-sandi", **sent_by_proxy).status_code == 400  # believed, then refused


def test_only_trusted_hosts_are_answered(public, client):
    public.config["TRUSTED_HOSTS"] = ["prakerja.example", ".prakerja.example"]
    assert client.get("/masuk", base_url="https://prakerja.example").status_code == 200
    assert client.get("/masuk", base_url="https://www.prakerja.example").status_code == 200
    refused = client.post("/lupa-sandi", data={"email": "ani@contoh.id"}, base_url="http://evil.example")
    assert refused.status_code == 400 and "bukan alamat Portal Prakerja" in refused.get_data(as_text=True)


def test_a_base_url_with_a_path_prefix(public, client, make_account, mailbox):
    public.config["BASE_URL"] = "https://layanan.example/prakerja"
    make_account()
    client.post("/lupa-sandi", data={"email": "ani@contoh.id"})
    assert_all_on(mailbox.to("ani@contoh.id"), "https://layanan.example/prakerja")
    assert "/prakerja/atur-sandi/" in body(mailbox.to("ani@contoh.id")[0])


def test_a_spoofed_forwarded_for_does_not_escape_the_ip_limit(app, client):
    """With no proxy configured, X-Forwarded-For is the client's own claim and changes nothing."""
    app.config["LOGIN_LIMIT_IP"] = "2 per 10 minutes"
    codes = [client.post("/masuk", data={"email": f"orang{i}@contoh.id", "password": "salah-sandi-ini"},
                         headers={"X-Forwarded-For": f"10.0.0.{i}"}).status_code for i in range(3)]
    assert codes == [200, 200, 429]


def test_production_refuses_to_start_without_base_url(tmp_path):
    settings = {"SECRET_KEY": "a-real-secret", "DATABASE_URL": f"sqlite:///{tmp_path}/x.db", "BASE_URL": ""}
    with pytest.raises(SystemExit, match="BASE_URL is not set"):
        create_app(settings)
    too_long = "https://pendaftaran.prakerja.kemnaker.go.id"  # 43 characters: an SMS link would not fit
    for bad in ("prakerja.example", "https://prakerja.example/", "ftp://prakerja.example", "https://x.example/?a=1",
                too_long):
        with pytest.raises(SystemExit, match="cannot be used"):
            create_app({**settings, "BASE_URL": bad})
    assert create_app({**settings, "BASE_URL": PUBLIC}).config["BASE_URL"] == PUBLIC


@pytest.mark.parametrize("variables, expected", [({}, "http://127.0.0.1:5000"),
                                                 ({"HOST": "192.168.1.20", "PORT": "8000"}, "http://192.168.1.20:8000")])
def test_make_writes_a_base_url_for_where_it_serves(tmp_path, variables, expected):
    settings = make_base_url(tmp_path, variables)
    assert settings["BASE_URL"] == expected and len(settings["SECRET_KEY"]) == 64


def test_make_adds_a_base_url_to_an_older_config_and_keeps_a_chosen_one(tmp_path):
    (tmp_path / "instance").mkdir()
    (tmp_path / "instance" / "config.py").write_text("SECRET_KEY = 'lama'\n")
    assert make_base_url(tmp_path, {}) == {"SECRET_KEY": "lama", "BASE_URL": "http://127.0.0.1:5000"}
    (tmp_path / "instance" / "config.py").write_text(f"SECRET_KEY = 'lama'\nBASE_URL = '{PUBLIC}'\n")
    assert make_base_url(tmp_path, {"PORT": "8000"})["BASE_URL"] == PUBLIC


def make_base_url(folder, variables):
    """Run the Makefile's config step in an empty folder; the settings instance/config.py then holds."""
    if not shutil.which("make"):
        skip_or_fail("make is not installed")
    shutil.copy("Makefile", folder / "Makefile")
    subprocess.run(["make", "-s", "base-url", *(f"{k}={v}" for k, v in variables.items())],
                   cwd=folder, check=True, capture_output=True)
    settings = runpy.run_path(str(folder / "instance" / "config.py"))
    return {k: v for k, v in settings.items() if k.isupper()}

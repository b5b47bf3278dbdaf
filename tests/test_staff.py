"""Staff accounts over HTTP without JavaScript: set-up link, authenticator, sign-in at /petugas, sessions."""

import re
import time

import pyotp
import pytest

from conftest import PASSWORD, STAFF_SECRET, link_in, totp_code
from portal.models import Account, AuditEntry, RecoveryCode, SecondFactor

NEW_PASSWORD = "gedung-dinas-lantai-tiga"


def actions(app, account_id=None):
    with app.app_context():
        query = AuditEntry.select().order_by(AuditEntry.seq)
        if account_id:
            query = query.where(AuditEntry.target_id == str(account_id))
        return [entry.action for entry in query]


def create_by_cli(runner, email="baru@kantor.id", role="officer", office="DISNAKER-3201"):
    if office:
        runner.invoke(args=["staff", "add-office", office, "Dinas Tenaga Kerja Kab. Bogor", "--kind", "regency",
                            "--region", "32.01"])
    args = ["staff", "add", email, "Budi Baru", "--role", role] + (["--office", office] if office else [])
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    return result


def set_up(client, mailbox, address="baru@kantor.id"):
    """Follow the emailed link, choose a password, and land on the authenticator page; returns its HTML."""
    link = link_in(mailbox.to(address)[-1], "/petugas/atur-sandi/")
    response = client.get(link)
    assert response.headers["Location"] == "/petugas/atur-sandi"
    assert "Budi Baru" in client.get("/petugas/atur-sandi").get_data(as_text=True)
    response = client.post("/petugas/atur-sandi", data={"password": NEW_PASSWORD})
    assert response.headers["Location"] == "/petugas/autentikator"
    return client.get("/petugas/autentikator").get_data(as_text=True)


def test_a_new_officer_sets_a_password_enrols_and_keeps_recovery_codes(app, client, runner, mailbox):
    result = create_by_cli(runner)
    assert "/petugas/atur-sandi/" in result.output  # printed for an administrator without mail
    [message] = mailbox.to("baru@kantor.id")
    assert "72" in message.get_body(preferencelist=("plain",)).get_content()
    page = set_up(client, mailbox)
    assert "<svg" in page and "<title>" in page and "http" not in page.split("<svg", 1)[1].split("</svg>")[0]
    secret = re.search(r'<code class="secret" id="secret">([A-Z2-7 ]{39})</code>', page).group(1).replace(" ", "")
    # Staff pages wait until the second factor is done.
    assert client.get("/petugas/beranda").headers["Location"] == "/petugas/autentikator"

    wrong = client.post("/petugas/autentikator", data={"code": "000000"})
    assert wrong.status_code == 200 and "tidak benar" in wrong.get_data(as_text=True)
    response = client.post("/petugas/autentikator", data={"code": pyotp.TOTP(secret).now()})
    assert response.headers["Location"] == "/petugas/kode-pemulihan"
    codes = re.findall(r"<li><code>([0-9A-Z]{5}-[0-9A-Z]{5})</code></li>", client.get("/petugas/kode-pemulihan").get_data(as_text=True))
    assert len(set(codes)) == 10
    again = client.get("/petugas/kode-pemulihan").get_data(as_text=True)
    assert codes[0] not in again and "10" in again  # shown once; afterwards only how many are left

    home = client.get("/petugas/beranda").get_data(as_text=True)
    assert "Budi Baru" in home and "Petugas" in home and "Dinas Tenaga Kerja Kab. Bogor" in home
    with app.app_context():
        account = Account.by_email("baru@kantor.id")
        factor = SecondFactor.get(SecondFactor.account == account)
        assert STAFF_SECRET not in factor.secret_sealed and secret not in factor.secret_sealed
        assert all(code.replace("-", "") not in row.code_hash for row in RecoveryCode.select() for code in codes)
    assert actions(app) == ["office.created", "staff.created", "staff.password_set", "staff.enrolled",
                            "staff.signed_in"]


def test_the_set_password_link_works_once_and_for_72_hours(app, client, runner, mailbox, monkeypatch):
    create_by_cli(runner)
    link = link_in(mailbox.to("baru@kantor.id")[-1], "/petugas/atur-sandi/")
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 72 * 3600 + 5)
    client.get(link)
    expired = client.get("/petugas/atur-sandi")
    assert expired.status_code == 400 and "kedaluwarsa" in expired.get_data(as_text=True).lower()
    monkeypatch.setattr(time, "time", real)
    set_up(client, mailbox)
    other = app.test_client()
    other.get(link)
    used = other.get("/petugas/atur-sandi")
    assert used.status_code == 400 and "sudah pernah dipakai" in used.get_data(as_text=True)


def test_sign_in_needs_password_and_a_fresh_code(app, client, make_staff):
    make_staff("supervisor")
    code = totp_code()
    response = client.post("/petugas", data={"email": "supervisor@kantor.id", "password": PASSWORD, "code": code})
    assert response.headers["Location"] == "/petugas/beranda"
    assert "Penyelia" in client.get("/petugas/beranda").get_data(as_text=True)
    with app.app_context():
        assert Account.by_email("supervisor@kantor.id").last_login_at is not None

    # The same code again (seen over a shoulder) is refused, with the words used for any failure.
    thief = app.test_client()
    replay = thief.post("/petugas", data={"email": "supervisor@kantor.id", "password": PASSWORD, "code": code})
    wrong = thief.post("/petugas", data={"email": "supervisor@kantor.id", "password": PASSWORD, "code": "123456"})
    bad_password = thief.post("/petugas", data={"email": "supervisor@kantor.id", "password": "salah-sandi-ini",
                                                "code": totp_code()})
    for response in (replay, wrong, bad_password):
        assert response.status_code == 200
        assert "Alamat email, kata sandi, atau kode tidak benar" in response.get_data(as_text=True)
    assert actions(app).count("staff.second_factor_failed") == 2  # the password was right twice


def test_a_code_from_the_previous_step_still_works_but_not_older(app, client, make_staff, staff_login):
    make_staff()
    assert staff_login(client, "officer@kantor.id", code=totp_code(offset=-1)).status_code == 303
    late = staff_login(app.test_client(), "officer@kantor.id", code=totp_code(offset=-3))
    assert late.status_code == 200


def test_an_empty_code_is_asked_for_whatever_the_password(client, make_staff):
    make_staff()
    pages = [client.post("/petugas", data={"email": "officer@kantor.id", "password": password, "code": ""})
             .get_data(as_text=True) for password in (PASSWORD, "bukan-sandinya")]
    assert all('id="code-error"' in page for page in pages)
    assert pages[0] == pages[1]


def test_a_recovery_code_signs_in_once(app, client, make_staff, staff_login):
    account = make_staff()
    from portal.services import second_factor

    with app.test_request_context():
        codes = second_factor.renew_recovery_codes(Account.get_by_id(account.id))
    response = staff_login(client, "officer@kantor.id", code=codes[3].lower().replace("-", " "))
    assert response.headers["Location"] == "/petugas/beranda"
    assert "9" in client.get("/petugas/beranda").get_data(as_text=True)
    again = staff_login(app.test_client(), "officer@kantor.id", code=codes[3])
    assert again.status_code == 200
    assert "staff.signed_in_recovery" in actions(app)


def test_an_applicant_cannot_sign_in_at_the_staff_entrance(client, make_account):
    make_account()
    response = client.post("/petugas", data={"email": "ani@contoh.id", "password": PASSWORD, "code": totp_code()})
    assert response.status_code == 200
    assert "Alamat email, kata sandi, atau kode tidak benar" in response.get_data(as_text=True)
    assert client.get("/petugas/beranda").status_code == 404


def test_staff_get_the_ordinary_wrong_password_answer_at_the_applicant_login(app, client, make_staff, make_account):
    make_staff()
    make_account()
    staff_try = client.post("/masuk", data={"email": "officer@kantor.id", "password": PASSWORD})
    stranger = client.post("/masuk", data={"email": "ani@contoh.id", "password": "salah-sandi-ini"})
    assert staff_try.status_code == stranger.status_code == 200
    page = staff_try.get_data(as_text=True)
    assert "Alamat email atau kata sandi salah" in page and "/petugas" not in page
    assert page.replace("officer@kantor.id", "ani@contoh.id") == stranger.get_data(as_text=True)


def test_a_staff_session_cannot_use_applicant_pages(client, make_staff, staff_login):
    make_staff()
    staff_login(client, "officer@kantor.id")
    assert client.get("/pendaftaran/").status_code == 403
    assert client.get("/").headers["Location"] == "/petugas/beranda"


def test_failed_sign_ins_are_throttled_per_account_across_both_entrances(app, client, make_staff):
    make_staff()
    for n in range(5):
        url = "/masuk" if n % 2 else "/petugas"
        response = app.test_client().post(url, data={"email": "officer@kantor.id", "password": "salah-sandi-ini",
                                                     "code": "123456"})
        assert response.status_code == 200
    blocked = client.post("/petugas", data={"email": "officer@kantor.id", "password": PASSWORD, "code": totp_code()})
    assert blocked.status_code == 429 and "Retry-After" in blocked.headers


def test_staff_are_signed_out_after_15_idle_minutes_and_sent_to_the_staff_entrance(client, make_staff, staff_login,
                                                                                     monkeypatch):
    make_staff()
    staff_login(client, "officer@kantor.id")
    assert client.get("/petugas/beranda").status_code == 200
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 14 * 60)
    assert client.get("/petugas/beranda").status_code == 200
    monkeypatch.setattr(time, "time", lambda: real() + 14 * 60 + 15 * 60 + 1)
    response = client.get("/petugas/beranda")
    assert response.status_code == 303 and response.headers["Location"] == "/petugas"


def test_finish_and_clear_signs_staff_out_and_is_audited(app, client, make_staff, staff_login):
    account = make_staff()
    staff_login(client, "officer@kantor.id")
    page = client.get("/petugas/beranda").get_data(as_text=True)
    assert 'action="/petugas/keluar"' in page and "Selesai dan bersihkan" in page
    response = client.post("/petugas/keluar")
    assert response.headers["Location"] == "/petugas/keluar/selesai" and "Clear-Site-Data" in response.headers
    assert 'href="/petugas"' in client.get("/petugas/keluar/selesai").get_data(as_text=True)
    assert client.get("/petugas/beranda").status_code == 404
    assert actions(app, account.id)[-1] == "staff.signed_out"


def test_deactivating_ends_sessions_and_sign_ins(app, client, runner, make_staff, staff_login):
    make_staff()
    staff_login(client, "officer@kantor.id")
    result = runner.invoke(args=["staff", "deactivate", "officer@kantor.id"])
    assert result.exit_code == 0
    assert client.get("/petugas/beranda").status_code == 404
    assert staff_login(app.test_client(), "officer@kantor.id").status_code == 200
    assert "staff.deactivated" in actions(app)


def test_send_link_resets_a_lost_authenticator(app, client, runner, make_staff, mailbox):
    make_staff(email="baru@kantor.id", name="Budi Baru")
    result = runner.invoke(args=["staff", "send-link", "baru@kantor.id"])
    assert result.exit_code == 0
    page = set_up(client, mailbox)  # a new authenticator, not the old secret
    assert STAFF_SECRET not in page


@pytest.mark.parametrize("args, message", [
    (["add", "x@kantor.id", "X", "--role", "officer"], "belong to an office"),
    (["add", "x@kantor.id", "X", "--role", "pmo", "--office", "NOPE"], "no office"),
    (["add-office", "K1", "Kantor", "--kind", "regency", "--region", "99.99"], "Kemendagri"),
    (["deactivate", "nobody@kantor.id"], "no staff account"),
])
def test_the_staff_command_explains_bad_input(runner, args, message):
    result = runner.invoke(args=["staff", *args])
    assert result.exit_code != 0 and message in result.output


def test_staff_list_command(runner, make_staff):
    make_staff("officer")
    make_staff("admin", enrolled=False)
    output = runner.invoke(args=["staff", "list"]).output
    assert "DISNAKER-3201" in output
    assert re.search(r"officer@kantor.id\s+officer\s+DISNAKER-3201\s+ready", output)
    assert re.search(r"admin@kantor.id\s+admin\s+-\s+not set up", output)


def test_the_admin_page_shows_offices_and_staff(client, make_staff, staff_login):
    make_staff("officer")
    make_staff("admin", name="Sinta Admin")
    staff_login(client, "admin@kantor.id")
    client.set_cookie("lang", "en")
    page = client.get("/admin/").get_data(as_text=True)
    assert "DISNAKER-3201" in page and "officer@kantor.id" in page and "Sinta Admin" in page
    assert "Never" in page and "Active" in page and "Set up" in page
    home = client.get("/petugas/beranda").get_data(as_text=True)
    assert 'href="/admin/"' in home


def test_staff_pages_serve_a_page_and_an_htmx_partial(client, make_staff, staff_login):
    make_staff()
    for url in ("/petugas",):
        assert "<html" in client.get(url).get_data(as_text=True)
        assert "<html" not in client.get(url, headers={"HX-Request": "true"}).get_data(as_text=True)
    staff_login(client, "officer@kantor.id")
    full = client.get("/petugas/beranda").get_data(as_text=True)
    partial = client.get("/petugas/beranda", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" in full and "<html" not in partial and "Rina Petugas" in partial
    errors = client.post("/petugas/autentikator", data={"code": ""}, headers={"HX-Request": "true"})
    assert errors.status_code == 303  # already enrolled: a second factor cannot be set up twice


def test_demo_staff_sign_in_with_the_printed_code(app, runner, client):
    from portal.cli import DEMO_PASSWORD

    runner.invoke(args=["seed-demo"])
    output = runner.invoke(args=["seed-demo"]).output  # a second run (every `make run`) changes nothing
    assert "DEMO ONLY" in output and "petugas@contoh.id" in output and DEMO_PASSWORD in output
    code = runner.invoke(args=["staff", "demo-code"]).output.strip()
    response = client.post("/petugas", data={"email": "penyelia@contoh.id", "password": DEMO_PASSWORD, "code": code})
    assert response.headers["Location"] == "/petugas/beranda"
    assert "Dinas Tenaga Kerja Kabupaten Bogor" in client.get("/petugas/beranda").get_data(as_text=True)
    with app.app_context():
        assert Account.select().where(Account.role == "officer").count() == 1


def test_a_weak_password_is_refused_at_set_up_and_the_link_still_works(client, runner, mailbox):
    create_by_cli(runner)
    client.get(link_in(mailbox.to("baru@kantor.id")[-1], "/petugas/atur-sandi/"))
    for headers in ({}, {"HX-Request": "true"}):
        response = client.post("/petugas/atur-sandi", data={"password": "password123"}, headers=headers)
        page = response.get_data(as_text=True)
        assert response.status_code == 200 and 'id="password-error"' in page
        assert ("<html" in page) == (not headers)
    assert client.post("/petugas/atur-sandi", data={"password": NEW_PASSWORD}).status_code == 303
    problem = client.get("/petugas/atur-sandi").get_data(as_text=True)
    assert 'href="/petugas"' in problem and "/masuk" not in problem.split("<main", 1)[1]


# Staff screens reached from another screen, or part of signing in, rather than from the home page.
REACHED_OTHERWISE = {"staff.home", "staff.set_password", "staff.enrol", "staff.login", "staff.logged_out",
                     "desk.walkin_new", "desk.dispute_new", "pmo.wave_new"}


def test_every_staff_screen_without_parameters_is_on_a_home_page(app):
    """Every index screen must be a tool on some role's home page, or a new user cannot find it."""
    from portal.staff.home_views import TOOLS

    listed = {endpoint for endpoint, _name, _about, _roles in TOOLS}
    unlisted = sorted(
        rule.endpoint for rule in app.url_map.iter_rules()
        if "GET" in rule.methods and not rule.arguments and rule.endpoint.split(".")[0] in {"staff", "desk", "pmo", "ministry", "admin"}
        and rule.endpoint not in listed | REACHED_OTHERWISE
    )
    assert unlisted == []


def test_the_pmo_home_links_to_the_waves(client, make_staff, staff_login):
    make_staff("pmo")
    staff_login(client, "pmo@kantor.id")
    home = client.get("/petugas/beranda").get_data(as_text=True)
    assert 'href="/pmo/gelombang"' in home and "Gelombang" in home


def test_the_officer_home_lists_the_desk_and_promises_no_tools_to_come(client, make_staff, staff_login):
    make_staff("officer")
    staff_login(client, "officer@kantor.id")
    home = client.get("/petugas/beranda").get_data(as_text=True)
    assert 'href="/petugas/meja/"' in home and 'href="/petugas/meja/batch' in home
    assert "akan muncul di sini" not in home and "appear here" not in home

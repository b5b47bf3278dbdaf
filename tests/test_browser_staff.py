"""A new staff member's first day in Debian's Chromium, by keyboard alone, with JavaScript on and off:
the emailed link, a password, the authenticator (its key read off the page), the recovery codes, signing
out, and signing in again with a code. Every page is screenshotted and checked with axe-core."""

import re

import pytest
from playwright.sync_api import expect

from browser_support import browser, journeys, live_server, set_marker, translated, wait_for_mail  # noqa: F401
from conftest import totp_code

pytestmark = pytest.mark.browser
PASSWORD = "gedung-dinas-lantai-tiga"
MODES = pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])


def tab_to(page, selector, limit=60):
    """Press Tab until the element matching `selector` has the focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def type_into(page, selector, text):
    tab_to(page, selector)
    page.keyboard.type(text)


def press_enter(j, path):
    """Enter on the focused control: a form is sent (or a link followed); wait for the page at `path`."""
    j.page.keyboard.press("Enter")
    j.arrive(path)


@MODES
def test_a_new_officer_sets_up_and_signs_in_by_keyboard(journeys, javascript, app, mailbox):
    email = f"baru-{'js' if javascript else 'nojs'}@kantor.id"
    runner = app.test_cli_runner()
    runner.invoke(args=["staff", "add-office", "DISNAKER-3201", "Dinas Tenaga Kerja Kabupaten Bogor",
                        "--kind", "regency", "--region", "32.01"])
    assert runner.invoke(args=["staff", "add", email, "Budi Baru", "--role", "officer",
                               "--office", "DISNAKER-3201"]).exit_code == 0
    j = journeys(javascript, label="staff")
    page = j.page

    j.goto(wait_for_mail(mailbox, email, "/petugas/atur-sandi/"))
    j.arrive("/petugas/atur-sandi")
    expect(page.locator("main")).to_contain_text("Budi Baru")
    j.check("set-password")
    set_marker(j)
    type_into(page, "#password", PASSWORD)
    press_enter(j, "/petugas/autentikator")
    expect(page.locator("main svg[role=img]")).to_be_visible()
    j.check("authenticator")

    secret = page.locator("#secret").inner_text().replace(" ", "")
    assert re.fullmatch(r"[A-Z2-7]{32}", secret)
    type_into(page, "#code", totp_code(secret))
    press_enter(j, "/petugas/kode-pemulihan")
    codes = page.locator("#recovery-codes li")
    expect(codes).to_have_count(10)
    j.check("recovery-codes")

    tab_to(page, "main a[href='/petugas/beranda']")
    press_enter(j, "/petugas/beranda")
    expect(page.locator("h1")).to_contain_text("Budi Baru")
    expect(page.locator("main")).to_contain_text("Dinas Tenaga Kerja Kabupaten Bogor")
    j.check("home")

    tab_to(page, "header button")
    press_enter(j, "/petugas/keluar/selesai")
    j.check("signed-out")
    tab_to(page, "main a[href='/petugas']")
    press_enter(j, "/petugas")
    j.check("sign-in")

    # A wrong code first: the summary names the problem and the address stays typed.
    type_into(page, "#email", email)
    type_into(page, "#password", PASSWORD)
    type_into(page, "#code", "000000")
    press_enter(j, "/petugas")
    expect(page.locator(".error-summary")).to_contain_text(
        translated(app, "The email address, password or code is not correct"))
    expect(page.locator("#email")).to_have_value(email)
    j.check("sign-in-error")

    # The next code of the app (the one used to set it up cannot be used again).
    type_into(page, "#password", PASSWORD)
    tab_to(page, "#code")
    page.keyboard.press("Control+A")
    page.keyboard.type(totp_code(secret, offset=1))
    press_enter(j, "/petugas/beranda")
    expect(page.locator("h1")).to_contain_text("Budi Baru")
    j.check("home-again")
    j.assert_clean()

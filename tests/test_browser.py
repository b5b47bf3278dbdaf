"""The whole account journey in Debian's Chromium, with JavaScript on (htmx) and off (plain HTML).

Every page visited is screenshotted to test-artifacts/screenshots/<mode>-<n>-<name>.png and checked
with axe-core; console errors, CSP violations and requests to other sites fail the test.
"""

import pytest
from playwright.sync_api import expect

from browser_support import browser, journeys, live_server, set_marker, translated, wait_for_mail  # noqa: F401
from conftest import PASSWORD
from portal.applicant.tasks import SECTIONS

pytestmark = pytest.mark.browser

NEW_PASSWORD = "padi-menguning-senja"
EMAIL = "ani@contoh.id"


def expect_marker(j):
    """With JavaScript on, the window set up at the last full load is still there: htmx swapped the page."""
    if j.javascript:
        assert j.page.evaluate("() => window.__marker") == 1, f"full page reload at {j.page.url}"


def expect_lang(j, lang):
    """The document's language matches its words (noted, not raised, so the journey goes on)."""
    actual = j.page.locator("html").get_attribute("lang")
    if actual != lang:
        j.fail_later(f'<html lang="{actual}"> on a page in "{lang}" at {j.page.url}: '
                     "screen readers read it with the wrong voice")


MODES = pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])


@MODES
def test_account_journey(journeys, javascript, app, mailbox):
    j = journeys(javascript)
    page = j.page
    main = page.locator("main")

    # Home page, Indonesian by default for an id-ID phone.
    j.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "id")
    j.check("home")
    set_marker(j)

    page.locator("main a[href='/daftar']").first.click()
    j.arrive("/daftar")
    expect_marker(j)
    title = page.title()
    j.check("register")

    # An empty form: a summary linking to each field, an inline error at each field.
    j.submit(page.get_by_role("button", name="Buat akun"), "/daftar")
    expect_marker(j)
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("link")).to_have_count(3)
    assert [a.get_attribute("href") for a in summary.get_by_role("link").all()] == [
        "#full_name", "#email", "#password"]
    for field in ("full_name", "email", "password"):
        expect(page.locator(f"#{field}-error")).to_be_visible()
        expect(page.locator(f"#{field}")).to_have_attribute("aria-invalid", "true")
        assert f"{field}-error" in page.locator(f"#{field}").get_attribute("aria-describedby").split()
    assert page.title() != title and page.title().endswith(title), "the title should start by saying Error"
    if j.javascript:
        # app.js moves focus to the summary so a screen reader announces it.
        assert page.evaluate("() => document.activeElement.classList.contains('error-summary')")
    j.check("register-errors")

    # The summary's links lead to their fields.
    summary.get_by_role("link").nth(1).click()
    expect(page).to_have_url(j.url("/daftar#email"))

    # A second bad try: what was typed stays; ticking "show password" shows the password.
    page.locator("#full_name").fill("Ani Lestari")
    page.locator("#email").fill("ani@")
    page.locator("#password").fill("pendek")
    show = page.locator("#show_password")
    if j.javascript:
        show.check()
        expect(page.locator("#password")).to_have_attribute("type", "text")
        show.uncheck()
        expect(page.locator("#password")).to_have_attribute("type", "password")
        expect_marker(j)
    show.check()
    j.submit(page.get_by_role("button", name="Buat akun"), "/daftar")
    expect_marker(j)
    expect(page.locator(".error-summary a")).to_have_count(2)
    expect(page.locator("#full_name")).to_have_value("Ani Lestari")
    expect(page.locator("#email")).to_have_value("ani@")
    # Without JavaScript this is the only way to see the password: the server sends it back as text.
    expect(page.locator("#password")).to_have_attribute("type", "text")
    expect(page.locator("#password")).to_have_value("pendek")
    expect(page.locator("#show_password")).to_be_checked()
    j.check("register-errors-kept")

    # A good try: the waiting page names the address.
    page.locator("#email").fill(EMAIL)
    page.locator("#password").fill(PASSWORD)
    page.locator("#show_password").uncheck()
    j.submit(page.get_by_role("button", name="Buat akun"), "/daftar/cek-email")
    expect_marker(j)
    expect(main).to_contain_text(EMAIL)
    expect(page.locator("a[href='/daftar/ubah-email']")).to_be_visible()
    j.check("check-email")

    # Asking again at once is refused kindly (cooldown), and the address can be corrected.
    j.submit(page.get_by_role("button", name="Kirim ulang email"), "/daftar/cek-email")
    expect_marker(j)
    expect(page.locator(".notice--error")).to_be_visible()
    j.check("check-email-wait")
    page.locator("a[href='/daftar/ubah-email']").click()
    j.arrive("/daftar/ubah-email")
    expect_marker(j)
    expect(page.locator("#email")).to_be_visible()
    j.check("change-email")
    page.locator("main a.back-link").click()
    j.arrive("/daftar/cek-email")
    expect_marker(j)

    # The link from the real email verifies the address and leads to the login page.
    link = wait_for_mail(mailbox, EMAIL, "/verifikasi/")
    j.goto(link)
    j.arrive("/masuk")
    expect(page.locator(".notice--success")).to_be_visible()
    j.check("login-verified")
    set_marker(j)

    page.locator("#email").fill(EMAIL)
    page.locator("#password").fill(PASSWORD)
    j.submit(page.get_by_role("button", name="Masuk", exact=True), "/pendaftaran/")
    expect_marker(j)
    expect(page.locator("main h1")).to_be_visible()
    expect(page.locator("ul.task-list > li")).to_have_count(len(SECTIONS))
    account = page.locator("#status-account")
    expect(account).to_have_class("tag tag--done")
    expect(account).to_have_text(translated(app, "Completed"))
    j.check("task-list")

    # Finish and clear: logged out, and the task list now asks for a login.
    j.submit(page.get_by_role("button", name="Selesai dan bersihkan"), "/keluar/selesai")
    if j.javascript:  # a full page load, so nothing of the session stays in the page's memory either
        assert page.evaluate("() => window.__marker") is None
        set_marker(j)
    expect(page.get_by_role("button", name="Selesai dan bersihkan")).to_have_count(0)
    j.check("logged-out")
    j.goto("/pendaftaran/")
    j.arrive("/masuk")
    j.check("login-required")

    # The verification link works once.
    j.goto(link, expect_status=400)
    expect(page.locator("main a[href='/masuk']")).to_be_visible()
    j.check("link-used")
    page.locator("main a[href='/masuk']").click()
    j.arrive("/masuk")
    set_marker(j)

    # Forgotten password: the emailed link, a new password, then only the new one works.
    page.locator("main a[href='/lupa-sandi']").click()
    j.arrive("/lupa-sandi")
    expect_marker(j)
    j.check("forgot")
    page.locator("#email").fill(EMAIL)
    # The button's Indonesian label is being settled ("Kirim tautan"/"Kirim link"): find it by its form.
    j.submit(page.locator("main form button"), "/lupa-sandi/terkirim")
    expect_marker(j)
    expect(main).to_contain_text(EMAIL)
    j.check("forgot-sent")

    j.goto(wait_for_mail(mailbox, EMAIL, "/atur-sandi/"))
    j.arrive("/atur-sandi")
    j.check("reset")
    set_marker(j)
    page.locator("#password").fill(NEW_PASSWORD)
    j.submit(page.get_by_role("button", name="Simpan kata sandi"), "/masuk")
    expect_marker(j)
    expect(page.locator(".notice--success")).to_be_visible()
    j.check("login-after-reset")

    page.locator("#email").fill(EMAIL)
    page.locator("#password").fill(PASSWORD)
    j.submit(page.get_by_role("button", name="Masuk", exact=True), "/masuk")
    expect_marker(j)
    expect(page.locator("#password-error")).to_contain_text(
        translated(app, "The email address or password is not correct"))
    expect(page.locator("#email")).to_have_value(EMAIL)
    j.check("login-old-password")

    page.locator("#password").fill(NEW_PASSWORD)
    j.submit(page.get_by_role("button", name="Masuk", exact=True), "/pendaftaran/")
    expect_marker(j)
    expect(page.locator("ul.task-list")).to_be_visible()

    # English and back, staying on the same page. The whole document must change language, <html lang>
    # included (screen readers pick their voice from it), so a full page load is fine here.
    h1_id = page.locator("main h1").inner_text()
    switch = page.locator("a.lang-switch")
    expect(switch).to_have_attribute("hreflang", "en")
    with page.expect_response(lambda r: "/bahasa/en" in r.url):
        switch.click()
    j.arrive("/pendaftaran/")
    expect(page.locator("main h1")).to_have_text(translated(app, "Your Prakerja application", "en"))
    expect_lang(j, "en")
    expect(page.locator("a.lang-switch")).to_have_attribute("hreflang", "id")
    j.check("task-list-en")
    with page.expect_response(lambda r: "/bahasa/id" in r.url):
        page.locator("a.lang-switch").click()
    j.arrive("/pendaftaran/")
    expect(page.locator("main h1")).to_have_text(h1_id)
    expect_lang(j, "id")
    j.check("task-list-id")

    if not j.javascript:
        assert page.evaluate("() => typeof window.htmx") == "undefined", "scripts ran with JavaScript off"
    j.assert_clean()


@MODES
def test_an_error_answer_to_a_form_is_shown(journeys, javascript, app, make_account):
    """A throttled login answers 429 with a page saying when to try again; with htmx the page must be
    swapped in too, not dropped (htmx ignores 4xx/5xx answers unless told otherwise)."""
    app.config["LOGIN_LIMIT_ACCOUNT"] = "2 per 15 minutes"
    make_account(email=EMAIL)
    j = journeys(javascript, label="throttled")
    page = j.page
    j.expect_error("/masuk")
    j.goto("/masuk")
    for _ in range(2):
        page.locator("#email").fill(EMAIL)
        page.locator("#password").fill("salah-sandi-ini")
        j.submit(page.get_by_role("button", name="Masuk", exact=True), "/masuk")
        expect(page.locator("#password-error")).to_be_visible()
    page.locator("#email").fill(EMAIL)
    page.locator("#password").fill(PASSWORD)
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.get_by_role("button", name="Masuk", exact=True).click()
    assert answer.value.status == 429
    j.settle()
    expect(page.locator("main h1"), "the 429 page was not shown: htmx drops 4xx/5xx answers unless the "
           "htmx-config's responseHandling swaps them").to_have_text(translated(app, "Too many attempts"))
    j.check("login-throttled")
    j.assert_clean()

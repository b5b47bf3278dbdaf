"""The public status check and the claim of a walk-in record in Debian's Chromium, JavaScript on and off, on
a phone in Indonesian: every page screenshotted and checked with axe-core."""

import pytest
from playwright.sync_api import expect

from browser_support import browser, journeys, live_server, wait_for_mail  # noqa: F401
from walkin_support import walkin
from conftest import PASSWORD

pytestmark = pytest.mark.browser
MODES = pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])


def fill_birth_date(page, day="5", month="12", year="1990"):
    page.fill("#birth_date-day", day)
    page.fill("#birth_date-month", month)
    page.fill("#birth_date-year", year)


@MODES
def test_anyone_checks_a_status_with_reference_and_birth_date(journeys, javascript, app):
    record = walkin(app, "returned", reason="incomplete")
    j = journeys(javascript, label="status")
    page = j.page
    j.goto("/")
    j.check("home")
    page.get_by_role("link", name="Cek status pendaftaran").click()
    j.arrive("/status")
    j.check("status-form")
    page.fill("#reference", record.reference.lower())
    fill_birth_date(page, day="6")
    j.submit(page.get_by_role("button", name="Cek status"), "/status")
    expect(page.locator(".error-summary")).to_contain_text("Kami tidak menemukan pendaftaran")
    expect(page.locator("#reference")).to_have_value(record.reference)  # kept, read the Crockford way
    j.check("status-not-found")
    fill_birth_date(page)
    j.submit(page.get_by_role("button", name="Cek status"), "/status")
    panel = page.locator("[role=status]")
    expect(panel).to_contain_text("Status: Dikembalikan ke kantor")
    expect(panel).to_contain_text("Alasan: Data belum lengkap")
    expect(page.locator("main")).not_to_contain_text(record.full_name)
    j.check("status-answer")
    j.assert_clean()


@MODES
def test_a_walkin_claims_an_account_and_sees_the_status(journeys, javascript, app, sms, mailbox):
    record = walkin(app, "confirmed")
    email = f"klaim-{'js' if javascript else 'nojs'}@contoh.id"
    j = journeys(javascript, label="claim")
    page = j.page
    j.goto("/status")
    page.get_by_role("link", name="Klaim pendaftaran Anda untuk memantaunya secara daring").click()
    j.arrive("/klaim")
    j.check("claim-form")
    page.fill("#reference", record.reference)
    page.fill("#nik", record.nik[:-1] + ("1" if record.nik[-1] != "1" else "2"))
    fill_birth_date(page)
    j.submit(page.get_by_role("button", name="Lanjutkan"), "/klaim")
    expect(page.locator(".error-summary")).to_contain_text("Kami tidak menemukan pendaftaran")
    j.check("claim-not-found")
    page.fill("#nik", record.nik)
    j.submit(page.get_by_role("button", name="Lanjutkan"), "/klaim/kode")
    expect(page.locator("main")).to_contain_text(record.phone[-4:])
    j.check("claim-code")
    page.fill("#code", sms.last_code(record.phone))
    j.submit(page.get_by_role("button", name="Lanjutkan"), "/klaim/akun")
    j.check("claim-account")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    j.submit(page.get_by_role("button", name="Buat akun"), "/daftar/cek-email")
    j.check("claim-check-email")
    j.goto(wait_for_mail(mailbox, email, "/verifikasi/"))
    j.arrive("/masuk")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    j.submit(page.get_by_role("button", name="Masuk", exact=True), "/pendaftaran/")
    expect(page.locator("#status")).to_contain_text("Status: Dikukuhkan sebagai calon peserta")
    expect(page.locator("#status")).to_contain_text(record.reference)
    j.check("claimed-task-list")
    j.assert_clean()

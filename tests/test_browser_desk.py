"""An officer's morning at the walk-in desk in Debian's Chromium, by keyboard alone (Tab, typing, Space,
arrow keys and Enter; never the mouse), with JavaScript on and off: sign in at /petugas with the
authenticator code, open the desk, key one paper form, save it and print the receipt (a PDF on A5, as
the browser's print would make it). Every page is screenshotted and checked with axe-core, and the
seconds the form took are printed."""

import re
import time

import pytest
from playwright.sync_api import expect

from browser_support import browser, journeys, live_server, translated  # noqa: F401
from conftest import PASSWORD, totp_code
from walkin_support import nik

pytestmark = pytest.mark.browser
MODES = pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])


def focused(page, selector):
    return page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector)


def tab_to(page, selector, limit=80):
    """Press Tab until the element matching `selector` has the focus (no key if it has it already)."""
    for _ in range(limit):
        if focused(page, selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")


def type_into(page, selector, text):
    tab_to(page, selector)
    page.keyboard.type(text)


def choose(j, part, level, name, next_level=None):
    """Pick a region from a list by typing its name; then the next list appears (htmx, or "Show the next
    list" and a reload without JavaScript)."""
    page = j.page
    type_into(page, f"#{part}-{level}", name)
    expect(page.locator(f"#{part}-{level} option:checked")).to_have_text(name)
    if j.javascript:
        if next_level:
            expect(page.locator(f"#{part}-{next_level}")).to_be_visible()
        page.wait_for_timeout(450)  # the list is refreshed once typing pauses (hx-trigger delay)
        j.settle()
    else:
        tab_to(page, f"button[value='region-{part.split('_')[0]}']")
        page.keyboard.press("Enter")
        j.arrive("/petugas/meja/baru")
        if next_level:
            assert focused(page, f"#{part}-{next_level}"), "the next list has the focus after reloading"


def key_the_form(j, serial):
    """One paper form, in its order, by keyboard; returns the seconds from the first key to the saved record."""
    page = j.page
    started = time.monotonic()
    type_into(page, "#nik", nik(serial))
    type_into(page, "#birth_date-day", "5")
    type_into(page, "#birth_date-month", "6")
    type_into(page, "#birth_date-year", "1995")
    if j.javascript:  # the NIK was checked when the officer left it; its sex is shown for confirmation
        expect(page.locator("#check-nik [role=status]")).to_contain_text(translated(j.app, "Female"))
    type_into(page, "#kk_number", "3201 0101 0123 0001")
    type_into(page, "#full_name", "Siti Aminah")
    type_into(page, "#birth_place", "Bogor")
    type_into(page, "#phone", f"0812 345{serial:05d}")
    choose(j, "ktp_address", "province", "Jawa Barat", "regency")
    choose(j, "ktp_address", "regency", "Kabupaten Bogor", "district")
    choose(j, "ktp_address", "district", "Cibinong", "village")
    choose(j, "ktp_address", "village", "Cibinong")
    expect(page.locator("#ktp_address-postal_code")).to_have_value("16911")
    type_into(page, "#ktp_address-street", "Jl. Raya Cibinong No. 5")
    type_into(page, "#ktp_address-rt", "1")
    type_into(page, "#ktp_address-rw", "2")
    tab_to(page, "#domicile_same-0")
    page.keyboard.press("Space")
    tab_to(page, "input[name=education]")
    for _ in range(3):  # arrow keys move through a radio group: the 4th choice, SMA/SMK
        page.keyboard.press("ArrowDown")
    tab_to(page, "input[name=employment]")
    page.keyboard.press("Space")
    for box in ("#not_in_education", "#not_excluded", "#aid-0"):
        tab_to(page, box)
        page.keyboard.press("Space")
    tab_to(page, "input[name=training_field]")
    page.keyboard.press("ArrowDown")
    for box in ("#ktp_seen", "#statement_signed"):
        tab_to(page, box)
        page.keyboard.press("Space")
    expect(page.locator("#education-3")).to_be_checked()
    expect(page.locator("#training_field-1")).to_be_checked()
    tab_to(page, "main form button.button:not([value])")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r".*/petugas/meja/data/PK-[0-9A-Z]{4}-[0-9A-Z]{4}(\?.*)?$"))
    j.settle()
    return time.monotonic() - started


@MODES
def test_an_officer_keys_a_paper_form_by_keyboard(journeys, javascript, app, make_staff, capsys):
    make_staff("officer")
    j = journeys(javascript, label="desk")
    j.app = app
    page = j.page

    j.goto("/petugas")
    type_into(page, "#email", "officer@kantor.id")
    type_into(page, "#password", PASSWORD)
    type_into(page, "#code", totp_code())
    page.keyboard.press("Enter")
    j.arrive("/petugas/beranda")
    j.check("home")

    tab_to(page, "main a[href='/petugas/meja/']")
    page.keyboard.press("Enter")
    j.arrive("/petugas/meja/")
    j.check("desk")
    tab_to(page, "main a[href='/petugas/meja/baru']")
    page.keyboard.press("Enter")
    j.arrive("/petugas/meja/baru")
    j.check("entry")

    seconds = key_the_form(j, serial=1 if javascript else 2)
    expect(page.locator("main")).to_contain_text("Siti Aminah")
    reference = re.search(r"PK-[0-9A-Z]{4}-[0-9A-Z]{4}", page.url).group(0)
    j.check("saved")
    with capsys.disabled():
        print(f"\nkeyboard-only entry of one paper form ({'JS on' if javascript else 'JS off'}): {seconds:.1f} s")

    tab_to(page, f"main a[href='/petugas/meja/data/{reference}/tanda-terima']")
    page.keyboard.press("Enter")
    j.arrive(f"/petugas/meja/data/{reference}/tanda-terima")
    expect(page.locator("main")).to_contain_text(reference)
    expect(page.locator("main")).to_contain_text("3201 01•• •••• 000")
    j.check("receipt")
    page.emulate_media(media="print")
    expect(page.locator(".no-print").first).to_be_hidden()
    expect(page.locator("header")).to_be_hidden()
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    page.emulate_media(media="screen")
    assert pdf.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1, "the receipt prints on one page"
    boxes = {tuple(round(float(n)) for n in box.split()) for box in re.findall(rb"/MediaBox\s*\[([^\]]+)\]", pdf)}
    assert boxes == {(0, 0, 420, 595)}, f"the receipt is an A5 page: {boxes}"
    j.assert_clean()

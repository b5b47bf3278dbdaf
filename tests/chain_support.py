"""The offline channel end to end in the browser (issues 9 and 10): helpers shared by tests/test_browser_chain.py.

Keying a paper form by keyboard alone (Tab, typing, Space, arrow keys, Enter), signing staff in with the
authenticator code, weighing every page a journey visits (the bytes on the wire) and reading the downloads.
"""

import csv
import io
import re
import time

import openpyxl
from playwright.sync_api import expect

from browser_support import translated
from conftest import PASSWORD, totp_code
from portal.models import SecondFactor
from walkin_support import nik

REFERENCE = re.compile(r"PK-[0-9A-Z]{4}-[0-9A-Z]{4}")


def focused(page, selector):
    return page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector)


def tab_to(page, selector, limit=120):
    """Press Tab until the element matching `selector` has the focus (no key if it has it already)."""
    for _ in range(limit):
        if focused(page, selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")


def type_into(page, selector, text):
    tab_to(page, selector)
    page.keyboard.type(text)


def enter(j, path):
    """Enter on the focused control; wait for the page at `path`."""
    j.page.keyboard.press("Enter")
    j.arrive(path)


class Scale:
    """The bytes on the wire of every page a journey shows (a full load, or htmx's boosted request for it;
    body as sent plus headers), by page name."""

    def __init__(self, j):
        self.j = j
        self.responses = {}
        self.sizes = {}
        j.page.on("response", self._on_response)

    def _on_response(self, response):
        kind = response.request.resource_type
        if kind in ("document", "xhr", "fetch") and response.url.startswith(self.j.base) and response.status == 200:
            self.responses[response.url.split("#")[0]] = response

    def weigh(self, name):
        """The page now shown, under `name`."""
        response = self.responses.get(self.j.page.url.split("#")[0])
        if response is None:
            return
        try:
            sizes = response.request.sizes()
        except Exception:  # pragma: no cover - the browser let go of it
            return
        self.sizes[name] = sizes["responseBodySize"] + sizes["responseHeadersSize"]

    def report(self):
        return ", ".join(f"{name} {size / 1024:.1f} KB" for name, size in self.sizes.items())


def look(j, scale, name):
    """Screenshot and axe-check the page, and weigh it."""
    j.check(name)
    scale.weigh(name)


def sign_in(app, j, email, password=PASSWORD):
    """The staff entrance by keyboard: email, password, the authenticator's code, Enter."""
    with app.app_context():
        SecondFactor.update(last_step=0).execute()  # several sign-ins in one 30-second step
    page = j.page
    j.goto("/petugas")
    type_into(page, "#email", email)
    type_into(page, "#password", password)
    type_into(page, "#code", totp_code())
    enter(j, "/petugas/beranda")


def sign_out(j):
    j.context.clear_cookies()


def choose_region(j, part, level, name, next_level=None):
    """Pick a region from a list by typing its name (htmx refreshes the next list; without JavaScript
    "Show the next list" reloads the page)."""
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


def find_village(j, code="32.01.01.1006", query="cibinong"):
    """The KTP village found by typing its name, when the desk form has the village search (the villages
    macro); returns False when it has only the cascading lists."""
    page = j.page
    if not page.locator("#desa-ktp-q").count():
        return False
    type_into(page, "#desa-ktp-q", query)
    result = f"#desa-ktp-results button[value='{code}']"
    if j.javascript:
        expect(page.locator(result)).to_be_visible()
    else:
        tab_to(page, "#desa-ktp-q ~ button")
        page.keyboard.press("Enter")
        j.arrive("/petugas/meja/baru")
    tab_to(page, result)
    page.keyboard.press("Enter")
    if j.javascript:
        expect(page.locator("#ktp_address-village option:checked")).to_have_attribute("value", code)
        j.settle()
    else:
        j.arrive("/petugas/meja/baru")
    return True


def key_paper_form(j, serial, name, kk, phone, email=""):
    """One paper form, in its order, by keyboard alone; returns (seconds from the first key to the saved
    record, whether the village was found by typing its name)."""
    page = j.page
    started = time.monotonic()
    type_into(page, "#nik", nik(serial))
    if j.javascript:  # the NIK is checked when the officer leaves it; its sex is shown for confirmation
        page.keyboard.press("Tab")
        expect(page.locator("#check-nik [role=status]")).to_contain_text(translated(j.app, "Female"))
        j.settle()
    type_into(page, "#birth_date-day", "5")
    type_into(page, "#birth_date-month", "6")
    type_into(page, "#birth_date-year", "1995")
    type_into(page, "#kk_number", kk)
    type_into(page, "#full_name", name)
    type_into(page, "#birth_place", "Bogor")
    if email:
        type_into(page, "#contact_email", email)
    type_into(page, "#phone", phone)
    searched = find_village(j)
    if not searched:
        choose_region(j, "ktp_address", "province", "Jawa Barat", "regency")
        choose_region(j, "ktp_address", "regency", "Kabupaten Bogor", "district")
        choose_region(j, "ktp_address", "district", "Cibinong", "village")
        choose_region(j, "ktp_address", "village", "Cibinong")
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
    tab_to(page, "main form button.button:not([value])")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r".*/petugas/meja/data/PK-[0-9A-Z]{4}-[0-9A-Z]{4}(\?.*)?$"))
    j.settle()
    return time.monotonic() - started, searched


def csv_rows(data):
    """The data rows of a batch or decree CSV (comment lines "#..." left out), header first, and the comments."""
    text = data.decode("utf-8-sig") if isinstance(data, bytes) else data
    lines = [row for row in csv.reader(io.StringIO(text)) if row]
    return [row for row in lines if not row[0].startswith("#")], text


def xlsx_book(data):
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    rows = [["" if v is None else v for v in row] for row in book["data"].iter_rows(values_only=True)]
    facts = dict(book["manifest"].iter_rows(values_only=True)) if "manifest" in book.sheetnames else {}
    return rows, facts


def download(j, link_name):
    page = j.page
    with page.expect_download() as caught:
        page.get_by_role("link", name=link_name, exact=True).click()
    return caught.value.path().read_bytes()

"""Choosing a village by typing its name on the applicant's KTP address step, in Chromium with JavaScript on
(htmx active search, the lists filled in place) and off (a Search button and result buttons), by keyboard;
axe-core checks each state. Screenshots: test-artifacts/screenshots/<mode>-villages-<n>-<name>.png."""

import pytest
from playwright.sync_api import expect

from browser_support import browser, journeys, live_server, log_in, set_marker, translated  # noqa: F401
from conftest import PASSWORD
from portal.models import Address
from portal.services import villages as search_service
from test_browser_wizard import EMAIL, expect_marker, save_and_continue
from wizard_support import KTP, NAME

pytestmark = pytest.mark.browser

STEP = "/pendaftaran/data-diri/alamat-ktp"
WANTED = "Desa Sukamaju, Kec. Cibungbulang, Kab. Bogor, Prov. Jawa Barat"


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
def test_choosing_a_village_by_typing_on_the_address_step(journeys, javascript, app, villages, make_account):
    make_account(email=EMAIL)
    # The steps before the address are answered through a test client (without the CSRF tokens it lacks).
    app.config["WTF_CSRF_ENABLED"] = False
    client = app.test_client()
    client.post("/masuk", data={"email": EMAIL, "password": PASSWORD})
    for url, data in (("/pendaftaran/ktp", KTP), ("/pendaftaran/ktp/konfirmasi", {}), ("/pendaftaran/data-diri/nama", NAME)):
        response = client.post(url, data=data)
        assert response.status_code == 303 and not response.location.endswith(url), url
    app.config["WTF_CSRF_ENABLED"] = True
    with app.test_request_context():
        code = next(v.code for v in search_service.search("sukamaju cibungbulang").villages)

    j = journeys(javascript, label="villages")
    log_in(j, EMAIL)
    j.goto(STEP)
    set_marker(j)
    page = j.page
    page.locator("#street").fill("Jl. Mawar No. 3")
    page.locator("#rt").fill("003")
    box = page.locator("#desa-q")
    box.focus()
    if javascript:
        # Typing is enough: after a pause htmx fetches the results into the live region.
        with page.expect_response(lambda r: "/wilayah/desa" in r.url and "cibung" in r.url) as answer:
            page.keyboard.type("sukamaju cibung", delay=40)
        assert answer.value.request.headers.get("hx-request") == "true"
        assert "<html" not in answer.value.text()
        j.settle()
    else:
        page.keyboard.type("sukamaju cibung")
        j.submit(page.get_by_role("button", name=translated(app, "Search"), exact=True), STEP)
    result = page.locator("#desa-results button", has_text=WANTED)
    expect(result).to_be_visible()
    expect(page.locator("#desa-results")).to_have_attribute("aria-live", "polite")
    j.check("results")

    # By keyboard: from the box, past the Search button, to the first result, and Enter.
    box.focus()
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(result).to_be_focused()
    if javascript:
        with page.expect_response(lambda r: r.request.method == "POST" and STEP in r.url) as answer:
            page.keyboard.press("Enter")
        assert "<html" not in answer.value.text(), "choosing answered a whole page, not the lists"
        j.settle()
        expect(page.locator("[data-village-chosen]")).to_be_focused()
    else:
        with page.expect_response(lambda r: r.request.method == "POST"):
            page.keyboard.press("Enter")
        j.arrive(STEP)
    expect(page.locator("[data-village-chosen]")).to_contain_text(WANTED)
    for level, value in zip(("province", "regency", "district", "village"), ("32", "32.01", code[:8], code)):
        expect(page.locator(f"#{level}")).to_have_value(value)
    expect(page.locator("#street")).to_have_value("Jl. Mawar No. 3")
    expect(page.locator("#rt")).to_have_value("003")
    expect_marker(j, "choosing a village")
    j.check("chosen")

    save_and_continue(j, app, "/pendaftaran/data-diri/domisili")
    with app.app_context():
        address = Address.get(Address.kind == "ktp")
        assert (address.region_code, address.street, address.rt) == (code, "Jl. Mawar No. 3", "003")
    j.assert_clean()

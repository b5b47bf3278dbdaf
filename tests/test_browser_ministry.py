"""A ministry reviewer in Debian's Chromium, by keyboard, with JavaScript on and off: the batch list, the
manifest check, the queue (accept, return with a reason, accept), and ratification under a decree with a
printable list. Every page is screenshotted and checked with axe-core."""

import datetime

import pytest
from ministry_support import make_closed_batch
from playwright.sync_api import expect

from browser_support import browser, journeys, live_server, translated  # noqa: F401
from conftest import totp_code
from portal.models import Application, Quota, SecondFactor
from portal.rules import status
from test_browser_staff import MODES, press_enter, tab_to, type_into

pytestmark = pytest.mark.browser


def choose(page, name, target):
    """Pick a radio of a group by keyboard: Tab into the group, arrows to the option, Space to tick it."""
    tab_to(page, f"input[name={name}]")
    for _ in range(10):
        focused = page.evaluate("() => document.activeElement.id")
        if focused == target:
            break
        page.keyboard.press("ArrowDown" if focused < target else "ArrowUp")
    if not page.is_checked(f"#{target}"):
        page.keyboard.press("Space")
    assert page.is_checked(f"#{target}")


@MODES
def test_a_reviewer_reviews_and_ratifies_a_batch_by_keyboard(journeys, javascript, app, make_staff):
    make_staff("reviewer", email="verifikator@kemnaker.go.id", name="Maya Verifikator")
    batch = make_closed_batch(app, 3, village="32.01.01.1006")
    with app.app_context():
        Quota.create(province_code="32", starts_on=datetime.date(2026, 1, 1), ends_on=datetime.date(2026, 12, 31),
                     amount=5)
        SecondFactor.update(last_step=0).execute()
        first, second, third = Application.select().where(Application.batch == batch.id).order_by(Application.reference)
    j = journeys(javascript, label="ministry")
    page = j.page

    j.goto("/petugas")
    type_into(page, "#email", "verifikator@kemnaker.go.id")
    type_into(page, "#password", "sawah-hijau-pagi")
    type_into(page, "#code", totp_code())
    press_enter(j, "/petugas/beranda")
    tab_to(page, "main a[href='/kementerian/']")
    press_enter(j, "/kementerian/")
    expect(page.locator("main table")).to_contain_text("DISNAKER-3201")
    j.check("batches")

    tab_to(page, f"main a[href='/kementerian/batch/{batch.id}']")
    press_enter(j, f"/kementerian/batch/{batch.id}")
    expect(page.locator(".notice--success")).to_contain_text(translated(app, "Manifest checked: the %(count)d records are exactly those the office signed.") % {"count": 3})
    j.check("batch")

    tab_to(page, f"main a[href='/kementerian/batch/{batch.id}/antrean']")
    press_enter(j, f"/kementerian/batch/{batch.id}/antrean")
    j.check("queue")
    tab_to(page, f"main a.button[href='/kementerian/batch/{batch.id}/data/{first.id}']")
    press_enter(j, f"/kementerian/batch/{batch.id}/data/{first.id}")
    j.check("record")

    # Accept: Space picks the radio, Enter sends the form; the next record follows.
    choose(page, "decision", "decision-0")
    press_enter(j, f"/kementerian/batch/{batch.id}/data/{second.id}")
    # Return without a reason first: the error summary says what is missing.
    choose(page, "decision", "decision-1")
    tab_to(page, "#note")
    page.keyboard.type("Tercatat sebagai perangkat desa")
    tab_to(page, "main form button")
    press_enter(j, f"/kementerian/batch/{batch.id}/data/{second.id}")
    expect(page.locator(".error-summary")).to_contain_text(translated(app, "Choose why the record goes back to the office"))
    expect(page.locator("#note")).to_have_value("Tercatat sebagai perangkat desa")
    j.check("record-error")
    choose(page, "decision", "decision-1")
    tab_to(page, "#reason")
    page.select_option("#reason", "not_eligible.excluded")
    tab_to(page, "main form button")
    press_enter(j, f"/kementerian/batch/{batch.id}/data/{third.id}")
    choose(page, "decision", "decision-0")
    tab_to(page, "main form button")
    press_enter(j, f"/kementerian/batch/{batch.id}")
    expect(page.locator("main")).to_contain_text(translated(app, "Every record of this batch is decided. You can ratify it now."))
    j.check("all-decided")

    tab_to(page, f"main a[href='/kementerian/batch/{batch.id}/penetapan']")
    press_enter(j, f"/kementerian/batch/{batch.id}/penetapan")
    j.check("ratify")
    type_into(page, "#decree_number", "KEP.12/LATTAS/XI/2026")
    for part, value in (("day", "20"), ("month", "11"), ("year", "2026")):
        tab_to(page, f"#decree_date-{part}")
        page.keyboard.press("Control+A")
        page.keyboard.type(value)
    tab_to(page, "main form button[value=ratify]")
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_contain_text("KEP.12/LATTAS/XI/2026")
    j.settle()
    expect(page.locator("main table tbody tr")).to_have_count(2)
    j.check("decree")
    with app.app_context():
        states = {a.reference: (a.status, a.status_reason) for a in Application.select()}
    assert states == {first.reference: (status.RATIFIED, None), third.reference: (status.RATIFIED, None),
                      second.reference: (status.RETURNED, "not_eligible.excluded")}
    j.assert_clean()

"""Waves in Debian's Chromium, JavaScript on and off: an applicant joins the open wave with the consent; the
PMO creates a wave, closes it and runs the selection (each after a check page, entering a waiting walk-in
first), waits for its job and reads the results. Every page is checked with axe-core."""

import re
from datetime import timedelta

import pytest
from browser_support import browser, journeys, live_server, log_in, staff_log_in, translated  # noqa: F401
from playwright.sync_api import expect
from queue_support import queue_in, sqlite_queue
from wave_support import make_application, open_wave

from portal.models import Account, WaveEntry, utcnow
from portal.pmo.wave_forms import to_wib

pytestmark = pytest.mark.browser
MODES = pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])


@MODES
def test_an_applicant_joins_the_open_wave(journeys, javascript, app, make_account):
    email = f"gabung-{'js' if javascript else 'nojs'}@contoh.id"
    make_account(email=email)
    with app.app_context():
        application = make_application(account=Account.by_email(email))
        open_wave(number=4)
    j = journeys(javascript, label="wave")
    page = j.page
    log_in(j, email)
    expect(page.locator("#gelombang")).to_contain_text(translated(app, "You can join"))
    j.check("task-list-can-join")

    page.locator("#gelombang a.button").click()
    j.arrive("/pendaftaran/gelombang")
    j.check("join")
    j.submit(page.locator("main form button"), "/pendaftaran/gelombang")
    expect(page.locator(".error-summary")).to_contain_text(translated(app, "Confirm that your data is valid to join the wave"))
    j.check("join-error")

    page.locator("#consent").check()
    j.submit(page.locator("main form button"), "/pendaftaran/")
    expect(page.locator("#gelombang")).to_contain_text(translated(app, "Waiting for the wave to close"))
    j.check("joined")
    with app.app_context():
        assert WaveEntry.select().where(WaveEntry.application == application.id).count() == 1
    j.assert_clean()


@MODES
def test_the_pmo_creates_closes_and_selects_a_wave(journeys, javascript, app, make_staff, tmp_path):
    make_staff("pmo")
    with app.app_context():
        for province in ("32", "32", "35"):
            make_application(province=province)
    j = journeys(javascript, label="pmo")
    page = j.page
    staff_log_in(app, j, "pmo@kantor.id")
    page.locator("main a[href='/pmo/gelombang']").click()
    j.arrive("/pmo/gelombang")
    j.check("waves")
    page.locator("main a[href='/pmo/gelombang/baru']").click()
    j.arrive("/pmo/gelombang/baru")
    now = to_wib(utcnow())
    opens, closes = now - timedelta(hours=1), now + timedelta(days=1)
    page.locator("#opens_at-time").fill("")  # a time left out comes back marked, the rest as typed
    j.submit(page.locator("main form button"), "/pmo/gelombang/baru")
    expect(page.locator(".error-summary a[href='#opens_at-time']")).to_be_visible()
    expect(page.locator("#opens_at-time")).to_have_class(re.compile("input--error"))
    j.check("new-wave-error")
    for name, moment in (("opens_at", opens), ("closes_at", closes)):
        for part, value in (("day", moment.day), ("month", moment.month), ("year", moment.year),
                            ("time", f"{moment:%H:%M}")):
            page.locator(f"#{name}-{part}").fill(str(value))
    page.locator("#quota").fill("2")
    j.check("new-wave")
    j.submit(page.locator("main form button"), "/pmo/gelombang/1")
    expect(page.locator("main")).to_contain_text(translated(app, "Open"))
    with app.app_context():
        from portal.models import Application
        from portal.services import waves

        for application in Application.select():
            waves.join(application)
        walkin = make_application(province="35", channel="walkin", status="confirmed")
    page.locator("main a[href='/pmo/gelombang/1/tutup']").click()  # closing early is checked first
    j.arrive("/pmo/gelombang/1/tutup")
    expect(page.locator("#waiting-walkins")).to_contain_text("Permenaker 17/2020")
    j.check("close-wave")
    j.submit(page.locator("form[action$='/tutup'] button"), "/pmo/gelombang/1")
    j.check("closed")
    page.locator("main a[href='/pmo/gelombang/1/seleksi/konfirmasi']").click()
    j.arrive("/pmo/gelombang/1/seleksi/konfirmasi")
    question = translated(app, "Run the selection of wave %(number)d?") % {"number": 1}
    expect(page.locator("main")).to_contain_text(question)
    j.check("select-wave")
    # The walk-in left out at closing goes in before the draw, and the check page comes back without the warning.
    j.submit(page.locator("form[action$='/pendaftar-langsung'] button"), "/pmo/gelombang/1/seleksi/konfirmasi")
    expect(page.locator("#waiting-walkins")).to_have_count(0)
    with queue_in(sqlite_queue(tmp_path / "huey.db")) as queue:
        j.submit(page.locator("form[action$='/seleksi'] button"), "/pmo/gelombang/1/seleksi")
        expect(page.locator("#selection-status")).to_contain_text(translated(app, "Reload"))
        j.check("selection-queued")
        with app.app_context():  # a worker takes the job
            queue.execute(queue.dequeue())
        if javascript:  # the fragment polled every few seconds finds it done and loads the results
            expect(page).to_have_url(j.url("/pmo/gelombang/1/hasil"), timeout=15000)
            j.settle()
        else:
            page.locator("#selection-status a").click()
            j.arrive("/pmo/gelombang/1/hasil")
    expect(page.locator("main")).to_contain_text(translated(app, "Seed of the draw"))
    expect(page.locator("main")).to_contain_text("Jawa Barat")
    j.check("results")
    with app.app_context():
        assert WaveEntry.get(WaveEntry.application == walkin.id).outcome == "selected"  # first in the draw
    j.assert_clean()

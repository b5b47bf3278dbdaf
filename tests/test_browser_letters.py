"""Statement letters in Debian's Chromium, JavaScript on and off: a thrice-failed applicant opens the letter,
prints it (print media), uploads a photo of the signed page (shrunk in the browser when JavaScript runs); the
PMO reviews the queue and decides with the keyboard alone. Every page is checked with axe-core."""

import pytest
from flask import request
from playwright.sync_api import expect

from browser_support import browser, journeys, live_server, log_in, staff_log_in, translated  # noqa: F401
from letter_support import photographed, thrice_failed
from portal.models import Account, StatementLetter
from portal.services import letters

pytestmark = pytest.mark.browser
MODES = pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])


@MODES
def test_an_applicant_prints_and_uploads_the_signed_letter(journeys, javascript, app, make_account, tmp_path):
    email = f"surat-{'js' if javascript else 'nojs'}@contoh.id"
    make_account(email=email)
    with app.app_context():
        thrice_failed(Account.by_email(email))
    received = []  # the size of each upload as the server receives it

    @app.before_request
    def weigh_uploads():
        if request.method == "POST" and request.path == "/pendaftaran/surat-pernyataan/foto":
            received.append(request.content_length or 0)

    camera = tmp_path / "surat.jpg"
    camera.write_bytes(photographed(size=(4000, 3000)))  # straight from a phone camera, a few MB
    j = journeys(javascript, label="letter")
    page = j.page
    log_in(j, email)
    expect(page.locator("#gelombang")).to_contain_text(translated(app, "Letter needed"))
    j.check("task-list-letter-needed")

    page.locator("#gelombang a[href='/pendaftaran/surat-pernyataan']").click()
    j.arrive("/pendaftaran/surat-pernyataan")
    j.check("letter")
    page.locator("main a[href='/pendaftaran/surat-pernyataan/cetak']").click()
    j.arrive("/pendaftaran/surat-pernyataan/cetak")
    expect(page.locator("article.letter")).to_contain_text("SURAT PERNYATAAN")
    j.check("letter-print")
    page.emulate_media(media="print")
    expect(page.locator(".header")).to_be_hidden()
    expect(page.locator("main h1")).to_be_hidden()
    expect(page.locator("article.letter")).to_be_visible()
    page.emulate_media(media="screen")

    page.locator("main a[href='/pendaftaran/surat-pernyataan']").last.click()
    j.arrive("/pendaftaran/surat-pernyataan")
    j.submit(page.locator("main form button"), "/pendaftaran/surat-pernyataan/foto")
    expect(page.locator(".error-summary")).to_contain_text(translated(app, "Select a photo of your signed letter"))
    j.check("letter-upload-error")

    page.locator("#letter-photo").set_input_files(str(camera))
    j.submit(page.locator("main form button"), "/pendaftaran/surat-pernyataan")
    expect(page.locator("main")).to_contain_text(translated(app, "Waiting for review"))
    j.check("letter-pending")
    posted = received[-1]
    print(f"\nletter photo upload, JavaScript {'on' if javascript else 'off'}: {posted:,} B sent for a "
          f"{camera.stat().st_size:,} B camera file")
    if javascript:  # shrunk in the browser to 1600 px: a fraction of the camera's file
        assert posted < camera.stat().st_size / 4, (posted, camera.stat().st_size)
    else:
        assert posted > camera.stat().st_size
    with app.app_context():
        letter = StatementLetter.get()
        assert letter.status == "pending"
    j.assert_clean()


@MODES
def test_the_pmo_rejects_then_approves_with_the_keyboard(journeys, javascript, app, make_staff):
    make_staff("pmo")
    with app.app_context():
        letters.save_letter(thrice_failed(), photographed())
        letters.save_letter(thrice_failed(numbers=(1, 2, 3)), photographed(tilt=-2))
        first, second = StatementLetter.select().order_by(StatementLetter.created_at, StatementLetter.id)
    j = journeys(javascript, label="pmo-letters")
    page = j.page
    staff_log_in(app, j, "pmo@kantor.id")
    page.locator("main a[href='/pmo/surat']").click()
    j.arrive("/pmo/surat")
    j.check("queue")
    page.locator("main a.button").click()
    j.arrive(f"/pmo/surat/{first.id}")
    expect(page.locator("img.letter-photo")).to_be_visible()
    # Served to the PMO: the picture arrives and decodes.
    page.wait_for_function("() => { const img = document.querySelector('img.letter-photo');"
                           " return img.complete && img.naturalWidth > 0; }")
    j.check("letter")

    # Reject without a reason: the message, linked from the summary.
    page.locator("#decision-1").check()
    j.submit(page.locator("main form button"), f"/pmo/surat/{first.id}")
    expect(page.locator(".error-summary")).to_contain_text(translated(app, "Enter the reason the applicant will read"))
    j.check("reject-error")
    page.locator("#reason").fill("Tanda tangan tidak mengenai meterai.")
    j.submit(page.locator("main form button"), f"/pmo/surat/{second.id}")  # on to the next letter

    # The next one approved with the keyboard alone: the radio, then Tab past the reason to the button.
    page.locator("#decision-0").focus()
    page.keyboard.press("Space")
    page.keyboard.press("Tab")  # to the reason (a radio group is one tab stop)
    page.keyboard.press("Tab")  # to the button
    with page.expect_response(lambda r: r.request.method == "POST"):
        page.keyboard.press("Enter")
    j.arrive("/pmo/surat")
    expect(page.locator("main")).to_contain_text(translated(app, "No letters are waiting. New ones appear here when applicants upload them."))
    j.check("queue-empty")
    with app.app_context():
        assert [letter.status for letter in StatementLetter.select().order_by(StatementLetter.id)] == ["rejected",
                                                                                                       "approved"]
    j.assert_clean()

"""The registration wizard in Debian's Chromium, with JavaScript on (htmx, photo shrinking) and off (plain HTML).

Every page visited is screenshotted to test-artifacts/screenshots/<mode>-wizard*-<n>-<name>.png and checked
with axe-core; console errors, CSP violations and requests to other sites fail the test. Photo uploads are
also timed on a throttled (2G-like) connection, and a failed upload is retried without reloading the page.
"""

import re
import time

import pytest
from playwright.sync_api import expect

from browser_support import browser, journeys, live_server, log_in, path_of, set_marker, translated  # noqa: F401
from image_support import card, jpeg
from portal.models import Account, Application, Photo
from portal.rules import regions
from wizard_support import ADDRESS, DECLARATIONS, KTP, PHONE, PHONE_E164, WORK, photo_bytes

pytestmark = pytest.mark.browser

EMAIL = "ani@contoh.id"
KB = 1024
# A slow 2G/3G connection as DevTools measures it: 400 ms round trips, 250 kbit/s down, 100 kbit/s up.
LATENCY_MS, DOWN_KBIT, UP_KBIT = 400, 250, 100
# Without JavaScript the whole camera photo goes up: at 100 kbit/s 4 MB would take over 5 minutes, so that
# upload runs at 2 Mbit/s (a fair 3G/4G uplink), same latency and download speed.
NOJS_UP_KBIT = 2000
SHRUNK_PHOTO_BUDGET = 150 * KB
UPLOAD_TIMEOUT_MS = 60_000
KTP_PHOTO = "/pendaftaran/foto/ktp"


@pytest.fixture
def received(app):
    """(method, path, Content-Length) of every request the live server gets: what really arrived."""
    seen = []
    inner = app.wsgi_app

    def counting(environ, start_response):
        seen.append((environ["REQUEST_METHOD"], environ["PATH_INFO"], int(environ.get("CONTENT_LENGTH") or 0)))
        return inner(environ, start_response)

    app.wsgi_app = counting
    yield seen
    app.wsgi_app = inner


@pytest.fixture
def photo_files(tmp_path):
    """The phone photos as files a file input can pick: the card, and a selfie holding it."""
    files = {}
    for kind in ("ktp", "selfie"):
        files[kind] = tmp_path / f"{kind}.jpg"
        files[kind].write_bytes(photo_bytes(kind))  # jpeg(card((1600, 1200))) and jpeg(selfie())
    return files


def expect_marker(j, what="page", strict=True):
    """With JavaScript on, the window set up at the last full load is still there: nothing reloaded it.

    Not strict: a reload is noted (the journey goes on, reported at the end) and the marker set again."""
    if not j.javascript or j.page.evaluate("() => window.__marker") == 1:
        return
    problem = f"full page reload ({what}) at {path_of(j.page.url)}"
    assert not strict, problem
    j.fail_later(problem)
    set_marker(j)


def open_section(j, href, path):
    """Follow a task-list (or other) link by its address, as a user taps it."""
    j.page.locator(f"main a[href='{href}']").first.click()
    j.arrive(path)
    expect_marker(j, f"following a link to {href}", strict=False)


def save_and_continue(j, app, path):
    j.submit(j.page.get_by_role("button", name=translated(app, "Save and continue")), path)
    expect_marker(j, "Save and continue", strict=False)


def expect_state(j, section, state):
    """A task-list row's tag, by its class (the words are the translators')."""
    expect(j.page.locator(f"#status-{section}")).to_have_class(f"tag tag--{state}")


def photo_form(page, kind):
    return page.locator(f"form[action^='/pendaftaran/foto/{kind}']")


def saved_tag(page, kind):
    return page.locator(f"section[aria-labelledby='heading-{kind}'] .tag--done")


def upload_photo(j, app, kind, path, lands_on):
    """Pick the file in the kind's form and press its Upload button; with JavaScript the page script shrinks
    it and sends it with XHR, then swaps the answer page into <main>."""
    page = j.page
    page.set_input_files(f"#{kind}-photo", str(path))
    j.submit(photo_form(page, kind).get_by_role("button", name=translated(app, "Upload photo")), lands_on)
    expect(page.locator(".notice--success")).to_contain_text(translated(app, "Photo saved."))
    expect_marker(j, f"{kind} photo upload")


def check_nik_inline(j, app):
    """JavaScript on: leaving the NIK field checks it at once, without a page load."""
    page = j.page
    nik = page.locator("#nik")

    # A NIK of 12 digits: an inline error, and nothing else on the page changes.
    nik.fill("3201 0145 1290")
    with page.expect_response(lambda r: "fragment=nik" in r.url) as answer:
        nik.press("Tab")
    assert answer.value.request.headers.get("hx-request") == "true"
    j.settle()
    expect(page.locator("#nik-error")).to_contain_text("12")
    expect(page.locator("#nik")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#nik-result")).to_have_count(0)
    expect(page.locator(".error-summary")).to_have_count(0)
    expect_marker(j, "inline NIK error")
    j.check("ktp-nik-inline-error")

    # A valid NIK with the birth date typed first: the sex (and date) it gives appear as soon as it is left.
    page.locator("#birth_date-day").fill(KTP["birth_date-day"])
    page.locator("#birth_date-month").fill(KTP["birth_date-month"])
    page.locator("#birth_date-year").fill(KTP["birth_date-year"])
    nik = page.locator("#nik")
    nik.fill(KTP["nik"])
    with page.expect_response(lambda r: "fragment=nik" in r.url):
        nik.press("Tab")
    j.settle()
    result = page.locator("#nik-result")
    expect(result).to_contain_text(translated(app, "Female"))
    expect(result).to_contain_text("1990")
    expect(page.locator("#nik-error")).to_have_count(0)
    expect_marker(j, "inline NIK check")
    j.check("ktp-nik-inline-ok")


def choose_region(j, app, level, code, next_level):
    """One level of the address cascade, as a user does it in each mode."""
    page = j.page
    path = "/pendaftaran/data-diri/alamat-ktp"
    if j.javascript:
        # Choosing is enough: htmx posts the form with action=region and swaps #region.
        with page.expect_response(lambda r: r.request.method == "POST" and path in r.url) as answer:
            page.locator(f"#{level}").select_option(code)
        assert answer.value.request.headers.get("hx-request") == "true", "the region list was not fetched by htmx"
        assert "<html" not in answer.value.text(), "the region answer was a whole page, not the #region part"
        j.settle()
    else:
        page.locator(f"#{level}").select_option(code)
        j.submit(page.get_by_role("button", name=translated(app, "Show the next list")), path)
    if next_level:
        expect(page.locator(f"#{next_level}")).to_be_visible()
        expect(page.locator(f"#{next_level} option[value='']")).to_have_count(1)
    expect(page.locator(f"#{level}")).to_have_value(code)
    expect_marker(j, f"choosing the {level}")


MODES = pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])


@MODES
def test_the_whole_wizard_across_two_devices(journeys, javascript, app, make_account, mailbox, sms, photo_files):
    make_account(email=EMAIL)

    # ---- Device 1: log in, the KTP section and the name step, then "Finish and clear". ----
    j = journeys(javascript, label="wizard")
    page = j.page
    main = page.locator("main")
    log_in(j, EMAIL, check=True)
    expect_state(j, "account", "done")
    expect_state(j, "ktp", "grey")
    expect_state(j, "review", "cannot")
    j.check("task-list")

    open_section(j, "/pendaftaran/ktp", "/pendaftaran/ktp")
    j.check("ktp")
    if javascript:
        check_nik_inline(j, app)
    else:
        page.locator("#birth_date-day").fill(KTP["birth_date-day"])
        page.locator("#birth_date-month").fill(KTP["birth_date-month"])
        page.locator("#birth_date-year").fill(KTP["birth_date-year"])
    # A mistyped KK number: the summary links to it, and what was typed stays.
    page.locator("#nik").fill(KTP["nik"])
    page.locator("#kk_number").fill("12345")
    save_and_continue(j, app, "/pendaftaran/ktp")
    expect(page.locator(".error-summary a")).to_have_count(1)
    expect(page.locator(".error-summary a")).to_have_attribute("href", "#kk_number")
    expect(page.locator("#kk_number-error")).to_contain_text("5")
    expect(page.locator("#nik")).to_have_value(KTP["nik"])
    expect(page.locator("#birth_date-year")).to_have_value(KTP["birth_date-year"])
    j.check("ktp-errors")
    page.locator("#kk_number").fill(KTP["kk_number"])
    save_and_continue(j, app, "/pendaftaran/ktp/konfirmasi")
    expect(main).to_contain_text(translated(app, "Female"))
    expect(main).to_contain_text(KTP["nik"])
    j.check("ktp-confirm")
    j.submit(page.get_by_role("button", name=translated(app, "This is correct, continue")),
             "/pendaftaran/data-diri/nama")
    expect_marker(j, "confirming the NIK", strict=False)
    expect(page.locator("#full_name")).to_have_value("Ani Lestari")  # from the account
    j.check("name")
    page.locator("#birth_place").fill("Bogor")
    save_and_continue(j, app, "/pendaftaran/data-diri/alamat-ktp")
    j.check("address")

    j.submit(page.get_by_role("button", name="Selesai dan bersihkan"), "/keluar/selesai")
    if j.javascript:  # a full page load, so nothing of the session stays in the page's memory either
        assert page.evaluate("() => window.__marker") is None
        set_marker(j)
    j.check("logged-out")
    j.goto("/pendaftaran/")
    j.arrive("/masuk")
    j.check("login-required")

    # ---- Device 2: a new browser (no cookies, no cache) resumes from the task list. ----
    k = journeys(javascript, label="wizard-device2")
    page = k.page
    main = page.locator("main")
    log_in(k, EMAIL, check=True)
    expect_state(k, "ktp", "done")
    expect_state(k, "personal", "blue")
    expect_state(k, "photos", "grey")
    k.check("task-list-resumed")
    # "Personal details" links straight to the first unanswered step: the KTP address.
    open_section(k, "/pendaftaran/data-diri/alamat-ktp", "/pendaftaran/data-diri/alamat-ktp")
    expect(page.locator("#province")).to_be_visible()
    expect(page.locator("#regency")).to_have_count(0)
    k.check("address-provinces")

    cascade = ["province", "regency", "district", "village"]
    for depth, level in enumerate(cascade):
        next_level = cascade[depth + 1] if depth + 1 < len(cascade) else None
        choose_region(k, app, level, ADDRESS[level], next_level)
        k.check(f"address-{level}-chosen")
    with app.app_context():
        postal = regions.postal_code(ADDRESS["village"])
    assert re.fullmatch(r"\d{5}", postal or ""), postal
    # The postal code is filled in from the village (the empty box the browser posted must not win).
    shown = page.locator("#postal_code").input_value()
    if shown != postal:
        k.fail_later(f"the postal code was not filled in from the village: #postal_code shows {shown!r}, not "
                     f"{postal!r} (the browser posts the empty box, and NumberField._value shows raw_data)")
    page.locator("#street").fill(ADDRESS["street"])
    page.locator("#rt").fill(ADDRESS["rt"])
    page.locator("#rw").fill(ADDRESS["rw"])
    save_and_continue(k, app, "/pendaftaran/data-diri/domisili")
    k.check("domicile")

    page.locator("#domicile_same-0").check()  # yes, at the KTP address
    save_and_continue(k, app, "/pendaftaran/data-diri/pendidikan-pekerjaan")
    k.check("work")
    page.locator(f"input[name=education][value={WORK['education']}]").check()
    page.locator(f"input[name=employment][value={WORK['employment']}]").check()
    save_and_continue(k, app, "/pendaftaran/data-diri/pernyataan")
    k.check("declarations")
    page.locator("#not_in_education").check()
    page.locator("#not_excluded").check()
    page.locator(f"input[name=aid][value={DECLARATIONS['aid'][0]}]").check()
    page.locator(f"input[name=training_field][value={DECLARATIONS['training_field']}]").check()
    save_and_continue(k, app, "/pendaftaran/")
    expect_state(k, "personal", "done")
    k.check("task-list-personal-done")

    # Photos: the card, then the selfie; the second leads back to the task list.
    open_section(k, "/pendaftaran/foto", "/pendaftaran/foto")
    k.check("photos")
    # Only a page whose script runs can shrink photos, so only such a page says they are small.
    shrunk = page.get_by_text(translated(app, "Photos are made smaller on your phone before they are sent, about 80 "
                                              "KB each."))
    expect(shrunk).to_be_visible() if javascript else expect(shrunk).to_be_hidden()
    upload_photo(k, app, "ktp", photo_files["ktp"], "/pendaftaran/foto")
    expect(saved_tag(page, "ktp")).to_be_visible()
    expect(saved_tag(page, "selfie")).to_have_count(0)
    k.check("photos-ktp-saved")
    upload_photo(k, app, "selfie", photo_files["selfie"], "/pendaftaran/")
    expect_state(k, "photos", "done")
    k.check("task-list-photos-done")

    # Mobile number, and the code from the SMS the gateway received.
    open_section(k, "/pendaftaran/nomor-hp", "/pendaftaran/nomor-hp")
    k.check("phone")
    page.locator("#phone").fill(PHONE)
    save_and_continue(k, app, "/pendaftaran/nomor-hp/kode")
    k.check("phone-code")
    page.locator("#code").fill(sms.last_code(PHONE_E164))
    save_and_continue(k, app, "/pendaftaran/")
    expect_state(k, "phone", "done")
    expect_state(k, "review", "grey")
    k.check("task-list-all-done")

    # Check answers; change one answer through its Change link and come back.
    open_section(k, "/pendaftaran/periksa", "/pendaftaran/periksa")
    expect(main).to_contain_text("Bogor")
    k.check("check")
    # Each Change link is named by its row, as the row writes it, for screen readers: "Ubah Tempat lahir".
    change = page.get_by_role(
        "link", name=f"{translated(app, 'Change')} {translated(app, 'Place of birth')}", exact=True)
    expect(change).to_have_attribute("href", "/pendaftaran/data-diri/nama?dari=periksa")
    change.click()
    k.arrive("/pendaftaran/data-diri/nama")
    assert page.url.endswith("?dari=periksa")
    expect_marker(k, "a Change link", strict=False)
    expect(page.locator("#birth_place")).to_have_value("Bogor")
    expect(page.locator("main a.back-link")).to_have_attribute("href", "/pendaftaran/periksa")
    k.check("change-name")
    page.locator("#birth_place").fill("Kabupaten Bogor")
    save_and_continue(k, app, "/pendaftaran/periksa")
    expect(main).to_contain_text("Kabupaten Bogor")
    k.check("check-changed")

    # Send: the declaration, then the button.
    page.locator("#declaration").check()
    k.submit(page.get_by_role("button", name=translated(app, "Send application")), "/pendaftaran/terkirim")
    expect_marker(k, "sending", strict=False)
    panel = page.locator("main .panel")
    expect(panel).to_contain_text(translated(app, "Application sent"))
    reference = panel.locator("strong").inner_text().strip()
    assert re.fullmatch(r"PK-[0-9A-Z]{4}-[0-9A-Z]{4}", reference), reference
    k.check("submitted")

    # The same reference in the email and the SMS, and one application stored, sent once.
    sent_mail = [m for m in mailbox.to(EMAIL) if reference in m.get_body(preferencelist=("plain",)).get_content()]
    assert len(sent_mail) == 1 and reference in sent_mail[0]["Subject"], [m["Subject"] for m in mailbox.to(EMAIL)]
    assert reference in sms.texts_to(PHONE_E164)[-1]
    with app.app_context():
        account = Account.by_email(EMAIL)
        stored = list(Application.select().where(Application.account == account))
        assert len(stored) == 1
        assert (stored[0].status, stored[0].reference, stored[0].birth_place) == (
            "submitted", reference, "Kabupaten Bogor")
        assert Application.select().where(Application.reference == reference).count() == 1
        assert Application.select().count() == 1
        assert sorted(p.kind for p in Photo.select().where(Photo.application == stored[0])) == ["ktp", "selfie"]
        assert stored[0].address("ktp").region_code == ADDRESS["village"]
        assert stored[0].verified_phone == PHONE_E164

    # The task list now only shows the result.
    page.locator("main a[href='/pendaftaran/']").click()
    k.arrive("/pendaftaran/")
    expect(main).to_contain_text(reference)
    expect_state(k, "review", "done")
    k.check("task-list-sent")

    for trip in (j, k):
        if not trip.javascript:
            assert trip.page.evaluate("() => typeof window.htmx") == "undefined", "scripts ran with JavaScript off"
    problems = j.problems() + k.problems()
    assert not problems, "\n".join(problems)


def big_camera_photo(tmp_path):
    """A 4000 x 3000 phone-camera JPEG of about 4 MB (the card with light sensor noise, quality 95)."""
    path = tmp_path / "camera.jpg"
    path.write_bytes(jpeg(card((4000, 3000), noise=5), quality=95))
    assert path.stat().st_size > 3.5 * 1024 * 1024, path.stat().st_size
    return path


def timed_upload(j, app, path, while_sending=lambda: None):
    """Upload `path` through the KTP photo form; (bytes the browser sent as the request body, seconds from
    pressing Upload until the Saved tag shows). `while_sending` runs between the two.

    The body size is the Content-Length header Chromium really sent (Playwright's all_headers() reads the
    raw headers from DevTools' requestWillBeSentExtraInfo); request.post_data_buffer is None when the body
    holds a file or a Blob, so it cannot be used. The test also checks the server got that many bytes."""
    page = j.page
    posts = []
    page.on("request", lambda r: posts.append(r) if r.method == "POST" and r.url.endswith(KTP_PHOTO) else None)
    page.set_input_files("#ktp-photo", str(path))
    button = photo_form(page, "ktp").get_by_role("button", name=translated(app, "Upload photo"))
    started = time.monotonic()
    # Without JavaScript the click starts a navigation that lasts as long as the upload.
    button.click(timeout=UPLOAD_TIMEOUT_MS)
    while_sending()
    expect(saved_tag(page, "ktp")).to_be_visible(timeout=UPLOAD_TIMEOUT_MS)
    seconds = time.monotonic() - started
    assert len(posts) == 1, [r.url for r in posts]
    sent = int(posts[0].all_headers()["content-length"])
    return sent, seconds


def test_photo_upload_on_a_slow_connection(journeys, app, make_account, tmp_path, received, capsys):
    """A 4 MB camera photo over a throttled line: with JavaScript it is shrunk in the browser before it goes,
    with a progress bar; without, the whole file goes and is still accepted."""
    photo = big_camera_photo(tmp_path)
    size = photo.stat().st_size

    make_account(email=EMAIL)
    j = journeys(True, label="slow-upload")
    page = j.page
    log_in(j, EMAIL)
    j.throttle(LATENCY_MS, DOWN_KBIT, UP_KBIT)
    j.goto("/pendaftaran/foto")
    set_marker(j)
    # What the progress bar shows, and when: [seconds after pressing Upload, percent or "hidden"].
    page.evaluate("""() => {
        window.__progress = [];
        const bar = document.querySelector("form[action^='/pendaftaran/foto/ktp'] progress");
        const button = bar.closest('form').querySelector('button');
        button.addEventListener('click', () => { window.__clicked = performance.now(); });
        new MutationObserver((records) => records.forEach(() => window.__progress.push(
            [Math.round((performance.now() - window.__clicked) / 100) / 10, bar.hidden ? 'hidden' : bar.value])))
            .observe(bar, {attributes: true, attributeFilter: ['hidden', 'value']});
    }""")

    def progress_shows():
        expect(photo_form(page, "ktp").locator("progress")).to_be_visible(timeout=UPLOAD_TIMEOUT_MS)
        expect(photo_form(page, "ktp").locator(".upload-status")).to_contain_text("%")

    js_sent, js_seconds = timed_upload(j, app, photo, while_sending=progress_shows)
    seen_progress = page.evaluate("() => window.__progress")
    expect_marker(j, "upload")
    j.check("photo-saved-throttled")
    on_server = [length for method, path, length in received if method == "POST" and path == KTP_PHOTO]
    assert on_server == [js_sent], (on_server, js_sent)

    # Without JavaScript, another applicant on a new phone sends the same file as it is.
    make_account(email="budi@contoh.id", name="Budi Santoso")
    plain = journeys(False, label="slow-upload")
    log_in(plain, "budi@contoh.id")
    plain.throttle(LATENCY_MS, DOWN_KBIT, NOJS_UP_KBIT)
    plain.goto("/pendaftaran/foto")
    nojs_sent, nojs_seconds = timed_upload(plain, app, photo)
    plain.arrive("/pendaftaran/foto")
    plain.check("photo-saved-throttled")
    on_server = [length for method, path, length in received if method == "POST" and path == KTP_PHOTO]
    assert on_server[1:] == [nojs_sent], (on_server, nojs_sent)

    with capsys.disabled():
        print(f"\n4 MB camera photo upload ({size:,} B file), latency {LATENCY_MS} ms, down {DOWN_KBIT} kbit/s:")
        print(f"  JavaScript on,  up {UP_KBIT:>5} kbit/s: request body {js_sent:>9,} B ({js_sent / KB:,.1f} KB), "
              f"{js_seconds:5.1f} s from Upload to Saved")
        print(f"    progress bar [seconds after Upload, value]: {seen_progress}")
        print(f"  JavaScript off, up {NOJS_UP_KBIT:>5} kbit/s: request body {nojs_sent:>9,} B "
              f"({nojs_sent / KB:,.1f} KB), {nojs_seconds:5.1f} s from Upload to Saved")

    assert js_sent <= SHRUNK_PHOTO_BUDGET, f"the shrunk photo took {js_sent:,} B > {SHRUNK_PHOTO_BUDGET:,} B"
    assert nojs_sent > size, "without JavaScript the whole file should have been sent"
    with app.app_context():
        stored = {p.application.account.email: (p.width, p.height) for p in Photo.select()}
    # Shrunk in the browser to 1024 px; sent whole, shrunk on the server to 1600 px.
    assert stored == {EMAIL: (1024, 768), "budi@contoh.id": (1600, 1200)}, stored
    problems = j.problems() + plain.problems()
    assert not problems, "\n".join(problems)


def test_a_failed_upload_can_be_retried_without_reloading(journeys, app, make_account, photo_files):
    """The connection drops during an upload: the page says so, and Upload works again on the same page."""
    make_account(email=EMAIL)
    j = journeys(True, label="upload-retry")
    page = j.page
    log_in(j, EMAIL)
    j.goto("/pendaftaran/foto")
    set_marker(j)
    form = photo_form(page, "ktp")
    button = form.get_by_role("button", name=translated(app, "Upload photo"))
    status = form.locator(".upload-status")

    # The signal drops while the photo is going: the request gets no answer at all.
    j.expect_failure(KTP_PHOTO)
    aborted = []

    def drop_once(route):
        if route.request.method == "POST" and not aborted:
            aborted.append(route.request.url)
            route.abort("internetdisconnected")
        else:
            route.continue_()

    page.route(f"**{KTP_PHOTO}", drop_once)
    page.set_input_files("#ktp-photo", str(photo_files["ktp"]))
    button.click()
    expect(status).to_have_text(form.get_attribute("data-failed"))
    expect(status).to_have_text(
        translated(app, "The upload stopped. Check your signal and press Upload photo again."))
    assert aborted, "the upload was never sent"
    expect(button).to_be_enabled()
    expect(form.locator("progress")).to_be_hidden()
    expect(saved_tag(page, "ktp")).to_have_count(0)
    expect_marker(j, "failed upload")
    j.check("photo-upload-stopped")
    with app.app_context():
        assert Photo.select().count() == 0
    page.unroute(f"**{KTP_PHOTO}")

    # Pressing Upload again sends the same chosen file; the page is never reloaded.
    with page.expect_response(lambda r: r.request.method == "POST" and r.url.endswith(KTP_PHOTO)):
        button.click()
    expect(saved_tag(page, "ktp")).to_be_visible()
    expect(page.locator(".notice--success")).to_contain_text(translated(app, "Photo saved."))
    expect_marker(j, "retried upload")
    j.settle()
    j.check("photo-upload-retried")
    with app.app_context():
        assert [p.kind for p in Photo.select()] == ["ktp"]
    j.assert_clean()

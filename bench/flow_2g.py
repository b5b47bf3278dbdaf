"""The whole online registration on 2G in Chromium, JavaScript on and off: each step timed, bytes counted.

Run by `make bench` (not by `make test`): pytest loads tests/conftest.py as a plugin for the fixtures (live
server, real SMTP, the SMS stand-in, Chromium). The line is throttled through DevTools as a slow 2G phone
gets it: 400 ms round trips, 250 kbit/s down, 100 kbit/s up, uploads included. Photos are the 4000 x 3000
camera photos of tests/camera_photos.py. With JavaScript on the page shrinks them before they go. Without
it nothing can shrink them in the browser, and the page asks for the camera's small size on a slow line
(templates/applicant/photos.html): that run sends the same scenes saved at 1280 x 960, as such a setting does.
Results go to bench/results/flow_2g.json for bench/run.py's table.
"""

import io
import json
import os
import time

import pytest
from PIL import Image
from playwright.sync_api import expect

from browser_support import browser, journeys, live_server, translated, wait_for_mail  # noqa: F401
from camera_photos import ktp_photo, selfie_photo
from conftest import PASSWORD
from wizard_support import ADDRESS, DECLARATIONS, KTP, PHONE, PHONE_E164, WORK

LATENCY_MS, DOWN_KBIT, UP_KBIT = 400, 250, 100
RESULTS = os.path.join(os.path.dirname(__file__), "results")
EMAIL = "ani@contoh.id"
SMALL_CAMERA = (1280, 960)


def small_setting(data):
    """The scene as a camera's small-size setting saves it."""
    image = Image.open(io.BytesIO(data))
    image.thumbnail(SMALL_CAMERA, Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


class Stopwatch:
    """Times each step from the user's action until the next page is there and settled."""

    def __init__(self, j):
        self.j = j
        self.steps = []
        self.sent = self.received = 0
        j.page.on("requestfinished", self._count)

    def _count(self, request):
        sizes = request.sizes()
        # DevTools gives no body size for a file or Blob upload; its Content-Length is what went.
        body = max(sizes["requestBodySize"], int(request.all_headers().get("content-length") or 0))
        self.sent += body + sizes["requestHeadersSize"]
        self.received += sizes["responseBodySize"] + sizes["responseHeadersSize"]

    def step(self, name, action, kind="page"):
        started = time.monotonic()
        action()
        self.steps.append({"step": name, "seconds": round(time.monotonic() - started, 2), "kind": kind})


def run_flow(j, app, mailbox, sms, photos):
    page = j.page
    watch = Stopwatch(j)
    j.throttle(LATENCY_MS, DOWN_KBIT, UP_KBIT)

    def submit(label, path):
        return lambda: j.submit(page.get_by_role("button", name=translated(app, label), exact=True), path)

    def link(href, path):
        def follow():
            page.locator(f"main a[href='{href}']").first.click()
            j.arrive(path)
        return follow

    watch.step("home (first visit)", lambda: j.goto("/"))
    watch.step("create account page", link("/daftar", "/daftar"))
    page.locator("#full_name").fill("Ani Lestari")
    page.locator("#email").fill(EMAIL)
    page.locator("#password").fill(PASSWORD)
    watch.step("register", submit("Create account", "/daftar/cek-email"))
    verify = wait_for_mail(mailbox, EMAIL, "/verifikasi/")
    watch.step("email link", lambda: (j.goto(verify), j.arrive("/masuk")))
    page.locator("#email").fill(EMAIL)
    page.locator("#password").fill(PASSWORD)
    watch.step("log in", lambda: j.submit(page.get_by_role("button", name="Masuk", exact=True), "/pendaftaran/"))
    watch.step("KTP page", link("/pendaftaran/ktp", "/pendaftaran/ktp"))
    for name in ("nik", "kk_number", "birth_date-day", "birth_date-month", "birth_date-year"):
        page.locator(f"#{name}").fill(KTP[name])
    watch.step("KTP saved", submit("Save and continue", "/pendaftaran/ktp/konfirmasi"))
    watch.step("KTP confirmed", submit("This is correct, continue", "/pendaftaran/data-diri/nama"))
    page.locator("#birth_place").fill("Bogor")
    watch.step("name saved", submit("Save and continue", "/pendaftaran/data-diri/alamat-ktp"))
    cascade = ["province", "regency", "district", "village"]
    for level in cascade:
        def choose(level=level):
            if j.javascript:
                with page.expect_response(lambda r: r.request.method == "POST" and "alamat-ktp" in r.url):
                    page.locator(f"#{level}").select_option(ADDRESS[level])
                j.settle()
            else:
                page.locator(f"#{level}").select_option(ADDRESS[level])
                submit("Show the next list", "/pendaftaran/data-diri/alamat-ktp")()
        watch.step(f"address: {level}", choose)
    page.locator("#street").fill(ADDRESS["street"])
    page.locator("#rt").fill(ADDRESS["rt"])
    page.locator("#rw").fill(ADDRESS["rw"])
    watch.step("address saved", submit("Save and continue", "/pendaftaran/data-diri/domisili"))
    page.locator("#domicile_same-0").check()
    watch.step("domicile saved", submit("Save and continue", "/pendaftaran/data-diri/pendidikan-pekerjaan"))
    page.locator(f"input[name=education][value={WORK['education']}]").check()
    page.locator(f"input[name=employment][value={WORK['employment']}]").check()
    watch.step("work saved", submit("Save and continue", "/pendaftaran/data-diri/pernyataan"))
    page.locator("#not_in_education").check()
    page.locator("#not_excluded").check()
    page.locator(f"input[name=aid][value={DECLARATIONS['aid'][0]}]").check()
    page.locator(f"input[name=training_field][value={DECLARATIONS['training_field']}]").check()
    watch.step("declarations saved", submit("Save and continue", "/pendaftaran/"))
    watch.step("photos page", link("/pendaftaran/foto", "/pendaftaran/foto"))
    for kind, lands_on in (("ktp", "/pendaftaran/foto"), ("selfie", "/pendaftaran/")):
        page.set_input_files(f"#{kind}-photo", str(photos[kind]))

        def upload(kind=kind, lands_on=lands_on):
            page.locator(f"form[action^='/pendaftaran/foto/{kind}']").get_by_role(
                "button", name=translated(app, "Upload photo")).click(timeout=300_000)
            # The KTP's answer is the photo page again: its "Photo saved." notice marks the arrival.
            expect(page.locator(".notice--success")).to_be_visible(timeout=300_000)
            expect(page).to_have_url(j.url(lands_on), timeout=300_000)
            j.settle()
        watch.step(f"{kind} photo uploaded", upload, kind="photo")
    watch.step("phone page", link("/pendaftaran/nomor-hp", "/pendaftaran/nomor-hp"))
    page.locator("#phone").fill(PHONE)
    watch.step("phone saved", submit("Save and continue", "/pendaftaran/nomor-hp/kode"))
    page.locator("#code").fill(sms.last_code(PHONE_E164))
    watch.step("code confirmed", submit("Save and continue", "/pendaftaran/"))
    watch.step("check answers", link("/pendaftaran/periksa", "/pendaftaran/periksa"))
    page.locator("#declaration").check()
    watch.step("application sent", submit("Send application", "/pendaftaran/terkirim"))
    expect(page.locator("main .panel strong")).to_contain_text("PK-")
    return watch


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
def test_the_online_flow_on_2g(journeys, javascript, app, mailbox, sms, tmp_path, capsys):
    photos = {}
    for kind, make in (("ktp", ktp_photo), ("selfie", selfie_photo)):
        photos[kind] = tmp_path / f"{kind}.jpg"
        photos[kind].write_bytes(make() if javascript else small_setting(make()))
    j = journeys(javascript, label="bench-2g")
    watch = run_flow(j, app, mailbox, sms, photos)
    mode = "js" if javascript else "nojs"
    total = sum(step["seconds"] for step in watch.steps)
    result = {
        "mode": mode, "total_seconds": round(total, 1), "steps": watch.steps,
        "photo_files": {kind: path.stat().st_size for kind, path in photos.items()},
        "bytes_sent": watch.sent, "bytes_received": watch.received,
        "network": {"latency_ms": LATENCY_MS, "down_kbit": DOWN_KBIT, "up_kbit": UP_KBIT},
    }
    os.makedirs(RESULTS, exist_ok=True)
    with open(os.path.join(RESULTS, f"flow_2g_{mode}.json"), "w") as fh:
        json.dump(result, fh, indent=1)
    with capsys.disabled():
        print(f"\n2G flow, JavaScript {'on' if javascript else 'off'}: {total:.1f} s, "
              f"{watch.sent / 1024:.0f} KB sent, {watch.received / 1024:.0f} KB received")
        for step in watch.steps:
            print(f"  {step['step']:<24} {step['seconds']:>6.2f} s")

"""Photos for 2G, as Chromium sends them: a 4 MB camera photo of a KTP goes up in at most 150 KB and a selfie
in at most 100 KB, shrunk by the page script, and the NIK on the card still reads back by OCR (Tesseract)
from exactly the bytes that were sent. The sizes are printed on each run."""

import io
import re
import shutil
import subprocess

import pytest
from PIL import Image
from playwright.sync_api import expect
from werkzeug.formparser import parse_form_data

from browser_support import browser, journeys, live_server, log_in, translated  # noqa: F401
from camera_photos import NIK, ktp_photo, selfie_photo
from conftest import skip_or_fail

pytestmark = pytest.mark.browser

KB = 1024
BUDGETS = {"ktp": 150 * KB, "selfie": 100 * KB}
TESSERACT = "/usr/bin/tesseract"


@pytest.fixture
def sent_photos(app):
    """kind -> the photo file as the live server received it in the upload's multipart body."""
    photos = {}
    inner = app.wsgi_app

    def keeping(environ, start_response):
        match = re.fullmatch(r"/pendaftaran/foto/(ktp|selfie)", environ["PATH_INFO"])
        if match and environ["REQUEST_METHOD"] == "POST":
            body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
            copy = {**environ, "wsgi.input": io.BytesIO(body)}
            _, form, files = parse_form_data(copy)
            photos[match.group(1)] = files[f"{match.group(1)}-photo"].read()
            for upload in files.values():
                upload.close()
            environ["wsgi.input"] = io.BytesIO(body)
        return inner(environ, start_response)

    app.wsgi_app = keeping
    yield photos
    app.wsgi_app = inner


def read_nik(jpeg_bytes):
    """The 16-digit runs Tesseract reads in a photo (spaces inside a run ignored)."""
    if not shutil.which(TESSERACT):
        skip_or_fail("tesseract-ocr not installed")
    text = subprocess.run([TESSERACT, "stdin", "stdout", "--psm", "11"], input=jpeg_bytes, capture_output=True,
                          check=True, timeout=120).stdout.decode()
    return {run.replace(" ", "") for run in re.findall(r"\d[\d ]{14,}\d", text)}


def shrunk_by_pillow(data, side, quality):
    image = Image.open(io.BytesIO(data))
    image.thumbnail((side, side), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality)
    return out.getvalue()


def test_camera_photos_go_up_small_and_the_nik_stays_legible(journeys, app, make_account, tmp_path, sent_photos,
                                                             capsys):
    originals = {"ktp": ktp_photo(), "selfie": selfie_photo()}
    make_account(email="ani@contoh.id")
    j = journeys(True, label="photo-sizes")
    page = j.page
    log_in(j, "ani@contoh.id")
    j.goto("/pendaftaran/foto")
    # The KTP's upload lands back on the photo page, the selfie's (the section then complete) on the task list.
    for (kind, data), lands_on in zip(originals.items(), (r"/pendaftaran/foto$", r"/pendaftaran/$")):
        path = tmp_path / f"{kind}.jpg"
        path.write_bytes(data)
        page.set_input_files(f"#{kind}-photo", str(path))
        page.locator(f"form[action^='/pendaftaran/foto/{kind}']").get_by_role(
            "button", name=translated(app, "Upload photo")).click()
        expect(page).to_have_url(re.compile(lands_on), timeout=60_000)
        expect(page.locator(".notice--success")).to_contain_text(translated(app, "Photo saved."))

    # The size the page promises per photo, in the visitor's language ("sekitar 80 KB per foto").
    j.goto("/pendaftaran/foto")
    stated = int(re.search(r"(\d+) KB", page.locator("main p", has_text="KB").first.inner_text()).group(1))
    sizes = {kind: Image.open(io.BytesIO(sent)).size for kind, sent in sent_photos.items()}
    read = read_nik(sent_photos["ktp"])
    with capsys.disabled():
        print("\nCamera photos (4000 x 3000) as Chromium sent them after the page script shrank them:")
        for kind in originals:
            print(f"  {kind:<7} {len(originals[kind]):>9,} B -> {len(sent_photos[kind]):>7,} B "
                  f"({len(sent_photos[kind]) / KB:.1f} KB, budget {BUDGETS[kind] // KB} KB), {sizes[kind][0]}x"
                  f"{sizes[kind][1]} px")
        print(f"  NIK read back by Tesseract from the sent KTP photo: {sorted(read)}; the page states {stated} KB")

    assert all(len(originals[kind]) > 3.5 * 1024 * 1024 for kind in originals), "not camera-sized originals"
    for kind, budget in BUDGETS.items():
        assert len(sent_photos[kind]) <= budget, f"{kind}: {len(sent_photos[kind]):,} B sent > {budget:,} B"
    assert NIK in read, f"the NIK was not legible in the sent photo: Tesseract read {read}"
    for kind, sent in sent_photos.items():
        assert 0.75 <= len(sent) / KB / stated <= 1.25, f"the page says about {stated} KB, {kind} sent {len(sent):,} B"
    assert j.problems() == []


def test_the_ocr_check_fails_on_a_photo_shrunk_too_far():
    """The legibility check can fail: shrunk to 280 px the same card's NIK no longer reads back."""
    assert NIK in read_nik(shrunk_by_pillow(ktp_photo(), 1024, 60))
    assert NIK not in read_nik(shrunk_by_pillow(ktp_photo(), 280, 50))


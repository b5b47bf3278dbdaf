"""The photo and mobile-number sections over HTTP: uploads, access to photos, SMS codes and their limits."""

import io
import re
from datetime import timedelta

import pytest
from PIL import Image

from conftest import PASSWORD, create_staff, sign_in_staff
from image_support import blurred, card, dark, jpeg, over_exposed
from portal.models import OtpCode, Photo, SmsLog
from wizard_support import application_of, error_for, PHONE, PHONE_E164, complete_sections, upload, verify_phone


def test_both_photos_complete_the_section_and_are_stored_clean(applicant, app):
    assert upload(applicant, "ktp").headers["Location"] == "/pendaftaran/foto"
    assert re.search(r'id="status-photos">In progress', applicant.get("/pendaftaran/").get_data(as_text=True))
    assert upload(applicant, "selfie").headers["Location"] == "/pendaftaran/"
    assert re.search(r'id="status-photos">Completed', applicant.get("/pendaftaran/").get_data(as_text=True))
    with app.app_context():
        photo = Photo.get(Photo.kind == "ktp")
        saved = (app.config["UPLOAD_DIR"] + "/" + photo.image_key[:2] + "/" + photo.image_key)
    with open(saved, "rb") as fh:
        image = Image.open(io.BytesIO(fh.read()))
    assert image.format == "JPEG" and max(image.size) <= 1600 and not image.getexif()


def test_a_full_size_camera_photo_is_accepted_without_javascript(applicant, app):
    big = jpeg(card((4000, 3000)), quality=95)
    assert len(big) > 3_000_000
    assert upload(applicant, "ktp", data=big).status_code == 303
    with app.app_context():
        assert Photo.get().width == 1600


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda: b"", "Select a photo"),
        (lambda: b"ini bukan foto, hanya teks", "must be a photo"),
        (lambda: jpeg(card((1600, 1200)))[:20000], "did not arrive whole"),
        (lambda: jpeg(dark()), "too dark"),
        (lambda: jpeg(over_exposed()), "too bright"),
        (lambda: jpeg(blurred()), "blurred"),
        (lambda: jpeg(card((200, 150))), "too small"),
    ],
)
def test_bad_photos_are_refused_with_a_specific_message(applicant, app, make, message):
    response = upload(applicant, "ktp", data=make())
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "<title>Error:" in page
    assert message in error_for(page, "ktp-photo") and 'href="#ktp-photo"' in page
    with app.app_context():
        assert Photo.select().count() == 0


def test_over_10_mb_is_refused(applicant):
    response = upload(applicant, "ktp", data=b"\xff" * (11 * 1024 * 1024))
    assert response.status_code == 413 and "10 MB" in response.get_data(as_text=True)


def test_replacing_a_photo_removes_the_old_file(applicant, app):
    upload(applicant, "ktp")
    with app.app_context():
        old = Photo.get()
    upload(applicant, "ktp", data=jpeg(card((1600, 1200), seed=7)))
    with app.app_context():
        new = Photo.get()
        from portal.storage import storage

        store = storage()
        assert Photo.select().count() == 1
        assert not store.exists(old.image_key) and not store.exists(old.thumb_key)
        assert store.exists(new.image_key) and new.image_key != old.image_key


def test_photos_are_served_only_to_their_owner_and_staff(app, applicant, make_account):
    upload(applicant, "ktp")
    with app.app_context():
        photo = Photo.get()
    url = f"/foto/{photo.id}/kecil"
    own = applicant.get(url)
    assert own.status_code == 200 and own.headers["Content-Type"] == "image/jpeg"
    assert own.headers["Cache-Control"] == "no-store"
    assert applicant.get(f"/foto/{photo.id}/besar").status_code == 200

    assert app.test_client().get(url).status_code == 404  # anonymous
    make_account(email="budi@contoh.id")
    other = app.test_client()
    other.post("/masuk", data={"email": "budi@contoh.id", "password": PASSWORD})
    assert other.get(url).status_code == 404  # another applicant
    assert other.get(f"/foto/{photo.id + 1}/kecil").status_code == 404

    create_staff(app, "officer")
    staff = app.test_client()
    sign_in_staff(staff, "officer@kantor.id")
    assert staff.get(url).status_code == 200


def test_photo_page_serves_page_and_htmx_partial(applicant):
    full = applicant.get("/pendaftaran/foto").get_data(as_text=True)
    partial = applicant.get("/pendaftaran/foto", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" in full and "<html" not in partial and 'enctype="multipart/form-data"' in partial


def test_an_upload_answered_to_htmx_is_the_same_redirect(applicant):
    response = upload(applicant, "ktp")
    assert response.status_code == 303
    # The page script posts uploads itself and swaps in the page it lands on; the server treats both alike.


@pytest.mark.parametrize(
    "typed",
    ["0812 3456 7890", "0812-3456-7890", "+62 812 3456 7890", "6281234567890", "(0812) 34567890"],
)
def test_a_code_verifies_the_number_in_any_spelling(applicant, app, sms, typed):
    response = applicant.post("/pendaftaran/nomor-hp", data={"phone": typed})
    assert response.headers["Location"] == "/pendaftaran/nomor-hp/kode"
    [text] = sms.texts_to(PHONE_E164)
    assert re.fullmatch(r"Kode Prakerja Anda: \d{6}\. Berlaku 10 menit\. Jangan berikan kode ini kepada siapa pun\.", text)
    assert len(text) < 160
    page = applicant.get("/pendaftaran/nomor-hp/kode").get_data(as_text=True)
    assert "+62 812-****-7890" in page and 'autocomplete="one-time-code"' in page and 'inputmode="numeric"' in page
    code = sms.last_code(PHONE_E164)
    response = applicant.post("/pendaftaran/nomor-hp/kode", data={"code": f" {code[:3]} {code[3:]} "})
    assert response.headers["Location"] == "/pendaftaran/"
    assert application_of(app).verified_phone == PHONE_E164
    with app.app_context():
        assert code not in OtpCode.get().code_hash  # stored hashed


@pytest.mark.parametrize(
    "typed, message",
    [
        ("", "Enter your mobile number"),
        ("021 5551234", "not a landline"),
        ("+1 415 555 1234", "Indonesian mobile number"),
        ("0812345", "10 to 13 digits"),
        ("0812-ABCD-7890", "only include numbers"),
    ],
)
def test_numbers_that_cannot_get_a_code_are_refused(applicant, sms, typed, message):
    page = applicant.post("/pendaftaran/nomor-hp", data={"phone": typed}).get_data(as_text=True)
    assert message in error_for(page, "phone") and f'value="{typed}"' in page
    assert sms.requests == []


def test_a_wrong_code_says_how_many_tries_are_left_and_five_kill_it(applicant, app, sms):
    applicant.post("/pendaftaran/nomor-hp", data={"phone": PHONE})
    code = sms.last_code(PHONE_E164)
    wrong = "000000" if code != "000000" else "111111"
    for left in (4, 3, 2, 1):
        page = applicant.post("/pendaftaran/nomor-hp/kode", data={"code": wrong}).get_data(as_text=True)
        assert f"You have {left} tries left" in error_for(page, "code")
    page = applicant.post("/pendaftaran/nomor-hp/kode", data={"code": wrong}).get_data(as_text=True)
    assert "wrong 5 times" in error_for(page, "code")
    page = applicant.post("/pendaftaran/nomor-hp/kode", data={"code": code}).get_data(as_text=True)
    assert "no longer be used" in error_for(page, "code")
    assert application_of(app).verified_phone is None


def test_pasting_the_whole_sms_works(applicant, app, sms):
    applicant.post("/pendaftaran/nomor-hp", data={"phone": PHONE})
    [text] = sms.texts_to(PHONE_E164)
    page = applicant.get("/pendaftaran/nomor-hp/kode").get_data(as_text=True)
    maxlength = int(re.search(r'<input[^>]*id="code"[^>]*maxlength="(\d+)"', page).group(1))
    assert maxlength >= len(text)  # the browser must not cut the pasted SMS before its code
    assert applicant.post("/pendaftaran/nomor-hp/kode", data={"code": text}).status_code == 303
    assert application_of(app).verified_phone == PHONE_E164


@pytest.mark.parametrize("typed, message", [("", "Enter the 6-digit code"), ("12345", "must be 6 digits"), ("12a456", "must be 6 digits"),
                                            ("x" * 200 + " 123456", "Paste only the SMS with the code")])
def test_malformed_codes(applicant, sms, typed, message):
    applicant.post("/pendaftaran/nomor-hp", data={"phone": PHONE})
    page = applicant.post("/pendaftaran/nomor-hp/kode", data={"code": typed}).get_data(as_text=True)
    assert message in error_for(page, "code")


def test_a_code_expires_after_10_minutes(applicant, app, sms):
    applicant.post("/pendaftaran/nomor-hp", data={"phone": PHONE})
    age_sms(app, 601)
    page = applicant.post("/pendaftaran/nomor-hp/kode", data={"code": sms.last_code(PHONE_E164)}).get_data(as_text=True)
    assert "expired" in error_for(page, "code")


def age_sms(app, seconds):
    """Pretend every SMS and code so far was sent `seconds` earlier."""
    with app.app_context():
        for model in (SmsLog, OtpCode):
            for row in model.select():
                row.created_at -= timedelta(seconds=seconds)
                row.save()


def test_resend_waits_60_seconds_and_the_page_says_so(applicant, app, sms):
    applicant.post("/pendaftaran/nomor-hp", data={"phone": PHONE})
    page = applicant.get("/pendaftaran/nomor-hp/kode").get_data(as_text=True)
    assert "We have just sent a code to this number. You can ask for a new code in about 1 minute." in page
    assert re.search(r'data-wait="(5\d|60)"', page) and "You can still ask for 2 more codes" in page
    page = applicant.post("/pendaftaran/nomor-hp/kirim-ulang", follow_redirects=True).get_data(as_text=True)
    assert "You can ask for a new code in about 1 minute" in page and len(sms.texts_to(PHONE_E164)) == 1
    first = sms.last_code(PHONE_E164)
    age_sms(app, 61)
    page = applicant.post("/pendaftaran/nomor-hp/kirim-ulang", follow_redirects=True).get_data(as_text=True)
    assert "We have sent a new code" in page and len(sms.texts_to(PHONE_E164)) == 2
    if sms.last_code(PHONE_E164) != first:  # the earlier code died with the new one
        page = applicant.post("/pendaftaran/nomor-hp/kode", data={"code": first}).get_data(as_text=True)
        assert "not correct" in error_for(page, "code")


def test_hourly_and_daily_caps_per_number(applicant, app, sms):
    applicant.post("/pendaftaran/nomor-hp", data={"phone": PHONE})
    for _ in range(2):
        age_sms(app, 61)
        applicant.post("/pendaftaran/nomor-hp/kirim-ulang")
    assert len(sms.texts_to(PHONE_E164)) == 3
    age_sms(app, 61)
    page = applicant.get("/pendaftaran/nomor-hp/kode").get_data(as_text=True)
    # Said once, with when and what to do meanwhile; no button that cannot be pressed.
    assert re.search(r"This number has been sent several codes recently\. You can ask for a new code in about 5[78] "
                     r"minutes\. Try again then, or visit your local manpower office", page)
    assert "You cannot ask for more codes now" not in page and "Send a new code" not in page
    applicant.post("/pendaftaran/nomor-hp/kirim-ulang")
    assert len(sms.texts_to(PHONE_E164)) == 3
    age_sms(app, 3600)  # the hour passes: two more today
    for _ in range(3):
        applicant.post("/pendaftaran/nomor-hp/kirim-ulang")
        age_sms(app, 61)
    assert len(sms.texts_to(PHONE_E164)) == 5


def test_per_ip_cap(app, make_account, sms):
    app.config["SMS_PER_IP_HOUR"] = 2
    for i, number in enumerate(["0812 1111 1111", "0812 2222 2222", "0812 3333 3333"]):
        make_account(email=f"orang{i}@contoh.id")
        client = app.test_client()
        client.set_cookie("lang", "en")
        client.post("/masuk", data={"email": f"orang{i}@contoh.id", "password": PASSWORD})
        response = client.post("/pendaftaran/nomor-hp", data={"phone": number})
    assert response.status_code == 200 and "You can ask for a new code in" in response.get_data(as_text=True)
    assert len(sms.requests) == 2


def test_a_number_verified_by_someone_else_is_refused(app, applicant, make_account, sms):
    verify_phone(applicant, sms)
    make_account(email="budi@contoh.id")
    other = app.test_client()
    other.set_cookie("lang", "en")
    other.post("/masuk", data={"email": "budi@contoh.id", "password": PASSWORD})
    page = other.post("/pendaftaran/nomor-hp", data={"phone": PHONE}).get_data(as_text=True)
    assert "already verified on another application" in error_for(page, "phone")
    assert len(sms.texts_to(PHONE_E164)) == 1


@pytest.mark.parametrize("url", ["/pendaftaran/nomor-hp", "/pendaftaran/nomor-hp/kode"])
def test_phone_pages_serve_page_and_htmx_partial(applicant, sms, url):
    applicant.post("/pendaftaran/nomor-hp", data={"phone": PHONE})
    full = applicant.get(url).get_data(as_text=True)
    partial = applicant.get(url, headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" in full and "<html" not in partial and "<form" in partial


def test_check_page_shows_thumbnails_and_the_masked_number(applicant, sms):
    complete_sections(applicant, sms)
    page = applicant.get("/pendaftaran/periksa").get_data(as_text=True)
    assert page.count('/kecil?v=') == 2 and "/besar" not in page
    assert "+62 812-****-7890" in page and PHONE_E164 not in page


def test_submission_needs_photos_and_phone(applicant, sms, app):
    complete_sections(applicant, sms)
    with app.app_context():
        Photo.delete().where(Photo.kind == "selfie").execute()
    assert applicant.post("/pendaftaran/periksa", data={"declaration": "y"}).headers["Location"] == "/pendaftaran/"
    assert application_of(app).status == "draft"


def test_submission_texts_the_reference(applicant, sms, app):
    complete_sections(applicant, sms)
    applicant.post("/pendaftaran/periksa", data={"declaration": "y"})
    reference = application_of(app).reference
    assert any(reference in text for text in sms.texts_to(PHONE_E164))


def test_thumbnails_are_small_and_kept_by_the_browser_under_a_content_tag(applicant, app):
    """Shown 120 px wide, sent 240 px (sharp on 2x screens) in a few KB; the browser keeps one for a day,
    privately, under an address that changes with the photo, while the full photo is never kept."""
    upload(applicant, "ktp")
    page = applicant.get("/pendaftaran/foto").get_data(as_text=True)
    url = re.search(r'<img class="photo-thumb" src="([^"]+)"[^>]*width="120"', page).group(1).replace("&amp;", "&")
    thumb = applicant.get(url)
    image = Image.open(io.BytesIO(thumb.get_data()))
    assert max(image.size) == 240 and len(thumb.get_data()) < 12 * 1024, (image.size, len(thumb.get_data()))
    assert thumb.headers["Cache-Control"] == "private, max-age=86400, immutable"
    assert applicant.get(url.split("?")[0]).headers["Cache-Control"] == "no-store"
    assert applicant.get(url.replace("kecil", "besar")).headers["Cache-Control"] == "no-store"

    upload(applicant, "ktp", data=jpeg(card((1600, 1200), seed=7)))
    page = applicant.get("/pendaftaran/foto").get_data(as_text=True)
    new_url = re.search(r'<img class="photo-thumb" src="([^"]+)"', page).group(1).replace("&amp;", "&")
    assert new_url != url, "a replaced photo must get a new address, or browsers would show the old one"
    assert applicant.get(url).headers["Cache-Control"] == "no-store"  # the old tag no longer matches

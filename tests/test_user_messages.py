"""What people read (issue 7 items 10-12): times, dead codes, marked fields, and limits quoted from settings."""

import re
from datetime import datetime, timedelta, timezone

import pytest

from image_support import card, encoded
from portal.models import Photo
from test_photos_phone import age_sms
from wizard_support import KTP, PHONE, PHONE_E164, application_of, error_for, upload

CLOCK = re.compile(r"\b\d\d:\d\d(?::\d\d)?\b(?: [A-Z]+)?")


def test_the_code_page_says_when_a_code_has_expired(applicant, app, sms):
    applicant.post("/pendaftaran/nomor-hp", data={"phone": PHONE})
    page = applicant.get("/pendaftaran/nomor-hp/kode").get_data(as_text=True)
    assert "It works until" in page and 'id="code-dead"' not in page
    age_sms(app, 601)
    page = applicant.get("/pendaftaran/nomor-hp/kode").get_data(as_text=True)
    assert "It works until" not in page
    assert re.search(r'id="code-dead">This code has expired: codes work for 10 minutes\. Ask for a new code', page)


def test_the_code_page_says_when_a_code_was_tried_too_often(applicant, sms):
    applicant.post("/pendaftaran/nomor-hp", data={"phone": PHONE})
    wrong = "000000" if sms.last_code(PHONE_E164) != "000000" else "111111"
    for _ in range(5):
        applicant.post("/pendaftaran/nomor-hp/kode", data={"code": wrong})
    page = applicant.get("/pendaftaran/nomor-hp/kode").get_data(as_text=True)
    assert "It works until" not in page and "This code can no longer be used. Ask for a new code" in page


def test_every_time_on_a_page_is_hours_and_minutes(applicant, sms):
    applicant.post("/pendaftaran/nomor-hp", data={"phone": PHONE})
    page = applicant.get("/pendaftaran/nomor-hp/kode").get_data(as_text=True)
    times = CLOCK.findall(page)
    assert len(times) == 2, times  # logged out at, code works until (a wait is said in minutes, not as a time)
    assert all(re.fullmatch(r"\d\d:\d\d WIB", time) for time in times), times


@pytest.mark.parametrize("lang, sentence", [
    ("en", r"you will be logged out at (\d\d:\d\d WIB) if you do nothing\."),
    ("id", r"akun Anda akan otomatis keluar pada pukul (\d\d:\d\d WIB) jika tidak ada aktivitas\."),
])
def test_the_session_note_says_the_time_in_wib(app, client, make_account, login, lang, sentence):
    make_account()
    client.set_cookie("lang", lang)
    login()
    page = client.get("/pendaftaran/").get_data(as_text=True)
    note = re.search(r'<p class="session-note"[^>]*>(.*?)</p>', page).group(1)
    shown = re.search(sentence, note)
    assert shown, note
    # The time is Jakarta's (UTC+7), within the idle limit from now.
    wib = datetime.now(timezone(timedelta(hours=7)))
    hours, minutes = map(int, shown.group(1)[:5].split(":"))
    ahead = (hours * 60 + minutes - wib.hour * 60 - wib.minute) % (24 * 60)
    assert 0 <= ahead <= app.config["SESSION_IDLE_MINUTES"] + 1, (shown.group(1), wib)


def test_wave_close_times_and_desk_receipts_name_the_zone_once(app, applicant, make_staff, staff_login):
    from portal.models import Account
    from wave_support import make_application, open_wave

    with app.app_context():
        make_application(account=Account.get(Account.email == "ani@contoh.id"))
        open_wave(number=1)
    page = applicant.get("/pendaftaran/").get_data(as_text=True)
    assert re.search(r"Wave 1 is open until \d{1,2} \w+ \d{4} \d\d:\d\d WIB\.", page), page
    assert "WIB WIB" not in page
    page = applicant.get("/pendaftaran/gelombang").get_data(as_text=True)
    assert re.search(r"Joining is open until \d{1,2} \w+ \d{4} \d\d:\d\d WIB\. There", page)


def test_a_nik_that_disagrees_with_the_birth_date_marks_both_and_the_summary_once(applicant, app):
    page = applicant.post("/pendaftaran/ktp", data={**KTP, "birth_date-day": "6"}).get_data(as_text=True)
    message = error_for(page, "nik")
    assert "is not the date of birth you entered" in message and error_for(page, "birth_date") == message
    for part in ("day", "month", "year"):
        assert re.search(rf'class="input input--w\d input--error" id="birth_date-{part}"', page)
    summary = re.search(r'<ul class="error-summary__list">(.*?)</ul>', page, re.S).group(1)
    assert re.findall(r'href="(#[^"]+)"', summary) == ["#nik"]
    assert application_of(app).nik is None


# --- one source for every limit ----------------------------------------------------------------------------

def test_the_photo_limit_is_the_setting(applicant, app):
    big = encoded(card((2400, 1800), noise=30), "PNG")  # a grainy camera picture, over 10 MB
    assert len(big) > 10 * 1024 * 1024
    app.config["UPLOAD_MAX_BYTES"] = 12 * 1024 * 1024
    assert upload(applicant, "ktp", data=big).status_code == 303
    app.config["UPLOAD_MAX_BYTES"] = 4 * 1024 * 1024
    response = upload(applicant, "selfie", data=big)
    assert response.status_code == 413 and "4 MB or smaller" in error_for(response.get_data(as_text=True),
                                                                          "selfie-photo")


def test_a_photo_over_the_limit_without_javascript_comes_back_to_the_photo_page(applicant, app):
    app.config["UPLOAD_MAX_BYTES"] = 1024 * 1024
    response = upload(applicant, "ktp", data=encoded(card((1600, 1200), noise=30), "PNG"))
    page = response.get_data(as_text=True)
    assert response.status_code == 413 and "<title>Error: Photos of your KTP" in page
    assert "1 MB or smaller" in error_for(page, "ktp-photo") and 'href="#ktp-photo"' in page
    assert page.count('enctype="multipart/form-data"') == 2  # both upload forms, ready for another try
    with app.app_context():
        assert Photo.select().count() == 0


def test_a_too_large_body_elsewhere_gets_the_error_page_with_the_limits_from_settings(app, client):
    app.config.update(MAX_CONTENT_LENGTH=32 * 1024, MAX_FORM_MEMORY_SIZE=32 * 1024, UPLOAD_MAX_BYTES=3 * 1024 * 1024)
    client.set_cookie("lang", "en")
    response = client.post("/masuk", data={"email": "x" * 40_000})
    assert response.status_code == 413
    assert "Forms are limited to 32 KB; photos to 3 MB." in response.get_data(as_text=True)


def test_code_messages_quote_the_otp_settings(applicant, app, sms):
    app.config.update(OTP_VALID_MINUTES=3, OTP_MAX_ATTEMPTS=2)
    applicant.post("/pendaftaran/nomor-hp", data={"phone": PHONE})
    assert "Berlaku 3 menit" in sms.texts_to(PHONE_E164)[-1]
    wrong = "000000" if sms.last_code(PHONE_E164) != "000000" else "111111"
    applicant.post("/pendaftaran/nomor-hp/kode", data={"code": wrong})
    page = applicant.post("/pendaftaran/nomor-hp/kode", data={"code": wrong}).get_data(as_text=True)
    assert "The code was wrong 2 times" in error_for(page, "code")
    age_sms(app, 61)
    applicant.post("/pendaftaran/nomor-hp/kirim-ulang")
    age_sms(app, 181)
    page = applicant.post("/pendaftaran/nomor-hp/kode", data={"code": sms.last_code(PHONE_E164)}).get_data(as_text=True)
    assert "codes work for 3 minutes" in error_for(page, "code")


def test_link_lifetimes_and_the_session_warning_quote_their_settings(app, client, make_account, mailbox):
    app.config.update(EMAIL_LINK_MAX_AGE=2 * 3600, RESET_LINK_MAX_AGE=30 * 60, SESSION_WARN_SECONDS=300)
    client.set_cookie("lang", "en")
    client.post("/daftar", data={"full_name": "Ani Lestari", "email": "ani@contoh.id", "password": "sawah-hijau-pagi"})
    assert "within 2 hours" in client.get("/daftar/cek-email").get_data(as_text=True)
    assert "for 2 hours" in mailbox.to("ani@contoh.id")[0].get_body(preferencelist=("plain",)).get_content()
    make_account(email="budi@contoh.id")
    client.post("/lupa-sandi", data={"email": "budi@contoh.id"})
    assert "for 30 minutes" in client.get("/lupa-sandi/terkirim").get_data(as_text=True)
    assert "for 30 minutes" in mailbox.to("budi@contoh.id")[0].get_body(preferencelist=("plain",)).get_content()
    client.post("/masuk", data={"email": "budi@contoh.id", "password": "sawah-hijau-pagi"})
    assert "You will be logged out in 5 minutes." in client.get("/pendaftaran/").get_data(as_text=True)

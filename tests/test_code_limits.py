"""SMS code limits that fit shared connections: per number and per application first, a roomy cap per address,
and every wait explained in minutes with the reason and a way forward."""

import re

from conftest import PASSWORD
from test_photos_phone import age_sms
from wizard_support import PHONE_E164, error_for


def applicant_at(app, make_account, i, language="en"):
    """Applicant number i, logged in on one of the internet centre's PCs (all share 127.0.0.1)."""
    make_account(email=f"orang{i}@contoh.id")
    client = app.test_client()
    client.set_cookie("lang", language)
    client.post("/masuk", data={"email": f"orang{i}@contoh.id", "password": PASSWORD})
    return client


def ask_code(client, number):
    return client.post("/pendaftaran/nomor-hp", data={"phone": number})


def test_the_21st_applicant_at_an_internet_centre_gets_a_code(app, make_account, sms):
    for i in range(21):
        number = f"0812 7000 {i:04d}"
        response = ask_code(applicant_at(app, make_account, i), number)
        assert response.status_code == 303, error_for(response.get_data(as_text=True), "phone")
    assert len(sms.requests) == 21


def test_a_busy_connection_is_named_as_the_reason_with_a_way_forward(app, make_account, sms):
    app.config["SMS_PER_IP_HOUR"] = 2
    for i in range(2):
        ask_code(applicant_at(app, make_account, i), f"0812 7000 {i:04d}")
    newcomer = applicant_at(app, make_account, 9, language="id")
    page = ask_code(newcomer, "0812 7000 0009").get_data(as_text=True)
    message = error_for(page, "phone")
    assert "Banyak orang yang memakai koneksi internet ini" in message
    assert "Anda bisa meminta kode baru setelah sekitar 60 menit" in message
    assert "Dinas Ketenagakerjaan" in message and "detik" not in message
    assert len(sms.requests) == 2


def test_a_number_that_had_its_codes_is_named_as_the_reason(applicant, app, sms):
    ask_code(applicant, "0812 3456 7890")
    for _ in range(2):
        age_sms(app, 61)
        applicant.post("/pendaftaran/nomor-hp/kirim-ulang")
    age_sms(app, 20 * 60)
    page = ask_code(applicant, "0812 3456 7890").get_data(as_text=True)
    message = error_for(page, "phone")
    assert re.search(r"This number has been sent several codes recently\. You can ask for a new code in about "
                     r"3[78] minutes\. Try again then, or visit your local manpower office", message), message
    assert len(sms.texts_to(PHONE_E164)) == 3


def test_one_application_trying_many_numbers_is_capped_on_its_own(app, make_account, sms):
    app.config["SMS_PER_ACCOUNT_HOUR"] = 3
    client = applicant_at(app, make_account, 0)
    for i in range(3):
        assert ask_code(client, f"0812 7000 {i:04d}").status_code == 303
    message = error_for(ask_code(client, "0812 7000 0099").get_data(as_text=True), "phone")
    assert "You have asked for several codes recently" in message and "about 60 minutes" in message
    # Another applicant on the same connection is not held up by it.
    assert ask_code(applicant_at(app, make_account, 1), "0812 7000 0100").status_code == 303


def test_the_code_page_says_the_cooldown_in_minutes(applicant, app, sms):
    ask_code(applicant, "0812 3456 7890")
    applicant.set_cookie("lang", "id")
    page = applicant.get("/pendaftaran/nomor-hp/kode").get_data(as_text=True)
    assert "Kami baru saja mengirim kode ke nomor ini. Anda bisa meminta kode baru setelah sekitar 1 menit." in page
    assert "detik" not in page

"""Answers that complete each wizard step, for tests that need an application in a given state."""

import io
import re
from functools import cache

from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from image_support import card, jpeg, selfie
from portal.models import Account, Application

KTP = {
    "nik": "3201014512900001",
    "birth_date-day": "5",
    "birth_date-month": "12",
    "birth_date-year": "1990",
    "kk_number": "3201010101010001",
}
NAME = {"full_name": "Ani Lestari", "birth_place": "Bogor"}
ADDRESS = {
    "province": "32",
    "regency": "32.01",
    "district": "32.01.01",
    "village": "32.01.01.1001",
    "street": "Jl. Mawar No. 3",
    "rt": "003",
    "rw": "011",
    "postal_code": "16914",
}
WORK = {"education": "sma", "employment": "laid_off"}
DECLARATIONS = {"not_in_education": "y", "not_excluded": "y", "aid": ["none"], "training_field": "digital"}

STEPS = [
    ("/pendaftaran/ktp", KTP),
    ("/pendaftaran/ktp/konfirmasi", {}),
    ("/pendaftaran/data-diri/nama", NAME),
    ("/pendaftaran/data-diri/alamat-ktp", ADDRESS),
    ("/pendaftaran/data-diri/domisili", {"domicile_same": "yes"}),
    ("/pendaftaran/data-diri/pendidikan-pekerjaan", WORK),
    ("/pendaftaran/data-diri/pernyataan", DECLARATIONS),
]


PHONE = "0812 3456 7890"
PHONE_E164 = "+6281234567890"


@cache
def photo_bytes(kind):
    """A sharp, well-lit phone photo of the card, or of a person holding it."""
    return jpeg(card((1600, 1200)) if kind == "ktp" else selfie())


def upload(client, kind, data=None, url=None):
    """Post a photo as a browser's file input would."""
    photo = FileStorage(io.BytesIO(photo_bytes(kind) if data is None else data), f"{kind}.jpg", content_type="image/jpeg")
    # Encoded in memory: the test client would otherwise spool a big body to a temporary file it never closes.
    boundary, body = encode_multipart({f"{kind}-photo": photo})
    return client.post(url or f"/pendaftaran/foto/{kind}", data=body,
                       content_type=f"multipart/form-data; boundary={boundary}")


def verify_phone(client, sms, phone=PHONE, e164=PHONE_E164):
    """Enter the number, then the code the SMS gateway received."""
    response = client.post("/pendaftaran/nomor-hp", data={"phone": phone})
    assert response.status_code == 303, response.get_data(as_text=True)[-2000:]
    return client.post("/pendaftaran/nomor-hp/kode", data={"code": sms.last_code(e164)})


def complete_sections(client, sms, **overrides):
    """Answer every step (overrides replace a step's answers by URL), upload both photos, verify the phone."""
    for url, data in STEPS:
        response = client.post(url, data=overrides.get(url, data))
        assert response.status_code == 303, (url, response.get_data(as_text=True)[-2000:])
    for kind in ("ktp", "selfie"):
        response = upload(client, kind)
        assert response.status_code == 303, (kind, response.get_data(as_text=True)[-2000:])
    response = verify_phone(client, sms)
    assert response.status_code == 303, response.get_data(as_text=True)[-2000:]
    return response


def application_of(app, email="ani@contoh.id"):
    """The application of an account, read fresh from the database."""
    with app.app_context():
        return Application.get_or_none(Application.account == Account.by_email(email))


def error_for(page, field):
    """The inline error message shown next to a field, or None."""
    match = re.search(rf'<p class="error-message" id="{field}-error">(.*?)</p>', page, re.S)
    return match.group(1) if match else None

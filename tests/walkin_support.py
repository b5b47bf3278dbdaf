"""Walk-in records for tests.

Through the desk's service, as an officer keys them:
    from walkin_support import make_walkin, walkin_data, form_post
    data = form_post(serial=2)                              # the desk entry page's fields, as a browser posts them
    record = make_walkin(app, officer)                      # status entered, in the office's open batch
    record = make_walkin(app, officer, serial=2, full_name="Budi")   # another NIK, another name

Inserted directly (Application + Address rows) in whatever state a test needs, as the desk and the ministry
would have left them:
    record = walkin(app, "ratified")
"""

import itertools
from datetime import date

from portal.models import Address, Application, Office, utcnow

# A woman born 5 June 1995 in Cibinong, Kabupaten Bogor (32.01.01): day 05 + 40 = 45 in the NIK.
BIRTH_DATE = date(1995, 6, 5)
VILLAGE = "32.01.01.1006"  # Cibinong


def nik(serial=1):
    """A valid NIK for BIRTH_DATE (female) with this serial (1 to 9999)."""
    return f"320101450695{serial:04d}"


def walkin_data(serial=1, **changes):
    """The answers of one complete, valid paper form; `serial` makes the NIK (and phone) differ."""
    data = {
        "nik": nik(serial),
        "birth_date": BIRTH_DATE,
        "kk_number": "3201010101230001",
        "full_name": "Siti Aminah",
        "birth_place": "Bogor",
        "contact_email": "",
        "phone": f"+62812345{serial:05d}",
        "ktp_address": {"region_code": VILLAGE, "street": "Jl. Raya Cibinong No. 5", "rt": "001", "rw": "002",
                        "postal_code": "16911"},
        "domicile_same": True,
        "domicile_address": None,
        "education": "sma",
        "employment": "job_seeker",
        "not_in_education": True,
        "not_excluded": True,
        "aid": ["none"],
        "training_field": "digital",
        "ktp_seen": True,
        "statement_signed": True,
    }
    data.update(changes)
    return data


def form_post(serial=1, **changes):
    """The entry page's fields as a browser posts them, for a complete valid paper form."""
    data = {
        "nik": nik(serial), "birth_date-day": "5", "birth_date-month": "6", "birth_date-year": "1995",
        "kk_number": "3201010101230001", "full_name": "Siti Aminah", "birth_place": "Bogor", "contact_email": "",
        "phone": f"0812345{serial:05d}",
        "ktp_address-province": "32", "ktp_address-regency": "32.01", "ktp_address-district": "32.01.01",
        "ktp_address-village": VILLAGE, "ktp_address-postal_code": "16911", "ktp_address-street": "Jl. Raya Cibinong No. 5",
        "ktp_address-rt": "001", "ktp_address-rw": "002", "domicile_same": "yes", "education": "sma",
        "employment": "job_seeker", "not_in_education": "y", "not_excluded": "y", "aid": "none",
        "training_field": "digital", "ktp_seen": "y", "statement_signed": "y",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def make_walkin(app, officer, serial=1, ip="127.0.0.1", **changes):
    """A saved walk-in keyed by `officer` (an Account of an office), through the intake service."""
    from portal.models import Account
    from portal.services.intake import create_walkin

    with app.app_context():
        actor = Account.get_by_id(officer.id)
        return create_walkin(walkin_data(serial, **changes), actor, ip=ip)


SERIALS = itertools.count(1)
BORN = date(1990, 12, 5)  # a woman: the NIK's day is 45


def nik_for(serial, born=BORN):
    return f"327105{born.day + 40:02d}{born.month:02d}{born.year % 100:02d}{serial:04d}"


def office(code="DISNAKER-3201"):
    return Office.get_or_none(Office.code == code) or Office.create(
        code=code, name=f"Disnaker {code}", kind="regency", region_code="32.01")


def walkin(app, state="entered", reason=None, phone="auto", email=None, account=None, born=BORN, batch=None,
           reference=None, **columns):
    """One walk-in record of the test office in `state`, with a reference, NIK, birth date, KK, a number on
    record ("auto": a fresh one; None: no number) and an optional contact email. Returns the Application."""
    serial = next(SERIALS)
    with app.app_context():
        where = office()
        values = dict(
            channel="walkin", status=state, status_reason=reason, status_changed_at=utcnow(),
            reference=reference or f"PK-7G4M-{serial:04d}",
            nik=nik_for(serial, born), birth_date=born, kk_number=f"320101010101{serial:04d}", sex="P",
            full_name=f"Siti Walk-in {serial}", birth_place="Bogor", domicile_same=True, education="sma",
            employment="job_seeker", not_in_education=True, not_excluded=True, aid="none", training_field="digital",
            phone=f"+62813{serial:08d}" if phone == "auto" else phone, contact_email=email, office=where,
            account=account, batch=batch, ktp_seen=True, statement_signed=True, submitted_at=utcnow(),
        )
        record = Application.create(**{**values, **columns})  # `columns` may replace any answer
        Address.create(application=record, kind="ktp", region_code="32.01.01.2001", street="Jl. Melati 5",
                       rt="001", rw="002")
        return record


def online_holder(make_account, serial=5):
    """An online draft (of "Dewi Online") holding nik(serial): a NIK a desk may dispute."""
    from portal.models import Account
    from portal.services.applications import draft_for

    make_account(email="online@contoh.id", name="Dewi Online")
    online = draft_for(Account.by_email("online@contoh.id"))
    online.nik = nik(serial)
    online.save()
    return online

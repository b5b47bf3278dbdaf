"""Walk-in records in whatever state a claim, status or PMO test needs, inserted directly (Application + Address
rows), as the desk and the ministry would have left them."""

import itertools
from datetime import date

from portal.models import Address, Application, Office, utcnow

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
        record = Application.create(**{**values, **columns})
        Address.create(application=record, kind="ktp", region_code="32.01.01.2001", street="Jl. Melati 5",
                       rt="001", rw="002")
        return record

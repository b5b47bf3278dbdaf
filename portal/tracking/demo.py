"""Demo data for the status check, the claim and the PMO's screens (part of `flask seed-demo`)."""

from datetime import date

import click

from portal.models import Account, Address, Application, Batch, NikDispute, db, utcnow

BORN = date(1990, 12, 5)  # every demo walk-in here is a woman born on 5 December 1990: NIK day 45
# (reference, name, status, reason, mobile number, email, a warning for the PMO)
DEMO_RECORDS = [
    ("PK-DEM0-0001", "Nining Rahayu", "returned", "incomplete", "+6281300008001", None, None),
    ("PK-DEM0-0002", "Euis Komariah", "ratified", None, "+6281300008002", None, None),
    ("PK-DEM0-0003", "Tati Sumiati", "ratified", None, "+6281300008003", None, None),
    ("PK-DEM0-0004", "Popon Suhartini", "ratified", None, "+6281300008004", None, "not_in_education"),
    ("PK-DEM0-0005", "Ratna Sari", "confirmed", None, "+6281300008005", None, None),
    ("PK-DEM0-0006", "Wati Suryani", "ratified", None, None, "wati@contoh.id", None),
]


def seed_demo_tracking(office):
    """A ratified demo batch for the PMO, records for the status check and the claim, and a NIK dispute over
    Dewi's draft; once only."""
    if Application.select().where(Application.reference == DEMO_RECORDS[0][0]).exists():
        return
    officer = Account.by_email("petugas@contoh.id")
    with db.atomic():
        number = (Batch.select(Batch.number).where(Batch.office == office).order_by(Batch.number.desc())
                  .scalar() or 0) + 1
        from portal.services.batches import document_number

        # A handover number as a real close gives one: the statement and BAST pages print it.
        batch = Batch.create(office=office, number=number, status="ratified", closed_at=utcnow(),
                             document_number=document_number(Batch(office=office), utcnow()),
                             closed_by=Account.by_email("penyelia@contoh.id"), record_count=len(DEMO_RECORDS))
        for n, (reference, name, state, reason, phone, email, warning) in enumerate(DEMO_RECORDS, start=1):
            record = Application.create(
                channel="walkin", status=state, status_reason=reason, status_changed_at=utcnow(), office=office,
                entered_by=officer, batch=batch, reference=reference, nik=f"320101451290{8000 + n:04d}",
                birth_date=BORN, kk_number=f"32010119900{n:05d}", sex="P", ktp_confirmed=True, full_name=name,
                birth_place="Bogor", domicile_same=True, education="sma", employment="laid_off",
                not_in_education=warning != "not_in_education", not_excluded=True, aid="none",
                training_field="digital", phone=phone, contact_email=email, ktp_seen=True, statement_signed=True,
                submitted_at=utcnow())
            Address.create(application=record, kind="ktp", region_code="32.01.01.1006", street=f"Jl. Mawar {n}",
                           rt="001", rw="002", postal_code="16911")
        dewi = Application.get_or_none(Application.nik == "3201014512900001")
        if dewi is not None and officer is not None:
            NikDispute.create(nik=dewi.nik, claimant_name="Dewi Kartika", contact_phone="+6281300008099",
                              office=office, recorded_by=officer, note="e-KTP asli dilihat di loket")


def echo_demo_tracking():
    click.echo("Status check at /status and claim at /klaim (born 5 12 1990 for all):")
    for n, (reference, name, state, *_rest) in enumerate(DEMO_RECORDS, start=1):
        click.echo(f"  {reference}  NIK 320101451290{8000 + n:04d}  {name:<16} {state}")
    click.echo("  PK-DEM0-0005 claims with an SMS code (printed here); PK-DEM0-0006 with an emailed link.")
    click.echo("The PMO (pmo@contoh.id) confirms the ratified ones at /pmo and decides a NIK dispute over Dewi's draft.")

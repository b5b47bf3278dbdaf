"""Closed walk-in batches made in bulk: demo data for `flask seed-demo`, tests and the 10,000-record benchmark.

Records are complete walk-ins with realistic values (NIKs that match their birth dates, real Kemendagri
village codes), written set-based, then the batch is closed with its manifest as an office would.
"""

from datetime import date, timedelta

from portal.models import Address, Application, Batch, db, utcnow
from portal.services.batches import compute_manifest, open_batch

VILLAGES = ["32.01.01.1006", "32.01.01.1011", "33.74.11.1001", "35.78.28.1001", "11.01.01.2001"]
NAMES = ["Siti Aminah", "Budi Santoso", "Dewi Lestari", "Agus Salim", "Rina Wati", "Joko Susilo", "Nur Hayati",
         "Eko Prasetyo", "Ani Suryani", "Hendra Gunawan"]


def demo_reference(n):
    return f"PK-{n // 10000:04d}-{n % 10000:04d}"


def walkin_values(n, office, officer, batch):
    """The columns of the n-th demo walk-in (n unique across every batch made this way)."""
    born = date(1975, 1, 1) + timedelta(days=(n * 37) % 9000 + n // 9999)
    sex = "P" if n % 2 else "L"
    day = born.day + (40 if sex == "P" else 0)
    serial = 1 + n % 9999
    nik = f"320101{day:02d}{born.month:02d}{born.year % 100:02d}{serial:04d}"
    return {
        "channel": "walkin", "status": "entered", "reference": demo_reference(n),
        "nik": nik, "birth_date": born, "kk_number": f"320101{n + 1:010d}", "sex": sex, "ktp_confirmed": True,
        "full_name": f"{NAMES[n % len(NAMES)]} {n}", "birth_place": "Bogor", "domicile_same": True,
        "education": "sma", "employment": "job_seeker", "not_in_education": True, "not_excluded": True,
        "aid": "none", "training_field": "digital", "phone": f"+6281{n:09d}", "office": office.id,
        "entered_by": officer.id, "batch": batch.id, "ktp_seen": True, "statement_signed": True,
        "created_at": utcnow(), "updated_at": utcnow(),
    }


def add_walkins(batch, officer, count, first, village=None):
    """Insert `count` complete walk-ins numbered from `first` into an open batch; returns their ids."""
    rows = [walkin_values(n, batch.office, officer, batch) for n in range(first, first + count)]
    ids = []
    with db.atomic():
        for start in range(0, len(rows), 1000):
            ids.extend(row[0] if isinstance(row, tuple) else row for row in
                       Application.insert_many(rows[start:start + 1000]).returning(Application.id).tuples().execute())
        addresses = [{"application": i, "kind": "ktp", "region_code": village or VILLAGES[k % len(VILLAGES)],
                      "street": f"Jl. Melati No. {k + 1}", "rt": "001", "rw": "002", "postal_code": ""}
                     for k, i in enumerate(ids)]
        for start in range(0, len(addresses), 1000):
            Address.insert_many(addresses[start:start + 1000]).execute()
    return ids


def close_batch(batch, supervisor):
    """Close an open batch as its office would: records closed, count and manifest fixed."""
    with db.atomic():
        Application.update(status="closed").where(Application.batch == batch, Application.status == "entered").execute()
        count, sha = compute_manifest(batch)
        Batch.update(status="closed", open_slot=None, closed_at=utcnow(), closed_by=supervisor, record_count=count,
                     manifest_sha256=sha, document_number=f"BAST/{batch.office.code}/{batch.number}"
                     ).where(Batch.id == batch.id).execute()
    return Batch.get_by_id(batch.id)


def closed_batch(office, officer, supervisor, count, first=0, village=None):
    """A closed batch of `count` complete walk-ins of an office."""
    batch = open_batch(office)
    add_walkins(batch, officer, count, first, village)
    return close_batch(batch, supervisor)


# The demo batch's records are numbered from here, clear of the ones tests and benchmarks make.
DEMO_FIRST = 900_000


def seed_demo_ministry(office_code, officer_email, supervisor_email):
    """A closed batch of 12 walk-ins ready for review (one with a warning) and a quota for West Java, once."""
    from portal.models import Account, Office, Quota
    from portal.rules.eligibility import today

    office = Office.get(Office.code == office_code)
    if not Application.select().where(Application.reference == demo_reference(DEMO_FIRST)).exists():
        officer, supervisor = Account.by_email(officer_email), Account.by_email(supervisor_email)
        batch = open_batch(office)
        ids = add_walkins(batch, officer, 10, DEMO_FIRST, village="32.01.01.1006")
        add_walkins(batch, officer, 2, DEMO_FIRST + 10, village="33.74.11.1001")
        # One answer the reviewer should notice: a declaration answered "no".
        Application.update(not_in_education=False).where(Application.id == ids[3]).execute()
        close_batch(batch, supervisor)
    year = today().year
    if not Quota.select().where(Quota.province_code == "32", Quota.starts_on == date(year, 1, 1)).exists():
        Quota.create(province_code="32", starts_on=date(year, 1, 1), ends_on=date(year, 12, 31), amount=8)

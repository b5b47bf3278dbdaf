"""Closed walk-in batches made in bulk for tests and the 10,000-record benchmark, and the demo quota.

Records are complete walk-ins with realistic values (NIKs that match their birth dates, real Kemendagri
village codes), written set-based, then the batch is closed by its supervisor as an office does.
"""

from datetime import date, timedelta

from portal.models import Address, Application, db, utcnow
from portal.services import batches
from portal.services.batches import open_batch

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
    """Close an open batch as its office does (portal.services.batches.close: four-eyes rule, manifest)."""
    return batches.close(batch, supervisor)


def closed_batch(office, officer, supervisor, count, first=0, village=None):
    """A closed batch of `count` complete walk-ins of an office."""
    batch = open_batch(office)
    add_walkins(batch, officer, count, first, village)
    return close_batch(batch, supervisor)


def seed_demo_quota(province_code, amount):
    """A quota for a province for this year, once; returns the amount in force."""
    from portal.models import Quota
    from portal.rules.eligibility import today

    year = today().year
    quota = Quota.get_or_none(Quota.province_code == province_code, Quota.starts_on == date(year, 1, 1))
    if quota is None:
        quota = Quota.create(province_code=province_code, starts_on=date(year, 1, 1), ends_on=date(year, 12, 31),
                             amount=amount)
    return quota.amount

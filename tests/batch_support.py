"""Walk-in records in an office's open batch, as the desk would key them: valid NIKs (birth date, and day + 40
for women), real Kemendagri village codes of Kabupaten Bogor, every section answered and both ticks given.

Until the desk's own service (portal.services.intake) is on main, tests insert the rows directly here.
"""

import datetime
import itertools

from portal.models import Address, Application, utcnow
from portal.rules.reference import new_reference
from portal.services.batches import open_batch

# (village code, its postal code): Cibinong district, Kabupaten Bogor.
VILLAGES = [("32.01.01.1006", "16911"), ("32.01.01.1011", "16917"), ("32.01.01.1010", "16918")]
EDUCATION = ["sma", "smp", "s1", "diploma"]
EMPLOYMENT = ["job_seeker", "laid_off", "informal"]
NAMES = ["Siti Aminah", "Agus Salim", "Dewi Lestari", "Bambang Pamungkas", "Rina Marlina", "Joko Susilo"]
SERIALS = itertools.count(1)


def walkin(officer, complete=True, **changes):
    """One walk-in keyed by `officer` into their office's open batch (call inside an app context)."""
    n = next(SERIALS)
    woman = n % 2 == 1
    born = datetime.date(1990 + n % 10, 1 + n % 12, 1 + n % 28)
    day = born.day + (40 if woman else 0)
    nik = f"320101{day:02d}{born.month:02d}{born.year % 100:02d}{n:04d}"
    village, postal = VILLAGES[n % len(VILLAGES)]
    values = dict(
        channel="walkin", status="entered", office=officer.office, entered_by=officer,
        batch=open_batch(officer.office), reference=new_reference(), nik=nik, birth_date=born,
        kk_number=f"3201010101{n:06d}", sex="P" if woman else "L", ktp_confirmed=True,
        full_name=NAMES[n % len(NAMES)], birth_place="Bogor", domicile_same=True,
        education=EDUCATION[n % len(EDUCATION)], employment=EMPLOYMENT[n % len(EMPLOYMENT)],
        not_in_education=True, not_excluded=True, aid="none", training_field="digital",
        phone=f"+62812{n:08d}", ktp_seen=True, statement_signed=True, submitted_at=utcnow(),
    )
    if not complete:
        values["statement_signed"] = False
    values.update(changes)
    record = Application.create(**values)
    Address.create(application=record, kind="ktp", region_code=village, street=f"Jl. Raya Cibinong No. {n}",
                   rt="001", rw="002", postal_code=postal)
    return record


def walkins(app, officer, count, **kwargs):
    with app.app_context():
        return [walkin(officer, **kwargs) for _ in range(count)]


def close_batch_with_walkins(officer, supervisor, count=2):
    """The officer's office's open batch with `count` walk-ins, closed by the supervisor."""
    from portal.services import batches

    records = [walkin(officer) for _ in range(count)]
    return batches.close(records[0].batch, supervisor)

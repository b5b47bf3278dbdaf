"""Walk-in records in an office's open batch, keyed through the desk's service (portal.services.intake) as
an officer would: valid NIKs (birth date, and day + 40 for women), real Kemendagri village codes of
Kabupaten Bogor, every answer given; `complete=False` leaves the applicant's statement unsigned."""

import datetime
import itertools

from portal.models import Account
from portal.services.intake import create_walkin

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
    village, postal = VILLAGES[n % len(VILLAGES)]
    data = {
        "nik": f"320101{day:02d}{born.month:02d}{born.year % 100:02d}{n % 10000:04d}", "birth_date": born,
        "kk_number": f"3201010101{n:06d}", "full_name": NAMES[n % len(NAMES)], "birth_place": "Bogor",
        "contact_email": "", "phone": f"+62812{n:08d}",
        "ktp_address": {"region_code": village, "street": f"Jl. Raya Cibinong No. {n}", "rt": "001", "rw": "002",
                        "postal_code": postal},
        "domicile_same": True, "domicile_address": None, "education": EDUCATION[n % len(EDUCATION)],
        "employment": EMPLOYMENT[n % len(EMPLOYMENT)], "not_in_education": True, "not_excluded": True,
        "aid": ["none"], "training_field": "digital", "ktp_seen": True, "statement_signed": complete,
        **changes,
    }
    return create_walkin(data, Account.get_by_id(officer.id), ip="127.0.0.1")


def walkins(app, officer, count, **kwargs):
    with app.app_context():
        return [walkin(officer, **kwargs) for _ in range(count)]


def close_batch_with_walkins(officer, supervisor, count=2):
    """The officer's office's open batch with `count` walk-ins, closed by the supervisor."""
    from portal.services import batches

    records = [walkin(officer) for _ in range(count)]
    return batches.close(records[0].batch, supervisor)

"""Walk-in records for tests: a valid paper form as portal.services.intake expects it, and a saved record.

    from walkin_support import make_walkin, walkin_data
    record = make_walkin(app, officer)                      # status entered, in the office's open batch
    record = make_walkin(app, officer, serial=2, full_name="Budi")   # another NIK, another name
"""

from datetime import date

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


def make_walkin(app, officer, serial=1, ip="127.0.0.1", **changes):
    """A saved walk-in keyed by `officer` (an Account of an office), through the intake service."""
    from portal.models import Account
    from portal.services.intake import create_walkin

    with app.app_context():
        actor = Account.get_by_id(officer.id)
        return create_walkin(walkin_data(serial, **changes), actor, ip=ip)

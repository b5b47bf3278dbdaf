"""A batch's manifest: the record count and a SHA-256 over the canonical export of its records.

The office prints it on every document when it closes a batch; the ministry recomputes it before review, so
either side can prove that the data received is the data the office signed (DESIGN.md 2.2).

Canonical export (documented so that anyone can recompute it from a CSV export):
- one line per record, ordered by reference;
- the fields of EXPORT_FIELDS in that order, each as text (dates as YYYY-MM-DD, booleans as 1/0, empty for
  none), with the addresses as "region_code|street|rt|rw|postal_code";
- fields joined by a tab, lines ended by a line feed, UTF-8; tabs and line breaks inside values become a
  space (the text filters already refuse them, this only keeps the format unambiguous).
"""

import hashlib

# The fields a batch export carries, in order; CSV and XLSX exports use the same columns.
EXPORT_FIELDS = [
    "reference", "nik", "kk_number", "full_name", "birth_place", "birth_date", "sex", "contact_email", "phone",
    "verified_phone", "address_ktp", "address_domicile", "domicile_same", "education", "employment",
    "not_in_education", "not_excluded", "aid", "training_field", "ktp_seen", "statement_signed",
]


def address_text(address):
    """An address as one canonical field; empty when there is none."""
    if address is None or not address.region_code:
        return ""
    return "|".join([address.region_code, address.street, address.rt, address.rw, address.postal_code])


def _text(value):
    if value is None:
        return ""
    if value is True or value is False:
        return "1" if value else "0"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return " ".join(str(value).replace("\t", " ").splitlines())


def export_row(application, addresses):
    """The canonical values of one record; `addresses` maps "ktp"/"domicile" to its Address rows (or none)."""
    values = {field: getattr(application, field, None) for field in EXPORT_FIELDS}
    values["address_ktp"] = address_text(addresses.get("ktp"))
    values["address_domicile"] = address_text(addresses.get("domicile"))
    return [_text(values[field]) for field in EXPORT_FIELDS]


def digest(rows):
    """SHA-256 (hex) over the canonical lines of rows, which must already be ordered by reference."""
    sha = hashlib.sha256()
    for row in rows:
        sha.update(("\t".join(row) + "\n").encode("utf-8"))
    return sha.hexdigest()

"""An office's batches of walk-ins: the one open batch new records join, and a batch's manifest."""

from peewee import IntegrityError, fn

from portal.models import Address, Application, Batch, db
from portal.rules.manifest import digest, export_row
from portal.rules.status import WITHDRAWN


def open_batch(office):
    """The office's open batch, opened on first use; two racing requests still open one (unique open_slot)."""
    found = Batch.get_or_none(Batch.open_slot == office.id)
    if found:
        return found
    for _attempt in range(5):
        number = (Batch.select(fn.MAX(Batch.number)).where(Batch.office == office).scalar() or 0) + 1
        try:
            with db.atomic():
                return Batch.create(office=office, number=number, open_slot=office.id)
        except IntegrityError:
            found = Batch.get_or_none(Batch.open_slot == office.id)
            if found:
                return found  # another request opened it first
    raise RuntimeError("could not open a batch")


def batch_rows(batch):
    """The canonical export rows of a batch's records (withdrawn ones excluded), ordered by reference."""
    records = list(
        Application.select()
        .where((Application.batch == batch) & (Application.status != WITHDRAWN))
        .order_by(Application.reference)
    )
    addresses = {}
    for address in Address.select().where(Address.application.in_([r.id for r in records])):
        addresses.setdefault(address.application_id, {})[address.kind] = address
    return [export_row(record, addresses.get(record.id, {})) for record in records]


def compute_manifest(batch):
    """(record count, SHA-256) of a batch as it is in the database now (portal.rules.manifest)."""
    rows = batch_rows(batch)
    return len(rows), digest(rows)


def manifest_matches(batch):
    """Whether a closed batch's records are still exactly those its office signed."""
    return (batch.record_count, batch.manifest_sha256) == compute_manifest(batch)

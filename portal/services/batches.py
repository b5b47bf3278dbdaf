"""An office's batches of walk-ins: the one open batch new records join (closing and documents come next)."""

from peewee import IntegrityError, fn

from portal.models import Batch, db


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

"""An office's batches of walk-ins: the one open batch new records join, its check, its closing by a second
person (four-eyes rule) and its manifest."""

from datetime import datetime

from peewee import IntegrityError, PostgresqlDatabase, SqliteDatabase, fn

from portal.domain import DomainError
from portal.i18n import lazy_gettext as _l
from portal.models import Address, Application, Batch, db, utcnow
from portal.roles import SUPERVISOR
from portal.rules.completeness import walkin_missing
from portal.rules.manifest import digest, export_row
from portal.rules.status import CLOSED, ENTERED, WITHDRAWN
from portal.services import audit
from portal.services.status import transition_many


def _open_of(office):
    """The office's open batch, or None; on PostgreSQL held (FOR SHARE) to the end of the caller's
    transaction, so a supervisor closing it waits until a record being added to it is committed."""
    query = Batch.select().where(Batch.open_slot == office.id)
    if isinstance(db.obj, PostgresqlDatabase):
        query = query.for_update("FOR SHARE")
    return query.first()


def open_batch(office):
    """The office's open batch, opened on first use; two racing requests still open one (unique open_slot).

    Call it inside the transaction that adds a record to the batch (with `write_transaction()` on SQLite), so
    the batch cannot be closed between this choice and the insert: a closing supervisor waits for the record
    and closes it too, and no entered record is ever left behind in a closed batch."""
    found = _open_of(office)
    if found:
        return found
    for _attempt in range(5):
        number = (Batch.select(fn.MAX(Batch.number)).where(Batch.office == office).scalar() or 0) + 1
        try:
            with db.atomic():
                return Batch.create(office=office, number=number, open_slot=office.id)
        except IntegrityError:
            found = _open_of(office)
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


OPEN = "open"
CLOSED_BATCH = "closed"
# What the office reads about a batch's state; the ministry's screens add the states that follow closing.
STATUS_LABELS = {
    OPEN: _l("Open: new walk-ins join it"),
    CLOSED_BATCH: _l("Closed: waiting for the ministry"),
    "ratified": _l("Ratified"),  # set by services/ratification.py when the ministry ratifies the batch
}
NOT_SUPERVISOR = _l("Only a supervisor can close a batch. Ask a supervisor of your office who entered none of "
                    "its records to close it.")
OTHER_OFFICE = _l("This batch belongs to another office.")
NOT_OPEN = _l("This batch is already closed.")
EMPTY = _l("This batch has no records yet, so there is nothing to close.")


def status_label(status):
    return STATUS_LABELS.get(status, status)


def records(batch, include_withdrawn=True):
    """A batch's records ordered by reference, each with its addresses loaded (one query for all)."""
    query = Application.select().where(Application.batch == batch).order_by(Application.reference, Application.id)
    if not include_withdrawn:
        query = query.where(Application.status != WITHDRAWN)
    found = list(query)
    by_record = {}
    for address in Address.select().where(Address.application.in_([r.id for r in found])):
        by_record.setdefault(address.application_id, {})[address.kind] = address
    for record in found:
        record._addresses = by_record.get(record.id, {})
    return found


def checked(batch):
    """(record, what it lacks) for each record of a batch that is not withdrawn; lacks nothing when complete."""
    return [(record, walkin_missing(record)) for record in records(batch, include_withdrawn=False)]


def counts(rows, batch):
    """How many records a batch holds: complete, incomplete, and withdrawn besides."""
    withdrawn = Application.select().where(Application.batch == batch, Application.status == WITHDRAWN).count()
    incomplete = sum(1 for _record, missing in rows if missing)
    return {"total": len(rows), "complete": len(rows) - incomplete, "incomplete": incomplete,
            "withdrawn": withdrawn}


def entered_by(batch, account):
    """How many of the batch's records `account` entered (withdrawn ones aside: they are not sent)."""
    return (Application.select()
            .where(Application.batch == batch, Application.entered_by == account, Application.status != WITHDRAWN)
            .count())


def close_refusal(batch, account):
    """Why `account` may not close this batch (four-eyes rule), or None when they may."""
    if account.role != SUPERVISOR:
        return NOT_SUPERVISOR
    if account.office_id != batch.office_id:
        return OTHER_OFFICE
    if batch.status != OPEN:
        return NOT_OPEN
    mine = entered_by(batch, account)
    if mine:
        return _l("You entered %(count)d of this batch's records, so someone else must check and close it: a "
                  "supervisor of your office who entered none of them (four-eyes rule).", count=mine)
    return None


def blockers(rows):
    """The records (with what they lack) that keep a batch from closing."""
    return [(record, missing) for record, missing in rows if missing]


def document_number(batch, when):
    """The number on the batch's handover record: "BAST/3201/2026/0001", counted per office and year."""
    office = batch.office
    area = office.region_code.replace(".", "") or office.code
    closed_this_year = (Batch.select()
                        .where(Batch.office == office, Batch.document_number.is_null(False),
                               Batch.closed_at >= datetime(when.year, 1, 1))
                        .count())
    return f"BAST/{area}/{when.year}/{closed_this_year + 1:04d}"


def write_transaction():
    """A transaction for writes that depend on a batch's state: on SQLite it takes the write lock at once,
    so two writers queue (busy timeout) rather than fail on a stale read."""
    if isinstance(db.obj, SqliteDatabase) and not db.in_transaction():
        return db.atomic(lock_type="IMMEDIATE")
    return db.atomic()


def _held(batch_id):
    """The batch, re-read inside the transaction; on PostgreSQL its row stays locked until the commit, so a
    second supervisor (or a double submit) waits and then finds it closed."""
    query = Batch.select().where(Batch.id == batch_id)
    if isinstance(db.obj, PostgresqlDatabase):
        query = query.for_update()
    return query.get()


def close(batch, actor, ip=None):
    """Close an office's open batch for a supervisor who entered none of it: its records move from entered
    to closed, and the batch gets its manifest and document number, all in one transaction (DESIGN.md 2.2
    step 5). DomainError, and nothing written, when the four-eyes rule or an incomplete record forbids it."""
    with write_transaction():
        batch = _held(batch.id)
        refusal = close_refusal(batch, actor)
        if refusal is not None:
            raise DomainError(refusal)
        rows = checked(batch)
        if not rows:
            raise DomainError(EMPTY)
        blocking = blockers(rows)
        if blocking:
            raise DomainError(_l("%(count)d records are not complete yet. Complete or withdraw them, then close "
                                 "the batch.", count=len(blocking)))
        transition_many(Application.select().where(Application.batch == batch), actor, ENTERED, CLOSED, ip=ip)
        record_count, sha256 = compute_manifest(batch)
        now = utcnow()
        values = {"status": CLOSED_BATCH, "open_slot": None, "closed_at": now, "closed_by": actor.id,
                  "record_count": record_count, "manifest_sha256": sha256,
                  "document_number": document_number(batch, now)}
        if not Batch.update(**values).where(Batch.id == batch.id, Batch.status == OPEN).execute():
            raise DomainError(NOT_OPEN)
        audit.record(actor, "batch.closed", batch, fields=list(values), ip=ip)
    return Batch.get_by_id(batch.id)

"""The ministry's review of closed walk-in batches: manifest check, rule warnings, accept and return.

Decisions go through portal.services.status, so each is a conditional write with its audit entry.
"""

import hashlib

from peewee import fn

from portal.domain import DomainError
from portal.i18n import lazy_gettext as _l
from portal.models import Address, Application, Batch, NikDispute, ReceivedRecord, db
from portal.rules import status
from portal.rules.manifest import digest, export_row
from portal.rules.review import record_warnings
from portal.services import audit
from portal.services import status as moves

TAMPERED = _l("The records of this batch are no longer what its office signed: its manifest does not match. "
              "Nothing in it can be decided. Tell the office and the system administrator.")
REVIEWABLE = ("closed", "ratified")  # batch states the ministry works on
# Records whose content must stay as received; returned ones go back to be corrected.
UNDER_DECISION = (status.CLOSED, status.ACCEPTED, status.RATIFIED, status.CONFIRMED, status.REJECTED)


def reviewable_batch(batch_id):
    """A batch the ministry may open, or None."""
    return Batch.get_or_none((Batch.id == batch_id) & Batch.status.in_(REVIEWABLE))


def canonical_rows(records, query=None):
    """{record id: its canonical export row} (portal.rules.manifest), addresses loaded in bulk."""
    with_addresses(records, query)
    return {r.id: export_row(r, r._addresses) for r in records}


def row_digest(row):
    return hashlib.sha256(("\t".join(row) + "\n").encode("utf-8")).hexdigest()


def verify_manifest(batch, actor, ip=None):
    """Whether the batch's records are still those its office signed; a mismatch is audited.

    The first check recomputes the whole manifest and, when it matches, keeps each record's row digest
    (ReceivedRecord). Later checks compare the records still under decision with those digests: returned
    records go back to their office to be corrected, so the batch as a whole may rightly change.
    """
    return _verify(batch, actor, ip) is not None


def _verify(batch, actor, ip):
    """verify_manifest(), giving the canonical rows of the records checked ({id: row}), or None on a mismatch."""
    received = dict(ReceivedRecord.select(ReceivedRecord.application, ReceivedRecord.row_sha256)
                    .where(ReceivedRecord.batch == batch).tuples())
    if not received:
        rows = _first_receipt(batch)
    else:
        # Records that went back to their office and left the batch are not this batch's any more.
        query = Application.select().where(Application.batch == batch, Application.status.in_(UNDER_DECISION))
        under_decision = list(query)
        rows = canonical_rows(under_decision, query)
        if not all(received.get(r.id) == row_digest(rows[r.id]) for r in under_decision):
            rows = None
    if rows is None:
        audit.record(actor, "batch.manifest_mismatch", batch, ip=ip)
    return rows


def received(batch):
    """Whether the ministry has received the batch: its manifest matched once and its rows were kept."""
    return ReceivedRecord.select().where(ReceivedRecord.batch == batch).exists()


def record_intact(record, batch, actor, ip=None):
    """Whether one record is still as received (a cheap check before each decision); a mismatch is audited."""
    if record.status not in UNDER_DECISION:
        return True
    digest_now = row_digest(canonical_rows([record])[record.id])
    kept = (ReceivedRecord.select(ReceivedRecord.row_sha256)
            .where(ReceivedRecord.batch == batch, ReceivedRecord.application == record.id).scalar())
    if kept == digest_now:
        return True
    audit.record(actor, "batch.manifest_mismatch", batch, ip=ip)
    return False


def _first_receipt(batch):
    """Check the whole manifest as signed; when it matches, keep each record's row digest."""
    query = Application.select().where(Application.batch == batch, Application.status != status.WITHDRAWN)
    records = list(query.order_by(Application.reference))
    rows = canonical_rows(records, query)
    ordered = [rows[r.id] for r in records]
    if (batch.record_count, batch.manifest_sha256) != (len(ordered), digest(ordered)):
        return None
    digests = [{"batch": batch.id, "application": r.id, "row_sha256": row_digest(rows[r.id])} for r in records]
    with db.atomic():
        for start in range(0, len(digests), 1000):
            ReceivedRecord.insert_many(digests[start:start + 1000]).on_conflict_ignore().execute()
    return rows


def require_manifest(batch, actor, ip=None):
    """The canonical rows of the batch's records as checked ({id: row}); DomainError when tampered."""
    rows = _verify(batch, actor, ip)
    if rows is None:
        raise DomainError(TAMPERED)
    return rows


def status_counts(batch_ids):
    """{batch id: {status: count}} for these batches."""
    counts = {}
    rows = (Application.select(Application.batch, Application.status, fn.COUNT(Application.id).alias("n"))
            .where(Application.batch.in_(batch_ids)).group_by(Application.batch, Application.status).tuples())
    for batch_id, state, n in rows:
        counts.setdefault(batch_id, {})[state] = n
    return counts


def _subset(column, records, query):
    """A condition "column is one of these records' values": a subquery when the records come from `query`
    (building SQL with ten thousand parameters costs more than running it), else the values themselves."""
    if query is not None:
        return column.in_(query.select(column))
    return column.in_(sorted({getattr(r, column.name) for r in records} - {None, ""}))


def _shared(column, records, query):
    """{value: how many applications hold it} for the values these records hold, counted over all applications."""
    return dict(Application.select(column, fn.COUNT(Application.id))
                .where(_subset(column, records, query)).group_by(column).tuples())


def with_addresses(records, query=None):
    """Load the addresses of many records at once (record.address() then reads them); `query` is the
    query the records came from, if any."""
    by_record = {r.id: r for r in records}
    for record in records:
        record._addresses = {}
    if query is not None:
        condition = Address.application.in_(query.select(Application.id))
    else:
        condition = Address.application.in_(list(by_record))
    for address in Address.select().where(condition):
        if address.application_id in by_record:
            by_record[address.application_id]._addresses[address.kind] = address
    return records


def warnings_for(records, query=None):
    """{record id: [warning keys]} for these records, duplicates counted across every application; `query` is
    the query the records came from, if any."""
    with_addresses(records, query)
    kk = _shared(Application.kk_number, records, query)
    phones = _shared(Application.phone, records, query)
    niks = query.select(Application.nik) if query is not None else sorted({r.nik for r in records if r.nik})
    disputed = {n for (n,) in NikDispute.select(NikDispute.nik).where(
        NikDispute.nik.in_(niks), NikDispute.status == "open").tuples()}
    return {r.id: record_warnings(r, kk_others=kk.get(r.kk_number, 1) - 1 if r.kk_number else 0,
                                  phone_others=phones.get(r.phone, 1) - 1 if r.phone else 0,
                                  disputed=r.nik in disputed)
            for r in records}


def undecided(batch):
    return Application.select().where(Application.batch == batch, Application.status == status.CLOSED)


def clean_ids(batch):
    """Ids of the batch's undecided records with no warning: those bulk accept takes."""
    query = undecided(batch)
    records = list(query.order_by(Application.reference))
    found = warnings_for(records, undecided(batch))
    return [r.id for r in records if not found[r.id]]


def accept(application, actor, ip=None):
    """Accept one closed record."""
    return moves.transition(application, actor, status.ACCEPTED, ip=ip)


def return_to_office(application, actor, reason, note, ip=None):
    """Return one closed record to its office with a reason key and a note the office reads."""
    if reason not in status.RETURN_REASONS and reason not in status.NOT_ELIGIBLE_REASONS:
        raise DomainError(_l("Choose why the record goes back"))
    return moves.transition(application, actor, status.RETURNED, reason=reason, note=note or None, ip=ip)


class CountChanged(DomainError):
    """The records a bulk action would take are not as many as the reviewer was shown."""

    def __init__(self, count):
        super().__init__(_l("The records changed while you were looking. Check the number again."))
        self.count = count


def bulk_accept(batch, actor, ip=None, expected=None):
    """Accept every undecided record of the batch with no warning; returns how many were accepted.

    `expected` is the count the reviewer confirmed: CountChanged, accepting nothing, when it is not the count now.
    """
    require_manifest(batch, actor, ip)
    ids = clean_ids(batch)
    if expected is not None and len(ids) != expected:
        raise CountChanged(len(ids))
    if not ids:
        return 0
    # SQLite takes up to 32,766 parameters (3.32+), PostgreSQL more: a batch's ids fit in one IN list.
    query = Application.select().where(Application.batch == batch, Application.id.in_(ids))
    return len(moves.transition_many(query, actor, status.CLOSED, status.ACCEPTED, ip=ip))

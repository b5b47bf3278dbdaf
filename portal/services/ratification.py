"""Ratification (penetapan) of a reviewed batch within the quotas, and the ratified list with its manifest.

Accepted records are ratified in the order they were entered (first come, first served) while their
province (KTP address) has quota left for the period holding the decree date; the rest stay accepted,
waiting with the reason "over_quota", and can be ratified by a later decree when quota is added.
"""

from dataclasses import dataclass

from peewee import JOIN, PostgresqlDatabase, SqliteDatabase

from portal.domain import DomainError
from portal.i18n import lazy_gettext as _l
from portal.models import Address, Application, Batch, Quota, Ratification, RatificationEntry, db
from portal.rules import status
from portal.rules.manifest import digest, export_row
from portal.services import audit, quotas, review
from portal.services import status as moves

UNDECIDED = _l("Decide on every record of the batch before you ratify it.")
NOTHING = _l("There are no accepted records waiting for ratification in this batch.")
NO_QUOTA = _l("No quota is left for any of these records on this date. Ask the administrator to set or raise "
              "the quota of their provinces, then ratify.")
CHANGED = _l("Someone else ratified records of this batch meanwhile. Look at it again before you continue.")
WAITING = "over_quota"


@dataclass
class ProvinceLine:
    province_code: str
    accepted: int
    quota: object  # Quota or None
    remaining: int
    fits: int

    @property
    def waits(self):
        return self.accepted - self.fits


def _accepted(batch):
    """(id, province code of the KTP address) of the batch's accepted records, in the order entered."""
    return list(Application.select(Application.id, Address.region_code)
                .join(Address, JOIN.LEFT_OUTER, on=((Address.application == Application.id) & (Address.kind == "ktp")))
                .where(Application.batch == batch, Application.status == status.ACCEPTED)
                .order_by(Application.id).tuples())


def plan(batch, decree_date, lock=False):
    """What ratifying on `decree_date` would do: one line per province, and the ids that fit and wait."""
    rows = _accepted(batch)
    by_province = {}
    for record_id, region in rows:
        by_province.setdefault((region or "")[:2], []).append(record_id)
    lines, fits, waits = [], [], []
    for code in sorted(by_province):
        quota = quotas.quota_for(code, decree_date) if code else None
        if quota is not None and lock and isinstance(db.obj, PostgresqlDatabase):
            # Two reviewers ratifying at once take the province's quota in turn.
            quota = Quota.select().where(Quota.id == quota.id).for_update().get()
        remaining = max(0, quota.amount - quotas.used(quota)) if quota else 0
        ids = by_province[code]
        fits.extend(ids[:remaining])
        waits.extend(ids[remaining:])
        lines.append(ProvinceLine(code, len(ids), quota, remaining, min(remaining, len(ids))))
    return lines, fits, waits


def _write_transaction():
    if isinstance(db.obj, SqliteDatabase) and not db.in_transaction():
        return db.atomic(lock_type="IMMEDIATE")
    return db.atomic()


def ratify(batch, actor, decree_number, decree_date, ip=None):
    """Ratify the batch's accepted records that fit their quotas under one decree; returns the Ratification."""
    if review.undecided(batch).exists():
        raise DomainError(UNDECIDED)
    rows = review.require_manifest(batch, actor, ip)
    with _write_transaction():
        if isinstance(db.obj, PostgresqlDatabase):
            # One ratification of a batch at a time; the second then plans on what the first left.
            Batch.select().where(Batch.id == batch.id).for_update().get()
        _lines, fits, waits = plan(batch, decree_date, lock=True)
        if not fits and not waits:
            raise DomainError(NOTHING)
        if not fits:
            raise DomainError(NO_QUOTA)
        decree = Ratification.create(batch=batch, decree_number=decree_number, decree_date=decree_date,
                                     ratified_by=actor)
        for start in range(0, len(waits), 1000):
            (Application.update(status_reason=WAITING)
             .where(Application.id.in_(waits[start:start + 1000]), Application.status == status.ACCEPTED).execute())
        audit.record_many(actor, "application.waiting", [("application", i) for i in waits],
                          fields=["status_reason"], ip=ip)
        moved = []
        for start in range(0, len(fits), 5000):
            query = Application.select().where(Application.id.in_(fits[start:start + 5000]))
            moved.extend(moves.transition_many(query, actor, status.ACCEPTED, status.RATIFIED, ip=ip))
        if not moved:
            raise DomainError(CHANGED)  # rolls back the decree and the waiting marks
        provinces = dict(_with_province(_province_of(moved)))
        entries = [{"ratification": decree.id, "application": i, "province_code": provinces.get(i, "")}
                   for i in moved]
        for start in range(0, len(entries), 1000):
            RatificationEntry.insert_many(entries[start:start + 1000]).execute()
        decree.ratified_count, decree.waiting_count = len(moved), len(waits)
        # The rows just checked against the manifest are the records' content: no second read of 10,000 records.
        decree.manifest_sha256 = digest(sorted((rows[i] for i in moved), key=lambda row: row[0]))
        decree.save()
        if not Application.select().where(Application.batch == batch, Application.status.in_(
                [status.CLOSED, status.ACCEPTED])).exists():
            Batch.update(status="ratified").where(Batch.id == batch.id).execute()
        audit.record(actor, "batch.ratified", batch, fields=["decree_number", "decree_date"], ip=ip)
    return decree


def _province_of(ids):
    for start in range(0, len(ids), 5000):
        yield from (Address.select(Address.application, Address.region_code)
                    .where(Address.application.in_(ids[start:start + 5000]), Address.kind == "ktp")
                    .tuples().iterator())


def _with_province(pairs):
    return ((record_id, (region or "")[:2]) for record_id, region in pairs)


def ratified_records(decree):
    """The records a decree ratified, ordered by reference, addresses loaded."""
    query = Application.select().join(RatificationEntry).where(RatificationEntry.ratification == decree)
    return review.with_addresses(list(query.order_by(Application.reference)), query)


def ratified_rows(decree):
    """The canonical rows of a decree's list (portal.rules.manifest): what its manifest is taken over."""
    return [export_row(r, r._addresses) for r in ratified_records(decree)]

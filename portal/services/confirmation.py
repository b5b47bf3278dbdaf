"""The PMO's confirmation of ratified walk-ins (mengukuhkan penetapan calon peserta, Permenaker 17/2020): each
person checked like an online applicant, then confirmed as a candidate participant or rejected with a reason.

The checks are those of wave screening (DESIGN.md 2.3) that can be made before any wave: eligibility
declarations and age (Permenko 11/2020 art. 2), at most 2 people per family card (KK) in the programme, and
no open NIK dispute. Their keys are the wave screening's reason keys, so both speak of a person alike. A
record with a warning cannot be confirmed; it is rejected with a reason, or waits for its dispute.
"""

from flask_babel import lazy_gettext as _l
from peewee import Case, fn

from portal.domain import DomainError
from portal.models import Application, Batch, NikDispute, Office
from portal.rules import status
from portal.rules.eligibility import age_problem
from portal.services.status import transition, transition_many

MAX_PER_KK = 2  # DESIGN.md 3: at most 2 recipients per family card
WARNINGS = {
    "in_education": _l("Declared being in formal education"),
    "excluded_job": _l("Declared an occupation that cannot take part (civil servant, TNI, Polri, village official...)"),
    "under_age": _l("Younger than 18"),
    "kk_limit": _l("Two people on the same family card (KK) are already confirmed or selected"),
    "nik_dispute": _l("An open NIK dispute names this NIK"),
}
# The rejection reason a warning suggests.
SUGGESTED_REASON = {"in_education": "not_eligible", "excluded_job": "not_eligible", "under_age": "not_eligible",
                    "kk_limit": "kk_limit", "nik_dispute": "nik_dispute"}
HAS_WARNINGS = _l("This record has warnings, so it cannot be confirmed. Reject it with a reason, or wait until its "
                  "NIK dispute is resolved.")
DECIDED = (status.RATIFIED, status.CONFIRMED, status.REJECTED)


def ratified_batches():
    """Batches with ratified records, newest first, each with how many wait, were confirmed and were rejected."""
    counts = {s: fn.SUM(Case(None, [(Application.status == s, 1)], 0)).alias(s) for s in DECIDED}
    rows = (Application.select(Application.batch, *counts.values())
            .where(Application.channel == "walkin", Application.status.in_(DECIDED), Application.batch.is_null(False))
            .group_by(Application.batch).dicts())
    by_batch = {row["batch"]: row for row in rows}
    batches = (Batch.select(Batch, Office).join(Office).where(Batch.id.in_(list(by_batch) or [0]))
               .order_by(Batch.closed_at.desc(), Batch.id.desc()))
    return [(batch, {s: int(by_batch[batch.id][s] or 0) for s in DECIDED}) for batch in batches]


def batch_records(batch):
    """The batch's ratified, confirmed and rejected records, by name."""
    return list(Application.select().where(Application.batch == batch, Application.status.in_(DECIDED))
                .order_by(Application.full_name, Application.id))


def warnings(records):
    """{application id: [warning keys]} for records waiting for confirmation, computed in three queries."""
    waiting = [r for r in records if r.status == status.RATIFIED]
    kks = {r.kk_number for r in waiting if r.kk_number}
    taken = dict((Application.select(Application.kk_number, fn.COUNT(Application.id))
                  .where(Application.kk_number.in_(list(kks) or [""]), Application.status == status.CONFIRMED)
                  .group_by(Application.kk_number).tuples())) if kks else {}
    niks = [r.nik for r in waiting if r.nik]
    disputed = {row.nik for row in NikDispute.select(NikDispute.nik)
                .where(NikDispute.nik.in_(niks or [""]), NikDispute.status == "open")}
    found = {}
    for record in waiting:
        keys = []
        if record.not_in_education is not True:
            keys.append("in_education")
        if record.not_excluded is not True:
            keys.append("excluded_job")
        if record.birth_date is None or age_problem(record.birth_date):
            keys.append("under_age")
        if taken.get(record.kk_number, 0) >= MAX_PER_KK:
            keys.append("kk_limit")
        if record.nik in disputed:
            keys.append("nik_dispute")
        found[record.id] = keys
    return found


def confirm(application, actor, ip=None):
    """Confirm one ratified record as a candidate participant; refused when it has warnings."""
    if warnings([application]).get(application.id):
        raise DomainError(HAS_WARNINGS)
    return transition(application, actor, status.CONFIRMED, ip=ip)


def reject(application, actor, reason, note=None, ip=None):
    """Reject one ratified record with a reason key of REJECT_REASONS (and a note)."""
    if reason not in status.REJECT_REASONS:
        raise DomainError(_l("Choose a reason"), field="reason")
    return transition(application, actor, status.REJECTED, reason=reason, note=note or None, ip=ip)


def clean_ids(batch):
    """Ids of the batch's ratified records without any warning."""
    records = [r for r in batch_records(batch) if r.status == status.RATIFIED]
    found = warnings(records)
    return [r.id for r in records if not found[r.id]]


def confirm_all_clean(batch, actor, ip=None):
    """Confirm, as one action, every ratified record of the batch without a warning; returns the ids confirmed
    (a record another hand moved meanwhile is left as it is)."""
    ids = clean_ids(batch)
    if not ids:
        return []
    return transition_many(Application.select().where(Application.id.in_(ids)), actor, status.RATIFIED,
                           status.CONFIRMED, ip=ip)

"""The PMO's confirmation of ratified walk-ins (mengukuhkan penetapan calon peserta, Permenaker 17/2020): each
person checked like an online applicant, then confirmed as a candidate participant or rejected with a reason.

The checks are wave screening's own (portal.rules.screening.screen, DESIGN.md 2.3), run as if the record were
already confirmed, on today's date: eligibility declarations and age (Permenko 11/2020 art. 2), never selected
before, at most 2 selected per family card (KK), no open NIK dispute. A record with a warning cannot be
confirmed; it is rejected with a reason, or waits for its dispute to be resolved.
"""

from peewee import Case, fn

from portal.domain import DomainError
from portal.i18n import lazy_gettext as _l
from portal.models import Application, Batch, NikDispute, Office, Ratification, StatementLetter, WaveEntry
from portal.rules import screening, status
from portal.rules.eligibility import today
from portal.services.status import transition, transition_many

# The staff's words for the screening reasons a ratified record can be warned of (portal.rules.screening).
WARNINGS = {key: label for key, label in screening.staff_reasons().items()
            if key in ("in_education", "excluded_job", "under_age", "selected_before", "kk_limit", "nik_dispute",
                       "letter_required")}
# The rejection reason a warning suggests.
SUGGESTED_REASON = {"in_education": "not_eligible", "excluded_job": "not_eligible", "under_age": "not_eligible",
                    "selected_before": "duplicate", "kk_limit": "kk_limit", "nik_dispute": "nik_dispute",
                    "letter_required": "other"}
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


def decrees(batch_ids):
    """{batch id: [its ratification decrees, oldest first]}: a batch over quota is ratified by several."""
    found = {}
    for decree in (Ratification.select().where(Ratification.batch.in_(list(batch_ids) or [0]))
                   .order_by(Ratification.ratified_at, Ratification.id)):
        found.setdefault(decree.batch_id, []).append(decree)
    return found


def batch_records(batch):
    """The batch's ratified, confirmed and rejected records, by name."""
    return list(Application.select().where(Application.batch == batch, Application.status.in_(DECIDED))
                .order_by(Application.full_name, Application.id))


def facts(records):
    """screening.Facts for each record, from every wave so far, in a few set-based queries."""
    ids = [r.id for r in records] or [0]
    kks = list({r.kk_number for r in records if r.kk_number}) or [""]
    niks = [r.nik for r in records if r.nik] or [""]
    outcomes = (WaveEntry.select(WaveEntry.application, WaveEntry.outcome)
                .where(WaveEntry.application.in_(ids), WaveEntry.outcome.in_(["selected", "not_selected"])).tuples())
    selected, failures = set(), {}
    for application_id, outcome in outcomes:
        if outcome == "selected":
            selected.add(application_id)
        else:
            failures[application_id] = failures.get(application_id, 0) + 1
    kk_selected = dict(WaveEntry.select(Application.kk_number, fn.COUNT(WaveEntry.id)).join(Application)
                       .where(Application.kk_number.in_(kks), WaveEntry.outcome == "selected")
                       .group_by(Application.kk_number).tuples())
    disputed = {n for (n,) in NikDispute.select(NikDispute.nik)
                .where(NikDispute.nik.in_(niks), NikDispute.status == "open").tuples()}
    approved = {a for (a,) in StatementLetter.select(StatementLetter.application)
                .where(StatementLetter.application.in_(ids), StatementLetter.status == "approved").tuples()}
    return {r.id: screening.Facts(selected_before=r.id in selected, kk_selected=kk_selected.get(r.kk_number, 0),
                                  open_dispute=r.nik in disputed, failures=failures.get(r.id, 0),
                                  letter_approved=r.id in approved) for r in records}


def warnings(records):
    """{application id: [warning key]} for the records waiting for confirmation: screening's first reason."""
    waiting = [r for r in records if r.status == status.RATIFIED]
    known, on = facts(waiting), today()
    found = {}
    for record in waiting:
        # Screened as the candidate it would become: a ratified record is not yet one that may join a wave.
        as_confirmed = Application(**{**record.__data__, "status": status.CONFIRMED})
        reason = screening.screen(as_confirmed, known[record.id], on)
        found[record.id] = [reason] if reason else []
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

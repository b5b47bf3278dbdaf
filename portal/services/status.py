"""Moving applications through the state machine in portal.rules.status, each move audited, and the applicant
told of the moves that concern them (portal.services.notices) in the same transaction.

A move is one conditional UPDATE (`WHERE status = <from>`), so two hands on one record (two reviewers, an
officer and a supervisor, a retry) give one outcome: the second is told the record changed meanwhile.
"""

from portal.domain import DomainError
from portal.i18n import lazy_gettext as _l
from portal.models import Application, db, utcnow
from portal.rules import status
from portal.services import audit, notices

NOT_ALLOWED = _l("This change is not allowed for a record in this state.")
CHANGED = _l("Someone else changed this record meanwhile. Look at it again before you continue.")


def _move(current, to, actor, reason, note, fields):
    """The columns a permitted move writes; DomainError when the actor's role may not make it."""
    if not status.allowed(current, to, actor.role):
        raise DomainError(NOT_ALLOWED)
    now = utcnow()
    return {"status": to, "status_reason": reason, "status_note": note, "status_changed_at": now,
            "updated_at": now, **fields}


def transition(application, actor, to, reason=None, note=None, ip=None, **fields):
    """Move one application to `to` for `actor`, with a reason key and note where the status needs one.

    `fields` are other columns written in the same UPDATE (a batch, a decision's date). DomainError when the
    move is not allowed or the record moved on meanwhile; the audit entry is written with the change.
    """
    current = application.status
    values = _move(current, to, actor, reason, note, fields)
    with db.atomic():
        changed = (Application.update(**values)
                   .where(Application.id == application.id, Application.status == current).execute())
        if not changed:
            raise DomainError(CHANGED)
        audit.record(actor, f"application.{to}", application, fields=["status", *fields], ip=ip)
        notices.notify([application.id], to, reason)
    for name, value in values.items():
        setattr(application, name, value)
    return application


def transition_many(query, actor, current, to, reason=None, note=None, ip=None, **fields):
    """Move every application the query selects that is in `current` to `to`, set-based, one audit entry
    each; returns the ids moved. For batch decisions over thousands of records in one request."""
    values = _move(current, to, actor, reason, note, fields)
    with db.atomic():
        ids = [row.id for row in query.select(Application.id).where(Application.status == current)]
        moved = []
        for start in range(0, len(ids), 1000):
            # RETURNING (PostgreSQL, SQLite 3.35+) names only the rows this UPDATE really moved, so a
            # record another hand moved meanwhile is neither counted nor audited.
            moved.extend(row.id for row in Application.update(**values).where(
                Application.id.in_(ids[start:start + 1000]), Application.status == current,
            ).returning(Application.id).execute())
        audit.record_many(actor, f"application.{to}", [("application", i) for i in sorted(moved)],
                          fields=["status", *fields], ip=ip)
        notices.notify(sorted(moved), to, reason, bulk=True)
    return moved

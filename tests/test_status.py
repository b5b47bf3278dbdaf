"""The application state machine: allowed moves by role, conditional writes, audit entries, bulk moves."""

import threading

import pytest

from portal.domain import DomainError
from portal.models import Application, AuditEntry, db
from portal.rules import status
from portal.services import audit
from portal.services.status import transition, transition_many


def walkin(app, office, state="entered", n=1):
    """Walk-in records of an office in a state (only what the state machine needs)."""
    with app.app_context():
        return [Application.create(channel="walkin", status=state, office=office, nik=f"32010145129{i:05d}")
                for i in range(n)]


def test_every_move_names_its_roles_and_nothing_else_moves():
    assert status.allowed("entered", "closed", "supervisor")
    assert not status.allowed("entered", "closed", "officer")  # four eyes: only a supervisor closes
    assert status.allowed("closed", "returned", "reviewer")
    assert not status.allowed("closed", "returned", "pmo")
    assert not status.allowed("submitted", "draft", "applicant")  # a sent application never goes back
    assert not status.allowed("confirmed", "entered", "supervisor")
    assert status.allowed("submitted", "rejected", "pmo")  # a NIK dispute lost (services.disputes)
    assert not status.allowed("submitted", "rejected", "reviewer") and not status.allowed("submitted", "rejected",
                                                                                         "applicant")
    for (current, to), roles in status.TRANSITIONS.items():
        assert current != to and roles, (current, to)
        assert status.label(current) and status.label(to)


def test_a_move_writes_its_reason_and_an_audit_entry(app, make_staff):
    reviewer = make_staff("reviewer")
    officer = make_staff("officer")
    [record] = walkin(app, officer.office, "closed")
    with app.app_context():
        transition(record, reviewer, "returned", reason="nik_kk", note="KK tidak terbaca", ip="10.0.0.5")
        fresh = Application.get_by_id(record.id)
        assert (fresh.status, fresh.status_reason, fresh.status_note) == ("returned", "nik_kk", "KK tidak terbaca")
        [entry] = AuditEntry.select().where(AuditEntry.target_id == str(record.id))
        assert (entry.action, entry.actor_role, entry.fields, entry.ip) == (
            "application.returned", "reviewer", "status", "10.0.0.5")
        assert audit.verify().ok


def test_a_move_not_allowed_is_refused_and_changes_nothing(app, make_staff):
    officer = make_staff("officer")
    [record] = walkin(app, officer.office, "entered")
    with app.app_context():
        with pytest.raises(DomainError):
            transition(record, officer, "closed")  # only a supervisor closes a batch
        assert Application.get_by_id(record.id).status == "entered"
        assert AuditEntry.select().count() == 0


def test_a_record_moved_meanwhile_is_not_moved_again(app, make_staff):
    reviewer = make_staff("reviewer")
    officer = make_staff("officer")
    [record] = walkin(app, officer.office, "closed")
    with app.app_context():
        stale = Application.get_by_id(record.id)
        transition(record, reviewer, "accepted")
        with pytest.raises(DomainError):
            transition(stale, reviewer, "returned", reason="other")  # a second reviewer's stale screen
        assert Application.get_by_id(record.id).status == "accepted"
        assert AuditEntry.select().count() == 1


def test_bulk_moves_skip_records_moved_meanwhile_and_audit_each(app, make_staff):
    reviewer = make_staff("reviewer")
    officer = make_staff("officer")
    records = walkin(app, officer.office, "closed", n=30)
    with app.app_context():
        transition(records[0], reviewer, "returned", reason="duplicate")
        moved = transition_many(Application.select().where(Application.office == officer.office), reviewer,
                                "closed", "accepted")
        assert sorted(moved) == sorted(r.id for r in records[1:])
        assert Application.select().where(Application.status == "accepted").count() == 29
        assert AuditEntry.select().where(AuditEntry.action == "application.accepted").count() == 29
        assert audit.verify().ok


def test_racing_reviewers_give_one_outcome(app, make_staff):
    reviewers = [make_staff("reviewer", email=f"r{i}@kemnaker.id") for i in range(6)]
    officer = make_staff("officer")
    for _round in range(10):
        [record] = walkin(app, officer.office, "closed")
        outcomes, barrier = [], threading.Barrier(len(reviewers))

        def decide(reviewer, to):
            with app.app_context():
                stale = Application.get_by_id(record.id)
                barrier.wait()
                try:
                    transition(stale, reviewer, to, reason=None if to == "accepted" else "other")
                    outcomes.append(to)
                except DomainError:
                    pass
                finally:
                    db.close()

        threads = [threading.Thread(target=decide, args=(r, "accepted" if i % 2 else "returned"))
                   for i, r in enumerate(reviewers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        with app.app_context():
            assert len(outcomes) == 1
            assert Application.get_by_id(record.id).status == outcomes[0]
            Application.delete().where(Application.id == record.id).execute()
    with app.app_context():
        assert AuditEntry.select().count() == 10 and audit.verify().ok

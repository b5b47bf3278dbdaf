"""The ministry's review and ratification as services: manifest, warnings, decisions, quotas."""

import datetime

import pytest
from ministry_support import make_closed_batch

from portal.domain import DomainError
from portal.models import Application, AuditEntry, Batch, Quota, Ratification, RatificationEntry
from portal.rules import status
from portal.services import quotas, ratification, review

DECREE_DATE = datetime.date(2026, 11, 20)


@pytest.fixture
def reviewer(app, make_staff):
    return make_staff("reviewer")


def set_quota(actor, province, amount):
    return quotas.save_quota(actor, province, datetime.date(2026, 1, 1), datetime.date(2026, 12, 31), amount)


def test_a_batch_as_signed_passes_and_an_edit_after_closing_is_refused_and_audited(app, reviewer):
    batch = make_closed_batch(app, 3)
    with app.app_context():
        assert review.verify_manifest(batch, reviewer)
        Application.update(full_name="Nama Diganti").where(Application.reference == "PK-0000-0001").execute()
        assert not review.verify_manifest(batch, reviewer)
        assert AuditEntry.select().where(AuditEntry.action == "batch.manifest_mismatch").count() == 1
        with pytest.raises(DomainError):
            review.bulk_accept(batch, reviewer)
        assert Application.select().where(Application.status == status.ACCEPTED).count() == 0


def test_a_batch_edited_before_its_first_opening_is_refused(app, reviewer):
    batch = make_closed_batch(app, 2)
    with app.app_context():
        Application.update(phone="+6281299999999").where(Application.reference == "PK-0000-0000").execute()
        assert not review.verify_manifest(batch, reviewer)


def test_warnings_flag_rule_problems_and_bulk_accept_leaves_them(app, reviewer):
    batch = make_closed_batch(app, 5)
    with app.app_context():
        Application.update(not_excluded=False).where(Application.reference == "PK-0000-0001").execute()
        Application.update(kk_number="3201010000000004").where(Application.reference == "PK-0000-0002").execute()
        # The office signed these values: recompute the manifest as if closed with them.
        from portal.services.batches import compute_manifest

        count, sha = compute_manifest(batch)
        Batch.update(manifest_sha256=sha).where(Batch.id == batch.id).execute()
        batch = Batch.get_by_id(batch.id)
        records = list(review.undecided(batch).order_by(Application.reference))
        found = review.warnings_for(records)
        by_ref = {r.reference: found[r.id] for r in records}
        assert by_ref["PK-0000-0000"] == []
        assert by_ref["PK-0000-0001"] == ["excluded"]
        assert "kk_shared" in by_ref["PK-0000-0002"] and "kk_shared" in by_ref["PK-0000-0003"]
        assert review.bulk_accept(batch, reviewer) == 2
        assert review.bulk_accept(batch, reviewer) == 0
        left = {r.reference for r in review.undecided(batch)}
        assert left == {"PK-0000-0001", "PK-0000-0002", "PK-0000-0003"}


def test_accept_twice_and_ratify_before_all_decided_are_refused(app, reviewer):
    batch = make_closed_batch(app, 2)
    with app.app_context():
        first, second = review.undecided(batch).order_by(Application.reference)
        review.accept(first, reviewer)
        with pytest.raises(DomainError):
            review.accept(Application.get_by_id(first.id), reviewer)
        with pytest.raises(DomainError):
            review.accept(first, reviewer)  # stale copy: the conditional write finds it moved on
        with pytest.raises(DomainError):
            ratification.ratify(batch, reviewer, "KEP.1/2026", DECREE_DATE)
        with pytest.raises(DomainError):
            review.return_to_office(second, reviewer, "no_such_reason", "")
        review.return_to_office(second, reviewer, "not_eligible.age", "Lahir 2010 menurut KK")
        second = Application.get_by_id(second.id)
        assert second.status == status.RETURNED and second.status_reason == "not_eligible.age"


def test_ratification_stays_within_the_quota_and_the_rest_wait(app, reviewer, make_staff):
    admin = make_staff("admin")
    batch = make_closed_batch(app, 6, village="32.01.01.1006")
    with app.app_context():
        set_quota(admin, "32", 4)
        assert review.bulk_accept(batch, reviewer) == 6
        lines, fits, waits = ratification.plan(batch, DECREE_DATE)
        assert [(line.province_code, line.accepted, line.remaining, line.fits) for line in lines] == [("32", 6, 4, 4)]
        decree = ratification.ratify(batch, reviewer, "KEP.12/LATTAS/XI/2026", DECREE_DATE)
        assert (decree.ratified_count, decree.waiting_count) == (4, 2)
        assert Application.select().where(Application.status == status.RATIFIED).count() == 4
        waiting = Application.select().where(Application.status == status.ACCEPTED)
        assert [a.status_reason for a in waiting] == ["over_quota", "over_quota"]
        assert Batch.get_by_id(batch.id).status == "closed"
        # No quota left: a second decree is refused, nothing written; raising the quota lets the waiting two through.
        with pytest.raises(DomainError):
            ratification.ratify(batch, reviewer, "KEP.13/2026", DECREE_DATE)
        assert Ratification.select().count() == 1
        Quota.update(amount=10).execute()
        assert ratification.ratify(batch, reviewer, "KEP.14/2026", DECREE_DATE).ratified_count == 2
        assert RatificationEntry.select().count() == 6
        assert Batch.get_by_id(batch.id).status == "ratified"
        with pytest.raises(DomainError):
            ratification.ratify(batch, reviewer, "KEP.15/2026", DECREE_DATE)


def test_quota_periods_of_a_province_never_overlap(app, make_staff):
    admin = make_staff("admin")
    with app.app_context():
        set_quota(admin, "32", 5)
        with pytest.raises(DomainError):
            quotas.save_quota(admin, "32", datetime.date(2026, 6, 1), datetime.date(2027, 5, 31), 3)
        quotas.save_quota(admin, "33", datetime.date(2026, 6, 1), datetime.date(2027, 5, 31), 3)


def test_a_decree_manifest_is_the_digest_of_its_list_as_exported(app, reviewer):
    from portal.rules.manifest import digest

    batch = make_closed_batch(app, 4, village="32.01.01.1006")
    with app.app_context():
        Quota.create(province_code="32", starts_on=datetime.date(2026, 1, 1), ends_on=datetime.date(2026, 12, 31),
                     amount=3)
        review.bulk_accept(batch, reviewer)
        decree = ratification.ratify(batch, reviewer, "KEP.1/2026", DECREE_DATE)
        rows = ratification.ratified_rows(decree)
        assert len(rows) == 3 and decree.manifest_sha256 == digest(rows)

"""Returned records at their office, entered again into the next batch; the administrator's quotas."""

import datetime

import pytest
from ministry_support import make_closed_batch, office_staff

from conftest import sign_in_staff
from portal.models import Application, AuditEntry, Batch, Quota
from portal.rules import status
from portal.services import review


def signed_in(app, email):
    client = app.test_client()
    client.set_cookie("lang", "en")
    assert sign_in_staff(client, email).status_code == 303
    return client


@pytest.fixture
def returned(app, make_staff):
    """A closed batch of 3 whose second record the reviewer returned as a duplicate."""
    reviewer = make_staff("reviewer")
    batch = make_closed_batch(app, 3, village="32.01.01.1006")
    with app.app_context():
        assert review.verify_manifest(batch, reviewer)
        first, second, third = review.undecided(batch).order_by(Application.reference)
        review.accept(first, reviewer)
        review.accept(third, reviewer)
        review.return_to_office(second, reviewer, "duplicate", "Sama dengan pendaftaran daring PK-7G4M-2QXA")
    return {"batch": batch, "record": second, "reviewer": reviewer}


def test_the_office_sees_its_returned_record_and_enters_it_again_into_its_open_batch(app, returned):
    office_staff(app)
    officer = signed_in(app, "officer-disnaker-3201@kantor.id")
    page = officer.get("/petugas/meja/dikembalikan").get_data(as_text=True)
    assert returned["record"].reference in page and "Registered more than once" in page
    assert "Sama dengan pendaftaran daring" in page
    url = f"/petugas/meja/dikembalikan/{returned['record'].id}"
    page = officer.get(url).get_data(as_text=True)
    assert f'href="/petugas/meja/data/{returned["record"].reference}/ubah"' in page  # the desk's correction page
    page = officer.post(url, data={}).get_data(as_text=True)
    assert "Confirm that you have checked and corrected the record" in page
    response = officer.post(url, data={"corrected": "y"})
    assert response.headers["Location"] == "/petugas/meja/dikembalikan"
    with app.app_context():
        record = Application.get_by_id(returned["record"].id)
        assert record.status == status.ENTERED and record.status_reason is None
        new_batch = Batch.get_by_id(record.batch_id)
        assert new_batch.id != returned["batch"].id and new_batch.status == "open"
        assert AuditEntry.select().where(AuditEntry.action == "application.entered").count() == 1
    page = officer.get("/petugas/meja/dikembalikan").get_data(as_text=True)
    assert "is in the office&#39;s open batch again" in page and "No records are waiting for correction" in page
    assert officer.post(url, data={"corrected": "y"}).status_code == 404


def test_another_office_cannot_see_or_enter_the_record(app, returned):
    office_staff(app, "DISNAKER-3374")
    other = signed_in(app, "officer-disnaker-3374@kantor.id")
    assert returned["record"].reference not in other.get("/petugas/meja/dikembalikan").get_data(as_text=True)
    assert other.post(f"/petugas/meja/dikembalikan/{returned['record'].id}", data={"corrected": "y"}).status_code == 404
    with app.app_context():
        assert Application.get_by_id(returned["record"].id).status == status.RETURNED


def test_an_incomplete_record_cannot_be_entered_again(app, returned):
    office_staff(app)
    with app.app_context():
        Application.update(statement_signed=False).where(Application.id == returned["record"].id).execute()
    officer = signed_in(app, "officer-disnaker-3201@kantor.id")
    url = f"/petugas/meja/dikembalikan/{returned['record'].id}"
    assert "Applicant statement signed" in officer.get(url).get_data(as_text=True)
    officer.post(url, data={"corrected": "y"})
    with app.app_context():
        assert Application.get_by_id(returned["record"].id).status == status.RETURNED


def test_returned_corrected_and_sent_in_the_next_batch_leaves_the_first_batch_intact(app, returned):
    from portal.ministry.demo import close_batch
    from portal.services import ratification, returns

    officer, supervisor = office_staff(app)
    reviewer = returned["reviewer"]
    with app.app_context():
        record = Application.get_by_id(returned["record"].id)
        Application.update(kk_number="3201019999999999").where(Application.id == record.id).execute()
        returns.reenter(Application.get_by_id(record.id), officer)
        second_batch = close_batch(Batch.get_by_id(Application.get_by_id(record.id).batch_id), supervisor)
        assert second_batch.record_count == 1
        # The first batch still checks out: the record that went back is no longer its to decide.
        assert review.verify_manifest(returned["batch"], reviewer)
        assert review.verify_manifest(second_batch, reviewer)
        assert review.bulk_accept(second_batch, reviewer) == 1
        Quota.create(province_code="32", starts_on=datetime.date(2026, 1, 1), ends_on=datetime.date(2026, 12, 31),
                     amount=10)
        first = ratification.ratify(returned["batch"], reviewer, "KEP.1/2026", datetime.date(2026, 11, 20))
        second = ratification.ratify(second_batch, reviewer, "KEP.2/2026", datetime.date(2026, 11, 21))
        assert (first.ratified_count, second.ratified_count) == (2, 1)


QUOTA = {"province": "32", "starts_on-day": "1", "starts_on-month": "1", "starts_on-year": "2026",
         "ends_on-day": "31", "ends_on-month": "12", "ends_on-year": "2026", "amount": "1500"}


def test_the_administrator_sets_and_changes_quotas(app, make_staff):
    make_staff("admin")
    admin = signed_in(app, "admin@kantor.id")
    assert "No quota has been set yet" in admin.get("/admin/kuota").get_data(as_text=True)
    page = admin.post("/admin/kuota", data={**QUOTA, "amount": "lima", "ends_on-year": "2025"}).get_data(as_text=True)
    assert "Quota must be a whole number" in page and "must end on or after" in page and 'value="lima"' in page
    assert admin.post("/admin/kuota", data=QUOTA).status_code == 303
    page = admin.post("/admin/kuota", data={**QUOTA, "starts_on-month": "6", "ends_on-year": "2027"}).get_data(as_text=True)
    assert "already has a quota for part of this period" in page
    with app.app_context():
        quota = Quota.get()
        assert (quota.province_code, quota.amount) == ("32", 1500)
    assert "Jawa Barat" in admin.get("/admin/kuota").get_data(as_text=True)
    assert admin.post(f"/admin/kuota/{quota.id}", data={**QUOTA, "amount": "2000"}).status_code == 303
    with app.app_context():
        assert Quota.get().amount == 2000
        assert AuditEntry.select().where(AuditEntry.action == "quota.set").count() == 2



def test_quota_dates_left_empty_or_wrong_are_named_in_the_administrators_words(app, make_staff):
    make_staff("admin")
    admin = signed_in(app, "admin@kantor.id")
    empty = {**QUOTA, "starts_on-day": "", "starts_on-month": "", "starts_on-year": "", "ends_on-day": "31",
             "ends_on-month": "2", "ends_on-year": "2026"}
    for headers in ({}, {"HX-Request": "true"}):
        page = admin.post("/admin/kuota", data=empty, headers=headers).get_data(as_text=True)
        assert "Enter the start of the period" in page and "Enter your" not in page
        assert "End of the period must be a real date, like 31 12 2026" in page


def test_the_chain_with_the_desk_services_walkins_closed_reviewed_returned_corrected_and_ratified(app, make_staff):
    """Three walk-ins keyed at the desk, closed by the supervisor, reviewed (one returned for its KK), the
    returned one corrected at the desk (which puts it into the next batch), closed again and ratified."""
    from walkin_support import make_walkin, walkin_data

    from portal.models import Account
    from portal.services import batches, intake, ratification
    from portal.services.batches import open_batch

    officer, supervisor = office_staff(app)
    reviewer = make_staff("reviewer")
    records = [make_walkin(app, officer, serial=n, kk_number=f"32010101012300{n:02d}") for n in (1, 2, 3)]
    with app.app_context():
        first_batch = batches.close(open_batch(officer.office), Account.get_by_id(supervisor.id))
        assert review.verify_manifest(first_batch, reviewer)
        review.accept(Application.get_by_id(records[0].id), reviewer)
        review.accept(Application.get_by_id(records[2].id), reviewer)
        review.return_to_office(Application.get_by_id(records[1].id), reviewer, "nik_kk", "KK salah ketik")
        intake.update_walkin(Application.get_by_id(records[1].id), walkin_data(2, kk_number="3201010101239999"),
                             Account.get_by_id(officer.id))
        corrected = Application.get_by_id(records[1].id)
        assert corrected.status == status.ENTERED and corrected.kk_number == "3201010101239999"
        second_batch = batches.close(Batch.get_by_id(corrected.batch_id), Account.get_by_id(supervisor.id))
        assert second_batch.id != first_batch.id and second_batch.record_count == 1
        assert review.verify_manifest(first_batch, reviewer) and review.verify_manifest(second_batch, reviewer)
        review.accept(Application.get_by_id(records[1].id), reviewer)
        Quota.create(province_code="32", starts_on=datetime.date(2026, 1, 1), ends_on=datetime.date(2026, 12, 31),
                     amount=3)
        assert ratification.ratify(first_batch, reviewer, "KEP.1/2026", datetime.date(2026, 11, 20)).ratified_count == 2
        assert ratification.ratify(second_batch, reviewer, "KEP.2/2026", datetime.date(2026, 11, 27)).ratified_count == 1
        assert {a.status for a in Application.select()} == {status.RATIFIED}

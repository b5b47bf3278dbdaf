"""The reviewer's screens: batches, the manifest check, the queue, decisions, bulk accept and ratification."""

import datetime
import re

import pytest
from ministry_support import make_closed_batch

from portal.models import Application, AuditEntry, Quota
from portal.rules import status

ENGLISH = {"lang": "en"}


@pytest.fixture
def reviewer(app, client, make_staff, staff_login):
    make_staff("reviewer")
    client.set_cookie("lang", "en")
    assert staff_login(client, "reviewer@kantor.id").status_code == 303
    return client


def records(app, batch, **where):
    with app.app_context():
        return list(Application.select().where(Application.batch == batch.id).order_by(Application.reference))


def test_the_reviewer_sees_closed_batches_of_every_office_newest_first(app, reviewer):
    make_closed_batch(app, 2, first=0, office_code="DISNAKER-3201")
    make_closed_batch(app, 3, first=10, office_code="DISNAKER-3374")
    page = reviewer.get("/kementerian/").get_data(as_text=True)
    assert page.index("Disnaker DISNAKER-3374") < page.index("Disnaker DISNAKER-3201")
    assert re.search(r"DISNAKER-3374 no. 1</a></td>\s*<td>[^<]+</td><td>3</td>\s*<td>3</td>", page)


def test_a_tampered_batch_is_refused_with_a_clear_message_and_audited(app, reviewer):
    batch = make_closed_batch(app, 3)
    with app.app_context():
        Application.update(full_name="Orang Lain").where(Application.reference == "PK-0000-0001").execute()
    response = reviewer.get(f"/kementerian/batch/{batch.id}")
    assert response.status_code == 409
    assert "no longer what the office signed" in response.get_data(as_text=True)
    # Confirming anyway: refused, and back on the page that says why.
    response = reviewer.post(f"/kementerian/batch/{batch.id}/terima-semua", data={"expected": "3"},
                             follow_redirects=True)
    assert response.status_code == 409 and "Nothing in it can be decided" in response.get_data(as_text=True)
    with app.app_context():
        assert AuditEntry.select().where(AuditEntry.action == "batch.manifest_mismatch").count() == 3
        assert Application.select().where(Application.status == status.ACCEPTED).count() == 0


def test_accept_and_return_one_by_one_walk_the_queue(app, reviewer):
    batch = make_closed_batch(app, 3)
    first, second, third = records(app, batch)
    page = reviewer.get(f"/kementerian/batch/{batch.id}").get_data(as_text=True)
    assert "Manifest checked" in page and "Accept the 3 records with no warning" in page
    url = f"/kementerian/batch/{batch.id}/data/{first.id}"
    assert "1 of 3 to decide" in reviewer.get(url).get_data(as_text=True)
    response = reviewer.post(url, data={"decision": "accept"})
    assert response.headers["Location"] == f"/kementerian/batch/{batch.id}/data/{second.id}"
    # Return without a reason: the reason is asked for, nothing changes.
    url = f"/kementerian/batch/{batch.id}/data/{second.id}"
    page = reviewer.post(url, data={"decision": "return", "reason": "", "note": "Periksa"}).get_data(as_text=True)
    assert "Choose why the record goes back to the office" in page and "Periksa" in page
    response = reviewer.post(url, data={"decision": "return", "reason": "not_eligible.excluded",
                                        "note": "Tercatat sebagai kepala desa"})
    assert response.headers["Location"] == f"/kementerian/batch/{batch.id}/data/{third.id}"
    with app.app_context():
        returned = Application.get_by_id(second.id)
        assert (returned.status, returned.status_reason) == (status.RETURNED, "not_eligible.excluded")
        assert returned.status_note == "Tercatat sebagai kepala desa"
        assert AuditEntry.select().where(AuditEntry.action == "application.returned").count() == 1
    # Deciding the same record again is refused: the page shows the decision, a post changes nothing.
    assert "Decided: Accepted" in reviewer.get(f"/kementerian/batch/{batch.id}/data/{first.id}").get_data(as_text=True)
    reviewer.post(f"/kementerian/batch/{batch.id}/data/{second.id}", data={"decision": "accept"})
    with app.app_context():
        assert Application.get_by_id(second.id).status == status.RETURNED
    response = reviewer.post(f"/kementerian/batch/{batch.id}/data/{third.id}", data={"decision": "accept"})
    assert response.headers["Location"] == f"/kementerian/batch/{batch.id}"


def test_bulk_accept_takes_only_records_without_warnings_after_a_confirmation(app, reviewer):
    batch = make_closed_batch(app, 4)
    with app.app_context():
        from portal.models import Batch
        from portal.services.batches import compute_manifest

        Application.update(not_in_education=False).where(Application.reference == "PK-0000-0002").execute()
        Batch.update(manifest_sha256=compute_manifest(batch)[1]).where(Batch.id == batch.id).execute()
    page = reviewer.get(f"/kementerian/batch/{batch.id}/terima-semua").get_data(as_text=True)
    assert "You are about to accept 3 records" in page
    # The count shown is checked: a confirmation for another number accepts nothing.
    page = reviewer.post(f"/kementerian/batch/{batch.id}/terima-semua", data={"expected": "4"}).get_data(as_text=True)
    assert "changed while you were looking" in page
    response = reviewer.post(f"/kementerian/batch/{batch.id}/terima-semua", data={"expected": "3"})
    assert response.status_code == 303
    with app.app_context():
        left = Application.select().where(Application.status == status.CLOSED)
        assert [a.reference for a in left] == ["PK-0000-0002"]
    page = reviewer.get(f"/kementerian/batch/{batch.id}/antrean?lihat=warnings").get_data(as_text=True)
    assert "PK-0000-0002" in page and "Did not declare being out of formal education" in page


def test_ratify_is_refused_until_every_record_is_decided_then_respects_the_quota(app, reviewer, make_staff):
    batch = make_closed_batch(app, 3, village="33.74.11.1001")
    first, second, third = records(app, batch)
    page = reviewer.get(f"/kementerian/batch/{batch.id}/penetapan").get_data(as_text=True)
    assert "3 records are not decided yet" in page
    response = reviewer.post(f"/kementerian/batch/{batch.id}/penetapan", data={
        "action": "ratify", "decree_number": "KEP.1/2026", "decree_date-day": "20", "decree_date-month": "11",
        "decree_date-year": "2026"})
    assert response.status_code == 303
    with app.app_context():
        assert Application.select().where(Application.status == status.RATIFIED).count() == 0
        Quota.create(province_code="33", starts_on=datetime.date(2026, 1, 1), ends_on=datetime.date(2026, 12, 31),
                     amount=2)
    reviewer.post(f"/kementerian/batch/{batch.id}/terima-semua", data={"expected": "3"})
    form = {"decree_number": "KEP.12/LATTAS/XI/2026", "decree_date-day": "20", "decree_date-month": "11",
            "decree_date-year": "2026"}
    page = reviewer.post(f"/kementerian/batch/{batch.id}/penetapan", data={**form, "action": "check"}).get_data(as_text=True)
    assert "2 records will be ratified and 1 will wait" in page and "Jawa Tengah" in page
    response = reviewer.post(f"/kementerian/batch/{batch.id}/penetapan", data={**form, "action": "ratify"})
    decree_url = response.headers["Location"]
    page = reviewer.get(decree_url).get_data(as_text=True)
    assert "KEP.12/LATTAS/XI/2026" in page and first.nik in page and third.nik not in page
    csv = reviewer.get(decree_url + "/daftar.csv")
    lines = csv.get_data(as_text=True).splitlines()
    assert csv.headers["Content-Type"] == "text/csv; charset=utf-8" and len(lines) == 5 and lines[1].startswith("# manifest records=2 sha256=")
    xlsx = reviewer.get(decree_url + "/daftar.xlsx")
    assert xlsx.data[:2] == b"PK" and "attachment" in xlsx.headers["Content-Disposition"]
    with app.app_context():
        waiting = Application.get_by_id(third.id)
        assert (waiting.status, waiting.status_reason) == (status.ACCEPTED, "over_quota")
    assert "1 waiting over the quota" in reviewer.get(f"/kementerian/batch/{batch.id}").get_data(as_text=True)



def test_a_decree_date_left_empty_or_wrong_is_named_in_the_reviewers_words(app, reviewer):
    batch = make_closed_batch(app, 1)
    reviewer.post(f"/kementerian/batch/{batch.id}/terima-semua", data={"expected": "1"})
    form = {"action": "check", "decree_number": "KEP.1/2026", "decree_date-day": "", "decree_date-month": "",
            "decree_date-year": ""}
    for headers in ({}, {"HX-Request": "true"}):
        page = reviewer.post(f"/kementerian/batch/{batch.id}/penetapan", data=form,
                             headers=headers).get_data(as_text=True)
        assert "Enter the decree date" in page and "Enter your" not in page
        page = reviewer.post(f"/kementerian/batch/{batch.id}/penetapan", headers=headers, data={
            **form, "decree_date-day": "31", "decree_date-month": "2", "decree_date-year": "2026"}).get_data(as_text=True)
        assert "Decree date must be a real date, like 20 11 2026" in page


def test_a_record_edited_after_the_batch_was_received_cannot_be_decided(app, reviewer):
    batch = make_closed_batch(app, 2)
    first, second = records(app, batch)
    url = f"/kementerian/batch/{batch.id}/data/{first.id}"
    # Straight to a record before the batch was opened: the batch page checks the manifest first.
    assert reviewer.get(url).headers["Location"] == f"/kementerian/batch/{batch.id}"
    assert reviewer.get(f"/kementerian/batch/{batch.id}/antrean").status_code == 303
    assert reviewer.get(f"/kementerian/batch/{batch.id}").status_code == 200
    with app.app_context():
        Application.update(birth_place="Depok").where(Application.id == first.id).execute()
    response = reviewer.post(url, data={"decision": "accept"})
    assert response.status_code == 409 and "cannot be reviewed" in response.get_data(as_text=True)
    with app.app_context():
        assert Application.get_by_id(first.id).status == status.CLOSED
        assert AuditEntry.select().where(AuditEntry.action == "batch.manifest_mismatch").count() == 1
    assert reviewer.get(f"/kementerian/batch/{batch.id}").status_code == 409


@pytest.mark.parametrize("path", ["/kementerian/", "/kementerian/batch/{batch}", "/kementerian/batch/{batch}/antrean",
                                  "/kementerian/batch/{batch}/data/{record}", "/kementerian/batch/{batch}/penetapan"])
def test_pages_answer_htmx_with_the_main_content_and_browsers_with_the_document(app, reviewer, path):
    batch = make_closed_batch(app, 1)
    (record,) = records(app, batch)
    reviewer.get(f"/kementerian/batch/{batch.id}")
    url = path.format(batch=batch.id, record=record.id)
    whole = reviewer.get(url).get_data(as_text=True)
    part = reviewer.get(url, headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" in whole and "<html" not in part and "<h1" in part

"""An office's batches: the batch page, the four-eyes close, the documents with their manifest, the exports
the manifest is recomputed from, and the audit log of records and batches."""

import csv
import io
import re
import threading
import time

import openpyxl
import pytest

from batch_support import walkin, walkins
from conftest import at_once, sign_in_staff
from portal.domain import DomainError
from portal.models import Account, Application, AuditEntry, Batch, db
from portal.rules.manifest import EXPORT_FIELDS, digest
from portal.services import audit, batches
from portal.services.intake import withdraw_walkin


@pytest.fixture
def office(app, make_staff):
    """An office with two officers who keyed five walk-ins, and a supervisor who keyed none."""
    officer = make_staff("officer", email="petugas@kantor.id", name="Rina Petugas")
    other = make_staff("officer", email="petugas2@kantor.id", name="Yusuf Petugas")
    supervisor = make_staff("supervisor", email="kepala@kantor.id", name="Hendra Pengawas")
    records = walkins(app, officer, 3) + walkins(app, other, 2)
    return {"officer": officer, "other": other, "supervisor": supervisor, "records": records,
            "batch_id": records[0].batch_id}


def signed_in(app, email):
    client = app.test_client()
    client.set_cookie("lang", "en")
    assert sign_in_staff(client, email).status_code == 303
    return client


def close_as_supervisor(app, office):
    client = signed_in(app, "kepala@kantor.id")
    response = client.post(f"/petugas/meja/batch/{office['batch_id']}/tutup")
    assert response.status_code == 303, response.get_data(as_text=True)
    return client


def test_the_batch_page_shows_each_record_and_its_check_state(app, office):
    with app.app_context():
        walkin(office["officer"], complete=False, full_name="Belum Lengkap")
    client = signed_in(app, "petugas@kantor.id")
    page = client.get("/petugas/meja/batch").get_data(as_text=True)
    assert "6 in all: 5 complete, 1 not complete" in page
    assert "No batch has been closed yet." in page
    page = client.get(f"/petugas/meja/batch/{office['batch_id']}").get_data(as_text=True)
    assert page.count("<tr>") == 7  # header and six records
    assert "Belum Lengkap" in page and "Missing: Applicant statement signed" in page
    assert page.count(">Complete<") == 5
    assert "Rina Petugas" in page and "Yusuf Petugas" in page


def test_an_htmx_request_gets_the_page_without_the_document(app, office):
    client = signed_in(app, "petugas@kantor.id")
    fragment = client.get(f"/petugas/meja/batch/{office['batch_id']}", headers={"HX-Request": "true"})
    assert b"<html" not in fragment.data and b"Batch 1" in fragment.data
    assert b"<html" in client.get(f"/petugas/meja/batch/{office['batch_id']}").data


def test_a_supervisor_who_entered_none_closes_the_batch(app, office):
    client = signed_in(app, "kepala@kantor.id")
    page = client.get(f"/petugas/meja/batch/{office['batch_id']}/tutup").get_data(as_text=True)
    assert "You are sending 5 records, all complete." in page
    response = client.post(f"/petugas/meja/batch/{office['batch_id']}/tutup")
    assert response.headers["Location"] == f"/petugas/meja/batch/{office['batch_id']}"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Batch closed." in page and "Closed: waiting for the ministry" in page
    with app.app_context():
        batch = Batch.get_by_id(office["batch_id"])
        assert (batch.status, batch.open_slot, batch.closed_by_id) == ("closed", None, office["supervisor"].id)
        assert batch.record_count == 5 and batches.manifest_matches(batch)
        assert re.fullmatch(r"BAST/3201/20\d\d/0001", batch.document_number)
        assert {r.status for r in Application.select().where(Application.batch == batch)} == {"closed"}
        actions = [e.action for e in AuditEntry.select().order_by(AuditEntry.seq)]
        assert actions.count("application.closed") == 5 and actions.count("batch.closed") == 1
        assert audit.verify().ok
        # The next walk-in starts batch 2; the closed batch is not touched.
        assert walkin(office["officer"]).batch.number == 2
    assert f'id="manifest-sha256">{batch.manifest_sha256}<' in page
    assert page.count("<td>Sent to the ministry</td>") == 5  # each record's own status


def test_a_closed_batch_shows_its_state_in_the_list(app, office):
    close_as_supervisor(app, office)
    page = signed_in(app, "petugas@kantor.id").get("/petugas/meja/batch").get_data(as_text=True)
    assert "There is no open batch." in page
    assert "Closed: waiting for the ministry" in page and "BAST/3201/" in page


@pytest.mark.parametrize("who, email", [
    ("an officer", "petugas@kantor.id"),
    ("a supervisor who entered a record", "kepala2@kantor.id"),
])
def test_four_eyes_only_a_supervisor_who_entered_none_may_close(app, office, make_staff, who, email):
    keyer = make_staff("supervisor", email="kepala2@kantor.id", name="Sinta Pengawas")
    with app.app_context():
        walkin(keyer)
    client = signed_in(app, email)
    page = client.get(f"/petugas/meja/batch/{office['batch_id']}").get_data(as_text=True)
    assert "Someone else must close this batch." in page and "Close this batch<" not in page
    page = client.get(f"/petugas/meja/batch/{office['batch_id']}/tutup").get_data(as_text=True)
    assert "Someone else must close this batch" in page and "<form method=\"post\" action=\"/petugas/meja/batch" not in page
    expected = "Only a supervisor can close" if who == "an officer" else "You entered 1 of this batch"
    assert expected in page
    assert client.post(f"/petugas/meja/batch/{office['batch_id']}/tutup").status_code == 403
    with app.app_context():
        assert Batch.get_by_id(office["batch_id"]).status == "open"
        assert not AuditEntry.select().where(AuditEntry.action == "batch.closed").exists()


def test_a_supervisor_of_another_office_does_not_see_the_batch(app, office, make_staff):
    make_staff("supervisor", email="kepala@lain.id", office_code="DISNAKER-3273")
    client = signed_in(app, "kepala@lain.id")
    for path in ("", "/tutup", "/rekap", "/ekspor.csv", "/riwayat"):
        assert client.get(f"/petugas/meja/batch/{office['batch_id']}{path}").status_code == 404, path
    assert client.post(f"/petugas/meja/batch/{office['batch_id']}/tutup").status_code == 404
    assert client.get(f"/petugas/meja/catatan/{office['records'][0].id}/riwayat").status_code == 404
    with app.app_context():
        assert Batch.get_by_id(office["batch_id"]).status == "open"


def test_an_incomplete_record_blocks_closing(app, office):
    with app.app_context():
        blocker = walkin(office["officer"], complete=False)
    client = signed_in(app, "kepala@kantor.id")
    page = client.get(f"/petugas/meja/batch/{office['batch_id']}/tutup").get_data(as_text=True)
    assert "This batch cannot be closed yet" in page
    assert blocker.reference in page and f"{blocker.full_name}: Applicant statement signed" in page
    response = client.post(f"/petugas/meja/batch/{office['batch_id']}/tutup")
    assert response.status_code == 303
    assert "1 records are not complete yet." in client.get(response.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        assert Batch.get_by_id(office["batch_id"]).status == "open"
        assert {r.status for r in Application.select()} == {"entered"}
        # Withdrawing the record unblocks the batch; the withdrawn record is not sent.
        withdraw_walkin(Application.get_by_id(blocker.id), Account.get_by_id(office["officer"].id), "entered_twice")
    close_as_supervisor(app, office)
    with app.app_context():
        assert Batch.get_by_id(office["batch_id"]).record_count == 5
        assert Application.get_by_id(blocker.id).status == "withdrawn"


def test_an_empty_batch_cannot_be_closed(app, make_staff):
    supervisor = make_staff("supervisor", email="kepala@kantor.id")
    with app.app_context():
        batch = batches.open_batch(supervisor.office)
        with pytest.raises(DomainError):
            batches.close(batch, supervisor)
        assert Batch.get_by_id(batch.id).status == "open"


def test_closing_twice_closes_once(app, office):
    client = close_as_supervisor(app, office)
    with app.app_context():
        first = Batch.get_by_id(office["batch_id"])
    again = client.post(f"/petugas/meja/batch/{office['batch_id']}/tutup")
    assert again.headers["Location"] == f"/petugas/meja/batch/{office['batch_id']}"
    with app.app_context():
        batch = Batch.get_by_id(office["batch_id"])
        assert (batch.closed_at, batch.document_number) == (first.closed_at, first.document_number)
        assert AuditEntry.select().where(AuditEntry.action == "batch.closed").count() == 1
        with pytest.raises(DomainError):
            batches.close(batch, office["supervisor"])


def test_two_supervisors_racing_close_the_batch_once(app, office, make_staff):
    second = make_staff("supervisor", email="kepala3@kantor.id", name="Wati Pengawas")
    supervisors = [office["supervisor"], second] * 3
    outcomes = []

    def close(supervisor):
        with app.app_context():
            try:
                batches.close(Batch.get_by_id(office["batch_id"]), supervisor)
                outcomes.append("closed")
            except DomainError:
                outcomes.append("refused")
            finally:
                db.close()

    at_once(close, supervisors)
    assert sorted(outcomes) == ["closed"] + ["refused"] * 5
    with app.app_context():
        batch = Batch.get_by_id(office["batch_id"])
        assert batch.status == "closed" and batches.manifest_matches(batch)
        assert AuditEntry.select().where(AuditEntry.action == "application.closed").count() == 5
        assert AuditEntry.select().where(AuditEntry.action == "batch.closed").count() == 1
        assert audit.verify().ok


def printed_manifest(page):
    count = re.search(r'id="manifest-count">(\d+)<', page).group(1)
    return int(count), re.search(r'id="manifest-sha256">([0-9a-f]{64})<', page).group(1)


def test_the_csv_export_recomputes_to_the_printed_manifest(app, office):
    client = close_as_supervisor(app, office)
    printed = printed_manifest(client.get(f"/petugas/meja/batch/{office['batch_id']}/bast").get_data(as_text=True))
    response = client.get(f"/petugas/meja/batch/{office['batch_id']}/ekspor.csv")
    assert response.mimetype == "text/csv" and "attachment" in response.headers["Content-Disposition"]
    lines = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    comments = [row for row in lines if row and row[0].startswith("#")]
    header, *rows = [row for row in lines if row and not row[0].startswith("#")]
    assert header == EXPORT_FIELDS
    assert (len(rows), digest(rows)) == printed
    assert f"records={printed[0]} sha256={printed[1]}" in comments[1][0]
    assert sorted(row[0] for row in rows) == sorted(r.reference for r in office["records"])


def test_the_xlsx_export_recomputes_to_the_printed_manifest(app, office):
    client = close_as_supervisor(app, office)
    printed = printed_manifest(client.get(f"/petugas/meja/batch/{office['batch_id']}/rekap").get_data(as_text=True))
    response = client.get(f"/petugas/meja/batch/{office['batch_id']}/ekspor.xlsx")
    assert response.headers["Content-Disposition"].endswith('.xlsx"')
    book = openpyxl.load_workbook(io.BytesIO(response.data), read_only=True)
    header, *rows = [["" if v is None else v for v in row] for row in book["data"].iter_rows(values_only=True)]
    assert list(header) == EXPORT_FIELDS
    assert all(isinstance(v, str) for row in rows for v in row)  # a NIK stays text, all 16 digits
    assert (len(rows), digest(rows)) == printed
    facts = dict(book["manifest"].iter_rows(values_only=True))
    assert (int(facts["record_count"]), facts["sha256"]) == printed


def test_every_document_carries_the_manifest_and_is_audited(app, office):
    client = close_as_supervisor(app, office)
    with app.app_context():
        batch = Batch.get_by_id(office["batch_id"])
    for path, text in [("rekap", "By village (KTP address)"), ("pernyataan", "SPKD/3201/"),
                       ("bast", "Second party: receiving official")]:
        page = client.get(f"/petugas/meja/batch/{batch.id}/{path}").get_data(as_text=True)
        assert text in page, path
        assert printed_manifest(page) == (5, batch.manifest_sha256), path
        assert batch.document_number in page
    client.get(f"/petugas/meja/batch/{batch.id}/ekspor.csv")
    client.get(f"/petugas/meja/batch/{batch.id}/ekspor.xlsx")
    with app.app_context():
        actions = [e.action for e in AuditEntry.select().where(AuditEntry.target_type == "batch")
                   .order_by(AuditEntry.seq)]
    assert actions == ["batch.closed", "batch.recap_printed", "batch.statement_printed", "batch.handover_printed",
                       "batch.csv_exported", "batch.xlsx_exported"]
    log = client.get(f"/petugas/meja/batch/{batch.id}/riwayat").get_data(as_text=True)
    assert "Records exported as CSV" in log and "Hendra Pengawas" in log


def test_the_recap_counts_by_village_sex_education_and_employment(app, office):
    client = close_as_supervisor(app, office)
    page = client.get(f"/petugas/meja/batch/{office['batch_id']}/rekap").get_data(as_text=True)
    with app.app_context():
        people = list(Application.select())
    women = sum(p.sex == "P" for p in people)
    assert f"<tbody><tr><td>{women}</td><td>{5 - women}</td><td>5</td></tr></tbody>" in page
    assert "Cibinong, Cibinong, Kabupaten Bogor, Jawa Barat" in page
    assert "Senior or vocational high school (SMA/SMK)" in page and "Looking for work" in page
    assert page.count('<tr><th scope="row">Total</th>') == 3


def test_documents_do_not_exist_while_the_batch_is_open(app, office):
    client = signed_in(app, "kepala@kantor.id")
    for path in ("rekap", "pernyataan", "bast", "ekspor.csv", "ekspor.xlsx"):
        assert client.get(f"/petugas/meja/batch/{office['batch_id']}/{path}").status_code == 404, path


def test_the_audit_log_of_a_record_names_fields_never_values(app, office):
    close_as_supervisor(app, office)
    record = office["records"][0]
    client = signed_in(app, "petugas@kantor.id")
    detail = client.get(f"/petugas/meja/data/{record.reference}").get_data(as_text=True)
    assert f'href="/petugas/meja/catatan/{record.id}/riwayat"' in detail
    page = client.get(f"/petugas/meja/catatan/{record.id}/riwayat").get_data(as_text=True)
    assert "Walk-in entered at the desk" in page and "Rina Petugas" in page
    assert "Batch closed and sent to the ministry" in page and "Hendra Pengawas" in page
    assert record.reference in page
    for value in (record.nik, record.full_name, record.phone, record.kk_number):
        assert value not in page


def test_audit_verify_fails_after_a_closed_batch_entry_is_edited_in_sql(app, office, runner):
    close_as_supervisor(app, office)
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0
    with app.app_context():
        seq = AuditEntry.get(AuditEntry.action == "batch.closed").seq
        db.execute_sql(f"UPDATE audit_entry SET actor_id = actor_id + 1 WHERE seq = {seq}")
        db.close()
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code != 0 and f"BROKEN at entry {seq}" in result.output


def test_document_numbers_count_on_within_the_office_and_year(app, office, make_staff):
    close_as_supervisor(app, office)
    with app.app_context():
        record = walkin(office["officer"])
        second = batches.close(record.batch, office["supervisor"])
        first = Batch.get_by_id(office["batch_id"])
    assert first.document_number[:-4] == second.document_number[:-4]
    assert (first.document_number[-4:], second.document_number[-4:]) == ("0001", "0002")


def test_seed_demo_gives_the_demo_office_a_closed_batch_once(app, runner):
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    with app.app_context():
        [batch] = Batch.select().where(Batch.status == "closed")
        assert batch.office.code == "DISNAKER-3201" and batch.record_count == 5
        assert batches.manifest_matches(batch) and audit.verify().ok
        assert batch.closed_by.email == "penyelia@contoh.id"
        assert {r.entered_by.email for r in batch.applications} == {"petugas@contoh.id"}
    assert batch.document_number in first.output


def test_a_record_saved_while_the_batch_closes_is_in_it_or_in_the_next(app, office):
    """The desk holds the open batch while it saves a record; a supervisor closing meanwhile waits for it
    (PostgreSQL: the row lock) or the record goes into the next batch; never an entered record in a closed
    batch."""
    holding = threading.Event()

    def desk():
        with app.app_context():
            with batches.write_transaction():
                batch = batches.open_batch(office["officer"].office)
                holding.set()
                time.sleep(0.5)  # the supervisor presses Close meanwhile
                assert walkin(office["officer"]).batch_id == batch.id
            db.close()

    def supervisor():
        holding.wait()
        with app.app_context():
            batches.close(Batch.get_by_id(office["batch_id"]), office["supervisor"])
            db.close()

    threads = [threading.Thread(target=desk), threading.Thread(target=supervisor)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with app.app_context():
        batch = Batch.get_by_id(office["batch_id"])
        assert batch.status == "closed" and batches.manifest_matches(batch)
        stray = Application.select().where(Application.batch == batch, Application.status == "entered").count()
        assert stray == 0 and batch.record_count == 6
        assert batches.open_batch(office["officer"].office).number == 2

"""A supervisor closes the office's batch in Debian's Chromium, with JavaScript on and off, then opens the
recap, the statement of data truth and the handover record, and downloads the CSV, whose recomputed manifest
is the one printed. Every page is screenshotted and checked with axe-core."""

import csv
import io
import re

import pytest
from playwright.sync_api import expect

from batch_support import walkins
from browser_support import browser, journeys, live_server, staff_log_in, translated  # noqa: F401
from conftest import create_staff
from portal.models import Batch
from portal.rules.manifest import EXPORT_FIELDS, digest

pytestmark = pytest.mark.browser
MODES = pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])


@MODES
def test_a_supervisor_closes_the_batch_and_prints_its_documents(journeys, javascript, app):
    officer = create_staff(app, "officer", "petugas@kantor.id", name="Rina Petugas")
    create_staff(app, "supervisor", "kepala@kantor.id", name="Hendra Pengawas")
    records = walkins(app, officer, 3)
    batch_id = records[0].batch_id
    j = journeys(javascript, label="batch")
    page = j.page

    staff_log_in(app, j, "kepala@kantor.id")
    page.get_by_role("link", name=translated(app, "Batches"), exact=True).click()
    j.arrive("/petugas/meja/batch")
    j.check("batches")
    page.get_by_role("link", name=translated(app, "See the records of batch %(number)d and close it") % {"number": 1}, exact=True).click()
    j.arrive(f"/petugas/meja/batch/{batch_id}")
    expect(page.locator("main table tbody tr")).to_have_count(3)
    j.check("batch-open")

    page.get_by_role("link", name=translated(app, "Close this batch"), exact=True).click()
    j.arrive(f"/petugas/meja/batch/{batch_id}/tutup")
    j.check("close-confirm")
    j.submit(page.get_by_role("button", name=translated(app, "Close and send the batch")),
             f"/petugas/meja/batch/{batch_id}")
    expect(page.locator(".notice--success")).to_be_visible()
    sha256 = page.locator("#manifest-sha256").inner_text()
    with app.app_context():
        batch = Batch.get_by_id(batch_id)
        assert (batch.status, batch.manifest_sha256) == ("closed", sha256)
    j.check("batch-closed")

    for link, path, name in [("Recap (rekapitulasi)", "rekap", "recap"),
                             ("Statement of data truth", "pernyataan", "statement"),
                             ("Handover record (BAST)", "bast", "handover")]:
        page.get_by_role("link", name=translated(app, link), exact=True).click()
        j.arrive(f"/petugas/meja/batch/{batch_id}/{path}")
        expect(page.locator("#manifest-sha256")).to_have_text(sha256)
        expect(page.locator("main")).to_contain_text(batch.document_number.split("/", 1)[1])
        j.check(name)
        page.get_by_role("link", name=translated(app, "Back to the batch"), exact=True).click()
        j.arrive(f"/petugas/meja/batch/{batch_id}")

    with page.expect_download() as download:
        page.get_by_role("link", name=translated(app, "Records as CSV"), exact=True).click()
    text = download.value.path().read_text(encoding="utf-8-sig")
    rows = [row for row in csv.reader(io.StringIO(text)) if row and not row[0].startswith("#")]
    assert rows[0] == EXPORT_FIELDS
    assert (len(rows) - 1, digest(rows[1:])) == (3, sha256)
    assert re.search(rf"sha256={sha256}", text)
    j.assert_clean()

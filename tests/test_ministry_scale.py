"""Benchmark: a batch of many walk-ins reviewed in bulk, ratified and exported over HTTP, with timings and the
review pages' weights printed.

The suite runs it with 500 records; the issue's figure is 10,000 on PostgreSQL:

    PORTAL_BENCH_RECORDS=10000 PORTAL_TEST_DATABASE_URL=postgresql://... make test PYTEST_ARGS="-m bench -s"

With 10,000 records or more each step must finish in under 10 s (issue 10, Deliver 4).
"""

import datetime
import gzip
import os
import time

import pytest
from ministry_support import make_closed_batch

from conftest import PG_URL
from portal.models import Application, Quota
from portal.rules import status

pytestmark = pytest.mark.bench
RECORDS = int(os.environ.get("PORTAL_BENCH_RECORDS", "500"))
LIMIT_S = 10.0
PAGE_BUDGET = 12 * 1024


def test_review_ratify_and_export_a_large_batch(app, make_staff, staff_login, capsys):
    make_staff("reviewer")
    started = time.perf_counter()
    batch = make_closed_batch(app, RECORDS, village="32.01.01.1006")
    with app.app_context():
        Quota.create(province_code="32", starts_on=datetime.date(2026, 1, 1), ends_on=datetime.date(2026, 12, 31),
                     amount=RECORDS - 100)
        # Twenty records share a KK with another: they stay for one-by-one review.
        for n in range(0, 40, 2):
            Application.update(kk_number=f"320101{n + 1:010d}").where(
                Application.reference == f"PK-0000-{n + 1:04d}").execute()
        from portal.models import Batch
        from portal.services.batches import compute_manifest

        Batch.update(manifest_sha256=compute_manifest(batch)[1]).where(Batch.id == batch.id).execute()
    setup_s = time.perf_counter() - started
    client = app.test_client()
    assert staff_login(client, "reviewer@kantor.id").status_code == 303
    base = f"/kementerian/batch/{batch.id}"
    timings, weights = [], []

    def timed(name, method, url, data=None, expect=200):
        begin = time.perf_counter()
        response = client.open(url, method=method, data=data)
        body = response.get_data()
        elapsed = time.perf_counter() - begin
        assert response.status_code == expect, (name, response.status_code)
        timings.append((name, elapsed, len(body)))
        if response.mimetype == "text/html":
            weights.append((name, len(gzip.compress(body, 9))))
        return response

    timed("open batch (first manifest check)", "GET", base)
    timed("open batch again (record check)", "GET", base)
    timed("queue page 1", "GET", f"{base}/antrean")
    timed("queue page 200", "GET", f"{base}/antrean?page=200")
    timed("queue: warnings only", "GET", f"{base}/antrean?lihat=warnings")
    timed("bulk accept: confirmation", "GET", f"{base}/terima-semua")
    clean = RECORDS - 40
    timed("bulk accept", "POST", f"{base}/terima-semua", {"expected": str(clean)}, expect=303)
    with app.app_context():
        undecided = [a.id for a in Application.select().where(Application.status == status.CLOSED)]
    assert len(undecided) == 40
    for record_id in undecided:
        client.post(f"{base}/data/{record_id}", data={"decision": "accept"})
    timed("record page", "GET", f"{base}/data/{undecided[0]}")
    timed("ratify: preview", "GET", f"{base}/penetapan")
    form = {"action": "ratify", "decree_number": "KEP.99/BENCH/2026", "decree_date-day": "20",
            "decree_date-month": "11", "decree_date-year": "2026"}
    decree_url = timed("ratify", "POST", f"{base}/penetapan", form, expect=303).headers["Location"]
    timed("export CSV", "GET", f"{decree_url}/daftar.csv")
    timed("export XLSX", "GET", f"{decree_url}/daftar.xlsx")
    timed("printable list", "GET", decree_url)
    timed("decided records page", "GET", f"{base}/antrean?lihat=decided")
    with app.app_context():
        assert Application.select().where(Application.status == status.RATIFIED).count() == RECORDS - 100
        assert Application.select().where(Application.status_reason == "over_quota").count() == 100

    lines = ["", f"Ministry benchmark: {RECORDS:,} records on {'PostgreSQL' if PG_URL else 'SQLite'} "
                 f"(setup {setup_s:.1f} s)", f"{'step':<36} {'seconds':>8} {'bytes':>12}"]
    lines += [f"{name:<36} {elapsed:>8.2f} {size:>12,}" for name, elapsed, size in timings]
    lines += ["", f"{'review page (gzip -9)':<36} {'bytes':>8}"]
    lines += [f"{name:<36} {size:>8,}" for name, size in weights]
    with capsys.disabled():
        print("\n".join(lines))
    over = [name for name, size in weights if size > PAGE_BUDGET and name != "printable list"]
    assert not over, f"review pages over 12 KB: {over}"
    if RECORDS >= 10_000:
        slow = [f"{name}: {elapsed:.1f} s" for name, elapsed, _ in timings if elapsed > LIMIT_S]
        assert not slow, f"over {LIMIT_S} s: {slow}"

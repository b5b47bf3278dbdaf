"""The offline channel end to end in Debian's Chromium, with JavaScript on and off, as new users would try it.

Issue 9: an officer keys three paper forms by keyboard alone, a supervisor closes the batch, and the recap,
CSV, XLSX, statement of data truth and handover record (BAST) all carry the one manifest, which the
downloads recompute; `flask audit verify` proves the chain. The seconds one form takes and the page sizes
are printed.

Issue 10: three walk-ins go office -> ministry (two accepted, one returned with a reason) -> office (corrected,
re-entered into the next batch, closed) -> ministry (accepted) -> ratification within the administrator's
quota -> PMO (when its confirmation screens are there); one person claims an account at /klaim with the SMS
code and sees the same status; the public status page shows only the status and its reason; the
notifications for returned / ratified / confirmed go out by email and SMS.

Every page is screenshotted and checked with axe-core.
"""

import datetime
import re
import time

import pytest
from playwright.sync_api import expect

from browser_support import browser, journeys, live_server, path_of, translated, wait_for_mail  # noqa: F401
from chain_support import (REFERENCE, Scale, csv_rows, download, enter, key_paper_form, look, sign_in, tab_to,
                           type_into, xlsx_book)
from conftest import body, create_staff
from portal import outbox
from portal.models import Application, Batch
from portal.rules import status
from portal.rules.manifest import EXPORT_FIELDS, digest
from test_browser_ministry import choose

pytestmark = pytest.mark.browser
MODES = pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])

PEOPLE = [("Siti Aminah", "3201 0101 0123 0001"), ("Dewi Lestari", "3201 0101 0123 0002"),
          ("Rina Marlina", "3201 0101 0123 0003")]


def key_three_forms(app, j, scale, first_serial, emails=("", "", "")):
    """The officer, already at the desk, keys three paper forms; returns their references and the seconds each
    took."""
    page = j.page
    references, seconds = [], []
    for n, (name, kk) in enumerate(PEOPLE):
        serial = first_serial + n
        if n == 0:
            tab_to(page, "main a[href='/petugas/meja/baru']")
            enter(j, "/petugas/meja/baru")
            look(j, scale, "entry")
        else:
            j.goto("/petugas/meja/baru")
        took, searched = key_paper_form(j, serial, name, kk, f"0812 345{serial:05d}", email=emails[n])
        seconds.append(took)
        expect(page.locator("main")).to_contain_text(name)
        references.append(REFERENCE.search(page.url).group(0))
        if n == 0:
            look(j, scale, "saved")
    return references, seconds, searched


@MODES
def test_an_office_keys_three_forms_and_closes_the_batch_with_one_manifest(journeys, javascript, app, villages,
                                                                         capsys):
    """Issue 9, done when."""
    create_staff(app, "officer", "petugas@kantor.id", name="Rina Petugas")
    create_staff(app, "supervisor", "kepala@kantor.id", name="Hendra Pengawas")
    mode = "JS on" if javascript else "JS off"

    # The officer: keyboard only.
    j = journeys(javascript, label="chain9-officer")
    j.app = app
    scale = Scale(j)
    page = j.page
    sign_in(app, j, "petugas@kantor.id")
    look(j, scale, "home")
    tab_to(page, "main a[href='/petugas/meja/']")
    enter(j, "/petugas/meja/")
    look(j, scale, "desk")
    references, seconds, searched = key_three_forms(app, j, scale, first_serial=10 if javascript else 20)
    tab_to(page, f"main a[href='/petugas/meja/data/{references[-1]}/tanda-terima']")
    enter(j, f"/petugas/meja/data/{references[-1]}/tanda-terima")
    look(j, scale, "receipt")
    j.goto(f"/petugas/meja/data/{references[-1]}/pernyataan")
    look(j, scale, "applicant-statement")
    with app.app_context():
        records = list(Application.select().where(Application.reference.in_(references)))
        assert len({r.batch_id for r in records}) == 1, "the three walk-ins joined the office's one open batch"
        batch_id = records[0].batch_id
    j.assert_clean()

    # The supervisor of the same office, who entered none of them, closes the batch.
    s = journeys(javascript, label="chain9-supervisor")
    s.app = app
    scale_s = Scale(s)
    page = s.page
    sign_in(app, s, "kepala@kantor.id")
    page.get_by_role("link", name=translated(app, "Batches"), exact=True).click()
    s.arrive("/petugas/meja/batch")
    look(s, scale_s, "batches")
    s.goto(f"/petugas/meja/batch/{batch_id}")
    expect(page.locator("main table tbody tr")).to_have_count(3)
    look(s, scale_s, "batch-open")
    page.get_by_role("link", name=translated(app, "Close this batch"), exact=True).click()
    s.arrive(f"/petugas/meja/batch/{batch_id}/tutup")
    look(s, scale_s, "close-confirm")
    s.submit(page.get_by_role("button", name=translated(app, "Close and send the batch")),
             f"/petugas/meja/batch/{batch_id}")
    expect(page.locator(".notice--success")).to_be_visible()
    count = int(page.locator("#manifest-count").inner_text())
    sha256 = page.locator("#manifest-sha256").inner_text()
    assert count == 3 and re.fullmatch(r"[0-9a-f]{64}", sha256)
    with app.app_context():
        batch = Batch.get_by_id(batch_id)
        assert (batch.status, batch.record_count, batch.manifest_sha256) == ("closed", 3, sha256)
    look(s, scale_s, "batch-closed")

    for link, path, name in [("Recap (rekapitulasi)", "rekap", "recap"),
                             ("Statement of data truth", "pernyataan", "statement"),
                             ("Handover record (BAST)", "bast", "handover")]:
        page.get_by_role("link", name=translated(app, link), exact=True).click()
        s.arrive(f"/petugas/meja/batch/{batch_id}/{path}")
        expect(page.locator("#manifest-sha256")).to_have_text(sha256)
        expect(page.locator("#manifest-count")).to_have_text("3")
        expect(page.locator("main")).to_contain_text(batch.document_number.split("/", 1)[1])
        look(s, scale_s, name)
        page.get_by_role("link", name=translated(app, "Back to the batch"), exact=True).click()
        s.arrive(f"/petugas/meja/batch/{batch_id}")

    rows, text = csv_rows(download(s, translated(app, "Records as CSV")))
    assert rows[0] == EXPORT_FIELDS
    assert (len(rows) - 1, digest(rows[1:])) == (3, sha256), "the CSV recomputes to the printed manifest"
    assert f"sha256={sha256}" in text
    assert sorted(dict(zip(rows[0], row))["reference"] for row in rows[1:]) == sorted(references)
    rows, facts = xlsx_book(download(s, translated(app, "Records as XLSX")))
    assert list(rows[0]) == EXPORT_FIELDS
    assert (len(rows) - 1, digest(rows[1:])) == (3, sha256), "the XLSX recomputes to the printed manifest"
    assert (int(facts["record_count"]), facts["sha256"]) == (3, sha256)
    s.assert_clean()

    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output

    with capsys.disabled():
        print(f"\n[{mode}] keyboard-only entry of one paper form: "
              + ", ".join(f"{t:.1f} s" for t in seconds)
              + f" (village {'found by typing its name' if searched else 'chosen from the four lists'})")
        print(f"[{mode}] officer pages: {scale.report()}")
        print(f"[{mode}] supervisor pages: {scale_s.report()}")
        print(f"[{mode}] audit verify: {result.output.strip()}")


def review_batch(app, j, scale, batch_id, decisions, name):
    """The reviewer opens a closed batch (its manifest re-checked), goes through its queue by keyboard and
    decides each record: `decisions` maps a record id to None (accept) or (reason, note) (return)."""
    page = j.page
    tab_to(page, f"main a[href='/kementerian/batch/{batch_id}']")
    enter(j, f"/kementerian/batch/{batch_id}")
    expect(page.locator(".notice--success")).to_contain_text(
        translated(app, "Manifest checked: the %(count)d records are exactly those the office signed.")
        % {"count": len(decisions)})
    look(j, scale, f"{name}-batch")
    tab_to(page, f"main a[href='/kementerian/batch/{batch_id}/antrean']")
    enter(j, f"/kementerian/batch/{batch_id}/antrean")
    look(j, scale, f"{name}-queue")
    ids = list(decisions)
    tab_to(page, f"main a.button[href='/kementerian/batch/{batch_id}/data/{ids[0]}']")
    enter(j, f"/kementerian/batch/{batch_id}/data/{ids[0]}")
    look(j, scale, f"{name}-record")
    for n, record_id in enumerate(ids):
        following = f"/kementerian/batch/{batch_id}/data/{ids[n + 1]}" if n + 1 < len(ids) else f"/kementerian/batch/{batch_id}"
        if decisions[record_id] is None:
            choose(page, "decision", "decision-0")
        else:
            reason, note = decisions[record_id]
            choose(page, "decision", "decision-1")
            tab_to(page, "#reason")
            page.select_option("#reason", reason)  # a select: the keyboard's type-ahead, as Playwright does it
            type_into(page, "#note", note)
        tab_to(page, "main form button")
        enter(j, following)
    expect(page.locator("main")).to_contain_text(
        translated(app, "Every record of this batch is decided. You can ratify it now."))
    look(j, scale, f"{name}-decided")


def ratify(app, j, scale, batch_id, decree, count, name):
    page = j.page
    tab_to(page, f"main a[href='/kementerian/batch/{batch_id}/penetapan']")
    enter(j, f"/kementerian/batch/{batch_id}/penetapan")
    look(j, scale, f"{name}-ratify")
    type_into(page, "#decree_number", decree)
    today = datetime.date.today()
    for part, value in (("day", today.day), ("month", today.month), ("year", today.year)):
        tab_to(page, f"#decree_date-{part}")
        page.keyboard.press("Control+A")
        page.keyboard.type(str(value))
    tab_to(page, "main form button[value=ratify]")
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_contain_text(decree)
    j.settle()
    expect(page.locator("main table tbody tr")).to_have_count(count)
    look(j, scale, f"{name}-decree")
    return page.url


def close_batch(app, s, scale, batch_id, count, name):
    page = s.page
    s.goto(f"/petugas/meja/batch/{batch_id}")
    expect(page.locator("main table tbody tr")).to_have_count(count)
    page.get_by_role("link", name=translated(app, "Close this batch"), exact=True).click()
    s.arrive(f"/petugas/meja/batch/{batch_id}/tutup")
    look(s, scale, f"{name}-close")
    s.submit(page.get_by_role("button", name=translated(app, "Close and send the batch")),
             f"/petugas/meja/batch/{batch_id}")
    expect(page.locator(".notice--success")).to_be_visible()
    look(s, scale, f"{name}-closed")


def told(app, mailbox, sms, records, label, timeout=5.0):
    """Each record's person got an SMS naming the new status, and an email when they gave an address."""
    label = translated(app, label)
    for record in records:
        deadline = time.monotonic() + timeout
        while not any(record.reference in text and label in text for text in sms.texts_to(record.phone)):
            assert time.monotonic() < deadline, f"no SMS '{label}' to {record.reference}"
            time.sleep(0.05)
        while record.contact_email and not any(
                record.reference in body(msg) and label in body(msg) for msg in mailbox.to(record.contact_email, 0)):
            assert time.monotonic() < deadline, f"no email '{label}' to {record.reference}"
            time.sleep(0.05)


def check_status(app, j, scale, record, name, shown, reason=None):
    """The public status page, by reference and date of birth: the status name and its reason, nothing personal."""
    page = j.page
    j.goto("/status")
    type_into(page, "#reference", record.reference)
    type_into(page, "#birth_date-day", str(record.birth_date.day))
    type_into(page, "#birth_date-month", str(record.birth_date.month))
    type_into(page, "#birth_date-year", str(record.birth_date.year))
    tab_to(page, "main form button")
    with page.expect_response(lambda r: r.request.method == "POST"):
        page.keyboard.press("Enter")
    j.settle()
    main = page.locator("main")
    expect(main).to_contain_text(translated(app, shown))
    if reason:
        expect(main).to_contain_text(translated(app, reason))
    text = main.inner_text()
    for personal in (record.full_name, record.nik, record.phone[-8:], record.kk_number, "Cibinong", "Bogor"):
        assert personal not in text, f"the status page shows {personal!r}"
    look(j, scale, name)


@MODES
def test_three_walkins_go_from_the_office_through_the_ministry_and_one_claims_an_account(
        journeys, javascript, app, villages, mailbox, sms, capsys):
    """Issue 10, done when."""
    create_staff(app, "officer", "petugas@kantor.id", name="Rina Petugas")
    create_staff(app, "supervisor", "kepala@kantor.id", name="Hendra Pengawas")
    create_staff(app, "reviewer", "verifikator@kemnaker.go.id", name="Maya Verifikator")
    create_staff(app, "admin", "admin@kemnaker.go.id", name="Andi Admin")
    mode = "JS on" if javascript else "JS off"
    serial = 30 if javascript else 40
    emails = ("", f"dewi{serial}@contoh.id", f"rina{serial}@contoh.id")

    # The administrator sets the province's quota for the year.
    a = journeys(javascript, label="chain10-admin")
    scale_a = Scale(a)
    page = a.page
    sign_in(app, a, "admin@kemnaker.go.id")
    a.goto("/admin/kuota")
    look(a, scale_a, "quotas")
    year = datetime.date.today().year
    page.select_option("#province", "32")
    for field, value in (("starts_on-day", 1), ("starts_on-month", 1), ("starts_on-year", year),
                         ("ends_on-day", 31), ("ends_on-month", 12), ("ends_on-year", year), ("amount", 5)):
        page.fill(f"#{field}", str(value))
    a.submit(page.get_by_role("button", name=translated(app, "Save the quota")), "/admin/kuota")
    expect(page.locator("main table")).to_contain_text("Jawa Barat")
    look(a, scale_a, "quota-set")
    a.assert_clean()

    # The office keys three walk-ins (keyboard only); the supervisor closes the batch.
    o = journeys(javascript, label="chain10-officer")
    o.app = app
    scale_o = Scale(o)
    sign_in(app, o, "petugas@kantor.id")
    tab_to(o.page, "main a[href='/petugas/meja/']")
    enter(o, "/petugas/meja/")
    references, _, _ = key_three_forms(app, o, scale_o, first_serial=serial, emails=emails)
    with app.app_context():
        records = {r.reference: r for r in Application.select().where(Application.reference.in_(references))}
        first_batch = records[references[0]].batch_id
    s = journeys(javascript, label="chain10-supervisor")
    scale_s = Scale(s)
    sign_in(app, s, "kepala@kantor.id")
    close_batch(app, s, scale_s, first_batch, 3, "batch1")

    # The ministry: accept two, return Dewi's with a reason.
    siti, dewi, rina = (records[r] for r in references)
    r = journeys(javascript, label="chain10-reviewer")
    scale_r = Scale(r)
    sign_in(app, r, "verifikator@kemnaker.go.id")
    tab_to(r.page, "main a[href='/kementerian/']")
    enter(r, "/kementerian/")
    look(r, scale_r, "ministry")
    with app.app_context():
        queue = [a.id for a in Application.select().where(Application.batch == first_batch).order_by(Application.reference)]
    note = "Nomor KK tidak sama dengan Kartu Keluarga"
    review_batch(app, r, scale_r, first_batch,
                 {i: (("nik_kk", note) if i == dewi.id else None) for i in queue}, "batch1")
    with app.app_context():
        states = {a.reference: (a.status, a.status_reason) for a in Application.select()}
    assert states == {siti.reference: (status.ACCEPTED, None), dewi.reference: (status.RETURNED, "nik_kk"),
                      rina.reference: (status.ACCEPTED, None)}
    # Dewi hears of it by email and SMS, and the status page says why, with nothing personal.
    told(app, mailbox, sms, (dewi,), "Returned to the office")
    p = journeys(javascript, label="chain10-public")
    scale_p = Scale(p)
    check_status(app, p, scale_p, dewi, "status-returned", "Returned to the office",
                 reason="A problem with the NIK or KK number")
    decree_1 = ratify(app, r, scale_r, first_batch, "KEP.21/LATTAS/XI/2026", 2, "batch1")

    # The office corrects the returned record and enters it into its next batch; the supervisor closes it.
    page = o.page
    o.goto("/petugas/meja/dikembalikan")
    expect(page.locator("main")).to_contain_text(dewi.reference)
    look(o, scale_o, "returned")
    tab_to(page, f"main a[href='/petugas/meja/dikembalikan/{dewi.id}']")
    enter(o, f"/petugas/meja/dikembalikan/{dewi.id}")
    expect(page.locator("main")).to_contain_text(note)
    look(o, scale_o, "returned-record")
    tab_to(page, f"main a[href='/petugas/meja/data/{dewi.reference}/ubah']")
    enter(o, f"/petugas/meja/data/{dewi.reference}/ubah")
    look(o, scale_o, "correct")
    tab_to(page, "#kk_number")
    page.keyboard.press("Control+A")
    page.keyboard.type("3201 0101 0123 0009")
    tab_to(page, "main form button.button:not([value])")
    enter(o, f"/petugas/meja/data/{dewi.reference}")  # a corrected returned record joins the open batch
    look(o, scale_o, "corrected")
    o.goto("/petugas/meja/dikembalikan")
    expect(page.locator("main")).not_to_contain_text(dewi.reference)
    with app.app_context():
        again = Application.get_by_id(dewi.id)
        assert (again.status, again.kk_number) == (status.ENTERED, "3201010101230009")
        second_batch = again.batch_id
        assert second_batch != first_batch
        assert Batch.get_by_id(first_batch).status != "open"
    close_batch(app, s, scale_s, second_batch, 1, "batch2")
    s.assert_clean()

    # The ministry accepts it and ratifies the second batch.
    r.goto("/kementerian/")
    review_batch(app, r, scale_r, second_batch, {dewi.id: None}, "batch2")
    decree_2 = ratify(app, r, scale_r, second_batch, "KEP.22/LATTAS/XI/2026", 1, "batch2")
    with app.app_context():
        outbox.sweep()  # the queue's sweep hands a ratification's messages to the workers
        assert {a.reference: a.status for a in Application.select()} == dict.fromkeys(references, status.RATIFIED)
    told(app, mailbox, sms, (siti, dewi, rina), "Ratified")
    # The decree's list and exports carry a manifest.
    r.page.goto(decree_2)
    r.settle()
    rows, _text = csv_rows(download(r, translated(app, "Download CSV")))
    assert [dict(zip(rows[0], row))["reference"] for row in rows[1:]] == [dewi.reference]
    r.assert_clean()

    # The PMO checks them like online applicants and confirms them: the first list with one action, the second
    # record by record.
    create_staff(app, "pmo", "pmo@prakerja.go.id", name="Putri PMO")
    m = journeys(javascript, label="chain10-pmo")
    scale_m = Scale(m)
    page = m.page
    sign_in(app, m, "pmo@prakerja.go.id")
    m.goto("/pmo/")
    look(m, scale_m, "ratified-lists")
    tab_to(page, f"main a[href='/pmo/batch/{first_batch}']")
    enter(m, f"/pmo/batch/{first_batch}")
    expect(page.locator("main")).to_contain_text(translated(app, "No warning"))
    look(m, scale_m, "batch1")
    tab_to(page, f"main a[href='/pmo/batch/{first_batch}/kukuhkan-semua']")
    enter(m, f"/pmo/batch/{first_batch}/kukuhkan-semua")
    look(m, scale_m, "batch1-confirm-all")
    tab_to(page, "main form button")
    enter(m, f"/pmo/batch/{first_batch}")
    expect(page.locator(".notice--success")).to_be_visible()
    look(m, scale_m, "batch1-confirmed")
    m.goto(f"/pmo/batch/{second_batch}")
    tab_to(page, f"form[action='/pmo/catatan/{dewi.id}/kukuhkan'] button")
    page.keyboard.press("Enter")  # back at the list, at the record's row (#record-<id>) without JavaScript
    expect(page).to_have_url(re.compile(rf".*/pmo/batch/{second_batch}(#record-{dewi.id})?$"))
    m.settle()
    expect(page.locator(".notice--success")).to_contain_text(dewi.full_name)
    look(m, scale_m, "batch2-confirmed")
    m.assert_clean()
    with app.app_context():
        outbox.sweep()
        assert {a.reference: a.status for a in Application.select()} == dict.fromkeys(references, status.CONFIRMED)
    told(app, mailbox, sms, (siti, dewi, rina), "Confirmed as a candidate participant")
    confirmed = translated(app, "Confirmed as a candidate participant")

    # Siti claims an online account with the SMS code and sees the status the public page shows.
    c = journeys(javascript, label="chain10-claim")
    scale_c = Scale(c)
    page = c.page
    c.goto("/klaim")
    look(c, scale_c, "claim")
    type_into(page, "#reference", siti.reference)
    type_into(page, "#nik", siti.nik)
    type_into(page, "#birth_date-day", str(siti.birth_date.day))
    type_into(page, "#birth_date-month", str(siti.birth_date.month))
    type_into(page, "#birth_date-year", str(siti.birth_date.year))
    tab_to(page, "main form button")
    enter(c, "/klaim/kode")
    look(c, scale_c, "claim-code")
    type_into(page, "#code", sms.last_code(siti.phone))
    tab_to(page, "main form button:not([formaction])")
    enter(c, "/klaim/akun")
    look(c, scale_c, "claim-account")
    type_into(page, "#email", f"siti{serial}@contoh.id")
    type_into(page, "#password", "kartu-prakerja-siti")
    tab_to(page, "main form button")
    enter(c, "/daftar/cek-email")
    look(c, scale_c, "claim-check-email")
    c.goto(wait_for_mail(mailbox, f"siti{serial}@contoh.id", "/verifikasi/"))
    c.arrive("/masuk")
    type_into(page, "#email", f"siti{serial}@contoh.id")
    type_into(page, "#password", "kartu-prakerja-siti")
    tab_to(page, "main form button")
    enter(c, "/pendaftaran/")
    expect(page.locator("main")).to_contain_text(siti.reference)
    expect(page.locator("main")).to_contain_text(confirmed)
    look(c, scale_c, "claimed-tasks")
    c.assert_clean()
    check_status(app, p, scale_p, siti, "status-confirmed", "Confirmed as a candidate participant")
    p.assert_clean()
    o.assert_clean()

    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output
    with capsys.disabled():
        for who, scale in (("admin", scale_a), ("officer", scale_o), ("supervisor", scale_s), ("reviewer", scale_r),
                           ("pmo", scale_m), ("public", scale_p), ("claim", scale_c)):
            print(f"[{mode}] {who} pages: {scale.report()}")
        print(f"[{mode}] decrees: {path_of(decree_1)}, {path_of(decree_2)}; audit verify: {result.output.strip()}")

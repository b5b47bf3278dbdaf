"""The PMO: ratified lists by batch, each person checked like an online applicant, confirmed or rejected with a
reason (one by one, or all without warnings as one action), and NIK disputes resolved; all audited."""

import re

import pytest

from conftest import PASSWORD, body, create_staff
import wave_support
from portal.models import Account, Application, AuditEntry, Batch, NikDispute, OutboxMessage, WaveEntry, utcnow
from portal.services import audit, selection
from portal.services.passwords import hash_password
from walkin_support import BIRTH_DATE, form_post, nik, office, walkin


def text_of(response):
    html = response.get_data(as_text=True)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html[html.index('<main id="main">'):html.index("</main>")]))


@pytest.fixture
def batch(app):
    with app.app_context():
        return Batch.create(office=office(), number=1, status="ratified", closed_at=utcnow(), record_count=4)


def test_the_ratified_list_shows_each_person_with_the_checks(app, pmo, batch):
    clean = walkin(app, "ratified", batch=batch)
    young = walkin(app, "ratified", batch=batch, not_excluded=False)
    kk = walkin(app, "ratified", batch=batch)
    with app.app_context():  # two people on the same family card were selected in wave 1
        family = [wave_support.make_application(kk=kk.kk_number) for _ in range(2)]
        wave = wave_support.past_wave(1, entries=family)
        WaveEntry.update(outcome="selected").where(WaveEntry.wave == wave.id).execute()
    disputed = walkin(app, "ratified", batch=batch)
    with app.app_context():
        NikDispute.create(nik=disputed.nik, claimant_name="Orang Lain", contact_phone="+6281399990000",
                          office=office(), recorded_by=Account.get())
    listing = text_of(pmo.get("/pmo/"))
    assert "batch 1" in listing and re.search(r"batch 1 4 0 0", listing)
    page = text_of(pmo.get(f"/pmo/batch/{batch.id}"))
    assert "4 records wait for confirmation; 1 of them have no warning" in page
    assert "Declared an occupation that cannot take part" in page
    assert "Two people on the same family card (KK) have already been selected" in page
    assert "An open NIK dispute names this NIK" in page
    assert clean.full_name in page and young.full_name in page


def test_confirm_one_and_a_record_with_warnings_cannot_be_confirmed(app, pmo, batch, sms):
    good = walkin(app, "ratified", batch=batch)
    warned = walkin(app, "ratified", batch=batch, not_in_education=False)
    assert pmo.post(f"/pmo/catatan/{good.id}/kukuhkan").status_code == 303
    response = pmo.post(f"/pmo/catatan/{warned.id}/kukuhkan", follow_redirects=True)
    assert "has warnings, so it cannot be confirmed" in text_of(response)
    with app.app_context():
        assert Application.get_by_id(good.id).status == "confirmed"
        assert Application.get_by_id(warned.id).status == "ratified"
        [entry] = AuditEntry.select().where(AuditEntry.action == "application.confirmed")
        assert entry.actor_role == "pmo" and entry.target_id == str(good.id) and audit.verify().ok
    assert len(sms.texts_to(good.phone)) == 1 and "Dikukuhkan" in sms.texts_to(good.phone)[0]


def test_reject_with_a_reason_the_applicant_reads(app, pmo, batch, sms):
    warned = walkin(app, "ratified", batch=batch, not_in_education=False)
    form = pmo.get(f"/pmo/catatan/{warned.id}/tolak").get_data(as_text=True)
    assert re.search(r'<option selected value="not_eligible">|<option value="not_eligible" selected>', form)
    missing = pmo.post(f"/pmo/catatan/{warned.id}/tolak", data={"reason": "other", "note": ""})
    assert "Say why, when the reason is another reason" in text_of(missing)
    assert pmo.post(f"/pmo/catatan/{warned.id}/tolak", data={"reason": "not_eligible", "note": "Masih kuliah"}).status_code == 303
    with app.app_context():
        record = Application.get_by_id(warned.id)
        assert (record.status, record.status_reason, record.status_note) == ("rejected", "not_eligible", "Masih kuliah")
    [text] = sms.texts_to(warned.phone)
    assert "Ditolak" in text and "Alasan: Tidak memenuhi syarat" in text


def test_confirm_all_without_warnings_is_one_action_after_a_confirmation(app, pmo, batch, sms):
    clean = [walkin(app, "ratified", batch=batch) for _ in range(5)]
    warned = walkin(app, "ratified", batch=batch, not_in_education=False)
    page = text_of(pmo.get(f"/pmo/batch/{batch.id}/kukuhkan-semua"))
    assert "5 records will be confirmed" in page and "1 record with warnings stays waiting" in page
    assert pmo.post(f"/pmo/batch/{batch.id}/kukuhkan-semua").status_code == 303
    with app.app_context():
        assert {Application.get_by_id(r.id).status for r in clean} == {"confirmed"}
        assert Application.get_by_id(warned.id).status == "ratified"
        assert AuditEntry.select().where(AuditEntry.action == "application.confirmed").count() == 5
        assert OutboxMessage.select().count() == 5  # SMS only: these records have no email; sent by the sweep
    # Pressed again (a retried request): nothing more moves or is written.
    assert pmo.post(f"/pmo/batch/{batch.id}/kukuhkan-semua").status_code == 303
    with app.app_context():
        assert OutboxMessage.select().count() == 5


@pytest.mark.parametrize("state", ["accepted", "confirmed", "entered"])
def test_records_not_waiting_for_the_pmo_are_refused(app, pmo, batch, state):
    record = walkin(app, state, batch=batch)
    if state == "confirmed":
        response = pmo.post(f"/pmo/catatan/{record.id}/tolak", data={"reason": "other", "note": "x"},
                            follow_redirects=True)
        assert "This change is not allowed for a record in this state" in text_of(response)
        with app.app_context():
            assert Application.get_by_id(record.id).status == "confirmed"
    else:
        assert pmo.post(f"/pmo/catatan/{record.id}/kukuhkan").status_code == 404
        assert pmo.get(f"/pmo/catatan/{record.id}/tolak").status_code == 404
        with app.app_context():
            assert Application.get_by_id(record.id).status == state


def dispute_over(app, holder_account=None, sent=False):
    """An online application holding a NIK, and a dispute recorded about it at a desk."""
    with app.app_context():
        account = holder_account or Account.create(email="daring@contoh.id", full_name="Pemilik Draf",
                                                   password_hash="x", email_verified_at=utcnow())
        online = Application.create(account=account, nik="3271054512900999", ktp_confirmed=True,
                                    status="submitted" if sent else "draft", reference="PK-0NL1-NE00" if sent else None,
                                    full_name="Pemilik Draf")
        officer = Account.create(email="petugas2@kantor.id", full_name="Petugas", password_hash="x", role="officer",
                                 office=office())
        dispute = NikDispute.create(nik=online.nik, claimant_name="Siti Penggugat", contact_phone="+6281377770000",
                                    office=office(), recorded_by=officer, note="e-KTP asli dilihat")
        return online, dispute


def test_releasing_a_nik_from_an_unsent_draft_tells_its_owner(app, pmo, mailbox, sms):
    online, dispute = dispute_over(app)
    page = text_of(pmo.get(f"/pmo/sengketa-nik/{dispute.id}"))
    assert "Siti Penggugat" in page and "Not sent yet" in page
    assert "Siti Penggugat" in text_of(pmo.get("/pmo/sengketa-nik"))
    missing = pmo.post(f"/pmo/sengketa-nik/{dispute.id}", data={"resolution": "released", "note": ""})
    assert "Enter the reason for the decision" in text_of(missing)
    response = pmo.post(f"/pmo/sengketa-nik/{dispute.id}", data={"resolution": "released",
                                                                "note": "KTP asli cocok dengan penggugat"})
    assert response.status_code == 303
    with app.app_context():
        draft = Application.get_by_id(online.id)
        assert (draft.nik, draft.ktp_confirmed, draft.full_name) == (None, False, "Pemilik Draf")
        resolved = NikDispute.get_by_id(dispute.id)
        assert (resolved.status, resolved.resolution) == ("resolved", "released")
        actions = [e.action for e in AuditEntry.select().where(AuditEntry.action != "staff.signed_in").order_by(AuditEntry.seq)]
        assert actions == ["application.nik_released", "nik_dispute.released"] and audit.verify().ok
    [email] = mailbox.to("daring@contoh.id")
    assert "NIK" in email["Subject"]
    assert len(sms.texts_to("+6281377770000")) == 1
    assert "There is no open dispute" in text_of(pmo.get("/pmo/sengketa-nik"))


def desk_client(app, staff_login):
    """Another browser: the officer of the test office at the desk, reading English."""
    desk = app.test_client()
    desk.set_cookie("lang", "en")
    create_staff(app, "officer", email="meja@kantor.id")
    assert staff_login(desk, "meja@kantor.id").status_code == 303
    return desk


def test_a_sent_application_whose_nik_the_walkin_proves_is_rejected_and_frees_the_nik(app, pmo, staff_login,
                                                                                       mailbox, sms):
    with app.app_context():
        owner = Account.create(email="daring@contoh.id", full_name="Pemilik Daring", language="id",
                               password_hash=hash_password(PASSWORD), email_verified_at=utcnow())
        online = wave_support.make_application(account=owner, nik=nik(7), birth_date=BIRTH_DATE,
                                               verified_phone="+6281355550007", phone="+6281355550007",
                                               full_name="Pemilik Daring")
        other = wave_support.make_application()
        wave = wave_support.past_wave(1, entries=[online, other])  # closed, selection not run yet
    desk = desk_client(app, staff_login)
    taken = text_of(desk.post("/petugas/meja/baru", data=form_post(7)))
    assert "This NIK is already registered online (sent; status: Sent)" in taken
    recorded = desk.post("/petugas/meja/sengketa-nik", data={"nik": nik(7), "claimant_name": "Siti Aminah",
                                                             "contact_phone": "081377770007", "note": "e-KTP asli",
                                                             "ktp_seen": "y"})
    dispute_page = recorded.headers["Location"]
    dispute_id = int(dispute_page.rsplit("/", 1)[1])
    page = text_of(pmo.get(f"/pmo/sengketa-nik/{dispute_id}"))
    assert "Pemilik Daring: Sent" in page and "the online application is rejected with the reason" in page
    with app.app_context():
        OutboxMessage.delete().execute()  # what follows is the decision's own notices
    response = pmo.post(f"/pmo/sengketa-nik/{dispute_id}", data={"resolution": "walkin_valid",
                                                                "note": "KTP asli atas nama penggugat"})
    assert response.status_code == 303
    with app.app_context():
        rejected = Application.get_by_id(online.id)
        assert (rejected.status, rejected.status_reason, rejected.nik) == ("rejected", "nik_dispute_lost", None)
        assert rejected.status_note is None  # the decision's note may name the claimant: it stays on the dispute
        resolved = NikDispute.get_by_id(dispute_id)
        assert (resolved.status, resolved.resolution, resolved.nik) == ("resolved", "walkin_valid", nik(7))
        entries = [(e.action, e.target_type, e.fields) for e in AuditEntry.select().where(
            AuditEntry.action.in_(["application.rejected", "nik_dispute.walkin_valid"])).order_by(AuditEntry.seq)]
        assert entries == [("application.rejected", "application", "nik,status"),
                           ("nik_dispute.walkin_valid", "nik_dispute", "resolution,resolution_note,status")]
        assert audit.verify().ok
        told = [(m.channel, m.kind) for m in OutboxMessage.select().order_by(OutboxMessage.id)]
        assert told.count(("email", "status_changed")) == 1 and told.count(("sms", "status_changed")) == 1
    # The owner hears in Indonesian, the language they use the portal in, though the PMO's page is in English.
    [email] = mailbox.to("daring@contoh.id")
    assert email["Subject"].strip() == f"Pendaftaran Prakerja {online.reference}: Ditolak"
    assert "Orang lain membuktikan di kantor dinas ketenagakerjaan, dengan e-KTP asli, bahwa NIK ini miliknya" in body(email)
    assert "datangi kantor dinas ketenagakerjaan dengan membawa e-KTP asli" in body(email)
    assert "penggugat" not in body(email)  # the PMO's note stays inside
    [text] = sms.texts_to("+6281355550007")
    assert text.startswith(f"Prakerja {online.reference}: Ditolak.") and len(text) <= 160
    assert len(sms.texts_to("+6281377770007")) == 1  # the claimant
    # Their page and the public status check say so, with the reason.
    reason = "Reason: Another person proved at a manpower office, with the original e-KTP, that this NIK is theirs"
    own = app.test_client()
    own.set_cookie("lang", "en")
    assert own.post("/masuk", data={"email": "daring@contoh.id", "password": PASSWORD}).status_code == 303
    assert f"Status: Rejected {reason}" in text_of(own.get("/pendaftaran/"))
    answers = text_of(own.get("/pendaftaran/periksa"))
    assert "NIK Taken off this application Date of birth" in answers
    anyone = app.test_client()
    anyone.set_cookie("lang", "en")
    check = anyone.post("/status", data={"reference": online.reference, "birth_date-day": BIRTH_DATE.day,
                                         "birth_date-month": BIRTH_DATE.month, "birth_date-year": BIRTH_DATE.year})
    assert f"Status: Rejected {reason}" in text_of(check)
    # The desk can now enter the walk-in with the NIK; the dispute's receipt says it was decided.
    assert "The PMO decided this dispute: The walk-in is the NIK's valid holder" in text_of(desk.get(dispute_page))
    checked = desk.post("/petugas/meja/baru?fragment=nik", data=form_post(7), headers={"HX-Request": "true"})
    assert checked.status_code == 200 and "already registered" not in checked.get_data(as_text=True)
    entered = desk.post("/petugas/meja/baru", data=form_post(7))
    assert entered.status_code == 303
    with app.app_context():
        walkin_record = Application.get(Application.nik == nik(7))
        assert (walkin_record.channel, walkin_record.status) == ("walkin", "entered")
    # Its entry in the closed wave is screened out at selection; the other person's is drawn.
    with app.app_context():
        selection.run(wave, notify=False)
        outcomes = {e.application_id: (e.outcome, e.reason) for e in WaveEntry.select()}
        assert outcomes == {online.id: ("ineligible", "not_joinable"), other.id: ("selected", None)}
        assert selection.verify(wave) == []
    # A second decision is refused and changes nothing.
    again = pmo.post(f"/pmo/sengketa-nik/{dispute_id}", data={"resolution": "walkin_valid", "note": "lagi"})
    assert again.status_code == 200 and "Resolved: The walk-in is the NIK's valid holder" in text_of(again)
    with app.app_context():
        assert AuditEntry.select().where(AuditEntry.action == "nik_dispute.walkin_valid").count() == 1


def test_a_dispute_decided_twice_at_once_rejects_and_tells_once(app, make_staff):
    from portal.domain import DomainError
    from portal.services import disputes

    online, dispute = dispute_over(app, sent=True)
    first, second = make_staff("pmo", email="pmo1@kantor.id"), make_staff("pmo", email="pmo2@kantor.id")
    with app.app_context():
        stale = NikDispute.get_by_id(dispute.id)  # both PMO pages were opened while it was open
        disputes.resolve(dispute, first, "walkin_valid", "KTP asli")
        messages = OutboxMessage.select().count()
        with pytest.raises(DomainError):
            disputes.resolve(stale, second, "walkin_valid", "KTP asli juga")
        assert OutboxMessage.select().count() == messages
        assert AuditEntry.select().where(AuditEntry.action == "application.rejected").count() == 1
        assert NikDispute.get_by_id(dispute.id).resolved_by_id == first.id


@pytest.mark.parametrize("htmx", [False, True])
def test_deciding_a_resolved_dispute_again_changes_nothing_and_says_so(app, pmo, htmx):
    online, dispute = dispute_over(app, sent=True)
    decided = pmo.post(f"/pmo/sengketa-nik/{dispute.id}", data={"resolution": "walkin_valid", "note": "KTP asli"})
    assert decided.status_code == 303
    with app.app_context():
        before = (OutboxMessage.select().count(), AuditEntry.select().count())
    again = pmo.post(f"/pmo/sengketa-nik/{dispute.id}", data={"resolution": "released", "note": "lagi"},
                     headers={"HX-Request": "true"} if htmx else {})
    html = again.get_data(as_text=True)
    assert again.status_code == 200 and ("<html" in html) is not htmx
    assert "This dispute has already been resolved." in html
    assert "Resolved: The walk-in is the NIK's valid holder" in html and 'name="resolution"' not in html
    with app.app_context():
        resolved = NikDispute.get_by_id(dispute.id)
        assert (resolved.resolution, resolved.resolution_note) == ("walkin_valid", "KTP asli")
        rejected = Application.get_by_id(online.id)
        assert (rejected.status, rejected.nik) == ("rejected", None)
        assert (OutboxMessage.select().count(), AuditEntry.select().count()) == before


def test_a_sent_application_cannot_have_its_nik_released(app, pmo, mailbox):
    online, dispute = dispute_over(app, sent=True)
    refused = pmo.post(f"/pmo/sengketa-nik/{dispute.id}", data={"resolution": "released", "note": "coba"})
    assert "has been sent, so the NIK cannot be released" in text_of(refused)
    with app.app_context():
        kept = Application.get_by_id(online.id)
        assert (kept.status, kept.nik) == ("submitted", online.nik)
        assert NikDispute.get_by_id(dispute.id).status == "open" and OutboxMessage.select().count() == 0


def test_naming_the_walkin_the_holder_of_an_unsent_draft_releases_it_as_before(app, pmo, mailbox):
    online, dispute = dispute_over(app)
    page = text_of(pmo.get(f"/pmo/sengketa-nik/{dispute.id}"))
    assert "Either decision takes the NIK off it" in page
    response = pmo.post(f"/pmo/sengketa-nik/{dispute.id}", data={"resolution": "walkin_valid", "note": "KTP asli"})
    assert response.status_code == 303
    with app.app_context():
        draft = Application.get_by_id(online.id)
        assert (draft.status, draft.nik, draft.ktp_confirmed) == ("draft", None, False)
        assert [m.kind for m in OutboxMessage.select() if m.channel == "email"] == ["nik_released"]
    [email] = mailbox.to("daring@contoh.id")
    assert "NIK" in email["Subject"]


def test_seed_demo_gives_the_status_check_the_claim_and_the_pmo_something_to_show(app, runner, sms):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    result = runner.invoke(args=["seed-demo"])  # again: nothing doubles
    assert result.exit_code == 0 and "PK-DEM0-0005" in result.output
    with app.app_context():
        assert Application.select().where(Application.reference.startswith("PK-DEM0")).count() == 6
        assert NikDispute.select().where(NikDispute.claimant_name == "Dewi Kartika").count() == 1
    client = app.test_client()
    client.set_cookie("lang", "en")
    born = {"birth_date-day": "5", "birth_date-month": "12", "birth_date-year": "1990"}
    answer = text_of(client.post("/status", data={"reference": "PK-DEM0-0001", **born}))
    assert "Status: Returned to the office Reason: Information missing" in answer
    response = client.post("/klaim", data={"reference": "PK-DEM0-0005", "nik": "3201014512908005", **born})
    assert response.headers["Location"] == "/klaim/kode" and sms.texts_to("+6281300008005")
    from conftest import sign_in_staff

    staff = app.test_client()
    staff.set_cookie("lang", "en")
    with app.app_context():
        from portal.models import SecondFactor
        from portal.sealing import seal
        from conftest import STAFF_SECRET

        SecondFactor.update(secret_sealed=seal("totp", STAFF_SECRET)).execute()
    assert sign_in_staff(staff, "pmo@contoh.id", password="kopi-tubruk-pagi").status_code == 303
    assert re.search(r"batch \d+ 4 1 0", text_of(staff.get("/pmo/"))) and "Dewi Kartika" in text_of(staff.get("/pmo/sengketa-nik"))


def test_a_batch_ratified_by_the_ministry_reaches_the_pmo_under_its_decree(app, pmo, make_staff, sms):
    """The chain office -> ministry -> PMO through the services: closed, accepted, ratified under a decree
    (its notices left to the sweep), then listed by decree for the PMO and confirmed."""
    import datetime

    from ministry_support import make_closed_batch
    from portal import outbox
    from portal.models import Quota
    from portal.services import ratification, review

    reviewer = make_staff("reviewer", email="penelaah@kemnaker.id")
    batch = make_closed_batch(app, 3, first=4000, village="32.01.01.1006")
    with app.app_context():
        Quota.create(province_code="32", starts_on=datetime.date(2026, 1, 1), ends_on=datetime.date(2026, 12, 31),
                     amount=100)
        review.verify_manifest(batch, reviewer)
        review.bulk_accept(batch, reviewer)
        for record in review.undecided(batch):
            review.accept(record, reviewer)
        ratification.ratify(batch, reviewer, "KEP.7/LATTAS/XI/2026", datetime.date(2026, 11, 20))
        assert OutboxMessage.select().where(OutboxMessage.sent_at.is_null()).count() == 3  # one SMS each, unsent
        outbox.sweep()
    listing = text_of(pmo.get("/pmo/"))
    assert "Decree KEP.7/LATTAS/XI/2026 of 20 November 2026" in listing
    page = text_of(pmo.get(f"/pmo/batch/{batch.id}"))
    assert "3 records ratified" in page and "3 records wait for confirmation" in page
    assert pmo.post(f"/pmo/batch/{batch.id}/kukuhkan-semua").status_code == 303
    with app.app_context():
        assert Application.select().where(Application.batch == batch.id, Application.status == "confirmed").count() == 3


def test_seeded_batches_open_every_document_for_the_supervisor(app, runner):
    """The demo's ratified batch had no handover number: its statement and BAST pages were a 500, and the
    batch list printed "None" and the raw state "ratified"."""
    from conftest import STAFF_SECRET, sign_in_staff
    from portal.models import Batch, SecondFactor
    from portal.sealing import seal

    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    with app.app_context():
        SecondFactor.update(secret_sealed=seal("totp", STAFF_SECRET)).execute()
        ids = [batch.id for batch in Batch.select().where(Batch.status != "open")]  # an open batch has no documents yet
    staff = app.test_client()
    assert sign_in_staff(staff, "penyelia@contoh.id", password="kopi-tubruk-pagi").status_code == 303
    listing = text_of(staff.get("/petugas/meja/batch"))
    assert "None" not in listing and "ratified" not in listing and "Ditetapkan" in listing
    for batch_id in ids:
        for page in ("", "/rekap", "/pernyataan", "/bast"):
            assert staff.get(f"/petugas/meja/batch/{batch_id}{page}").status_code == 200, (batch_id, page)

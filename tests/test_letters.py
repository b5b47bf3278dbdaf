"""Statement letters after three waves without success: required by one rule for joining and screening, printed
filled in, photographed and uploaded through the photo pipeline, reviewed by the PMO, told to the applicant."""

import io
import re

import pytest
from PIL import Image

from conftest import body
from portal.domain import DomainError
from portal.models import Account, AuditEntry, OutboxMessage, StatementLetter, Wave, WaveEntry
from portal.rules import waves as wave_rules
from portal.services import letters, selection, waves
from letter_support import failed_waves, photographed, thrice_failed
from wave_support import make_application, open_wave, past_wave
from wizard_support import upload

LETTER_PAGE = "/pendaftaran/surat-pernyataan"
PRINT_PAGE = "/pendaftaran/surat-pernyataan/cetak"
UPLOAD_URL = "/pendaftaran/surat-pernyataan/foto"
PHONE = "+6281299990001"


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield app


@pytest.fixture
def failed_applicant(app, applicant):
    """The logged-in applicant (English pages), sent, with a verified number, not selected in three waves."""
    with app.app_context():
        application = thrice_failed(Account.by_email("ani@contoh.id"), verified_phone=PHONE)
    return application


def send_letter(client, data=None):
    return upload(client, "letter", photographed() if data is None else data, url=UPLOAD_URL)


def page(response):
    return response.get_data(as_text=True)


def pmo_client(app, make_staff, staff_login):
    make_staff("pmo", "pmo@kantor.id", name="Putri PMO")
    client = app.test_client()
    client.set_cookie("lang", "en")
    assert staff_login(client, "pmo@kantor.id").status_code == 303
    return client


def test_fewer_than_three_failures_need_no_letter(app, applicant):
    with app.app_context():
        application = failed_waves(make_application(account=Account.by_email("ani@contoh.id")), (1, 2))
        assert letters.state_for(application).name == letters.NOT_NEEDED
        open_wave(number=4)
        assert waves.status_for(application).name == wave_rules.CAN_JOIN
    text = page(applicant.get(LETTER_PAGE))
    assert "You do not need one now" in text and "Upload photo" not in text
    assert applicant.get(PRINT_PAGE).headers["Location"] == LETTER_PAGE
    response = send_letter(applicant)
    assert "You do not need a statement letter now" in page(response)
    with app.app_context():
        assert StatementLetter.select().count() == 0


def test_three_failures_block_joining_with_the_letter_as_the_reason(ctx):
    application = thrice_failed()
    open_wave(number=4)
    current = waves.status_for(application)
    assert current.name == wave_rules.NOT_SELECTED and current.reason == "letter_required"
    with pytest.raises(DomainError):
        waves.join(application)
    assert letters.state_for(application).name == letters.NEEDED
    assert letters.state_for(application).failed_waves == (1, 2, 3)


def test_the_print_page_is_the_filled_in_letter_in_indonesian(app, applicant, failed_applicant):
    response = applicant.get(LETTER_PAGE)
    text = page(response)
    assert "Letter needed" in text and "1, 2, 3" in text and 'href="/pendaftaran/surat-pernyataan/cetak"' in text
    response = applicant.get(PRINT_PAGE)
    text = page(response)
    assert response.status_code == 200 and response.headers["Cache-Control"].startswith("no-store")
    sheet = text[text.index('<article class="letter"'):text.index("</article>")]
    with app.app_context():
        application = failed_applicant
        # A signed statement names its signer in full: the whole NIK, on a page that is never stored (no-store).
        for value in (application.full_name, application.nik, application.reference, "Bogor", "17 Mei 1995",
                      "Jl. Mawar 1"):
            assert value in sheet, value
    assert "SURAT PERNYATAAN" in sheet and "Meterai 10.000" in sheet and "gelombang 1, 2, 3" in sheet
    assert "Your statement letter" in text  # the page around it speaks the visitor's language


def test_upload_then_pmo_approves_then_the_applicant_can_join(app, applicant, failed_applicant, make_staff,
                                                              staff_login, mailbox):
    response = send_letter(applicant)
    assert response.status_code == 303 and response.headers["Location"] == LETTER_PAGE
    text = page(applicant.get(LETTER_PAGE))
    assert "Waiting for review" in text
    with app.app_context():
        letter = StatementLetter.get()
        assert letter.status == "pending" and letters.state_for(failed_applicant).name == letters.PENDING
    image = applicant.get(f"/pendaftaran/surat-pernyataan/{letter.id}/besar")
    assert image.headers["Content-Type"] == "image/jpeg" and image.headers["Cache-Control"] == "no-store"
    photo = Image.open(io.BytesIO(image.data))
    assert photo.height > photo.width and not photo.getexif() and max(photo.size) <= 1600

    pmo = pmo_client(app, make_staff, staff_login)
    queue = page(pmo.get("/pmo/surat"))
    assert "1 letter is waiting" in queue and failed_applicant.reference in queue
    review = page(pmo.get(f"/pmo/surat/{letter.id}"))
    assert f"/pmo/surat/{letter.id}/besar" in review and failed_applicant.nik in review
    assert pmo.get(f"/pmo/surat/{letter.id}/besar").data == image.data
    response = pmo.post(f"/pmo/surat/{letter.id}", data={"decision": "approve"})
    assert response.status_code == 303 and response.headers["Location"] == "/pmo/surat"
    assert "No letters are waiting" in page(pmo.get("/pmo/surat"))

    with app.app_context():
        entry = AuditEntry.get(AuditEntry.action == "letter.approved")
        assert entry.target_id == str(letter.id) and entry.fields == "decided_at,decided_by,status"
        assert OutboxMessage.select().where(OutboxMessage.kind == "letter_decision").count() == 2
        assert letters.state_for(failed_applicant).name == letters.APPROVED
        open_wave(number=4)
        assert waves.join(failed_applicant) is True
        assert WaveEntry.get(WaveEntry.application == failed_applicant.id, WaveEntry.outcome.is_null()).wave.number == 4
    assert "The programme office approved your statement letter" in page(applicant.get(LETTER_PAGE))
    [told] = mailbox.to("ani@contoh.id")
    assert "disetujui" in told["Subject"] and "/pendaftaran/surat-pernyataan" in body(told)


def test_reject_with_a_reason_then_upload_again(app, applicant, failed_applicant, make_staff, staff_login,
                                                mailbox, sms):
    send_letter(applicant)
    with app.app_context():
        letter = StatementLetter.get()
    pmo = pmo_client(app, make_staff, staff_login)
    response = pmo.post(f"/pmo/surat/{letter.id}", data={"decision": "reject", "reason": "  "})
    text = page(response)
    assert response.status_code == 200 and "There is a problem" in text and 'href="#reason"' in text
    reason = "Tanda tangan tidak mengenai meterai."
    response = pmo.post(f"/pmo/surat/{letter.id}", data={"decision": "reject", "reason": reason})
    assert response.status_code == 303
    again = pmo.post(f"/pmo/surat/{letter.id}", data={"decision": "approve"})
    assert again.status_code == 303 and "already been decided" in page(pmo.get(again.headers["Location"]))

    text = page(applicant.get(LETTER_PAGE))
    assert "Not accepted" in text and reason in text and "Upload photo" in text
    [told] = mailbox.to("ani@contoh.id")
    assert reason in body(told)
    # The link an SMS carries is the page of its text's registration, at BASE_URL (portal.sms).
    assert "belum diterima" in sms.texts_to(PHONE)[-1]
    assert sms.texts_to(PHONE)[-1].endswith(app.config["BASE_URL"] + LETTER_PAGE)
    with app.app_context():
        entry = AuditEntry.get(AuditEntry.action == "letter.rejected")
        assert reason not in entry.fields and entry.fields == "decided_at,decided_by,reason,status"

    assert send_letter(applicant).status_code == 303
    text = page(applicant.get(LETTER_PAGE))
    assert "Waiting for review" in text and reason not in text
    with app.app_context():
        assert [row.status for row in StatementLetter.select().order_by(StatementLetter.id)] == ["rejected", "pending"]


def test_a_second_upload_replaces_the_pending_photo(ctx):
    application = thrice_failed()
    first = letters.save_letter(application, photographed())
    second = letters.save_letter(application, photographed(tilt=-2))
    assert first.id == second.id and first.image_key != second.image_key
    assert StatementLetter.select().count() == 1


@pytest.mark.parametrize("data, message", [
    (photographed(blur=5), "blurred, so the writing cannot be read"),
    (photographed(light=0.12), "too dark"),
    (photographed(size=(500, 400)), "so that the letter fills the photo"),
    (b"%PDF-1.4 not a photo", "must be a photo"),
    (b"", "Select a photo of your signed letter"),
])
def test_a_letter_photo_that_cannot_be_read_is_explained_at_the_field(app, applicant, failed_applicant, data,
                                                                      message):
    response = send_letter(applicant, data)
    text = page(response)
    assert response.status_code == 200 and message in text
    assert re.search(r'<p class="error-message" id="letter-photo-error">', text) and 'href="#letter-photo"' in text
    with app.app_context():
        assert StatementLetter.select().count() == 0


def test_a_page_filling_the_photo_passes_as_a_document_not_as_a_card_photo(ctx):
    from portal import images

    bright_page = photographed(fill=1.0, tilt=0, light=1.15)
    with pytest.raises(images.PhotoProblem):
        images.process_photo(bright_page)
    assert images.process_photo(bright_page, checks=images.DOCUMENT).width == 1200


def test_an_oversized_letter_without_javascript_keeps_the_page(app, applicant, failed_applicant):
    app.config["UPLOAD_MAX_BYTES"] = 200_000
    response = send_letter(applicant, photographed(size=(4000, 3000)) + b"\0" * 300_000)
    assert response.status_code == 413 and "Upload a photo of the signed letter" in page(response)


def test_screening_and_the_join_check_ask_the_same_rule(ctx):
    """The per-person rule (services.waves.letter_needed) and selection's SQL agree for every mix of failures
    and letters."""
    people = {}
    for failures in range(5):
        for letter in (None, "pending", "approved", "rejected"):
            application = make_application()
            failed_waves(application, range(1, failures + 1))
            if letter:
                StatementLetter.create(application=application, status=letter)
            people[(failures, letter)] = application
    needed = {key: waves.letter_needed(a, waves.entries_of(a)) for key, a in people.items()}
    assert needed[(3, None)] and needed[(4, "rejected")] and not needed[(3, "approved")] and not needed[(2, None)]
    # Joining checks the rule in its INSERT: exactly those who need no letter get in.
    joining = open_wave(number=5, quota=100)
    for key, application in people.items():
        if needed[key]:
            with pytest.raises(DomainError):
                waves.join(application)
        else:
            assert waves.join(application) is True, key
    WaveEntry.delete().where(WaveEntry.wave == joining.id).execute()
    Wave.delete().where(Wave.id == joining.id).execute()
    waves.invalidate()
    # Selection screens in SQL: exactly those who need a letter are ineligible for that reason.
    wave = past_wave(6, quota=100, entries=people.values())
    selection.run(wave, notify=False)
    for key, application in people.items():
        entry = WaveEntry.get(WaveEntry.wave == wave.id, WaveEntry.application == application.id)
        assert (entry.reason == "letter_required") == needed[key], key
    assert selection.verify(wave) == []


@pytest.mark.parametrize("url", [LETTER_PAGE, PRINT_PAGE])
def test_letter_pages_answer_htmx_with_a_fragment(applicant, failed_applicant, url):
    full = page(applicant.get(url))
    partial = page(applicant.get(url, headers={"HX-Request": "true"}))
    assert full.startswith("<!doctype html>") and "<html" not in partial
    assert "<h1" in partial and "statement letter" in partial.lower()


def test_pmo_pages_answer_htmx_with_a_fragment(app, applicant, failed_applicant, make_staff, staff_login):
    send_letter(applicant)
    pmo = pmo_client(app, make_staff, staff_login)
    with app.app_context():
        letter = StatementLetter.get()
    for url in ("/pmo/surat", f"/pmo/surat/{letter.id}"):
        assert page(pmo.get(url)).startswith("<!doctype html>")
        partial = page(pmo.get(url, headers={"HX-Request": "true"}))
        assert "<html" not in partial and failed_applicant.reference in partial


def test_a_letter_photo_is_only_for_its_owner_and_the_pmo(app, applicant, failed_applicant, make_account,
                                                          make_staff, staff_login):
    send_letter(applicant)
    with app.app_context():
        letter = StatementLetter.get()
    make_account(email="lain@contoh.id")
    other = app.test_client()
    other.post("/masuk", data={"email": "lain@contoh.id", "password": "sawah-hijau-pagi"})
    assert other.get(f"/pendaftaran/surat-pernyataan/{letter.id}/kecil").status_code == 404
    assert other.get(f"/pmo/surat/{letter.id}/kecil").status_code == 404
    assert applicant.get(f"/pmo/surat/{letter.id}/kecil").status_code == 404
    make_staff("officer", "petugas@kantor.id")
    officer = app.test_client()
    staff_login(officer, "petugas@kantor.id")
    assert officer.get(f"/pmo/surat/{letter.id}/kecil").status_code == 404
    assert applicant.get(f"/pendaftaran/surat-pernyataan/{letter.id}/kecil").status_code == 200
    assert pmo_client(app, make_staff, staff_login).get(f"/pmo/surat/{letter.id}/kecil").status_code == 200


def test_the_task_list_shows_the_letter_steps_where_gabung_was(app, applicant, failed_applicant):
    with app.app_context():
        open_wave(number=4)
    text = page(applicant.get("/pendaftaran/"))
    assert "Letter needed" in text and 'href="/pendaftaran/surat-pernyataan"' in text and "Join wave 4" not in text
    response = applicant.post("/pendaftaran/gelombang", data={"consent": "y"})
    assert response.status_code == 303
    assert "must approve your statement letter before you can join again" in page(applicant.get("/pendaftaran/"))
    send_letter(applicant)
    assert "Waiting for review" in page(applicant.get("/pendaftaran/"))
    with app.app_context():
        assert WaveEntry.select().where(WaveEntry.outcome.is_null()).count() == 0


def test_seed_demo_has_a_thrice_failed_applicant_with_a_letter_waiting(app, runner):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    result = runner.invoke(args=["seed-demo"])  # every `make run` seeds again: nothing changes
    assert result.exit_code == 0 and "rina@contoh.id" in result.output
    with app.app_context():
        from portal.models import Application

        rina = Application.get(Application.account == Account.by_email("rina@contoh.id"))
        state = letters.state_for(rina)
        assert state.name == letters.PENDING and len(state.failed_waves) == 3
        assert [letter.application_id for letter in letters.queue()] == [rina.id]
        assert waves.status_for(rina).reason == "letter_required"

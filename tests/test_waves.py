"""Waves: the status names an applicant reads, joining (once, inside the window), creating and closing waves."""

from datetime import timedelta

import pytest

from portal.domain import DomainError
from portal.models import Wave, WaveEntry, utcnow
from portal.rules import waves as rules
from portal.services import waves
from wave_support import make_application, open_wave, past_wave


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield app


def name_of(application):
    return waves.status_for(application).name


def test_no_wave_then_can_join_with_the_close_time(ctx):
    application = make_application()
    assert name_of(application) == rules.NO_WAVE
    wave = open_wave()
    current = waves.status_for(application)
    assert current.name == rules.CAN_JOIN and current.closes_at == wave.closes_at


def test_draft_application_has_no_wave_status(ctx):
    assert waves.status_for(make_application(status="draft")) is None


def test_joining_twice_or_from_two_devices_makes_one_entry(ctx):
    application = make_application()
    open_wave()
    assert waves.join(application) is True
    assert waves.join(application) is False
    assert WaveEntry.select().count() == 1
    assert WaveEntry.get().province == "32"
    assert name_of(application) == rules.WAITING


def test_the_insert_makes_one_row_even_when_two_requests_race(ctx):
    application = make_application()
    wave = open_wave()
    assert waves._insert(wave, application.id, None, utcnow()) == 1
    assert waves._insert(wave, application.id, None, utcnow()) == 0
    assert WaveEntry.select().count() == 1


def test_joining_outside_the_window_is_refused(ctx):
    application = make_application()
    now = utcnow()
    wave = waves.create(None, 1, now + timedelta(hours=1), now + timedelta(days=1), 5)
    with pytest.raises(DomainError):
        waves.join(application)
    with pytest.raises(DomainError):
        waves.enter(wave, application, now=now)
    with pytest.raises(DomainError):
        waves.enter(wave, application, now=now + timedelta(days=2))
    assert WaveEntry.select().count() == 0


def test_closing_a_wave_stops_joining_at_once(ctx):
    application = make_application()
    wave = open_wave()
    assert name_of(application) == rules.CAN_JOIN
    waves.close(wave, None)
    assert name_of(application) == rules.NO_WAVE
    with pytest.raises(DomainError):
        waves.enter(wave, application)


def test_waves_never_overlap(ctx):
    now = utcnow()
    waves.create(None, 1, now, now + timedelta(days=7), 5)
    with pytest.raises(DomainError) as error:
        waves.create(None, 2, now + timedelta(days=6), now + timedelta(days=9), 5)
    assert error.value.field == "opens_at"
    with pytest.raises(DomainError):
        waves.create(None, 1, now + timedelta(days=8), now + timedelta(days=9), 5)
    waves.create(None, 2, now + timedelta(days=7), now + timedelta(days=9), 5)
    assert Wave.select().count() == 2


def test_province_quotas_cannot_exceed_the_total(ctx):
    now = utcnow()
    with pytest.raises(DomainError):
        waves.create(None, 1, now, now + timedelta(days=1), 5, {"32": 4, "33": 2})


def test_processing_then_results_with_reason(ctx):
    application = make_application()
    wave = past_wave(1, entries=[application])
    assert name_of(application) == rules.PROCESSING
    WaveEntry.update(outcome="not_selected", reason="quota_full").execute()
    Wave.update(selected_at=utcnow()).execute()
    current = waves.status_for(application)
    assert (current.name, current.reason) == (rules.NOT_SELECTED, "quota_full")
    open_wave(number=2)
    current = waves.status_for(application)
    assert (current.name, current.reason) == (rules.CAN_JOIN, "quota_full")
    WaveEntry.update(outcome="selected", reason=None).where(WaveEntry.wave == wave).execute()
    assert name_of(application) == rules.SELECTED


def test_three_failures_need_a_letter(ctx):
    from portal.models import StatementLetter

    application = make_application()
    for number in (1, 2, 3):
        past_wave(number, entries=[application])
    WaveEntry.update(outcome="not_selected", reason="quota_full").execute()
    Wave.update(selected_at=utcnow()).execute()
    open_wave(number=4)
    current = waves.status_for(application)
    assert (current.name, current.reason) == (rules.NOT_SELECTED, "letter_required")
    with pytest.raises(DomainError):
        waves.join(application)
    StatementLetter.create(application=application, status="approved")
    assert name_of(application) == rules.CAN_JOIN


def test_a_selected_person_cannot_join_again_even_by_posting(ctx):
    application = make_application()
    past_wave(1, entries=[application])
    WaveEntry.update(outcome="selected").execute()
    Wave.update(selected_at=utcnow()).execute()
    open_wave(number=2)
    with pytest.raises(DomainError):
        waves.join(application)
    assert WaveEntry.select().count() == 1


def test_an_application_without_a_ktp_address_is_told_why(ctx):
    from portal.models import Address

    application = make_application()
    Address.delete().execute()
    open_wave()
    with pytest.raises(DomainError) as error:
        waves.join(application)
    assert error.value.message is waves.NO_ADDRESS


def test_seeded_wave_applicants_have_every_section_done(app, runner, client):
    """Budi and Eko were sent yet their task lists said "Foto" and "Nomor HP" were not started."""
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    assert runner.invoke(args=["seed-demo"]).exit_code == 0  # every `make run` seeds again
    for email in ("budi@contoh.id", "eko@contoh.id", "fajar@contoh.id"):
        response = client.post("/masuk", data={"email": email, "password": "kopi-tubruk-pagi"})
        assert response.status_code == 303
        page = client.get("/pendaftaran/").get_data(as_text=True)
        assert "Belum dimulai" not in page and "Sedang diisi" not in page, email
        client.post("/keluar")

"""The applicant's side of waves: every status on their page, joining with the consent, with and without htmx."""

import pytest

from portal.models import Account, Application, StatementLetter, Wave, WaveEntry, utcnow
from portal.services import waves
from wave_support import make_application, open_wave, past_wave


@pytest.fixture
def mine(app, applicant):
    """The logged-in applicant's sent application."""
    with app.app_context():
        return make_application(account=Account.get(Account.email == "ani@contoh.id"))


def page(client):
    response = client.get("/pendaftaran/")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def settle(wave_ids, outcome, reason=None):
    WaveEntry.update(outcome=outcome, reason=reason).where(WaveEntry.wave.in_(wave_ids)).execute()
    Wave.update(selected_at=utcnow()).where(Wave.id.in_(wave_ids)).execute()
    waves.invalidate()  # written behind the service's back, so its cache must be told


def test_a_draft_shows_no_wave_panel(applicant):
    assert "Wave status" not in page(applicant)


def test_every_status_on_the_applicant_page(app, applicant, mine):
    assert "No wave yet" in page(applicant)
    with app.app_context():
        wave = open_wave(number=1)
    html = page(applicant)
    assert "You can join" in html and "Join wave 1" in html and "WIB" in html
    applicant.post("/pendaftaran/gelombang", data={"consent": "y"})
    assert "Waiting for the wave to close" in page(applicant)
    with app.app_context():
        Wave.update(closes_at=utcnow()).where(Wave.id == wave.id).execute()
    assert "Being processed" in page(applicant)
    with app.app_context():
        settle([wave.id], "not_selected", "quota_full")
    html = page(applicant)
    assert "Not successful yet" in html and "quota was filled by the draw" in html
    with app.app_context():
        settle([wave.id], "ineligible", "kk_limit")
    assert "family card" in page(applicant)
    with app.app_context():
        settle([wave.id], "selected")
    html = page(applicant)
    assert "Selected" in html and "Congratulations" in html


def test_a_letter_is_needed_after_three_failures(app, applicant, mine):
    with app.app_context():
        ids = [past_wave(n, entries=[mine]).id for n in (1, 2, 3)]
        settle(ids, "not_selected", "quota_full")
        open_wave(number=4)
    html = page(applicant)
    assert "approved statement letter" in html and "Join wave 4" not in html
    assert applicant.post("/pendaftaran/gelombang", data={"consent": "y"}).status_code == 303
    with app.app_context():
        assert WaveEntry.select().count() == 3
        StatementLetter.create(application=mine, status="approved")
    assert "Join wave 4" in page(applicant)


def test_joining_needs_the_consent_and_makes_one_entry(app, applicant, mine):
    with app.app_context():
        open_wave(number=3)
    response = applicant.get("/pendaftaran/gelombang")
    assert response.status_code == 200 and "Join wave 3" in response.get_data(as_text=True)
    response = applicant.post("/pendaftaran/gelombang", data={})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Confirm that your data is valid" in html and "There is a problem" in html
    with app.app_context():
        assert WaveEntry.select().count() == 0
    response = applicant.post("/pendaftaran/gelombang", data={"consent": "y"})
    assert response.status_code == 303 and response.headers["Location"].startswith("/pendaftaran/")
    again = applicant.post("/pendaftaran/gelombang", data={"consent": "y"})
    assert again.status_code == 303
    with app.app_context():
        assert WaveEntry.select().count() == 1
    assert "You have joined wave 3" in page(applicant)


def test_the_join_page_with_and_without_htmx(app, applicant, mine):
    with app.app_context():
        open_wave()
    full = applicant.get("/pendaftaran/gelombang").get_data(as_text=True)
    partial = applicant.get("/pendaftaran/gelombang", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" in full and "<html" not in partial and "consent" in partial
    response = applicant.post("/pendaftaran/gelombang", data={"consent": "y"}, headers={"HX-Request": "true"})
    assert response.status_code in (200, 303)
    with app.app_context():
        assert WaveEntry.select().count() == 1


def test_no_open_wave_sends_the_join_page_back_to_the_task_list(applicant, mine):
    response = applicant.get("/pendaftaran/gelombang")
    assert response.status_code == 303 and response.headers["Location"].endswith("/pendaftaran/")


def test_seed_demo_has_an_open_wave_a_closed_one_with_results_and_every_status(app, runner):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert runner.invoke(args=["seed-demo"]).exit_code == 0  # a second run changes nothing
    from portal.models import Application

    with app.app_context():
        def status(email):
            current = waves.status_for(Application.get(Application.account == Account.by_email(email)))
            return current.name, current.reason

        assert status("budi@contoh.id") == ("can_join", "quota_full")
        assert status("eko@contoh.id") == ("selected", None)
        assert status("fajar@contoh.id") == ("waiting", None)
        # Rina's three waves come first (portal/cli.py), so the closed wave with results is wave 4.
        first = Wave.get(Wave.number == 4)
        assert first.seed and first.results_sent_at and Wave.get(Wave.number == 5).closes_at > utcnow()
        assert WaveEntry.select().where(WaveEntry.wave == first, WaveEntry.outcome == "ineligible").count()
        assert [w.number for w in Wave.select().order_by(Wave.opens_at)] == [1, 2, 3, 4, 5]  # numbers follow time
    assert runner.invoke(args=["wave", "draw", "--verify", "4"]).exit_code == 0


def test_the_sent_page_offers_the_open_wave_to_join_now(app, applicant, mine):
    with app.app_context():
        open_wave(number=2)
    html = applicant.get("/pendaftaran/terkirim").get_data(as_text=True)
    assert "Wave (gelombang) 2 is open until" in html and "you can join it now" in html
    assert 'href="/pendaftaran/gelombang">Join wave 2</a>' in html
    assert "When a new wave (gelombang) opens" not in html


def test_the_sent_page_says_to_join_the_next_wave_when_none_is_open(app, applicant, mine):
    html = applicant.get("/pendaftaran/terkirim").get_data(as_text=True)
    assert "When a new wave (gelombang) opens, log in and join it" in html
    assert "Join wave" not in html and "/pendaftaran/gelombang" not in html


def test_only_an_unsent_application_is_told_it_can_stop_and_come_back(app, applicant):
    come_back = "You can stop and come back later"
    assert come_back in applicant.get("/pendaftaran/").get_data(as_text=True)  # a draft
    with app.app_context():
        Application.update(status="submitted", reference="PK-TEST-0001").where(
            Application.account == Account.get(Account.email == "ani@contoh.id").id).execute()
    assert come_back not in applicant.get("/pendaftaran/").get_data(as_text=True)  # sent: nothing left to do

"""The demo data `make run` seeds (flask seed-demo): every demo applicant who has sent an application shows it
complete, as a real sent application always is."""

import re

from portal.cli import DEMO_PASSWORD
from portal.models import Account, Application


def test_every_demo_applicant_who_sent_an_application_has_every_section_done(app, runner):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    assert runner.invoke(args=["seed-demo"]).exit_code == 0  # every `make run` seeds again
    with app.app_context():
        senders = [email for (email,) in Account.select(Account.email).join(
            Application, on=(Application.account == Account.id)).where(
            Account.role == "applicant", Application.status != "draft").order_by(Account.email).tuples()]
    assert {"budi@contoh.id", "eko@contoh.id", "fajar@contoh.id", "rina@contoh.id"} <= set(senders)
    for email in senders:
        client = app.test_client()
        client.set_cookie("lang", "en")
        assert client.post("/masuk", data={"email": email, "password": DEMO_PASSWORD}).status_code == 303
        page = client.get("/pendaftaran/").get_data(as_text=True)
        states = dict(re.findall(r'id="status-(\w+)">([^<]*)<', page))
        assert len(states) == 6 and set(states.values()) == {"Completed"}, (email, states)
        answers = client.get("/pendaftaran/periksa").get_data(as_text=True)
        thumbnails = re.findall(r'<img class="photo-thumb" src="([^"]+)"', answers)
        assert len(thumbnails) == 2, email  # the KTP photo and the selfie, each one a real JPEG
        for src in thumbnails:
            photo = client.get(src.replace("&amp;", "&"))
            assert photo.status_code == 200 and photo.data[:3] == b"\xff\xd8\xff", (email, src)


def test_rinas_three_waves_had_quotas_filled_before_her_and_her_letter_waits(app, runner):
    """The story seed-demo prints: Rina was not selected three times, so her statement letter waits for the PMO.
    Each of her waves had real seats, all taken by people ahead of her in the draw's order."""
    from portal.models import StatementLetter, Wave, WaveEntry

    output = runner.invoke(args=["seed-demo"]).output
    assert "rina@contoh.id (Rina Marlina), not selected three times, letter waiting for the PMO" in output
    with app.app_context():
        rina = Application.get(Application.account == Account.by_email("rina@contoh.id"))
        hers = (WaveEntry.select(WaveEntry, Wave).join(Wave).where(WaveEntry.application == rina.id)
                .order_by(Wave.number))
        assert [entry.wave.number for entry in hers] == [1, 2, 3]
        for entry in hers:
            wave = entry.wave
            entries = WaveEntry.select().where(WaveEntry.wave == wave.id)
            selected = entries.where(WaveEntry.outcome == "selected").count()
            assert 0 < wave.quota < entries.count() and selected == wave.quota, (wave.number, wave.quota)
            assert (entry.outcome, entry.reason) == ("not_selected", "national_quota_full")
        assert StatementLetter.get(StatementLetter.application == rina.id).status == "pending"
        assert Wave.select().where(Wave.quota < 1).count() == 0  # every demo wave has seats

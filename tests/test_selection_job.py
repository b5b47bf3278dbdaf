"""The PMO's selection as a queued job: asked for once however often it is clicked, watched on a fragment htmx
polls (and a page to reload without it), failed without a trace in the data, and never run again once
applicants were told."""

import threading
from datetime import timedelta

import pytest

from portal.domain import DomainError
from portal.models import AuditEntry, Wave, WaveEntry, db, utcnow
from portal.services import audit, selection_jobs
from queue_support import Consumer, queue_in, sqlite_queue, wait_for
from wave_support import make_application, past_wave

RUN = "Run the selection"


@pytest.fixture
def wave(app):
    with app.app_context():
        return past_wave(5, quota=2, entries=[make_application(province=p) for p in ("32", "32", "35")])


def actions(app, name):
    with app.app_context():
        return AuditEntry.select().where(AuditEntry.action == name).count()


def stored(app, wave):
    with app.app_context():
        return Wave.get_by_id(wave.id), {e.outcome for e in WaveEntry.select().where(WaveEntry.wave == wave.id)}


def test_the_request_is_queued_refused_twice_watched_and_run_once(app, pmo, wave, tmp_path):
    with queue_in(sqlite_queue(tmp_path / "huey.db")) as queue:
        response = pmo.post("/pmo/gelombang/5/seleksi")
        assert response.status_code == 303 and response.headers["Location"].endswith("/pmo/gelombang/5/seleksi")
        [job] = queue.pending()
        assert job.name == "run_selection" and stored(app, wave)[1] == {None}  # queued, not run

        page = pmo.get("/pmo/gelombang/5/seleksi").get_data(as_text=True)
        assert "<html" in page and "The selection is waiting for its turn" in page and "Reload" in page
        fragment = pmo.get("/pmo/gelombang/5/seleksi", headers={"HX-Request": "true"}).get_data(as_text=True)
        assert "<html" not in fragment and 'data-hx-trigger="every 3s"' in fragment and "waiting" in fragment
        unchanged = pmo.get("/pmo/gelombang/5/seleksi?seen=queued", headers={"HX-Request": "true"})
        assert unchanged.status_code == 204 and "HX-Redirect" not in unchanged.headers
        assert "waiting" in pmo.get("/pmo/gelombang/5/seleksi?seen=queued").get_data(as_text=True)
        detail = pmo.get("/pmo/gelombang/5").get_data(as_text=True)
        assert "The selection is waiting for its turn" in detail and RUN not in detail

        again = pmo.post("/pmo/gelombang/5/seleksi")
        assert again.headers["Location"].endswith("/pmo/gelombang/5")
        assert "already running" in pmo.get("/pmo/gelombang/5").get_data(as_text=True)
        assert queue.pending_count() == 1 and actions(app, "wave.selection_requested") == 1

        queue.enqueue(job)  # the same job delivered twice, as a queue may after a worker's crash
        with app.app_context():  # as the consumer's worker runs it
            for task in (queue.dequeue(), queue.dequeue()):
                queue.execute(task)
        assert [t.name for t in queue.pending()] == ["send_wave_results"]
    assert actions(app, "wave.selected") == 1
    after, outcomes = stored(app, wave)
    assert after.selected_at and after.selection_requested_at is None and outcomes == {"selected", "not_selected"}

    done = pmo.get("/pmo/gelombang/5/seleksi?seen=queued", headers={"HX-Request": "true"})
    assert done.status_code == 204 and done.headers["HX-Redirect"] == "/pmo/gelombang/5/hasil"
    done = pmo.get("/pmo/gelombang/5/seleksi")
    assert done.status_code == 303 and done.headers["Location"].endswith("/pmo/gelombang/5/hasil")
    results = pmo.get("/pmo/gelombang/5/hasil").get_data(as_text=True)
    assert after.seed in results and "waiting for its turn" not in results
    with app.app_context():
        requested = AuditEntry.get(AuditEntry.action == "wave.selection_requested")
        assert requested.actor_id is not None and requested.actor_id == AuditEntry.get(
            AuditEntry.action == "wave.selected").actor_id  # the PMO who asked, on both
        assert audit.verify().ok


def test_a_running_selection_says_since_when_in_both_languages(app, pmo, wave):
    with app.app_context():
        started = utcnow() - timedelta(minutes=5)  # as a worker stamps it when it takes the job
        Wave.update(selection_requested_at=started, selection_started_at=started).where(Wave.id == wave.id).execute()
    wib = started + timedelta(hours=7)
    page = pmo.get("/pmo/gelombang/5").get_data(as_text=True)
    assert f"The selection is running (started at {wib:%H:%M} WIB)" in page and RUN not in page
    pmo.set_cookie("lang", "id")
    page = pmo.get("/pmo/gelombang/5/seleksi").get_data(as_text=True)
    assert f"Seleksi sedang berjalan (mulai pukul {wib:%H:%M} WIB)" in page and "Muat ulang" in page
    assert "Seleksi berjalan" in pmo.get("/pmo/gelombang").get_data(as_text=True)  # the list of waves too


def test_a_failed_selection_writes_nothing_and_can_be_run_again(app, pmo, wave, monkeypatch):
    real = audit.record

    def broken(actor, action, *args, **kwargs):
        if action == "wave.selected":  # after the outcomes are written, before the transaction ends
            raise RuntimeError("disk full")
        return real(actor, action, *args, **kwargs)

    monkeypatch.setattr(audit, "record", broken)
    assert pmo.post("/pmo/gelombang/5/seleksi").status_code == 303  # the job runs at once, and fails
    monkeypatch.setattr(audit, "record", real)
    after, outcomes = stored(app, wave)
    assert outcomes == {None} and after.seed is None and after.selected_at is None and after.selection_failed_at
    assert pmo.get("/pmo/gelombang/5/seleksi").headers["Location"].endswith("/pmo/gelombang/5")
    polled = pmo.get("/pmo/gelombang/5/seleksi", headers={"HX-Request": "true"})
    assert polled.status_code == 204 and polled.headers["HX-Redirect"] == "/pmo/gelombang/5"
    page = pmo.get("/pmo/gelombang/5").get_data(as_text=True)
    assert "The selection did not finish, so nothing was changed" in page and RUN in page
    assert "Selection failed" in pmo.get("/pmo/gelombang").get_data(as_text=True)
    assert actions(app, "wave.selection_failed") == 1

    pmo.post("/pmo/gelombang/5/seleksi")
    after, outcomes = stored(app, wave)
    assert after.selected_at and after.selection_failed_at is None and outcomes == {"selected", "not_selected"}
    assert "did not finish" not in pmo.get("/pmo/gelombang/5").get_data(as_text=True)


def test_a_request_lost_for_an_hour_can_be_made_again(app, pmo, wave, tmp_path):
    with app.app_context():
        Wave.update(selection_requested_at=utcnow() - timedelta(hours=2)).where(Wave.id == wave.id).execute()
    page = pmo.get("/pmo/gelombang/5").get_data(as_text=True)
    assert "did not finish" in page and RUN in page
    with queue_in(sqlite_queue(tmp_path / "huey.db")) as queue:
        pmo.post("/pmo/gelombang/5/seleksi")
        assert queue.pending_count() == 1


def test_no_run_again_once_the_results_were_sent(app, pmo, wave):
    pmo.post("/pmo/gelombang/5/seleksi")  # runs, and tells everyone, at once in immediate mode
    after, _outcomes = stored(app, wave)
    assert after.results_sent_at
    page = pmo.get("/pmo/gelombang/5").get_data(as_text=True)
    assert "cannot be run again" in page and "Run the selection again" not in page
    refused = pmo.post("/pmo/gelombang/5/seleksi")
    assert refused.headers["Location"].endswith("/pmo/gelombang/5")
    assert "change outcomes they have already been told" in pmo.get("/pmo/gelombang/5").get_data(as_text=True)
    # Part-way through the sending (results_sent_at not stamped yet), the ones told are enough to refuse.
    with app.app_context():
        Wave.update(results_sent_at=None).where(Wave.id == wave.id).execute()
    assert "Run the selection again" not in pmo.get("/pmo/gelombang/5").get_data(as_text=True)
    pmo.post("/pmo/gelombang/5/seleksi")
    assert actions(app, "wave.selection_requested") == 1 and actions(app, "wave.selected") == 1


def test_before_the_results_are_sent_it_can_be_run_again(app, pmo, wave, tmp_path):
    with queue_in(sqlite_queue(tmp_path / "huey.db")) as queue:
        pmo.post("/pmo/gelombang/5/seleksi")
        with app.app_context():
            queue.execute(queue.dequeue())  # the selection; its results wait in the queue
        seed = stored(app, wave)[0].seed
        assert "Run the selection again" in pmo.get("/pmo/gelombang/5").get_data(as_text=True)
        pmo.post("/pmo/gelombang/5/seleksi")
        results = pmo.get("/pmo/gelombang/5/hasil").get_data(as_text=True)
        assert "waiting for its turn" in results and "the results of the previous run stay" in results
        assert "run_selection" in [t.name for t in queue.pending()]
    assert stored(app, wave)[0].seed == seed


def test_two_requests_at_the_same_moment_make_one_job(app, wave, make_staff, tmp_path):
    pmo = make_staff("pmo")
    barrier, outcomes = threading.Barrier(2), []

    def ask():
        with app.app_context(), db.connection_context():
            barrier.wait()
            try:
                selection_jobs.ask(wave, pmo)
                outcomes.append("queued")
            except DomainError:
                outcomes.append("refused")

    with queue_in(sqlite_queue(tmp_path / "huey.db")) as queue:
        threads = [threading.Thread(target=ask) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        assert sorted(outcomes) == ["queued", "refused"]
        assert queue.pending_count() == 1
    assert actions(app, "wave.selection_requested") == 1


def test_a_real_consumer_runs_the_job_and_sends_the_results(app, app_config, pmo, wave, tmp_path, mailbox, sms):
    consumer = Consumer(tmp_path, app_config)
    try:
        with queue_in(consumer.storage()):
            pmo.post("/pmo/gelombang/5/seleksi")
        assert stored(app, wave)[1] == {None}
        consumer.start()
        assert wait_for(lambda: stored(app, wave)[0].results_sent_at)
    finally:
        consumer.stop()
    assert stored(app, wave)[1] == {"selected", "not_selected"} and "Traceback" not in consumer.log()
    assert pmo.get("/pmo/gelombang/5/seleksi").headers["Location"].endswith("/pmo/gelombang/5/hasil")


def test_walkins_wait_for_the_next_wave_once_the_selection_is_asked_for(app, pmo, wave, tmp_path):
    with app.app_context():
        walkin = make_application(channel="walkin", status="confirmed")
    assert "Enter them into this wave" in pmo.get("/pmo/gelombang/5").get_data(as_text=True)  # closed, not run
    with queue_in(sqlite_queue(tmp_path / "huey.db")) as queue:
        pmo.post("/pmo/gelombang/5/seleksi")
        page = pmo.get("/pmo/gelombang/5").get_data(as_text=True)
        assert "Enter them into this wave" not in page
        refused = pmo.post("/pmo/gelombang/5/pendaftar-langsung", follow_redirects=True).get_data(as_text=True)
        assert "has been run or is running" in refused
        assert pmo.get("/pmo/gelombang/5/seleksi/konfirmasi").headers["Location"].endswith("/pmo/gelombang/5")
        with app.app_context():
            queue.execute(queue.dequeue())  # the selection runs without the walk-in
            assert not WaveEntry.select().where(WaveEntry.application == walkin.id).exists()
    assert actions(app, "wave.entered") == 0


def test_a_failed_selection_still_takes_walkins_before_it_is_run_again(app, pmo, wave):
    with app.app_context():
        Wave.update(selection_failed_at=utcnow()).where(Wave.id == wave.id).execute()
        walkin = make_application(channel="walkin", status="confirmed")
    page = pmo.get("/pmo/gelombang/5/seleksi/konfirmasi").get_data(as_text=True)
    assert "1 confirmed walk-in candidate is not in this wave" in page
    pmo.post("/pmo/gelombang/5/pendaftar-langsung", data={"then": "select"})
    pmo.post("/pmo/gelombang/5/seleksi")
    with app.app_context():
        assert WaveEntry.get(WaveEntry.application == walkin.id).outcome == "selected"

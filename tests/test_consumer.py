"""A real job consumer process (`huey_consumer portal.jobs.huey`) started, killed and restarted around deliveries."""

import json
import subprocess
import sys
import time

import pytest

from conftest import PASSWORD
from portal.models import OutboxMessage
from portal.sms import send_sms
from queue_support import ROOT, Consumer, queue_in, wait_for
from wizard_support import PHONE, PHONE_E164, application_of, complete_sections


@pytest.fixture
def consumers(tmp_path, app_config):
    """Make consumer processes on the test's database and one queue file; all are stopped afterwards."""
    made = []

    def make(**settings):
        made.append(Consumer(tmp_path, app_config, **settings))
        return made[-1]

    yield make
    for consumer in made:
        consumer.stop()


def all_sent(app):
    with app.app_context():
        return not OutboxMessage.select().where(OutboxMessage.sent_at.is_null()).exists()


def test_a_freshly_started_consumer_sends_an_sms_as_its_first_job(app, applicant, consumers, sms):
    """Item 4: a new consumer did not know the SMS task until an email task had run, so the first codes were lost."""
    consumer = consumers()
    with queue_in(consumer.storage()):
        assert applicant.post("/pendaftaran/nomor-hp", data={"phone": PHONE}).status_code == 303
    assert sms.requests == []
    consumer.start()
    [text] = wait_for(lambda: sms.texts_to(PHONE_E164))
    assert wait_for(lambda: all_sent(app), timeout=5)
    consumer.stop()
    assert applicant.post("/pendaftaran/nomor-hp/kode", data={"code": text}).status_code == 303
    log = consumer.log()
    assert "TaskRegistry" not in log and "Traceback" not in log and sms.last_code(PHONE_E164) not in log


KILL_AT = {
    # What replaces the queue in the web process: it dies the moment it would queue, or once it has.
    "before queueing": "outbox.deliver_message = lambda *a, **k: os.kill(os.getpid(), signal.SIGKILL)",
    "after queueing": "real = outbox.queue\n"
                      "outbox.queue = lambda ids: (real(ids), os.kill(os.getpid(), signal.SIGKILL))",
}
WEB_PROCESS = """
import json, os, signal, sys
from portal import create_app, outbox
app = create_app(json.loads(sys.argv[1]))
{kill}
client = app.test_client()
client.post("/masuk", data={{"email": "ani@contoh.id", "password": sys.argv[2]}})
client.post("/pendaftaran/periksa", data={{"declaration": "y"}})
print("not killed")
"""


@pytest.mark.parametrize("moment", KILL_AT)
def test_a_web_process_killed_after_sending_commits_delivers_once(app, app_config, applicant, consumers, sms,
                                                                    mailbox, moment):
    """Item 13: a kill -9 between the commit and the queue lost the "sent" email and SMS for good."""
    complete_sections(applicant, sms)
    sms.clear()
    consumer = consumers(OUTBOX_LEASE_SECONDS=1)
    web = subprocess.run(
        [sys.executable, "-c", WEB_PROCESS.format(kill=KILL_AT[moment]),
         json.dumps({**app_config, "HUEY_IMMEDIATE": False}), PASSWORD],
        cwd=ROOT, env=consumer.env, capture_output=True, text=True, timeout=60,
    )
    assert web.returncode == -9 and "not killed" not in web.stdout, web.stderr[-2000:]
    sent = application_of(app)
    assert sent.status == "submitted" and sms.requests == [] and mailbox.to("ani@contoh.id", timeout=0) == []

    consumer.start()
    assert wait_for(lambda: all_sent(app) and sms.requests and mailbox.to("ani@contoh.id", timeout=0))
    time.sleep(1.5)  # room for a second delivery, were there one
    consumer.stop()
    assert [sent.reference in text for text in sms.texts_to(PHONE_E164)] == [True]
    assert [sent.reference in message["Subject"] for message in mailbox.to("ani@contoh.id")] == [True]


def queue_batch(app, consumer, count):
    """Post `count` SMS to the outbox, each queued on the consumer's queue; returns the texts."""
    texts = {f"+62812{n:08d}": f"Pesan uji nomor {n}" for n in range(count)}
    with queue_in(consumer.storage()), app.app_context():
        for number, text in texts.items():
            send_sms(number, text)
    return texts


def received(sms):
    return [json.loads(request["body"])["text"] for request in sms.requests]


def test_a_consumer_killed_mid_batch_and_restarted_loses_nothing(app, consumers, sms):
    """Item 13: jobs being worked when the consumer was killed were gone (2 of 120)."""
    consumer = consumers(OUTBOX_LEASE_SECONDS=1)
    texts = queue_batch(app, consumer, 100)
    sms.delay = 0.05  # a slow gateway, so the kill lands mid-batch
    consumer.start()
    assert wait_for(lambda: len(sms.requests) >= 30)
    consumer.kill()
    at_kill = len(sms.requests)
    assert at_kill < len(texts)
    time.sleep(1.2)  # the dead workers' claims run out (OUTBOX_LEASE_SECONDS)
    consumer.start()
    assert wait_for(lambda: all_sent(app), timeout=30)
    consumer.stop()
    delivered = received(sms)
    assert set(delivered) == set(texts.values())  # none lost
    doubled = len(delivered) - len(texts)
    # Only a message a worker was sending when it died can go twice: the gateway took it, the row was not marked.
    assert 0 <= doubled <= 2, (at_kill, doubled)
    print(f"\nkilled after {at_kill} of 100 SMS; after the restart all 100 arrived, {doubled} twice")


def test_a_batch_goes_once_each_although_the_sweep_queues_it_again(app, consumers, sms):
    consumer = consumers(OUTBOX_LEASE_SECONDS=1)
    texts = queue_batch(app, consumer, 40)
    time.sleep(1.2)  # every job is now old enough for the consumer's start-up sweep to queue it a second time
    consumer.start()
    assert wait_for(lambda: all_sent(app), timeout=30)
    time.sleep(0.5)
    consumer.stop()
    assert sorted(received(sms)) == sorted(texts.values())


def test_the_consumer_retries_with_the_delay_and_count_from_the_settings(app, consumers, sms):
    """Item 12: the real task in a real consumer, with OUTBOX_RETRIES and OUTBOX_RETRY_DELAY as configured."""
    settings = {"OUTBOX_RETRIES": 2, "OUTBOX_RETRY_DELAY": 1}
    app.config.update(settings)  # one deployment's settings, read by its web and consumer processes alike
    consumer = consumers(**settings)
    queue_batch(app, consumer, 1)
    sms.fail(2)  # the gateway refuses twice, then accepts
    consumer.start()
    assert wait_for(lambda: all_sent(app), timeout=20)
    consumer.stop()
    times = [request["at"] for request in sms.requests]
    assert len(times) == 3 and all(later - earlier >= 1 for earlier, later in zip(times, times[1:]))
    with app.app_context():
        assert OutboxMessage.get().attempts == 3

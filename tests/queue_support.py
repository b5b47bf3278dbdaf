"""The app's real Huey queue in a SQLite file, worked by hand or by a real consumer process."""

import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager

from huey.storage import SqliteStorage

from portal.jobs import huey

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HUEY_CONSUMER = os.path.join(os.path.dirname(sys.executable), "huey_consumer")


@contextmanager
def queue_in(storage):
    """The app's Huey instance, with its real tasks, keeping jobs in `storage` instead of running them at once."""
    saved = huey.storage, huey.immediate
    huey._immediate, huey.storage = False, storage  # the setter would open the default file in instance/
    try:
        yield huey
    finally:
        huey.storage, huey._immediate = saved


def sqlite_queue(path, timeout=5):
    return SqliteStorage("portal", filename=str(path), timeout=timeout)


def work(queue):
    """Run every queued job, and each scheduled retry as if its time had come; returns how many ran."""
    done = 0
    while True:
        task = queue.dequeue()
        if task is not None:
            queue.execute(task)
            done += 1
            continue
        scheduled = queue.scheduled()
        if not scheduled:
            return done
        for task in queue.read_schedule(min(task.eta for task in scheduled)):
            queue.execute(task, timestamp=task.eta)
            done += 1


def wait_for(condition, timeout=20.0, interval=0.05):
    """Poll until condition() is true; returns its last value."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(interval)


class Consumer:
    """`huey_consumer portal.jobs.huey` in its own process, on the test's database and its own SQLite queue file."""

    def __init__(self, tmp_path, app_config, **settings):
        self.queue_file = tmp_path / "huey.db"
        self.log_file = tmp_path / "consumer.log"
        settings = {
            "SECRET_KEY": app_config["SECRET_KEY"],
            "BASE_URL": app_config["BASE_URL"],
            "DATABASE_URL": app_config["DATABASE_URL"],
            "MAIL_BACKEND": "smtp",
            "MAIL_SERVER": app_config["MAIL_SERVER"],
            "MAIL_PORT": app_config["MAIL_PORT"],
            "SMS_BACKEND": "http",
            "SMS_HTTP_URL": app_config["SMS_HTTP_URL"],
            "SMS_HTTP_TIMEOUT": 5,
            **settings,
        }
        self.env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
        self.env.update({f"PORTAL_{name}": str(value) for name, value in settings.items()})
        self.env["PORTAL_HUEY_URL"] = f"sqlite:///{self.queue_file}"
        self.env["PYTHONPATH"] = ROOT
        self.process = None

    def storage(self, timeout=5):
        """The consumer's queue, opened from this (the web) process."""
        return sqlite_queue(self.queue_file, timeout)

    def start(self, workers=2):
        with open(self.log_file, "a") as log:
            self.process = subprocess.Popen(
                [HUEY_CONSUMER, "portal.jobs.huey", "--workers", str(workers), "--worker-type", "thread",
                 "--scheduler-interval", "1", "--delay", "0.05", "--max-delay", "0.2"],
                cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
            )
        return self

    def kill(self):
        """kill -9: no clean-up of any kind."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)  # Huey's graceful stop
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()

    def log(self):
        return self.log_file.read_text() if self.log_file.exists() else ""

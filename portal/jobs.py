"""The Huey queue and every task it runs: delivering one outbox message, the sweep for the ones left behind,
sending a wave's results, and running a wave's selection.

The queue is chosen here at import, the one place that reads configuration before the app exists,
because the consumer (`huey_consumer portal.jobs.huey`) imports this module on its own; for the same
reason every task is defined here, so a freshly started consumer knows them all.
PORTAL_HUEY_URL=redis://... uses Redis, sqlite:///path a SQLite file there; unset, a SQLite file in instance/.
"""

import functools
import os
import threading

from flask import has_app_context
from huey import RedisHuey, SqliteHuey, crontab

from portal.models import db

INSTANCE_DIR = os.path.join(os.path.dirname(os.path.dirname(__file__)), "instance")


def make_huey():
    """Redis or a SQLite file, as PORTAL_HUEY_URL says."""
    url = os.environ.get("PORTAL_HUEY_URL", "")
    # No task returns anything worth keeping, and a stored failure would keep its traceback in the queue.
    if url.startswith("redis://"):
        return RedisHuey("portal", url=url, results=False)
    if url.startswith("sqlite:///"):
        return SqliteHuey("portal", filename=url[len("sqlite:///"):], results=False)
    os.makedirs(INSTANCE_DIR, exist_ok=True)
    return SqliteHuey("portal", filename=os.path.join(INSTANCE_DIR, "huey.db"), results=False)


huey = make_huey()
_worker_app = None
_worker_app_lock = threading.Lock()


def worker_app():
    """The app a worker process runs its tasks in, created on first use."""
    global _worker_app
    with _worker_app_lock:
        if _worker_app is None:
            from portal import create_app

            _worker_app = create_app()
    return _worker_app


def in_app_context(fn):
    """Run a task in an app context with a database connection; in immediate mode, in the caller's."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        if has_app_context():
            return fn(*args, **kwargs)
        # Not db.connection_context(): a task that makes a request context of its own (sending results renders
        # templates) has the connection closed by the request's teardown, and the context's exit then fails.
        with worker_app().app_context():
            try:
                return fn(*args, **kwargs)
            finally:
                if not db.is_closed():
                    db.close()  # to the pool, on PostgreSQL

    return wrapper


@huey.task()
@in_app_context
def deliver_message(message_id):
    """Send one outbox message: the job carries only its id. Its retries and their delay are set when queued."""
    from portal import outbox  # outbox queues this task, so it is imported only when the task runs

    outbox.deliver(message_id)


@huey.periodic_task(crontab())
@in_app_context
def sweep_outbox():
    """Queue again the messages a crash or a lost job left unsent: every minute, and when a consumer starts."""
    from portal import outbox

    outbox.sweep()


@huey.task()
@in_app_context
def send_wave_results(wave_id):
    """Post the results of a wave's selection to the outbox, a chunk at a time (portal.services.notify)."""
    from portal.services import notify

    notify.send_results(wave_id)


@huey.task()
@in_app_context
def run_selection(wave_id, actor_id=None, ip=None):
    """Run the selection of a wave the PMO asked for, then queue its results (portal.services.selection_jobs)."""
    from portal.services import selection_jobs

    selection_jobs.perform(wave_id, actor_id, ip)

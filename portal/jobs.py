"""The Huey queue and its tasks: email now, SMS later.

The queue is chosen here at import, the one place that reads configuration before the app exists,
because the consumer (`huey_consumer portal.jobs.huey`) imports this module on its own:
PORTAL_HUEY_URL=redis://... uses Redis; otherwise a SQLite file in instance/.
"""

import functools
import os
import sys

from flask import current_app, has_app_context
from flask_mail import Message
from huey import RedisHuey, SqliteHuey

from portal.extensions import mail

INSTANCE_DIR = os.path.join(os.path.dirname(os.path.dirname(__file__)), "instance")


def make_huey():
    """Redis when PORTAL_HUEY_URL names it, else SQLite beside the portal database."""
    url = os.environ.get("PORTAL_HUEY_URL", "")
    if url.startswith("redis://"):
        return RedisHuey("portal", url=url)
    os.makedirs(INSTANCE_DIR, exist_ok=True)
    return SqliteHuey("portal", filename=os.path.join(INSTANCE_DIR, "huey.db"))


huey = make_huey()
_worker_app = None


def in_app_context(fn):
    """Run a task inside an app context, creating the app once per worker process."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        global _worker_app
        if has_app_context():
            return fn(*args, **kwargs)
        if _worker_app is None:
            from portal import create_app

            _worker_app = create_app()
        with _worker_app.app_context():
            return fn(*args, **kwargs)

    return wrapper


@huey.task(retries=5, retry_delay=30)
@in_app_context
def deliver_email(subject, recipient, text, html):
    """Send one email over SMTP, or print it when no mail server is configured."""
    if current_app.config["MAIL_BACKEND"] == "console":
        print(f"\n----- email to {recipient}: {subject}\n{text}\n-----", file=sys.stdout, flush=True)
        return
    mail.send(Message(subject=subject, recipients=[recipient], body=text, html=html))

"""Composing emails from templates and posting them to the outbox; handing one to the mail server."""

import sys
from datetime import timedelta

from flask import current_app
from flask_mail import Message

from portal import outbox
from portal.extensions import mail
from portal.models import EmailLog, db, utcnow
from portal.rendering import render_block


def send_email(kind, to_address, account=None, **context):
    """Render email/<kind>.html's subject, text and html blocks, log it, and post it to the outbox."""
    template = f"email/{kind}.html"
    subject = render_block(template, "subject", **context).strip()
    text = render_block(template, "text", **context).strip() + "\n"
    html = render_block(template, "html", **context)
    with db.atomic():
        EmailLog.create(account=account, to_address=to_address, kind=kind)
        outbox.post("email", kind, to=to_address, subject=subject, text=text, html=html)


def deliver(to, subject, text, html):
    """Send one email over SMTP, or print it when no mail server is configured (runs in the queue's worker)."""
    if current_app.config["MAIL_BACKEND"] == "console":
        print(f"\n----- email to {to}: {subject}\n{text}\n-----", file=sys.stdout, flush=True)
        return
    mail.send(Message(subject=subject, recipients=[to], body=text, html=html))


def send_allowance(to_address, kinds, cooldown, hourly_cap):
    """How long until another email of these kinds may go to an address (0 = now), and how many remain this hour."""
    now = utcnow()
    sent = list(EmailLog.recent(to_address, kinds, now - timedelta(hours=1)))
    remaining = max(hourly_cap - len(sent), 0)
    if not sent:
        return 0, remaining
    wait = cooldown - (now - sent[0].created_at).total_seconds()
    if remaining == 0:
        wait = max(wait, 3600 - (now - sent[-1].created_at).total_seconds())
    return max(int(wait + 0.999), 0), remaining

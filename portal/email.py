"""Composing emails from templates and queueing them for delivery."""

from datetime import timedelta

from portal.jobs import deliver_email
from portal.models import EmailLog, utcnow
from portal.rendering import render_block


def send_email(kind, to_address, account=None, **context):
    """Render email/<kind>.html's subject, text and html blocks, log it, and queue it."""
    template = f"email/{kind}.html"
    subject = render_block(template, "subject", **context).strip()
    text = render_block(template, "text", **context).strip() + "\n"
    html = render_block(template, "html", **context)
    EmailLog.create(account=account, to_address=to_address, kind=kind)
    deliver_email(subject, to_address, text, html)


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

"""Telling applicants that their application was returned, ratified, confirmed or rejected: an email (to the
account's verified address, else the address given at the desk) and an SMS (the number on the record).

The messages are written to the outbox in the transaction of the move itself (portal.services.status), so a
move and its notices are kept or lost together, and a move that did not happen (a retry, a record moved
meanwhile) sends nothing. Texts are rendered once per move with placeholders, then filled in per record, so
a ratification of 10,000 records writes its 20,000 rows in bulk; those are left to the outbox's sweep and
sent by the queue's workers, never inside the request. Texts are in the language the applicant uses the
portal in (portal.languages): Indonesian for a walk-in without an account, whatever the staff page's language.
"""

from flask import current_app
from flask_babel import force_locale
from markupsafe import escape
from peewee import JOIN

from portal import languages, outbox
from portal.i18n import lazy_gettext as _l
from portal.links import external_url
from portal.models import Account, Application
from portal.rules import status
from portal.rules.phone import gsm7, sms_length
from portal.sms import MAX_SEPTETS, link_of, sms_text

NOTIFIED = frozenset({status.RETURNED, status.RATIFIED, status.CONFIRMED, status.REJECTED})
REFERENCE, NAME = "@@REFERENCE@@", "@@NAME@@"
CHUNK = 1000

NEXT_STEPS = {
    status.RETURNED: _l("The manpower office that entered your form will correct it and send it again. If it "
                        "needs something from you, it will contact you; you can also visit it with your e-KTP."),
    status.RATIFIED: _l("The Ministry of Manpower has ratified your registration. The programme office will "
                        "now check it and confirm you as a candidate participant."),
    status.CONFIRMED: _l("You are a candidate participant of Prakerja, with priority in the selection of the "
                         "next wave. You can claim an online account with your reference number to follow "
                         "your application:"),
    status.REJECTED: _l("If you think this is a mistake, visit the manpower office where you registered, with "
                        "your e-KTP."),
}
# A reason that needs other advice than its status's (an online applicant has no office where they registered).
REASON_STEPS = {
    "nik_dispute_lost": _l("The NIK has been taken off your application. If this NIK really is yours, visit a "
                           "manpower office with your original e-KTP and family card (KK)."),
}
SMS_TEXT = sms_text(_l("Prakerja %(reference)s: %(status)s.%(reason)s Check status: %(link)s"),
                    link="tracking.status_check")
SMS_REASON = _l(" Reason: %(reason)s.")


def render_email(**context):
    """Subject, text and html of email/status_changed.html: only its own values, so that it renders the same in
    a request, a job or a command (the request's context processors are not needed)."""
    template = current_app.jinja_env.get_template("email/status_changed.html")
    parts = ["".join(template.blocks[block](template.new_context(context))) for block in ("subject", "text", "html")]
    return parts[0].strip(), parts[1].strip() + "\n", parts[2]


def compose(to, reason, language="id"):
    """The email's subject, text and html and the SMS text for a move to `to`, with placeholders, in a language."""
    link = external_url(link_of(SMS_TEXT))
    with force_locale(language):
        label, why = str(status.label(to)), str(status.reason_label(reason))
        email = render_email(reference=REFERENCE, name=NAME, status_label=label, reason_label=why,
                             next_step=str(REASON_STEPS.get(reason, NEXT_STEPS[to])), status_link=link,
                             claim_link=external_url("tracking.claim") if to == status.CONFIRMED else None)
        sms = str(SMS_TEXT % {"reference": REFERENCE, "status": label, "link": link,
                              "reason": str(SMS_REASON % {"reason": why}) if why else ""})
        # One SMS at most (a reference is 12 characters): a reason that does not fit is on the status page.
        if not gsm7(sms) or sms_length(sms.replace(REFERENCE, "PK-XXXX-XXXX")) > MAX_SEPTETS:
            sms = str(SMS_TEXT % {"reference": REFERENCE, "status": label, "link": link, "reason": ""})
    return email, sms


def recipients(ids):
    """(reference, name, email or None, phone or None, language) of each application, in chunks."""
    for start in range(0, len(ids), CHUNK):
        query = (Application.select(Application.reference, Application.full_name, Application.contact_email,
                                    Application.phone, Application.verified_phone, Account.email,
                                    Account.email_verified_at, Account.language)
                 .join(Account, join_type=JOIN.LEFT_OUTER, on=(Application.account == Account.id))
                 .where(Application.id.in_(ids[start:start + CHUNK])).order_by(Application.id).tuples())
        for reference, name, contact, phone, verified, account_email, account_verified, language in query:
            email = account_email if account_email and account_verified else contact
            yield (reference, name or "", email or None, verified or phone or None,
                   languages.known(language))


def notify(ids, to, reason=None, bulk=False):
    """Write the email and SMS about a move to `to` for these applications; call inside the move's transaction.

    bulk=True leaves the rows to the outbox's sweep, so that a request moving thousands sends nothing itself.
    """
    if to not in NOTIFIED or not ids:
        return 0
    texts = {}  # one rendering per language, not per record
    rows = []
    for reference, name, email, phone, language in recipients(list(ids)):
        if language not in texts:
            texts[language] = compose(to, reason, language)
        (subject, text, html), sms = texts[language]
        if email:
            rows.append(("email", "status_changed", {
                "to": email, "subject": subject.replace(REFERENCE, reference),
                "text": text.replace(REFERENCE, reference).replace(NAME, name),
                "html": html.replace(REFERENCE, reference).replace(NAME, str(escape(name)))}))
        if phone:
            rows.append(("sms", "status_changed", {"to": phone, "text": sms.replace(REFERENCE, reference)}))
    outbox.post_many(rows, send=not bulk)
    return len(rows)

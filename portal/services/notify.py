"""Telling applicants their wave result by email and SMS, through the outbox, in the background.

Results are posted CHUNK entries at a time, each chunk in one transaction that also stamps the entries'
notified_at with a conditional UPDATE, so an entry is told once: a re-run of selection, a second worker or
a retried job finds nothing left to send for it. The outbox's workers then send at the carriers' pace.
"""

from flask import current_app, has_request_context
from flask_babel import force_locale
from peewee import JOIN

from portal import languages, outbox
from portal.email import send_email
from portal.i18n import lazy_gettext as _l
from portal.links import external_url
from portal.models import Account, Application, Wave, WaveEntry, db, utcnow
from portal.rules import screening
from portal.rules import waves as rules
from portal.services import audit
from portal.sms import send_sms, sms_text

CHUNK = 500

SMS_TEXTS = {
    rules.OUTCOME_SELECTED: sms_text(_l("Congratulations, you were selected in Prakerja wave %(number)d. See the "
                                        "next steps: %(link)s"), link="applicant.task_list"),
    rules.OUTCOME_NOT_SELECTED: sms_text(_l("You were not selected in Prakerja wave %(number)d because the quota "
                                            "was full. You can join the next wave. Info: %(link)s"), link="applicant.task_list"),
    rules.OUTCOME_INELIGIBLE: sms_text(_l("You do not meet the conditions of Prakerja wave %(number)d. Why: "
                                          "%(link)s"), link="applicant.task_list"),
}


def queue_wave(wave):
    """Put the sending of a wave's results on the queue (runs at once in immediate mode)."""
    from portal.jobs import send_wave_results

    send_wave_results(wave.id)


def send_results(wave_id, chunk=CHUNK):
    """Post every untold entry's result of the wave; returns how many entries were told by this call."""
    if has_request_context():
        with force_locale("id"):
            return _send_results(wave_id, chunk)
    # Templates need a request; the queue's worker has none. Each result goes out in its reader's language.
    with current_app.test_request_context(base_url=current_app.config["BASE_URL"]), force_locale("id"):
        return _send_results(wave_id, chunk)


def _send_results(wave_id, chunk):
    wave = Wave.get_by_id(wave_id)
    told = 0
    while True:
        with db.atomic():
            ids = [row.id for row in WaveEntry.select(WaveEntry.id).where(
                WaveEntry.wave == wave.id, WaveEntry.notified_at.is_null(), WaveEntry.outcome.is_null(False),
            ).order_by(WaveEntry.id).limit(chunk)]
            if not ids:
                break
            claimed = [row.id for row in WaveEntry.update(notified_at=utcnow()).where(
                WaveEntry.id.in_(ids), WaveEntry.notified_at.is_null()).returning(WaveEntry.id).execute()]
            entries = (WaveEntry.select(WaveEntry, Application, Account).join(Application)
                       .join(Account, on=(Application.account == Account.id), join_type=JOIN.LEFT_OUTER)
                       .where(WaveEntry.id.in_(claimed)))
            for entry in entries:
                _tell(wave, entry)
            told += len(claimed)
        outbox.flush()
    if Wave.update(results_sent_at=utcnow()).where(Wave.id == wave.id, Wave.results_sent_at.is_null()).execute():
        audit.record(None, "wave.results_sent", wave, fields=["results_sent_at"])
    return told


def _tell(wave, entry):
    """Post one entry's email (where the person has an address) and SMS (where they have a number), in the
    language they use the portal in (portal.languages)."""
    application = entry.application
    account = application.account if application.account_id else None
    with force_locale(languages.of(account)):
        _post(wave, entry, application, account)


def _post(wave, entry, application, account):
    address = account.email if account else application.contact_email
    if address:
        send_email("wave_result", address, account=account, name=application.full_name, number=wave.number,
                   outcome=entry.outcome, outcome_label=rules.OUTCOME_LABELS[entry.outcome],
                   reason=screening.reason_label(entry.reason), status_link=external_url("applicant.task_list"))
    phone = application.verified_phone or None
    if phone:
        send_sms(phone, SMS_TEXTS[entry.outcome], kind="wave_result", language=languages.of(account),
                 number=wave.number)

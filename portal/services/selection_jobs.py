"""The PMO's selection as a queued job: asked for from the wave page, run by a worker, watched until done.

A million entries take about a minute, longer than a web request may. Asking is a conditional UPDATE on the
wave row, so two PMO clicks (or two PMOs) make one request; a worker claims it with another, so a job
delivered twice runs once. A run is one transaction (services.selection): a failure leaves nothing written.
"""

from datetime import timedelta

from peewee import fn

from portal.domain import DomainError
from portal.i18n import lazy_gettext as _l
from portal.jobs import run_selection
from portal.models import Account, Wave, WaveEntry, db, utcnow
from portal.rules import waves as rules
from portal.services import audit, selection

# A request still unfinished after this long was lost (a worker killed mid-run): the PMO may ask again. The
# longest run measured is under two minutes, and a second run would wait on the first's row locks anyway.
LOST_AFTER = timedelta(hours=1)

RUNNING = _l("The selection of this wave is already running. Wait for it to finish.")
TOLD = _l("The results of this wave have been sent to applicants, so the selection cannot be run again: a new "
          "run could change outcomes they have already been told.")

QUEUED, STARTED, FAILED = "queued", "running", "failed"
# How the wave list names a wave whose selection was asked for (before its own state, rules.waves.wave_state).
PROGRESS_LABELS = {QUEUED: _l("Selection waiting"), STARTED: _l("Selection running"),
                   FAILED: _l("Selection failed")}


def told(wave):
    """Whether any applicant has been told a result of this wave (or all of them have)."""
    return bool(wave.results_sent_at) or bool(wave.selected_at) and WaveEntry.select().where(
        WaveEntry.wave == wave.id, WaveEntry.notified_at.is_null(False)).exists()


def progress(wave, now=None):
    """QUEUED, STARTED or FAILED (a request lost for LOST_AFTER counts as failed), or None."""
    now = now or utcnow()
    if wave.selection_requested_at:
        if wave.selection_requested_at < now - LOST_AFTER:
            return FAILED
        return STARTED if wave.selection_started_at else QUEUED
    return FAILED if wave.selection_failed_at else None


def list_state(wave, now):
    """A wave's state for the wave list: its selection's progress while asked for or failed, else its own."""
    return progress(wave, now) or rules.wave_state(wave, now)


def ask(wave, actor, now=None, ip=None):
    """Record the PMO's request to run (or re-run) the selection and queue the job; DomainError if it may not."""
    now = now or utcnow()
    # Only a selected wave has outcomes to tell; the check spares a fresh wave's entries a scan.
    untold = Wave.selected_at.is_null() | ~fn.EXISTS(
        WaveEntry.select().where(WaveEntry.wave == Wave.id, WaveEntry.notified_at.is_null(False)))
    with db.atomic():
        asked = Wave.update(selection_requested_at=now, selection_started_at=None, selection_failed_at=None).where(
            Wave.id == wave.id, Wave.closes_at <= now, Wave.results_sent_at.is_null(), untold,
            Wave.selection_requested_at.is_null() | (Wave.selection_requested_at < now - LOST_AFTER)).execute()
        if not asked:
            wave = Wave.get_by_id(wave.id)
            raise DomainError(selection.NOT_CLOSED if now < wave.closes_at else TOLD if told(wave) else RUNNING)
        audit.record(actor, "wave.selection_requested", wave, fields=["selection_requested_at"], ip=ip)
    run_selection(wave.id, actor.id if actor else None, ip)


def perform(wave_id, actor_id=None, ip=None):
    """The job: claim the request, run the selection, then queue the results; a failure is stamped and re-raised."""
    claimed = Wave.update(selection_started_at=utcnow()).where(
        Wave.id == wave_id, Wave.selection_requested_at.is_null(False), Wave.selection_started_at.is_null()).execute()
    if not claimed:  # another worker has it, or it was run already
        return None
    wave = Wave.get_by_id(wave_id)
    try:
        counts = selection.run(wave, Account.get_or_none(Account.id == actor_id), ip=ip, notify=False)
    except Exception:  # whatever broke, the PMO must see it failed and be able to run it again
        with db.atomic():
            Wave.update(selection_requested_at=None, selection_started_at=None,
                        selection_failed_at=utcnow()).where(Wave.id == wave_id).execute()
            audit.record(None, "wave.selection_failed", wave, fields=["selection_failed_at"])
        raise
    from portal.services import notify

    notify.queue_wave(wave)
    return counts

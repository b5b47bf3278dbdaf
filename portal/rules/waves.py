"""The wave status an applicant reads (DESIGN.md 2.3), derived in this one place from the application and its
entries: belum ada gelombang, bisa gabung, menunggu gelombang ditutup, sedang diproses, belum berhasil, lolos.
"""

from dataclasses import dataclass
from datetime import datetime

from portal.i18n import lazy_gettext as _l
from portal.rules import status as app_status

NO_WAVE = "no_wave"
CAN_JOIN = "can_join"
WAITING = "waiting"
PROCESSING = "processing"
NOT_SELECTED = "not_selected"
SELECTED = "selected"

LABELS = {
    NO_WAVE: _l("No wave yet"),
    CAN_JOIN: _l("You can join"),
    WAITING: _l("Waiting for the wave to close"),
    PROCESSING: _l("Being processed"),
    NOT_SELECTED: _l("Not successful yet"),
    SELECTED: _l("Selected"),
}

# Outcomes selection writes on an entry.
OUTCOME_SELECTED = "selected"
OUTCOME_NOT_SELECTED = "not_selected"
OUTCOME_INELIGIBLE = "ineligible"
OUTCOMES = (OUTCOME_SELECTED, OUTCOME_NOT_SELECTED, OUTCOME_INELIGIBLE)
OUTCOME_LABELS = {
    OUTCOME_SELECTED: _l("Selected"),
    OUTCOME_NOT_SELECTED: _l("Not selected"),
    OUTCOME_INELIGIBLE: _l("Not eligible"),
}

# Application statuses from which a person may join a wave: sent online, or a walk-in the PMO confirmed.
JOINABLE = frozenset({app_status.SUBMITTED, app_status.CONFIRMED})


@dataclass(frozen=True)
class WaveStatus:
    """What the applicant's page says about waves: a name, the wave it concerns, its close time, a reason."""

    name: str
    wave: object = None
    reason: str = None

    @property
    def label(self):
        return LABELS[self.name]

    @property
    def reason_label(self):
        from portal.rules.screening import reason_label  # screening reads JOINABLE from here

        return reason_label(self.reason)

    @property
    def closes_at(self):
        return self.wave.closes_at if self.wave is not None else None


STATE_LABELS = {
    "scheduled": _l("Not open yet"),
    "open": _l("Open"),
    "closed": _l("Closed"),
    "selected": _l("Selection done"),
    "sent": _l("Results sent"),
}


def wave_state(wave, now):
    """Where a wave is: "scheduled", "open", "closed", "selected" or "sent"."""
    if wave.results_sent_at:
        return "sent"
    if wave.selected_at:
        return "selected"
    if now < wave.opens_at:
        return "scheduled"
    return "open" if now < wave.closes_at else "closed"


def derive(application_status, entries, open_wave, now: datetime, letter_needed=False):
    """The applicant's wave status, or None when the application cannot take part in waves (yet).

    `entries` are the application's wave entries with their waves; `open_wave` the wave open now, if any;
    `letter_needed` whether a statement letter must be approved before joining again (portal.rules.screening).
    """
    if application_status not in JOINABLE:
        return None
    entries = sorted(entries, key=lambda e: e.wave.number)
    for entry in entries:
        if entry.outcome == OUTCOME_SELECTED and entry.wave.selected_at:
            return WaveStatus(SELECTED, entry.wave)
    latest = entries[-1] if entries else None
    if latest is not None:
        if now < latest.wave.closes_at and not latest.wave.selected_at:
            return WaveStatus(WAITING, latest.wave)
        if latest.outcome is None or not latest.wave.selected_at:
            return WaveStatus(PROCESSING, latest.wave)
    last_reason = latest.reason if latest is not None else None
    if letter_needed:
        return WaveStatus(NOT_SELECTED, latest.wave if latest else None, "letter_required")
    if open_wave is not None and open_wave.opens_at <= now < open_wave.closes_at:
        return WaveStatus(CAN_JOIN, open_wave, last_reason)
    if latest is not None:
        return WaveStatus(NOT_SELECTED, latest.wave, last_reason)
    return WaveStatus(NO_WAVE)

"""The sections of an application on the task list (DESIGN.md 2.1), each a pluggable unit.

A feature adds its section with `register(Section(...))` before "review"; the task list and the rule that
submission needs every section complete read only this registry.
"""

from dataclasses import dataclass
from typing import Callable

from portal.i18n import lazy_gettext as _l
from portal.services import applications

DONE, IN_PROGRESS, NOT_STARTED, CANNOT_START = "done", "in_progress", "not_started", "cannot_start"
STATE_LABELS = {
    DONE: _l("Completed"),
    IN_PROGRESS: _l("In progress"),
    NOT_STARTED: _l("Not started"),
    CANNOT_START: _l("Cannot start yet"),
}


@dataclass(frozen=True)
class Section:
    key: str
    title: object
    state: Callable  # application -> one of the states above
    endpoint: object  # where the section starts: an endpoint, or application -> endpoint

    def start(self, application):
        """The endpoint the section's link leads to for this application."""
        return self.endpoint(application) if callable(self.endpoint) else self.endpoint


SECTIONS = []


def register(section, before="review"):
    """Add a section to the task list (replacing one with the same key), placed before another."""
    rest = [s for s in SECTIONS if s.key != section.key]
    keys = [s.key for s in rest]
    at = keys.index(before) if before in keys else len(rest)
    SECTIONS[:] = rest[:at] + [section] + rest[at:]


def task_rows(application):
    """Each section with its state, in order."""
    return [(section, section.state(application)) for section in SECTIONS]


def ready_to_send(application):
    """True when every section but the last (check and send) is complete."""
    return all(section.state(application) == DONE for section in SECTIONS if section.key != "review")


# The steps of "Data diri" (portal.applicant.personal_views), by the answers each one saves.
STEP_ENDPOINTS = {
    "name": "applicant.name",
    "ktp_address": "applicant.address_ktp",
    "domicile": "applicant.domicile",
    "work": "applicant.work",
    "declarations": "applicant.declarations",
}


def resume_endpoint(application):
    """The first unanswered step of "Data diri" (its first step once every one is answered): linked straight
    to, not through /data-diri's redirect, a round trip less (0.4 s and more on 2G)."""
    return STEP_ENDPOINTS[applications.first_missing_step(application) or "name"]


def ktp_state(application):
    # Done when sent, even if the NIK was later taken off it (a NIK dispute lost): the status says why.
    if applications.ktp_done(application) or application.is_submitted:
        return DONE
    return IN_PROGRESS if application.nik else NOT_STARTED


def personal_state(application):
    done = [applications.step_done(application, step) for step in applications.PERSONAL_STEPS]
    return DONE if all(done) else IN_PROGRESS if any(done) else NOT_STARTED


def photos_state(application):
    count = application.photo_total()
    return DONE if count == 2 else IN_PROGRESS if count else NOT_STARTED


def phone_state(application):
    if application.verified_phone and application.verified_phone == application.phone:
        return DONE
    return IN_PROGRESS if application.phone else NOT_STARTED


def review_state(application):
    if application.is_submitted:
        return DONE
    return NOT_STARTED if ready_to_send(application) else CANNOT_START


register(Section("account", _l("Account"), lambda application: DONE, "applicant.task_list"))
register(Section("ktp", _l("KTP details"), ktp_state, "applicant.ktp"))
register(Section("personal", _l("Personal details"), personal_state, resume_endpoint))
register(Section("photos", _l("Photos"), photos_state, "applicant.photos"))
register(Section("phone", _l("Mobile number"), phone_state, "applicant.phone"))
register(Section("review", _l("Check and send"), review_state, "applicant.check"))

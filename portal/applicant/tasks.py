"""The sections of an application on the task list (DESIGN.md 2.1), each a pluggable unit.

A later feature adds its section with `register(Section(...))`; the task list and the submit rule read
only this registry.
"""

from dataclasses import dataclass
from typing import Callable, Optional

from flask_babel import lazy_gettext as _l

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
    state: Callable  # account -> one of the states above
    endpoint: Optional[str] = None  # where the section starts; None until the feature exists


SECTIONS = []


def register(section):
    """Add a section to the task list, replacing one with the same key."""
    SECTIONS[:] = [s for s in SECTIONS if s.key != section.key] + [section]


def task_rows(account):
    """Each section with its state, in order; the last (check and send) waits for all the others."""
    rows = [(section, section.state(account)) for section in SECTIONS]
    return rows


def review_state(account):
    others = [s.state(account) for s in SECTIONS if s.key != "review"]
    return NOT_STARTED if all(state == DONE for state in others) else CANNOT_START


register(Section("account", _l("Account"), lambda account: DONE if account.is_verified else IN_PROGRESS))
register(Section("ktp", _l("KTP details"), lambda account: NOT_STARTED))
register(Section("personal", _l("Personal details"), lambda account: NOT_STARTED))
register(Section("photos", _l("Photos"), lambda account: NOT_STARTED))
register(Section("phone", _l("Mobile number"), lambda account: NOT_STARTED))
register(Section("review", _l("Check and send"), review_state))

"""What anyone holding a reference number may learn: the status of that application and its reason, nothing else.

A lookup needs the reference and the date of birth together; any wrong combination gets the same answer
(None), whether the reference exists or not, so the page is no oracle for references or birth dates.
"""

from dataclasses import dataclass

from portal.models import Application
from portal.rules import status


@dataclass(frozen=True)
class StatusAnswer:
    """The status name and its reason, as an applicant reads them; nothing personal."""

    status: str
    label: str
    reason: str

    @classmethod
    def of(cls, application):
        return cls(status=application.status, label=str(status.label(application.status)),
                   reason=str(status.reason_label(application.status_reason)))


def find(reference, birth_date):
    """The application with this reference whose date of birth is this one, or None; a draft has no reference."""
    if not reference or not birth_date:
        return None
    found = Application.get_or_none(Application.reference == reference)
    # Compared after the read, so an unknown reference and a wrong date take the same path.
    if found is None or found.birth_date != birth_date:
        return None
    return found


def status_of(reference, birth_date):
    """The StatusAnswer for a reference and date of birth, or None for any wrong combination."""
    found = find(reference, birth_date)
    return StatusAnswer.of(found) if found else None

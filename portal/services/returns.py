"""Records the ministry returned to their office: corrected there, then entered again into its open batch."""

from portal.domain import DomainError
from portal.i18n import lazy_gettext as _l
from portal.models import Application
from portal.rules import status
from portal.rules.completeness import walkin_missing
from portal.services import status as moves
from portal.services.batches import open_batch

INCOMPLETE = _l("This record still lacks information. Complete it before you enter it again.")


def returned_to(office):
    """The office's returned records, oldest return first (the longest waiting come first)."""
    return (Application.select().where(Application.office == office, Application.status == status.RETURNED)
            .order_by(Application.status_changed_at, Application.id))


def reenter(application, actor, ip=None):
    """Put a corrected returned record into its office's open batch (RETURNED -> ENTERED, audited)."""
    if walkin_missing(application):
        raise DomainError(INCOMPLETE)
    batch = open_batch(application.office)
    return moves.transition(application, actor, status.ENTERED, ip=ip, batch=batch.id)

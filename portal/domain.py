"""The error a domain rule raises; services raise it and views show its message. No web-layer imports."""

from portal.i18n import lazy_gettext as _l


class DomainError(Exception):
    """A rule was broken; the message is shown to the user, next to `field` when one is named."""

    SENT = _l("Your application has been sent, so it can no longer be changed.")

    def __init__(self, message, field=None):
        super().__init__(message)
        self.message = message
        self.field = field

"""Rule and form messages in two voices (issue 9): to the applicant ("Enter your NIK") and to an officer keying
the applicant's paper form ("Enter the applicant's NIK").

A message with two voices is defined once, where its rule is, with `voiced(yours, theirs)`; it is shown in the
voice of the screen (`speak_to_staff()` in a staff blueprint's before_request), and a service working for
staff can fix it in theirs with `for_staff(message)`. One rule function, one form definition, two voices.
"""

from flask import g, has_app_context
from flask_babel import LazyString

APPLICANT_VOICE = "applicant"
STAFF_VOICE = "staff"


def current():
    """The voice of this request: the applicant's unless a staff screen asked for the staff voice."""
    return g.get("voice", APPLICANT_VOICE) if has_app_context() else APPLICANT_VOICE


def speak_to_staff():
    """Show this request's rule messages in the staff voice (a before_request hook of staff blueprints)."""
    g.voice = STAFF_VOICE


class Voiced(LazyString):
    """A lazy message with an applicant and a staff wording; it reads as the request's voice."""

    def __init__(self, yours, theirs):
        super().__init__(lambda: theirs if current() == STAFF_VOICE else yours)
        self.yours, self.theirs = yours, theirs


def voiced(yours, theirs):
    """One message in two voices: `yours` to the applicant, `theirs` to an officer about the applicant."""
    return Voiced(yours, theirs)


def for_staff(message):
    """The staff wording of a message (itself when it has only one)."""
    return message.theirs if isinstance(message, Voiced) else message

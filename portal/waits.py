"""Waits as people read them: why they must wait, for about how many minutes (rounded up, never "1742 seconds"),
and what they can do meanwhile.
"""

import math

from flask_babel import ngettext

from portal.i18n import lazy_gettext as _l

CODE_REASONS = {
    "cooldown": _l("We have just sent a code to this number."),
    "number": _l("This number has been sent several codes recently."),
    "account": _l("You have asked for several codes recently."),
    # Internet centres, offices and mobile networks put many people behind one address.
    "connection": _l("Many people using this internet connection have asked for codes recently, for example "
                     "at an internet café, so codes asked for from it are paused for a while."),
}
CODE_WAY_FORWARD = _l("Try again then, or visit your local manpower office (Disnaker), where an officer can "
                      "confirm your number.")
EMAIL_REASONS = {
    "cooldown": _l("We have just sent an email to this address."),
    "address": _l("We have sent several emails to this address in the last hour."),
    "registration": _l("We have sent several emails for this registration in the last hour."),
}
EMAIL_WAY_FORWARD = _l("Meanwhile, look for the email in your spam or junk folder, and check the address is right.")


def minutes(seconds):
    """Whole minutes, rounded up, at least 1."""
    return max(math.ceil(seconds / 60), 1)


def code_wait(reason, seconds):
    """Why no new SMS code can be sent yet, when one can, and what to do meanwhile."""
    parts = [CODE_REASONS[reason], ngettext("You can ask for a new code in about %(num)d minute.",
                                            "You can ask for a new code in about %(num)d minutes.", minutes(seconds))]
    if reason != "cooldown":
        parts.append(CODE_WAY_FORWARD)
    return " ".join(str(part) for part in parts)


def email_wait(reason, seconds):
    """Why no new email can be sent yet, when one can, and what to do meanwhile."""
    return " ".join(str(part) for part in (
        EMAIL_REASONS[reason],
        ngettext("You can ask for another email in about %(num)d minute.",
                 "You can ask for another email in about %(num)d minutes.", minutes(seconds)),
        EMAIL_WAY_FORWARD,
    ))

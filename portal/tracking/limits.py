"""The limits on guessing at the public status check and the claim: per connection and per reference number."""

from flask import current_app, request
from flask_babel import ngettext

from portal import throttle
from portal.waits import minutes


def limits(kind, reference):
    """The limits one try of `kind` ("status" or "claim") uses: STATUS_LIMIT_IP and STATUS_LIMIT_REFERENCE..."""
    config = current_app.config
    prefix = kind.upper()
    return [(config[f"{prefix}_LIMIT_IP"], f"{kind}-ip", request.remote_addr or ""),
            (config[f"{prefix}_LIMIT_REFERENCE"], f"{kind}-reference", reference or "")]


def take(kind, reference):
    """Count a try before it is checked: the limits taken, or the seconds to wait when none is left."""
    chosen = limits(kind, reference)
    wait = throttle.take_all(chosen)
    return (None, wait) if wait else (chosen, 0)


def succeeded(chosen):
    """A right combination does not count against its reference (the connection's count stands)."""
    throttle.give_back(*chosen[1])


def wait_message(seconds):
    """The same words whichever limit was reached, so the wait itself reveals nothing about a reference."""
    return ngettext("You have tried too many times. For your security, try again in about %(num)d minute.",
                    "You have tried too many times. For your security, try again in about %(num)d minutes.",
                    minutes(seconds))

"""Limits counted before the work they guard, atomically, in Flask-Limiter's storage (memory, or Redis when
several processes share it).

Flask-Limiter's `deduct_when` counts after the response, so requests arriving together all pass the
check before any is counted: 24 parallel wrong passwords got 12 checked against a limit of 5. Here a
unit is taken first and given back when the work turned out not to count (a successful login).
A limit is a tuple: the limit string ("5 per 15 minutes") followed by the parts of its key.
"""

import math
import time

from limits import parse

from portal.extensions import limiter


def take(limit, *key):
    """Take one unit of a limit for a key; False (and nothing taken) when none is left."""
    if not limiter.enabled:
        return True
    item = parse(limit)
    if limiter.limiter.hit(item, *key):
        return True
    limiter.limiter.hit(item, *key, cost=-1)  # a fixed window counts the refused hit too: undo it
    return False


def give_back(limit, *key):
    """Return a unit taken for work that did not count."""
    if limiter.enabled:
        limiter.limiter.hit(parse(limit), *key, cost=-1)


def wait(limit, *key):
    """Whole seconds until the limit has room for the key again (0 when it has room now)."""
    if not limiter.enabled:
        return 0
    item = parse(limit)
    if limiter.limiter.test(item, *key):
        return 0
    return max(math.ceil(limiter.limiter.get_window_stats(item, *key).reset_time - time.time()), 1)


def take_all(limits):
    """Take a unit of every limit, or of none: 0 when taken, else the seconds until all have room."""
    taken = []
    for limit in limits:
        if not take(*limit):
            for earlier in taken:
                give_back(*earlier)
            return wait(*limit)
        taken.append(limit)
    return 0


def give_back_all(limits):
    for limit in limits:
        give_back(*limit)


def wait_all(limits):
    """Seconds until every limit has room (0 = now), without taking anything."""
    return max((wait(*limit) for limit in limits), default=0)

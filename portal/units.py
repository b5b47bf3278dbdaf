"""Sizes and durations as people read them, so a message can quote a setting instead of repeating its number."""

from functools import lru_cache

from babel.units import format_unit
from flask import current_app
from flask_babel import LazyString, format_decimal, get_locale

# Largest first; a day is said in hours until it makes two ("24 jam" reads better than "1 hari" for a link).
DURATIONS = (("duration-day", 86400, 2), ("duration-hour", 3600, 1), ("duration-minute", 60, 1))


def duration(seconds):
    """Seconds in the largest unit that divides them: "24 jam", "10 menit", "90 detik"."""
    return _duration(int(seconds), get_locale())


@lru_cache(maxsize=256)
def _duration(seconds, locale):
    # Settings quoted on every page (the session warning's): the same few values, formatted once.
    for unit, size, at_least in DURATIONS:
        if seconds % size == 0 and seconds >= at_least * size:
            return format_unit(seconds // size, unit, length="long", locale=locale)
    return format_unit(seconds, "duration-second", length="long", locale=locale)


def file_size(size):
    """Bytes in the binary units phones show: "64 KB", "10 MB", "1,5 MB"."""
    for unit, scale in (("MB", 1024 * 1024), ("KB", 1024)):
        if size >= scale:
            return f"{format_decimal(round(size / scale, 1))} {unit}"
    return f"{size} B"


def size_setting(name):
    """A size setting as text, read when a message is shown, so a module-level message can quote the setting."""
    return LazyString(lambda: file_size(current_app.config[name]))

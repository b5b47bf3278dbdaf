"""Safe redirect targets taken from user input."""

from urllib.parse import urlsplit


def local_path(target, default="/"):
    """The target if it is a path on this site, else the default (no open redirects)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    parts = urlsplit(target)
    return default if parts.scheme or parts.netloc else target

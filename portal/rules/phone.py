"""Mobile number rules (DESIGN.md 3: "Phone: Indonesian mobile, stored as E.164") and SMS text limits.

We send the verification code by SMS, so only an Indonesian mobile number will do. People write one many
ways (0812-3456-7890, +62 812 3456 7890, 62812..., (0812) 3456 7890); lokal.parse_phone reads them all,
and the checks around it turn what it reports into one instruction per mistake. The number is stored as
E.164 (+6281234567890) and shown masked (+62 812-****-7890) wherever it need not be read in full.

SMS texts are limited to the GSM 03.38 7-bit alphabet: one SMS is 160 septets, and a character from the
extension table (€, [, ], {, }, ^, ~, |, \\ and form feed) takes 2 of them. Anything else would switch
the message to UCS-2 and cut it to 70 characters, so callers keep to this alphabet.
"""

import re
import unicodedata

from lokal import parse_phone

from portal.i18n import lazy_gettext as _l
from portal.rules.voice import voiced

EMPTY = voiced(_l("Enter your mobile number"), _l("Enter the applicant's mobile number"))
LANDLINE = _l("Enter a mobile number, not a landline: we send the code by SMS")
NOT_INDONESIAN = _l("Enter an Indonesian mobile number, starting 08 or +62")
LENGTH = _l("Mobile number must be 10 to 13 digits, starting 08")
CHARACTERS = _l("Mobile number must only include numbers, spaces, dashes and +")

# Dashes from word processors and phones' "smart punctuation", read as the ASCII hyphen.
DASHES = str.maketrans({c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"})
# What may separate digit groups; lokal drops the same (it also drops dots).
SEPARATORS = re.compile(r"[\s().\-]")
# After the separators are gone: digits, with at most one + at the start.
NUMBER = re.compile(r"\+?[0-9]+")


def check_mobile(text):
    """Read a mobile number as typed: (E.164 string, None) when it is an Indonesian mobile, else (None, message)."""
    # NFKC turns full-width digits and + (some phone keyboards) into ASCII; copying a number from a
    # phone's contacts often brings invisible direction marks (Unicode format characters): drop them.
    text = unicodedata.normalize("NFKC", text or "").translate(DASHES)
    text = "".join(c for c in text if unicodedata.category(c) != "Cf").strip()
    if not text:
        return None, EMPTY
    clean = SEPARATORS.sub("", text)
    if not NUMBER.fullmatch(clean):
        return None, CHARACTERS
    if clean.startswith("00"):  # the international call prefix, as in 0062 812...
        clean = "+" + clean[2:]
    if clean.startswith("+") and not clean.startswith("+62"):
        return None, NOT_INDONESIAN
    if clean.startswith("628"):
        # lokal only reads 62 without + from 10 digits up; so that 6281234 is "too short", not "not Indonesian".
        clean = "+" + clean
    info = parse_phone(clean)
    if info.valid and info.type == "mobile":
        return info.e164, None
    if info.type == "landline":
        return None, LANDLINE
    if info.type == "mobile":  # lokal reports a mobile of the wrong length with type "mobile" and no e164
        return None, LENGTH
    return None, NOT_INDONESIAN


def mask(e164):
    """+6281234567890 -> "+62 812-****-7890": enough to recognise one's own number, not to use someone else's."""
    number = e164 or ""
    if not number:
        return ""  # no number yet: nothing to show
    if number.startswith("+62") and len(number) >= 3 + 3 + 2 + 4:
        subscriber = number[3:]
        return f"+62 {subscriber[:3]}-****-{subscriber[-4:]}"
    # Not an Indonesian E.164 number (nothing the portal stores): give away at most the last 4 digits.
    return "****" + number[-4:] if len(number) >= 8 else "****"


# GSM 03.38 basic character set, in code order 0x00-0x7F, without 0x1B (the escape to the extension table).
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅå"
    "\u0394_\u03a6\u0393\u039b\u03a9\u03a0\u03a8\u03a3\u0398\u039eÆæßÉ"  # Δ _ Φ Γ Λ Ω Π Ψ Σ Θ Ξ, ESC left out
    " !\"#¤%&'()*+,-./"
    "0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§"
    "¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
# The extension table: each is sent as ESC + a code, so takes 2 septets.
GSM7_EXTENSION = frozenset("\f^{}\\[~]|€")


def gsm7(text):
    """Whether the text can be sent in the GSM 7-bit default alphabet (basic set plus extension table)."""
    return all(c in GSM7_BASIC or c in GSM7_EXTENSION for c in text)


def sms_length(text):
    """The text's length in septets: 1 per basic character, 2 per extension character. ValueError if not GSM-7."""
    length = 0
    for c in text:
        if c in GSM7_BASIC:
            length += 1
        elif c in GSM7_EXTENSION:
            length += 2
        else:
            raise ValueError(f"U+{ord(c):04X} is not in the GSM 03.38 alphabet")
    return length

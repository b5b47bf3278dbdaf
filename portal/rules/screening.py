"""Screening of one person for a wave (DESIGN.md 2.3), each failure with a reason the applicant reads.

`screen()` checks one application from its `Facts`; the PMO's confirmation of walk-ins calls the same rules.
Selection runs the same checks for a whole wave at once in SQL (portal.services.selection.SCREEN_SQL);
tests/test_selection.py holds both to the same answers.
"""

from dataclasses import dataclass
from datetime import date

from portal.i18n import lazy_gettext as _l
from portal.rules import status as app_status
from portal.rules.eligibility import MIN_AGE
from portal.rules.voice import for_staff, voiced
from portal.rules.waves import JOINABLE

MAX_SELECTED_PER_KK = 2  # DESIGN.md 3: at most 2 recipients per family card
LETTER_AFTER_FAILURES = 3  # the seed: "Gagal lolos seleksi 3 kali? Buat surat pernyataan."

# Reason keys, in the order screening checks them: the first that applies is the one recorded. Each reads to
# the applicant, and to staff about the applicant (portal.rules.voice.for_staff).
REASONS = {
    "not_joinable": voiced(_l("Your application is no longer valid for the programme"),
                           _l("The application is no longer valid for the programme")),
    "in_education": voiced(_l("You declared that you are in formal education"),
                           _l("Declared being in formal education")),
    "excluded_job": voiced(_l("You declared an occupation that cannot take part (such as civil servant, TNI, Polri "
                              "or village official)"),
                           _l("Declared an occupation that cannot take part (civil servant, TNI, Polri, village "
                              "official...)")),
    "under_age": voiced(_l("You were under %(age)d when the wave closed", age=MIN_AGE), _l("Younger than 18")),
    "selected_before": voiced(_l("You were selected in an earlier wave; each person takes part once"),
                              _l("Selected in an earlier wave")),
    "kk_limit": voiced(_l("Two people on your family card (KK) have already been selected"),
                       _l("Two people on the same family card (KK) have already been selected")),
    "nik_dispute": voiced(_l("Your NIK is in dispute and the programme office has not resolved it yet"),
                          _l("An open NIK dispute names this NIK")),
    "letter_required": voiced(_l("After three waves without success you need an approved statement letter"),
                              _l("Three waves without success: needs an approved statement letter")),
    "quota_full": voiced(_l("Your province's quota was filled by the draw before your turn"),
                         _l("The province's quota was filled by the draw before this entry's turn")),
    "national_quota_full": voiced(
        _l("The places this wave shares among provinces without their own quota were filled by the draw before "
           "your turn"),
        _l("The places shared by provinces without their own quota were filled by the draw before this entry's "
           "turn")),
}
SCREEN_ORDER = ("not_joinable", "in_education", "excluded_job", "under_age", "selected_before", "kk_limit",
                "nik_dispute", "letter_required")

# Priority tiers, lowest first (Permenaker 17/2020: confirmed walk-ins first; then people with no other aid).
TIER_WALKIN, TIER_NO_AID, TIER_OTHER = 0, 1, 2
TIER_LABELS = {
    TIER_WALKIN: _l("Confirmed walk-in candidate"),
    TIER_NO_AID: _l("No other government aid"),
    TIER_OTHER: _l("Others"),
}


@dataclass(frozen=True)
class Facts:
    """What screening needs to know beyond the application's own answers, counted over earlier waves."""

    selected_before: bool = False
    kk_selected: int = 0  # people on the same KK selected in earlier waves
    open_dispute: bool = False
    failures: int = 0  # waves this person was not selected in
    letter_approved: bool = False


def reason_label(reason):
    return REASONS.get(reason, "") if reason else ""


def staff_reasons():
    """{reason: the staff's words for it}, for staff screens (PMO results, confirmation warnings)."""
    return {key: for_staff(label) for key, label in REASONS.items()}


def adult_cutoff(on: date):
    """The latest birth date of someone who is at least MIN_AGE on the given day."""
    try:
        return on.replace(year=on.year - MIN_AGE)
    except ValueError:  # on 29 February, the 28th of that year (born on 29 February: 18 only from 1 March)
        return date(on.year - MIN_AGE, 2, 28)


def letter_required(failures, letter_approved):
    """Whether a statement letter must be approved before this person may take part again.

    `failures` counts the waves whose selection left them "not selected" (quota full; an ineligible outcome is
    not a failed draw). One approved letter lets them take part in every later wave: the letter declares the
    data true and the wish to go on, which does not lapse. The one place this is decided: joining
    (services.waves.letter_needed), the letter pages (services.letters) and screening (`screen` below, and its
    SQL twin in services.selection.SELECT_SQL, held to the same answers by tests/test_letters.py).
    """
    return failures >= LETTER_AFTER_FAILURES and not letter_approved


def screen(application, facts: Facts, on: date, check_status=True):
    """The reason this application cannot take part in a wave closing on `on`, or None when it can.

    `check_status=False` leaves out the application's own status: the PMO checks a ratified walk-in with
    the other rules before confirming it.
    """
    if check_status and application.status not in JOINABLE:
        return "not_joinable"
    if application.not_in_education is not True:
        return "in_education"
    if application.not_excluded is not True:
        return "excluded_job"
    if application.birth_date is None or application.birth_date > adult_cutoff(on):
        return "under_age"
    if facts.selected_before:
        return "selected_before"
    if facts.kk_selected >= MAX_SELECTED_PER_KK:
        return "kk_limit"
    if facts.open_dispute:
        return "nik_dispute"
    if letter_required(facts.failures, facts.letter_approved):
        return "letter_required"
    return None


def no_other_aid(aid):
    """Whether the declared aid (comma-separated keys) says no other government aid."""
    return (aid or "") in ("", "none")


def tier(application):
    """The priority tier of an eligible application."""
    if application.channel == "walkin" and application.status == app_status.CONFIRMED:
        return TIER_WALKIN
    return TIER_NO_AID if no_other_aid(application.aid) else TIER_OTHER

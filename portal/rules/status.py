"""The status of an application, one state machine for both channels (DESIGN.md 2.4).

Online: draft -> submitted, and rejected by the PMO when a person at a manpower office proved with the original
e-KTP that its NIK is theirs (a NIK dispute lost, portal.services.disputes). Walk-in (Perpres 76/2020 art. 10, Permenaker 17/2020): keyed by an officer as
entered, in the office's open batch -> closed when a second person at the office closes the batch and sends
it -> accepted or returned (with a reason) by the ministry's selection team -> ratified by the Minister
within the quota (penetapan) -> confirmed as a candidate participant (calon peserta) or rejected (with a
reason) by the PMO. A returned record is corrected at its office and entered again into its next batch.
Waves (joined, selected...) are kept on wave entries, not here.

`TRANSITIONS` is the only list of moves; a move not in it, or by a role not named for it, is refused.
"""

from portal.i18n import lazy_gettext as _l
from portal.roles import APPLICANT, OFFICER, PMO, REVIEWER, SUPERVISOR

DRAFT = "draft"
SUBMITTED = "submitted"
ENTERED = "entered"
WITHDRAWN = "withdrawn"
CLOSED = "closed"
ACCEPTED = "accepted"
RETURNED = "returned"
RATIFIED = "ratified"
CONFIRMED = "confirmed"
REJECTED = "rejected"

OFFICE = frozenset({OFFICER, SUPERVISOR})

# (from, to): the roles that may make the move.
TRANSITIONS = {
    (DRAFT, SUBMITTED): frozenset({APPLICANT}),
    (ENTERED, WITHDRAWN): OFFICE,
    (RETURNED, WITHDRAWN): OFFICE,
    (ENTERED, CLOSED): frozenset({SUPERVISOR}),  # the batch is closed by someone who entered none of it
    (CLOSED, ACCEPTED): frozenset({REVIEWER}),
    (CLOSED, RETURNED): frozenset({REVIEWER}),
    (RETURNED, ENTERED): OFFICE,  # corrected, into the office's next batch
    (ACCEPTED, RATIFIED): frozenset({REVIEWER}),
    (RATIFIED, CONFIRMED): frozenset({PMO}),
    (RATIFIED, REJECTED): frozenset({PMO}),
    # A sent online application whose NIK dispute the walk-in won: online, nothing follows "submitted".
    (SUBMITTED, REJECTED): frozenset({PMO}),
}
# Where a new record starts, by channel, and who may create it.
INITIAL = {"online": (DRAFT, frozenset({APPLICANT})), "walkin": (ENTERED, OFFICE)}
# Statuses in which the answers may still be changed, and by whom.
EDITABLE = {DRAFT: frozenset({APPLICANT}), ENTERED: OFFICE, RETURNED: OFFICE}

# The names an applicant reads (issue 10), also used on staff screens.
LABELS = {
    DRAFT: _l("Not sent yet"),
    SUBMITTED: _l("Sent"),
    ENTERED: _l("Not sent yet"),
    WITHDRAWN: _l("Withdrawn"),
    CLOSED: _l("Sent to the ministry"),
    ACCEPTED: _l("Sent to the ministry"),
    RETURNED: _l("Returned to the office"),
    RATIFIED: _l("Ratified"),
    CONFIRMED: _l("Confirmed as a candidate participant"),
    REJECTED: _l("Rejected"),
}

# Why a record was returned, rejected, withdrawn or is waiting: keys stored in Application.status_reason.
RETURN_REASONS = {
    "nik_kk": _l("A problem with the NIK or KK number"),
    "not_eligible": _l("Not eligible"),
    "duplicate": _l("Registered more than once"),
    "incomplete": _l("Information missing"),
    "other": _l("Another reason"),
}
# "Not eligible" names the rule (Permenko 11/2020 art. 2-3): stored as "not_eligible.<rule>".
ELIGIBILITY_RULES = {
    "age": _l("Younger than 18"),
    "in_education": _l("In formal education"),
    "excluded": _l("In a group that may not join (civil servant, TNI, Polri, official...)"),
    "citizen": _l("Not an Indonesian citizen with an e-KTP"),
}
NOT_ELIGIBLE_REASONS = {
    f"not_eligible.{rule}": _l("Not eligible: %(rule)s", rule=text) for rule, text in ELIGIBILITY_RULES.items()
}
REJECT_REASONS = {
    "not_eligible": _l("Not eligible"),
    "duplicate": _l("Registered more than once"),
    "kk_limit": _l("Two people from the same family card are already in the programme"),
    "nik_dispute": _l("The NIK is in dispute"),
    "other": _l("Another reason"),
}
# Set by the resolution of a NIK dispute, never chosen from the PMO's list of REJECT_REASONS.
DISPUTE_REASONS = {
    "nik_dispute_lost": _l("Another person proved at a manpower office, with the original e-KTP, that this NIK "
                           "is theirs"),
}
WITHDRAW_REASONS = {
    "applicant_asked": _l("The applicant asked to withdraw"),
    "entered_twice": _l("Entered twice by mistake"),
    "registered_online": _l("The applicant registered online instead"),
    "other": _l("Another reason"),
}
WAITING_REASONS = {"over_quota": _l("Waiting: the quota for this province and period is full")}
REASONS = {**RETURN_REASONS, **NOT_ELIGIBLE_REASONS, **REJECT_REASONS, **DISPUTE_REASONS, **WITHDRAW_REASONS, **WAITING_REASONS}


def allowed(current, to, role):
    """Whether `role` may move an application from `current` to `to`."""
    return role in TRANSITIONS.get((current, to), ())


def editable(status, role):
    """Whether `role` may change the answers of an application in this status."""
    return role in EDITABLE.get(status, ())


def label(status):
    return LABELS.get(status, status)


def reason_label(reason):
    return REASONS.get(reason, "") if reason else ""

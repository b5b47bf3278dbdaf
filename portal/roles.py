"""Role names, who may see what, and where each role lands after login (DESIGN.md 2.5 and 5).

Plain data, importable by services and rules; the request-time guard lives in portal.guards.
"""

from portal.i18n import lazy_gettext as _l

APPLICANT = "applicant"
OFFICER = "officer"  # keys walk-ins at an office desk
SUPERVISOR = "supervisor"  # closes the office's batches (four-eyes rule)
REVIEWER = "reviewer"  # ministry (Kemnaker) selection team
PMO = "pmo"  # programme management office
ADMIN = "admin"

STAFF_ROLES = frozenset({OFFICER, SUPERVISOR, REVIEWER, PMO, ADMIN})
OFFICE_ROLES = frozenset({OFFICER, SUPERVISOR})  # belong to one office and see only its records
ROLE_LABELS = {
    APPLICANT: _l("Applicant"),
    OFFICER: _l("Officer"),
    SUPERVISOR: _l("Supervisor"),
    REVIEWER: _l("Ministry reviewer"),
    PMO: _l("Programme office (PMO)"),
    ADMIN: _l("Administrator"),
}
# Staff whose work needs an applicant's photos (DESIGN.md 5: each sees only what its role allows).
PHOTO_ROLES = STAFF_ROLES

# Where an account lands after logging in; a blueprint that gives a role its own home changes it here.
HOME_ENDPOINTS = {APPLICANT: "applicant.task_list", **{role: "staff.home" for role in STAFF_ROLES}}


def is_staff(account):
    return getattr(account, "role", None) in STAFF_ROLES


def home_endpoint(account):
    """The endpoint an account lands on after login."""
    return HOME_ENDPOINTS.get(account.role, "main.home")

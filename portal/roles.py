"""Role names, who may see what, and where each role lands after login (DESIGN.md 2.5 and 5).

Each staff blueprint guards itself with one line, `bp.before_request(staff_guard(OFFICER, SUPERVISOR))`:
anonymous visitors, applicants and staff of other roles get 404 (a staff page does not admit it exists),
and a staff member who has not passed the second factor is sent to finish it. Views that must open before
that are marked `@public` (sign-in, set-password link) or `@before_second_factor` (setting up the
authenticator).
"""

from flask import abort, current_app, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from portal.htmx import see_other
from portal.sessions import is_staff_session, second_factor_passed

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
# Where a staff session that has not passed the second factor is sent.
SECOND_FACTOR_ENDPOINT = "staff.enrol"


def is_staff(account):
    return getattr(account, "role", None) in STAFF_ROLES


def home_endpoint(account):
    """The endpoint an account lands on after login."""
    return HOME_ENDPOINTS.get(account.role, "main.home")


def public(view):
    """Mark a view on a staff blueprint that anyone may open."""
    view.staff_public = True
    return view


def before_second_factor(view):
    """Mark a staff view that a signed-in staff member may open before passing the second factor."""
    view.before_second_factor = True
    return view


def staff_guard(*roles):
    """A before_request hook admitting only signed-in staff of these roles (any staff role when none)."""
    allowed = frozenset(roles) or STAFF_ROLES

    def guard():
        view = current_app.view_functions.get(request.endpoint)
        if getattr(view, "staff_public", False):
            return None
        if not (current_user.is_authenticated and is_staff(current_user) and is_staff_session()):
            abort(404)
        if not second_factor_passed():
            if getattr(view, "before_second_factor", False):
                return None
            return see_other(url_for(SECOND_FACTOR_ENDPOINT))
        if current_user.role not in allowed:
            abort(404)
        return None

    return guard


def current_office():
    """The office whose records the signed-in staff member works on, or None for ministry-wide roles."""
    return current_user.office if current_user.role in OFFICE_ROLES else None


def in_office_or_404(record):
    """Refuse a record (anything with an `office_id`) of another office to an office role, as if it did not exist."""
    if current_user.role in OFFICE_ROLES and record.office_id != current_user.office_id:
        abort(404)
    return record

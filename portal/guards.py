"""Request-time guards for the staff blueprints (DESIGN.md 2.5 and 5).

Each staff blueprint guards itself with one line, `bp.before_request(staff_guard(OFFICER, SUPERVISOR))`:
anonymous visitors, applicants and staff of other roles get 404 (a staff page does not admit it exists),
and a staff member who has not passed the second factor is sent to finish it. Views that must open before
that are marked `@public` (sign-in, set-password link) or `@before_second_factor` (setting up the
authenticator).
"""

from flask import abort, current_app, request, url_for
from flask_login import current_user

from portal.htmx import see_other
from portal.roles import OFFICE_ROLES, STAFF_ROLES, is_staff
from portal.sessions import is_staff_session, second_factor_passed

# Where a staff session that has not passed the second factor is sent.
SECOND_FACTOR_ENDPOINT = "staff.enrol"


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

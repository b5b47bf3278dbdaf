"""The staff home page: who is signed in, for which office, and the tools their role may use."""

from flask import current_app
from flask_login import current_user

from portal.i18n import lazy_gettext as _l
from portal.rendering import render_page
from portal.roles import ADMIN, OFFICE_ROLES, PMO, REVIEWER, ROLE_LABELS, STAFF_ROLES
from portal.services import second_factor
from portal.staff import bp

# (endpoint, name, what it is for, roles): each staff blueprint adds its screens here as it arrives.
TOOLS = [
    ("admin.index", _l("Offices and staff"), _l("Who works where, and whether their sign-in is set up."),
     frozenset({ADMIN})),
    ("pmo.letter_queue", _l("Statement letters"), _l("Approve or reject the letters of applicants not selected "
                                                      "three times."), frozenset({PMO})),
    ("desk.batch_list", _l("Batches"),
     _l("The office's open batch with each record's check state; closing it (four-eyes rule) and its documents."),
     OFFICE_ROLES),
    ("pmo.batch_list", _l("Ratified lists"),
     _l("Walk-ins ratified by the ministry: check each person, confirm or reject."), frozenset({PMO})),
    ("pmo.dispute_list", _l("NIK disputes"), _l("Decide who holds a NIK claimed at a desk."), frozenset({PMO})),
    ("desk.walkin_list", _l("Walk-in desk"),
     _l("Key walk-ins' paper forms, print receipts, find, correct or withdraw records."), OFFICE_ROLES),
    ("admin.quota_list", _l("Quotas"), _l("How many walk-ins of each province the ministry may ratify."),
     frozenset({ADMIN})),
    ("ministry.batch_list", _l("Batches to review"),
     _l("Check the closed batches of every office, decide on their records and ratify them."), frozenset({REVIEWER})),
    ("desk.returned_list", _l("Returned by the ministry"),
     _l("Records the ministry sent back: correct them and enter them again."), OFFICE_ROLES),
    ("staff.recovery_codes", _l("Recovery codes"), _l("See how many you have left, or make new ones."),
     STAFF_ROLES),
]


def tools_for(role):
    """The tools a role may use, of those that exist in this version of the portal."""
    endpoints = {rule.endpoint for rule in current_app.url_map.iter_rules()}
    return [(endpoint, name, about) for endpoint, name, about, roles in TOOLS if role in roles and endpoint in endpoints]


@bp.route("/beranda")
def home():
    """Where every staff member lands after signing in."""
    return render_page(
        "staff/home.html", role=ROLE_LABELS[current_user.role], office=current_user.office,
        tools=tools_for(current_user.role), codes_left=second_factor.recovery_codes_left(current_user),
    )

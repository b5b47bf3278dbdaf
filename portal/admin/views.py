"""Offices and staff at a glance; accounts are created and deactivated with `flask staff` (README)."""

from portal.admin import bp
from portal.models import Office, SecondFactor
from portal.rendering import render_page
from portal.roles import ROLE_LABELS
from portal.services.staff import staff_list


@bp.route("/")
def index():
    """Every office and staff account: role, office, second factor set up, last sign-in, active."""
    offices = list(Office.select().order_by(Office.name))
    staff = list(staff_list())
    enrolled = {row.account_id for row in SecondFactor.select(SecondFactor.account)
                .where(SecondFactor.enrolled_at.is_null(False))}
    counts = {}
    for account in staff:
        counts[account.office_id] = counts.get(account.office_id, 0) + 1
    return render_page("admin/index.html", offices=offices, staff=staff, enrolled=enrolled, counts=counts,
                       roles=ROLE_LABELS)

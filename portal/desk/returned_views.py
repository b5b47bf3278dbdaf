"""Records the ministry returned to this office: the reason and note, and entering them again once corrected."""

from flask import abort, current_app, flash, request, url_for
from flask_login import current_user
from wtforms import BooleanField
from wtforms.validators import DataRequired

from portal.desk import bp
from portal.forms.base import Form
from portal.guards import current_office, in_office_or_404
from portal.htmx import see_other
from portal.i18n import gettext as _
from portal.i18n import lazy_gettext as _l
from portal.ministry.paging import paginate
from portal.models import Application
from portal.rendering import render_page
from portal.rules import status
from portal.rules.completeness import walkin_missing
from portal.services import returns

# The walk-in desk's edit page (portal/desk/walkin_views.py), where a returned record is corrected.
EDIT_ENDPOINT = "desk.walkin_edit"


class ReenterForm(Form):
    corrected = BooleanField(
        _l("I have checked and corrected this record as the ministry asked"),
        validators=[DataRequired(_l("Confirm that you have checked and corrected the record"))],
    )


def edit_url(record):
    """The link to correct a record on the walk-in desk (None in a version of the portal without that page)."""
    if EDIT_ENDPOINT in current_app.view_functions:
        return url_for(EDIT_ENDPOINT, reference=record.reference)
    return None


def office_or_404():
    office = current_office()
    if office is None:
        abort(404)
    return office


@bp.route("/dikembalikan")
def returned_list():
    """The office's records returned by the ministry, with the reason and the reviewer's note."""
    page = paginate(returns.returned_to(office_or_404()))
    return render_page("desk/returned_list.html", page=page, statuses=status)


@bp.route("/dikembalikan/<int:record_id>", methods=["GET", "POST"])
def returned_detail(record_id):
    """One returned record: why it came back, what it lacks, and entering it again into the open batch."""
    office_or_404()
    record = Application.get_or_none((Application.id == record_id) & (Application.status == status.RETURNED))
    if record is None:
        abort(404)
    in_office_or_404(record)
    form = ReenterForm()
    if form.validate_on_submit():
        returns.reenter(record, current_user, ip=request.remote_addr)
        flash(_("%(reference)s is in the office's open batch again.", reference=record.reference), "success")
        return see_other(url_for("desk.returned_list"))
    return render_page("desk/returned_detail.html", record=record, form=form, statuses=status,
                       missing=walkin_missing(record), edit=edit_url(record))

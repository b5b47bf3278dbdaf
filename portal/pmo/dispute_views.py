"""NIK disputes recorded at desks, for the PMO to resolve."""

from flask import flash, request, url_for
from flask_login import current_user
from playhouse.flask_utils import get_object_or_404

from portal.domain import DomainError
from portal.htmx import see_other
from portal.i18n import gettext as _
from portal.models import NikDispute
from portal.pmo import bp
from portal.pmo.forms import DisputeForm
from portal.rendering import render_page
from portal.services import disputes


@bp.route("/sengketa-nik")
def dispute_list():
    """Open NIK disputes, oldest first."""
    return render_page("pmo/dispute_list.html", disputes=disputes.open_disputes())


@bp.route("/sengketa-nik/<int:dispute_id>", methods=["GET", "POST"])
def dispute_detail(dispute_id):
    """One dispute: who claims the NIK, the state of the application holding it, and the decision."""
    dispute = get_object_or_404(NikDispute, NikDispute.id == dispute_id)
    form = DisputeForm()
    if request.method == "POST" and dispute.status != "open":
        flash(disputes.NOT_OPEN, "info")  # a second decision (another tab, Back and resubmit) changes nothing
    elif dispute.status == "open" and form.validate_on_submit():
        try:
            disputes.resolve(dispute, current_user._get_current_object(), form.resolution.data, form.note.data,
                             ip=request.remote_addr)
        except DomainError as error:
            dispute = NikDispute.get_by_id(dispute.id)
            if dispute.status != "open":  # another PMO hand decided it a moment ago
                flash(error.message, "info")
            else:
                (form[error.field].errors if error.field in form else form.form_errors).append(error.message)
        else:
            flash(_("The dispute is resolved."), "success")
            return see_other(url_for(".dispute_list"))
    return render_page("pmo/dispute_detail.html", dispute=dispute, holder=disputes.holder(dispute), form=form,
                       resolutions=disputes.RESOLUTIONS)

"""NIK disputes recorded at the desk: the person with the original e-KTP whose NIK an online account holds."""

from flask import abort, request, url_for

from portal.desk import actor, bp, client_ip
from portal.desk.record_views import masked_nik
from portal.domain import DomainError
from portal.forms.walkin import DisputeForm
from portal.htmx import see_other
from portal.models import NikDispute
from portal.rendering import render_page
from portal.rules.nik import clean_number
from portal.services import disputes, intake


@bp.route("/sengketa-nik", methods=["GET", "POST"])
def dispute_new():
    """Record a NIK dispute. The entry page's "Record a NIK dispute" button posts its answers here
    (action=start), so the NIK, name and number carry over and are never put in a URL."""
    starting = request.form.get("action") == "start"
    form = DisputeForm(formdata=None) if starting else DisputeForm()
    ours = None  # this office's open dispute over the NIK, when that is why it was refused: linked from the page
    if starting:
        form.nik.data = request.form.get("nik", "")
        form.claimant_name.data = request.form.get("full_name", "")
        form.contact_phone.data = request.form.get("phone", "")
    elif form.validate_on_submit():
        try:
            dispute = intake.record_dispute(form.nik.data, form.claimant_name.data, form.contact_phone.data,
                                            form.note.data, actor(), ip=client_ip())
        except DomainError as error:
            if error.field in form:
                form[error.field].errors = [*form[error.field].errors, error.message]
            else:
                form.form_errors.append(error.message)
            if error.field == "nik":
                existing = intake.open_dispute(clean_number(form.nik.data or ""))
                ours = existing if existing is not None and existing.office_id == actor().office_id else None
        else:
            return see_other(url_for(".dispute_receipt", dispute_id=dispute.id))
    return render_page("desk/dispute_form.html", form=form, ours=ours)


@bp.route("/sengketa-nik/<int:dispute_id>")
def dispute_receipt(dispute_id):
    """The printable receipt for the person whose NIK is in dispute; nothing of the other application."""
    dispute = NikDispute.get_or_none(NikDispute.id == dispute_id)
    if dispute is None or dispute.office_id != actor().office_id:
        abort(404)
    return render_page("desk/dispute_receipt.html", dispute=dispute, masked_nik=masked_nik(dispute.nik),
                       resolutions=disputes.RESOLUTIONS)

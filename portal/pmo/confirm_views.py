"""The PMO's ratified lists: check each person, confirm as candidate participants or reject with a reason."""

from flask import flash, request, url_for
from flask_login import current_user
from playhouse.flask_utils import get_object_or_404

from portal.auth.forms import ConfirmForm
from portal.domain import DomainError
from portal.htmx import see_other
from portal.i18n import gettext as _
from portal.models import Application, Batch
from portal.pmo import bp
from portal.pmo.forms import RejectForm
from portal.rendering import render_page
from portal.rules import status
from portal.services import confirmation


@bp.context_processor
def status_names():
    return {"status_label": status.label, "reason_label": status.reason_label}


@bp.route("/")
def batch_list():
    """Ratified lists by batch: how many records wait for confirmation, and how many were decided."""
    batches = confirmation.ratified_batches()
    return render_page("pmo/batch_list.html", batches=batches,
                       decrees=confirmation.decrees(batch.id for batch, _counts in batches))


def ratified_record_or_404(application_id):
    record = get_object_or_404(Application, Application.id == application_id)
    if record.channel != "walkin" or record.status not in confirmation.DECIDED:
        return get_object_or_404(Application, Application.id == 0)
    return record


@bp.route("/batch/<int:batch_id>")
def batch_detail(batch_id):
    """The batch's ratified records, each with the screening checks, and confirm or reject."""
    batch = get_object_or_404(Batch, Batch.id == batch_id)
    records = confirmation.batch_records(batch)
    if not records:
        return get_object_or_404(Batch, Batch.id == 0)
    found = confirmation.warnings(records)
    waiting = [r for r in records if r.status == status.RATIFIED]
    return render_page("pmo/batch_detail.html", batch=batch, records=records, warnings=found,
                       decrees=confirmation.decrees([batch.id]).get(batch.id, []),
                       clean=sum(1 for r in waiting if not found[r.id]), waiting=len(waiting), form=None,
                       confirm_form=ConfirmForm(), labels=confirmation.WARNINGS)


@bp.route("/catatan/<int:application_id>/kukuhkan", methods=["POST"])
def record_confirm(application_id):
    """Confirm one ratified record as a candidate participant."""
    record = ratified_record_or_404(application_id)
    if ConfirmForm().validate_on_submit():
        try:
            confirmation.confirm(record, current_user._get_current_object(), ip=request.remote_addr)
        except DomainError as error:
            flash(error.message, "error")
        else:
            flash(_("%(name)s is confirmed as a candidate participant.", name=record.full_name), "success")
    return see_other(url_for(".batch_detail", batch_id=record.batch_id) + f"#record-{record.id}")


@bp.route("/catatan/<int:application_id>/tolak", methods=["GET", "POST"])
def record_reject(application_id):
    """Reject one ratified record with a reason the applicant will read."""
    record = ratified_record_or_404(application_id)
    found = confirmation.warnings([record]).get(record.id, [])
    suggested = next((confirmation.SUGGESTED_REASON[key] for key in found), None)
    form = RejectForm(data={"reason": suggested} if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            confirmation.reject(record, current_user._get_current_object(), form.reason.data, form.note.data,
                                ip=request.remote_addr)
        except DomainError as error:
            flash(error.message, "error")
        else:
            flash(_("%(name)s is rejected.", name=record.full_name), "success")
        return see_other(url_for(".batch_detail", batch_id=record.batch_id) + f"#record-{record.id}")
    return render_page("pmo/record_reject.html", form=form, record=record, warnings=found,
                       labels=confirmation.WARNINGS)


@bp.route("/batch/<int:batch_id>/kukuhkan-semua", methods=["GET", "POST"])
def batch_confirm_all(batch_id):
    """Confirm every ratified record of the batch without a warning, as one action after a confirmation."""
    batch = get_object_or_404(Batch, Batch.id == batch_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        confirmed = confirmation.confirm_all_clean(batch, current_user._get_current_object(), ip=request.remote_addr)
        flash(_("%(count)d records confirmed as candidate participants.", count=len(confirmed)), "success")
        return see_other(url_for(".batch_detail", batch_id=batch.id))
    records = confirmation.batch_records(batch)
    waiting = [r for r in records if r.status == status.RATIFIED]
    clean = len(confirmation.clean_ids(batch))
    return render_page("pmo/batch_confirm_all.html", batch=batch, clean=clean, warned=len(waiting) - clean,
                       confirm_form=form)

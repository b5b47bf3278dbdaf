"""A walk-in after saving: today's list, finding one, its page, the receipt and statement, withdrawing it."""

from datetime import datetime, timezone

from flask import abort, flash, request, url_for

from portal.auth.forms import ConfirmForm
from portal.desk import actor, bp, client_ip
from portal.desk.walkin_views import own_record
from portal.domain import DomainError
from portal.forms.walkin import FindForm, WithdrawForm
from portal.htmx import see_other
from portal.i18n import gettext as _
from portal.links import external_url
from portal.models import Batch
from portal.rendering import render_page
from portal.rules import status as states
from portal.rules.completeness import walkin_missing
from portal.rules.phone import mask
from portal.services import intake


def masked_nik(nik):
    """3201 01•• •••• 0001: the region and the serial, enough to match the card in hand, not to reuse the NIK."""
    return f"{nik[:4]} {nik[4:6]}•• •••• {nik[12:]}" if nik and len(nik) == 16 else ""


@bp.route("/", methods=["GET", "POST"])
def walkin_list():
    """Today's walk-ins at the office, and a box to find any of its records by reference or full NIK.

    The NIK is sent by POST, so it is never in a URL or a server log; nothing found is a 404, as another
    office's record would be."""
    form = FindForm()
    status_code = 200
    if form.validate_on_submit():
        found = intake.find(actor().office, form.query.data)
        if found is not None:
            return see_other(url_for(".walkin_detail", reference=found.reference))
        form.query.errors = [_("No record of this office has this reference or NIK. Check what you typed.")]
        status_code = 404
    records = list(intake.entered_today(actor().office))
    return render_page("desk/walkin_list.html", status=status_code, form=form, records=records, states=states)


@bp.route("/data/<reference>")
def walkin_detail(reference):
    """One record: its status, what it still lacks, and what the officer can do with it."""
    record = own_record(reference)
    batch = Batch.get_by_id(record.batch_id) if record.batch_id else None
    found = intake.findings(actor().office, kk_number=record.kk_number, phone=record.phone, exclude_id=record.id)
    return render_page(
        "desk/walkin_detail.html", record=record, batch=batch, missing=walkin_missing(record), found=found,
        correctable=intake.correctable(record), masked_nik=masked_nik(record.nik), masked_phone=mask(record.phone),
        status_label=states.label(record.status), reason=states.reason_label(record.status_reason),
        signed_form=ConfirmForm(), saved=request.args.get("saved") == "1",
    )


def document(template, reference):
    record = own_record(reference)
    if record.status == states.WITHDRAWN:
        abort(404)
    printed_at = datetime.now(timezone.utc).replace(tzinfo=None)
    return render_page(template, record=record, masked_nik=masked_nik(record.nik), printed_at=printed_at,
                       officer=record.entered_by, office=record.office, states=states, site=external_url("tracking.status_check"))


@bp.route("/data/<reference>/tanda-terima")
def walkin_receipt(reference):
    """The receipt (tanda terima) the applicant takes home: reference, masked NIK, what happens next."""
    return document("desk/walkin_receipt.html", reference)


@bp.route("/data/<reference>/pernyataan")
def walkin_statement(reference):
    """The applicant statement (pernyataan pendaftar), filled in from the record, for signing."""
    return document("desk/walkin_statement.html", reference)


@bp.route("/data/<reference>/ditandatangani", methods=["POST"])
def walkin_signed(reference):
    """Tick that the applicant signed the printed statement."""
    record = own_record(reference)
    if ConfirmForm().validate_on_submit():
        try:
            intake.set_statement_signed(record, actor(), ip=client_ip())
        except DomainError as error:
            flash(error.message, "error")
        else:
            flash(_("Recorded: the applicant signed the statement."), "success")
    return see_other(url_for(".walkin_detail", reference=reference))


@bp.route("/data/<reference>/tarik", methods=["GET", "POST"])
def walkin_withdraw(reference):
    """Withdraw a record with a reason (the applicant asked, entered twice...)."""
    record = own_record(reference)
    if not states.allowed(record.status, states.WITHDRAWN, actor().role):
        abort(404)
    form = WithdrawForm()
    if form.validate_on_submit():
        try:
            intake.withdraw_walkin(record, actor(), form.reason.data, form.note.data, ip=client_ip())
        except DomainError as error:
            form.form_errors.append(error.message)
        else:
            flash(_("The record %(reference)s is withdrawn.", reference=reference), "success")
            return see_other(url_for(".walkin_detail", reference=reference))
    return render_page("desk/walkin_withdraw.html", form=form, record=record)

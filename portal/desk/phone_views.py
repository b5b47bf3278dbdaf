"""Confirming a walk-in's mobile number at the desk: an SMS code the applicant reads out (optional)."""

from flask import flash, request, url_for

from portal.auth.forms import ConfirmForm
from portal.desk import actor, bp, client_ip
from portal.desk.walkin_views import own_record
from portal.domain import DomainError
from portal.forms.contact import CodeForm
from portal.htmx import see_other
from portal.i18n import gettext as _
from portal.rendering import render_page
from portal.rules.phone import mask
from portal.services import intake, phones


@bp.route("/data/<reference>/nomor-hp", methods=["GET", "POST"])
def walkin_phone(reference):
    """Send a code to the record's number, then type the code the applicant reads out."""
    record = own_record(reference)
    form, send_form = CodeForm(), ConfirmForm()
    if request.method == "POST" and request.form.get("action") == "send":
        if send_form.validate_on_submit():
            try:
                intake.send_phone_code(record, actor(), ip=client_ip())
            except DomainError as error:
                flash(error.message, "error")
            else:
                flash(_("Code sent. Ask the applicant to read it out from the SMS."), "success")
        return see_other(url_for(".walkin_phone", reference=reference))
    if form.validate_on_submit():
        try:
            intake.confirm_phone(record, actor(), form.code.data, ip=client_ip())
        except DomainError as error:
            form.code.errors = [*form.code.errors, error.message]
        else:
            flash(_("The mobile number is confirmed."), "success")
            return see_other(url_for(".walkin_detail", reference=reference))
    otp = phones.latest_code(record) if record.phone else None
    return render_page(
        "desk/walkin_phone.html", form=form, send_form=send_form, record=record, masked=mask(record.phone),
        code_live=otp is not None and phones.dead_code_reason(otp) is None,
        allowance=phones.allowance(record, record.phone, client_ip()),
    )

"""Wizard section "Nomor HP": enter a mobile number, then the 6-digit code sent to it by SMS."""

from flask import flash, g, request, url_for
from flask_login import current_user

from portal.applicant import bp
from portal.applicant.steps import carried, next_url, show_error
from portal.auth.forms import ConfirmForm
from portal.domain import DomainError
from portal.forms.contact import CodeForm, PhoneForm
from portal.htmx import see_other
from portal.i18n import gettext as _
from portal.rendering import render_page
from portal.rules.phone import mask
from portal.services import phones


@bp.route("/nomor-hp", methods=["GET", "POST"])
def phone():
    """Ask for the number and send a code to it."""
    form = PhoneForm(data={"phone": g.application.phone})
    if form.validate_on_submit():
        try:
            phones.send_code(g.application, current_user._get_current_object(), form.e164, request.remote_addr)
        except DomainError as error:
            show_error(form, error)
        else:
            return see_other(url_for(".phone_code", **carried()))
    return render_page("applicant/phone.html", form=form, application=g.application)


@bp.route("/nomor-hp/kode", methods=["GET", "POST"])
def phone_code():
    """Enter the code; the page says when it expires and when another can be sent."""
    application = g.application
    if not application.phone:
        return see_other(url_for(".phone"))
    form = CodeForm()
    if form.validate_on_submit():
        try:
            phones.verify_code(application, current_user._get_current_object(), form.code.data)
        except DomainError as error:
            show_error(form, error)
        else:
            flash(_("Your mobile number is verified."), "success")
            return see_other(next_url("applicant.task_list"))
    otp = phones.latest_code(application)
    dead = phones.dead_code_reason(otp)
    return render_page(
        "applicant/phone_code.html", form=form, application=application, masked=mask(application.phone),
        code_expires=None if dead else phones.expires_at(otp), code_dead=dead,
        allowance=phones.allowance(application, application.phone, request.remote_addr), resend_form=ConfirmForm(),
    )


@bp.route("/nomor-hp/kirim-ulang", methods=["POST"])
def phone_resend():
    """Send a fresh code to the same number, within the cooldown and caps."""
    if g.application.phone and ConfirmForm().validate_on_submit():
        try:
            phones.send_code(g.application, current_user._get_current_object(), g.application.phone,
                             request.remote_addr)
        except DomainError as error:
            flash(error.message, "error")
        else:
            flash(_("We have sent a new code. Earlier codes no longer work."), "success")
    return see_other(url_for(".phone_code", **carried()))

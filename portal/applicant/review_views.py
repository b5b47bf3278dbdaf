"""Wizard section "Periksa & kirim": every answer with a Change link, the declaration, and sending."""

from flask import flash, g, url_for
from flask_login import current_user
from wtforms import BooleanField
from wtforms.validators import DataRequired

from portal import languages
from portal.applicant import bp
from portal.applicant.tasks import ready_to_send
from portal.email import send_email
from portal.forms.base import Form
from portal.htmx import see_other
from portal.i18n import lazy_gettext as _l
from portal.links import external_url
from portal.models import db
from portal.rendering import render_page
from portal.rules.phone import mask
from portal.services import applications, waves
from portal.services.photos import photos_of
from portal.sms import send_sms, sms_text

SENT_SMS = sms_text(_l("Your Prakerja application has been sent. Reference number: %(reference)s. Keep this number."))


class SendForm(Form):
    declaration = BooleanField(
        _l("I declare that the information I have given is true and complete, and I am eligible for Prakerja."),
        validators=[DataRequired(_l("Tick the declaration to send your application"))],
    )


@bp.route("/periksa", methods=["GET", "POST"])
def check():
    """Show every answer; after sending, the same page is a read-only record."""
    application = g.application
    if not application.is_submitted and not ready_to_send(application):
        flash(applications.NOT_READY, "info")
        return see_other(url_for(".task_list"))
    form = SendForm()
    if not application.is_submitted and form.validate_on_submit():
        account = current_user._get_current_object()
        with db.atomic():  # the status, the reference and the email and SMS that carry it commit together
            sent, changed = applications.submit(application, account, ready=ready_to_send)
            if changed:
                send_email("application_sent", account.email, account=account, name=sent.full_name,
                           reference=sent.reference, status_link=external_url("applicant.task_list"))
                send_sms(sent.verified_phone, SENT_SMS, kind="application_sent", language=languages.of(account),
                         reference=sent.reference)
        return see_other(url_for(".submitted"))
    if application.is_submitted and form.is_submitted():
        return see_other(url_for(".submitted"))  # a second tap on Send
    return render_page("applicant/check.html", form=form, application=application,
                       photos=photos_of(application), phone=mask(application.verified_phone or ""))


@bp.route("/terkirim")
def submitted():
    """The confirmation panel with the reference number, and the open wave to join if there is one."""
    if not g.application.is_submitted:
        return see_other(url_for(".task_list"))
    return render_page("applicant/submitted.html", application=g.application,
                       wave_status=waves.status_for(g.application))

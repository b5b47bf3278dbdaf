"""Wizard section "Data KTP": NIK, birth date and KK number, then confirming what the NIK says."""

from flask import g, request, url_for
from flask_login import current_user

from portal.applicant import bp
from portal.applicant.steps import next_url, run_step
from portal.applicant.tasks import resume_endpoint
from portal.auth.forms import ConfirmForm
from portal.forms.ktp import KtpForm
from portal.htmx import is_partial, see_other
from portal.rendering import render_block, render_page
from portal.rules.nik import check_nik
from portal.services import applications


def save_ktp(application, actor, form):
    applications.save_ktp(
        application, actor, form.nik.data, form.birth_date.data, form.kk_number.data, form.nik_check.sex
    )


@bp.route("/ktp", methods=["GET", "POST"])
def ktp():
    """The KTP step; htmx posts here with ?fragment=nik to check the NIK as the applicant leaves the field."""
    form = KtpForm(obj=g.application)
    if is_partial() and request.args.get("fragment") == "nik":
        form.validate()
        form.birth_date.errors = form.kk_number.errors = []
        return render_block("applicant/ktp.html", "nik_field", form=form)
    return run_step(form, "applicant/ktp.html", save_ktp, "applicant.ktp_confirm")


@bp.route("/ktp/konfirmasi", methods=["GET", "POST"])
def ktp_confirm():
    """Show what the NIK says (sex, birth date, region) and let the applicant confirm it matches the KTP."""
    application = g.application
    if not application.nik:
        return see_other(url_for(".ktp"))
    form = ConfirmForm()
    if form.validate_on_submit():
        applications.update(application, current_user._get_current_object(), ktp_confirmed=True)
        return see_other(next_url(resume_endpoint(application)))
    return render_page("applicant/ktp_confirm.html", form=form, application=application,
                       nik=check_nik(application.nik, application.birth_date))

"""The applicant's blueprint: the guard, the task list, and helpers the wizard steps share."""

from flask import Blueprint, abort, flash, g, request, url_for
from flask_login import current_user, login_required

from portal.applicant.tasks import STATE_LABELS, task_rows
from portal.errors import DomainError
from portal.htmx import see_other
from portal.rendering import render_page
from portal.services.applications import draft_for

bp = Blueprint("applicant", __name__, url_prefix="/pendaftaran")
# Wizard pages an applicant may still open after sending: they show answers or the result.
READ_ONLY_ENDPOINTS = {"applicant.task_list", "applicant.check", "applicant.submitted"}


@bp.before_request
@login_required
def require_applicant():
    """Only applicants use these pages; once sent, the answers can only be read."""
    if current_user.role != "applicant":
        abort(403)
    g.application = draft_for(current_user)
    if g.application.is_submitted and request.endpoint not in READ_ONLY_ENDPOINTS:
        flash(DomainError.SENT, "info")
        return see_other(url_for(".task_list"))
    return None


@bp.route("/")
def task_list():
    """Where an applicant lands after login: each section of the application and its state."""
    rows = task_rows(g.application)
    done = sum(1 for _section, state in rows if state == "done")
    return render_page(
        "applicant/task_list.html", rows=rows, labels=STATE_LABELS, done=done, application=g.application
    )


def next_url(endpoint, **values):
    """Where Continue leads: back to the check page when the step was opened from there, else the next step."""
    if request.args.get("dari") == "periksa":
        return url_for(".check")
    return url_for(endpoint, **values)


def run_step(form, template, save, next_endpoint, **context):
    """The shape of every wizard step: show the form; on a valid POST save it and go on (PRG)."""
    if form.validate_on_submit():
        try:
            save(g.application, form)
        except DomainError as error:
            form[error.field].errors.append(error.message)
        else:
            return see_other(next_url(next_endpoint))
    return render_page(template, form=form, application=g.application, **context)


from portal.applicant import ktp_views, personal_views, phone_views, photo_views, review_views  # noqa: E402,F401,I001  (their routes join bp)

"""The applicant's blueprint and its guard; the factory imports the view modules, which add their routes."""

from flask import Blueprint, abort, flash, g, request, url_for
from flask_login import current_user, login_required

from portal.applicant.steps import carried
from portal.domain import DomainError
from portal.htmx import see_other
from portal.roles import APPLICANT
from portal.services.applications import draft_for

bp = Blueprint("applicant", __name__, url_prefix="/pendaftaran")
# Wizard pages an applicant may still open after sending: they show answers or the result.
READ_ONLY_ENDPOINTS = {"applicant.task_list", "applicant.check", "applicant.submitted", "applicant.wave_join"}
# The statement letter comes after sending (portal.applicant.letter_views).
READ_ONLY_ENDPOINTS |= {"applicant.letter", "applicant.letter_print", "applicant.letter_upload",
                        "applicant.letter_image"}
# The pages a claimed walk-in record's account may open: its office keeps the answers (no wizard, no check page).
WALKIN_ENDPOINTS = {"applicant.task_list", "applicant.wave_join"}


@bp.before_request
@login_required
def require_applicant():
    """Only applicants use these pages; once sent, the answers can only be read."""
    if current_user.role != APPLICANT:
        abort(403)
    return load_application()


def load_application():
    """Put the applicant's application in g; a redirect when this page would change a sent one, else None."""
    g.application = draft_for(current_user)
    if g.application.channel == "walkin" and request.endpoint not in WALKIN_ENDPOINTS:
        # A claimed walk-in record: its answers are the office's to change; the task list shows its status.
        return see_other(url_for(".task_list"))
    if g.application.is_submitted and request.endpoint not in READ_ONLY_ENDPOINTS:
        flash(DomainError.SENT, "info")
        return see_other(url_for(".task_list"))
    return None


@bp.errorhandler(DomainError)
def refused(error):
    """A rule refused a change and named no field (another tab sent the application meanwhile): say so on the
    task list, as the guard above does."""
    flash(error.message, "info")
    return see_other(url_for(".task_list"))


@bp.context_processor
def wizard_links():
    """Templates add `carried` to their wizard links instead of passing request.args on."""
    return {"carried": carried()}

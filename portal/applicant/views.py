"""The applicant's own pages, starting with the task list."""

from flask import Blueprint, abort
from flask_login import current_user, login_required

from portal.applicant.tasks import STATE_LABELS, task_rows
from portal.rendering import render_page

bp = Blueprint("applicant", __name__, url_prefix="/pendaftaran")


@bp.before_request
@login_required
def require_applicant():
    """Only applicants use these pages."""
    if current_user.role != "applicant":
        abort(403)


@bp.route("/")
def task_list():
    """Where an applicant lands after login: each section of the application and its state."""
    rows = task_rows(current_user)
    done = sum(1 for _section, state in rows if state == "done")
    return render_page("applicant/task_list.html", rows=rows, labels=STATE_LABELS, done=done)

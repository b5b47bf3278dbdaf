"""The task list: where an applicant lands after login, with each section of the application and its state."""

from flask import g

from portal.applicant import bp
from portal.applicant.tasks import STATE_LABELS, task_rows
from portal.rendering import render_page
from portal.services import letters, waves
from portal.services.tracking import StatusAnswer


@bp.route("/")
def task_list():
    """Each section of the application and its state."""
    rows = [] if g.application.channel == "walkin" else task_rows(g.application)
    done = sum(1 for _section, state in rows if state == "done")
    wave_status = waves.status_for(g.application)
    # After three waves without success the letter's steps take the place of "Gabung" (services.letters).
    letter = letters.state_for(g.application) if wave_status and wave_status.reason == "letter_required" else None
    return render_page(
        "applicant/task_list.html", rows=rows, labels=STATE_LABELS, done=done, application=g.application,
        answer=StatusAnswer.of(g.application) if g.application.is_submitted else None,
        wave_status=wave_status, letter=letter,
    )

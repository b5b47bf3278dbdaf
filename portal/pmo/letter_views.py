"""Statement letters for the PMO: the queue (oldest first), one letter with its photo, approve or reject."""

from flask import abort, flash, request, url_for
from flask_login import current_user
from playhouse.flask_utils import get_object_or_404

from portal.applicant.letter_views import letter_file
from portal.domain import DomainError
from portal.forms.letters import LetterDecisionForm
from portal.htmx import see_other
from portal.i18n import gettext as _
from portal.models import Application, StatementLetter
from portal.pmo import bp
from portal.rendering import render_page
from portal.services import letters, waves

QUEUE_PAGE = 50


@bp.route("/surat")
def letter_queue():
    """Pending letters, oldest first."""
    return render_page("pmo/letter_queue.html", pending=letters.queue(QUEUE_PAGE), total=letters.pending_count())


@bp.route("/surat/<int:letter_id>", methods=["GET", "POST"])
def letter_review(letter_id):
    """One letter beside the applicant's details; approve it, or reject it with a reason the applicant reads."""
    letter = get_object_or_404(StatementLetter.select(StatementLetter, Application).join(Application),
                               StatementLetter.id == letter_id)
    form = LetterDecisionForm()
    if letter.status == letters.PENDING and form.validate_on_submit():
        try:
            letters.decide(letter, current_user._get_current_object(), form.decision.data == "approve",
                           form.reason.data, ip=request.remote_addr)
        except DomainError as error:
            if error.field == "reason":
                form.reason.errors.append(error.message)
            else:
                flash(error.message, "info")
                return see_other(url_for(".letter_review", letter_id=letter.id))
        else:
            flash(_("Letter approved.") if form.decision.data == "approve" else _("Letter rejected."), "success")
            following = letters.next_pending(after=letter.id)
            return see_other(url_for(".letter_review", letter_id=following.id) if following
                             else url_for(".letter_queue"))
    elif request.method == "POST" and letter.status != letters.PENDING:
        flash(letters.ALREADY_DECIDED, "info")
        return see_other(url_for(".letter_review", letter_id=letter.id))
    application = letter.application
    return render_page("pmo/letter_review.html", letter=letter, application=application, form=form,
                       failed=letters.failed_waves(waves.entries_of(application)), total=letters.pending_count())


@bp.route("/surat/<int:letter_id>/<variant>")
def letter_image(letter_id, variant):
    """The photo of a letter, for the PMO only (this blueprint's guard)."""
    if variant not in ("besar", "kecil"):
        abort(404)
    return letter_file(StatementLetter.get_or_none(StatementLetter.id == letter_id), variant)

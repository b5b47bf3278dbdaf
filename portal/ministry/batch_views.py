"""The reviewer's batches: every office's closed batches, one batch's records, and the decisions on them."""

from flask import abort, current_app, flash, request, url_for
from flask_login import current_user

from portal.htmx import see_other
from portal.i18n import gettext as _
from portal.i18n import lazy_gettext as _l
from portal.ministry import bp
from portal.ministry.forms import ConfirmForm, DecisionForm
from portal.ministry.paging import Page, paginate
from portal.models import Application, Batch, Office, Ratification
from portal.rendering import render_page
from portal.rules import status
from portal.rules.review import SUGGESTED_REASON, WARNINGS
from portal.services import review

QUEUE_VIEWS = ("undecided", "warnings", "decided")
# What a reviewer calls each state of a record in a batch (applicants read portal.rules.status.LABELS).
STATE_NAMES = {
    status.CLOSED: _l("To decide"),
    status.ACCEPTED: _l("Accepted"),
    status.RETURNED: _l("Returned to the office"),
    status.RATIFIED: _l("Ratified"),
    status.CONFIRMED: _l("Confirmed by the PMO"),
    status.REJECTED: _l("Rejected by the PMO"),
}


def batch_or_404(batch_id):
    batch = review.reviewable_batch(batch_id)
    if batch is None:
        abort(404)
    return batch


def tampered(batch):
    """The refusal page of a batch whose manifest no longer matches (already audited)."""
    return render_page("ministry/batch_tampered.html", status=409, batch=batch)


@bp.route("/")
def batch_list():
    """Closed batches of every office, newest first, with their counts by state."""
    query = (Batch.select(Batch, Office).join(Office).where(Batch.status.in_(review.REVIEWABLE))
             .order_by(Batch.closed_at.desc(), Batch.id.desc()))
    page = paginate(query)
    counts = review.status_counts([b.id for b in page.items])
    return render_page("ministry/batch_list.html", page=page, counts=counts, statuses=status)


@bp.route("/batch/<int:batch_id>")
def batch_detail(batch_id):
    """One batch: its manifest checked again first, then its counts and what can be done next."""
    batch = batch_or_404(batch_id)
    if not review.verify_manifest(batch, current_user, ip=request.remote_addr):
        return tampered(batch)
    counts = review.status_counts([batch.id]).get(batch.id, {})
    clean = len(review.clean_ids(batch)) if counts.get(status.CLOSED) else 0
    waiting = Application.select().where(Application.batch == batch, Application.status == status.ACCEPTED,
                                         Application.status_reason == "over_quota").count()
    return render_page("ministry/batch_detail.html", batch=batch, counts=counts, clean=clean, statuses=status,
                       state_names=STATE_NAMES, waiting=waiting,
                       decrees=list(Ratification.select().where(Ratification.batch == batch)
                                    .order_by(Ratification.id)))


def queue_query(batch, view):
    query = Application.select().where(Application.batch == batch)
    if view == "decided":
        return query.where(Application.status != status.CLOSED).order_by(Application.reference)
    return query.where(Application.status == status.CLOSED).order_by(Application.reference)


@bp.route("/batch/<int:batch_id>/antrean")
def batch_queue(batch_id):
    """The batch's records as a compact list with their warnings: undecided, only those with warnings, or decided."""
    batch = batch_or_404(batch_id)
    if not review.received(batch):
        return see_other(url_for("ministry.batch_detail", batch_id=batch.id))  # its manifest is checked first
    view = request.args.get("lihat", "undecided")
    view = view if view in QUEUE_VIEWS else "undecided"
    query = queue_query(batch, view)
    if view == "warnings":
        records = list(query)
        found = review.warnings_for(records, queue_query(batch, view))
        flagged = [r for r in records if found[r.id]]
        page = paginate_list(flagged)
    else:
        page = paginate(query)
        found = review.warnings_for(page.items)
    return render_page("ministry/batch_queue.html", batch=batch, page=page, found=found, view=view,
                       warnings=WARNINGS, statuses=status, state_names=STATE_NAMES)


def paginate_list(items):
    """paginate() over a list already in memory."""
    size = current_app.config["REVIEW_PAGE_SIZE"]
    pages = max(1, -(-len(items) // size))
    number = min(max(request.args.get("page", 1, type=int) or 1, 1), pages)
    return Page(items[(number - 1) * size:number * size], number, len(items), size)


def next_undecided(batch, after):
    """The next undecided record of the batch after a reference (wrapping to the first), or None."""
    undecided = review.undecided(batch).order_by(Application.reference)
    return undecided.where(Application.reference > after).first() or undecided.first()


@bp.route("/batch/<int:batch_id>/data/<int:record_id>", methods=["GET", "POST"])
def record_review(batch_id, record_id):
    """One record: its answers and warnings, and the decision (accept, or return with a reason and note)."""
    batch = batch_or_404(batch_id)
    record = Application.get_or_none((Application.id == record_id) & (Application.batch == batch))
    if record is None:
        abort(404)
    if not review.received(batch):
        return see_other(url_for("ministry.batch_detail", batch_id=batch.id))  # its manifest is checked first
    if not review.record_intact(record, batch, current_user, ip=request.remote_addr):
        return tampered(batch)
    found = review.warnings_for([record])[record.id]
    form = DecisionForm()
    if request.method == "GET" and found:
        form.reason.data = SUGGESTED_REASON.get(found[0], "")
    if record.status == status.CLOSED and form.validate_on_submit():
        if form.decision.data == "accept":
            review.accept(record, current_user, ip=request.remote_addr)
            flash(_("%(reference)s accepted.", reference=record.reference), "success")
        else:
            review.return_to_office(record, current_user, form.reason.data, form.note.data, ip=request.remote_addr)
            flash(_("%(reference)s returned to the office.", reference=record.reference), "success")
        following = next_undecided(batch, record.reference)
        if following is None:
            flash(_("Every record of this batch is decided. You can ratify it now."), "info")
            return see_other(url_for("ministry.batch_detail", batch_id=batch.id))
        return see_other(url_for("ministry.record_review", batch_id=batch.id, record_id=following.id))
    position = review.undecided(batch).where(Application.reference < (record.reference or "")).count() + 1
    return render_page("ministry/record_review.html", batch=batch, record=record, found=found, form=form,
                       warnings=WARNINGS, statuses=status, position=position, state_names=STATE_NAMES,
                       undecided=review.undecided(batch).count())


@bp.route("/batch/<int:batch_id>/terima-semua", methods=["GET", "POST"])
def bulk_accept(batch_id):
    """Accept every undecided record with no warning, after a confirmation page showing how many."""
    batch = batch_or_404(batch_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        # The service checks the manifest and counts (a tampered batch: DomainError, back to this page's refusal).
        expected = int(form.expected.data) if (form.expected.data or "").isdigit() else -1
        try:
            accepted = review.bulk_accept(batch, current_user, ip=request.remote_addr, expected=expected)
        except review.CountChanged as changed:
            flash(changed.message, "info")
            count = changed.count
        else:
            flash(_("%(count)d records accepted.", count=accepted), "success")
            return see_other(url_for("ministry.batch_detail", batch_id=batch.id))
    else:
        if not review.verify_manifest(batch, current_user, ip=request.remote_addr):
            return tampered(batch)
        count = len(review.clean_ids(batch))
    form.expected.data = str(count)
    return render_page("ministry/bulk_accept.html", batch=batch, count=count, form=form)

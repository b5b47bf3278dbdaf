"""The office's batches: the open one with each record's check state, past ones with their state, and the
second person's close (four-eyes rule; DESIGN.md 2.2 step 5)."""

from flask import abort, flash, request, url_for
from flask_login import current_user
from playhouse.flask_utils import get_object_or_404

from portal.auth.forms import ConfirmForm
from portal.desk import bp
from portal.domain import DomainError
from portal.guards import current_office, in_office_or_404
from portal.htmx import see_other
from portal.i18n import lazy_gettext as _l
from portal.models import Account, Application, Batch
from portal.rendering import render_page
from portal.rules import status
from portal.services import audit, batches

PAGE_SIZE = 50
CLOSED = _l("Batch closed. Its records are sent to the ministry; print the documents below for signing.")


def office_batch_or_404(batch_id):
    """A batch of the signed-in staff member's office, or 404."""
    return in_office_or_404(get_object_or_404(Batch.select(), Batch.id == batch_id))


def page_number():
    """The ?halaman= page asked for, 1 when missing or not a number."""
    value = request.args.get("halaman", "")
    return int(value) if value.isdigit() and 0 < len(value) < 6 else 1


@bp.route("/batch")
def batch_list():
    """The office's open batch at a glance, and every batch it has closed with its state."""
    office = current_office()
    current = Batch.get_or_none(Batch.open_slot == office.id)
    summary = batches.counts(batches.checked(current), current) if current else None
    past = list(Batch.select().where(Batch.office == office, Batch.status != batches.OPEN)
                .order_by(Batch.number.desc()).limit(100))
    return render_page("desk/batch_list.html", office=office, current=current, summary=summary, past=past,
                       status_label=batches.status_label)


@bp.route("/batch/<int:batch_id>")
def batch_detail(batch_id):
    """One batch: its records (each complete, or what it lacks), counts, and closing or its documents."""
    batch = office_batch_or_404(batch_id)
    rows = batches.checked(batch)
    page = page_number()
    pages = max(1, -(-len(rows) // PAGE_SIZE))
    if page > pages:
        abort(404)
    names = {a.id: a.full_name for a in Account.select(Account.id, Account.full_name)
             .where(Account.id.in_({r.entered_by_id for r, _ in rows if r.entered_by_id}))}
    refusal = batches.close_refusal(batch, current_user) if batch.status == batches.OPEN else None
    return render_page(
        "desk/batch_detail.html", batch=batch, rows=rows[(page - 1) * PAGE_SIZE: page * PAGE_SIZE],
        summary=batches.counts(rows, batch), page=page, pages=pages, names=names, refusal=refusal,
        status_label=batches.status_label, record_status=status.label, reason_label=status.reason_label,
        closer=Account.get_or_none(Account.id == batch.closed_by_id) if batch.closed_by_id else None,
    )


@bp.route("/batch/<int:batch_id>/tutup", methods=["GET", "POST"])
def batch_close(batch_id):
    """Confirm and close a batch (supervisor who entered none of it); anyone else is told who must."""
    batch = office_batch_or_404(batch_id)
    if batch.status != batches.OPEN:
        return see_other(url_for("desk.batch_detail", batch_id=batch.id))
    form = ConfirmForm()
    refusal = batches.close_refusal(batch, current_user)
    if form.validate_on_submit():
        if refusal:
            abort(403)
        try:
            batches.close(batch, current_user, ip=request.remote_addr)
        except DomainError as error:
            flash(error.message, "error")
            return see_other(url_for("desk.batch_close", batch_id=batch.id))
        flash(CLOSED, "success")
        return see_other(url_for("desk.batch_detail", batch_id=batch.id))
    rows = batches.checked(batch)
    return render_page("desk/batch_close.html", batch=batch, form=form, refusal=refusal,
                       summary=batches.counts(rows, batch), blocking=batches.blockers(rows))


@bp.route("/catatan/<int:application_id>/riwayat")
def record_log(application_id):
    """The audit log of one walk-in record of the office: who did what and when, no personal values."""
    record = in_office_or_404(get_object_or_404(
        Application.select(Application.id, Application.reference, Application.office, Application.batch),
        Application.id == application_id, Application.channel == "walkin"))
    return render_page("desk/audit_log.html", entries=audit.for_record(("application", record.id)),
                       heading=_l("History of record %(reference)s", reference=record.reference or record.id),
                       back=url_for("desk.walkin_detail", reference=record.reference),
                       back_label=_l("Back to the record"))


@bp.route("/batch/<int:batch_id>/riwayat")
def batch_log(batch_id):
    """The audit log of a batch: its closing and every export, who and when."""
    batch = office_batch_or_404(batch_id)
    return render_page("desk/audit_log.html", entries=audit.for_record(batch),
                       heading=_l("History of batch %(number)d", number=batch.number),
                       back=url_for("desk.batch_detail", batch_id=batch.id), back_label=_l("Back to the batch"))

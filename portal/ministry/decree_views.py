"""Ratifying a batch (penetapan) under a decree, and the ratified list: printable, CSV and XLSX."""

from flask import abort, flash, request, url_for
from flask_login import current_user

from portal import exports
from portal.htmx import see_other
from portal.i18n import gettext as _
from portal.ministry import bp
from portal.ministry.batch_views import batch_or_404, tampered
from portal.ministry.forms import RatifyForm
from portal.models import Ratification
from portal.rendering import render_page
from portal.rules.eligibility import today
from portal.rules.manifest import EXPORT_FIELDS
from portal.rules.regions import describe
from portal.services import ratification, review


@bp.route("/batch/<int:batch_id>/penetapan", methods=["GET", "POST"])
def batch_ratify(batch_id):
    """The decree form with what it would ratify per province; "check" recomputes for the date entered."""
    batch = batch_or_404(batch_id)
    ratifying = request.method == "POST" and request.form.get("action") == "ratify"
    # Ratifying checks the manifest itself (a tampered batch: DomainError, back to this page's refusal).
    if not ratifying and not review.verify_manifest(batch, current_user, ip=request.remote_addr):
        return tampered(batch)
    form = RatifyForm()
    if request.method == "GET":
        form.decree_date.process(None, today())
    if ratifying:
        valid = form.validate_on_submit()
    elif request.method == "POST":
        valid = form.decree_date.validate(form)  # "check" looks at the date alone
    on = form.decree_date.data or today()
    if ratifying and valid:
        decree = ratification.ratify(batch, current_user, form.decree_number.data, on, ip=request.remote_addr)
        flash(_("Decree %(number)s: %(ratified)d records ratified, %(waiting)d waiting over the quota.",
                number=decree.decree_number, ratified=decree.ratified_count, waiting=decree.waiting_count), "success")
        return see_other(url_for("ministry.decree_detail", decree_id=decree.id))
    lines, fits, waits = ratification.plan(batch, on)
    return render_page("ministry/batch_ratify.html", batch=batch, form=form, lines=lines, fits=len(fits),
                       waits=len(waits), on=on, undecided=review.undecided(batch).count(), describe=describe)


def decree_or_404(decree_id):
    decree = Ratification.get_or_none(Ratification.id == decree_id)
    if decree is None:
        abort(404)
    return decree


@bp.route("/penetapan/<int:decree_id>")
def decree_detail(decree_id):
    """The ratified list of a decree, laid out to print on A4."""
    decree = decree_or_404(decree_id)
    return render_page("ministry/decree_detail.html", decree=decree, records=ratification.ratified_records(decree),
                       describe=describe)


def export_name(decree, ext):
    safe = "".join(ch if ch.isalnum() else "-" for ch in decree.decree_number)[:40]
    return f"penetapan-{decree.id}-{safe}-{decree.manifest_sha256[:12]}.{ext}"


@bp.route("/penetapan/<int:decree_id>/daftar.csv")
def decree_csv(decree_id):
    """The ratified list as CSV: two "#" lines with the decree and its manifest, then the manifest's canonical
    columns, so its SHA-256 can be recomputed from the file alone."""
    decree = decree_or_404(decree_id)
    preamble = [f"Prakerja decree {decree.decree_number} {decree.decree_date.isoformat()} "
                f"{decree.batch.office.code} batch {decree.batch.number}",
                f"manifest records={decree.ratified_count} sha256={decree.manifest_sha256}"]
    return exports.csv_response(export_name(decree, "csv"), EXPORT_FIELDS, ratification.ratified_rows(decree),
                                preamble)


@bp.route("/penetapan/<int:decree_id>/daftar.xlsx")
def decree_xlsx(decree_id):
    """The ratified list as XLSX, with a second sheet holding the decree and its manifest."""
    decree = decree_or_404(decree_id)
    manifest = [
        [_("Decree number"), decree.decree_number],
        [_("Decree date"), decree.decree_date.isoformat()],
        [_("Office"), decree.batch.office.name],
        [_("Batch"), str(decree.batch.number)],
        [_("Records ratified"), str(decree.ratified_count)],
        [_("Manifest (SHA-256)"), decree.manifest_sha256],
    ]
    return exports.xlsx_response(export_name(decree, "xlsx"), [
        (_("Ratified list"), EXPORT_FIELDS, ratification.ratified_rows(decree)),
        (_("Manifest"), [_("Item"), _("Value")], manifest),
    ])

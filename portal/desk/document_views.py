"""The documents of a closed batch, each carrying its manifest: recap, statement of data truth, handover
record (BAST), and the records as CSV and XLSX. Every one handed out is written in the audit log."""

from flask import Response, abort, request
from flask_login import current_user

from portal.desk import bp
from portal.desk.batch_views import office_batch_or_404
from portal.models import Account
from portal.rendering import render_page
from portal.services import audit, batch_exports, batches

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def closed_batch_or_404(batch_id, document):
    """A closed batch of the office, its handing out of `document` audited; 404 while it is still open
    (an open batch has no manifest, so nothing could prove what was printed)."""
    batch = office_batch_or_404(batch_id)
    if batch.status == batches.OPEN:
        abort(404)
    audit.record(current_user, f"batch.{document}", batch, ip=request.remote_addr)
    return batch


def signatories(batch):
    """Who closed the batch (the supervisor), for the signature blocks."""
    return Account.get_or_none(Account.id == batch.closed_by_id)


@bp.route("/batch/<int:batch_id>/rekap")
def batch_recap(batch_id):
    """The recap (rekapitulasi) of a closed batch by village, sex, education and employment, printable."""
    batch = closed_batch_or_404(batch_id, "recap_printed")
    return render_page("desk/batch_recap.html", batch=batch, tables=batch_exports.recap(batch),
                       sexes=batch_exports.sex_totals(batch))


@bp.route("/batch/<int:batch_id>/pernyataan")
def batch_statement(batch_id):
    """The statement of data truth (surat pernyataan kebenaran data) for the head of office to sign."""
    batch = closed_batch_or_404(batch_id, "statement_printed")
    return render_page("desk/batch_statement.html", batch=batch, closer=signatories(batch),
                       sexes=batch_exports.sex_totals(batch))


@bp.route("/batch/<int:batch_id>/bast")
def batch_handover(batch_id):
    """The handover record (berita acara serah terima, BAST) for the office and the receiving party."""
    batch = closed_batch_or_404(batch_id, "handover_printed")
    return render_page("desk/batch_handover.html", batch=batch, closer=signatories(batch),
                       sexes=batch_exports.sex_totals(batch))


def download(data, mimetype, filename):
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@bp.route("/batch/<int:batch_id>/ekspor.csv")
def batch_csv(batch_id):
    """The records of a closed batch as CSV, in the canonical values the manifest is computed over."""
    batch = closed_batch_or_404(batch_id, "csv_exported")
    return download(batch_exports.csv_bytes(batch), "text/csv", f"{batch_exports.file_stem(batch)}.csv")


@bp.route("/batch/<int:batch_id>/ekspor.xlsx")
def batch_xlsx(batch_id):
    """The records of a closed batch as an XLSX workbook, with a sheet holding the manifest."""
    batch = closed_batch_or_404(batch_id, "xlsx_exported")
    return download(batch_exports.xlsx_bytes(batch), XLSX, f"{batch_exports.file_stem(batch)}.xlsx")

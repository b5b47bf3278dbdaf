"""What a closed batch hands over: its recap (rekapitulasi) and its records as CSV and XLSX, each with the
manifest printed on every document (count and SHA-256, portal.rules.manifest)."""

import csv
import io
from collections import Counter

import xlsxwriter

from portal import choices
from portal.i18n import lazy_gettext as _l
from portal.rules import regions
from portal.rules.manifest import EXPORT_FIELDS
from portal.services.batches import batch_rows, records

UNKNOWN = _l("Not given")


def file_stem(batch):
    """"batch-DISNAKER-3201-0001": the office's code and the batch number, safe in a file name."""
    return f"batch-{batch.office.code}-{batch.number:04d}"


def manifest_line(batch):
    """The manifest as one line of text, the same in every export."""
    return f"records={batch.record_count} sha256={batch.manifest_sha256}"


def recap(batch):
    """The batch's records counted by village (of the KTP address, split by sex), sex, education and
    employment: [(title, what the rows are, [(label, women, men, total)], (women, men, total))]."""
    people = records(batch, include_withdrawn=False)

    def table(key, label):
        tally = {}
        for person in people:
            tally.setdefault(key(person), Counter())[person.sex] += 1
        rows = sorted(((label(k), c["P"], c["L"], sum(c.values())) for k, c in tally.items()),
                      key=lambda row: (-row[3], str(row[0])))
        totals = Counter(person.sex for person in people)
        return rows, (totals["P"], totals["L"], len(people))

    village = lambda person: person.address("ktp").region_code  # noqa: E731
    return [
        (_l("By village (KTP address)"), _l("Village"),
         *table(village, lambda code: regions.describe(code) if code else UNKNOWN)),
        (_l("By education"), _l("Last education"),
         *table(lambda p: p.education, lambda k: choices.label(choices.EDUCATION, k) or UNKNOWN)),
        (_l("By employment status"), _l("Employment status"),
         *table(lambda p: p.employment, lambda k: choices.label(choices.EMPLOYMENT, k) or UNKNOWN)),
    ]


def sex_totals(batch):
    """(women, men, total) of a batch's records."""
    tally = Counter(p.sex for p in records(batch, include_withdrawn=False))
    return tally["P"], tally["L"], sum(tally.values())


def csv_bytes(batch):
    """The records as CSV (UTF-8 with a byte-order mark, so spreadsheets read it right): two lines starting
    with "#" hold the batch and its manifest, then a header of EXPORT_FIELDS and one line per record, in the
    canonical values, so the manifest can be recomputed from the file alone."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([f"# Prakerja {batch.document_number} {batch.office.code} batch {batch.number}"])
    writer.writerow([f"# manifest {manifest_line(batch)}"])
    writer.writerow(EXPORT_FIELDS)
    writer.writerows(batch_rows(batch))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def xlsx_bytes(batch):
    """The records as an XLSX workbook: sheet "data" with the EXPORT_FIELDS columns, every cell text (a NIK
    must not turn into a rounded number), and sheet "manifest" with the batch and its manifest."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False,
                                            "strings_to_formulas": False, "strings_to_urls": False})
    # A fixed creation time: the same batch always gives the same file.
    workbook.set_properties({"title": f"Prakerja {batch.document_number}", "created": batch.closed_at})
    bold = workbook.add_format({"bold": True})
    data = workbook.add_worksheet("data")
    data.write_row(0, 0, EXPORT_FIELDS, bold)
    for n, row in enumerate(batch_rows(batch), start=1):
        for column, value in enumerate(row):
            data.write_string(n, column, value)
    data.freeze_panes(1, 0)
    data.set_column(0, len(EXPORT_FIELDS) - 1, 18)
    manifest = workbook.add_worksheet("manifest")
    facts = [("document_number", batch.document_number), ("office", batch.office.code),
             ("batch", str(batch.number)), ("closed_at", batch.closed_at.isoformat(timespec="seconds")),
             ("record_count", str(batch.record_count)), ("sha256", batch.manifest_sha256)]
    for n, (name, value) in enumerate(facts):
        manifest.write_string(n, 0, name, bold)
        manifest.write_string(n, 1, value)
    manifest.set_column(0, 0, 18)
    manifest.set_column(1, 1, 70)
    workbook.close()
    return buffer.getvalue()

"""Downloads of lists as CSV and XLSX (XlsxWriter, streaming rows in constant memory).

Every cell is written as text: in XLSX with write_string, so nothing is read as a number or a formula; in
CSV a value that a spreadsheet would run as a formula (starting with =, @, or + or - before a non-digit)
gets a leading apostrophe (OWASP "CSV injection"). Phone numbers (+62...) and NIKs are left as they are.
"""

import csv
import io
import re

import xlsxwriter
from flask import Response

FORMULA = re.compile(r"^(?:[=@\t\r]|[+-](?![0-9]))")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe_cell(value):
    value = "" if value is None else str(value)
    return "'" + value if FORMULA.match(value) else value


def csv_response(filename, header, rows, preamble=()):
    """A CSV download (UTF-8 with a byte-order mark, so spreadsheet programs read Indonesian names right);
    `preamble` lines come first, each starting with "#" (as the office's batch export does)."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\r\n")
    for line in preamble:
        writer.writerow([f"# {line}"])
    writer.writerow(header)
    writer.writerows([safe_cell(value) for value in row] for row in rows)
    return _download(buffer.getvalue().encode("utf-8"), filename, "text/csv; charset=utf-8")


def xlsx_response(filename, sheets):
    """An XLSX download; `sheets` is a list of (name, header, rows), every cell written as text."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"constant_memory": True, "in_memory": True, "strings_to_numbers": False,
                                        "strings_to_formulas": False, "strings_to_urls": False})
    bold = book.add_format({"bold": True})
    for name, header, rows in sheets:
        sheet = book.add_worksheet(name[:31])
        for col, title in enumerate(header):
            sheet.write_string(0, col, str(title), bold)
        for r, row in enumerate(rows, start=1):
            for col, value in enumerate(row):
                sheet.write_string(r, col, "" if value is None else str(value))
    book.close()
    return _download(buffer.getvalue(), filename, XLSX_TYPE)


def _download(data, filename, mimetype):
    response = Response(data, content_type=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response

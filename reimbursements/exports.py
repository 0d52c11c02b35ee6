"""CSV exports of the insured person's reimbursements, safe to open in a spreadsheet.

A cell whose text starts with = + - @ (or a tab / carriage return, which some spreadsheets skip
before reading a formula) is run as a formula by Excel and LibreOffice: a professional's name
typed as `=HYPERLINK(...)` would become a link in the person's own file (OWASP "CSV
injection"). Such text cells get a leading apostrophe, which spreadsheets show as plain text.
Numbers are written by us (Decimal, dates) and are never neutralised: "-2.00" stays a number.

The file is UTF-8 with a byte-order mark and `;` separators, as French spreadsheets expect;
amounts use a decimal comma for the same reason.
"""

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal

from django.http import HttpResponse

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
DELIMITER = ";"


def neutralised(value: str) -> str:
    """`value` with a leading apostrophe when a spreadsheet would read it as a formula."""
    return f"'{value}" if value.startswith(FORMULA_PREFIXES) else value


def cell(value) -> str:
    """One cell's text: amounts with a decimal comma, dates as DD/MM/YYYY, text neutralised."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, Decimal):
        return f"{value:.2f}".replace(".", ",")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return neutralised(str(value))


def csv_text(header: Sequence[str], rows: Iterable[Sequence]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=DELIMITER, lineterminator="\r\n")
    writer.writerow([neutralised(str(title)) for title in header])
    for row in rows:
        writer.writerow([cell(value) for value in row])
    return out.getvalue()


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence]) -> HttpResponse:
    response = HttpResponse(
        "\ufeff" + csv_text(header, rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response

"""File downloads built by views."""
from __future__ import annotations

import csv
import io
import re

from flask import Response

# OWASP "CSV injection": a spreadsheet runs a cell that starts with one of these as a formula
# (=HYPERLINK(...), +cmd|..., -2+3, @SUM(...)); tab and CR also start one in some programs.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?")


def safe_cell(value: object) -> object:
    """A cell a spreadsheet shows as text: a leading apostrophe before anything that would start a formula.

    Numbers stay numbers, whether passed as numbers or as text such as "-3.5", so totals still add up.
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def csv_download(rows: list[list], filename: str) -> Response:
    """A CSV attachment in UTF-8 with a BOM, so Excel opens Korean names correctly; every cell made safe.

    Every CSV the app sends goes through here (a test checks that no other module writes CSV).
    """
    buffer = io.StringIO()
    csv.writer(buffer).writerows([safe_cell(cell) for cell in row] for row in rows)
    return Response("\ufeff" + buffer.getvalue(), mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f"attachment; filename={filename}"})

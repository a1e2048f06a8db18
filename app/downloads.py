"""File downloads built by views."""
from __future__ import annotations

import csv
import io

from flask import Response


def csv_download(rows: list[list], filename: str) -> Response:
    """A CSV attachment in UTF-8 with a BOM, so Excel opens Korean names correctly."""
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return Response("\ufeff" + buffer.getvalue(), mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f"attachment; filename={filename}"})

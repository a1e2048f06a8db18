"""Datasets for charts: ``courses/_data/<name>.csv`` with a ``<name>.yml`` sidecar describing it.

Charts print the source and terms from the sidecar under every figure, so a dataset without a complete
sidecar is an error, not a missing nicety.
"""

from __future__ import annotations

import csv
import hashlib
import io
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.content.located_yaml import Located, load_mapping
from app.problems import CourseFormatError, Problem

Cell = float | str | None

# Cells that mean "no value" in the published files we copy (GISTEMP writes ***).
MISSING_MARKERS = frozenset({"", "na", "n/a", "nan", "***", "-", "—"})
SIDECAR_REQUIRED = ("title", "units", "source", "source_url")
_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


@dataclass(frozen=True)
class Dataset:
    """One CSV table: numeric columns hold floats (``None`` where a value is missing)."""

    name: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    numeric_columns: frozenset[str]
    meta: Mapping[str, Any] = field(repr=False)  # the sidecar, as written
    digest: str = ""  # sha256 of the CSV and sidecar bytes: part of every using module's source_hash

    def values(self, column: str) -> list[Cell]:
        index = self.columns.index(column)
        return [row[index] for row in self.rows]

    def is_numeric(self, column: str) -> bool:
        return column in self.numeric_columns

    @property
    def title(self) -> str:
        return str(self.meta.get("title", self.name))

    @property
    def units(self) -> str:
        return str(self.meta.get("units", ""))

    @property
    def source(self) -> str:
        return str(self.meta.get("source", ""))

    @property
    def source_url(self) -> str:
        return str(self.meta.get("source_url", ""))

    @property
    def terms(self) -> str:
        """The licence if the sidecar names one, otherwise the publisher's terms of use."""
        return str(self.meta.get("licence") or self.meta.get("terms") or self.meta.get("licence_terms") or "")


class DatasetStore:
    """The datasets in one ``_data`` folder, each read once per store and cached.

    Names are only ever looked up in the folder listing, never joined onto a path, so a chart block
    cannot make the store read a file outside the folder.
    """

    def __init__(self, root: Path):
        self.root = root
        self._loaded: dict[str, tuple[Dataset | None, list[Problem]]] = {}
        self._names: frozenset[str] | None = None

    def names(self) -> list[str]:
        if self._names is None:
            found = self.root.glob("*.csv") if self.root.is_dir() else []
            self._names = frozenset(p.stem for p in found if p.is_file() and _NAME_RE.match(p.stem))
        return sorted(self._names)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name in self.names()

    def csv_path(self, name: str) -> Path:
        return self.root / f"{name}.csv"

    def sidecar_path(self, name: str) -> Path:
        return self.root / f"{name}.yml"

    def load(self, name: str) -> tuple[Dataset | None, list[Problem]]:
        """The dataset and the problems found in its files; ``None`` if it cannot be used."""
        if name not in self:
            raise KeyError(name)
        if name not in self._loaded:
            self._loaded[name] = self._read(name)
        return self._loaded[name]

    def get(self, name: str) -> Dataset:
        """The dataset, or :class:`CourseFormatError` if its files have errors."""
        dataset, problems = self.load(name)
        if dataset is None or any(p.is_error for p in problems):
            raise CourseFormatError(problems)
        return dataset

    def digest(self, name: str) -> str:
        """Hash of the raw files, cheap enough to compute for every module on every sync."""
        sha = hashlib.sha256()
        for path in (self.csv_path(name), self.sidecar_path(name)):
            sha.update(path.name.encode())
            sha.update(path.read_bytes() if path.is_file() else b"<missing>")
        return sha.hexdigest()

    def lint(self) -> list[Problem]:
        """Problems in every dataset of the folder, including sidecars without a CSV."""
        problems: list[Problem] = []
        for name in self.names():
            problems.extend(self.load(name)[1])
        if self.root.is_dir():
            for sidecar in sorted(self.root.glob("*.yml")):
                if sidecar.stem not in self:
                    problems.append(
                        Problem(str(sidecar), 1, f"sidecar without a dataset: no {sidecar.stem}.csv")
                    )
        return problems

    def _read(self, name: str) -> tuple[Dataset | None, list[Problem]]:
        csv_path, sidecar_path = self.csv_path(name), self.sidecar_path(name)
        problems: list[Problem] = []
        sidecar, sidecar_problems = _read_sidecar(sidecar_path)
        problems.extend(sidecar_problems)
        try:
            text = csv_path.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError:
            return None, [*problems, Problem(str(csv_path), 1, "not UTF-8 text")]
        table, table_problems = _read_csv(text, str(csv_path))
        problems.extend(table_problems)
        if table is None:
            return None, problems
        columns, rows, numeric = table
        described = sidecar["columns"].fields() if "columns" in sidecar else {}
        for column, located in described.items():
            if column not in columns:
                # Only documentation, so a warning; usually an unquoted comma in a {flow: mapping}.
                message = f"'columns' describes '{column}', which is not a column of {name}.csv"
                problems.append(Problem(str(sidecar_path), located.line, message, "warning"))
        meta = {key: located.value for key, located in sidecar.items()}
        dataset = Dataset(name, columns, rows, numeric, meta, self.digest(name))
        return dataset, problems


def _read_sidecar(path: Path) -> tuple[dict[str, Located], list[Problem]]:
    if not path.is_file():
        return {}, [
            Problem(
                str(path.with_suffix(".csv")),
                1,
                f"dataset has no sidecar {path.name} (title, units, source, source_url, licence or terms)",
            )
        ]
    fields, problems = load_mapping(
        path.read_text(encoding="utf-8"), path=str(path), first_line=1, what="a dataset sidecar"
    )
    if fields is None:
        return {}, problems

    def has_text(key: str) -> bool:
        located = fields.get(key)
        return located is not None and isinstance(located.value, str) and bool(located.value.strip())

    for key in SIDECAR_REQUIRED:
        if not has_text(key):
            problems.append(Problem(str(path), 1, f"sidecar needs '{key}' (text)"))
    # licence_terms: the key the shared, verified sidecars (work/shared/data) use for the same thing
    if not (has_text("licence") or has_text("terms") or has_text("licence_terms")):
        problems.append(Problem(str(path), 1, "sidecar needs 'licence', 'terms' or 'licence_terms' (text)"))
    url = fields.get("source_url")
    if url is not None and isinstance(url.value, str) and not re.match(r"^https?://", url.value):
        problems.append(Problem(str(path), url.line, "'source_url' must start with https:// or http://"))
    return fields, problems


def _read_csv(
    text: str, path: str
) -> tuple[tuple[tuple[str, ...], tuple[tuple[Cell, ...], ...], frozenset[str]] | None, list[Problem]]:
    """Read a CSV whose first row names the columns; a column is numeric if every value is a number."""
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader, None)
    except csv.Error as exc:
        return None, [Problem(path, 1, f"invalid CSV: {exc}")]
    if not header or not any(cell.strip() for cell in header):
        return None, [Problem(path, 1, "empty CSV: the first row must name the columns")]
    columns = tuple(cell.strip() for cell in header)
    problems: list[Problem] = []
    if len(set(columns)) != len(columns) or "" in columns:
        problems.append(Problem(path, 1, "column names must be unique and not empty"))
    raw_rows: list[tuple[int, list[str]]] = []
    try:
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) != len(columns):
                problems.append(
                    Problem(path, reader.line_num, f"{len(cells)} values in a row of {len(columns)} columns")
                )
                continue
            raw_rows.append((reader.line_num, [cell.strip() for cell in cells]))
    except csv.Error as exc:
        problems.append(Problem(path, reader.line_num, f"invalid CSV: {exc}"))
    if problems:
        return None, problems
    numeric = frozenset(
        column
        for index, column in enumerate(columns)
        if all(_number(cells[index]) is not None or _is_missing(cells[index]) for _, cells in raw_rows)
    )
    rows = tuple(
        tuple(_cell(value, column in numeric) for column, value in zip(columns, cells, strict=True))
        for _, cells in raw_rows
    )
    return (columns, rows, numeric), []


def _is_missing(text: str) -> bool:
    return text.casefold() in MISSING_MARKERS


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _cell(text: str, numeric: bool) -> Cell:
    if _is_missing(text):
        return None
    return _number(text) if numeric else text

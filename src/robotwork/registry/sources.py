"""Reading an import file into raw rows: an .xlsx workbook, a folder of .csv files, or .json.

Row numbers are what the official sees: in a workbook or CSV file the spreadsheet line (the
header is row 1, so the first data row is 2); in JSON the 1-based position in the sheet's list.

Refused before any check: a cell holding a formula (the value stored is not the one the officer
sees: it is computed by a spreadsheet program and may be missing or stale), a file without a
single data row, and a template sheet with a header but no rows under it (a paste gone wrong;
a sheet with nothing to import is left out of the file instead).
"""

import csv
import json
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from robotwork.errors import ImportRejected
from robotwork.registry.template import SHEETS_BY_NAME


@dataclass
class RawRow:
    """One row as read: its number in the sheet and the cells by column name."""

    number: int
    cells: dict[str, object]


@dataclass
class RawDocument:
    """Every template sheet found in a file, and the names of sheets that are not in the template."""

    path: Path
    sheets: dict[str, list[RawRow]] = field(default_factory=dict)
    headers: dict[str, list[str]] = field(default_factory=dict)
    ignored_sheets: list[str] = field(default_factory=list)


def _cell(value: object) -> object:
    if isinstance(value, datetime):
        return value.date() if value.time() == datetime.min.time() else value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _add_table(doc: RawDocument, sheet: str, rows: list[list[object]], first_row: int) -> None:
    """Add a header-led table; rows that are entirely blank are skipped, numbers kept."""
    if sheet not in SHEETS_BY_NAME:
        doc.ignored_sheets.append(sheet)
        return
    if not rows:
        doc.sheets[sheet], doc.headers[sheet] = [], []
        return
    header = [str(h).strip() if h is not None else "" for h in rows[0]]
    doc.headers[sheet] = [h for h in header if h]
    out: list[RawRow] = []
    for offset, values in enumerate(rows[1:], start=1):
        if all(_blank(v) for v in values):
            continue
        cells = {h: _cell(v) for h, v in zip(header, values, strict=False) if h}
        out.append(RawRow(first_row + offset, cells))
    doc.sheets[sheet] = out


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)


def _sheet_values(ws: Any, name: str, title: str) -> list[list[object]]:
    """The sheet's cell values; a formula cell is refused with its sheet, row and column."""
    rows: list[list[object]] = []
    for number, cells in enumerate(ws.iter_rows(), start=1):
        values: list[object] = []
        for index, cell in enumerate(cells, start=1):
            if getattr(cell, "data_type", None) == "f":
                where = f"sheet {title} row {number}, column {_column_letter(index)}"
                raise ImportRejected(
                    f"{name}: {where}: a formula ({str(cell.value)[:60]}); enter the value itself, "
                    "the file keeps only what a spreadsheet program last computed"
                )
            values.append(cell.value)
        rows.append(values)
    return rows


def _read_xlsx(path: Path, name: str) -> RawDocument:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ImportRejected(f"{name}: not a readable .xlsx workbook ({exc})") from None
    doc = RawDocument(path)
    try:
        for ws in workbook.worksheets:
            title = ws.title.strip()
            _add_table(doc, title, _sheet_values(ws, name, title), 1)
    finally:
        workbook.close()
    return doc


def _read_csv_folder(path: Path, name: str) -> RawDocument:
    doc = RawDocument(path)
    files = sorted(path.glob("*.csv"))
    if not files:
        raise ImportRejected(f"{name}: folder holds no .csv files named after the template's sheets")
    for file in files:
        try:
            with file.open(encoding="utf-8-sig", newline="") as handle:
                rows: list[list[object]] = [list(r) for r in csv.reader(handle)]
        except UnicodeDecodeError as exc:
            raise ImportRejected(f"{name}/{file.name}: not UTF-8 text (byte {exc.start})") from None
        except csv.Error as exc:
            raise ImportRejected(f"{name}/{file.name}: not valid CSV ({exc})") from None
        _add_table(doc, file.stem, rows, 1)
    return doc


def _read_json(path: Path, name: str) -> RawDocument:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise ImportRejected(f"{name}: not UTF-8 text (byte {exc.start})") from None
    except json.JSONDecodeError as exc:
        raise ImportRejected(
            f"{name}: not valid JSON at line {exc.lineno} column {exc.colno} ({exc.msg})"
        ) from None
    except RecursionError:
        raise ImportRejected(f"{name}: JSON nested too deeply") from None
    if not isinstance(data, dict):
        raise ImportRejected(f"{name}: the JSON document must be an object of sheets")
    for sheet, rows in data.items():
        if sheet in SHEETS_BY_NAME and (
            not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows)
        ):
            raise ImportRejected(f"{name}: sheet {sheet!r} must be a list of objects")
    return document_from_rows(path, data)


def _refuse_empty(doc: RawDocument, name: str) -> None:
    """An import must hold data, and every template sheet it holds must have rows."""
    if not any(doc.sheets.values()):
        found = ", ".join(doc.sheets) or "none"
        raise ImportRejected(
            f"{name}: no data rows in any of the template's sheets (template sheets found: {found})"
        )
    for sheet, rows in doc.sheets.items():
        if not rows:
            raise ImportRejected(
                f"{name}: sheet {sheet} row 2: no data rows under the header; fill the sheet or leave it out"
            )


def document_from_rows(path: Path, sheets: Mapping[str, list[dict[str, object]]]) -> RawDocument:
    """A document of the template's JSON form (rows numbered from 1); how code hands rows to the
    importer (the demo, the API, benchmarks) so they pass the same checks as an official's file."""
    doc = RawDocument(path)
    for sheet, rows in sheets.items():
        if sheet not in SHEETS_BY_NAME:
            doc.ignored_sheets.append(sheet)
            continue
        doc.sheets[sheet] = [RawRow(i, dict(r)) for i, r in enumerate(rows, start=1)]
        doc.headers[sheet] = sorted({k for r in rows for k in r})
    return doc


def read_document(path: Path, *, name: str | None = None) -> RawDocument:
    """Read an import file of any supported kind; unreadable, empty or formula-bearing files
    raise `ImportRejected`. Messages call the file `name` (an upload's name as it was sent;
    default the path), never a temporary copy's path."""
    shown = name or str(path)
    if path.is_dir():
        doc = _read_csv_folder(path, shown)
    elif not path.exists():
        raise ImportRejected(f"{shown}: no such file or folder")
    elif path.suffix.lower() == ".xlsx":
        doc = _read_xlsx(path, shown)
    elif path.suffix.lower() == ".json":
        doc = _read_json(path, shown)
    elif path.suffix.lower() == ".csv":
        raise ImportRejected(f"{shown}: give the folder of .csv files, one per sheet, not one file")
    else:
        raise ImportRejected(
            f"{shown}: unsupported file type {path.suffix.lower()!r} (use .xlsx, .json or a folder)"
        )
    _refuse_empty(doc, shown)
    return doc


__all__ = ["RawDocument", "RawRow", "document_from_rows", "read_document"]

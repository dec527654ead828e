"""Reading an import file into raw rows: an .xlsx workbook, a folder of .csv files, or .json.

Row numbers are what the official sees: in a workbook or CSV file the spreadsheet line (the
header is row 1, so the first data row is 2); in JSON the 1-based position in the sheet's list.
"""

import csv
import json
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

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


def _read_xlsx(path: Path) -> RawDocument:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ImportRejected(f"{path}: not a readable .xlsx workbook ({exc})") from None
    doc = RawDocument(path)
    try:
        for ws in workbook.worksheets:
            _add_table(doc, ws.title.strip(), [list(r) for r in ws.iter_rows(values_only=True)], 1)
    finally:
        workbook.close()
    return doc


def _read_csv_folder(path: Path) -> RawDocument:
    doc = RawDocument(path)
    files = sorted(path.glob("*.csv"))
    if not files:
        raise ImportRejected(f"{path}: folder holds no .csv files named after the template's sheets")
    for file in files:
        try:
            with file.open(encoding="utf-8-sig", newline="") as handle:
                rows: list[list[object]] = [list(r) for r in csv.reader(handle)]
        except UnicodeDecodeError as exc:
            raise ImportRejected(f"{file}: not UTF-8 text (byte {exc.start})") from None
        except csv.Error as exc:
            raise ImportRejected(f"{file}: not valid CSV ({exc})") from None
        _add_table(doc, file.stem, rows, 1)
    return doc


def _read_json(path: Path) -> RawDocument:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise ImportRejected(f"{path}: not UTF-8 text (byte {exc.start})") from None
    except json.JSONDecodeError as exc:
        raise ImportRejected(
            f"{path}: not valid JSON at line {exc.lineno} column {exc.colno} ({exc.msg})"
        ) from None
    if not isinstance(data, dict):
        raise ImportRejected(f"{path}: the JSON document must be an object of sheets")
    for sheet, rows in data.items():
        if sheet in SHEETS_BY_NAME and (
            not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows)
        ):
            raise ImportRejected(f"{path}: sheet {sheet!r} must be a list of objects")
    return document_from_rows(path, data)


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


def read_document(path: Path) -> RawDocument:
    """Read an import file of any supported kind; unreadable files raise `ImportRejected`."""
    if path.is_dir():
        return _read_csv_folder(path)
    if not path.exists():
        raise ImportRejected(f"{path}: no such file or folder")
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return _read_xlsx(path)
    if suffix == ".json":
        return _read_json(path)
    if suffix == ".csv":
        raise ImportRejected(f"{path}: give the folder of .csv files, one per sheet, not one file")
    raise ImportRejected(f"{path}: unsupported file type {suffix!r} (use .xlsx, .json or a folder)")


__all__ = ["RawDocument", "RawRow", "document_from_rows", "read_document"]

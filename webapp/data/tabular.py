"""Read an uploaded or shipped file into a table of strings, whatever its dialect.

CSV (`,` `;` tab or `|` separated; UTF-8, UTF-8 with BOM, Windows-1252 or Latin-1), XLSX (first
sheet) and GeoJSON (one row per feature: its properties, and `geometry` as GeoJSON text). Cells are
strings or missing (NA): types are the schema's business (`webapp.data.schema`). A file that cannot
be read raises `Unreadable` with a French and an English explanation.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from webapp.i18n import Text, _l
from webapp.public_error import PublicError

EXTENSIONS = (".csv", ".txt", ".xlsx", ".geojson", ".json")
HEADER_SEARCH = 30  # lines (or sheet rows) searched for the header below a file's title lines
SEPARATORS = ";,\t|"
SEPARATOR_NAMES = {";": "point-virgule", ",": "virgule", "\t": "tabulation", "|": "barre verticale"}
_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}")


class Unreadable(PublicError):
    """The file cannot be read as a table: a public error (422) saying why and what is accepted."""

    def __init__(self, message: str, /, **arguments: object) -> None:
        super().__init__(422, message, **arguments)

    @classmethod
    def of(cls, text: Text) -> Unreadable:
        """From a lazy text: `Unreadable.of(_l("Le fichier est vide."))`."""
        return cls(text.message, **text.kwargs)

    @property
    def fr(self) -> str:
        return self.message("fr")

    @property
    def en(self) -> str:
        return self.message("en")


@dataclass(frozen=True)
class Table:
    frame: pd.DataFrame  # every cell a str or NA; columns as in the file's header
    kind: str  # csv | xlsx | geojson
    encoding: str = ""
    separator: str = ""

    def describe(self) -> str:
        if self.kind == "csv":
            return f"CSV, {self.encoding}, séparateur {SEPARATOR_NAMES.get(self.separator, self.separator)}"
        return self.kind.upper()


def read_table(content: bytes, filename: str, expected: Sequence[str] = ()) -> Table:
    """The file as a table of strings; `expected` column names let it find a header below title lines
    (INSEE's files open with a title, a source line and a row of French labels before the codes)."""
    name = filename.lower()
    if not name.endswith(EXTENSIONS):
        raise Unreadable.of(_l(
            "Le fichier « {filename} » n'a pas une extension acceptée. Formats acceptés : CSV (.csv), "
            "classeur Excel (.xlsx), GeoJSON (.geojson).", filename=filename))
    if not content.strip():
        raise Unreadable.of(_l("Le fichier est vide."))
    if name.endswith(".xlsx"):
        return _read_xlsx(content, expected)
    if name.endswith((".geojson", ".json")):
        return _read_geojson(content)
    return _read_csv(content, expected)


def combine_csv(parts: Sequence[tuple[bytes, str]]) -> tuple[bytes, str]:
    """Several CSV files of one table (DVF publishes one a year) as one UTF-8 CSV: (bytes, file name).

    Each file is decoded on its own (they may differ in encoding); all must open with the same header
    line, which the result keeps once. Raises `Unreadable` when they do not.
    """
    texts = []
    for content, name in parts:
        if not name.lower().endswith(".csv"):
            raise Unreadable.of(_l("Plusieurs fichiers ne peuvent être déposés ensemble que s'ils sont tous en "
                                   "CSV : « {name} » ne l'est pas.", name=name))
        if not content.strip():
            raise Unreadable.of(_l("Le fichier « {name} » est vide.", name=name))
        codec, _ = _decode(content)
        header, _, body = content.decode(codec).lstrip("\ufeff").replace("\r\n", "\n").partition("\n")
        texts.append((name, header, body if not body or body.endswith("\n") else body + "\n"))
    first_name, first_header, _ = texts[0]
    for name, header, _ in texts[1:]:
        if header != first_header:
            raise Unreadable.of(_l(
                "« {name} » n'a pas les mêmes colonnes que « {first_name} » : déposés ensemble, les fichiers "
                "doivent avoir la même première ligne (les fichiers d'un même producteur, d'années différentes).",
                name=name, first_name=first_name))
    combined = first_header + "\n" + "".join(body for _, _, body in texts)
    stem = Path(first_name).stem[:200]
    return combined.encode("utf-8"), f"{stem}-et-{len(texts) - 1}-autres.csv"


def read_source(source: Path | pd.DataFrame, expected: Sequence[str] = ()) -> pd.DataFrame:
    """An importer's input: a table already read (an upload), or the path of a shipped file."""
    if isinstance(source, pd.DataFrame):
        return source
    return read_table(Path(source).read_bytes(), Path(source).name, expected).frame


def _read_csv(content: bytes, expected: Sequence[str] = ()) -> Table:
    if content.startswith(b"PK\x03\x04"):
        raise Unreadable.of(_l(
            "Ce fichier est un classeur Excel (ou une archive ZIP) nommé .csv : enregistrez-le en .xlsx, "
            "ou exportez-le en CSV depuis le tableur."))
    if b"\x00" in content[:65536] or _control_share(content[:65536]) > 0.01:
        raise Unreadable.of(_l(
            "Ce fichier n'est pas un fichier texte CSV : il contient des données binaires (image, PDF, "
            "programme…). Exportez le tableau en CSV ou en XLSX."))
    codec, encoding = _decode(content)
    head = content[:65536].decode(codec, errors="ignore")
    first = head.lstrip("\ufeff").split("\n", 1)[0]
    separator = _separator(head)
    skip_records, skip_lines = _header_position(content, codec, separator, expected)
    header, lines = _records(content, codec, separator, skip_records)
    try:  # pandas decodes the bytes itself: no copy of the whole text is made here
        df = pd.read_csv(io.BytesIO(content), sep=separator, dtype=str, keep_default_na=False,
                         skip_blank_lines=True, engine="c", encoding=codec, skiprows=skip_lines)
    except pd.errors.ParserError as exc:
        raise _parser_error(str(exc)) from None
    except pd.errors.EmptyDataError:
        raise Unreadable.of(_l("Le fichier est vide.")) from None
    if len(df.columns) == 1 and not any(s in first for s in SEPARATORS):
        raise Unreadable.of(_l(
            "Impossible de trouver le séparateur de colonnes sur la première ligne. Séparateurs acceptés : "
            "point-virgule, virgule, tabulation, barre verticale."))
    if len(header) == len(df.columns):
        df.columns = header  # as written: pandas renames a repeated column ("UAI.1"), hiding the mistake
    df.index = lines if len(lines) == len(df) else range(2, len(df) + 2)
    return Table(_clean(df), "csv", encoding, separator)


def _control_share(sample: bytes) -> float:
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 13))
    return controls / max(len(sample), 1)


def _decode(content: bytes) -> tuple[str, str]:
    """The file's encoding: (Python codec, name shown to the editor)."""
    if content.startswith(b"\xef\xbb\xbf"):
        bad = _utf8_error(content, 3)
        if bad is not None:
            raise _mixed(content, bad)
        return "utf-8-sig", "UTF-8 (BOM)"
    bad = _utf8_error(content, 0)
    if bad is None:
        return "utf-8", "UTF-8"
    if _UTF8_MULTIBYTE.search(content):
        # Some accented letters are UTF-8 and others are not: two files pasted together.
        raise _mixed(content, bad)
    try:
        _check_decodes(content, "cp1252")
        return "cp1252", "Windows-1252"
    except UnicodeDecodeError:
        return "latin-1", "Latin-1"


def _utf8_error(content: bytes, start: int) -> int | None:
    """Offset of the first byte that is not UTF-8, or None (decoded by chunks: no copy of the text)."""
    try:
        _check_decodes(content[start:] if start else content, "utf-8")
    except UnicodeDecodeError as exc:
        return start + exc.start
    return None


def _check_decodes(content: bytes, codec: str, chunk: int = 1 << 20) -> None:
    decoder = codecs.getincrementaldecoder(codec)()
    for offset in range(0, len(content), chunk):
        try:
            decoder.decode(content[offset:offset + chunk])
        except UnicodeDecodeError as exc:
            raise UnicodeDecodeError(exc.encoding, exc.object, offset + exc.start, offset + exc.end, exc.reason) from None
    decoder.decode(b"", final=True)


def _mixed(content: bytes, offset: int) -> Unreadable:
    line = content.count(b"\n", 0, offset) + 1
    return Unreadable.of(_l(
        "Le fichier mélange deux encodages de caractères : la ligne {line} n'est pas en UTF-8 alors que "
        "d'autres lignes le sont (des accents s'afficheraient mal). Réenregistrez tout le fichier en UTF-8 "
        "(ou tout en Windows-1252).", line=line))


def _separator(text: str) -> str:
    header = text.lstrip("\ufeff").split("\n", 1)[0]
    counts = {s: header.count(s) for s in SEPARATORS}
    best = max(counts, key=counts.get)
    if counts[best]:
        return best
    try:
        return csv.Sniffer().sniff(text[:8192], delimiters=SEPARATORS).delimiter
    except csv.Error:
        return ";"


def column_pattern(name: str) -> re.Pattern[str]:
    """A schema column name as a pattern: `yy` stands for a vintage's two digits (INSEE's `P19_LOG`,
    `DEC_MED19` are `Pyy_LOG`, `DEC_MEDyy` in the schema, whatever the year of the file)."""
    return re.compile("^" + re.escape(name).replace("yy", r"(\d{2})") + "$")


def holds_columns(cells: Sequence[str], expected: Sequence[str]) -> bool:
    patterns = [column_pattern(name) for name in expected]
    return all(name in cells or any(p.match(c) for c in cells) for name, p in zip(expected, patterns))


def _header_position(content: bytes, codec: str, separator: str, expected: Sequence[str]) -> tuple[int, int]:
    """(records, lines) before the header: the first of the first records that holds every expected
    column name; (0, 0) when the first record does, or when none does (the report will say so)."""
    if not expected:
        return 0, 0
    reader = csv.reader(io.TextIOWrapper(io.BytesIO(content), encoding=codec, newline=""), delimiter=separator)
    end = 0
    try:
        for index, row in enumerate(reader):
            if index >= HEADER_SEARCH:
                break
            if holds_columns([cell.strip().lstrip("\ufeff") for cell in row], expected):
                return index, end
            end = reader.line_num
    except csv.Error:
        pass
    return 0, 0


def _records(content: bytes, codec: str, separator: str, skip: int = 0) -> tuple[list[str], list[int]]:
    """The header as written, and the line of the file where each data record starts.

    Also checks that every record has the header's number of cells (pandas would silently make an
    extra first cell an index).
    """
    text = io.TextIOWrapper(io.BytesIO(content), encoding=codec, newline="")  # read line by line
    reader = csv.reader(text, delimiter=separator, strict=True)
    lines: list[int] = []
    try:
        for _ in range(skip):  # title lines above the header
            next(reader)
        header = next(reader)
        width, end = len(header), reader.line_num
        for row in reader:
            start, end = end + 1, reader.line_num
            if not row:
                continue  # a blank line, skipped by pandas too
            if len(row) != width:
                raise _parser_error(f"Expected {width} fields in line {start}, saw {len(row)}")
            lines.append(start)
    except csv.Error as exc:
        if "end of data" in str(exc):
            raise _parser_error("EOF inside string") from None
        raise Unreadable.of(_l(
            "Ligne {line} : guillemets mal placés ({error}). Une cellule entre guillemets doit être "
            "suivie directement du séparateur.", line=reader.line_num, error=exc)) from None
    except StopIteration:
        return [], []
    return [h.strip() for h in header], lines


def _parser_error(message: str) -> Unreadable:
    m = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", message)
    if m:
        want, line, saw = m.groups()
        return Unreadable.of(_l(
            "Ligne {line} : {saw} colonnes au lieu des {want} de l'en-tête. Vérifiez les séparateurs et les "
            "guillemets de cette ligne.", line=line, saw=saw, want=want))
    if "EOF" in message:
        return Unreadable.of(_l(
            "Un guillemet ouvert n'est jamais refermé : le fichier se termine au milieu d'une cellule. "
            "Vérifiez les guillemets (\") du fichier."))
    return Unreadable.of(_l("Le fichier CSV est mal formé ({message}).", message=message))


def _read_xlsx(content: bytes, expected: Sequence[str] = ()) -> Table:
    broken = Unreadable.of(_l(
        "Le classeur Excel est illisible : il est tronqué ou endommagé (le transfert a peut-être été "
        "interrompu). Réenregistrez-le depuis le tableur en .xlsx."))
    if not content.startswith(b"PK\x03\x04"):
        raise broken
    try:
        sheet = pd.read_excel(io.BytesIO(content), sheet_name=0, dtype=object, engine="openpyxl", header=None)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, EOFError):
        raise broken from None
    if sheet.empty:
        raise Unreadable.of(_l("La première feuille du classeur est vide."))
    # The header row is kept as written (repeated names included); rows keep their number.
    top = 0
    for i in range(min(HEADER_SEARCH, len(sheet))) if expected else ():
        if holds_columns([str(c).strip() for c in sheet.iloc[i] if not pd.isna(c)], expected):
            top = i
            break
    df = sheet.iloc[top + 1:].dropna(how="all")
    df.columns = ["" if pd.isna(c) else str(c) for c in sheet.iloc[top]]
    df.index = df.index + 1
    df = df.map(_cell_text)
    return Table(_clean(df.astype("string").astype(object)), "xlsx")


def _cell_text(value: object) -> object:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _read_geojson(content: bytes) -> Table:
    try:
        data = json.loads(content.decode("utf-8-sig"))
        features = data["features"]
        rows = [{**(f.get("properties") or {}), "geometry": json.dumps(f["geometry"], separators=(",", ":"))}
                for f in features]
    except (UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError, AttributeError):
        raise Unreadable.of(_l(
            "Ce fichier n'est pas un GeoJSON valide (une FeatureCollection dont chaque objet a une géométrie)."
        )) from None
    df = pd.DataFrame(rows, index=range(1, len(rows) + 1)).map(_cell_text)  # feature numbers
    return Table(_clean(df.astype(object)), "geojson")


def _clean(df: pd.DataFrame) -> pd.DataFrame:
    df.columns = [str(c).strip().lstrip("\ufeff") for c in df.columns]
    df = df.astype(object)
    df = df.where(df.ne("") & df.notna(), None)
    for i in range(df.shape[1]):
        df.isetitem(i, share_repeated(df.iloc[:, i]))
    return df


def share_repeated(column: pd.Series) -> pd.Series:
    """The column with each repeated value held once in memory.

    Official files repeat most of their cells (académie, département, commune, sector…): a parsed
    cell is a Python string of about 50 bytes, so a million-row file weighs hundreds of MB less
    once equal cells share one string.
    """
    codes, uniques = pd.factorize(column, use_na_sentinel=True)
    if len(uniques) == 0 or len(uniques) > len(column) // 2:
        return column  # all empty, or mostly distinct values: nothing to share
    values = np.asarray(uniques, dtype=object).take(codes)
    values[codes < 0] = None
    return pd.Series(values, index=column.index, name=column.name, dtype=object)

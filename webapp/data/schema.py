"""Datasets described by Table Schema descriptors (the format of schema.data.gouv.fr), checked with pandera.

Each dataset has `data/schemas/<slug>.json`: its fields (name, type, description, unit,
constraints), primary key and missing values. `validate` turns the descriptor into pandera schemas
and runs them on a file read by `webapp.data.tabular`; it returns the normalised table (decimal
commas and dd/mm/yyyy dates rewritten, missing values as NA) and every problem found, in French
and English, with its line, column, value and the rule broken.

A field name holding `yy` stands for a vintage's two digits: INSEE names its columns after the year
(`P19_LOG`), so `Pyy_LOG` matches any year and the file's year is kept in `frame.attrs["vintage"]`.

Supported field types: string, integer, number, date, year; constraints: required, unique,
minimum, maximum, enum, pattern, minLength, maxLength. Text cells are also refused when they start
like a spreadsheet formula or contain markup: such a file is a mistake or an attack, never data.
"""

from __future__ import annotations

import dataclasses
import json
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd
import pandera.pandas as pa

from webapp.data.tabular import column_pattern, share_repeated
from webapp.i18n import N_, Text, _, _l, ngettext

SCHEMAS = Path(__file__).resolve().parents[2] / "data" / "schemas"
TYPES = {"string": None, "integer": "Int64", "number": "float64", "date": "datetime64[ns]", "year": "Int64"}
TYPE_LABELS = {  # translated where shown: `_(TYPE_LABELS[kind], lang)`
    "string": N_("texte"),
    "integer": N_("nombre entier"),
    "number": N_("nombre (virgule ou point décimal)"),
    "date": N_("date (JJ/MM/AAAA ou AAAA-MM-JJ)"),
    "year": N_("année sur quatre chiffres"),
}
# A cell a spreadsheet would run as a formula (a signed number is only a number).
FORMULA = re.compile(r"^(?![+-]?\d+(?:[.,]\d+)?$|-$)[=+\-@\t\r]")
MARKUP = re.compile(r"<\s*[A-Za-z/!?]|javascript:", re.IGNORECASE)
MAX_REPORTED = 100


# --- characters of a value that the eye misreads or cannot see --------------------------------------

LOOKALIKE_DIGITS = {"O": "0", "o": "0", "l": "1", "I": "1"}  # letters typed for digits
NAMED_SPACES = {"\u00a0": N_("espace insécable"), "\u202f": N_("espace fine insécable"),
                "\u2009": N_("espace fine"), "\u2007": N_("espace de la largeur d'un chiffre")}
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
BIDI = "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
DOUBLE_QUOTES = "\"\u201c\u201d\u201e\u00ab\u00bb"
SINGLE_QUOTES = "'\u2018\u2019`"
DASHES = {"\u2212": N_("signe moins typographique (−) à la place du tiret -"),
          "\u2013": N_("tiret moyen (–) à la place du tiret -"), "\u2014": N_("tiret long (—) à la place du tiret -")}


@dataclass(frozen=True)
class Oddity:
    """A character of a reported value that reads as another one or does not show: `position` counts from 1."""

    position: int
    char: str
    name: Text
    invisible: bool  # the report draws a symbol for it (a space, a zero-width character)

    @property
    def symbol(self) -> str:
        """What the report draws for an invisible character ("" for one that shows)."""
        if not self.invisible:
            return ""
        return {"\t": "⇥", "\n": "↵", "\r": "↵"}.get(self.char, "␣" if unicodedata.category(self.char) == "Zs" else "◆")


def oddities(value: str) -> list[Oddity]:
    """The look-alike and invisible characters of `value`, in order, never normalised away."""
    found = []
    for i, char in enumerate(value):
        name, invisible = _oddity(value, i, char)
        if name is not None:
            found.append(Oddity(i + 1, char, name, invisible))
    return found


def _oddity(value: str, i: int, char: str) -> tuple[Text | None, bool]:
    near_digit = any(0 <= j < len(value) and value[j].isdigit() for j in (i - 1, i + 1))
    code = f"U+{ord(char):04X}"
    if char in LOOKALIKE_DIGITS and near_digit:
        return _l("lettre {letter} à la place du chiffre {digit}", letter=char, digit=LOOKALIKE_DIGITS[char]), False
    if char in DASHES and near_digit:
        return _l(DASHES[char]), False
    if char == " " and (i == 0 or i == len(value) - 1 or not value.strip(" ")):
        return (_l("espace en début de valeur") if not value[:i].strip(" ") else _l("espace en fin de valeur")), True
    if char in NAMED_SPACES:
        return _l(NAMED_SPACES[char]), True
    if char in ZERO_WIDTH:
        return _l("caractère invisible ({code})", code=code), True
    if char in BIDI:
        return _l("marque invisible de sens d'écriture ({code})", code=code), True
    if char == "\t":
        return _l("tabulation"), True
    if char in "\r\n":
        return _l("retour à la ligne dans la cellule"), True
    if unicodedata.category(char) == "Zs" and char != " ":
        return _l("espace inhabituelle ({code})", code=code), True
    if unicodedata.category(char) in ("Cc", "Cf"):
        return _l("caractère de contrôle invisible ({code})", code=code), True
    if char in DOUBLE_QUOTES + SINGLE_QUOTES and (i == 0 or i == len(value) - 1 or near_digit):
        return _l("guillemet ou apostrophe en trop ({char})", char=char), False
    if _script(char) in ("CYRILLIC", "GREEK") and re.search(r"[A-Za-z0-9]", value):
        return _l("lettre {script} qui ressemble à une lettre latine ({char}, {code})", char=char, code=code,
                  script=_l("cyrillique") if _script(char) == "CYRILLIC" else _l("grecque")), False
    return None, False


def _script(char: str) -> str:
    return unicodedata.name(char, "").split(" ", 1)[0]


def oddity_notes(value: str, lang: str) -> list[str]:
    """Each kind of odd character of `value` named once, with its positions: "lettre O à la place du
    chiffre 0 (position 2)"."""
    positions: dict[str, list[int]] = {}
    for odd in oddities(value):
        positions.setdefault(odd.name[lang], []).append(odd.position)
    notes = []
    for name, at in positions.items():
        where = ngettext("position {positions}", "positions {positions}", len(at), lang,
                         positions=", ".join(map(str, at)))
        notes.append(f"{name} ({where})")
    return notes


def marked_segments(value: str) -> list[tuple[str, Oddity | None]]:
    """`value` cut into runs of ordinary characters (None) and odd characters, each with its oddity."""
    odd = {o.position - 1: o for o in oddities(value)}
    segments: list[tuple[str, Oddity | None]] = []
    for i, char in enumerate(value):
        if i in odd:
            segments.append((char, odd[i]))
        elif segments and segments[-1][1] is None:
            segments[-1] = (segments[-1][0] + char, None)
        else:
            segments.append((char, None))
    return segments


@dataclass(frozen=True)
class Problem:
    line: int | None  # line of the file (1 is the header); None: the whole file
    column: str
    value: str
    rule_fr: str
    rule_en: str

    @classmethod
    def of(cls, line: int | None, column: str, value: str, rule: Mapping[str, str]) -> Problem:
        """A problem whose rule is a lazy text: `Problem.of(3, "UAI", "x", _l("Valeur obligatoire manquante."))`."""
        return cls(line, column, value, rule["fr"], rule["en"])

    def rule(self, lang: str) -> str:
        """The rule broken, in `lang` (French when the problem has no text in that language)."""
        return getattr(self, f"rule_{lang}", None) or self.rule_fr

    def oddities(self, lang: str) -> list[str]:
        """The look-alike and invisible characters of the value, named (`oddity_notes`)."""
        return oddity_notes(self.value, lang)

    def segments(self) -> list[tuple[str, Oddity | None]]:
        return marked_segments(self.value)


@dataclass
class Report:
    problems: list[Problem] = field(default_factory=list)  # the first MAX_REPORTED, by line
    total: int = 0
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.total == 0

    def text(self, lang: str = "fr") -> str:
        """The report as plain lines (command line, logs)."""
        lines = []
        for p in self.problems:
            where = _("ligne {line}", lang, line=p.line) if p.line is not None else _("fichier", lang)
            col = _(", colonne « {column} »", lang, column=p.column) if p.column else ""
            val = _(", valeur « {value} »", lang, value=p.value) if p.value else ""
            odd = _(" Caractères suspects : {listed}.", lang, listed=" ; ".join(p.oddities(lang))) \
                if p.oddities(lang) else ""
            lines.append(f"{where}{col}{val} : {p.rule(lang)}{odd}")
        if self.total > len(self.problems):
            lines.append(_("… et {more} autres problèmes ({total} au total).", lang,
                           more=self.total - len(self.problems), total=self.total))
        return "\n".join(lines)


def with_problems(report: Report, problems: Sequence[Problem]) -> Report:
    """`report` (from `webapp.data.schema.validate`) with more problems of the same file."""
    everything = sorted([*report.problems, *problems], key=lambda p: (p.line or 0, p.column))
    return Report(everything[:MAX_REPORTED], report.total + len(problems), report.ignored_columns)


@dataclass(frozen=True)
class Schema:
    slug: str
    descriptor: dict[str, Any]

    @property
    def fields(self) -> list[dict[str, Any]]:
        return self.descriptor["fields"]

    @property
    def names(self) -> list[str]:
        return [f["name"] for f in self.fields]

    @property
    def primary_key(self) -> list[str]:
        pk = self.descriptor.get("primaryKey", [])
        return [pk] if isinstance(pk, str) else list(pk)

    @property
    def missing_values(self) -> list[str]:
        return list(self.descriptor.get("missingValues", [""]))

    @property
    def temporal_field(self) -> str | None:
        return self.descriptor.get("temporalField")

    def field(self, name: str) -> dict[str, Any]:
        return next(f for f in self.fields if f["name"] == name)


@cache
def load_schema(slug: str, folder: Path = SCHEMAS) -> Schema:
    path = folder / f"{slug}.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    check_descriptor(descriptor)
    return Schema(slug, descriptor)


def check_descriptor(descriptor: dict[str, Any]) -> None:
    """Refuse a descriptor using a type or constraint this module does not enforce."""
    known = {"required", "unique", "minimum", "maximum", "enum", "pattern", "minLength", "maxLength"}
    names = [f["name"] for f in descriptor["fields"]]
    if len(set(names)) != len(names):
        raise ValueError("duplicate field names")
    for f in descriptor["fields"]:
        if f.get("type", "string") not in TYPES:
            raise ValueError(f"field {f['name']!r}: unsupported type {f.get('type')!r}")
        unknown = set(f.get("constraints", {})) - known
        if unknown:
            raise ValueError(f"field {f['name']!r}: unsupported constraints {sorted(unknown)}")
    pk = descriptor.get("primaryKey", [])
    for name in [pk] if isinstance(pk, str) else pk:
        if name not in names:
            raise ValueError(f"primary key field {name!r} is not a field")


def validate(schema: Schema, frame: pd.DataFrame) -> tuple[pd.DataFrame, Report]:
    """Check a table of strings against the schema: (the table normalised, still strings; report)."""
    problems: list[Problem] = []
    frame, vintage = with_vintage(schema, frame)
    header = vintage + _header_problems(schema, frame)
    if header:
        return frame, _report(header, [])
    if frame.empty:
        return frame, _report([Problem.of(None, "", "", _l("Le fichier ne contient aucune ligne de données, "
                                                           "seulement l'en-tête."))], [])
    ignored = [c for c in frame.columns if c not in schema.names]
    df = normalise(schema, frame)
    typed, type_failures = _coerce(schema, df[schema.names])
    problems += type_failures
    problems += _constraint_problems(schema, typed, failed={(p.line, p.column) for p in type_failures})
    problems += _unsafe_text(df[ignored]) if ignored else []
    return df, _report(problems, ignored, raw=frame)


def with_vintage(schema: Schema, frame: pd.DataFrame) -> tuple[pd.DataFrame, list[Problem]]:
    """The file's vintage columns (`P19_LOG`) renamed as in the schema (`Pyy_LOG`), the year in
    `frame.attrs["vintage"]`; a problem if the file mixes vintages."""
    renames, years = {}, {}
    for name in schema.names:
        if "yy" not in name or name in frame.columns:
            continue
        pattern = column_pattern(name)
        for column in frame.columns:
            found = pattern.match(str(column))
            if found:
                renames[column] = name
                years.setdefault(found.group(1), []).append(str(column))
    if len(years) > 1:
        listed = " ; ".join(f"20{yy} : {', '.join(cols[:3])}" for yy, cols in sorted(years.items()))
        return frame, [Problem.of(1, "", "", _l("Les colonnes mélangent plusieurs millésimes ({listed}) : un fichier "
                                                "ne doit porter que sur une année.", listed=listed))]
    if renames:
        frame = frame.rename(columns=renames)
        frame.attrs["vintage"] = 2000 + int(next(iter(years)))
    return frame, []


def _report(problems: list[Problem], ignored: list[str], raw: pd.DataFrame | None = None) -> Report:
    ordered = sorted(problems, key=lambda p: (p.line or 0, p.column))[:MAX_REPORTED]
    if raw is not None:  # show each value as written in the file, before decimal commas were rewritten
        ordered = [dataclasses.replace(p, value=_show(raw.at[p.line, p.column]))
                   if p.line in raw.index and p.column in raw.columns and p.value else p for p in ordered]
    return Report(ordered, len(problems), ignored)


def _header_problems(schema: Schema, frame: pd.DataFrame) -> list[Problem]:
    columns = list(frame.columns)
    problems = []
    for name in sorted({c for c in columns if columns.count(c) > 1}):
        problems.append(Problem.of(1, name, "", _l("Cette colonne apparaît plusieurs fois dans l'en-tête.")))
    missing = [n for n in schema.names if n not in columns]
    expected = ", ".join(f"« {n} »" for n in schema.names)
    for name in missing:
        problems.append(Problem.of(1, name, "", _l("Colonne obligatoire absente de l'en-tête. Colonnes attendues : "
                                                   "{expected}.", expected=expected)))
    if missing and len(missing) == len(schema.names):
        problems.append(Problem.of(1, "", ", ".join(columns[:8]), _l(
            "Aucune colonne attendue n'a été trouvée : ce fichier n'est peut-être pas celui de ce jeu de données, ou "
            "son séparateur n'est pas reconnu.")))
    return problems


def normalise(schema: Schema, df: pd.DataFrame) -> pd.DataFrame:
    df = with_vintage(schema, df)[0]
    vintage = df.attrs.get("vintage")
    df = df.copy()
    if vintage:
        df.attrs["vintage"] = vintage
    missing = [m for m in schema.missing_values if m != ""]
    for f in schema.fields:
        col = df[f["name"]]
        if missing:
            col = col.where(~col.isin(missing), None)
        kind = f.get("type", "string")
        if kind in ("number", "integer"):
            col = col.str.replace(r"[\s\u00a0\u202f]", "", regex=True)
            col = col.str.replace(r"^(-?\d+),(\d+)$", r"\1.\2", regex=True)
        elif kind == "date":
            col = col.str.strip().str.replace(r"^(\d{2})/(\d{2})/(\d{4})$", r"\3-\2-\1", regex=True)
        elif kind == "year":
            col = col.str.strip()
        df[f["name"]] = share_repeated(col.astype(object).where(col.notna(), None))
    return df


def _line(index: Any) -> int:
    return int(index)  # `webapp.data.tabular` indexes rows by their line in the file


def _coerce(schema: Schema, df: pd.DataFrame) -> tuple[pd.DataFrame, list[Problem]]:
    columns = {}
    for f in schema.fields:
        kind = f.get("type", "string")
        if TYPES[kind] is None:
            continue
        checks = [pa.Check.str_matches(r"^\d{4}$", error="year")] if kind == "year" else []
        columns[f["name"]] = pa.Column(TYPES[kind], checks=checks, coerce=kind != "year", nullable=True)
    problems: list[Problem] = []
    failed: dict[str, list[Any]] = {}
    try:
        pa.DataFrameSchema(columns).validate(df, lazy=True)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
        cases = cases[cases["index"].notna() & (cases["check"].astype(str).str.startswith("coerce") |
                                                 (cases["check"] == "year"))]
        for rec in cases.itertuples():
            kind = schema.field(rec.column).get("type", "string")
            problems.append(Problem.of(_line(rec.index), rec.column, str(rec.failure_case),
                                       _l("Type attendu : {label}.", label=_l(TYPE_LABELS[kind]))))
            failed.setdefault(rec.column, []).append(rec.index)
    typed = df.copy()
    for name, column in columns.items():
        series = df[name].copy()
        if name in failed:
            series.loc[failed[name]] = None
        if schema.field(name).get("type") == "year":
            series = series.where(series.isna() | series.astype(str).str.fullmatch(r"\d{4}"), None)
        typed[name] = pa.Column(column.dtype, coerce=True, nullable=True, name=name).coerce_dtype(series)
    return typed, problems


def _field_checks(f: dict[str, Any]) -> list[pa.Check]:
    """pandera checks of a field's Table Schema constraints (and of safe text, for text fields)."""
    c = f.get("constraints", {})
    checks = []
    if "minimum" in c:
        checks.append(pa.Check.ge(c["minimum"], error=f"minimum:{c['minimum']}"))
    if "maximum" in c:
        checks.append(pa.Check.le(c["maximum"], error=f"maximum:{c['maximum']}"))
    if "enum" in c:
        checks.append(pa.Check.isin(c["enum"], error="enum"))
    if "pattern" in c:
        checks.append(pa.Check.str_matches(f"^(?:{c['pattern']})$", error="pattern"))
    if "minLength" in c or "maxLength" in c:
        checks.append(pa.Check.str_length(c.get("minLength"), c.get("maxLength"), error="length"))
    if f.get("type", "string") == "string":
        checks.append(pa.Check(lambda s: ~s.str.contains(FORMULA), error="formula"))
        checks.append(pa.Check(lambda s: ~s.str.contains(MARKUP), error="markup"))
    return checks


def _constraint_problems(schema: Schema, typed: pd.DataFrame, failed: set[tuple[int, str]]) -> list[Problem]:
    pk = schema.primary_key
    columns = {
        f["name"]: pa.Column(
            None, checks=_field_checks(f), report_duplicates="all",
            nullable=not f.get("constraints", {}).get("required", False) and f["name"] not in pk,
            unique=bool(f.get("constraints", {}).get("unique")) or pk == [f["name"]],
        )
        for f in schema.fields
    }
    frame_schema = pa.DataFrameSchema(columns, unique=pk if len(pk) > 1 else None, report_duplicates="all")
    try:
        frame_schema.validate(typed, lazy=True)
        return []
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
    problems = []
    seen_keys: set[int] = set()
    for rec in cases[cases["index"].notna()].itertuples():
        line = _line(rec.index)
        check = str(rec.check)
        if check == "not_nullable" and (line, rec.column) in failed:
            continue  # already reported as a wrong type
        if check in ("multiple_fields_uniqueness", "field_uniqueness") and rec.column in pk:
            if line in seen_keys:
                continue
            seen_keys.add(line)
            key = ", ".join(f"{k} = {_show(typed.at[rec.index, k])}" for k in pk)
            problems.append(Problem.of(line, " + ".join(pk), key, _l(
                "Clé en double : une autre ligne a les mêmes valeurs de {key}.", key=" + ".join(pk))))
            continue
        problems.append(Problem.of(line, rec.column, _show(rec.failure_case), _rule(schema.field(rec.column), check)))
    return problems


def _unsafe_text(df: pd.DataFrame) -> list[Problem]:
    """Formulas and markup in the columns the schema does not use: the file is kept and downloadable."""
    checks = [pa.Check(lambda s: ~s.astype(str).str.contains(FORMULA), error="formula"),
              pa.Check(lambda s: ~s.astype(str).str.contains(MARKUP), error="markup")]
    schema = pa.DataFrameSchema({c: pa.Column(None, checks=checks, nullable=True) for c in df.columns})
    try:
        schema.validate(df, lazy=True)
        return []
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
    return [Problem.of(_line(rec.index), rec.column, _show(rec.failure_case), _rule({}, str(rec.check)))
            for rec in cases[cases["index"].notna()].itertuples()]


def _show(value: Any) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return ""
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)[:200]


def _rule(f: dict[str, Any], check: str) -> Mapping[str, str]:
    """The rule a pandera check stands for, as a lazy text."""
    c = f.get("constraints", {})
    unit = f" {f['unit']}" if f.get("unit") else ""
    if check == "not_nullable":
        return _l("Valeur obligatoire manquante.")
    if check == "field_uniqueness":
        return _l("Valeur en double : chaque valeur de cette colonne doit être unique.")
    if check.startswith("minimum:"):
        return _l("Valeur trop petite : minimum {minimum}{unit}.", minimum=c["minimum"], unit=unit)
    if check.startswith("maximum:"):
        return _l("Valeur trop grande : maximum {maximum}{unit}.", maximum=c["maximum"], unit=unit)
    if check == "enum":
        return _l("Valeur non autorisée. Valeurs possibles : {allowed}.", allowed=", ".join(str(v) for v in c["enum"]))
    if check == "pattern":
        return _l("Format non reconnu (exemple de valeur correcte : {shape}).", shape=f.get("example") or c["pattern"])
    if check == "length":
        return _l("Longueur hors limites ({minimum} à {maximum} caractères).", minimum=c.get("minLength", 0),
                  maximum=c.get("maxLength", "∞"))
    if check == "formula":
        return _l("Une cellule de texte ne peut pas commencer par =, +, -, @ ou une tabulation (formule de tableur).")
    if check == "markup":
        return _l("Balise HTML, script ou lien « javascript: » interdit dans une cellule de texte.")
    return _l("Règle non respectée ({check}).", check=check)

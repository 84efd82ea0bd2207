"""The public catalogue: every dataset's description, published versions, data dictionary, uses, and
its records in open formats (CSV, JSON, XLSX). The /donnees pages, the API and the DCAT feed read it.

Only published versions are public: a staged version is the editor's draft, a discarded one was never
served. Records are the version's file read through its Table Schema (`publishing.load_frame`):
columns in the schema's order, cells normalised (ISO dates, decimal points), typed in JSON by the
field's type. A version's content never changes, so a parsed table is kept in a small in-process
cache (the largest file, five years of hourly counts, takes seconds to read).
"""

from __future__ import annotations

import functools
import io
import json
from collections.abc import Iterator
from typing import Any

import pandas as pd

from webapp.data import publishing
from webapp.data.schema import load_schema
from webapp.data.store import context, get_db, get_settings, versioned
from webapp.i18n import LANGS, N_, _l, all_langs, localized
from webapp.public_error import PublicError
from webapp.stories import themes

FORMATS = {"csv": "text/csv", "json": "application/json",
           "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
XLSX_MAX_ROWS = 100_000  # a bigger spreadsheet takes too long to write on a request (and to open)
THEMES = {code: all_langs(label) for code, label in themes().items()}  # the stories' themes, and the town's
# The EU "frequency" vocabulary codes the catalogue uses, in words.
FREQUENCIES = {code: all_langs(label) for code, label in {
    "DAILY": N_("quotidienne"), "WEEKLY": N_("hebdomadaire"), "MONTHLY": N_("mensuelle"),
    "QUARTERLY": N_("trimestrielle"), "ANNUAL_2": N_("semestrielle"), "ANNUAL": N_("annuelle"),
    "BIENNIAL": N_("tous les deux ans"), "IRREG": N_("irrégulière"), "NEVER": N_("aucune"),
}.items()}


@versioned("*")
def entries() -> list[dict[str, Any]]:
    """Every dataset with its description, served version, published versions, fields and uses."""
    db = get_db()
    meta = db.query_df("SELECT * FROM dataset ORDER BY theme, slug")
    versions = db.query_df(
        "SELECT dataset_slug, version, published_at, published_by, file_name, row_count, coverage, source_date, "
        "note, is_demo, changes FROM dataset_version WHERE status = 'published' ORDER BY dataset_slug, version")
    settings = get_settings()
    town = {lang: f"{settings.city_name} (commune, INSEE {settings.city_insee})" for lang in LANGS}
    spatial = _spatial()
    out = []
    for row in meta.to_dict("records"):
        slug = row["slug"]
        history = [_version(v) for v in versions[versions["dataset_slug"] == slug].to_dict("records")]
        out.append({
            "slug": slug, "title": {lang: localized(row, "title", lang) for lang in LANGS},
            "description": {lang: localized(row, "description", lang) for lang in LANGS},
            "theme": row["theme"], "producer": row["producer"], "licence": row["licence"],
            "licence_url": row["licence_url"], "source_url": row["source_url"] or None,
            "frequency": row["frequency"], "coverage": row["coverage"],
            "last_update": pd.Timestamp(row["last_update"]).date().isoformat(),
            "version": int(row["version"]), "is_demo": bool(row["is_demo"]),
            "min_count": None if pd.isna(row["min_count"]) else int(row["min_count"]),
            "spatial": spatial.get(slug) or town, "versions": history, "fields": fields_of(slug),
            "uses": uses_of(slug),
        })
    return out


def _spatial() -> dict[str, dict[str, str]]:
    """The area each shipped dataset covers, as the catalogue file words it (default: the town)."""
    from webapp.data.shipped import load_catalogue

    return {e["slug"]: {lang: localized(e, "spatial", lang) for lang in LANGS}
            for e in load_catalogue() if "spatial_fr" in e}


def _version(v: dict[str, Any]) -> dict[str, Any]:
    def day(value: Any) -> str | None:  # stored in UTC (SQLite gives it back without its offset)
        if value is None or pd.isna(value):
            return None
        moment = pd.Timestamp(value)
        return (moment.tz_localize("UTC") if moment.tzinfo is None else moment.tz_convert("UTC")).isoformat()

    changes = json.loads(v["changes"]) if v["changes"] else {}
    return {"version": int(v["version"]), "published_at": day(v["published_at"]),
            "file_name": v["file_name"], "rows": int(v["row_count"]), "coverage": v["coverage"],
            "source_date": None if v["source_date"] is None or pd.isna(v["source_date"])
            else pd.Timestamp(v["source_date"]).date().isoformat(),
            "note": v["note"] or "", "is_demo": bool(v["is_demo"]),
            "changes": {k: changes[k] for k in ("added", "removed", "changed") if k in changes}}


def entry(slug: str) -> dict[str, Any]:
    found = next((e for e in entries() if e["slug"] == slug), None)
    if found is None:
        raise PublicError(404, N_("Aucun jeu de données ne s'appelle « {slug} »."), slug=slug)
    return found


def published_version(slug: str, version: int | None) -> int:
    """The version asked for if it was published, else the served one (raises a PublicError)."""
    e = entry(slug)
    if version is None:
        if not e["version"]:
            raise PublicError(404, N_("« {slug} » n'a pas encore de version publiée."), slug=slug)
        return e["version"]
    if version not in {v["version"] for v in e["versions"]}:
        known = ", ".join(str(v["version"]) for v in e["versions"]) or _l("aucune")
        raise PublicError(404, N_("« {slug} » n'a pas de version publiée {version} (versions publiées : {known})."),
                          slug=slug, version=version, known=known)
    return version


def fields_of(slug: str) -> list[dict[str, Any]]:
    """The data dictionary: each field of the dataset's Table Schema."""
    out = []
    for f in load_schema(slug).fields:
        constraints = f.get("constraints", {})
        out.append({"name": f["name"], "type": f.get("type", "string"), "description": f.get("description", ""),
                    "unit": f.get("unit"), "required": bool(constraints.get("required", False)),
                    "values": constraints.get("enum"), "example": f.get("example")})
    return out


def uses_of(slug: str) -> list[dict[str, Any]]:
    """The charts (widgets) whose figures read the dataset, as the app's chart registry tells the store."""
    return context().store.dataset_uses(slug)


# --- records ----------------------------------------------------------------------------------------

def records(slug: str, version: int) -> pd.DataFrame:
    """The version's table (every value a string or None), from the in-process cache."""
    return _records(str(get_db().engine.url), slug, version)


@functools.lru_cache(maxsize=3)
def _records(url: str, slug: str, version: int) -> pd.DataFrame:
    with get_db().engine.connect() as conn:
        frame = publishing.load_frame(conn, slug, version)
    names = load_schema(slug).names
    return frame[[n for n in names if n in frame.columns]].reset_index(drop=True)


def typed(slug: str, frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Records as JSON values: integers, numbers and booleans typed by the schema, the rest strings."""
    kinds = {f["name"]: f.get("type", "string") for f in load_schema(slug).fields}
    columns = {}
    for name in frame.columns:
        kind, col = kinds.get(name, "string"), frame[name]
        if kind == "integer":
            values = pd.to_numeric(col, errors="coerce")
            columns[name] = [None if pd.isna(v) else int(v) for v in values]
        elif kind == "number":
            values = pd.to_numeric(col, errors="coerce")
            columns[name] = [None if pd.isna(v) else float(v) for v in values]
        elif kind == "boolean":
            columns[name] = [None if v is None else str(v).lower() in ("true", "1", "oui") for v in col]
        else:
            columns[name] = [None if v is None or (isinstance(v, float) and pd.isna(v)) else str(v) for v in col]
    names = list(frame.columns)
    return [dict(zip(names, row)) for row in zip(*(columns[n] for n in names))]


def export(slug: str, version: int, fmt: str) -> bytes | Iterator[bytes]:
    """The version's records as CSV (UTF-8 with BOM, `,`), JSON (a list of records) or XLSX."""
    frame = records(slug, version)
    if fmt == "csv":
        return _csv_chunks(frame)
    if fmt == "json":
        return _json_chunks(slug, frame)
    if fmt == "xlsx":
        if len(frame) > XLSX_MAX_ROWS:
            raise PublicError(404, N_("Ce jeu de données a trop de lignes ({rows}) pour un classeur : prenez le CSV."),
                              rows=len(frame))
        buffer = io.BytesIO()
        with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
            pd.DataFrame(typed(slug, frame), columns=frame.columns).to_excel(writer, index=False, sheet_name=slug[:31])
        return buffer.getvalue()
    raise PublicError(404, N_("Format inconnu « {format} » (formats : {formats})."), format=fmt, formats=", ".join(FORMATS))


def _csv_chunks(frame: pd.DataFrame, chunk: int = 50_000) -> Iterator[bytes]:
    yield "\ufeff".encode()  # a spreadsheet opening the file then reads UTF-8
    for start in range(0, max(len(frame), 1), chunk):
        part = frame.iloc[start:start + chunk]
        yield part.to_csv(index=False, header=start == 0, lineterminator="\r\n").encode()


def _json_chunks(slug: str, frame: pd.DataFrame, chunk: int = 20_000) -> Iterator[bytes]:
    yield b"["
    for start in range(0, len(frame), chunk):
        rows = typed(slug, frame.iloc[start:start + chunk])
        body = ",".join(json.dumps(r, ensure_ascii=False, separators=(",", ":")) for r in rows)
        yield (("," if start else "") + body).encode()
    yield b"]"


def offers_xlsx(e: dict[str, Any], version: int) -> bool:
    rows = next((v["rows"] for v in e["versions"] if v["version"] == version), 0)
    return rows <= XLSX_MAX_ROWS

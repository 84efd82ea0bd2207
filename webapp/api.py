"""The JSON API under /api/v1/: datasets, their versions and records, and its OpenAPI description.

Read-only and open to any site: GET (HEAD, OPTIONS) only, `Access-Control-Allow-Origin: *` on every
answer. Everything under /api/v1/ answers JSON, errors included:
`{"error": {"status": 400, "message": "<en français>", "message_en": "<in English>"}}`.
Records are filtered, sorted and paged on the version's cached table (`catalogue.records`), with
positions only: just the page is typed.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import numpy as np
import pandas as pd
from flask import Blueprint, Response, current_app, request
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import HTTPException

from webapp.data import catalogue
from webapp.data.store import get_settings

PREFIX = "/api/v1"
bp = Blueprint("api", __name__, url_prefix=PREFIX)

PER_PAGE, MAX_PER_PAGE = 100, 1000
MAX_AGE, PINNED_MAX_AGE = 300, 86_400  # a published version's rows never change
READ = "GET, HEAD, OPTIONS"
# Every verb routed here, so that a wrong one gets a JSON 405 rather than the site's HTML page.
METHODS = ["GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE"]
RESERVED = ("version", "page", "per_page", "sort")
NUMERIC = ("integer", "number")
# What one filter value of a field may be, by type (several: separated by commas; empty: no value).
VALUE_PATTERNS = {"integer": "-?[0-9]+", "number": r"-?[0-9]+(?:\.[0-9]+)?", "date": "[0-9]{4}-[0-9]{2}-[0-9]{2}",
                  "year": "[0-9]{4}"}
VALUE_WORDS = {"integer": ("un nombre entier (12)", "a whole number (12)"),
               "number": ("un nombre avec un point décimal (12.5)", "a number with a decimal point (12.5)"),
               "date": ("une date AAAA-MM-JJ", "a date YYYY-MM-DD"), "year": ("une année AAAA", "a year YYYY")}
STATUS = {True: ("demonstration", {"fr": "Données de démonstration", "en": "Demo data"}),
          False: ("official", {"fr": "Données officielles", "en": "Official data"})}


class ApiError(Exception):
    """An answer other than 200: its status and one sentence in French and in English."""

    def __init__(self, status: int, fr: str, en: str) -> None:
        super().__init__(en)
        self.status, self.fr, self.en = status, fr, en


def bad_parameter(name: str, value: str, allowed: str, allowed_en: str) -> ApiError:
    return ApiError(400, f"Le paramètre « {name} » ne peut pas valoir « {value} » : {allowed}.",
                    f"The parameter “{name}” cannot be “{value}”: {allowed_en}.")


# --- the views ------------------------------------------------------------------------------------

@bp.route("/", strict_slashes=False, methods=METHODS)
def index() -> Response:
    """What the API offers: links to its endpoints and to its OpenAPI description."""
    check_parameters(request.args, ())
    city = get_settings().city_name
    return answer({
        "name": {"fr": f"API {city} en données", "en": f"{city} in data API"},
        "description": {"fr": "Les jeux de données publiés par le site, leurs versions et leurs lignes, en JSON.",
                        "en": "The datasets the site publishes, their versions and their rows, as JSON."},
        "version": "1",
        "links": {"self": f"{PREFIX}/", "datasets": f"{PREFIX}/datasets", "dataset": f"{PREFIX}/datasets/{{slug}}",
                  "versions": f"{PREFIX}/datasets/{{slug}}/versions", "records": f"{PREFIX}/datasets/{{slug}}/records",
                  "openapi": f"{PREFIX}/openapi.json", "catalogue": "/donnees"},
    })


@bp.route("/datasets", methods=METHODS)
def datasets() -> Response:
    """Every dataset's description, optionally of one theme (`theme`) or matching words (`q`)."""
    every = catalogue.entries()
    query = parse_datasets_query(request.args, sorted({e["theme"] for e in every}))
    found = [e for e in every if query.matches(e)]
    given = [(k, v) for k, v in (("theme", query.theme), ("q", query.words)) if v]
    return answer({"total": len(found), "datasets": [summary(e) for e in found],
                   "links": {"self": url("/datasets", given), "openapi": f"{PREFIX}/openapi.json"}})


@bp.route("/datasets/<slug>", methods=METHODS)
def dataset(slug: str) -> Response:
    """One dataset: its description, data dictionary, published versions and the charts using it."""
    check_parameters(request.args, ())
    e = catalogue.entry(slug)
    return answer({**summary(e), "min_count": e["min_count"], "fields": e["fields"], "versions": history(e),
                   "uses": [{**u, "embed": f"/embed/{u['chart']}"} for u in e["uses"]]})


@bp.route("/datasets/<slug>/versions", methods=METHODS)
def dataset_versions(slug: str) -> Response:
    """A dataset's published versions, oldest first."""
    check_parameters(request.args, ())
    e = catalogue.entry(slug)
    return answer({"dataset": slug, "version": e["version"], "versions": history(e),
                   "links": {"self": url(f"/datasets/{slug}/versions"), "dataset": url(f"/datasets/{slug}")}})


@bp.route("/datasets/<slug>/records", methods=METHODS)
def dataset_records(slug: str) -> Response:
    """One page of a published version's records, filtered and sorted as asked."""
    e = catalogue.entry(slug)
    query = parse_records_query(request.args, e["fields"])
    version = catalogue.published_version(slug, query.version)
    frame = catalogue.records(slug, version)
    rows = select_rows(frame, query, {f["name"]: f["type"] for f in e["fields"]})
    pages = math.ceil(len(rows) / query.per_page)
    if query.page > max(pages, 1):
        raise ApiError(404, f"La page {query.page} n'existe pas : ces lignes tiennent en {max(pages, 1)} page(s) "
                            f"de {query.per_page}.",
                       f"Page {query.page} does not exist: these rows fit in {max(pages, 1)} page(s) of {query.per_page}.")
    start = (query.page - 1) * query.per_page
    page = frame.iloc[rows[start:start + query.per_page]]
    return answer({
        "dataset": slug, "version": version, "page": query.page, "per_page": query.per_page, "total": len(rows),
        "pages": pages, "sort": query.sort, "filters": {name: list(values) for name, values in query.filters},
        "records": catalogue.typed(slug, page), "links": records_links(slug, query, version, pages),
    }, max_age=MAX_AGE if query.version is None else PINNED_MAX_AGE)


@bp.route("/openapi.json", methods=METHODS)
def openapi() -> Response:
    """The OpenAPI 3.0 description of this API, with the catalogue's datasets of the moment."""
    from webapp.openapi import openapi_document  # it reads this module's constants

    check_parameters(request.args, ())
    return answer(openapi_document(catalogue.entries()))


@bp.route("/<path:rest>", methods=METHODS)
def unknown(rest: str) -> Response:
    raise ApiError(404, f"L'API n'a pas d'adresse « {PREFIX}/{rest} » : voyez {PREFIX}/ et {PREFIX}/openapi.json.",
                   f"The API has no address “{PREFIX}/{rest}”: see {PREFIX}/ and {PREFIX}/openapi.json.")


# --- answers, errors, CORS ------------------------------------------------------------------------

def answer(payload: Any, status: int = 200, max_age: int | None = MAX_AGE) -> Response:
    """JSON in the payload's own key order (the records' columns stay in the schema's order)."""
    response = Response(json.dumps(payload, ensure_ascii=False, separators=(",", ":")), status=status,
                        mimetype="application/json")
    if max_age is None:
        response.headers["Cache-Control"] = "no-store"
    else:
        response.cache_control.public, response.cache_control.max_age = True, max_age
    return response


def error(status: int, fr: str, en: str) -> Response:
    response = answer({"error": {"status": status, "message": fr, "message_en": en}}, status, max_age=None)
    if status == 405:
        response.headers["Allow"] = READ
    return response


@bp.before_request
def read_only() -> Response | None:
    """GET and HEAD are answered, OPTIONS is the CORS preflight, any other verb is a 405."""
    if request.method in ("GET", "HEAD") or request.endpoint == "api.unknown":
        return None
    if request.method == "OPTIONS":
        response = Response(status=204)
        del response.headers["Content-Type"]  # no body
        response.headers["Allow"] = response.headers["Access-Control-Allow-Methods"] = READ
        if request.headers.get("Access-Control-Request-Headers"):
            response.headers["Access-Control-Allow-Headers"] = request.headers["Access-Control-Request-Headers"]
        response.headers["Access-Control-Max-Age"] = "86400"
        return response
    raise ApiError(405, f"L'API se lit seulement : la méthode {request.method} n'y est pas acceptée ({READ}).",
                   f"The API is read-only: the {request.method} method is not accepted ({READ}).")


@bp.after_request
def open_to_all(response: Response) -> Response:
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.errorhandler(ApiError)
def api_error(exc: ApiError) -> Response:
    return error(exc.status, exc.fr, exc.en)


@bp.errorhandler(catalogue.NotFound)
def not_found(exc: catalogue.NotFound) -> Response:
    return error(404, exc.fr, exc.en)


@bp.errorhandler(HTTPException)
def http_error(exc: HTTPException) -> Response:
    code = exc.code or 500
    return error(code, f"La requête n'a pas abouti (erreur HTTP {code}).", f"The request failed (HTTP error {code}).")


@bp.errorhandler(Exception)
def unexpected(exc: Exception) -> Response:
    current_app.logger.exception("API: %s", request.full_path, exc_info=exc)
    return error(500, "Erreur interne du site : elle est enregistrée, réessayez plus tard.",
                 "Internal error of the site: it is logged, try again later.")


# --- parameters -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class DatasetsQuery:
    """`/datasets?theme=…&q=…`: one theme (None: all), words all found in a title or description."""

    theme: str | None
    words: str

    def matches(self, e: Mapping[str, Any]) -> bool:
        if self.theme and e["theme"] != self.theme:
            return False
        haystack = fold(" ".join([*e["title"].values(), *e["description"].values()]))
        return all(word in haystack for word in fold(self.words).split())


@dataclass(frozen=True)
class RecordsQuery:
    """`/datasets/<slug>/records?…`: the version (None: the served one), the page, the order, the filters."""

    version: int | None
    page: int
    per_page: int
    sort: str | None  # a field's name, `-name` for descending
    filters: tuple[tuple[str, tuple[str, ...]], ...]  # (field, values: any of them; "" for no value)


def parse_datasets_query(args: MultiDict, themes: list[str]) -> DatasetsQuery:
    check_parameters(args, ("theme", "q"))
    theme = single(args, "theme") or None
    if theme is not None and theme not in themes:
        raise bad_parameter("theme", theme, "thèmes possibles : " + ", ".join(themes), "themes: " + ", ".join(themes))
    return DatasetsQuery(theme, (single(args, "q") or "").strip())


def parse_records_query(args: MultiDict, fields: list[dict[str, Any]]) -> RecordsQuery:
    names = [f["name"] for f in fields]
    check_parameters(args, (*RESERVED, *names))
    sort = single(args, "sort")
    if sort is not None and sort.removeprefix("-") not in names:
        listed = ", ".join(names)
        raise bad_parameter("sort", sort, f"le nom d'un champ, précédé de « - » pour l'ordre décroissant ({listed})",
                            f"a field's name, preceded by “-” for descending order ({listed})")
    return RecordsQuery(
        version=number(args, "version", None), page=number(args, "page", 1),
        per_page=number(args, "per_page", PER_PAGE, MAX_PER_PAGE), sort=sort,
        filters=tuple((f["name"], filter_values(f, args.getlist(f["name"]))) for f in fields if f["name"] in args))


def check_parameters(args: MultiDict, allowed: tuple[str, ...]) -> None:
    """A 400 for a parameter the endpoint does not know, naming the ones it does."""
    for name in args:
        if name in allowed:
            continue
        if not allowed:
            raise ApiError(400, f"Paramètre inconnu « {name} » : cette adresse n'en prend aucun.",
                           f"Unknown parameter “{name}”: this address takes none.")
        listed = ", ".join(allowed)
        raise ApiError(400, f"Paramètre inconnu « {name} » : paramètres possibles : {listed}.",
                       f"Unknown parameter “{name}”: parameters: {listed}.")


def single(args: MultiDict, name: str) -> str | None:
    values = args.getlist(name)
    if len(values) > 1:
        raise ApiError(400, f"Le paramètre « {name} » est donné {len(values)} fois : il ne peut l'être qu'une fois.",
                       f"The parameter “{name}” is given {len(values)} times: once only.")
    return values[0] if values else None


def number(args: MultiDict, name: str, default: int | None, maximum: int | None = None) -> int | None:
    """A whole number from 1 to `maximum` (beyond 18 digits: as good as infinite, never an overflow)."""
    raw = single(args, name)
    if raw is None:
        return default
    value = int(raw) if re.fullmatch(r"[0-9]{1,18}", raw) else 10**18 if re.fullmatch(r"[0-9]+", raw) else 0
    if value < 1 or (maximum is not None and value > maximum):
        upto, upto_en = (f"de 1 à {maximum}", f"from 1 to {maximum}") if maximum else ("à partir de 1", "from 1 up")
        raise bad_parameter(name, raw, f"un nombre entier {upto}", f"a whole number {upto_en}")
    return value


def filter_values(field: Mapping[str, Any], given: list[str]) -> tuple[str, ...]:
    """A field filter's values: several separated by commas, each checked against the field's type."""
    name, kind, allowed = field["name"], field["type"], field.get("values")
    values = [value for raw in given for value in raw.split(",")]
    if kind in VALUE_PATTERNS or allowed:
        values = [value.strip() for value in values]
    for value in filter(None, values):
        if kind in VALUE_PATTERNS and not re.fullmatch(VALUE_PATTERNS[kind], value, re.ASCII):
            fr, en = VALUE_WORDS[kind]
            raise bad_parameter(name, value, f"{fr}, ou plusieurs valeurs séparées par des virgules",
                                f"{en}, or several values separated by commas")
        if allowed and kind not in NUMERIC and value not in [str(v) for v in allowed]:
            listed = ", ".join(str(v) for v in allowed)
            raise bad_parameter(name, value, f"valeurs possibles : {listed}", f"values: {listed}")
    return tuple(values)


def fold(text: str) -> str:
    """Lower case without accents: « École » and « ecole » match."""
    return "".join(c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c))


# --- records --------------------------------------------------------------------------------------

def select_rows(frame: pd.DataFrame, query: RecordsQuery, kinds: Mapping[str, str]) -> np.ndarray:
    """Positions of the rows the filters keep, in the order asked (stable; rows without a value last)."""
    keep = np.ones(len(frame), dtype=bool)
    for name, values in query.filters:
        keep &= matching(frame[name], values, kinds[name])
    rows = np.flatnonzero(keep)
    if query.sort:
        name = query.sort.removeprefix("-")
        key = sort_key(frame[name].iloc[rows], kinds[name])
        if query.sort.startswith("-"):
            key = -key
        rows = rows[np.argsort(np.where(np.isnan(key), np.inf, key), kind="stable")]
    return rows


def matching(column: pd.Series, values: tuple[str, ...], kind: str) -> np.ndarray:
    """Cells equal to one of the values (numerically for numbers); an empty value: cells without one."""
    wanted = [v for v in values if v]
    hit = np.zeros(len(column), dtype=bool)
    if len(wanted) < len(values):
        hit |= (column.isna() | (column == "")).to_numpy(dtype=bool)
    if wanted and kind in NUMERIC:
        hit |= pd.to_numeric(column, errors="coerce").isin([float(v) for v in wanted]).to_numpy(dtype=bool)
    elif wanted:
        hit |= column.isin(wanted).to_numpy(dtype=bool)
    return hit


def sort_key(column: pd.Series, kind: str) -> np.ndarray:
    """Numbers for numeric fields, else the rank of the text (by code point); NaN where no value."""
    if kind in NUMERIC:
        return pd.to_numeric(column, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    codes, _ = pd.factorize(column, sort=True)
    key = codes.astype(float)
    key[(codes < 0) | (column == "").to_numpy(dtype=bool)] = np.nan
    return key


def records_links(slug: str, query: RecordsQuery, version: int, pages: int) -> dict[str, str | None]:
    """Links to the pages: all but `self` name the version, so that paging never mixes two versions."""

    def at(page: int, pinned: bool = True) -> str:
        pairs: list[tuple[str, Any]] = [("version", version)] if pinned else []
        pairs += [(name, ",".join(values)) for name, values in query.filters]
        pairs += [("sort", query.sort)] if query.sort else []
        return url(f"/datasets/{slug}/records", [*pairs, ("page", page), ("per_page", query.per_page)])

    last = max(pages, 1)
    return {"self": at(query.page, pinned=query.version is not None), "first": at(1), "last": at(last),
            "next": at(query.page + 1) if query.page < last else None,
            "prev": at(query.page - 1) if query.page > 1 else None}


# --- descriptions ---------------------------------------------------------------------------------

def url(path: str, pairs: list[tuple[str, Any]] | None = None) -> str:
    return PREFIX + path + ("?" + urlencode(pairs) if pairs else "")


def downloads(e: dict[str, Any], version: int, pinned: bool) -> dict[str, str]:
    """The /donnees files of a version (XLSX only when the version is small enough for a workbook)."""
    query = f"?version={version}" if pinned else ""
    formats = [f for f in catalogue.FORMATS if f != "xlsx" or catalogue.offers_xlsx(e, version)]
    return {f: f"/donnees/{e['slug']}.{f}{query}" for f in formats}


def summary(e: dict[str, Any]) -> dict[str, Any]:
    """A dataset as the list gives it: description, source, licence, served version, demo or not, links."""
    slug, version = e["slug"], e["version"]
    status, label = STATUS[bool(e["is_demo"])]
    served = next((v for v in e["versions"] if v["version"] == version), None)
    return {
        "slug": slug, "title": e["title"], "description": e["description"], "theme": e["theme"],
        "theme_label": catalogue.THEMES.get(e["theme"]), "producer": e["producer"], "licence": e["licence"],
        "licence_url": e["licence_url"], "source_url": e["source_url"], "frequency": e["frequency"],
        "frequency_label": catalogue.FREQUENCIES.get(e["frequency"]), "coverage": e["coverage"],
        "spatial": e.get("spatial"), "last_update": e["last_update"], "version": version,
        "rows": served["rows"] if served else None, "is_demo": bool(e["is_demo"]), "status": status,
        "status_label": label,
        "links": {"self": url(f"/datasets/{slug}"), "versions": url(f"/datasets/{slug}/versions"),
                  "records": url(f"/datasets/{slug}/records"), "page": f"/donnees#jeu-{slug}",
                  "downloads": downloads(e, version, pinned=False)},
    }


def history(e: dict[str, Any]) -> list[dict[str, Any]]:
    """The published versions, oldest first (who published is not public)."""
    slug = e["slug"]
    return [{"version": v["version"], "published_at": v["published_at"], "rows": v["rows"],
             "coverage": v["coverage"], "source_date": v["source_date"], "note": v["note"], "is_demo": v["is_demo"],
             "changes": v["changes"], "served": v["version"] == e["version"],
             "links": {"records": url(f"/datasets/{slug}/records", [("version", v["version"])]),
                       "downloads": downloads(e, v["version"], pinned=True)}}
            for v in e["versions"]]

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
from flask import Blueprint, Response, request
from werkzeug.datastructures import MultiDict

from webapp.data import catalogue
from webapp.data.store import get_settings
from webapp.i18n import N_, _l, _nl
from webapp.openapi import MAX_PER_PAGE, NUMERIC, PER_PAGE, PREFIX, RESERVED, VALUE_PATTERNS, openapi_document
from webapp.public_error import PublicError, bad_parameter

bp = Blueprint("api", __name__, url_prefix=PREFIX)

MAX_AGE, PINNED_MAX_AGE = 300, 86_400  # a published version's rows never change
READ = "GET, HEAD, OPTIONS"
# Every verb routed here, so that a wrong one gets a JSON 405 rather than the site's HTML page.
METHODS = ["GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE"]
VALUE_WORDS = {"integer": N_("un nombre entier (12)"), "number": N_("un nombre avec un point décimal (12.5)"),
               "date": N_("une date AAAA-MM-JJ"), "year": N_("une année AAAA")}
STATUS = {True: ("demonstration", _l("Données de démonstration")), False: ("official", _l("Données officielles"))}


# --- the views ------------------------------------------------------------------------------------

@bp.route("/", strict_slashes=False, methods=METHODS)
def index() -> Response:
    """What the API offers: links to its endpoints and to its OpenAPI description."""
    check_parameters(request.args, ())
    city = get_settings().city_name
    return answer({
        "name": dict(_l("API {city} en données", city=city)),
        "description": dict(_l("Les jeux de données publiés par le site, leurs versions et leurs lignes, en JSON.")),
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
        raise PublicError(404, _nl("La page {page} n'existe pas : ces lignes tiennent en {n} page de {per_page}.",
                                   "La page {page} n'existe pas : ces lignes tiennent en {n} pages de {per_page}.",
                                   max(pages, 1), page=query.page, per_page=query.per_page))
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

    check_parameters(request.args, ())
    return answer(openapi_document(catalogue.entries()))


@bp.route("/<path:rest>", methods=METHODS)
def unknown(rest: str) -> Response:
    raise PublicError(404, N_("L'API n'a pas d'adresse « {prefix}/{rest} » : voyez {prefix}/ et {prefix}/openapi.json."),
                      prefix=PREFIX, rest=rest)


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
    refused = PublicError(405, N_("L'API se lit seulement : la méthode {method} n'y est pas acceptée ({read})."),
                          method=request.method, read=READ)
    refused.allow = READ
    raise refused


@bp.after_request
def open_to_all(response: Response) -> Response:
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


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
        raise bad_parameter("theme", theme, _l("thèmes possibles : {themes}", themes=", ".join(themes)))
    return DatasetsQuery(theme, (single(args, "q") or "").strip())


def parse_records_query(args: MultiDict, fields: list[dict[str, Any]]) -> RecordsQuery:
    names = [f["name"] for f in fields]
    check_parameters(args, (*RESERVED, *names))
    sort = single(args, "sort")
    if sort is not None and sort.removeprefix("-") not in names:
        listed = ", ".join(names)
        raise bad_parameter("sort", sort, _l("le nom d'un champ, précédé de « - » pour l'ordre décroissant ({listed})",
                                             listed=listed))
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
            raise PublicError(400, N_("Paramètre inconnu « {name} » : cette adresse n'en prend aucun."), name=name)
        listed = ", ".join(allowed)
        raise PublicError(400, N_("Paramètre inconnu « {name} » : paramètres possibles : {listed}."),
                                  name=name, listed=listed)


def single(args: MultiDict, name: str) -> str | None:
    values = args.getlist(name)
    if len(values) > 1:
        raise PublicError(400, N_("Le paramètre « {name} » est donné {times} fois : il ne peut l'être qu'une fois."),
                                  name=name, times=len(values))
    return values[0] if values else None


def number(args: MultiDict, name: str, default: int | None, maximum: int | None = None) -> int | None:
    """A whole number from 1 to `maximum` (beyond 18 digits: as good as infinite, never an overflow)."""
    raw = single(args, name)
    if raw is None:
        return default
    value = int(raw) if re.fullmatch(r"[0-9]{1,18}", raw) else 10**18 if re.fullmatch(r"[0-9]+", raw) else 0
    if value < 1 or (maximum is not None and value > maximum):
        allowed = (_l("un nombre entier de 1 à {maximum}", maximum=maximum) if maximum
                   else _l("un nombre entier à partir de 1"))
        raise bad_parameter(name, raw, allowed)
    return value


def filter_values(field: Mapping[str, Any], given: list[str]) -> tuple[str, ...]:
    """A field filter's values: several separated by commas, each checked against the field's type."""
    name, kind, allowed = field["name"], field["type"], field.get("values")
    values = [value for raw in given for value in raw.split(",")]
    if kind in VALUE_PATTERNS or allowed:
        values = [value.strip() for value in values]
    for value in filter(None, values):
        if kind in VALUE_PATTERNS and not re.fullmatch(VALUE_PATTERNS[kind], value, re.ASCII):
            raise bad_parameter(name, value, _l("{words}, ou plusieurs valeurs séparées par des virgules",
                                                words=_l(VALUE_WORDS[kind])))
        if allowed and kind not in NUMERIC and value not in [str(v) for v in allowed]:
            listed = ", ".join(str(v) for v in allowed)
            raise bad_parameter(name, value, _l("valeurs possibles : {listed}", listed=listed))
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
        "status_label": dict(label),
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

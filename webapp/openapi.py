"""The OpenAPI 3.0.3 description of the JSON API (`webapp.api`), built from the catalogue of the moment:
the dataset slugs as an enum, and per dataset its records operation with a filter per field."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from webapp.data.store import get_settings

# What the API takes, described here and read by `webapp.api`.
PREFIX = "/api/v1"
PER_PAGE, MAX_PER_PAGE = 100, 1000
RESERVED = ("version", "page", "per_page", "sort")
NUMERIC = ("integer", "number")
# What one filter value of a field may be, by type (several: separated by commas; empty: no value).
VALUE_PATTERNS = {"integer": "-?[0-9]+", "number": r"-?[0-9]+(?:\.[0-9]+)?", "date": "[0-9]{4}-[0-9]{2}-[0-9]{2}",
                  "year": "[0-9]{4}"}


def openapi_document(entries: list[dict[str, Any]]) -> dict[str, Any]:
    """OpenAPI 3.0.3 from the catalogue of the moment: the slugs, the themes, each dataset's fields."""
    slug = parameter("slug", "path", {"type": "string", "enum": [e["slug"] for e in entries]},
                     "Le jeu de données. / The dataset.", required=True)
    themes = sorted({e["theme"] for e in entries})
    listing = [parameter("theme", "query", {"type": "string", "enum": themes}, "Un thème. / One theme."),
               parameter("q", "query", {"type": "string"},
                         "Mots cherchés dans les titres et descriptions, sans tenir compte des majuscules ni des "
                         "accents. / Words searched in titles and descriptions, ignoring case and accents.")]
    paths = {
        f"{PREFIX}/": operation("index", "L'index de l'API / The API's index", [], "Index"),
        f"{PREFIX}/datasets": operation("listDatasets", "Les jeux de données / The datasets", listing, "DatasetList"),
        f"{PREFIX}/datasets/{{slug}}": operation(
            "getDataset", "Un jeu de données : dictionnaire, versions, usages / One dataset: fields, versions, uses",
            [slug], "Dataset", 404),
        f"{PREFIX}/datasets/{{slug}}/versions": operation(
            "listVersions", "Les versions publiées / The published versions", [slug], "VersionList", 404),
        f"{PREFIX}/datasets/{{slug}}/records": operation(
            "listRecords", "Les lignes d'une version / A version's records",
            [slug, *paging(None, [], description="Le nom d'un champ du jeu de données, « -nom » pour l'ordre "
                                                 "décroissant ; les filtres par champ sont décrits à l'adresse de "
                                                 "chaque jeu. / A field's name, “-name” for descending order; the "
                                                 "field filters are described at each dataset's own path.")],
            "RecordsPage", 404),
        f"{PREFIX}/openapi.json": operation("getOpenAPI", "Cette description / This description", [], "OpenAPI"),
    }
    for e in entries:
        paths[f"{PREFIX}/datasets/{e['slug']}/records"] = dataset_records_operation(e)
    return {
        "openapi": "3.0.3",
        "info": {"title": f"API {get_settings().city_name} en données", "version": "1.0.0",
                 "description": "Les jeux de données publiés par le site, leurs versions et leurs lignes, en JSON, "
                                "en lecture seule et ouverts à tout site (CORS). Chaque erreur est un objet JSON "
                                "`error` avec un message en français et en anglais. / The site's datasets, their "
                                "versions and records as read-only JSON, open to any site (CORS)."},
        "servers": [{"url": "/"}],
        "paths": paths,
        "components": {
            "schemas": {**component_schemas(themes), **{f"Record-{e['slug']}": record_schema(e) for e in entries}},
            "headers": {
                "Access-Control-Allow-Origin": {"required": True, "schema": {"type": "string", "enum": ["*"]},
                                                "description": "Ouvert à tout site. / Open to any site."},
                "Cache-Control": {"required": True, "schema": {"type": "string"}, "description":
                                  "public, max-age=300 ; 86400 pour les lignes d'une version donnée. / "
                                  "86400 for the records of a given version."}},
            "responses": {str(code): {
                "description": text, "headers": {"Access-Control-Allow-Origin": ref("Access-Control-Allow-Origin",
                                                                                    "headers")},
                "content": {"application/json": {"schema": ref("Error")}}}
                for code, text in ((400, "Paramètre incorrect / Bad parameter"), (404, "Introuvable / Not found"))},
        },
    }


def ref(name: str, kind: str = "schemas") -> dict[str, str]:
    return {"$ref": f"#/components/{kind}/{name}"}


def parameter(name: str, where: str, schema: dict[str, Any], description: str, required: bool = False) -> dict:
    return {"name": name, "in": where, "required": required, "schema": schema, "description": description}


def operation(op_id: str, summary_: str, parameters: list[dict[str, Any]], schema: str | dict[str, Any],
              *errors: int) -> dict[str, Any]:
    ok = {"description": "OK", "headers": {h: ref(h, "headers") for h in ("Access-Control-Allow-Origin", "Cache-Control")},
          "content": {"application/json": {"schema": ref(schema) if isinstance(schema, str) else schema}}}
    responses = {"200": ok, **{str(code): ref(str(code), "responses") for code in (400, *errors)}}
    return {"get": {"operationId": op_id, "summary": summary_, "parameters": parameters, "responses": responses}}


def paging(versions: list[int] | None, names: list[str], description: str) -> list[dict[str, Any]]:
    """`version`, `page`, `per_page`, `sort`: exact for one dataset, looser for any dataset."""
    version = {"type": "integer", "enum": versions} if versions else {"type": "integer", "minimum": 1}
    sort = {"type": "string", "enum": [*names, *(f"-{n}" for n in names)]} if names else {"type": "string"}
    return [
        parameter("version", "query", version, "Une version publiée (défaut : la version servie). / A published "
                                               "version (default: the served one)."),
        parameter("page", "query", {"type": "integer", "minimum": 1, "default": 1},
                  "La page (au-delà de la dernière : 404). / The page (beyond the last one: 404)."),
        parameter("per_page", "query", {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE, "default": PER_PAGE},
                  "Lignes par page. / Records per page."),
        parameter("sort", "query", sort, "Tri stable, les valeurs manquantes en dernier ; nombres triés comme "
                                         "nombres, le reste comme texte. / Stable sort, missing values last. "
                  + description),
    ]


def dataset_records_operation(e: Mapping[str, Any]) -> dict[str, Any]:
    """The records of one dataset, with a filter parameter per field and the exact record schema."""
    fields = e["fields"]
    filters = [parameter(f["name"], "query", {"type": "string", **filter_pattern(f)},
                         (f["description"] + " — " if f["description"] else "") + "Filtre : égalité, plusieurs "
                         "valeurs séparées par des virgules pour l'une ou l'autre, une valeur vide pour les cellules "
                         "vides. / Filter: equality; several values separated by commas for any of them; an empty "
                         "value for empty cells.")
               for f in fields if f["name"] not in RESERVED]
    page = {"allOf": [ref("RecordsPage"), {"type": "object", "properties": {
        "records": {"type": "array", "items": ref(f"Record-{e['slug']}")}}}]}
    op = operation(f"listRecords-{e['slug']}", f"{e['title']['fr']} / {e['title']['en']}",
                   [*paging([v["version"] for v in e["versions"]], [f["name"] for f in fields], ""), *filters],
                   page, 404)
    return op


def filter_pattern(f: Mapping[str, Any]) -> dict[str, str]:
    """The pattern of a filter's value: the field type's, or its listed values; commas between several."""
    item = VALUE_PATTERNS.get(f["type"])
    if f.get("values") and f["type"] not in NUMERIC:
        item = "|".join(re.sub(r"([\\^$.|?*+()\[\]{}])", r"\\\1", str(v)) for v in f["values"])
    return {"pattern": f"^(?:{item})?(?:,(?:{item})?)*$"} if item else {}


def record_schema(e: Mapping[str, Any]) -> dict[str, Any]:
    kinds = {"integer": "integer", "number": "number", "boolean": "boolean"}
    return {"type": "object", "additionalProperties": False, "required": [f["name"] for f in e["fields"]],
            "properties": {f["name"]: {"type": kinds.get(f["type"], "string"), "nullable": True,
                                       "description": f["description"]} for f in e["fields"]}}


# Every error of the site in JSON (`webapp.public_error.PublicError.as_json`).
ERROR_SCHEMA = {"type": "object", "required": ["error"], "additionalProperties": False, "properties": {"error": {
    "type": "object", "required": ["status", "message", "message_en"], "additionalProperties": False,
    "properties": {"status": {"type": "integer", "minimum": 400, "maximum": 599},
                   "message": {"type": "string", "description": "En français."},
                   "message_en": {"type": "string", "description": "In English."}}}}}


def component_schemas(themes: list[str]) -> dict[str, Any]:
    """The answers' shapes (OpenAPI 3.0: `nullable` rather than a type list)."""
    string, integer, boolean = {"type": "string"}, {"type": "integer"}, {"type": "boolean"}
    maybe = {"type": "string", "nullable": True}
    text = {"type": "object", "required": ["fr", "en"], "properties": {"fr": string, "en": string}}
    links = {"type": "object", "additionalProperties": {"type": "string"}}
    download = {"type": "object", "required": ["csv", "json"], "additionalProperties": False,
                "properties": {"csv": string, "json": string, "xlsx": string}}
    summary_ = {
        "slug": string, "title": text, "description": text, "theme": {"type": "string", "enum": themes},
        "theme_label": {**text, "nullable": True}, "producer": string, "licence": string, "licence_url": maybe,
        "source_url": maybe, "frequency": maybe, "frequency_label": {**text, "nullable": True}, "coverage": maybe,
        "spatial": {**text, "nullable": True}, "last_update": {"type": "string", "format": "date"},
        "version": integer, "rows": {"type": "integer", "nullable": True, "minimum": 0}, "is_demo": boolean,
        "status": {"type": "string", "enum": ["demonstration", "official"]}, "status_label": text,
        "links": {"type": "object", "required": ["self", "versions", "records", "page", "downloads"],
                  "properties": {"self": string, "versions": string, "records": string, "page": string,
                                 "downloads": download}},
    }
    version = {"type": "object", "required": ["version", "published_at", "rows", "note", "is_demo", "served", "links"],
               "properties": {"version": integer, "published_at": maybe, "rows": {"type": "integer", "minimum": 0},
                              "coverage": maybe, "source_date": maybe, "note": string, "is_demo": boolean,
                              "changes": {"type": "object", "additionalProperties": integer}, "served": boolean,
                              "links": {"type": "object", "required": ["records", "downloads"],
                                        "properties": {"records": string, "downloads": download}}}}
    field = {"type": "object", "required": ["name", "type", "description", "required"],
             "properties": {"name": string, "type": string, "description": string, "unit": maybe, "required": boolean,
                            "values": {"type": "array", "items": {}, "nullable": True}, "example": {}}}
    use = {"type": "object", "required": ["chart", "story", "title", "embed"],
           "properties": {"chart": string, "story": string, "title": text, "embed": string}}
    page_links = {"type": "object", "required": ["self", "first", "last", "next", "prev"],
                  "properties": {"self": string, "first": string, "last": string, "next": maybe, "prev": maybe}}
    return {
        "Error": ERROR_SCHEMA,
        "Index": {"type": "object", "required": ["name", "description", "version", "links"],
                  "properties": {"name": text, "description": text, "version": string, "links": links}},
        "DatasetSummary": {"type": "object", "required": list(summary_), "properties": summary_},
        "Dataset": {"type": "object", "required": [*summary_, "min_count", "fields", "versions", "uses"],
                    "properties": {**summary_, "min_count": {"type": "integer", "nullable": True},
                                   "fields": {"type": "array", "items": field},
                                   "versions": {"type": "array", "items": ref("Version")},
                                   "uses": {"type": "array", "items": use}}},
        "DatasetList": {"type": "object", "required": ["total", "datasets", "links"],
                        "properties": {"total": {"type": "integer", "minimum": 0},
                                       "datasets": {"type": "array", "items": ref("DatasetSummary")}, "links": links}},
        "Version": version,
        "VersionList": {"type": "object", "required": ["dataset", "version", "versions", "links"],
                        "properties": {"dataset": string, "version": integer,
                                       "versions": {"type": "array", "items": ref("Version")}, "links": links}},
        "RecordsPage": {
            "type": "object",
            "required": ["dataset", "version", "page", "per_page", "total", "pages", "records", "links"],
            "properties": {"dataset": string, "version": integer, "page": {"type": "integer", "minimum": 1},
                           "per_page": {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE},
                           "total": {"type": "integer", "minimum": 0}, "pages": {"type": "integer", "minimum": 0},
                           "sort": maybe, "filters": {"type": "object", "additionalProperties": {
                               "type": "array", "items": string}},
                           "records": {"type": "array", "items": {"type": "object"}}, "links": page_links}},
        "OpenAPI": {"type": "object", "required": ["openapi", "info", "paths"]},
    }

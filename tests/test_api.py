"""The JSON API under /api/v1/: its OpenAPI description checked by a validator and by schemathesis,
then its answers recomputed independently: row counts from the dataset_version table, records from
the /donnees CSV download read with the csv module, orders with Python's own (stable) sort."""

from __future__ import annotations

import csv
import io
import json
import re
import time
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from openapi_spec_validator import validate
from schemathesis.specs.openapi.checks import positive_data_acceptance
from sqlalchemy import text

from tests.helpers import ROOT, read_source_json, republish, serve_again, stored_file

SHIPPED = {d["slug"]: d for d in read_source_json("catalogue.json")["datasets"]}
SLUGS = sorted(SHIPPED)
SMALL = "comptage-sites"  # a couple of dozen rows
LARGEST = "comptage-mesures"
ACCENTS = str.maketrans("àâäçéèêëîïôöùûüÿœÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸŒ", "aaaceeeeiioouuuyoaaaceeeeiioouuuyo")


def kinds_of(slug: str) -> dict[str, str]:
    """Field -> Table Schema type, from the schema file itself."""
    schema = json.loads((ROOT / "data" / "schemas" / f"{slug}.json").read_text(encoding="utf-8"))
    return {f["name"]: f.get("type", "string") for f in schema["fields"]}


def get_json(client, path: str, status: int = 200) -> dict:
    r = client.get(path)
    assert r.status_code == status, r.get_data(as_text=True)[:500]
    assert r.mimetype == "application/json"
    assert r.headers["Access-Control-Allow-Origin"] == "*"
    return r.get_json()


def csv_download(client, slug: str, version: int | None = None) -> list[dict[str, str]]:
    r = client.get(f"/donnees/{slug}.csv" + (f"?version={version}" if version else ""))
    assert r.status_code == 200
    return list(csv.DictReader(io.StringIO(r.get_data(as_text=True).lstrip("\ufeff"))))


def every_record(client, first: str) -> list[dict]:
    """Follow `next` from a first page; each page must be the one announced."""
    out, path, number = [], first, 1
    while path:
        body = get_json(client, path)
        assert body["page"] == number
        out += body["records"]
        path, number = body["links"]["next"], number + 1
    assert len(out) == body["total"]
    return out


def same_value(value, cell: str) -> bool:
    if value is None:
        return cell == ""
    if isinstance(value, bool):
        return cell.lower() in (("true", "1", "oui") if value else ("false", "0", "non"))
    if isinstance(value, int | float):
        return cell != "" and float(cell) == value
    return value == cell


def assert_same_rows(records: list[dict], rows: list[dict[str, str]]) -> None:
    assert len(records) == len(rows)
    for i, (record, row) in enumerate(zip(records, rows, strict=True)):
        assert list(record) == list(row), i
        bad = {k: (record[k], row[k]) for k in row if not same_value(record[k], row[k])}
        assert not bad, (i, bad)


def served_row_counts(db) -> dict[str, tuple[int, int, bool]]:
    """slug -> (served version, its row count, demo flag), read from the tables."""
    with db.engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT d.slug, d.version, v.row_count, d.is_demo FROM dataset d JOIN dataset_version v "
            "ON v.dataset_slug = d.slug AND v.version = d.version")).all()
    return {slug: (int(version), int(count), bool(demo)) for slug, version, count, demo in rows}


# --- the description -------------------------------------------------------------------------------

def test_openapi_document_is_valid_and_lists_every_dataset(client, db):
    doc = get_json(client, "/api/v1/openapi.json")
    validate(doc)
    assert doc["servers"] == [{"url": "/"}]
    slug = next(p for p in doc["paths"]["/api/v1/datasets/{slug}"]["get"]["parameters"] if p["name"] == "slug")
    assert sorted(slug["schema"]["enum"]) == sorted(served_row_counts(db))
    for path in ("/api/v1/", "/api/v1/datasets", "/api/v1/datasets/{slug}/versions",
                 "/api/v1/datasets/{slug}/records", "/api/v1/openapi.json"):
        assert set(doc["paths"][path]["get"]["responses"]) >= {"200", "400"}
    error = doc["components"]["schemas"]["Error"]["properties"]["error"]
    assert set(error["required"]) == {"status", "message", "message_en"}
    records = doc["paths"]["/api/v1/datasets/commerces/records"]["get"]["parameters"]
    assert {p["name"] for p in records} == {"version", "page", "per_page", "sort", *kinds_of("commerces")}


@pytest.fixture(scope="module")
def api_schema(server):
    return schemathesis.from_wsgi("/api/v1/openapi.json", server)


schema = schemathesis.from_pytest_fixture("api_schema")


@schema.parametrize()
@settings(max_examples=25, deadline=None, database=None, suppress_health_check=list(HealthCheck))
def test_every_operation_answers_as_documented(case):
    """Documented status codes, headers and bodies, never a 500; where every parameter is exact
    (all but the records of "any" dataset), valid parameters are also accepted (2xx or 404)."""
    exact = case.operation.definition.raw["operationId"] != "listRecords"
    case.call_and_validate(additional_checks=(positive_data_acceptance,) if exact else ())


# --- the list and one dataset ----------------------------------------------------------------------

def test_list_has_every_dataset_with_its_served_version_and_demo_flag(client, db):
    body = get_json(client, "/api/v1/datasets")
    served = served_row_counts(db)
    listed = {d["slug"]: d for d in body["datasets"]}
    assert sorted(listed) == sorted(served) and body["total"] == len(served)
    for slug, (version, rows, demo) in served.items():
        d = listed[slug]
        assert (d["version"], d["rows"], d["is_demo"]) == (version, rows, demo), slug
        assert d["status"] == ("demonstration" if demo else "official"), slug
        assert d["links"]["page"] == f"/donnees#jeu-{slug}"
        assert d["links"]["downloads"]["csv"] == f"/donnees/{slug}.csv"
        assert ("xlsx" in d["links"]["downloads"]) == (rows <= 100_000), slug
    assert any(d["is_demo"] for d in listed.values()) and not all(d["is_demo"] for d in listed.values())


def test_links_of_a_dataset_lead_somewhere(client):
    d = get_json(client, f"/api/v1/datasets/{SMALL}")
    for fmt, link in d["links"]["downloads"].items():
        assert client.get(link).status_code == 200, fmt
    for name in ("self", "versions", "records"):
        get_json(client, d["links"][name])
    assert f'id="jeu-{SMALL}"' in client.get("/donnees").get_data(as_text=True)


@pytest.mark.parametrize("theme", ["commerce", "education", "frequentation"])
def test_theme_filter(client, db, theme):
    with db.engine.connect() as conn:
        expected = sorted(conn.execute(text("SELECT slug FROM dataset WHERE theme = :t"), {"t": theme}).scalars())
    body = get_json(client, f"/api/v1/datasets?theme={theme}")
    assert sorted(d["slug"] for d in body["datasets"]) == expected and expected


@pytest.mark.parametrize("words", ["ecole", "ÉCOLES", "Écoles", "comptage piétons", "logements"])
def test_text_search_ignores_case_and_accents(client, words):
    def folded(s: str) -> str:
        return s.translate(ACCENTS).lower()

    expected = sorted(slug for slug, d in SHIPPED.items()
                      if all(any(folded(w) in folded(d[k]) for k in
                                 ("title_fr", "title_en", "description_fr", "description_en"))
                             for w in words.split()))
    body = get_json(client, "/api/v1/datasets?" + urlencode({"q": words}))
    assert sorted(d["slug"] for d in body["datasets"] if d["slug"] in SHIPPED) == expected
    if words in ("ecole", "ÉCOLES"):
        assert expected


def test_one_dataset_has_its_dictionary_history_and_uses(client, db):
    d = get_json(client, "/api/v1/datasets/commerces")
    assert [f["name"] for f in d["fields"]] == list(kinds_of("commerces"))
    assert [f["type"] for f in d["fields"]] == list(kinds_of("commerces").values())
    with db.engine.connect() as conn:
        published = conn.execute(text("SELECT version, row_count FROM dataset_version WHERE dataset_slug = 'commerces' "
                                      "AND status = 'published' ORDER BY version")).all()
    assert [(v["version"], v["rows"]) for v in d["versions"]] == [tuple(p) for p in published]
    assert get_json(client, "/api/v1/datasets/commerces/versions")["versions"] == d["versions"]
    assert d["uses"] and all(u["story"] == "/commerces" for u in d["uses"])
    assert d["is_demo"] is True and d["status"] == "demonstration"


# --- records ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("slug", SLUGS)
def test_records_total_is_the_versions_row_count(client, db, slug):
    version, rows, _ = served_row_counts(db)[slug]
    body = get_json(client, f"/api/v1/datasets/{slug}/records?per_page=1")
    assert (body["version"], body["total"]) == (version, rows)
    assert body["pages"] == rows and len(body["records"]) == min(rows, 1)
    assert list(body["records"][0]) == list(kinds_of(slug))


def test_paging_covers_every_row_exactly_once(client):
    rows = csv_download(client, SMALL)
    first = get_json(client, f"/api/v1/datasets/{SMALL}/records?per_page=5")
    assert first["pages"] == -(-len(rows) // 5) and first["links"]["prev"] is None
    assert_same_rows(every_record(client, f"/api/v1/datasets/{SMALL}/records?per_page=5"), rows)
    last = get_json(client, first["links"]["last"])
    assert last["links"]["next"] is None and len(last["records"]) == len(rows) - 5 * (first["pages"] - 1)
    assert get_json(client, last["links"]["prev"])["page"] == first["pages"] - 1


def commerce_filters(rows: list[dict[str, str]]) -> list[tuple[str, callable]]:
    """(query, predicate on a CSV row) pairs, the values taken from the data."""
    iris = max({r["code_iris"] for r in rows}, key=lambda c: sum(r["code_iris"] == c for r in rows))
    naf = sorted({r["code_naf"] for r in rows if r["code_naf"]})[:2]
    lon = rows[10]["longitude"]
    return [
        ("statut=vacant", lambda r: r["statut"] == "vacant"),
        (f"statut=vacant&code_iris={iris}", lambda r: r["statut"] == "vacant" and r["code_iris"] == iris),
        (f"code_naf={naf[0]},{naf[1]}", lambda r: r["code_naf"] in naf),
        (f"code_naf={naf[0]}&code_naf={naf[1]}", lambda r: r["code_naf"] in naf),
        ("date_fin=", lambda r: r["date_fin"] == ""),
        ("activite=,services", lambda r: r["activite"] in ("", "services")),
        (f"longitude={float(lon)}0", lambda r: r["longitude"] != "" and float(r["longitude"]) == float(lon)),
        ("type_exploitation=ind%C3%A9pendant&statut=occup%C3%A9",
         lambda r: r["type_exploitation"] == "indépendant" and r["statut"] == "occupé"),
    ]


def test_field_filters_equal_a_filter_of_the_csv(client):
    rows = csv_download(client, "commerces")
    for query, keep in commerce_filters(rows):
        expected = [r for r in rows if keep(r)]
        assert expected, query
        got = every_record(client, f"/api/v1/datasets/commerces/records?per_page=250&{query}")
        assert_same_rows(got, expected)


def test_numeric_filter_on_a_larger_dataset(client):
    rows = csv_download(client, "dvf")
    expected = [r for r in rows if r["type_local"] == "Appartement" and r["nombre_pieces_principales"] in ("2", "3")]
    got = every_record(client, "/api/v1/datasets/dvf/records?per_page=1000&type_local=Appartement"
                               "&nombre_pieces_principales=3,2")
    assert_same_rows(got, expected)


def python_sorted(rows: list[dict[str, str]], field: str, numeric: bool, descending: bool) -> list[dict[str, str]]:
    """Python's stable sort (stable with reverse too), rows without a value last."""
    present = [r for r in rows if r[field] != ""]
    key = (lambda r: float(r[field])) if numeric else (lambda r: r[field])
    return sorted(present, key=key, reverse=descending) + [r for r in rows if r[field] == ""]


@pytest.mark.parametrize("slug, sort, query", [
    ("commerces", "date_fin", ""), ("commerces", "-date_fin", ""), ("commerces", "longitude", ""),
    ("commerces", "-latitude", ""), ("commerces", "-date_debut", "statut=vacant"), ("commerces", "voie", ""),
    ("commerces", "-activite", ""), ("lycees-effectifs", "-nombre_d_eleves", ""),
    ("lycees-effectifs", "rentree_scolaire", ""), ("comptage-sites", "-site_name", ""),
])
def test_sort_order_is_pythons_stable_sort(client, slug, sort, query):
    rows = csv_download(client, slug)
    if query:
        name, value = query.split("=")
        rows = [r for r in rows if r[name] == value]
    field = sort.removeprefix("-")
    expected = python_sorted(rows, field, kinds_of(slug)[field] in ("integer", "number"), sort.startswith("-"))
    assert expected != rows  # the order does change something
    got = every_record(client, f"/api/v1/datasets/{slug}/records?per_page=400&sort={sort}&{query}")
    assert_same_rows(got, expected)


def test_numbers_sort_as_numbers_not_as_text(client):
    body = get_json(client, "/api/v1/datasets/lycees-effectifs/records?sort=nombre_d_eleves&per_page=1000")
    values = [r["nombre_d_eleves"] for r in body["records"] if r["nombre_d_eleves"] is not None]
    assert values == sorted(values) and sorted(map(str, values)) != [str(v) for v in values]


def test_a_past_version_answers_its_own_rows(client, db):
    slug = "lycees-effectifs"
    content, name = stored_file(db, slug)
    lines = content.splitlines(keepends=True)
    version = republish(db, slug, b"".join(lines[:-7]), name)  # the same file less its last 7 rows
    try:
        counts = {}
        for v in (version - 1, version):
            rows = list(csv.DictReader(io.StringIO(stored_file(db, slug, v)[0].decode("utf-8-sig")), delimiter=";"))
            with db.engine.connect() as conn:
                counts[v] = conn.execute(text("SELECT row_count FROM dataset_version WHERE dataset_slug = :s "
                                              "AND version = :v"), {"s": slug, "v": v}).scalar_one()
            r = client.get(f"/api/v1/datasets/{slug}/records?version={v}&per_page=1000")
            body = r.get_json()
            assert (body["version"], body["total"]) == (v, counts[v]) == (v, len(rows))
            assert_same_rows(body["records"], [{k: row[k] for k in kinds_of(slug)} for row in rows])
            assert body["links"]["self"].startswith(f"/api/v1/datasets/{slug}/records?version={v}&")
            assert r.headers["Cache-Control"].startswith("public")
        assert counts[version] == counts[version - 1] - 7
        latest = get_json(client, f"/api/v1/datasets/{slug}/records?per_page=1")
        assert (latest["version"], latest["total"]) == (version, counts[version])
        history = get_json(client, f"/api/v1/datasets/{slug}/versions")["versions"]
        assert [(h["version"], h["rows"], h["served"]) for h in history[-2:]] == [
            (version - 1, counts[version - 1], False), (version, counts[version], True)]
    finally:
        serve_again(db, slug, version - 1)
    assert get_json(client, f"/api/v1/datasets/{slug}/records?per_page=1")["version"] == version - 1


def test_page_one_of_the_largest_dataset_is_fast_once_cached(client):
    get_json(client, f"/api/v1/datasets/{LARGEST}/records")
    started = time.perf_counter()
    body = get_json(client, f"/api/v1/datasets/{LARGEST}/records")
    assert time.perf_counter() - started < 0.5
    assert len(body["records"]) == 100 and body["total"] > 100_000


def test_links_keep_the_filters_and_name_the_version(client):
    body = get_json(client, "/api/v1/datasets/commerces/records?statut=vacant&sort=-date_debut&per_page=10&page=2")
    for name in ("first", "last", "next", "prev"):
        query = parse_qs(urlsplit(body["links"][name]).query, keep_blank_values=True)
        assert query["statut"] == ["vacant"] and query["sort"] == ["-date_debut"] and query["per_page"] == ["10"]
        assert query["version"] == [str(body["version"])]
    assert parse_qs(urlsplit(body["links"]["next"]).query)["page"] == ["3"]
    assert "version" not in parse_qs(urlsplit(body["links"]["self"]).query)


# --- errors, methods, CORS -------------------------------------------------------------------------

FRENCH = {"de", "le", "la", "les", "un", "une", "pas", "ne", "aucun", "paramètre", "inconnu", "valeurs"}
BAD = [
    ("/api/v1/datasets/inconnu", 404, "inconnu"),
    ("/api/v1/datasets/inconnu/versions", 404, "inconnu"),
    ("/api/v1/datasets/inconnu/records", 404, "inconnu"),
    ("/api/v1/datasets/commerces/records?version=99", 404, "99"),
    ("/api/v1/datasets/commerces/records?version=deux", 400, "version"),
    ("/api/v1/datasets/commerces/records?page=0", 400, "page"),
    ("/api/v1/datasets/commerces/records?page=-1", 400, "page"),
    ("/api/v1/datasets/commerces/records?page=un", 400, "page"),
    ("/api/v1/datasets/commerces/records?page=99999", 404, "99999"),
    ("/api/v1/datasets/commerces/records?page=1&page=2", 400, "page"),
    ("/api/v1/datasets/commerces/records?per_page=0", 400, "1000"),
    ("/api/v1/datasets/commerces/records?per_page=1001", 400, "1000"),
    ("/api/v1/datasets/commerces/records?per_page=99999999999999999999999", 400, "1000"),
    ("/api/v1/datasets/commerces/records?sort=prix", 400, "date_debut"),
    ("/api/v1/datasets/commerces/records?sort=-prix", 400, "date_debut"),
    ("/api/v1/datasets/commerces/records?ville=Arras", 400, "statut"),
    ("/api/v1/datasets/commerces/records?statut=ferm%C3%A9", 400, "vacant"),
    ("/api/v1/datasets/commerces/records?longitude=est", 400, "longitude"),
    ("/api/v1/datasets/commerces/records?date_debut=01/03/2016", 400, "AAAA-MM-JJ"),
    ("/api/v1/datasets/lycees-effectifs/records?nombre_d_eleves=12.5", 400, "entier"),
    ("/api/v1/datasets?theme=sport", 400, "commerce"),
    ("/api/v1/datasets?tri=titre", 400, "theme"),
    ("/api/v1/datasets/commerces?lang=en", 400, "lang"),
    ("/api/v1/inconnu", 404, "/api/v1/inconnu"),
    ("/api/v1/datasets/commerces/records/1", 404, "/api/v1/"),
]


@pytest.mark.parametrize("path, status, mentions", BAD)
def test_a_bad_request_is_a_json_error_in_french_and_english(client, path, status, mentions):
    body = get_json(client, path, status)
    assert set(body) == {"error"} and body["error"]["status"] == status
    message, message_en = body["error"]["message"], body["error"]["message_en"]
    assert mentions in message and message != message_en
    assert FRENCH & set(re.findall(r"\w+", message.lower())), message


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
@pytest.mark.parametrize("path", ["/api/v1/", "/api/v1/datasets", "/api/v1/datasets/commerces/records",
                                  "/api/v1/openapi.json"])
def test_other_methods_are_a_json_405(client, method, path):
    r = client.open(path, method=method)
    assert r.status_code == 405 and r.mimetype == "application/json"
    assert r.get_json()["error"]["status"] == 405 and "GET" in r.headers["Allow"]
    assert r.headers["Access-Control-Allow-Origin"] == "*"


def test_cors_preflight_allows_get(client):
    r = client.options("/api/v1/datasets/commerces/records?statut=vacant", headers={
        "Origin": "https://example.org", "Access-Control-Request-Method": "GET",
        "Access-Control-Request-Headers": "accept"})
    assert 200 <= r.status_code < 300
    assert r.headers["Access-Control-Allow-Origin"] == "*"
    assert "GET" in r.headers["Access-Control-Allow-Methods"]


@pytest.mark.parametrize("path", ["/api/v1/", "/api/v1/datasets", "/api/v1/datasets/commerces",
                                  "/api/v1/datasets/commerces/versions", "/api/v1/datasets/commerces/records",
                                  "/api/v1/openapi.json"])
def test_successful_answers_are_public_and_cached(client, path):
    r = client.get(path, headers={"Origin": "https://example.org"})
    assert r.status_code == 200 and r.mimetype == "application/json"
    assert r.headers["Access-Control-Allow-Origin"] == "*"
    assert r.headers["Cache-Control"] == "public, max-age=300"


def test_head_answers_like_get_without_a_body(client):
    r = client.head("/api/v1/datasets")
    assert r.status_code == 200 and r.get_data() == b"" and r.headers["Access-Control-Allow-Origin"] == "*"

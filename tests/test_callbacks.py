"""Dash callbacks through the Flask test client, with the payload dash-renderer would send."""

from __future__ import annotations

import json

import pytest

from tests.helpers import parse_page
from webapp.charts import charts_of, load_all

FILTER_INPUTS = ["ecoles-niveau.value", "ecoles-secteur.value", "ecoles-quartier.value"]
ALL_LEVELS = ["ecole", "college", "lycee"]
load_all()
SCHOOL_CHARTS = [c.slug for c in charts_of("ecoles")]


def _parse_id(raw: str):
    return json.loads(raw) if raw.startswith("{") else raw


def _split_output(output: str) -> list[dict]:
    """dash-renderer's output string ('..a.x...b.y..' for several) into {id, property} objects."""
    parts = output[2:-2].split("...") if output.startswith("..") else [output]
    out = []
    for part in parts:
        ident, prop = part.rsplit(".", 1)
        out.append({"id": _parse_id(ident), "property": prop})
    return out


@pytest.fixture(scope="module")
def dependencies(server):
    r = server.test_client().get("/_dash-dependencies")
    assert r.status_code == 200
    return r.get_json()


@pytest.fixture(scope="module")
def filters_callback(dependencies):
    found = [d for d in dependencies
             if [f"{i['id']}.{i['property']}" for i in d["inputs"]] == FILTER_INPUTS
             and not d.get("clientside_function")]
    assert len(found) == 1, "one server callback takes the three filters"
    return found[0]


@pytest.fixture(scope="module")
def router_callback(dependencies):
    found = [d for d in dependencies if d["output"] == "page-content.children"]
    assert len(found) == 1
    assert [f"{i['id']}.{i['property']}" for i in found[0]["inputs"]] == ["url.pathname"]
    return found[0]


def _post(client, callback: dict, input_values: list, state_values: list, changed: list[str]):
    outputs = _split_output(callback["output"])
    payload = {
        "output": callback["output"],
        "outputs": outputs if len(outputs) > 1 or callback["output"].startswith("..") else outputs[0],
        "inputs": [dict(i, value=v) for i, v in zip(callback["inputs"], input_values)],
        "state": [dict(s, value=v) for s, v in zip(callback["state"], state_values)],
        "changedPropIds": changed,
    }
    return client.post("/_dash-update-component", data=json.dumps(payload), content_type="application/json")


def _update(client, callback, levels, sector, quartier, search=""):
    r = _post(client, callback, [levels, sector, quartier], [search], ["ecoles-secteur.value"])
    return r


def _key(ident) -> str:
    return json.dumps(ident, sort_keys=True, separators=(",", ":")) if isinstance(ident, dict) else ident


def test_filters_callback_updates_every_chart(client, filters_callback):
    r = _update(client, filters_callback, ALL_LEVELS, "tous", "tous")
    assert r.status_code == 200
    response = r.get_json()["response"]
    expected = {_key(o["id"]) for o in _split_output(filters_callback["output"])}
    assert {_key(_parse_id(k)) for k in response} == expected
    for slug in SCHOOL_CHARTS:
        store = response[_key({"type": "chart-figure", "slug": slug})]["data"]
        assert store["figure"]["layout"]["separators"] == ",\u202f"
        assert store["figure"]["data"] or store["figure"]["layout"].get("annotations")
        assert store["config"]["locale"] == "fr"
        summary = response[f"{slug}-summary"]["children"]
        assert isinstance(summary, str) and len(summary) > 20
        assert response[f"{slug}-csv"]["href"] == f"/embed/{slug}.csv"


def test_private_sector_changes_summaries_and_links(client, filters_callback):
    default = _update(client, filters_callback, ALL_LEVELS, "tous", "tous").get_json()["response"]
    private = _update(client, filters_callback, ALL_LEVELS, "prive", "tous").get_json()["response"]
    assert private["ecoles-carte-summary"]["children"] != default["ecoles-carte-summary"]["children"]
    assert private["ecoles-brevet-summary"]["children"] != default["ecoles-brevet-summary"]["children"]
    for slug in SCHOOL_CHARTS:
        assert private[f"{slug}-csv"]["href"] == f"/embed/{slug}.csv?secteur=prive"

    def markers(resp):
        fig = resp[_key({"type": "chart-figure", "slug": "ecoles-carte"})]["data"]["figure"]
        return sum(len(t["x"]) for t in fig["data"] if t.get("mode") == "markers")

    assert 0 < markers(private) < markers(default)


def test_filters_callback_matches_the_csv(client, filters_callback):
    """The chart store a filter produces draws the collèges of that filter's CSV, and only those."""
    resp = _update(client, filters_callback, ["college"], "prive", "tous").get_json()["response"]
    store = resp[_key({"type": "chart-figure", "slug": "ecoles-brevet"})]["data"]
    drawn = {row[0] for trace in store["figure"]["data"] for row in trace["customdata"]}
    csv_text = client.get("/embed/ecoles-brevet.csv?niveau=college&secteur=prive").get_data(as_text=True)
    names = {line.split(",")[0] for line in csv_text.lstrip("\ufeff").splitlines()[1:]}
    assert names
    assert names <= drawn
    everyone = client.get("/embed/ecoles-brevet.csv").get_data(as_text=True)
    public = {line.split(",")[0] for line in everyone.lstrip("\ufeff").splitlines()[1:]} - names
    assert public and not (public & drawn)
    assert resp["ecoles-brevet-csv"]["href"] == "/embed/ecoles-brevet.csv?niveau=college&secteur=prive"


def test_filters_callback_in_english(client, filters_callback):
    resp = _update(client, filters_callback, ALL_LEVELS, "tous", "tous", "?lang=en").get_json()["response"]
    store = resp[_key({"type": "chart-figure", "slug": "ecoles-ips"})]["data"]
    assert store["figure"]["layout"]["separators"] == ".,"
    assert resp["ecoles-carte-summary"]["children"].startswith("The map")
    assert resp["ecoles-carte-csv"]["href"] == "/embed/ecoles-carte.csv?lang=en"


@pytest.mark.parametrize(
    ("levels", "sector", "quartier"),
    [([], "tous", "tous"), (None, "tous", "tous"), (["xx"], "tous", "tous"), (ALL_LEVELS, "autre", "tous"),
     (ALL_LEVELS, "tous", "999"), (ALL_LEVELS, None, "tous"), ("ecole", "tous", "tous"), ([1, 2], "tous", "tous")],
)
def test_filters_callback_ignores_bad_values(client, filters_callback, levels, sector, quartier):
    r = _update(client, filters_callback, levels, sector, quartier)
    assert r.status_code == 204  # PreventUpdate: the charts keep their last view


def test_router_returns_the_page_layout(client, router_callback):
    r = _post(client, router_callback, ["/ecoles"], [""], ["url.pathname"])
    assert r.status_code == 200
    tree = r.get_json()["response"]["page-content"]["children"]
    h1 = _first_h1(tree)
    prerendered = [h["text"] for h in parse_page(client.get("/ecoles").get_data(as_text=True)).h1]
    assert h1 and [h1] == prerendered
    dumped = json.dumps(tree)
    assert "ecoles-niveau" in dumped and "ecoles-secteur" in dumped and "ecoles-quartier" in dumped


def test_router_keeps_the_query(client, router_callback):
    r = _post(client, router_callback, ["/ecoles"], ["?niveau=college&lang=en"], ["url.pathname"])
    tree = r.get_json()["response"]["page-content"]["children"]
    prerendered = parse_page(client.get("/ecoles?niveau=college&lang=en").get_data(as_text=True)).h1
    assert _first_h1(tree) == prerendered[0]["text"]
    levels = _find_by_id(tree, "ecoles-niveau")
    assert levels["props"]["value"] == ["college"]


def test_router_returns_the_404_layout(client, router_callback):
    r = _post(client, router_callback, ["/page-inconnue"], [""], ["url.pathname"])
    assert r.status_code == 200
    tree = r.get_json()["response"]["page-content"]["children"]
    assert _first_h1(tree) == "Page introuvable"
    hrefs = set(_hrefs(tree))
    assert {"/", "/ecoles", "/donnees"} <= hrefs


def test_router_returns_the_400_layout(client, router_callback):
    r = _post(client, router_callback, ["/ecoles"], ["?secteur=autre"], ["url.pathname"])
    assert r.status_code == 200
    dumped = json.dumps(r.get_json()["response"]["page-content"]["children"], ensure_ascii=False)
    assert "« secteur »" in dumped


@pytest.mark.parametrize("body", [b"", b"null", b"[]", b"{}", b'{"output": "nope.children", "inputs": []}',
                                  b'{"output": "page-content.children", "inputs": "x"}', b"not json"])
def test_malformed_callback_requests_are_not_500(client, body):
    r = client.post("/_dash-update-component", data=body, content_type="application/json")
    assert 400 <= r.status_code < 500


def _walk(node):
    if isinstance(node, dict):
        yield node
        props = node.get("props", {})
        yield from _walk(props.get("children"))
    elif isinstance(node, list):
        for n in node:
            yield from _walk(n)


def _first_h1(tree) -> str | None:
    for node in _walk(tree):
        if node.get("type") == "H1":
            return node["props"]["children"]
    return None


def _find_by_id(tree, ident):
    for node in _walk(tree):
        if node.get("props", {}).get("id") == ident:
            return node
    raise AssertionError(f"no component {ident}")


def _hrefs(tree):
    return [n["props"]["href"] for n in _walk(tree) if n.get("type") == "A" and "href" in n.get("props", {})]

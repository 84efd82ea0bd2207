"""The housing story over HTTP: the page, its filters, honest medians, gaps, the map's indicators, widgets."""

from __future__ import annotations

import csv
import io
import statistics
import time

import pytest

from tests.helpers import (
    SOURCES,
    read_source_csv,
    read_source_json,
    republish,
    serve_again,
    stored_file,
)
from webapp.charts import housing as hc
from webapp.data.importers.housing import MIN_SALES

CODES = sorted(f["properties"]["CODE_IRIS"] for f in read_source_json("geo/iris-2020-arras-62041.geojson")["features"])
NAMES = {f["properties"]["CODE_IRIS"]: f["properties"]["NOM_IRIS"]
         for f in read_source_json("geo/iris-2020-arras-62041.geojson")["features"]}


def widget_json(client, slug: str, query: str = "") -> dict:
    r = client.get(f"/embed/{slug}.json" + (f"?{query}" if query else ""))
    assert r.status_code == 200, r.text
    return r.get_json()


def census_rows() -> dict[str, dict[str, float]]:
    """The demo census file read with the csv module (not the app's reader)."""
    rows = read_source_csv("housing/demo-base-ic-logement-2019-arras.csv")
    return {r["IRIS"]: {k: float(v) for k, v in r.items() if k.startswith("P19_")} for r in rows}


# --- the page --------------------------------------------------------------------------------------

def test_the_page_tells_the_story_in_french_and_says_its_data_is_demo(client):
    r = client.get("/logement")
    assert r.status_code == 200
    page = r.text
    assert "<h1>Le logement d&#39;Arras, quartier par quartier</h1>" in page
    assert "Données de démonstration" in page and "données de démonstration" in page  # the banner and the source lines
    for slug in ("logement-prix", "logement-ventes", "logement-carte", "logement-parc"):
        assert f'id="{slug}"' in page
    assert "Choisissez un quartier" in page
    assert 'href="/logement"' in client.get("/ecoles").text  # in the site's navigation


def test_the_page_in_english(client):
    r = client.get("/logement?lang=en&quartier=" + CODES[0])
    assert r.status_code == 200
    assert "Housing in Arras, neighbourhood by neighbourhood" in r.text
    assert "My neighbourhood" in r.text and NAMES[CODES[0]] in r.text


@pytest.mark.parametrize("query, name, allowed", [
    ("type=villa", "type", "appartement, maison, tous"),
    ("debut=1999", "debut", "2016, 2017"),
    ("fin=abc", "fin", "2024, 2025"),
    ("quartier=620419999", "quartier", CODES[0]),
    ("indicateur=loyers", "indicateur", "prix, ventes, vacance, hlm, revenu"),
])
def test_a_bad_filter_is_a_400_naming_the_allowed_values(client, query, name, allowed):
    r = client.get("/logement?" + query)
    assert r.status_code == 400
    assert f"Le paramètre « {name} »" in r.text and allowed in r.text
    w = client.get("/embed/logement-carte.json?" + query)
    assert w.status_code == 400 and allowed in w.text


def test_a_span_given_backwards_is_read_the_right_way_round(client):
    backwards = widget_json(client, "logement-ventes", "debut=2021&fin=2018")
    forwards = widget_json(client, "logement-ventes", "debut=2018&fin=2021")
    assert backwards["rows"] == forwards["rows"]
    assert sorted({row[2] for row in forwards["rows"]}) == ["2018", "2019", "2020", "2021"]


# --- honest medians ---------------------------------------------------------------------------------

def _few_sales_cell(db):
    """A quartier, type and year with some sales but fewer than the minimum (found in the store)."""
    return db.query_df(
        "SELECT p.iris_code, p.dwelling_type, p.year_from, p.sales FROM housing_price p "
        "JOIN build b ON b.id = p.build_id AND b.grp = 'logement' "
        "WHERE p.iris_code <> '' AND p.dwelling_type <> 'tous' AND p.year_from = p.year_to "
        "AND p.sales > 0 AND p.priced < :min ORDER BY b.id DESC, p.iris_code LIMIT 1",
        {"min": MIN_SALES},
    ).iloc[0]


def test_a_median_from_fewer_than_five_sales_is_not_drawn_and_the_chart_says_why(client, db):
    cell = _few_sales_cell(db)
    year = int(cell["year_from"])
    body = widget_json(client, "logement-prix", f"quartier={cell['iris_code']}&type={cell['dwelling_type']}")
    name = NAMES[cell["iris_code"]]
    assert f"moins de {MIN_SALES} ventes" in body["summary"]
    assert str(year) in body["summary"]
    row = next(r for r in body["rows"] if r[0] == name and r[2] == str(year))
    assert row[3] == int(cell["sales"]) and row[4] is None  # sales shown, no median
    figure = client.get(f"/embed/logement-prix?quartier={cell['iris_code']}&type={cell['dwelling_type']}")
    assert figure.status_code == 200


def test_the_town_median_is_the_median_of_the_towns_sales_without_outliers(client):
    # Recomputed here from the demo file with the csv module and the documented rules.
    rows = read_source_csv("housing/demo-dvf-arras-2016-2025.csv", sep=",")
    mutations: dict[str, list[dict]] = {}
    for r in rows:
        mutations.setdefault(r["id_mutation"], []).append(r)
    prices: dict[str, list[float]] = {}
    for rs in mutations.values():
        flats = {(r["id_parcelle"], r["surface_reelle_bati"]): r for r in rs if r["type_local"] == "Appartement"}
        others = [r for r in rs if r["type_local"] in ("Maison", "Local industriel. commercial ou assimilé")]
        if rs[0]["nature_mutation"] != "Vente" or not flats or others or len({r["valeur_fonciere"] for r in rs}) != 1:
            continue
        surface = sum(float(r["surface_reelle_bati"]) for r in flats.values())
        prices.setdefault(rs[0]["date_mutation"][:4], []).append(float(rs[0]["valeur_fonciere"]) / surface)
    body = widget_json(client, "logement-prix", "type=appartement")
    town = {r[2]: r for r in body["rows"] if r[0] == "Arras"}
    set_aside = 0
    for year, values in prices.items():
        q1, _, q3 = statistics.quantiles(values, n=4, method="inclusive")
        kept = [p for p in values if q1 - 3 * (q3 - q1) <= p <= q3 + 3 * (q3 - q1)]
        set_aside += len(values) - len(kept)
        assert town[year][3] == len(values), year
        assert town[year][4] == pytest.approx(statistics.median(kept)), year
    assert set_aside > 0  # the demo has off-market sales, and they were left out of the medians


def test_a_year_missing_from_the_file_is_a_gap_not_a_zero(client, db, settings):
    content, name = stored_file(db, "dvf")
    before = widget_json(client, "logement-ventes")
    served = int(db.scalar("SELECT version FROM dataset WHERE slug = 'dvf'"))
    lines = content.decode("utf-8").splitlines(keepends=True)
    header, body = lines[0], lines[1:]
    without_2019 = header + "".join(line for line in body if not line.split(",")[1].startswith("2019-"))
    assert 0 < without_2019.count("\n") < len(lines) - 500
    republish(db, "dvf", without_2019.encode("utf-8"), name)
    time.sleep(settings.widget_version_ttl + 0.2)  # widgets trust their data version for that long
    try:
        sales = widget_json(client, "logement-ventes")
        assert "Pas de données pour 2019" in sales["summary"]
        assert all(r[3] == 0 for r in sales["rows"] if r[2] == "2019")
        figure = client.get("/embed/logement-ventes").text
        assert "pas de données" in figure
        prices = widget_json(client, "logement-prix")
        assert all(r[4] is None for r in prices["rows"] if r[2] == "2019")
        assert all(r[4] is not None for r in prices["rows"] if r[0] == "Arras" and r[2] == "2018")
        assert "La courbe s'interrompt" in prices["summary"]
    finally:
        serve_again(db, "dvf", served)
    time.sleep(settings.widget_version_ttl + 0.2)
    assert widget_json(client, "logement-ventes")["rows"] == before["rows"]


# --- the map and the census ------------------------------------------------------------------------

def test_the_vacancy_map_is_the_census_share_of_each_iris(client):
    census = census_rows()
    body = widget_json(client, "logement-carte", "indicateur=vacance")
    values = {name: value for name, value in body["rows"]}
    for code, row in census.items():
        assert values[NAMES[code]] == pytest.approx(row["P19_LOGVAC"] / row["P19_LOG"] * 100)
    town = sum(r["P19_LOGVAC"] for r in census.values()) / sum(r["P19_LOG"] for r in census.values()) * 100
    assert f"Arras : {hc.fmt_percent(town, 'fr')}" in body["summary"]


def test_the_income_map_is_insees_published_median(client):
    lines = (SOURCES / "geo" / "filosofi-2019-revenus-declares-iris-dep62.csv").read_text(encoding="utf-8-sig").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("IRIS;LIBIRIS;"))
    published = {r["IRIS"]: r["DEC_MED19"] for r in csv.DictReader(io.StringIO("\n".join(lines[start:])), delimiter=";")
                 if r["IRIS"] in NAMES}
    body = widget_json(client, "logement-carte", "indicateur=revenu")
    values = {name: value for name, value in body["rows"]}
    for code, raw in published.items():
        expected = float(raw.replace(",", ".")) if raw else None
        assert values[NAMES[code]] == (pytest.approx(expected) if expected is not None else None), code


def test_the_map_names_its_quartiers_and_marks_the_chosen_one(client):
    figure = widget_json(client, "logement-carte", f"quartier={CODES[3]}")
    assert sorted(name for name, _ in figure["rows"]) == sorted(NAMES.values())
    page = client.get(f"/embed/logement-carte.json?quartier={CODES[3]}").get_json()
    assert page["parameters"]["quartier"] == CODES[3]


def test_the_stock_chart_adds_up_the_census(client):
    census = census_rows()
    body = widget_json(client, "logement-parc")
    total = sum(r["P19_LOG"] for r in census.values())
    assert f"{hc.fmt_number(total, 'fr')} logements" in body["summary"]
    town = {r[1]: r for r in body["rows"] if r[0] == "Arras"}
    assert town["Logements vacants"][2] == pytest.approx(sum(r["P19_LOGVAC"] for r in census.values()))
    assert town["Maisons"][3] + town["Appartements"][3] == pytest.approx(100)


# --- "mon quartier" ------------------------------------------------------------------------------------

def test_mon_quartier_compares_a_quartier_with_the_town(client):
    code = CODES[5]
    r = client.get(f"/logement?quartier={code}")
    assert r.status_code == 200
    census = census_rows()[code]
    vacancy = hc.fmt_percent(census["P19_LOGVAC"] / census["P19_LOG"] * 100, "fr")
    assert f"{vacancy} sont vacants" in r.text
    assert "la médiane de la ville" in r.text
    assert "plus élevé des" in r.text  # its rank among the quartiers for income


def test_the_csv_of_a_widget_has_french_headers_and_the_rows(client):
    r = client.get("/embed/logement-ventes.csv?type=maison")
    assert r.status_code == 200
    rows = list(csv.reader(io.StringIO(r.data.decode("utf-8-sig")), delimiter=";" if ";" in r.text[:80] else ","))
    assert rows[0][:4] == ["Lieu", "Type", "Année", "Ventes"]
    assert {row[1] for row in rows[1:]} == {"Maisons"}


def test_demo_labels_go_when_an_editor_publishes_the_real_file_and_come_back_on_rollback(client, db, settings):
    catalogue = {d["slug"]: d for d in read_source_json("catalogue.json")["datasets"]}
    demo_title = f"« {catalogue['dvf']['title_fr']} »"
    served = int(db.scalar("SELECT version FROM dataset WHERE slug = 'dvf'"))
    sources = {s["title"]: s for s in widget_json(client, "logement-ventes")["sources"]}
    assert sources[catalogue["dvf"]["title_fr"]]["demo"] is True
    assert sources[catalogue["dvf"]["title_fr"]]["producer"] == catalogue["dvf"]["demo"]["producer"]
    assert demo_title in client.get("/logement").text
    content, _ = stored_file(db, "dvf")
    republish(db, "dvf", content, "dvf-62041.csv")  # as an editor does: a file that is not demo data
    time.sleep(settings.widget_version_ttl + 0.2)
    try:
        source = widget_json(client, "logement-ventes")["sources"][0]
        assert source["demo"] is False and source["producer"] == catalogue["dvf"]["producer"]
        page = client.get("/logement").text
        assert demo_title not in page
        assert f"« {catalogue['logement-iris']['title_fr']} »" in page  # the census is still demo data
        assert catalogue["dvf"]["description_fr"].replace("'", "&#39;") in client.get("/donnees").text
    finally:
        serve_again(db, "dvf", served)
    time.sleep(settings.widget_version_ttl + 0.2)
    assert widget_json(client, "logement-ventes")["sources"][0]["demo"] is True
    assert demo_title in client.get("/logement").text

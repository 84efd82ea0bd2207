"""The commerce observatory over HTTP: the page, its filters, figures recomputed from the served
inventory with the csv module, the survey's first year, Sirene only town-wide, a refused upload, and
the hypercentre setting followed by the cached views.

The served inventory is read here with Python's csv module and dates, and each unit's state at a
year-end is worked out with the schema's rules (a period covers 31 December of year Y when it starts
on or before that day and ends after it, or has no end; an occupied period wins over a vacant one),
never with the importer's code.
"""

from __future__ import annotations

import csv
import io
import math
import time
from collections import Counter
from datetime import date, datetime, timedelta

import pytest

from tests.helpers import republish, second_app, serve_again, stored_file
from webapp.charts import REGISTRY
from webapp.charts.commerce import CATEGORY_LABELS

CHARTS = ("commerces-vacance", "commerces-flux", "commerces-activites", "commerces-carte", "commerces-frequentation")
HYPER_NAME, REST_NAME, TOWN_NAME = "L'hypercentre", "Hors de l'hypercentre", "Toute la ville"
OTHER_HYPERCENTRE = ("620410601", "620411201")  # Préfecture and another IRIS, for the setting test


def widget_json(client, slug: str, query: str = "") -> dict:
    r = client.get(f"/embed/{slug}.json" + (f"?{query}" if query else ""))
    assert r.status_code == 200, r.text
    return r.get_json()


def a_date(text: str) -> date | None:
    """JJ/MM/AAAA as the demo file has it (AAAA-MM-JJ also allowed by the schema); empty -> None."""
    if not text:
        return None
    return datetime.strptime(text, "%d/%m/%Y").date() if "/" in text else date.fromisoformat(text)


def read_periods(content: bytes) -> list[dict]:
    rows = csv.DictReader(io.StringIO(content.decode("utf-8-sig")), delimiter=";")
    return [r | {"start": a_date(r["date_debut"]), "end": a_date(r["date_fin"])} for r in rows]


@pytest.fixture(scope="module")
def periods(db) -> list[dict]:
    """The served inventory's rows, read with the csv module."""
    content, name = stored_file(db, "commerces")
    assert name.endswith(".csv")
    return read_periods(content)


def year_end(periods: list[dict], year: int) -> dict[str, dict]:
    """Each unit's period under way on 31 December of `year` (the occupied one if two cover it)."""
    day = date(year, 12, 31)
    state: dict[str, dict] = {}
    for r in periods:
        if r["start"] <= day and (r["end"] is None or r["end"] > day):
            unit = r["id_cellule"]
            if unit not in state or state[unit]["statut"] == "vacant":
                state[unit] = r
    return state


def in_area(row: dict, perimeter: str, hyper: tuple[str, ...]) -> bool:
    inside = row["code_iris"] in hyper
    return {"commune": True, "hypercentre": inside, "hors-hypercentre": not inside}[perimeter]


def stock(periods, year: int, perimeter: str, hyper: tuple[str, ...]) -> tuple[int, int]:
    """(units, vacant units) of a perimeter at a year-end."""
    units = [r for r in year_end(periods, year).values() if in_area(r, perimeter, hyper)]
    return len(units), sum(r["statut"] == "vacant" for r in units)


def flows(periods, year: int, perimeter: str, hyper: tuple[str, ...]) -> tuple[int, int]:
    """(openings, closures) of a perimeter in a year: occupied periods starting, occupied periods ending."""
    occupied = [r for r in periods if r["statut"] == "occupé" and in_area(r, perimeter, hyper)]
    return (sum(r["start"].year == year for r in occupied),
            sum(r["end"] is not None and r["end"].year == year for r in occupied))


def first_year_end(periods) -> int:
    """The survey's state: the end of the year before the earliest closing the file records."""
    return min(r["end"] for r in periods if r["end"]).year - 1


def vacancy_rows(body: dict) -> dict[tuple[int, str], tuple[int, int, float | None]]:
    return {(int(r[0]), r[1]): (r[2], r[3], r[4]) for r in body["rows"]}


def french_decimal(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")


# --- the page --------------------------------------------------------------------------------------

def test_the_page_in_french_says_its_data_is_demo_and_has_five_charts(client):
    r = client.get("/commerces")
    assert r.status_code == 200
    assert "Données de démonstration" in r.text
    for slug in CHARTS:
        assert f'id="{slug}"' in r.text
    assert 'href="/commerces"' in client.get("/").text


@pytest.mark.parametrize("query, name, allowed", [
    ("annee=1999", "annee", "2015, 2016, 2017"),
    ("annee=deux-mille", "annee", "2024, 2025"),
    ("perimetre=centre", "perimetre", "commune, hypercentre, hors-hypercentre"),
])
def test_a_bad_filter_is_a_400_naming_the_parameter_and_the_allowed_values(client, query, name, allowed):
    r = client.get("/commerces?" + query)
    assert r.status_code == 400
    assert f"Le paramètre « {name} »" in r.text and allowed in r.text
    w = client.get("/embed/commerces-activites.json?" + query)
    message = w.get_json()["error"]["message"]
    assert w.status_code == 400 and f"« {name} »" in message and allowed in message


# --- figures recomputed from the served inventory ---------------------------------------------------

@pytest.mark.parametrize("year", [2015, 2019, 2025])
def test_vacancy_at_a_year_end_in_and_outside_the_hypercentre(client, settings, periods, year):
    hyper = tuple(settings.hypercentre_iris)
    rows = vacancy_rows(widget_json(client, "commerces-vacance"))
    for perimeter, name in (("hypercentre", HYPER_NAME), ("hors-hypercentre", REST_NAME), ("commune", TOWN_NAME)):
        units, vacant = stock(periods, year, perimeter, hyper)
        assert units > 0 and 0 < vacant < units, (perimeter, year)
        shown = rows[(year, name)]
        assert shown[:2] == (units, vacant), (perimeter, year)
        assert shown[2] == pytest.approx(vacant / units)


def test_the_vacancy_summary_gives_the_hypercentre_rate_at_the_last_year_end(client, settings, periods):
    hyper = tuple(settings.hypercentre_iris)
    body = widget_json(client, "commerces-vacance")
    last = max(int(r[0]) for r in body["rows"])
    units, vacant = stock(periods, last, "hypercentre", hyper)
    assert f"fin {last}" in body["summary"]
    assert french_decimal(vacant / units * 100) in body["summary"]


@pytest.mark.parametrize("perimeter", ["hypercentre", "hors-hypercentre", "commune"])
def test_openings_and_closures_of_each_year(client, settings, periods, perimeter):
    hyper = tuple(settings.hypercentre_iris)
    body = widget_json(client, "commerces-flux", f"perimetre={perimeter}")
    assert body["rows"]
    for row in body["rows"]:
        year = int(row[0])
        assert (row[1], row[2]) == flows(periods, year, perimeter, hyper), (perimeter, year)
    busy = [r for r in body["rows"] if r[1] or r[2]]
    assert len(busy) >= len(body["rows"]) - 1  # the figures are not all zeros


def test_the_flows_start_the_year_after_the_surveys_state(client, periods):
    first = first_year_end(periods)
    last = max(max(r["start"] for r in periods), max(r["end"] for r in periods if r["end"])).year
    vacancy_years = sorted({int(r[0]) for r in widget_json(client, "commerces-vacance")["rows"]})
    assert vacancy_years == list(range(first, last + 1))
    for perimeter in ("commune", "hypercentre"):
        flow_years = [int(r[0]) for r in widget_json(client, "commerces-flux", f"perimetre={perimeter}")["rows"]]
        assert flow_years == list(range(first + 1, last + 1)), perimeter


def test_sirene_creations_are_shown_for_the_whole_town_only(client, db):
    town = widget_json(client, "commerces-flux", "perimetre=commune")
    assert town["columns"][-1] == "Créations Sirene" and len(town["columns"]) == 4
    assert "Sirene" in town["summary"]
    assert all(isinstance(r[3], int) for r in town["rows"]) and sum(r[3] for r in town["rows"]) > 0
    # Sirene's file has no IRIS: no creations line for a part of the town.
    for perimeter in ("hypercentre", "hors-hypercentre"):
        part = widget_json(client, "commerces-flux", f"perimetre={perimeter}")
        assert len(part["columns"]) == 3 and "Créations Sirene" not in part["columns"], perimeter
        assert "Sirene" not in part["summary"], perimeter
    # The creations of a year: the establishments created that year whose activity is in the scope the
    # importer's documentation gives, counted from the raw Sirene file.
    content, _ = stored_file(db, "sirene-etablissements")
    created = Counter(r["dateCreationEtablissement"][:4]
                      for r in csv.DictReader(io.StringIO(content.decode("utf-8-sig")))
                      if r["nomenclatureActivitePrincipaleEtablissement"] == "NAFRev2"
                      and in_commerce_scope(r["activitePrincipaleEtablissement"]))
    shown = {int(r[0]): r[3] for r in town["rows"]}
    for year, count in shown.items():
        assert count == created[str(year)], year


def in_commerce_scope(naf: str) -> bool:
    """Retail but fuel, market stalls and distance selling; craft food shops; hotels, restaurants, cafés;
    hairdressers, beauty and body care, dry cleaners, shoe and watch repair, travel agencies."""
    if naf.startswith("47."):
        return not naf.startswith(("47.30", "47.8", "47.9"))
    return naf.startswith(("10.13B", "10.71C", "10.71D", "55.10", "56.10", "56.30", "96.02", "96.04", "96.01B",
                           "95.23", "95.25", "79.11"))


@pytest.mark.parametrize("year, perimeter", [(2016, "hypercentre"), (2020, "hors-hypercentre"), (2025, "commune")])
def test_businesses_per_activity_and_share_of_independents(client, settings, periods, year, perimeter):
    hyper = tuple(settings.hypercentre_iris)
    open_ = [r for r in year_end(periods, year).values() if r["statut"] == "occupé" and in_area(r, perimeter, hyper)]
    per_category = Counter(r["activite"] for r in open_)
    independents = Counter(r["activite"] for r in open_ if r["type_exploitation"] == "indépendant")
    body = widget_json(client, "commerces-activites", f"annee={year}&perimetre={perimeter}")
    labels = {CATEGORY_LABELS[c]: c for c in per_category}  # the French labels
    shown = {labels[r[0]]: r for r in body["rows"]}
    assert set(shown) == set(per_category)
    total = len(open_)
    for category, count in per_category.items():
        _, businesses, part, independent = shown[category]
        assert businesses == count, category
        assert part == pytest.approx(count / total)
        assert independent == pytest.approx(independents[category] / count)
    assert [r[1] for r in body["rows"]] == sorted((r[1] for r in body["rows"]), reverse=True)
    share = sum(independents.values()) / total * 100
    assert f"Fin {year}" in body["summary"]
    assert f"{french_decimal(share)}" in body["summary"] and "indépendants" in body["summary"]


@pytest.mark.parametrize("year", [2017, 2024])
def test_the_maps_table_counts_each_streets_vacant_units(client, periods, year):
    state = year_end(periods, year)
    assert all(r["longitude"] and r["latitude"] for r in state.values())  # every unit is drawn
    units = Counter(r["voie"] for r in state.values())
    vacant = Counter(r["voie"] for r in state.values() if r["statut"] == "vacant")
    body = widget_json(client, "commerces-carte", f"annee={year}")
    shown = {r[0]: r for r in body["rows"]}
    assert set(shown) == set(units)
    for street in units:
        assert shown[street][1:3] == [units[street], vacant[street]], street
        assert shown[street][3] == pytest.approx(vacant[street] / units[street])
    most = max((vacant[s], units[s]) for s in vacant)
    assert (body["rows"][0][2], body["rows"][0][1]) == most  # the street with the most vacant units first
    assert f"{body['rows'][0][0]} ({most[0]})" in body["summary"]


def test_the_units_around_each_counting_point(client, db, periods):
    content, _ = stored_file(db, "comptage-sites")
    sites = {r["site_name"]: (float(r["xlong"]), float(r["ylat"]))
             for r in csv.DictReader(io.StringIO(content.decode("utf-8-sig")))}
    year = 2025
    state = year_end(periods, year)
    body = widget_json(client, "commerces-frequentation", f"annee={year}")
    assert body["rows"]
    for name, _per_day, units, vacant, rate in body["rows"]:
        lon0, lat0 = sites[name]
        near, doubtful = [], 0
        for r in state.values():
            metres = haversine(lon0, lat0, float(r["longitude"].replace(",", ".")), float(r["latitude"].replace(",", ".")))
            doubtful += abs(metres - 150) < 0.1  # the app measures on a plane (centimetres off): not at the edge
            if metres <= 150:
                near.append(r)
        count = len(near)
        assert abs(units - count) <= doubtful, name
        if not doubtful:
            assert vacant == sum(r["statut"] == "vacant" for r in near), name
        assert rate == pytest.approx(vacant / units)


def haversine(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6_371_000 * math.asin(math.sqrt(a))


# --- bad input ---------------------------------------------------------------------------------------

def test_an_inventory_with_overlapping_periods_is_refused_and_the_served_one_stays(client, db):
    from webapp.data import publishing

    content, name = stored_file(db, "commerces")
    text = content.decode("utf-8-sig")
    lines = text.splitlines()
    header = lines[0].split(";")
    col = {c: i for i, c in enumerate(header)}
    by_unit: dict[str, list[int]] = {}
    for i, line in enumerate(lines[1:], start=2):  # file line numbers: the header is line 1
        by_unit.setdefault(line.split(";")[col["id_cellule"]], []).append(i)
    unit, (first, second) = next((u, ls) for u, ls in by_unit.items() if len(ls) == 2)
    cells_1, cells_2 = lines[first - 1].split(";"), lines[second - 1].split(";")
    end_1 = a_date(cells_1[col["date_fin"]])
    assert end_1 == a_date(cells_2[col["date_debut"]])  # the second period starts when the first ends
    assert a_date(cells_1[col["date_debut"]]) < end_1 - timedelta(days=30)
    cells_2[col["date_debut"]] = (end_1 - timedelta(days=30)).strftime("%d/%m/%Y")  # a month of overlap
    lines[second - 1] = ";".join(cells_2)
    bad = ("\r\n".join(lines) + "\r\n").encode("utf-8-sig")

    served = int(db.scalar("SELECT version FROM dataset WHERE slug = 'commerces'"))
    count = db.scalar("SELECT COUNT(*) FROM dataset_version WHERE dataset_slug = 'commerces'")
    before = widget_json(client, "commerces-vacance")
    with pytest.raises(publishing.Rejected) as refused:
        publishing.stage(db, "commerces", bad, name, "test")
    problems = refused.value.report.problems
    assert [(p.line, p.column) for p in problems] == [(second, "date_debut")]
    assert f"(ligne {first})" in problems[0].rule_fr and f"« {unit} »" in problems[0].rule_fr
    assert f"ligne {second}" in refused.value.report.text("fr")
    assert db.scalar("SELECT COUNT(*) FROM dataset_version WHERE dataset_slug = 'commerces'") == count
    assert int(db.scalar("SELECT version FROM dataset WHERE slug = 'commerces'")) == served
    assert stored_file(db, "commerces")[0] == content
    assert widget_json(client, "commerces-vacance")["rows"] == before["rows"]


# --- the hypercentre is a setting ------------------------------------------------------------------

def test_the_cached_views_follow_the_hypercentre_setting(server, settings, periods, monkeypatch):
    chart = REGISTRY["commerces-vacance"]
    mix = REGISTRY["commerces-activites"]
    year = 2022
    with server.test_request_context("/embed/commerces-vacance.json"):
        params = chart.parse({"annee": str(year), "perimetre": "hypercentre"})
        before = vacancy_rows({"rows": chart.view(params, "fr")["table"]["raw"]})
        mix_before = mix.view(params, "fr")["table"]["raw"]
    monkeypatch.setitem(server.extensions, "arras_settings", settings.replace(hypercentre_iris=OTHER_HYPERCENTRE))
    with server.test_request_context("/embed/commerces-vacance.json"):
        after = vacancy_rows({"rows": chart.view(params, "fr")["table"]["raw"]})
        mix_after = mix.view(params, "fr")["table"]["raw"]
    for perimeter, name in (("hypercentre", HYPER_NAME), ("hors-hypercentre", REST_NAME)):
        old, new = stock(periods, year, perimeter, settings.hypercentre_iris), stock(periods, year, perimeter,
                                                                                      OTHER_HYPERCENTRE)
        assert old != new
        assert before[(year, name)][:2] == old and after[(year, name)][:2] == new
    assert before[(year, TOWN_NAME)] == after[(year, TOWN_NAME)]
    businesses = sum(r["statut"] == "occupé" and r["code_iris"] in OTHER_HYPERCENTRE
                     for r in year_end(periods, year).values())
    assert sum(r[1] for r in mix_after) == businesses != sum(r[1] for r in mix_before)


def test_an_app_with_another_hypercentre_serves_its_figures(app, settings, periods):
    year = 2018
    with second_app(app, settings, hypercentre_iris=OTHER_HYPERCENTRE) as other:
        c = other.server.test_client()
        rows = vacancy_rows(widget_json(c, "commerces-vacance"))
        hyper_flows = widget_json(c, "commerces-flux", "perimetre=hypercentre")["rows"]
        page = c.get("/commerces")
    units, vacant = stock(periods, year, "hypercentre", OTHER_HYPERCENTRE)
    assert rows[(year, HYPER_NAME)][:2] == (units, vacant)
    assert rows[(year, REST_NAME)][:2] == stock(periods, year, "hors-hypercentre", OTHER_HYPERCENTRE)
    for row in hyper_flows:
        assert (row[1], row[2]) == flows(periods, int(row[0]), "hypercentre", OTHER_HYPERCENTRE)
    last = max(y for y, _ in rows)
    units, vacant = stock(periods, last, "hypercentre", OTHER_HYPERCENTRE)
    assert page.status_code == 200 and french_decimal(vacant / units * 100) in page.text  # the key figure


def test_a_widgets_etag_changes_with_the_hypercentre(app, client, settings):
    ours = client.get("/embed/commerces-vacance.json")
    with second_app(app, settings, hypercentre_iris=OTHER_HYPERCENTRE) as other:
        theirs = other.server.test_client().get("/embed/commerces-vacance.json")
        again = other.server.test_client().get("/embed/commerces-vacance.json",
                                               headers={"If-None-Match": ours.headers["ETag"]})
    assert ours.get_json()["rows"] != theirs.get_json()["rows"]  # other figures...
    assert again.status_code == 200 and ours.headers["ETag"] != theirs.headers["ETag"]  # ...under another ETag


# --- units without a position --------------------------------------------------------------------------

def test_units_without_coordinates_still_count_in_the_maps_table(client, db, settings):
    """Longitude and latitude are optional in the schema: a unit not placed yet is still a unit of its street."""
    content, name = stored_file(db, "commerces")
    lines = content.decode("utf-8-sig").splitlines()
    col = {c: i for i, c in enumerate(lines[0].split(";"))}
    street = "Rue Ronville"
    out = [lines[0]]
    for line in lines[1:]:
        cells = line.split(";")
        if cells[col["voie"]] == street:
            cells[col["longitude"]] = cells[col["latitude"]] = ""
        out.append(";".join(cells))
    year = 2020
    state = year_end(read_periods(content), year)
    units = sum(r["voie"] == street for r in state.values())
    vacant = sum(r["voie"] == street and r["statut"] == "vacant" for r in state.values())
    assert units > 0
    served = int(db.scalar("SELECT version FROM dataset WHERE slug = 'commerces'"))
    republish(db, "commerces", ("\r\n".join(out) + "\r\n").encode("utf-8-sig"), name)
    time.sleep(settings.widget_version_ttl + 0.2)
    try:
        body = widget_json(client, "commerces-carte", f"annee={year}")
        shown = {r[0]: r for r in body["rows"]}
        assert f"sur {len(state):,}".replace(",", "\u202f") in body["summary"]
        assert shown[street][1:3] == [units, vacant]
    finally:
        serve_again(db, "commerces", served)
        time.sleep(settings.widget_version_ttl + 0.2)


def test_an_impossible_date_is_reported_at_its_line_not_a_crash(db):
    """A schema problem (32/13/2020) stops the file before the checks across rows read its dates."""
    from webapp.data import publishing

    content, name = stored_file(db, "commerces")
    lines = content.decode("utf-8-sig").splitlines()
    col = lines[0].split(";").index("date_debut")
    cells = lines[5].split(";")
    cells[col] = "32/13/2020"
    lines[5] = ";".join(cells)
    served = int(db.scalar("SELECT version FROM dataset WHERE slug = 'commerces'"))
    with pytest.raises(publishing.Rejected) as refused:
        publishing.stage(db, "commerces", ("\r\n".join(lines) + "\r\n").encode("utf-8-sig"), name, "test")
    assert [(p.line, p.column) for p in refused.value.report.problems] == [(6, "date_debut")]
    assert int(db.scalar("SELECT version FROM dataset WHERE slug = 'commerces'")) == served

"""The citizen reports story over HTTP: the page and its demo label, bad filters, every widget's values
recomputed from the served file with the csv module, and an export with personal columns that
leaves no trace of them anywhere in the store.

The served file is read here with Python's csv module and dates; places are located with shapely
in the shipped IRIS outlines; medians come from `statistics`: never from the importer's code.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import statistics
import time
from collections import Counter, defaultdict
from datetime import date, timedelta

import pytest
from shapely.geometry import Point, shape
from sqlalchemy import LargeBinary, String, Text, func, select

from tests.helpers import read_source_json, serve_again, stored_file
from webapp.formatting import fmt_number

CHARTS = ("signalements-mois", "signalements-delais", "signalements-carte", "signalements-rapidite")
CATALOGUE = {d["slug"]: d for d in read_source_json("catalogue.json")["datasets"]}
MINIMUM = CATALOGUE["signalements"]["min_count"]
FEATURES = read_source_json("geo/iris-2020-arras-62041.geojson")["features"]
OUTLINES = {f["properties"]["CODE_IRIS"]: shape(f["geometry"]) for f in FEATURES}
IRIS_NAMES = {f["properties"]["CODE_IRIS"]: f["properties"]["NOM_IRIS"] for f in FEATURES}
SCHEMA_COLUMNS = [f["name"] for f in read_source_json("../schemas/signalements.json")["fields"]]


def widget_json(client, slug: str, query: str = "") -> dict:
    r = client.get(f"/embed/{slug}.json" + (f"?{query}" if query else ""))
    assert r.status_code == 200, r.text
    return r.get_json()


@pytest.fixture(scope="module")
def reports(db) -> list[dict]:
    """The served file's reports, read with the csv module: dates, days to resolve, IRIS located."""
    content, name = stored_file(db, "signalements")
    assert name.endswith(".csv")
    out = []
    for r in csv.DictReader(io.StringIO(content.decode("utf-8"))):
        made = date.fromisoformat(r["date_creation"])
        closed = date.fromisoformat(r["date_cloture"]) if r["date_cloture"] else None
        code = r["code_iris"]
        if not code and r["longitude"]:
            point = Point(float(r["longitude"]), float(r["latitude"]))
            code = next((c for c, polygon in OUTLINES.items() if polygon.contains(point)), "")
        out.append(r | {"made": made, "closed": closed, "iris": code,
                        "days": (closed - made).days if r["statut"] == "résolu" else None})
    return out


# --- the page --------------------------------------------------------------------------------------

def test_the_page_in_french_tells_the_story_on_demo_data(client, reports):
    r = client.get("/signalements")
    assert r.status_code == 200
    assert "Les signalements des habitants d&#39;Arras" in r.text
    assert "Données de démonstration" in r.text and "données de démonstration" in r.text  # the banner and the source lines
    assert "Ce que les données ne disent pas" in r.text
    for slug in CHARTS:
        assert f'id="{slug}"' in r.text
    # Key figures from the file: every report, and those still open.
    still_open = sum(1 for x in reports if x["statut"] in ("nouveau", "en cours"))
    assert f'<p class="key-value">{fmt_number(len(reports), "fr")}</p>' in r.text
    assert f'<p class="key-value">{fmt_number(still_open, "fr")}</p>' in r.text
    assert 'href="/signalements"' in client.get("/").text


def test_the_page_in_english(client):
    r = client.get("/signalements?lang=en")
    assert r.status_code == 200
    assert "Residents&#39; reports in Arras" in r.text and "Demo data" in r.text
    assert "What the data does not say" in r.text


def test_the_navigation_and_the_error_page_lead_to_it(client):
    assert 'href="/signalements"' in client.get("/ecoles").text
    missing = client.get("/nulle-part")
    assert missing.status_code == 404 and 'href="/signalements"' in missing.text


@pytest.mark.parametrize("query, name", [
    ("nature=xx", "nature"), ("nature=Voirie", "nature"), ("annees=2019", "annees"), ("annees=abc", "annees"),
    ("annees=2023-2030", "annees"), ("annees=2023-", "annees"), ("annees=20233", "annees"),
    ("nature=voirie&annees=1999-2024", "annees"),
])
def test_a_bad_filter_is_a_400_naming_what_is_allowed(client, query, name):
    r = client.get("/signalements?" + query)
    assert r.status_code == 400
    assert f"Le paramètre « {name} »" in r.text and "Valeurs possibles" in r.text
    assert client.get("/embed/signalements-mois.json?" + query).status_code == 400


@pytest.mark.parametrize("query", ["nature=voirie", "annees=2024", "annees=2025-2023", "nature=graffitis&annees=2023-2024"])
def test_a_good_filter_answers(client, query):
    assert client.get("/signalements?" + query).status_code == 200


# --- each widget's values, recomputed from the served file ---------------------------------------------

def test_reports_made_closed_and_rejected_per_month(client, reports):
    body = widget_json(client, "signalements-mois", "nature=voirie&annees=2024")
    made, closed, rejected = Counter(), Counter(), Counter()
    for r in reports:
        if r["categorie"] != "voirie":
            continue
        made[r["made"].strftime("%Y-%m")] += 1
        if r["closed"]:
            closed[r["closed"].strftime("%Y-%m")] += 1
            rejected[r["closed"].strftime("%Y-%m")] += r["statut"] == "rejeté"
    months = [f"2024-{m:02d}" for m in range(1, 13)]
    assert [row[0] for row in body["rows"]] == months
    assert {row[1] for row in body["rows"]} == {"Voirie"}
    assert [row[2:] for row in body["rows"]] == [[made[m], closed[m], rejected[m]] for m in months]
    assert fmt_number(sum(made[m] for m in months), "fr") in body["summary"]


def test_median_days_to_resolve_per_month_of_closing(client, reports):
    body = widget_json(client, "signalements-delais", "nature=proprete&annees=2025")
    days: dict[tuple[str, str], list[int]] = defaultdict(list)
    for r in reports:
        if r["days"] is not None and r["closed"].year == 2025:
            month = r["closed"].strftime("%Y-%m")
            days[(month, "Toutes catégories")].append(r["days"])
            if r["categorie"] == "proprete":
                days[(month, "Propreté")].append(r["days"])
    shown = {(row[0], row[1]): (row[2], row[3]) for row in body["rows"]}
    assert set(shown) == set(days)
    for key, values in days.items():
        expected = statistics.median(values) if len(values) >= MINIMUM else None
        assert shown[key] == (len(values), expected), key
    # The period's median, in the summary, is the median of every resolution closed that year.
    median = statistics.median([d for (_, name), v in days.items() if name == "Propreté" for d in v])
    written = str(int(median)) if median == int(median) else str(median).replace(".", ",")
    assert f"Propreté : délai médian de résolution de {written} jour" in body["summary"]


def test_a_median_from_fewer_resolved_reports_than_the_minimum_is_not_published(client, reports):
    body = widget_json(client, "signalements-delais", "nature=mobilier-urbain")
    rows = [row for row in body["rows"] if row[1] == "Mobilier urbain"]
    assert any(row[2] < MINIMUM for row in rows)  # the demo's furniture reports are few
    assert all((row[3] is None) == (row[2] < MINIMUM) for row in rows)


def test_share_resolved_within_7_and_30_days(client, reports):
    body = widget_json(client, "signalements-rapidite", "annees=2025")
    last = max(d for r in reports for d in (r["made"], r["closed"]) if d)
    per: dict[str, list[dict]] = defaultdict(list)
    for r in reports:
        if r["made"].year == 2025 and r["statut"] != "rejeté":
            per[r["made"].strftime("%Y-%m")].append(r)
    for month, reps, share_7, share_30 in body["rows"]:
        assert reps == len(per[month]), month
        end = date(int(month[:4]), int(month[5:]), 1).replace(day=28) + timedelta(days=4)
        end -= timedelta(days=end.day)  # the month's last day
        for window, shown in ((7, share_7), (30, share_30)):
            if end + timedelta(days=window) > last:
                assert shown is None, (month, window)
            else:
                within = sum(1 for r in per[month] if r["days"] is not None and r["days"] <= window)
                assert shown == pytest.approx(within / reps), (month, window)
    assert body["rows"][-1][0] == "2025-12" and body["rows"][-1][3] is None


@pytest.mark.parametrize("query, category, years", [("annees=2024-2025", None, (2024, 2025)),
                                                     ("nature=voirie&annees=2024", "voirie", (2024, 2024)),
                                                     ("nature=mobilier-urbain", "mobilier-urbain", (2023, 2025))])
def test_the_map_counts_each_quartier_under_the_minimum_rule(client, reports, query, category, years):
    counts: Counter = Counter()
    for r in reports:
        if r["iris"] and years[0] <= r["made"].year <= years[1]:
            counts[(r["made"].year, r["iris"], r["categorie"])] += 1
    kept: Counter = Counter()
    small: Counter = Counter()
    for (year, code, cat), n in counts.items():
        if n >= MINIMUM:
            if category in (None, cat):
                kept[code] += n
        else:
            small[(year, code)] += n
    if category is None:  # every category: the groups of small counts that reach the minimum too
        for (_, code), n in small.items():
            kept[code] += n if n >= MINIMUM else 0
    body = widget_json(client, "signalements-carte", query)
    shown = {name: value for name, value in body["rows"]}
    assert shown == {IRIS_NAMES[c]: (kept[c] if kept[c] else None) for c in IRIS_NAMES}
    assert f"moins de {MINIMUM} signalements" in body["summary"]
    if category == "mobilier-urbain":
        assert None in shown.values() and "hachuré" in body["summary"]


def not_json(constant: str) -> None:
    pytest.fail(f"{constant} is not JSON (a browser's parser refuses it)")


def test_every_widget_answers_in_both_languages_as_strict_json(client):
    for slug in CHARTS:
        for lang in ("fr", "en"):
            r = client.get(f"/embed/{slug}.json?lang={lang}&nature=eclairage")
            assert r.status_code == 200
            json.loads(r.get_data(as_text=True), parse_constant=not_json)


# --- an export with personal columns --------------------------------------------------------------------

PERSONAL = {"description": "Trou énorme devant chez Zéphyrine, 7 rue Xylophage",
            "nom": "Zéphyrine Quillebeuf", "email": "zephyrine.quillebeuf@exemple.invalid",
            "telephone": "06 12 34 56 78", "adresse": "7 rue Xylophage", "photo": "IMG_zephyrine_4242.jpg",
            "commentaire": "=HYPERLINK(\"http://exemple.invalid\")"}


def export_with_personal_columns(db) -> bytes:
    """The served reports as the app exports them (`;`, UTF-8 BOM, JJ/MM/AAAA, decimal commas), with
    the resident's own words and contact details in extra columns."""
    content, _ = stored_file(db, "signalements")
    out = io.StringIO()
    columns = ["id_signalement", "date_creation", "statut", "categorie", "sous_categorie", *PERSONAL, "code_iris",
               "longitude", "latitude", "date_cloture"]
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(columns)
    for i, r in enumerate(csv.DictReader(io.StringIO(content.decode("utf-8")))):
        french = {k: (date.fromisoformat(r[k]).strftime("%d/%m/%Y") if r[k] else "") for k in ("date_creation",
                                                                                                 "date_cloture")}
        coords = {k: r[k].replace(".", ",") for k in ("longitude", "latitude")}
        personal = {k: f"{v} n°{i}" if k != "commentaire" else v for k, v in PERSONAL.items()}
        writer.writerow([(r | french | coords | personal)[c] for c in columns])
    return out.getvalue().encode("utf-8-sig")


def values_in_the_store(db, needles: list[str]) -> list[str]:
    """The needles found in any text column of any table, or in any kept file, of the store."""
    from webapp.data.tables import metadata

    found = []
    with db.engine.connect() as conn:
        for table in metadata.sorted_tables:
            for column in table.columns:
                if isinstance(column.type, (String, Text)):
                    for needle in needles:
                        if conn.execute(select(func.count()).select_from(table)
                                        .where(column.contains(needle, autoescape=True))).scalar():
                            found.append(f"{table.name}.{column.name}: {needle}")
                elif isinstance(column.type, LargeBinary):
                    for (blob,) in conn.execute(select(column)):
                        text = bytes(blob).decode("utf-8", errors="replace")
                        found += [f"{table.name}.{column.name}: {n}" for n in needles if n in text]
    return found


def test_an_export_with_personal_columns_leaves_none_of_them_in_the_store(client, db, settings):
    from webapp.data import publishing

    served = int(db.scalar("SELECT version FROM dataset WHERE slug = 'signalements'"))
    content = export_with_personal_columns(db)
    needles = ["Zéphyrine", "Quillebeuf", "zephyrine", "Xylophage", "06 12 34 56 78", "IMG_zephyrine", "HYPERLINK"]
    assert all(n in content.decode("utf-8-sig") for n in needles)
    staged = publishing.stage(db, "signalements", content, "export-application.csv", "test")
    try:
        assert sorted(staged.ignored_columns) == sorted(PERSONAL)
        assert sorted(staged.changes["dropped_columns"]) == sorted(PERSONAL)
        assert staged.changes["added"] == staged.changes["removed"] == staged.changes["changed"] == 0
        kept, name = stored_file(db, "signalements", staged.version)
        assert name == "export-application.csv"
        assert kept.decode("utf-8").splitlines()[0].split(",") == SCHEMA_COLUMNS
        sha = db.scalar("SELECT sha256 FROM dataset_version WHERE dataset_slug = 'signalements' AND version = :v",
                        {"v": staged.version})
        assert sha == hashlib.sha256(kept).hexdigest()  # the hash of what is kept, which anyone can download
        assert values_in_the_store(db, needles) == []
        publishing.publish(db, {"signalements": staged.version}, "test")
        time.sleep(settings.widget_version_ttl + 0.2)
        download = client.get(f"/donnees/signalements/{name}")
        assert download.status_code == 200 and download.data == kept
        assert all(n not in download.get_data(as_text=True) for n in needles)
        assert values_in_the_store(db, needles) == []
    finally:
        serve_again(db, "signalements", served)
    time.sleep(settings.widget_version_ttl + 0.2)

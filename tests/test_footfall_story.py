"""The footfall story over HTTP: the page, its filters, counts recomputed from the raw files, gaps,
the event view's baseline, and origins never published below the minimum count."""

from __future__ import annotations

import csv
import io
import statistics
import time
from collections import defaultdict
from datetime import date, timedelta

import pytest

from tests.helpers import read_source_json, republish, serve_again, stored_file

CATALOGUE = {d["slug"]: d for d in read_source_json("catalogue.json")["datasets"]}
MINIMUM = CATALOGUE["flux-vision"]["min_count"]


def widget_json(client, slug: str, query: str = "") -> dict:
    r = client.get(f"/embed/{slug}.json" + (f"?{query}" if query else ""))
    assert r.status_code == 200, r.text
    return r.get_json()


def csv_rows(content: bytes, sep: str = ",") -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig")), delimiter=sep))


@pytest.fixture(scope="module")
def channel_sites(db) -> dict[str, str]:
    """Pedestrian channel -> site, from the served channels file read with the csv module."""
    content, _ = stored_file(db, "comptage-canaux")
    return {r["channel_id"]: r["site_id"] for r in csv_rows(content) if r["mobility_type"] == "PEDESTRIAN"}


# --- the page --------------------------------------------------------------------------------------

def test_the_page_in_french_says_its_data_is_demo(client):
    r = client.get("/frequentation")
    assert r.status_code == 200
    assert "La fréquentation du centre-ville d&#39;Arras" in r.text
    assert "Données de démonstration" in r.text
    for slug in ("frequentation-jours", "frequentation-semaine", "frequentation-carte", "frequentation-evenement",
                 "frequentation-visiteurs", "frequentation-origines"):
        assert f'id="{slug}"' in r.text
    assert 'href="/frequentation"' in client.get("/").text


@pytest.mark.parametrize("query, name", [
    ("lieu=inconnu", "lieu"), ("debut=2019-01", "debut"), ("fin=demain", "fin"), ("zone=Lune", "zone"),
    ("categorie=martien", "categorie"), ("evenement=carnaval", "evenement"), ("du=2025-02-30", "du"),
    ("du=2024-12-02&au=2025-01-10", "du"),  # before four weeks of comparison
])
def test_a_bad_filter_is_a_400_naming_what_is_allowed(client, query, name):
    r = client.get("/frequentation?" + query)
    assert r.status_code == 400
    assert f"Le paramètre « {name} »" in r.text and "Valeurs possibles" in r.text


# --- counts recomputed from the raw files ------------------------------------------------------------

def test_a_points_daily_passages_are_the_sum_of_its_channels_that_day(client, db, channel_sites):
    content, _ = stored_file(db, "comptage-mesures")
    site = sorted(set(channel_sites.values()))[3]
    wanted = {"2025-06-03", "2025-06-07", "2025-12-20"}
    sums: dict[str, float] = defaultdict(float)
    for r in csv_rows(content):
        day = r["start_datetime"][:10]  # local time: the offset follows
        if day in wanted and channel_sites.get(r["channel_id"]) == site:
            sums[day] += float(r["count"])
    body = widget_json(client, "frequentation-jours", f"lieu={site}&debut=2025-06&fin=2025-12")
    shown = {row[0]: row[1] for row in body["rows"]}
    for day in wanted:
        assert shown[day] == pytest.approx(sums[day]), day


def test_an_hour_missing_makes_the_day_a_gap_not_a_smaller_count(client, db, settings, channel_sites):
    content, name = stored_file(db, "comptage-mesures")
    site = min(channel_sites.values())
    channel = next(c for c, s in channel_sites.items() if s == site)
    lines = content.decode("utf-8").splitlines(keepends=True)
    dropped = [line for line in lines[1:]
               if line.startswith(f"{channel},") and line.split(",")[2].startswith("2025-06-10T14:00:00")]
    assert len(dropped) == 1
    before = widget_json(client, "frequentation-jours", "debut=2025-06&fin=2025-06")
    served = int(db.scalar("SELECT version FROM dataset WHERE slug = 'comptage-mesures'"))
    republish(db, "comptage-mesures", "".join(line for line in lines if line not in dropped).encode("utf-8"), name)
    time.sleep(settings.widget_version_ttl + 0.2)
    try:
        point = {row[0]: row[1] for row in widget_json(client, "frequentation-jours",
                                                       f"lieu={site}&debut=2025-06&fin=2025-06")["rows"]}
        assert point["2025-06-10"] is None and point["2025-06-11"] is not None
        everyone = {row[0]: row[1] for row in widget_json(client, "frequentation-jours",
                                                          "debut=2025-06&fin=2025-06")["rows"]}
        old = {row[0]: row[1] for row in before["rows"]}
        # The town's total of that day leaves the point out (it sums the points fully counted).
        assert everyone["2025-06-10"] < old["2025-06-10"]
        assert everyone["2025-06-11"] == pytest.approx(old["2025-06-11"])
    finally:
        serve_again(db, "comptage-mesures", served)
    time.sleep(settings.widget_version_ttl + 0.2)
    assert widget_json(client, "frequentation-jours", "debut=2025-06&fin=2025-06")["rows"] == before["rows"]


def test_the_event_view_compares_each_day_with_the_same_weekdays_before(client):
    event = widget_json(client, "frequentation-evenement")
    days = widget_json(client, "frequentation-jours", "debut=2025-10&fin=2025-12")
    passages = {date.fromisoformat(row[0]): row[1] for row in days["rows"]}
    rows = [(date.fromisoformat(r[0]), r[1], r[2]) for r in event["rows"]]
    start = rows[0][0]
    assert start.weekday() == 4 and start.month == 11  # the Christmas market opens on the last Friday of November
    before = [start - timedelta(days=n) for n in range(1, 29)]
    for day, shown, baseline in rows:
        same = [passages[d] for d in before if d.weekday() == day.weekday() and passages.get(d) is not None]
        assert shown == pytest.approx(passages[day])
        assert baseline == pytest.approx(statistics.mean(same)), day
    change = (sum(r[1] for r in rows) / sum(r[2] for r in rows) - 1) * 100
    assert f"+{change:.1f}".replace(".", ",") in event["summary"]


def test_the_week_grid_is_the_mean_of_each_weekday_and_hour(client, db, channel_sites):
    content, _ = stored_file(db, "comptage-mesures")
    site = sorted(set(channel_sites.values()))[1]
    per_day_hour: dict[tuple[str, int], float] = defaultdict(float)
    for r in csv_rows(content):
        if r["start_datetime"].startswith("2025-03") and channel_sites.get(r["channel_id"]) == site:
            per_day_hour[(r["start_datetime"][:10], int(r["start_datetime"][11:13]))] += float(r["count"])
    saturdays = [v for (d, h), v in per_day_hour.items() if date.fromisoformat(d).weekday() == 5 and h == 11]
    body = widget_json(client, "frequentation-semaine", f"lieu={site}&debut=2025-03&fin=2025-03")
    shown = next(row for row in body["rows"] if row[0] == "Samedi" and row[1] == "11 h")
    assert shown[2] == pytest.approx(statistics.mean(saturdays))


# --- Flux Vision -----------------------------------------------------------------------------------------

def test_small_origins_are_grouped_and_a_small_group_is_dropped():
    import pandas as pd

    from webapp.data.importers.footfall import origins_rollup

    def row(zone, day, name, volume):
        return {"zone": zone, "date": pd.Timestamp(day), "origin_level": "department", "origin_code": None,
                "origin_name": name, "slot": pd.NA, "volume": volume}

    flux = pd.DataFrame([
        row("Gare", "2025-01-03", "Nord", 300), row("Gare", "2025-01-04", "Nord", 200),
        row("Gare", "2025-01-03", "Somme", 12), row("Gare", "2025-01-03", "Oise", 9),  # 21 together
        row("Gare", "2025-02-03", "Nord", 50), row("Gare", "2025-02-03", "Aisne", 7),  # 7 alone: dropped
        row("Gare", "2025-02-04", "Somme", 25), row("Gare", "2025-02-05", "Oise", pd.NA),  # hidden by Orange
    ])
    out = origins_rollup(flux, 20)
    got = {(r.month, r.origin): r.volume for r in out.itertuples()}
    assert got == {("2025-01", "Nord"): 500, ("2025-01", "autres"): 21, ("2025-02", "Nord"): 50,
                   ("2025-02", "Somme"): 25}


def test_no_published_origin_counts_fewer_than_the_minimum(client, db):
    stored = db.query_df("SELECT o.volume FROM footfall_origin o JOIN build b ON b.id = o.build_id "
                         "WHERE b.grp = 'frequentation'")
    assert not stored.empty and stored["volume"].min() >= MINIMUM
    for zone in ("Gare", "Grand-Place"):
        for query in (f"zone={zone}", f"zone={zone}&debut=2025-07&fin=2025-07"):
            body = widget_json(client, "frequentation-origines", query)
            assert body["rows"] and all(row[1] >= MINIMUM for row in body["rows"]), query
    page = client.get("/frequentation").text
    assert f"moins de {MINIMUM} visiteurs" in page


def test_visitors_by_category_add_up_the_files_daily_rows(client, db):
    content, _ = stored_file(db, "flux-vision")
    totals = defaultdict(float)
    for r in csv_rows(content, ";"):
        if r["Date"].endswith("/08/2025") and r["ZoneObservation"] == "Gare" and r["Volume"]:
            totals[r["CategorieVisiteur"]] += float(r["Volume"])
    body = widget_json(client, "frequentation-visiteurs", "zone=Gare&debut=2025-08&fin=2025-08")
    shown = {row[1]: row[2] for row in body["rows"]}
    assert shown["Touristes"] == pytest.approx(totals["Touriste"])
    assert shown["Résidents"] == pytest.approx(totals["Résident"] or totals["Resident"])


def test_an_upload_is_checked_against_the_served_files_it_refers_to(db):
    from webapp.data import publishing

    content, name = stored_file(db, "comptage-mesures")
    lines = content.decode("utf-8").splitlines(keepends=True)
    bad = lines[:3] + [lines[3].replace(lines[3].split(",")[0], "CANAL-INCONNU", 1)] + lines[4:50]
    before = db.scalar("SELECT COUNT(*) FROM dataset_version WHERE dataset_slug = 'comptage-mesures'")
    with pytest.raises(publishing.Rejected) as refused:
        publishing.stage(db, "comptage-mesures", "".join(bad).encode("utf-8"), name, "test")
    problems = refused.value.report.problems
    assert [(p.line, p.column, p.value) for p in problems] == [(4, "channel_id", "CANAL-INCONNU")]
    assert "Canal inconnu" in problems[0].rule_fr
    assert db.scalar("SELECT COUNT(*) FROM dataset_version WHERE dataset_slug = 'comptage-mesures'") == before

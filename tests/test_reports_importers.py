"""The citizen reports importer on excerpts of a reporting app's export (with its free-text and personal
columns), its problems with their lines, its rollups counted by hand, the minimum-count rule on the
seeded store, and the demo generator.

Expected values are worked out by hand in the comments, or recomputed from the shipped files with
the csv module and shapely, never with the importer's code.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections import Counter
from datetime import date, datetime

import pandas as pd
import pytest
from shapely.geometry import Point, shape

from tests.helpers import SOURCES, read_source_json
from webapp.data import publishing
from webapp.data.importers.reports import (
    build_tables,
    location_problems,
    read_reports,
    report_problems,
)
from webapp.data.schema import load_schema, normalise
from webapp.data.tabular import read_table

CATALOGUE = {d["slug"]: d for d in read_source_json("catalogue.json")["datasets"]}
MINIMUM = CATALOGUE["signalements"]["min_count"]
IRIS_FILE = SOURCES / "geo" / "iris-2020-arras-62041.geojson"
HYPER, RONVILLE, SAUVEUR = "620410801", "620411001", "620411301"
IN_HYPER, IN_RONVILLE, IN_SAUVEUR, OUTSIDE = ("2,7781", "50,2901"), ("2,785", "50,287"), ("2,7795", "50,2868"), \
    ("2,70", "50,20")
PERSONAL = ("description", "adresse", "nom", "email", "telephone", "photo", "commentaire")
HEADER = ("id_signalement;date_creation;statut;categorie;sous_categorie;description;adresse;code_iris;longitude;"
          "latitude;nom;email;telephone;photo;commentaire;date_cloture")


def row(rid: str, created: str, status: str, category: str, sub: str, iris: str = "", at: tuple[str, str] = ("", ""),
        closed: str = "", text: str = "Il y a un trou") -> str:
    """A line of the export, with its free-text and personal cells filled."""
    return ";".join([rid, created, status, category, sub, text, "12 rue des Tests", iris, *at, "Camille Test",
                     "camille@exemple.invalid", "06 00 00 00 00", "IMG_0001.jpg", "Vu par l'agent", closed])


def export(rows: list[str]) -> bytes:
    """As the app exports it: `;`, UTF-8 with BOM, CRLF, JJ/MM/AAAA, decimal commas."""
    return "\r\n".join([HEADER, *rows]).encode("utf-8-sig")


# Twelve reports of 2024, the file's last date 7 March 2024 (the export): 29 February + 7 days, the last day
# February's share within 7 days is final. Days to resolve in brackets.
EXCERPT = [
    row("R1", "03/01/2024", "résolu", "voirie", "nid-de-poule", at=IN_HYPER, closed="10/01/2024"),  # [7]
    row("R2", "05/01/2024", "résolu", "voirie", "nid-de-poule", iris=HYPER, closed="05/02/2024"),  # [31]
    row("R3", "15/01/2024", "résolu", "proprete", "depot-sauvage", at=IN_HYPER, closed="16/01/2024"),  # [1]
    row("R4", "20/01/2024", "rejeté", "proprete", "dechets-corbeille", at=IN_HYPER, closed="22/01/2024"),
    row("R5", "28/01/2024", "résolu", "voirie", "signalisation", iris=HYPER, at=IN_HYPER, closed="27/02/2024"),  # [30]
    row("R6", "02/02/2024", "résolu", "eclairage", "lampadaire-eteint", at=IN_RONVILLE, closed="12/02/2024"),  # [10]
    row("R7", "10/02/2024", "en cours", "voirie", "chaussee-trottoir", at=IN_RONVILLE),
    row("R8", "14/02/2024", "résolu", "proprete", "depot-sauvage", at=IN_HYPER, closed="14/02/2024"),  # [0]
    row("R9", "25/02/2024", "nouveau", "graffitis", "tag", iris=SAUVEUR),
    row("R10", "01/03/2024", "résolu", "proprete", "depot-sauvage", at=IN_SAUVEUR, closed="04/03/2024"),  # [3]
    row("R11", "05/03/2024", "résolu", "eclairage", "lampadaire-eteint", iris=SAUVEUR, closed="07/03/2024"),  # [2]
    row("R12", "06/03/2024", "nouveau", "mobilier-urbain", "banc-abribus", at=IN_HYPER),
]


def iris_frame() -> pd.DataFrame:
    """The served IRIS outlines as `publishing` hands them to the checks (the normalised table)."""
    schema = load_schema("iris-contours")
    return normalise(schema, read_table(IRIS_FILE.read_bytes(), IRIS_FILE.name, schema.names).frame)


def checked(content: bytes, name: str = "export-signalements.csv"):
    return publishing.check_file("signalements", content, name, lambda slug: iris_frame() if slug == "iris-contours"
                                 else None)


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    table, report, _ = checked(export(EXCERPT))
    assert report.ok, report.text()
    return table


@pytest.fixture(scope="module")
def built(frame) -> dict[str, pd.DataFrame]:
    return build_tables({"signalements": frame, "iris-contours": IRIS_FILE}, minimum=3)


# --- reading -------------------------------------------------------------------------------------

def test_the_export_is_read_without_its_free_text_and_personal_columns(frame):
    table, report, kind = checked(export(EXCERPT))
    assert kind == "CSV, UTF-8 (BOM), séparateur point-virgule"
    assert sorted(report.ignored_columns) == sorted(PERSONAL)
    assert set(table.columns) == set(load_schema("signalements").names)  # the others never reach the importer
    reports = read_reports(frame)
    assert len(reports) == 12
    first = reports.iloc[0]
    assert first["report_id"] == "R1" and first["category"] == "voirie" and first["subcategory"] == "nid-de-poule"
    assert first["created"] == pd.Timestamp("2024-01-03") and first["closed"] == pd.Timestamp("2024-01-10")
    assert first["longitude"] == pytest.approx(2.7781) and first["latitude"] == pytest.approx(50.2901)
    assert first["iris_code"] is None and first["status"] == "résolu"
    open_ = reports.set_index("report_id").loc["R7"]
    assert pd.isna(open_["closed"]) and open_["status"] == "en cours"
    assert reports.set_index("report_id").loc["R2", "iris_code"] == HYPER
    assert pd.isna(reports.set_index("report_id").loc["R2", "longitude"])


def test_a_formula_in_a_dropped_column_is_not_a_problem_it_is_never_kept():
    content = export([row("R1", "03/01/2024", "nouveau", "voirie", "nid-de-poule", iris=HYPER, text="=HYPERLINK(1)")])
    table, report, _ = checked(content)
    assert report.ok, report.text()
    assert "description" in report.ignored_columns and "description" not in table.columns


def test_an_export_in_iso_dates_commas_and_points_reads_the_same(frame):
    lines = []
    for line in EXCERPT:
        cells = line.split(";")
        for i in (1, 15):
            if cells[i]:
                cells[i] = datetime.strptime(cells[i], "%d/%m/%Y").date().isoformat()
        cells[8], cells[9] = cells[8].replace(",", "."), cells[9].replace(",", ".")
        lines.append(",".join(f'"{c}"' if "," in c else c for c in cells))
    content = "\n".join([HEADER.replace(";", ","), *lines]).encode("utf-8")
    table, report, _ = checked(content)
    assert report.ok, report.text()
    pd.testing.assert_frame_equal(read_reports(table).reset_index(drop=True), read_reports(frame).reset_index(drop=True))


# --- problems ------------------------------------------------------------------------------------

PROBLEM_ROWS = [
    row("P1", "03/01/2024", "résolu", "voirie", "nid-de-poule", iris=HYPER, closed="04/01/2024"),  # line 2: fine
    row("P2", "10/03/2024", "résolu", "voirie", "nid-de-poule", iris=HYPER, closed="01/03/2024"),  # 3: before
    row("P3", "10/03/2024", "en cours", "voirie", "nid-de-poule", iris=HYPER, closed="05/04/2024"),  # 4: open, dated
    row("P4", "10/03/2024", "rejeté", "voirie", "nid-de-poule", iris=HYPER),  # 5: closed, no date
    row("P5", "10/03/2024", "nouveau", "voirie", "tag", iris=HYPER),  # 6: a graffiti's sub-category
    row("P6", "10/03/2024", "nouveau", "voirie", "nid-de-poule"),  # 7: nowhere
    row("P7", "10/03/2024", "nouveau", "voirie", "nid-de-poule", at=("2,7781", "")),  # 8: longitude alone
    row("P8", "10/03/2024", "nouveau", "voirie", "nid-de-poule", iris="620419999"),  # 9: unknown IRIS
    row("P9", "10/03/2024", "nouveau", "voirie", "nid-de-poule", at=OUTSIDE),  # 10: outside every IRIS
]


def test_each_rule_broken_is_reported_at_its_line():
    table, report, _ = checked(export(PROBLEM_ROWS))
    assert table is None and not report.ok
    got = [(p.line, p.column, p.value) for p in report.problems]
    assert got == [(3, "date_cloture", "2024-03-01"), (4, "date_cloture", "2024-04-05"), (5, "date_cloture", ""),
                   (6, "sous_categorie", "tag"), (7, "code_iris", ""), (8, "latitude", ""),
                   (9, "code_iris", "620419999"), (10, "longitude", "2.7, 50.2")]
    rules = {p.line: p.rule_fr for p in report.problems}
    assert "précède la date de création" in rules[3] and "doit être vide" in rules[4]
    assert "« voirie »" in rules[6] and "Lieu manquant" in rules[7] and "aucun IRIS" in rules[10]


def test_row_rules_and_places_are_separate_functions(frame):
    problems = checked(export(PROBLEM_ROWS))[1].problems
    assert {p.line for p in problems} == set(range(3, 11))
    assert report_problems(frame) == [] and location_problems(frame, iris_frame()) == []


def test_a_date_that_is_not_a_date_is_reported_once_without_failing():
    bad = [row("B1", "31/02/2024", "nouveau", "voirie", "nid-de-poule", iris=HYPER)]
    report = checked(export(bad))[1]
    assert [(p.line, p.column) for p in report.problems] == [(2, "date_creation")]


def test_a_file_without_a_schema_column_is_refused_by_its_header_without_failing():
    cells = row("R1", "03/01/2024", "nouveau", "voirie", "nid-de-poule", iris=HYPER).split(";")
    content = "\r\n".join([HEADER.replace(";statut", ""), ";".join(cells[:2] + cells[3:])]).encode("utf-8")
    report = checked(content)[1]
    assert not report.ok and any(p.line == 1 and p.column == "statut" for p in report.problems)


# --- rollups, counted by hand ---------------------------------------------------------------------

def test_reports_made_closed_and_rejected_per_month(built):
    monthly = built["reports_monthly"]
    assert len(monthly) == 3 * 6  # every month from January to the export's March, every category
    nonzero = {(r.month, r.category): (r.created, r.closed, r.rejected) for r in monthly.itertuples()
               if r.created or r.closed or r.rejected}
    assert nonzero == {
        ("2024-01", "voirie"): (3, 1, 0), ("2024-01", "proprete"): (2, 2, 1),
        ("2024-02", "voirie"): (1, 2, 0), ("2024-02", "eclairage"): (1, 1, 0), ("2024-02", "proprete"): (1, 1, 0),
        ("2024-02", "graffitis"): (1, 0, 0),
        ("2024-03", "proprete"): (1, 1, 0), ("2024-03", "eclairage"): (1, 1, 0), ("2024-03", "mobilier-urbain"): (1, 0, 0),
    }


def test_median_days_per_month_of_closing_need_the_minimum(built):
    res = {(r.month, r.category): (r.resolved, None if pd.isna(r.median_days) else r.median_days)
           for r in built["reports_resolution"].itertuples()}
    # All categories: January [7, 1], February [31, 30, 10, 0], March [3, 2]; a median from 3 resolved.
    assert res[("2024-01", "")] == (2, None)
    assert res[("2024-02", "")] == (4, 20.0)
    assert res[("2024-03", "")] == (2, None)
    assert res[("2024-02", "voirie")] == (2, None) and res[("2024-01", "proprete")] == (1, None)
    assert ("2024-01", "eclairage") not in res  # nothing resolved: no row
    spans = {r.category: (r.resolved, None if pd.isna(r.median_days) else r.median_days)
             for r in built["reports_resolution_span"].itertuples()}
    # 2024: [0, 1, 2, 3, 7, 10, 30, 31] -> 5; roads [7, 31, 30] -> 30; cleanliness [1, 0, 3] -> 1; lighting 2 only.
    assert spans == {"": (8, 5.0), "voirie": (3, 30.0), "proprete": (3, 1.0), "eclairage": (2, None)}


def test_share_resolved_within_7_and_30_days_is_empty_until_the_window_is_over(built):
    def plain(value):
        return None if value is pd.NA else int(value)

    speed = {(r.month, r.category): (r.reports, plain(r.within_7), plain(r.within_30))
             for r in built["reports_speed"].itertuples()}
    # January (R4 rejected, left out): roads R1 [7], R2 [31], R5 [30]; cleanliness R3 [1]. 31 Jan + 30 days
    # is 1 March, before the export: both shares final.
    assert speed[("2024-01", "voirie")] == (3, 1, 2)
    assert speed[("2024-01", "proprete")] == (1, 1, 1)
    # February: 29 Feb + 7 days is the export's day (7 March): final; + 30 days is after it: not yet.
    assert speed[("2024-02", "eclairage")] == (1, 0, None)
    assert speed[("2024-02", "proprete")] == (1, 1, None)
    assert speed[("2024-02", "voirie")] == (1, 0, None)  # R7, still open, counts as not resolved
    assert speed[("2024-02", "graffitis")] == (1, 0, None)
    # March: nothing final yet; R10 and R11 (resolved in 3 and 2 days) and R12 (open) count among the reports.
    assert {k[1]: v for k, v in speed.items() if k[0] == "2024-03" and v[0]} == {
        "proprete": (1, None, None), "eclairage": (1, None, None), "mobilier-urbain": (1, None, None)}


def test_iris_counts_below_the_minimum_are_grouped_or_left_out(built):
    got = {(r.year, r.iris_code, r.category): r.reports for r in built["reports_iris"].itertuples()}
    # Hyper Centre: roads R1 (point), R2 (code), R5 (both); cleanliness R3, R4, R8; furniture R12 alone (1: left out).
    # Ronville: lighting R6, roads R7: 2 in "autres", still under 3: left out.
    # Saint-Sauveur: graffiti R9, cleanliness R10 (point), lighting R11: 1 + 1 + 1 = 3 in "autres".
    assert got == {(2024, HYPER, "voirie"): 3, (2024, HYPER, "proprete"): 3, (2024, SAUVEUR, "autres"): 3}


def test_no_rollup_holds_a_free_text_or_personal_value(built):
    values = {str(v) for table in built.values() for v in table.astype(str).to_numpy().ravel()}
    for personal in ("Il y a un trou", "12 rue des Tests", "Camille Test", "camille@exemple.invalid",
                     "06 00 00 00 00", "IMG_0001.jpg", "Vu par l'agent"):
        assert personal not in values


# --- the store after seeding: no IRIS count below the minimum -------------------------------------------

def served_reports(db) -> list[dict]:
    from tests.helpers import stored_file

    content, name = stored_file(db, "signalements")
    assert name.endswith(".csv")
    return list(csv.DictReader(io.StringIO(content.decode("utf-8"))))


def test_no_stored_iris_count_is_below_the_minimum(db):
    stored = db.query_df("SELECT r.year, r.iris_code, r.category, r.reports FROM reports_iris r "
                         "JOIN build b ON b.id = r.build_id WHERE b.grp = 'signalements'")
    assert not stored.empty and int(stored["reports"].min()) >= MINIMUM
    assert (stored["category"] == "autres").any()  # the demo has small counts to group


def test_the_served_builds_iris_counts_follow_the_rule_from_the_raw_file(db):
    outlines = {f["properties"]["CODE_IRIS"]: shape(f["geometry"])
                for f in json.loads(IRIS_FILE.read_text(encoding="utf-8"))["features"]}
    counts: Counter = Counter()
    for r in served_reports(db):
        code = r["code_iris"]
        if not code and r["longitude"]:
            point = Point(float(r["longitude"]), float(r["latitude"]))
            code = next((c for c, polygon in outlines.items() if polygon.contains(point)), "")
        if code:
            counts[(int(r["date_creation"][:4]), code, r["categorie"])] += 1
    expected: dict[tuple, int] = {}
    grouped: Counter = Counter()
    for (year, code, category), n in counts.items():
        if n >= MINIMUM:
            expected[(year, code, category)] = n
        else:
            grouped[(year, code)] += n
    expected |= {(year, code, "autres"): n for (year, code), n in grouped.items() if n >= MINIMUM}
    build = db.scalar("SELECT id FROM build WHERE grp = 'signalements' AND versions = :v",
                      {"v": publishing.GROUPS["signalements"].key(
                          {r.slug: int(r.version) for r in db.query_df("SELECT slug, version FROM dataset").itertuples()})})
    stored = db.query_df("SELECT year, iris_code, category, reports FROM reports_iris WHERE build_id = :b", {"b": build})
    assert {(int(r.year), r.iris_code, r.category): int(r.reports) for r in stored.itertuples()} == expected


# --- the demo file ------------------------------------------------------------------------------------

DEMO = SOURCES / "signalements" / "demo-signalements-arras-2023-2025.csv"


def demo_rows() -> list[dict]:
    with open(DEMO, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh, delimiter=";"))


def test_the_shipped_demo_file_is_what_the_generator_writes():
    from webapp.demo.reports import reports_export

    assert reports_export(IRIS_FILE) == DEMO.read_bytes()
    assert DEMO.stat().st_size < 450_000  # small enough to ship


def test_the_demo_file_is_valid_and_holds_the_columns_it_must_prove_are_dropped():
    report = checked(DEMO.read_bytes(), DEMO.name)[1]
    assert report.ok, report.text()
    assert set(PERSONAL) <= set(report.ignored_columns)
    rows = demo_rows()
    assert 2_000 <= len(rows) <= 4_000
    assert all(r["email"] in ("", "fictif@exemple.invalid") for r in rows)
    assert {r["date_creation"][-4:] for r in rows} == {"2023", "2024", "2025"}
    statuses = Counter(r["statut"] for r in rows)
    assert statuses["nouveau"] and statuses["en cours"] and 0.02 < statuses["rejeté"] / len(rows) < 0.1


def test_the_demo_has_its_seasons():
    by = Counter()
    for r in demo_rows():
        by[(r["sous_categorie"], int(r["date_creation"][3:5]))] += 1

    def months(sub: str, ms: tuple[int, ...]) -> float:
        return sum(by[(sub, m)] for m in ms) / len(ms)

    assert months("nid-de-poule", (2, 3, 4)) > 2 * months("nid-de-poule", (6, 7, 8))
    assert months("dechets-corbeille", (6, 7, 8)) > 1.5 * months("dechets-corbeille", (12, 1, 2))
    assert months("feuilles-mortes", (10, 11)) > 5 * months("feuilles-mortes", (4, 5, 6))
    assert months("lampadaire-eteint", (11, 12, 1)) > 2 * months("lampadaire-eteint", (5, 6, 7))


def test_demo_resolution_times_differ_by_category():
    days: dict[str, list[int]] = {}
    for r in demo_rows():
        if r["statut"] == "résolu":
            made = datetime.strptime(r["date_creation"], "%d/%m/%Y").date()
            done = datetime.strptime(r["date_cloture"], "%d/%m/%Y").date()
            days.setdefault(r["categorie"], []).append((done - made).days)
    medians = {c: sorted(v)[len(v) // 2] for c, v in days.items()}
    assert medians["proprete"] <= 3 < medians["eclairage"] < medians["voirie"]
    assert all(not math.isnan(m) for m in medians.values())
    assert date(2025, 12, 31) >= max(datetime.strptime(r["date_cloture"], "%d/%m/%Y").date()
                                     for r in demo_rows() if r["date_cloture"])

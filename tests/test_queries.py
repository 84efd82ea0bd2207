"""Queries of the schools story, checked against the raw official files."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from shapely.geometry import Point, shape

from tests.helpers import SOURCES, read_source_csv, read_source_json
from webapp.data import geography
from webapp.data import schools as q
from webapp.data.schools import SchoolFilter
from webapp.data.store import build_id, get_db

ARRAS, DEP = "62041", "62"


def _raw_ecoles() -> list[dict]:
    return [r for r in read_source_csv("schools/ips-ecoles-2021-2022-dep62.csv")
            if r["Code INSEE de la commune"] == ARRAS]


def _raw_colleges() -> list[dict]:
    return [r for r in read_source_csv("schools/colleges-adresse-geolocalisation-dep62.csv")
            if r["code_commune"] == ARRAS]


def _raw_lycees() -> dict[str, dict]:
    rows = read_source_csv("schools/ips-lycees-2016-2022-dep62.csv")
    return {r["uai"].strip(): r for r in rows if r["code_insee_de_la_commune"] == ARRAS}


def _uais(df: pd.DataFrame) -> set[str]:
    return set(df["uai"])


def test_all_schools_of_arras(ctx):
    df = q.query_schools(get_db(), build_id("ecoles"), ARRAS, SchoolFilter())
    expected = ({r["UAI"].strip() for r in _raw_ecoles()} | {r["numero_uai"].strip() for r in _raw_colleges()}
                | set(_raw_lycees()))
    assert _uais(df) == expected
    assert df["uai"].is_unique


@pytest.mark.parametrize("level", ["ecole", "college", "lycee"])
def test_filter_by_level(ctx, level):
    df = q.query_schools(get_db(), build_id("ecoles"), ARRAS, SchoolFilter(levels=(level,)))
    expected = {
        "ecole": {r["UAI"].strip() for r in _raw_ecoles()},
        "college": {r["numero_uai"].strip() for r in _raw_colleges()},
        "lycee": set(_raw_lycees()),
    }[level]
    assert _uais(df) == expected
    assert set(df["level"]) == {level}


def test_filter_by_two_levels(ctx):
    df = q.query_schools(get_db(), build_id("ecoles"), ARRAS, SchoolFilter(levels=("college", "lycee")))
    assert _uais(df) == {r["numero_uai"].strip() for r in _raw_colleges()} | set(_raw_lycees())


def test_filter_by_sector(ctx):
    db = get_db()
    private_ecoles = {r["UAI"].strip() for r in _raw_ecoles() if r["Secteur"].lower().startswith("priv")}
    private_colleges = {r["numero_uai"].strip() for r in _raw_colleges()
                        if r["secteur_public_prive_libe"].lower().startswith("priv")}
    private_lycees = {u for u, r in _raw_lycees().items() if r["secteur"].lower().startswith("priv")}
    assert len(private_ecoles) == 6 and len(private_colleges) == 2 and len(private_lycees) == 1

    prive = q.query_schools(db, build_id("ecoles"), ARRAS, SchoolFilter(sector="prive"))
    assert _uais(prive) == private_ecoles | private_colleges | private_lycees
    public = q.query_schools(db, build_id("ecoles"), ARRAS, SchoolFilter(sector="public"))
    assert set(public["sector"]) == {"public"}
    everyone = q.query_schools(db, build_id("ecoles"), ARRAS, SchoolFilter())
    assert _uais(public) | _uais(prive) == _uais(everyone)
    assert not (_uais(public) & _uais(prive))
    both = q.query_schools(db, build_id("ecoles"), ARRAS, SchoolFilter(levels=("ecole",), sector="prive"))
    assert _uais(both) == private_ecoles


def test_filter_by_quartier(ctx):
    db = get_db()
    outlines = {f["properties"]["CODE_IRIS"]: shape(f["geometry"])
                for f in read_source_json("geo/iris-2020-arras-62041.geojson")["features"]}
    seen = 0
    for code, polygon in outlines.items():
        df = q.query_schools(db, build_id("ecoles"), ARRAS, SchoolFilter(iris=code))
        assert set(df["iris_code"]) <= {code}
        for row in df.itertuples():
            assert polygon.buffer(1e-9).covers(Point(row.longitude, row.latitude)), (code, row.name)
        seen += len(df)
    assert seen > 0, "some schools are placed in a quartier"
    located = q.query_schools(db, build_id("ecoles"), ARRAS, SchoolFilter()).dropna(subset=["iris_code"])
    assert seen == len(located)


def test_latest_ips_of_colleges_is_the_2023_file(ctx):
    ips = {r["UAI"].strip(): float(r["IPS"].replace(",", "."))
           for r in read_source_csv("schools/colleges-ips-2023-dep62.csv")}
    df = q.query_schools(get_db(), build_id("ecoles"), ARRAS, SchoolFilter(levels=("college",)))
    assert len(df) == 7
    for row in df.itertuples():
        assert row.ips_year == 2023
        assert row.ips == pytest.approx(ips[row.uai])


def test_department_dnb_rate_2023_is_the_candidate_weighted_mean(ctx):
    raw = pd.read_csv(SOURCES / "schools" / "colleges-valeur-ajoutee-dnb-2022-2023-dep62.csv", sep=";",
                      dtype=str, encoding="utf-8-sig")
    raw = raw[raw["Session"] == "2023"]
    candidates = pd.to_numeric(raw["Nb candidats - G"])
    rate = pd.to_numeric(raw["Taux de réussite - G"].str.replace(",", "."))
    keep = candidates.notna() & rate.notna()
    expected = (rate[keep] * candidates[keep]).sum() / candidates[keep].sum()

    ref = q.query_dnb_reference(get_db(), build_id("ecoles"), DEP).set_index("session")
    assert float(ref.loc[2023, "success_rate"]) == pytest.approx(expected, abs=1e-9)
    assert int(ref.loc[2023, "candidates"]) == int(candidates[keep].sum())


def test_department_mean_ips_of_ecoles_2021_is_the_plain_mean(ctx):
    raw = pd.read_csv(SOURCES / "schools" / "ips-ecoles-2021-2022-dep62.csv", sep=";", dtype=str,
                      encoding="utf-8-sig")
    ips = pd.to_numeric(raw["IPS"].str.replace(",", "."), errors="coerce").dropna()
    ref = q.query_ips_reference(get_db(), build_id("ecoles"), DEP)
    row = ref[(ref["level"] == "ecole") & (ref["year"] == 2021)]
    assert len(row) == 1
    assert float(row["ips"].iloc[0]) == pytest.approx(ips.mean(), abs=1e-9)
    assert int(row["schools"].iloc[0]) == len(ips)


def test_dnb_of_arras_colleges(ctx):
    raw = [r for r in read_source_csv("schools/colleges-valeur-ajoutee-dnb-2022-2023-dep62.csv")
           if r["UAI"].strip() in {c["numero_uai"].strip() for c in _raw_colleges()}]
    df = q.query_dnb(get_db(), build_id("ecoles"), ARRAS, SchoolFilter())
    got = {(r.uai, int(r.session)): (int(r.candidates), float(r.success_rate)) for r in df.itertuples()}
    assert len(raw) == 12  # PROVENANCE: 12 Arras rows in the value-added file
    for r in raw:
        key = (r["UAI"].strip(), int(r["Session"]))
        assert got[key] == (int(r["Nb candidats - G"]), pytest.approx(float(r["Taux de réussite - G"])))


def test_lycee_enrolment_of_arras(ctx):
    rows = read_source_csv("schools/lycees-gt-effectifs-niveau-sexe-lv-2019-2021-dep62.csv")
    lycees = set(_raw_lycees())
    expected = {(r["numero_lycee"].strip(), int(r["rentree_scolaire"])): int(r["nombre_d_eleves"])
                for r in rows if r["numero_lycee"].strip() in lycees}
    assert len(expected) == 12  # PROVENANCE: 4 lycées x 3 years
    df = q.query_enrolment(get_db(), build_id("ecoles"), ARRAS, SchoolFilter(levels=("lycee",)))
    assert {(r.uai, int(r.year)): int(r.pupils) for r in df.itertuples()} == expected


def test_iris_of_arras(ctx):
    df = geography.query_iris(get_db(), build_id(geography.GROUP), ARRAS)
    assert len(df) == 16
    for geometry in df["geometry"]:
        assert json.loads(geometry)["type"] in ("Polygon", "MultiPolygon")

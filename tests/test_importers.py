"""Importers of the official files, run on the real files shipped in data/sources."""

from __future__ import annotations

import re

import pytest

from tests.helpers import SOURCES, read_source_csv, read_source_json
from webapp.data.importers import schools as imp

ARRAS = "62041"
ECOLES = SOURCES / "schools" / "ips-ecoles-2021-2022-dep62.csv"
COLLEGES_GEO = SOURCES / "schools" / "colleges-adresse-geolocalisation-dep62.csv"
LYCEES_IPS = SOURCES / "schools" / "ips-lycees-2016-2022-dep62.csv"
LYCEES_EFF = SOURCES / "schools" / "lycees-gt-effectifs-niveau-sexe-lv-2019-2021-dep62.csv"
DNB_2021 = SOURCES / "schools" / "colleges-dnb-effectifs-2021-dep62.csv"
IRIS = SOURCES / "geo" / "iris-2020-arras-62041.geojson"


def test_arras_has_16_ecoles_in_the_ips_file():
    # data/sources/PROVENANCE.md: "810 rows, 16 of them Arras".
    schools, ips = imp.read_ips_ecoles(ECOLES)
    arras = schools[schools["commune_code"] == ARRAS]
    assert len(arras) == 16
    assert len(schools) == 810
    assert set(arras["level"]) == {"ecole"}
    assert set(ips["uai"]) >= set(arras["uai"])
    assert set(ips["year"]) == {2021}


def test_ecole_sectors_follow_the_file():
    schools, _ = imp.read_ips_ecoles(ECOLES)
    raw = {r["UAI"].strip(): r["Secteur"] for r in read_source_csv("schools/ips-ecoles-2021-2022-dep62.csv")}
    for row in schools.itertuples():
        expected = "prive" if raw[row.uai].lower().startswith("priv") else "public"
        assert row.sector == expected, row.uai


def test_arras_has_7_colleges_in_the_geolocation_file():
    colleges = imp.read_colleges_geoloc(COLLEGES_GEO)
    arras = colleges[colleges["commune_code"] == ARRAS]
    assert len(arras) == 7
    assert arras["latitude"].notna().all() and arras["longitude"].notna().all()
    # Arras lies around 50.29 N, 2.78 E.
    assert arras["latitude"].between(50.2, 50.4).all()
    assert arras["longitude"].between(2.6, 2.9).all()


def test_arras_has_6_lycees_in_the_lycee_ips_file():
    schools, ips = imp.read_ips_lycees(LYCEES_IPS)
    arras = schools[schools["commune_code"] == ARRAS]
    assert len(arras) == 6
    # PROVENANCE: Arras has 36 rows (6 lycées x 6 rentrées), each with an IPS.
    arras_ips = ips[ips["uai"].isin(arras["uai"])]
    assert len(arras_ips) == 36
    assert sorted(arras_ips["year"].unique()) == [2016, 2017, 2018, 2019, 2020, 2021]


def test_lycee_enrolment_per_grade_sums_to_the_files_own_total():
    enrolment = imp.read_lycees_effectifs(LYCEES_EFF)
    assert set(enrolment["grade"]) == {"2de", "1re", "Tle"}
    totals = enrolment.groupby(["uai", "year"])["pupils"].sum()
    rows = read_source_csv("schools/lycees-gt-effectifs-niveau-sexe-lv-2019-2021-dep62.csv")
    assert len(rows) == 130
    for row in rows:
        key = (row["numero_lycee"].strip(), int(row["rentree_scolaire"]))
        assert totals[key] == int(row["nombre_d_eleves"]), key


def test_decimal_comma_success_rate():
    rows = read_source_csv("schools/colleges-dnb-effectifs-2021-dep62.csv", sep=",")
    with_comma = [r for r in rows if r["taux_de_reussite"] == "90,3"]
    assert with_comma, "the 2021 DNB file has a rate written 90,3"
    dnb, _, _ = imp.read_colleges_dnb_effectifs(DNB_2021)
    by_uai = dnb.set_index("uai")["success_rate"]
    for r in with_comma:
        assert by_uai[r["numero_college"].strip()] == pytest.approx(90.3)
    # Every rate of the file is read, comma or not.
    for r in rows:
        expected = float(r["taux_de_reussite"].replace(",", "."))
        assert by_uai[r["numero_college"].strip()] == pytest.approx(expected)


def test_college_enrolment_and_priority_from_the_dnb_file():
    rows = read_source_csv("schools/colleges-dnb-effectifs-2021-dep62.csv", sep=",")
    _, enrolment, priority = imp.read_colleges_dnb_effectifs(DNB_2021)
    totals = enrolment.groupby("uai")["pupils"].sum()
    pr = priority.set_index("uai")["priority_education"]
    for r in rows:
        uai = r["numero_college"].strip()
        expected = sum(int(r[f"{g}_total"]) for g in ("6eme", "5eme", "4eme", "3eme"))
        assert totals[uai] == expected, uai
        assert pr[uai] == ("REP+" if r["rep_plus"] == "1" else "REP" if r["rep"] == "1" else "hors REP")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ECOLE ELEMENTAIRE VOLTAIRE GRANDS", "École élémentaire Voltaire Grands"),
        ("ECOLE ELEMENTAIRE MOLIERE", "École élémentaire Molière"),
        ("ECOLE PRIMAIRE PRIVEE SAINTE MARIE DE LA PRESENTATION",
         "École primaire privée Sainte Marie de la Présentation"),
        ("ECOLE ELEMENTAIRE D APPLICATION PAUL BERT", "École élémentaire d'application Paul Bert"),
        ("ECOLE ELEMENTAIRE LA FONTAINE GRANDS", "École élémentaire La Fontaine Grands"),
        ("LYCEE PROFESSIONNEL JACQUES LE CARON", "Lycée professionnel Jacques Le Caron"),
        ("LYCEE GENERAL ET TECHNOLOGIQUE ROBESPIERRE", "Lycée général et technologique Robespierre"),
        ("ECOLE ELEMENTAIRE RAOUL FRANCOIS", "École élémentaire Raoul François"),
    ],
)
def test_display_name(raw, expected):
    assert imp.display_name(raw) == expected


def test_display_names_of_arras_ecoles_are_not_upper_case():
    schools, _ = imp.read_ips_ecoles(ECOLES)
    for name in schools[schools["commune_code"] == ARRAS]["name"]:
        assert name.startswith("École ")
        assert name != name.upper()
        assert not re.search(r"\b[DL] [A-Z]", name), name


def test_iris_file_has_16_arras_features():
    iris = imp.read_iris(IRIS)
    raw = read_source_json("geo/iris-2020-arras-62041.geojson")["features"]
    assert len(raw) == 16
    assert len(iris) == 16
    assert iris["code"].str.startswith(ARRAS).all()
    assert iris["code"].is_unique
    assert set(iris["commune_code"]) == {ARRAS}
    assert set(iris["code"]) == {f["properties"]["CODE_IRIS"] for f in raw}
    assert iris["name"].str.len().gt(0).all()

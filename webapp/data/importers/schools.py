"""Readers for the Ministry of Education's official files, as published, into the curated shape.

Each `read_*` takes the official file (a path, or the table `webapp.data.tabular` read from an
upload) and returns DataFrames whose columns are those of the tables in `webapp.data.tables`. File formats: https://data.education.gouv.fr (dataset pages linked from
`data/sources/catalogue.json`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

import pandas as pd
from webapp.data.geography import assign_iris, department_of, read_iris
from webapp.data.tabular import read_source

Source = Path | pd.DataFrame

SCHOOL_COLUMNS = [
    "uai", "name", "level", "sector", "commune_code", "commune_name",
    "lycee_type", "priority_education", "latitude", "longitude",
]

_SMALL_WORDS = {"de", "du", "des", "et", "en", "sur", "sous", "aux", "au"}
_ARTICLES = {"la", "le", "les"}  # lower case only after "de": "de la Présentation", "La Fontaine"
_ACCENTED = {
    "ecole": "école", "elementaire": "élémentaire", "college": "collège", "lycee": "lycée",
    "prive": "privé", "general": "général", "metiers": "métiers", "pre": "pré",
    "hotellerie": "hôtellerie", "batiment": "bâtiment", "peguy": "Péguy", "francois": "François",
    "privee": "privée", "moliere": "Molière", "presentation": "Présentation",
}


def display_name(raw: str) -> str:
    """'ECOLE ELEMENTAIRE VOLTAIRE' -> 'École élémentaire Voltaire' (official names are upper case)."""
    text = re.sub(r"\b(d|l) (?=[a-z])", r"\1'", raw.strip().lower())  # "D APPLICATION" -> "d'application"
    words = re.split(r"(\s+|-)", text)
    out: list[str] = []
    previous = ""
    for i, w in enumerate(words):
        if not w.strip() or w == "-":
            out.append(w)
            continue
        w = _ACCENTED.get(w, w)
        if i == 0:
            w = w[:1].upper() + w[1:]
        elif w in ("école", "élémentaire", "collège", "lycée", "privé", "général", "métiers",
                   "maternelle", "primaire", "polyvalent", "privée", "professionnel", "technologique",
                   "hôtellerie", "bâtiment") or w in _SMALL_WORDS or w in _ARTICLES and previous == "de":
            pass
        elif w.startswith(("l'", "d'")):
            w = w[:2] + _ACCENTED.get(w[2:], w[2:])
        else:
            w = w[:1].upper() + w[1:]
        previous = w.lower()
        out.append(w)
    return "".join(out)


def _display_names(names: pd.Series) -> pd.Series:
    return _each(names, display_name)


def _each(values: pd.Series, fn) -> pd.Series:
    """`fn` of each value, computed (and held in memory) once per distinct value: national files
    repeat their communes, sectors and years a million times."""
    return values.map({raw: fn(raw) for raw in values.dropna().unique()})


def _commune_code(raw: str) -> str:
    return raw.zfill(5)


def _sector(raw: str) -> str:
    return "prive" if str(raw).strip().lower().startswith(("priv", "pr")) else "public"


def _year(rentree: str | int) -> int:
    """'2021-2022' -> 2021 (a school year is named by its rentrée)."""
    return int(str(rentree)[:4])


def read_ips_ecoles(source: Source) -> tuple[pd.DataFrame, pd.DataFrame]:
    """fr-en-ips_ecoles: one row per école; returns (schools, ips)."""
    df = read_source(source)
    schools = pd.DataFrame({
        "uai": df["UAI"].str.strip(),
        "name": _display_names(df["Nom de l'établissment"]),
        "level": "ecole",
        "sector": _each(df["Secteur"], _sector),
        "commune_code": _each(df["Code INSEE de la commune"], _commune_code),
        "commune_name": _each(df["Nom de la commune"], str.title),
    })
    ips = pd.DataFrame({
        "uai": schools["uai"],
        "year": _each(df["Rentrée scolaire"], _year),
        "ips": pd.to_numeric(df["IPS"].str.replace(",", "."), errors="coerce"),
    }).dropna(subset=["ips"])
    return _complete(schools), ips


def read_colleges_geoloc(source: Source) -> pd.DataFrame:
    """Adresse et géolocalisation des établissements (collèges): one row per collège."""
    df = read_source(source)
    schools = pd.DataFrame({
        "uai": df["numero_uai"].str.strip(),
        "name": df["appellation_officielle"].str.strip(),
        "level": "college",
        "sector": _each(df["secteur_public_prive_libe"], _sector),
        "commune_code": _each(df["code_commune"], _commune_code),
        "commune_name": _each(df["libelle_commune"], str.title),
        "latitude": pd.to_numeric(df["latitude"], errors="coerce"),
        "longitude": pd.to_numeric(df["longitude"], errors="coerce"),
    })
    return _complete(schools)


def read_ips_colleges(source: Source) -> pd.DataFrame:
    """IPS des collèges (UAI, IPS): returns ips rows."""
    df = read_source(source)
    return pd.DataFrame({
        "uai": df["UAI"].str.strip(),
        "year": _each(df["Rentrée scolaire"], _year),
        "ips": pd.to_numeric(df["IPS"].str.replace(",", "."), errors="coerce"),
    }).dropna(subset=["ips"])


def read_ips_lycees(source: Source) -> tuple[pd.DataFrame, pd.DataFrame]:
    """fr-en-ips_lycees: one row per lycée and year; the IPS kept is all tracks together."""
    df = read_source(source)
    df["year"] = _each(df["rentree_scolaire"], _year)
    latest = df.sort_values("year").groupby("uai").tail(1)
    schools = pd.DataFrame({
        "uai": latest["uai"].str.strip(),
        "name": _display_names(latest["nom_de_l_etablissment"]),
        "level": "lycee",
        "sector": _each(latest["secteur"], _sector),
        "commune_code": _each(latest["code_insee_de_la_commune"], _commune_code),
        "commune_name": _each(latest["nom_de_la_commune"], str.title),
        "lycee_type": latest["type_de_lycee"].str.strip(),
    })
    # A lycée with only one track publishes that track's IPS and leaves the overall one empty.
    overall = df["ips_ensemble_gt_pro"].fillna(df["ips_voie_gt"]).fillna(df["ips_voie_pro"])
    ips = pd.DataFrame({
        "uai": df["uai"].str.strip(),
        "year": df["year"],
        "ips": pd.to_numeric(overall.str.replace(",", "."), errors="coerce"),
    }).dropna(subset=["ips"])
    return _complete(schools), ips


GRADES_LYCEE = {"2ndes": "2de", "1eres": "1re", "terminales": "Tle"}


def read_lycees_effectifs(source: Source) -> pd.DataFrame:
    """fr-en-lycee_gt-effectifs-niveau-sexe-lv: pupils per lycée, year and grade.

    Per grade the file has one column per track (`1eres_g`, `1eres_sti2d`, …) and sub-columns by sex
    and language (`1eres_g_filles`, …); a grade's pupils are the sum of its track columns.
    """
    df = read_source(source)
    rows = []
    for prefix, grade in GRADES_LYCEE.items():
        tracks = [c for c in df.columns if re.fullmatch(rf"{prefix}_[a-z0-9]+", c)]
        pupils = df[tracks].apply(pd.to_numeric, errors="coerce").fillna(0).sum(axis=1)
        rows.append(pd.DataFrame({
            "uai": df["numero_lycee"].str.strip(),
            "year": df["rentree_scolaire"].astype(int),
            "grade": grade,
            "pupils": pupils.astype(int),
        }))
    return pd.concat(rows, ignore_index=True)


GRADES_COLLEGE = ("6eme", "5eme", "4eme", "3eme")


def read_colleges_dnb_effectifs(source: Source) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """DNB by établissement joined with pupil counts (2021): returns (dnb, enrolment, priority)."""
    df = read_source(source)
    uai = df["numero_college"].str.strip()
    dnb = pd.DataFrame({
        "uai": uai,
        "session": df["session"].astype(int),
        "candidates": pd.to_numeric(df["presents"], errors="coerce"),
        "success_rate": pd.to_numeric(df["taux_de_reussite"].str.replace(",", "."), errors="coerce"),
        "value_added": None,
    }).dropna(subset=["candidates", "success_rate"])
    dnb["candidates"] = dnb["candidates"].astype(int)
    enrolment = pd.concat([
        pd.DataFrame({
            "uai": uai,
            "year": df["session"].astype(int),
            "grade": grade.replace("eme", "e"),
            "pupils": pd.to_numeric(df[f"{grade}_total"], errors="coerce"),
        })
        for grade in GRADES_COLLEGE
    ]).dropna(subset=["pupils"])
    enrolment["pupils"] = enrolment["pupils"].astype(int)
    priority = pd.DataFrame({
        "uai": uai,
        "priority_education": [
            "REP+" if plus == "1" else "REP" if rep == "1" else "hors REP"
            for rep, plus in zip(df["rep"], df["rep_plus"])
        ],
    })
    return dnb, enrolment, priority


def read_colleges_va(source: Source) -> pd.DataFrame:
    """Indicateurs de valeur ajoutée des collèges: general-track DNB per collège and session."""
    df = read_source(source)
    dnb = pd.DataFrame({
        "uai": df["UAI"].str.strip(),
        "session": df["Session"].astype(int),
        "candidates": pd.to_numeric(df["Nb candidats - G"], errors="coerce"),
        "success_rate": pd.to_numeric(df["Taux de réussite - G"].str.replace(",", "."), errors="coerce"),
        "value_added": pd.to_numeric(df["VA du taux de réussite - G"].str.replace(",", "."), errors="coerce"),
    }).dropna(subset=["candidates", "success_rate"])
    dnb["candidates"] = dnb["candidates"].astype(int)
    return dnb


def read_rep_geojson(source: Source) -> pd.DataFrame:
    """Public collèges and lycées of the académie: coordinates and REP / REP+ status."""
    df = read_source(source)
    status = {"REP": "REP", "REP+": "REP+", "NON": "hors REP"}
    return pd.DataFrame({
        "uai": df["Code etablissement"].str.strip(),
        "latitude": pd.to_numeric(df["Latitude"]),
        "longitude": pd.to_numeric(df["Longitude"]),
        "priority_education": df["Classement REP"].str.strip().map(status),
    })


def build_tables(sources: Mapping[str, Source]) -> dict[str, pd.DataFrame]:
    """The schools story's curated tables from its datasets' official files (keyed by dataset slug)."""
    iris = read_iris(sources["iris-contours"])
    ecoles, ips_ecoles = read_ips_ecoles(sources["ecoles-ips"])
    colleges = read_colleges_geoloc(sources["colleges-annuaire"])
    lycees, ips_lycees = read_ips_lycees(sources["lycees-ips"])
    dnb_2021, enrol_colleges, priority = read_colleges_dnb_effectifs(sources["colleges-dnb-effectifs"])
    dnb_va = read_colleges_va(sources["colleges-valeur-ajoutee"])
    rep = read_rep_geojson(sources["etablissements-education-prioritaire"])
    ips_colleges = read_ips_colleges(sources["colleges-ips"])
    lycees_enrolment = read_lycees_effectifs(sources["lycees-effectifs"])

    # Written to hold few copies of a national file's million schools at once: masks and maps
    # rather than re-indexed copies.
    schools = pd.concat([ecoles, colleges, lycees], ignore_index=True)
    del ecoles, colleges, lycees
    schools = schools[~schools["uai"].duplicated()].reset_index(drop=True)
    # Lycées have no coordinates of their own here: take the académie's file (public ones only).
    located = rep.drop_duplicates("uai").set_index("uai")
    missing = schools["latitude"].isna() & schools["uai"].isin(located.index)
    for col in ("latitude", "longitude"):
        schools.loc[missing, col] = schools.loc[missing, "uai"].map(located[col])
    status = pd.concat([priority.set_index("uai")["priority_education"], located["priority_education"]])
    status = status[~status.index.duplicated()]
    known = schools["uai"].isin(status.index) & schools["level"].ne("ecole")
    schools.loc[known, "priority_education"] = schools.loc[known, "uai"].map(status)
    schools["iris_code"] = assign_iris(schools, iris)
    schools["iris_name"] = schools["iris_code"].map(iris.set_index("code")["name"])

    ips = pd.concat([ips_ecoles, ips_colleges, ips_lycees], ignore_index=True)
    del ips_ecoles
    dnb = pd.concat([dnb_2021, dnb_va]).drop_duplicates(["uai", "session"])
    enrolment = pd.concat([enrol_colleges, lycees_enrolment])
    ips = ips[ips["uai"].isin(schools["uai"]) & ~ips.duplicated(["uai", "year"])]
    tables = {
        "school": schools,
        "school_ips": ips,
        "school_dnb": dnb[dnb["uai"].isin(schools["uai"])],
        "school_enrolment": enrolment[enrolment["uai"].isin(schools["uai"])].drop_duplicates(["uai", "year", "grade"]),
    }
    tables |= references(schools, tables["school_ips"], tables["school_dnb"])
    return tables


def references(schools: pd.DataFrame, ips: pd.DataFrame, dnb: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Per département: mean IPS of its schools per level and year; brevet success weighted by candidates."""
    codes = schools["commune_code"]
    departments = pd.Series(codes.map({c: department_of(c) for c in codes.unique()}).to_numpy(), index=schools["uai"])
    levels = pd.Series(schools["level"].to_numpy(), index=schools["uai"])
    ips = ips.assign(department=ips["uai"].map(departments), level=ips["uai"].map(levels))
    ips_ref = (ips.groupby(["department", "level", "year"], as_index=False)
               .agg(ips=("ips", "mean"), schools=("ips", "size")))
    dnb = dnb.assign(department=dnb["uai"].map(departments), weighted=dnb["success_rate"] * dnb["candidates"])
    dnb_ref = dnb.groupby(["department", "session"], as_index=False).agg(
        candidates=("candidates", "sum"), weighted=("weighted", "sum"))
    dnb_ref = dnb_ref[dnb_ref["candidates"] > 0]
    dnb_ref["success_rate"] = dnb_ref["weighted"] / dnb_ref["candidates"]
    return {"school_ips_reference": ips_ref, "school_dnb_reference": dnb_ref.drop(columns="weighted")}


def _complete(schools: pd.DataFrame) -> pd.DataFrame:
    for col in SCHOOL_COLUMNS:
        if col not in schools:
            schools[col] = None
    return schools[SCHOOL_COLUMNS].drop_duplicates("uai")

"""Readers for the Ministry of Education's official files, as published, into the curated shape.

Each `read_*` takes the official file and returns DataFrames whose columns are those of the tables
in `webapp.data.tables`. File formats: https://data.education.gouv.fr (dataset pages linked from
`data/sources/catalogue.json`).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd

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


def _sector(raw: str) -> str:
    return "prive" if str(raw).strip().lower().startswith(("priv", "pr")) else "public"


def _year(rentree: str | int) -> int:
    """'2021-2022' -> 2021 (a school year is named by its rentrée)."""
    return int(str(rentree)[:4])


def read_ips_ecoles(path: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """fr-en-ips_ecoles: one row per école; returns (schools, ips)."""
    df = pd.read_csv(path, sep=";", dtype=str, encoding="utf-8-sig")
    schools = pd.DataFrame({
        "uai": df["UAI"].str.strip(),
        "name": df["Nom de l'établissment"].map(display_name),
        "level": "ecole",
        "sector": df["Secteur"].map(_sector),
        "commune_code": df["Code INSEE de la commune"].str.zfill(5),
        "commune_name": df["Nom de la commune"].str.title(),
    })
    ips = pd.DataFrame({
        "uai": schools["uai"],
        "year": df["Rentrée scolaire"].map(_year),
        "ips": pd.to_numeric(df["IPS"].str.replace(",", "."), errors="coerce"),
    }).dropna(subset=["ips"])
    return _complete(schools), ips


def read_colleges_geoloc(path: Path) -> pd.DataFrame:
    """Adresse et géolocalisation des établissements (collèges): one row per collège."""
    df = pd.read_csv(path, sep=";", dtype=str, encoding="utf-8-sig")
    schools = pd.DataFrame({
        "uai": df["numero_uai"].str.strip(),
        "name": df["appellation_officielle"].str.strip(),
        "level": "college",
        "sector": df["secteur_public_prive_libe"].map(_sector),
        "commune_code": df["code_commune"].str.zfill(5),
        "commune_name": df["libelle_commune"].str.title(),
        "latitude": pd.to_numeric(df["latitude"], errors="coerce"),
        "longitude": pd.to_numeric(df["longitude"], errors="coerce"),
    })
    return _complete(schools)


def read_ips_colleges(path: Path) -> pd.DataFrame:
    """IPS des collèges (UAI, IPS): returns ips rows."""
    df = pd.read_csv(path, sep=";", dtype=str, encoding="utf-8-sig")
    return pd.DataFrame({
        "uai": df["UAI"].str.strip(),
        "year": df["Rentrée scolaire"].map(_year),
        "ips": pd.to_numeric(df["IPS"].str.replace(",", "."), errors="coerce"),
    }).dropna(subset=["ips"])


def read_ips_lycees(path: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """fr-en-ips_lycees: one row per lycée and year; the IPS kept is all tracks together."""
    df = pd.read_csv(path, sep=";", dtype=str, encoding="utf-8-sig")
    df["year"] = df["rentree_scolaire"].map(_year)
    latest = df.sort_values("year").groupby("uai").tail(1)
    schools = pd.DataFrame({
        "uai": latest["uai"].str.strip(),
        "name": latest["nom_de_l_etablissment"].map(display_name),
        "level": "lycee",
        "sector": latest["secteur"].map(_sector),
        "commune_code": latest["code_insee_de_la_commune"].str.zfill(5),
        "commune_name": latest["nom_de_la_commune"].str.title(),
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


def read_lycees_effectifs(path: Path) -> pd.DataFrame:
    """fr-en-lycee_gt-effectifs-niveau-sexe-lv: pupils per lycée, year and grade.

    Per grade the file has one column per track (`1eres_g`, `1eres_sti2d`, …) and sub-columns by sex
    and language (`1eres_g_filles`, …); a grade's pupils are the sum of its track columns.
    """
    df = pd.read_csv(path, sep=";", dtype=str, encoding="utf-8-sig")
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


def read_colleges_dnb_effectifs(path: Path) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """DNB by établissement joined with pupil counts (2021): returns (dnb, enrolment, priority)."""
    df = pd.read_csv(path, sep=",", dtype=str, encoding="utf-8-sig")
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


def read_colleges_va(path: Path) -> pd.DataFrame:
    """Indicateurs de valeur ajoutée des collèges: general-track DNB per collège and session."""
    df = pd.read_csv(path, sep=";", dtype=str, encoding="utf-8-sig")
    dnb = pd.DataFrame({
        "uai": df["UAI"].str.strip(),
        "session": df["Session"].astype(int),
        "candidates": pd.to_numeric(df["Nb candidats - G"], errors="coerce"),
        "success_rate": pd.to_numeric(df["Taux de réussite - G"].str.replace(",", "."), errors="coerce"),
        "value_added": pd.to_numeric(df["VA du taux de réussite - G"].str.replace(",", "."), errors="coerce"),
    }).dropna(subset=["candidates", "success_rate"])
    dnb["candidates"] = dnb["candidates"].astype(int)
    return dnb


def read_rep_geojson(path: Path) -> pd.DataFrame:
    """Public collèges and lycées of the académie: coordinates and REP / REP+ status."""
    features = json.loads(Path(path).read_text(encoding="utf-8"))["features"]
    status = {"REP": "REP", "REP+": "REP+", "NON": "hors REP"}
    return pd.DataFrame([
        {
            "uai": f["properties"]["Code etablissement"].strip(),
            "latitude": f["properties"]["Latitude"],
            "longitude": f["properties"]["Longitude"],
            "priority_education": status.get(str(f["properties"]["Classement REP"]).strip()),
        }
        for f in features
    ])


def read_iris(path: Path) -> pd.DataFrame:
    """IGN/INSEE IRIS outlines (GeoJSON): code, name, commune, geometry as GeoJSON text."""
    features = json.loads(Path(path).read_text(encoding="utf-8"))["features"]
    return pd.DataFrame([
        {
            "code": f["properties"]["CODE_IRIS"],
            "name": f["properties"]["NOM_IRIS"],
            "commune_code": f["properties"]["INSEE_COM"],
            "geometry": json.dumps(f["geometry"], separators=(",", ":")),
        }
        for f in features
    ])


def _complete(schools: pd.DataFrame) -> pd.DataFrame:
    for col in SCHOOL_COLUMNS:
        if col not in schools:
            schools[col] = None
    return schools[SCHOOL_COLUMNS].drop_duplicates("uai")

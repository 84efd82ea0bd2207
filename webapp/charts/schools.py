"""The schools story's charts: parameters, cached views, text summaries and data tables."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from webapp.charts import BadParameter, Chart, Param, register
from webapp.charts.cells import cell_int, cell_text, table_of
from webapp.data import privacy
from webapp.data import schools as q
from webapp.data.schools import LEVELS, SECTORS, SchoolFilter
from webapp.data.store import (
    build_id,
    frame_from_cache,
    frame_to_cache,
    get_db,
    get_settings,
    versioned,
)
from webapp.figures import schools as fig
from webapp.figures.base import short_school_name
from webapp.formatting import fmt_number, fmt_percent, fmt_school_year
from webapp.i18n import of_city

STORY = "ecoles"
PARAM_LEVEL, PARAM_SECTOR, PARAM_QUARTIER = "niveau", "secteur", "quartier"
ALL = "tous"


def school_build() -> int:
    """The build of the schools' curated tables for the versions this request is served."""
    return build_id("ecoles")


# --- parameters -------------------------------------------------------------------------------

@versioned("iris-contours")
def iris_choices() -> dict[str, Any]:
    """The commune's IRIS (code, name): the allowed values of `quartier`."""
    df = q.query_iris(get_db(), school_build(), get_settings().city_insee)
    return frame_to_cache(df[["code", "name"]])


def parse_filters(args: Mapping[str, str]) -> SchoolFilter:
    """Validate `niveau`, `secteur`, `quartier` from a query string into a `SchoolFilter`."""
    raw_levels = (args.get(PARAM_LEVEL) or "").strip()
    levels: tuple[str, ...] = LEVELS
    if raw_levels and raw_levels != ALL:
        parts = [p.strip() for p in raw_levels.split(",") if p.strip()]
        bad = [p for p in parts if p not in LEVELS]
        if bad or not parts:
            raise BadParameter(PARAM_LEVEL, raw_levels, [*LEVELS, ALL])
        levels = tuple(lv for lv in LEVELS if lv in parts)
    sector = (args.get(PARAM_SECTOR) or ALL).strip()
    if sector not in (*SECTORS, ALL):
        raise BadParameter(PARAM_SECTOR, sector, [*SECTORS, ALL])
    quartier = (args.get(PARAM_QUARTIER) or ALL).strip()
    codes = frame_from_cache(iris_choices())["code"].tolist()
    if quartier not in (*codes, ALL):
        raise BadParameter(PARAM_QUARTIER, quartier, [*codes, ALL])
    return SchoolFilter(levels, None if sector == ALL else sector, None if quartier == ALL else quartier)


def filter_query(f: SchoolFilter) -> dict[str, str]:
    """The query-string form of a filter, defaults left out (the shareable URL)."""
    out = {}
    if f.levels != LEVELS:
        out[PARAM_LEVEL] = ",".join(f.levels)
    if f.sector:
        out[PARAM_SECTOR] = f.sector
    if f.iris:
        out[PARAM_QUARTIER] = f.iris
    return out


# --- views ------------------------------------------------------------------------------------

def _num1(v: Any, lang: str) -> str:
    return fmt_number(v, lang, 1)


def _pct(v: Any, lang: str) -> str:
    return fmt_percent(v, lang)


def _level(v: Any, lang: str) -> str:
    return fig.LEVEL_LABELS[lang].get(v, v)


def _sector(v: Any, lang: str) -> str:
    return fig.SECTOR_LABELS[lang].get(v, v)


def _school_year(v: Any, lang: str) -> str:
    return fmt_school_year(int(v), lang) if v is not None and not pd.isna(v) else ""


COL = {
    "name": ({"fr": "Établissement", "en": "School"}, cell_text),
    "level": ({"fr": "Niveau", "en": "Level"}, _level),
    "sector": ({"fr": "Secteur", "en": "Sector"}, _sector),
    "priority": ({"fr": "Éducation prioritaire", "en": "Priority education"}, cell_text),
    "quartier": ({"fr": "Quartier (IRIS)", "en": "Neighbourhood (IRIS)"}, cell_text),
    "ips": ({"fr": "IPS", "en": "IPS"}, _num1),
    "ips_year": ({"fr": "Année scolaire", "en": "School year"}, _school_year),
}


@versioned(*q.DATASETS_DIRECTORY, "colleges-ips")
def view_map(f: SchoolFilter, lang: str) -> dict[str, Any]:
    s = get_settings()
    schools = q.query_schools(get_db(), school_build(), s.city_insee, f)
    iris = q.query_iris(get_db(), school_build(), s.city_insee)
    located = schools.dropna(subset=["latitude"])
    unlocated = schools[schools["latitude"].isna()]
    figure = fig.build_map(schools, iris, f.iris, lang)
    counts = located.groupby("level").size()
    parts = [f"{fmt_number(n, lang)} {fig.LEVEL_PLURALS[lang][lv] if n > 1 else fig.LEVEL_LABELS[lang][lv].lower()}"
             for lv, n in counts.items()]
    if lang == "fr":
        summary = (f"La carte montre les {len(iris)} quartiers IRIS {of_city(s.city_name)} et "
                   f"{fmt_number(len(located), lang)} établissements localisés : {', '.join(parts) or 'aucun'}.")
        if len(unlocated):
            summary += (f" {fmt_number(len(unlocated), lang)} établissements ne sont pas sur la carte faute de "
                        "coordonnées dans les fichiers ouverts (les écoles et les lycées privés).")
    else:
        summary = (f"The map shows {s.city_name}'s {len(iris)} IRIS neighbourhoods and "
                   f"{fmt_number(len(located), lang)} located schools: {', '.join(parts) or 'none'}.")
        if len(unlocated):
            summary += (f" {fmt_number(len(unlocated), lang)} schools are not on the map: the open files give no "
                        "coordinates for primary schools and private lycées.")
    table = table_of([COL["name"], COL["level"], COL["sector"], COL["priority"], COL["quartier"]],
                   located[["name", "level", "sector", "priority_education", "iris_name"]], lang)
    return {"figure": figure, "summary": summary, "table": table}


@versioned(*q.DATASETS_DIRECTORY, "colleges-ips")
def view_ips(f: SchoolFilter, lang: str) -> dict[str, Any]:
    s = get_settings()
    schools = q.query_schools(get_db(), school_build(), s.city_insee, f)
    reference = q.query_ips_reference(get_db(), school_build(), s.city_department)
    figure = fig.build_ips(schools, reference, s.city_department_name, lang)
    rated = schools.dropna(subset=["ips"])
    sentences = []
    for level, group in rated.groupby("level", sort=False):
        year = int(group["ips_year"].max())
        ref = reference[(reference["level"] == level) & (reference["year"] == year)]
        above = int((group["ips"] > float(ref["ips"].iloc[0])).sum()) if not ref.empty else 0
        plural = fig.LEVEL_PLURALS[lang][level]
        lo, hi = group.loc[group["ips"].idxmin()], group.loc[group["ips"].idxmax()]
        lo_name, hi_name = short_school_name(lo["name"], 60), short_school_name(hi["name"], 60)
        if lang == "fr":
            sentences.append(
                f"{fmt_number(len(group), lang)} {plural} ({fmt_school_year(year)}) : IPS de {fmt_number(lo.ips, lang, 1)} "
                f"({lo_name}) à {fmt_number(hi.ips, lang, 1)} ({hi_name}) ; {fmt_number(above, lang)} au-dessus de la "
                f"moyenne du {s.city_department_name} ({fmt_number(float(ref['ips'].iloc[0]), lang, 1) if not ref.empty else '–'})."
            )
        else:
            sentences.append(
                f"{fmt_number(len(group), lang)} {plural} ({fmt_school_year(year)}): IPS from {fmt_number(lo.ips, lang, 1)} "
                f"({lo_name}) to {fmt_number(hi.ips, lang, 1)} ({hi_name}); {fmt_number(above, lang)} above the "
                f"{s.city_department_name} average ({fmt_number(float(ref['ips'].iloc[0]), lang, 1) if not ref.empty else '–'})."
            )
    summary = " ".join(sentences) or fig.L[lang]["no_data"]
    table = table_of([COL["name"], COL["level"], COL["sector"], COL["ips_year"], COL["ips"]],
                   rated[["name", "level", "sector", "ips_year", "ips"]], lang)
    return {"figure": figure, "summary": summary, "table": table}


@versioned(*q.DATASETS_DIRECTORY)
def view_ips_history(f: SchoolFilter, lang: str) -> dict[str, Any]:
    s = get_settings()
    history = q.query_ips_history(get_db(), school_build(), s.city_insee, f)
    reference = q.query_ips_reference(get_db(), school_build(), s.city_department)
    figure = fig.build_ips_history(history, reference, s.city_department_name, lang)
    lycees = history[history["level"] == "lycee"]
    if lycees.empty:
        summary = fig.L[lang]["no_lycee"]
    else:
        first, last = int(lycees["year"].min()), int(lycees["year"].max())
        changes = []
        for _, g in lycees.groupby("uai"):
            g = g.sort_values("year")
            if len(g) > 1:
                changes.append((g["name"].iloc[0], float(g["ips"].iloc[-1] - g["ips"].iloc[0])))
        rising = sum(1 for _, d in changes if d > 0)
        if lang == "fr":
            summary = (f"De {fmt_school_year(first)} à {fmt_school_year(last)}, l'IPS a augmenté dans {rising} des "
                       f"{len(changes)} lycées suivis sur plusieurs années. La ligne en tirets donne la moyenne des "
                       f"lycées du {s.city_department_name}.")
        else:
            summary = (f"From {fmt_school_year(first)} to {fmt_school_year(last)}, the IPS rose in {rising} of the "
                       f"{len(changes)} lycées followed over several years. The dashed line is the average of "
                       f"{s.city_department_name}'s lycées.")
    table = table_of([COL["name"], COL["ips_year"], COL["ips"]], lycees[["name", "year", "ips"]], lang)
    return {"figure": figure, "summary": summary, "table": table}


@versioned("lycees-effectifs", "colleges-dnb-effectifs", *q.DATASETS_DIRECTORY)
def view_enrolment(f: SchoolFilter, lang: str) -> dict[str, Any]:
    s = get_settings()
    enrolment = q.query_enrolment(get_db(), school_build(), s.city_insee, f)
    figure = fig.build_enrolment(enrolment, lang)
    if enrolment.empty:
        summary = fig.L[lang]["no_enrolment"]
    else:
        latest = enrolment.sort_values("year").groupby("uai").tail(1)
        by_level = latest.groupby("level")["pupils"].sum()
        parts = [f"{fmt_number(n, lang)} {'élèves en' if lang == 'fr' else 'pupils in'} "
                 f"{fig.LEVEL_PLURALS[lang][lv]}" for lv, n in by_level.items()]
        if lang == "fr":
            summary = ("Dernière année publiée : " + " et ".join(parts) + ". Les collèges n'ont qu'une année publiée "
                       "(2021-2022) ; les lycées généraux et technologiques en ont trois (2019 à 2021).")
        else:
            summary = ("Latest published year: " + " and ".join(parts) + ". Collèges have one published year "
                       "(2021-2022); general and technological lycées have three (2019 to 2021).")
    table = table_of([COL["name"], COL["level"], COL["ips_year"],
                    ({"fr": "Élèves", "en": "Pupils"}, cell_int)],
                   enrolment[["name", "level", "year", "pupils"]], lang)
    return {"figure": figure, "summary": summary, "table": table}


@versioned("colleges-dnb-effectifs", "colleges-valeur-ajoutee", *q.DATASETS_DIRECTORY)
def view_dnb(f: SchoolFilter, lang: str) -> dict[str, Any]:
    s = get_settings()
    dnb = q.query_dnb(get_db(), school_build(), s.city_insee, f)
    minimum = privacy.min_count("colleges-dnb-effectifs", "colleges-valeur-ajoutee")
    dnb, hidden = privacy.suppress_small(dnb, "candidates", ["success_rate", "value_added"], minimum)
    shown = dnb.dropna(subset=["success_rate"])
    reference = q.query_dnb_reference(get_db(), school_build(), s.city_department)
    figure = fig.build_dnb(shown, reference, s.city_department_name, lang)
    if shown.empty:
        summary = fig.L[lang]["no_college"]
    else:
        last = int(shown["session"].max())
        cur = shown[shown["session"] == last]
        rate = float((cur["success_rate"] * cur["candidates"]).sum() / cur["candidates"].sum())
        ref = reference[reference["session"] == last]
        ref_rate = float(ref["success_rate"].iloc[0]) if not ref.empty else None
        if lang == "fr":
            summary = (f"Session {last} : {fmt_percent(rate, lang)} de réussite au brevet (série générale) pour "
                       f"les {fmt_number(int(cur['candidates'].sum()), lang)} candidats des collèges retenus, contre "
                       f"{fmt_percent(ref_rate, lang)} dans le {s.city_department_name}.")
        else:
            summary = (f"{last} session: {fmt_percent(rate, lang)} brevet success (general track) for the "
                       f"{fmt_number(int(cur['candidates'].sum()), lang)} candidates of the selected collèges, against "
                       f"{fmt_percent(ref_rate, lang)} in {s.city_department_name}.")
    summary = " ".join(filter(None, [summary, privacy.notice(hidden, minimum, lang, grouped=False)]))
    table = table_of([COL["name"], COL["sector"], ({"fr": "Session", "en": "Session"}, cell_text),
                    ({"fr": "Candidats", "en": "Candidates"}, cell_int),
                    ({"fr": "Taux de réussite", "en": "Success rate"}, _pct),
                    ({"fr": "Valeur ajoutée (points)", "en": "Value added (points)"}, _num1)],
                   dnb[["name", "sector", "session", "candidates", "success_rate", "value_added"]], lang)
    return {"figure": figure, "summary": summary, "table": table}


# --- registry ---------------------------------------------------------------------------------

SCHOOL_DATASETS = ("colleges-annuaire", "etablissements-education-prioritaire", "iris-contours")
DEPENDS = tuple(sorted({*q.DATASETS_DIRECTORY, "colleges-ips", "colleges-valeur-ajoutee", "lycees-effectifs"}))
PARAMS = (
    Param(PARAM_LEVEL, ALL, lambda: [*LEVELS, ALL], {"fr": "Niveau", "en": "Level"}, multiple=True),
    Param(PARAM_SECTOR, ALL, lambda: [*SECTORS, ALL], {"fr": "Secteur", "en": "Sector"}),
    Param(PARAM_QUARTIER, ALL, lambda: [*frame_from_cache(iris_choices())["code"], ALL],
          {"fr": "Quartier (code IRIS)", "en": "Neighbourhood (IRIS code)"}),
)
COMMON = {"story": STORY, "story_path": "/ecoles", "depends": DEPENDS, "params": PARAMS, "parse": parse_filters}

register(Chart(
    slug="ecoles-carte", kind="map", **COMMON,
    title={"fr": "Carte des collèges et lycées", "en": "Map of collèges and lycées"},
    datasets=SCHOOL_DATASETS, view=view_map,
    note={"fr": "Rond : établissement public ; losange : privé sous contrat ; contour noir (blanc sur fond sombre) : "
                "éducation prioritaire (REP). Les écoles et les lycées privés n'ont pas de coordonnées dans les fichiers ouverts utilisés : "
                "ils figurent dans les autres graphiques mais pas sur la carte.",
          "en": "Circle: public school; diamond: private (state-contracted); black outline (white on a dark page): "
                "priority education (REP). Primary schools and private lycées have no coordinates in the open files used: they appear "
                "in the other charts but not on the map."},
))
register(Chart(
    slug="ecoles-ips", kind="bar", **COMMON,
    title={"fr": "Indice de position sociale (IPS) de chaque établissement",
           "en": "Social position index (IPS) of each school"},
    datasets=("ecoles-ips", "colleges-ips", "lycees-ips"), view=view_ips,
    note={"fr": "L'IPS résume le milieu social des élèves (plus il est élevé, plus le milieu est favorisé). "
                "La moyenne départementale est la moyenne simple des établissements. La moyenne de l'académie ne "
                "peut pas être calculée ici : les fichiers utilisés ne contiennent que le département.",
          "en": "The IPS sums up pupils' social background (higher means more advantaged). The département average "
                "is the plain mean of its schools. The académie average cannot be computed here: the files used "
                "only cover the département."},
))
register(Chart(
    slug="ecoles-ips-lycees", kind="line", **COMMON,
    title={"fr": "Évolution de l'IPS des lycées", "en": "IPS of lycées over time"},
    datasets=("lycees-ips",), view=view_ips_history,
))
register(Chart(
    slug="ecoles-effectifs", kind="bar", **COMMON,
    title={"fr": "Élèves des collèges et lycées", "en": "Pupils in collèges and lycées"},
    datasets=("colleges-dnb-effectifs", "lycees-effectifs"), view=view_enrolment,
    note={"fr": "Le nombre d'élèves des écoles de la commune n'est pas publié dans les fichiers ouverts utilisés ; "
                "les lycées professionnels n'ont pas d'effectifs publiés dans le fichier des lycées généraux et "
                "technologiques.",
          "en": "Pupil counts of the town's primary schools are not in the open files used; vocational lycées have no "
                "counts in the general and technological lycées file."},
))
register(Chart(
    slug="ecoles-brevet", kind="bar", **COMMON,
    title={"fr": "Réussite au brevet des collèges", "en": "Brevet success in collèges"},
    datasets=("colleges-dnb-effectifs", "colleges-valeur-ajoutee"), view=view_dnb,
    note={"fr": "Session 2021 : toutes séries ; sessions 2022 et 2023 : série générale. La valeur ajoutée compare "
                "le taux de réussite à celui attendu compte tenu des élèves.",
          "en": "2021 session: all tracks; 2022 and 2023 sessions: general track. Value added compares the success "
                "rate with the rate expected given the pupils."},
))


# --- key figures ------------------------------------------------------------------------------

@versioned("*")
def overview() -> dict[str, Any]:
    """Counts and rates for the story's key figures and sentences (language-neutral numbers)."""
    s = get_settings()
    everyone = SchoolFilter()
    schools = q.query_schools(get_db(), school_build(), s.city_insee, everyone)
    enrolment = q.query_enrolment(get_db(), school_build(), s.city_insee, everyone)
    dnb = q.query_dnb(get_db(), school_build(), s.city_insee, everyone)
    reference = q.query_dnb_reference(get_db(), school_build(), s.city_department)
    last = int(dnb["session"].max()) if not dnb.empty else None
    cur = dnb[dnb["session"] == last]
    ref = reference[reference["session"] == last]
    colleges = enrolment[enrolment["level"] == "college"]
    colleges = colleges[colleges["year"] == colleges["year"].max()]
    return {
        "counts": {lv: int((schools["level"] == lv).sum()) for lv in LEVELS},
        "private": int((schools["sector"] == "prive").sum()),
        "priority": int(schools["priority_education"].fillna("").str.startswith("REP").sum()),
        "college_pupils": int(colleges["pupils"].sum()) if not colleges.empty else None,
        "college_year": int(colleges["year"].max()) if not colleges.empty else None,
        "dnb_session": last,
        "dnb_rate": float((cur["success_rate"] * cur["candidates"]).sum() / cur["candidates"].sum()) if last else None,
        "dnb_reference": float(ref["success_rate"].iloc[0]) if not ref.empty else None,
    }

"""The schools story's charts: parameters, cached views, text summaries and data tables."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

import pandas as pd

from webapp.charts import Chart, Param, register
from webapp.charts.cells import cell_int, cell_text, table_of
from webapp.charts.geography import iris_choices, town_iris  # noqa: F401
from webapp.data import privacy
from webapp.data import schools as q
from webapp.data.schools import LEVELS, SECTORS, SchoolFilter
from webapp.data.store import (
    build_id,
    frame_from_cache,
    get_db,
    get_settings,
    versioned,
)
from webapp.figures import schools as fig
from webapp.figures.base import short_school_name
from webapp.formatting import fmt_number, fmt_percent, fmt_school_year
from webapp.i18n import _, _l, ngettext, of_city
from webapp.public_error import bad_parameter

STORY = "ecoles"
PARAM_LEVEL, PARAM_SECTOR, PARAM_QUARTIER = "niveau", "secteur", "quartier"
ALL = "tous"


def school_build() -> int:
    """The build of the schools' curated tables for the versions this request is served."""
    return build_id("ecoles")


# --- parameters -------------------------------------------------------------------------------

def parse_filters(args: Mapping[str, str]) -> SchoolFilter:
    """Validate `niveau`, `secteur`, `quartier` from a query string into a `SchoolFilter`."""
    raw_levels = (args.get(PARAM_LEVEL) or "").strip()
    levels: tuple[str, ...] = LEVELS
    if raw_levels and raw_levels != ALL:
        parts = [p.strip() for p in raw_levels.split(",") if p.strip()]
        bad = [p for p in parts if p not in LEVELS]
        if bad or not parts:
            raise bad_parameter(PARAM_LEVEL, raw_levels, [*LEVELS, ALL])
        levels = tuple(lv for lv in LEVELS if lv in parts)
    sector = (args.get(PARAM_SECTOR) or ALL).strip()
    if sector not in (*SECTORS, ALL):
        raise bad_parameter(PARAM_SECTOR, sector, [*SECTORS, ALL])
    quartier = (args.get(PARAM_QUARTIER) or ALL).strip()
    codes = frame_from_cache(iris_choices())["code"].tolist()
    if quartier not in (*codes, ALL):
        raise bad_parameter(PARAM_QUARTIER, quartier, [*codes, ALL])
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
    return fig.level_label(v, lang)


def _sector(v: Any, lang: str) -> str:
    return fig.sector_label(v, lang)


def _school_year(v: Any, lang: str) -> str:
    return fmt_school_year(int(v), lang) if v is not None and not pd.isna(v) else ""


COL = {
    "name": (_l("Établissement"), cell_text),
    "level": (_l("Niveau"), _level),
    "sector": (_l("Secteur"), _sector),
    "priority": (_l("Éducation prioritaire"), cell_text),
    "quartier": (_l("Quartier (IRIS)"), cell_text),
    "ips": (_l("IPS"), _num1),
    "ips_year": (_l("Année scolaire"), _school_year),
    "pupils": (_l("Élèves"), cell_int),
    "session": (_l("Session"), cell_text),
    "candidates": (_l("Candidats"), cell_int),
    "success_rate": (_l("Taux de réussite"), _pct),
    "value_added": (_l("Valeur ajoutée (points)"), _num1),
}


def _table(keys: tuple[str, ...], df: pd.DataFrame, lang: str) -> dict[str, Any]:
    """The data table of the columns `keys` of COL, labelled in `lang`."""
    return table_of([(COL[k][0][lang], COL[k][1]) for k in keys], df, lang)


def _level_count(level: str, n: int, lang: str) -> str:
    """"3 collèges", "1 lycée": a number of schools of one level."""
    shown = fmt_number(n, lang)
    if level == "ecole":
        return ngettext("{n} école", "{n} écoles", n, lang, n=shown)
    if level == "college":
        return ngettext("{n} collège", "{n} collèges", n, lang, n=shown)
    return ngettext("{n} lycée", "{n} lycées", n, lang, n=shown)


def _located_parts(located: pd.DataFrame, lang: str) -> str:
    """"3 collèges, 1 lycée": the located schools counted by level."""
    return ", ".join(_level_count(lv, n, lang) for lv, n in located.groupby("level").size().items())


@versioned(*q.DATASETS_DIRECTORY, "colleges-ips")
def view_map(f: SchoolFilter, lang: str) -> dict[str, Any]:
    s = get_settings()
    schools = q.query_schools(get_db(), school_build(), s.city_insee, f)
    iris = town_iris()
    located = schools.dropna(subset=["latitude"])
    unlocated = schools[schools["latitude"].isna()]
    figure = fig.build_map(schools, iris, f.iris, lang)
    summary = _("La carte montre les {n_iris} quartiers IRIS {of_city} et {n} établissements localisés : {parts}.",
                lang, n_iris=len(iris), city=s.city_name, of_city=of_city(s.city_name),
                n=fmt_number(len(located), lang), parts=_located_parts(located, lang) or _("aucun", lang))
    if len(unlocated):
        summary += " " + _("{n} établissements ne sont pas sur la carte faute de coordonnées dans les fichiers ouverts "
                           "(les écoles et les lycées privés).", lang, n=fmt_number(len(unlocated), lang))
    table = _table(("name", "level", "sector", "priority", "quartier"),
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
        lo, hi = group.loc[group["ips"].idxmin()], group.loc[group["ips"].idxmax()]
        sentences.append(_(
            "{n} {level} ({year}) : IPS de {lo} ({lo_name}) à {hi} ({hi_name}) ; {above} au-dessus de la moyenne du "
            "{dep} ({ref}).", lang,
            n=fmt_number(len(group), lang), level=fig.level_plural(level, lang), year=fmt_school_year(year),
            lo=fmt_number(lo.ips, lang, 1), lo_name=short_school_name(lo["name"], 60),
            hi=fmt_number(hi.ips, lang, 1), hi_name=short_school_name(hi["name"], 60),
            above=fmt_number(above, lang), dep=s.city_department_name,
            ref=fmt_number(float(ref["ips"].iloc[0]), lang, 1) if not ref.empty else "–"))
    summary = " ".join(sentences) or _(fig.NO_DATA, lang)
    columns = ("name", "level", "sector", "ips_year", "ips")
    table = _table(columns, rated[list(columns)], lang)
    return {"figure": figure, "summary": summary, "table": table}


@versioned(*q.DATASETS_DIRECTORY)
def view_ips_history(f: SchoolFilter, lang: str) -> dict[str, Any]:
    s = get_settings()
    history = q.query_ips_history(get_db(), school_build(), s.city_insee, f)
    reference = q.query_ips_reference(get_db(), school_build(), s.city_department)
    figure = fig.build_ips_history(history, reference, s.city_department_name, lang)
    lycees = history[history["level"] == "lycee"]
    if lycees.empty:
        summary = _(fig.NO_LYCEE, lang)
    else:
        first, last = int(lycees["year"].min()), int(lycees["year"].max())
        changes = []
        for _uai, g in lycees.groupby("uai"):
            g = g.sort_values("year")
            if len(g) > 1:
                changes.append((g["name"].iloc[0], float(g["ips"].iloc[-1] - g["ips"].iloc[0])))
        rising = sum(1 for _name, d in changes if d > 0)
        summary = _("De {first} à {last}, l'IPS a augmenté dans {rising} des {n} lycées suivis sur plusieurs années. "
                    "La ligne en tirets donne la moyenne des lycées du {dep}.", lang,
                    first=fmt_school_year(first), last=fmt_school_year(last), rising=rising, n=len(changes),
                    dep=s.city_department_name)
    table = _table(("name", "ips_year", "ips"), lycees[["name", "year", "ips"]], lang)
    return {"figure": figure, "summary": summary, "table": table}


@versioned("lycees-effectifs", "colleges-dnb-effectifs", *q.DATASETS_DIRECTORY)
def view_enrolment(f: SchoolFilter, lang: str) -> dict[str, Any]:
    s = get_settings()
    enrolment = q.query_enrolment(get_db(), school_build(), s.city_insee, f)
    figure = fig.build_enrolment(enrolment, lang)
    if enrolment.empty:
        summary = _(fig.NO_ENROLMENT, lang)
    else:
        latest = enrolment.sort_values("year").groupby("uai").tail(1)
        by_level = latest.groupby("level")["pupils"].sum()
        parts = [_("{n} élèves en {level}", lang, n=fmt_number(n, lang), level=fig.level_plural(lv, lang))
                 for lv, n in by_level.items()]
        both = functools.reduce(lambda a, b: _("{a} et {b}", lang, a=a, b=b), parts)
        summary = _("Dernière année publiée : {parts}. Les collèges n'ont qu'une année publiée (2021-2022) ; les lycées "
                    "généraux et technologiques en ont trois (2019 à 2021).", lang, parts=both)
    table = _table(("name", "level", "ips_year", "pupils"), enrolment[["name", "level", "year", "pupils"]], lang)
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
        summary = _(fig.NO_COLLEGE, lang)
    else:
        last = int(shown["session"].max())
        cur = shown[shown["session"] == last]
        rate = float((cur["success_rate"] * cur["candidates"]).sum() / cur["candidates"].sum())
        ref = reference[reference["session"] == last]
        ref_rate = float(ref["success_rate"].iloc[0]) if not ref.empty else None
        summary = _("Session {session} : {rate} de réussite au brevet (série générale) pour les {n} candidats des "
                    "collèges retenus, contre {ref} dans le {dep}.", lang,
                    session=last, rate=fmt_percent(rate, lang), n=fmt_number(int(cur["candidates"].sum()), lang),
                    ref=fmt_percent(ref_rate, lang), dep=s.city_department_name)
    summary = " ".join(filter(None, [summary, privacy.notice(hidden, minimum, lang, grouped=False)]))
    table = _table(("name", "sector", "session", "candidates", "success_rate", "value_added"),
                   dnb[["name", "sector", "session", "candidates", "success_rate", "value_added"]], lang)
    return {"figure": figure, "summary": summary, "table": table}


# --- registry ---------------------------------------------------------------------------------

SCHOOL_DATASETS = ("colleges-annuaire", "etablissements-education-prioritaire", "iris-contours")
DEPENDS = tuple(sorted({*q.DATASETS_DIRECTORY, "colleges-ips", "colleges-valeur-ajoutee", "lycees-effectifs"}))
PARAMS = (
    Param(PARAM_LEVEL, ALL, lambda: [*LEVELS, ALL], _l("Niveau"), multiple=True),
    Param(PARAM_SECTOR, ALL, lambda: [*SECTORS, ALL], _l("Secteur")),
    Param(PARAM_QUARTIER, ALL, lambda: [*frame_from_cache(iris_choices())["code"], ALL], _l("Quartier (code IRIS)")),
)
COMMON = {"story": STORY, "story_path": "/ecoles", "depends": DEPENDS, "params": PARAMS, "parse": parse_filters}

register(Chart(
    slug="ecoles-carte", kind="map", **COMMON,
    title=_l("Carte des collèges et lycées"),
    datasets=SCHOOL_DATASETS, view=view_map,
    note=_l("Rond : établissement public ; losange : privé sous contrat ; contour noir (blanc sur fond sombre) : "
            "éducation prioritaire (REP). Les écoles et les lycées privés n'ont pas de coordonnées dans les fichiers "
            "ouverts utilisés : ils figurent dans les autres graphiques mais pas sur la carte."),
))
register(Chart(
    slug="ecoles-ips", kind="bar", **COMMON,
    title=_l("Indice de position sociale (IPS) de chaque établissement"),
    datasets=("ecoles-ips", "colleges-ips", "lycees-ips"), view=view_ips,
    note=_l("L'IPS résume le milieu social des élèves (plus il est élevé, plus le milieu est favorisé). "
            "La moyenne départementale est la moyenne simple des établissements. La moyenne de l'académie ne "
            "peut pas être calculée ici : les fichiers utilisés ne contiennent que le département."),
))
register(Chart(
    slug="ecoles-ips-lycees", kind="line", **COMMON,
    title=_l("Évolution de l'IPS des lycées"),
    datasets=("lycees-ips",), view=view_ips_history,
))
register(Chart(
    slug="ecoles-effectifs", kind="bar", **COMMON,
    title=_l("Élèves des collèges et lycées"),
    datasets=("colleges-dnb-effectifs", "lycees-effectifs"), view=view_enrolment,
    note=_l("Le nombre d'élèves des écoles de la commune n'est pas publié dans les fichiers ouverts utilisés ; "
            "les lycées professionnels n'ont pas d'effectifs publiés dans le fichier des lycées généraux et "
            "technologiques."),
))
register(Chart(
    slug="ecoles-brevet", kind="bar", **COMMON,
    title=_l("Réussite au brevet des collèges"),
    datasets=("colleges-dnb-effectifs", "colleges-valeur-ajoutee"), view=view_dnb,
    note=_l("Session 2021 : toutes séries ; sessions 2022 et 2023 : série générale. La valeur ajoutée compare "
            "le taux de réussite à celui attendu compte tenu des élèves."),
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

"""The commerce observatory at one year-end: the activity mix, the units on the map, vacancy against footfall.

They read the activity mix per IRIS, each unit's state and the units around each counting point
(`webapp.data.importers.commerce`), and the footfall story's passages.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd

from webapp.charts.cells import cell_int, cell_text, table_of
from webapp.charts.commerce_common import (
    category_label,
    cell_share,
    commerce_build,
    empty_view,
    no_data,
    perimeter_label,
    share,
)
from webapp.charts.geography import town_iris
from webapp.data import commerce as q
from webapp.data.commerce import DATASETS, in_perimeter
from webapp.data.footfall import DATASETS as FOOTFALL_DATASETS  # the observatory reads the counting points
from webapp.data.footfall import GROUP as FOOTFALL_GROUP
from webapp.data.importers.commerce import CATEGORIES, NEAR_POINT_METRES
from webapp.data.store import build_id, get_db, versioned
from webapp.figures import commerce as fig
from webapp.figures.base import ranked_bars
from webapp.formatting import fmt_date, fmt_number
from webapp.i18n import _, ngettext, pgettext


@versioned(*DATASETS)
def view_mix(year: int, perimeter: str, hyper: tuple[str, ...], lang: str) -> dict[str, Any]:
    mix = q.query_mix(get_db(), commerce_build(), year)
    mix = mix[in_perimeter(mix["iris_code"], perimeter, hyper)]
    if mix.empty:
        return no_data(lang)
    by = mix.groupby("category")[["businesses", "independents"]].sum().reindex(CATEGORIES).dropna()
    by = by[by["businesses"] > 0].sort_values("businesses", ascending=False)
    total, independents = int(by["businesses"].sum()), int(by["independents"].sum())
    labels = [category_label(c, lang) for c in by.index]
    texts = [share(v, total, lang) for v in by["businesses"]]
    hover = [_("{name}\u202f: {n} ({share}), dont {independent} indépendants", lang, name=name, n=fmt_number(v, lang),
               share=share(v, total, lang), independent=share(i, v, lang))
             for name, v, i in zip(labels, by["businesses"], by["independents"])]
    figure = ranked_bars(labels, by["businesses"].astype(int).tolist(), texts, hover, lang)
    lead = ", ".join(f"{name.lower()} {text}" for name, text in zip(labels[:3], texts[:3]))
    summary = _("Fin {year}, {n} commerces ouverts ({where}) : {lead}. {independent} sont des commerces "
                "indépendants, les autres des enseignes.", lang, year=year, n=fmt_number(total, lang),
                where=perimeter_label(perimeter, lang), lead=lead, independent=share(independents, total, lang))
    frame = pd.DataFrame({"category": labels, "businesses": by["businesses"].astype(int).tolist(),
                          "share": (by["businesses"] / total).tolist(),
                          "independent": (by["independents"] / by["businesses"]).tolist()})
    table = table_of([(_("Activité", lang), cell_text), (pgettext("businesses column", "Commerces", lang), cell_int),
                      (_("Part", lang), cell_share), (_("Part d'indépendants", lang), cell_share)], frame, lang)
    return {"figure": figure, "summary": summary, "table": table}


def _map_summary(units: pd.DataFrame, placed: pd.DataFrame, streets: pd.DataFrame, year: int, where: str,
                 lang: str) -> str:
    """The vacant units, the streets that have the most, and the units the map cannot place."""
    vacant = int(units["vacant"].sum())
    values = {"year": year, "where": where, "vacant": fmt_number(vacant, lang), "units": fmt_number(len(units), lang),
              "share": share(vacant, len(units), lang)}
    worst = streets[streets["vacant"] > 0].head(3)
    named = ", ".join(f"{s.street} ({fmt_number(s.vacant, lang)})" for s in worst.itertuples())
    if named:
        summary = _("Fin {year}, {where} : {vacant} cellules vacantes sur {units} ({share}) ; les rues qui en comptent "
                    "le plus : {streets}.", lang, streets=named, **values)
    else:
        summary = _("Fin {year}, {where} : {vacant} cellules vacantes sur {units} ({share}).", lang, **values)
    if len(placed) < len(units):
        missing = len(units) - len(placed)
        summary += " " + ngettext("{n} cellule sans position n'est pas sur la carte, mais compte dans le tableau.",
                                  "{n} cellules sans position ne sont pas sur la carte, mais comptent dans le tableau.",
                                  missing, lang, n=fmt_number(missing, lang))
    return summary


@versioned(*DATASETS, "iris-contours")
def view_map(year: int, perimeter: str, hyper: tuple[str, ...], lang: str) -> dict[str, Any]:
    units = q.query_units(get_db(), commerce_build(), year)
    units = units[in_perimeter(units["iris_code"], perimeter, hyper)].copy()
    if units.empty:
        return no_data(lang)
    units["vacant"] = units["vacant"].astype(bool)
    placed = units.dropna(subset=["longitude", "latitude"])  # the table and figures count every unit
    iris = town_iris()
    names = {"open": _("Cellule occupée", lang), "vacant": _("Cellule vacante", lang)}
    hover = []
    for u in placed.itertuples():
        address = f"{u.street_number} {u.street}" if isinstance(u.street_number, str) and u.street_number else u.street
        what = names["vacant"] if u.vacant else f"{u.name or ''} ({category_label(u.category or '', lang)})"
        hover.append(f"<b>{address}</b><br>{what}")
    figure = fig.units_map(iris, placed, names, hover, lang)
    streets = units.groupby("street").agg(units=("unit_id", "size"), vacant=("vacant", "sum")).reset_index()
    streets["rate"] = streets["vacant"] / streets["units"]
    streets = streets.sort_values(["vacant", "units"], ascending=[False, False]).reset_index(drop=True)
    summary = _map_summary(units, placed, streets, year, perimeter_label(perimeter, lang), lang)
    table = table_of([(_("Rue", lang), cell_text), (_("Cellules", lang), cell_int),
                      (_("Vacantes", lang), cell_int), (_("Taux de vacance", lang), cell_share)],
                     streets[["street", "units", "vacant", "rate"]].astype({"units": int, "vacant": int}), lang)
    return {"figure": figure, "summary": summary, "table": table}


def _footfall_summary(points: pd.DataFrame, span: tuple[date, date], year: int, lang: str) -> str:
    """Vacancy around the busiest third of the counting points against the quietest third."""
    half = max(1, len(points) // 3)
    busy, quiet = points.head(half), points.tail(half)
    values = {"year": year, "half": half, "metres": NEAR_POINT_METRES,
              "busy": cell_share(busy["vacant"].sum() / busy["units"].sum(), lang),
              "quiet": cell_share(quiet["vacant"].sum() / quiet["units"].sum(), lang)}
    first, last = span
    if first == date(year, 1, 1) and last == date(year, 12, 31):
        return _("Passages comptés en {year} : autour des {half} points de comptage les plus fréquentés, {busy} des "
                 "cellules sont vacantes ; autour des {half} moins fréquentés, {quiet}. Vacance fin {year}, dans un "
                 "rayon de {metres} m de chaque point.", lang, **values)
    return _("Passages comptés du {start} au {end} seulement : autour des {half} points de comptage les plus "
             "fréquentés, {busy} des cellules sont vacantes ; autour des {half} moins fréquentés, {quiet}. Vacance "
             "fin {year}, dans un rayon de {metres} m de chaque point.", lang,
             start=fmt_date(first, lang), end=fmt_date(last, lang), **values)


@versioned(*DATASETS, *FOOTFALL_DATASETS)
def view_footfall(year: int, lang: str) -> dict[str, Any]:
    around = q.query_point_vacancy(get_db(), commerce_build(), year)
    try:
        passages = q.query_point_passages(get_db(), build_id(FOOTFALL_GROUP.name), date(year, 1, 1), date(year, 12, 31))
    except LookupError:  # no footfall served yet
        passages = pd.DataFrame(columns=["site_id", "name", "passages", "days"])
    points = around.merge(passages, on="site_id")
    points = points[(points["days"] > 0) & (points["units"] > 0)].copy()
    if points.empty:
        return empty_view(_("Pas de comptage de piétons en {year} : choisissez une année que les compteurs couvrent.",
                            lang, year=year), lang)
    span = q.query_counted_span(get_db(), build_id(FOOTFALL_GROUP.name), date(year, 1, 1), date(year, 12, 31))
    points["per_day"] = points["passages"].astype(float) / points["days"].astype(float)
    points["rate"] = points["vacant"] / points["units"]
    points = points.sort_values("per_day", ascending=False).reset_index(drop=True)
    hover = [_("<b>{name}</b><br>{per_day} passages par jour<br>{vacant} / {units} cellules vacantes ({rate})", lang,
               name=p.name, per_day=fmt_number(p.per_day, lang), vacant=fmt_number(p.vacant, lang),
               units=fmt_number(p.units, lang), rate=cell_share(p.rate, lang)) for p in points.itertuples()]
    figure = fig.vacancy_scatter(points, hover, _("Passages par jour", lang),
                                 _("Vacance dans un rayon de {metres} m", lang, metres=NEAR_POINT_METRES), lang)
    table = table_of([(_("Point de comptage", lang), cell_text), (_("Passages par jour", lang), cell_int),
                      (_("Cellules à moins de 150 m", lang), cell_int), (_("Vacantes", lang), cell_int),
                      (_("Taux de vacance", lang), cell_share)],
                     points[["name", "per_day", "units", "vacant", "rate"]].astype({"units": int, "vacant": int}), lang)
    return {"figure": figure, "summary": _footfall_summary(points, span, year, lang), "table": table}

"""The commerce observatory over the years: vacancy per perimeter, openings and closures against Sirene.

Both read the stock and flows per IRIS at each year-end (`webapp.data.importers.commerce`), summed
per perimeter.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from webapp.charts.cells import cell_int, cell_text, table_of
from webapp.charts.commerce_common import (
    cell_share,
    commerce_build,
    no_data,
    perimeter_label,
    perimeter_totals,
)
from webapp.data import commerce as q
from webapp.data.commerce import DATASETS, HYPERCENTRE, REST, TOWN
from webapp.data.store import get_db, versioned
from webapp.figures import commerce as fig
from webapp.figures.base import SERIES_COLORS
from webapp.formatting import fmt_number, upper_first
from webapp.i18n import N_, _

VACANCY_STYLES = {HYPERCENTRE: (SERIES_COLORS[1], "solid", "circle"), REST: (SERIES_COLORS[0], "dash", "square"),
                  TOWN: ("#5c636a", "dot", "diamond")}
# The vacancy summary names a perimeter with its preposition ("dans l'hypercentre").
IN_PERIMETER = {HYPERCENTRE: N_("dans l'hypercentre"), REST: N_("hors de l'hypercentre")}


def _vacancy_series(totals: dict[str, pd.DataFrame], lang: str) -> tuple[list[dict[str, Any]], list[list[Any]]]:
    """One line per perimeter that has units, and the table's rows."""
    series, rows = [], []
    for perimeter in (HYPERCENTRE, REST, TOWN):
        sums = totals[perimeter]
        if not sums["units"].any():
            continue
        rate = sums["vacant"] / sums["units"].where(sums["units"] > 0)
        name = upper_first(perimeter_label(perimeter, lang))
        color, dash, symbol = VACANCY_STYLES[perimeter]
        hover = [_("{name}, fin {year}\u202f: {rate} ({vacant} / {units} cellules)", lang, name=name, year=y,
                   rate=cell_share(r, lang), vacant=fmt_number(v, lang), units=fmt_number(u, lang))
                 for y, r, v, u in zip(sums.index, rate, sums["vacant"], sums["units"])]
        series.append({"name": name, "y": [None if pd.isna(r) else float(r) for r in rate], "color": color,
                       "dash": dash, "symbol": symbol, "hover": hover})
        rows += [[y, name, int(u), int(v), None if pd.isna(r) else float(r)]
                 for y, u, v, r in zip(sums.index, sums["units"], sums["vacant"], rate)]
    return series, rows


def _vacancy_summary(totals: dict[str, pd.DataFrame], first: int, last: int, lang: str) -> str:
    """The rate at the first and last year-ends, in and out of the hypercentre."""
    parts = []
    for perimeter in (HYPERCENTRE, REST):
        sums = totals[perimeter]
        if sums.loc[first, "units"] and sums.loc[last, "units"]:
            parts.append(_(
                "{where}, le taux de vacance est passé de {before} fin {first} à {after} fin {last} "
                "({vacant} cellules vacantes sur {units})", lang, where=_(IN_PERIMETER[perimeter], lang),
                before=cell_share(sums.loc[first, "vacant"] / sums.loc[first, "units"], lang), first=first,
                after=cell_share(sums.loc[last, "vacant"] / sums.loc[last, "units"], lang), last=last,
                vacant=fmt_number(int(sums.loc[last, "vacant"]), lang),
                units=fmt_number(int(sums.loc[last, "units"]), lang)))
    return upper_first(_(" ; ", lang).join(parts)) + "."


@versioned(*DATASETS)
def view_vacancy(hyper: tuple[str, ...], lang: str) -> dict[str, Any]:
    stock = q.query_stock(get_db(), commerce_build())
    if stock.empty:
        return no_data(lang)
    totals = perimeter_totals(stock, hyper)
    series, rows = _vacancy_series(totals, lang)
    year_list = [int(y) for y in totals[TOWN].index]
    figure = fig.year_lines(year_list, series, _("Taux de vacance (fin d'année)", lang), lang)
    summary = _vacancy_summary(totals, year_list[0], year_list[-1], lang)
    table = table_of([(_("Fin d'année", lang), cell_text), (_("Périmètre", lang), cell_text),
                      (_("Cellules", lang), cell_int), (_("Vacantes", lang), cell_int),
                      (_("Taux de vacance", lang), cell_share)],
                     pd.DataFrame(rows, columns=["year", "perimeter", "units", "vacant", "rate"]), lang)
    return {"figure": figure, "summary": summary, "table": table}


def _flow_bars(sums: pd.DataFrame, year_list: list[int], lang: str) -> list[dict[str, Any]]:
    openings = {"name": _("Ouvertures", lang), "y": [int(v) for v in sums["openings"]], "color": fig.OPENINGS_COLOR,
                "hover": [_("{year}\u202f: {n} ouvertures", lang, year=y, n=fmt_number(v, lang))
                          for y, v in zip(year_list, sums["openings"])]}
    closures = {"name": _("Fermetures", lang), "y": [int(v) for v in sums["closures"]], "color": fig.CLOSURES_COLOR,
                "hover": [_("{year}\u202f: {n} fermetures", lang, year=y, n=fmt_number(v, lang))
                          for y, v in zip(year_list, sums["closures"])]}
    return [openings, closures]


def _flows_summary(sums: pd.DataFrame, where: str, created: pd.Series | None, lang: str) -> str:
    opened, closed = int(sums["openings"].sum()), int(sums["closures"].sum())
    first, last = int(sums.index[0]), int(sums.index[-1])
    balance = f"{'+' if opened >= closed else '−'}{fmt_number(abs(opened - closed), lang)}"
    summary = _("De {first} à {last}, {where} : {opened} ouvertures et {closed} fermetures de commerces, soit un "
                "solde de {balance}. En {last} : {last_openings} ouvertures, {last_closures} fermetures.", lang,
                first=first, last=last, where=where, opened=fmt_number(opened, lang), closed=fmt_number(closed, lang),
                balance=balance,
                last_openings=fmt_number(sums.loc[last, "openings"], lang),
                last_closures=fmt_number(sums.loc[last, "closures"], lang))
    if created is not None:
        summary += " " + _("Le répertoire Sirene compte {n} créations d'établissements de ces activités sur la même "
                           "période : une création administrative n'est pas une boutique qui ouvre.", lang,
                           n=fmt_number(created.sum(), lang))
    return summary


@versioned(*DATASETS)
def view_flows(perimeter: str, hyper: tuple[str, ...], lang: str) -> dict[str, Any]:
    stock = q.query_stock(get_db(), commerce_build())
    if stock.empty:
        return no_data(lang)
    # The first year-end is the survey's state: its year's flows know only the businesses still open.
    sums = perimeter_totals(stock, hyper)[perimeter].iloc[1:]
    if sums.empty:
        return no_data(lang)
    year_list = [int(y) for y in sums.index]
    line = None
    sirene = q.query_sirene(get_db(), commerce_build())
    created = sirene.groupby("year")["created"].sum().reindex(year_list) if not sirene.empty else None
    if perimeter == TOWN and created is not None and created.notna().any():  # Sirene has no IRIS: town-wide only
        line = {"name": _("Créations au répertoire Sirene", lang), "y": [None if pd.isna(v) else int(v) for v in created],
                "hover": [_("{year}\u202f: {n} créations au répertoire sirene", lang, year=y, n=fmt_number(v, lang))
                          for y, v in zip(year_list, created)]}
    figure = fig.flows_bars(year_list, _flow_bars(sums, year_list, lang), line, lang)
    summary = _flows_summary(sums, perimeter_label(perimeter, lang), created if line is not None else None, lang)
    frame = pd.DataFrame({"year": year_list, "openings": sums["openings"].astype(int).tolist(),
                          "closures": sums["closures"].astype(int).tolist()})
    columns = [(_("Année", lang), cell_text), (_("Ouvertures", lang), cell_int), (_("Fermetures", lang), cell_int)]
    if line is not None:
        frame["sirene"] = [None if pd.isna(v) else int(v) for v in created]
        columns.append((_("Créations Sirene", lang), cell_int))
    return {"figure": figure, "summary": summary, "table": table_of(columns, frame, lang)}

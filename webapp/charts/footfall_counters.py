"""The footfall story's views of the pedestrian counters: day by day, the week's hours, the map, an event,
and the story's key figures.

Every view reads rollups computed when the files were published (`webapp.data.importers.footfall`):
passages per day and per month x weekday x hour.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pandas as pd

from webapp.charts.cells import cell_date, cell_int, cell_text, table_of
from webapp.charts.footfall_params import (
    BASELINE_WEEKS,
    events,
    footfall_build,
    month_text,
    points,
    signed,
    upper_first,
    weekday_names,
    where,
)
from webapp.charts.geography import town_iris
from webapp.data import footfall as q
from webapp.data.footfall import DATASETS, FootfallFilter, month_bounds
from webapp.data.importers.footfall import ALL_POINTS
from webapp.data.store import get_db, versioned
from webapp.figures import footfall as fig
from webapp.figures.base import empty_figure
from webapp.formatting import fmt_date, fmt_number
from webapp.i18n import Text, _, _l


def empty_view(message: str, lang: str) -> dict[str, Any]:
    """A view without data: the message in the figure and as its summary, an empty table."""
    return {"figure": empty_figure(message, lang), "summary": message, "table": {"columns": [], "rows": [], "raw": []}}


def no_data(lang: str) -> dict[str, Any]:
    return empty_view(_("Aucune donnée sur la période choisie.", lang), lang)


def passages(value: float, lang: str) -> str:
    """'12 345 passages' (a line of a hover label)."""
    return _("{value} passages", lang, value=fmt_number(value, lang))


@versioned(*DATASETS)
def view_daily(f: FootfallFilter, lang: str) -> dict[str, Any]:
    start, end = month_bounds(f.first, f.last)
    days = q.query_daily(get_db(), footfall_build(), f.point or ALL_POINTS, start, end)
    if days.empty or days["passages"].isna().all():
        return no_data(lang)
    hover = [f"{fmt_date(d.date(), lang)}<br>{passages(p, lang)}" if pd.notna(p)
             else f"{fmt_date(d.date(), lang)}<br>–" for d, p in zip(days["day"], days["passages"])]
    names = {"passages": _("Passages du jour", lang), "avg7": _("Moyenne sur 7 jours", lang),
             "last_year": _("Même jour de la semaine, un an avant", lang)}
    figure = fig.daily_chart(days, names, {"passages": hover}, lang)
    counted = days.dropna(subset=["passages"])
    best = counted.loc[counted["passages"].idxmax()]
    compared = counted.dropna(subset=["last_year"])
    summary = _("{where} : {mean} passages par jour en moyenne du {start} au {end} ; le plus le {best_day} ({best}).",
                lang, where=upper_first(where(f, lang)), mean=fmt_number(counted["passages"].mean(), lang),
                start=fmt_date(start, lang), end=fmt_date(end, lang), best_day=fmt_date(best["day"].date(), lang),
                best=fmt_number(best["passages"], lang))
    if len(compared) >= 7:
        change = (compared["passages"].sum() / compared["last_year"].sum() - 1) * 100
        summary += " " + _("Sur les {n} jours comparables, {change} par rapport aux mêmes jours de la semaine un an "
                           "plus tôt.", lang, n=fmt_number(len(compared), lang), change=signed(change, lang))
    table = table_of([(_("Jour", lang), cell_date), (_("Passages", lang), cell_int),
                      (_("Moyenne sur 7 jours", lang), cell_int), (_("Un an avant", lang), cell_int)],
                     days.assign(day=days["day"].dt.strftime("%Y-%m-%d"))[["day", "passages", "avg7", "last_year"]], lang)
    return {"figure": figure, "summary": summary, "table": table}


@versioned(*DATASETS)
def view_week(f: FootfallFilter, lang: str) -> dict[str, Any]:
    grid = q.query_week_profile(get_db(), footfall_build(), f.point or ALL_POINTS, f.first, f.last)
    if grid.empty:
        return no_data(lang)
    grid["mean"] = grid["passages"] / grid["days"]
    values = [[None] * 24 for _day in range(7)]
    hover = [[""] * 24 for _day in range(7)]
    days = weekday_names(lang)
    names = [d.capitalize() for d in days]
    for row in grid.itertuples():
        values[row.weekday][row.hour] = float(row.mean)
        hover[row.weekday][row.hour] = _("{day}, {hour} h\u202f: {value} passages", lang, day=names[row.weekday],
                                         hour=row.hour, value=fmt_number(row.mean, lang))
    figure = fig.week_grid(values, names, hover, _("passages par heure", lang), lambda v: fmt_number(v, lang), lang)
    peak, calm = grid.loc[grid["mean"].idxmax()], grid.loc[grid["mean"].idxmin()]
    by_day = grid.groupby("weekday")["mean"].sum()
    summary = _("{where} : l'heure la plus fréquentée est le {day} de {hour} h à {next_hour} h ({mean} passages en "
                "moyenne), la plus calme le {calm_day} de {calm_hour} h à {calm_next} h ({calm_mean}) ; le jour le "
                "plus fréquenté est le {busiest}, le plus calme le {quietest}.", lang,
                where=upper_first(where(f, lang)), day=days[int(peak["weekday"])], hour=int(peak["hour"]),
                next_hour=int(peak["hour"]) + 1, mean=fmt_number(peak["mean"], lang),
                calm_day=days[int(calm["weekday"])], calm_hour=int(calm["hour"]), calm_next=int(calm["hour"]) + 1,
                calm_mean=fmt_number(calm["mean"], lang),
                busiest=days[int(by_day.idxmax())], quietest=days[int(by_day.idxmin())])
    rows = grid.assign(day=grid["weekday"].map(dict(enumerate(names))), hour=grid["hour"].astype(str) + " h")
    table = table_of([(_("Jour", lang), cell_text), (_("Heure", lang), cell_text),
                      (_("Passages par heure (moyenne)", lang), cell_int)],
                     rows[["day", "hour", "mean"]], lang)
    return {"figure": figure, "summary": summary, "table": table}


@versioned(*DATASETS, "iris-contours")
def view_map(f: FootfallFilter, lang: str) -> dict[str, Any]:
    totals = q.query_point_totals(get_db(), footfall_build(), *month_bounds(f.first, f.last))
    if totals.empty:
        return no_data(lang)
    totals["per_day"] = totals["passages"] / totals["days"].where(totals["days"] > 0)
    iris = town_iris()
    hover = [f"<b>{r.name}</b><br>" + _("{value} passages par jour", lang, value=fmt_number(r.per_day, lang))
             for r in totals.itertuples()]
    figure = fig.points_map(iris, totals, f.point, hover, _("passages par jour", lang), lang)
    top = totals.iloc[0]
    low = totals.iloc[-1]
    summary = _("{n} points de comptage ({first} – {last}) : le plus fréquenté est « {top} » ({top_per_day} passages "
                "par jour), le moins « {low} » ({low_per_day}). La taille des cercles suit la fréquentation.", lang,
                n=len(totals), first=month_text(f.first, lang), last=month_text(f.last, lang), top=top["name"],
                top_per_day=fmt_number(top["per_day"], lang), low=low["name"],
                low_per_day=fmt_number(low["per_day"], lang))
    table = table_of([(_("Point de comptage", lang), cell_text), (_("Passages par jour", lang), cell_int),
                      (_("Passages sur la période", lang), cell_int)],
                     totals[["name", "per_day", "passages"]], lang)
    return {"figure": figure, "summary": summary, "table": table}


@versioned(*DATASETS)
def view_event(f: FootfallFilter, lang: str) -> dict[str, Any]:
    span = event_span(f.event)
    if span is None:
        return empty_view(_("Choisissez un événement ou des dates pour voir leur effet.", lang), lang)
    name, start, end = span[0][lang], span[1], span[2]
    days = q.query_daily(get_db(), footfall_build(), f.point or ALL_POINTS, start - timedelta(weeks=BASELINE_WEEKS),
                         end)
    during = days[days["day"].dt.date >= start].dropna(subset=["passages"])
    base = days[days["day"].dt.date < start].dropna(subset=["passages"])
    if during.empty or base.empty:
        return no_data(lang)
    baseline = base.groupby(base["day"].dt.day_of_week)["passages"].mean()
    during = during.assign(baseline=during["day"].dt.day_of_week.map(baseline))
    hover = [f"{fmt_date(d.date(), lang)}<br>{passages(p, lang)}<br>"
             + _("Jours comparables (4 semaines avant)\u202f: {value}", lang, value=fmt_number(b, lang))
             for d, p, b in zip(during["day"], during["passages"], during["baseline"])]
    figure = fig.event_chart(during, {"passages": _("Pendant la période", lang),
                                      "baseline": _("Jours comparables (4 semaines avant)", lang)}, hover, lang)
    change = (during["passages"].sum() / during["baseline"].sum() - 1) * 100
    summary = _("{name} (du {start} au {end}), {where} : {change} de passages par rapport aux mêmes jours de la "
                "semaine des {weeks} semaines précédentes ({during} contre {baseline}).", lang,
                name=name, start=fmt_date(start, lang), end=fmt_date(end, lang), where=where(f, lang),
                change=signed(change, lang), weeks=BASELINE_WEEKS, during=fmt_number(during["passages"].sum(), lang),
                baseline=fmt_number(during["baseline"].sum(), lang))
    table = table_of([(_("Jour", lang), cell_date), (_("Passages", lang), cell_int),
                      (_("Jours comparables", lang), cell_int)],
                     during.assign(day=during["day"].dt.strftime("%Y-%m-%d"))[["day", "passages", "baseline"]], lang)
    return {"figure": figure, "summary": summary, "table": table}


def event_span(event: str | None) -> tuple[Text, date, date] | None:
    """An event's name and days: a chosen range of days ("du:au") or an event's key."""
    if not event:
        return None
    if ":" in event:
        lo, hi = (date.fromisoformat(p) for p in event.split(":"))
        return _l("Période choisie"), lo, hi
    _fr, name, start, end = events()[event]
    return name, start, end


@versioned(*DATASETS)
def overview() -> dict[str, Any]:
    """Key figures: the last month's passages against the same month a year before, and the busiest point."""
    monthly = q.query_monthly(get_db(), footfall_build(), ALL_POINTS)
    out: dict[str, Any] = {"month": None, "passages": None, "change": None, "points": len(points())}
    if monthly.empty:
        return out
    last = monthly.iloc[-1]
    out["month"], out["passages"] = last["month"], float(last["passages"])
    year_before = f"{int(last['month'][:4]) - 1}{last['month'][4:]}"
    earlier = monthly[monthly["month"] == year_before]
    if not earlier.empty:
        out["change"] = (float(last["passages"]) / float(earlier["passages"].iloc[0]) - 1) * 100
    return out

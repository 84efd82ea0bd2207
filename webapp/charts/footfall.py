"""The footfall story's charts: parameters, cached views, text summaries and data tables.

Every figure reads rollups computed when the files were published (`webapp.data.importers.footfall`):
passages per day, per month x weekday x hour, visitors per day and category, origins per month.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

import pandas as pd

from webapp.charts import BadParameter, Chart, Param, register
from webapp.charts.cells import cell_int, cell_text, table_of
from webapp.charts.schools import school_build
from webapp.data import footfall as q
from webapp.data import privacy
from webapp.data.calendar import christmas_market, sales_start
from webapp.data.footfall import ALL, CATEGORIES, DATASETS, FootfallFilter, month_bounds
from webapp.data.importers.footfall import ALL_POINTS
from webapp.data.schools import query_iris
from webapp.data.store import build_id, get_db, get_settings, versioned
from webapp.figures import footfall as fig
from webapp.figures.base import GRID_COLOR, base_layout, empty_figure
from webapp.formatting import fmt_date, fmt_number, fmt_percent

STORY = "frequentation"
PARAM_POINT, PARAM_FROM, PARAM_TO = "lieu", "debut", "fin"
PARAM_ZONE, PARAM_CATEGORY, PARAM_EVENT, PARAM_START, PARAM_END = "zone", "categorie", "evenement", "du", "au"
CATEGORY_PARAM = {"resident": "resident", "excursionniste": "excursionist", "touriste": "tourist"}
CATEGORY_LABELS = {
    "fr": {"resident": "Résidents", "excursionist": "Excursionnistes", "tourist": "Touristes"},
    "en": {"resident": "Residents", "excursionist": "Day visitors", "tourist": "Tourists"},
}
WEEKDAYS = {"fr": ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"],
            "en": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]}
L = {
    "fr": {"passages": "passages", "per_day": "passages par jour", "avg7": "Moyenne sur 7 jours",
           "day": "Passages du jour", "last_year": "Même jour de la semaine, un an avant",
           "all_points": "tous les points de comptage", "no_data": "Aucune donnée sur la période choisie.",
           "visitors": "visiteurs", "colon": "\u202f: ", "baseline": "Jours comparables (4 semaines avant)",
           "event_days": "Pendant la période", "no_event": "Choisissez un événement ou des dates pour voir leur effet."},
    "en": {"passages": "passages", "per_day": "passages a day", "avg7": "7-day average",
           "day": "Passages of the day", "last_year": "Same weekday a year earlier",
           "all_points": "all counting points", "no_data": "No data in the chosen period.",
           "visitors": "visitors", "colon": ": ", "baseline": "Comparable days (4 weeks before)",
           "event_days": "During the period", "no_event": "Choose an event or dates to see their effect."},
}
BASELINE_WEEKS = 4


def footfall_build() -> int:
    return build_id("frequentation")


# --- parameters -------------------------------------------------------------------------------

@versioned(*DATASETS)
def months() -> list[str]:
    return q.query_months(get_db(), footfall_build())


@versioned(*DATASETS)
def points() -> dict[str, str]:
    df = q.query_points(get_db(), footfall_build())
    return dict(zip(df["site_id"], df["name"]))


@versioned(*DATASETS)
def zones() -> list[str]:
    return q.query_zones(get_db(), footfall_build())


def events() -> dict[str, tuple[str, str, date, date]]:
    """The events one can pick: key -> (French name, English name, first day, last day) within the data.

    The Christmas market and the sales follow `webapp.data.calendar`; sales last four weeks from
    their legal start.
    """
    span = months()
    if not span:
        return {}
    first, last = month_bounds(span[0], span[-1])
    out = {}
    for year in range(first.year, last.year + 1):
        candidates = [
            (f"noel-{year}", f"Marché de Noël {year}", f"Christmas market {year}", *christmas_market(year)),
            (f"soldes-hiver-{year}", f"Soldes d'hiver {year}", f"Winter sales {year}", sales_start(year, "winter"),
             sales_start(year, "winter") + timedelta(days=27)),
            (f"soldes-ete-{year}", f"Soldes d'été {year}", f"Summer sales {year}", sales_start(year, "summer"),
             sales_start(year, "summer") + timedelta(days=27)),
        ]
        for key, fr, en, start, end in candidates:
            # Only events with their comparison weeks inside the data.
            if start - timedelta(weeks=BASELINE_WEEKS) >= first and end <= last:
                out[key] = (fr, en, start, end)
    return dict(sorted(out.items(), key=lambda item: item[1][2]))  # in time order: the last is the latest


def parse_filters(args: Mapping[str, str]) -> FootfallFilter:
    """Validate the story's parameters from a query string (raises BadParameter)."""
    point = (args.get(PARAM_POINT) or ALL).strip()
    if point not in (*points(), ALL):
        raise BadParameter(PARAM_POINT, point, [*points(), ALL])
    span = months()
    bounds = []
    for name, default in ((PARAM_FROM, span[0] if span else ""), (PARAM_TO, span[-1] if span else "")):
        raw = (args.get(name) or default).strip()
        if raw not in span:
            raise BadParameter(name, raw, span)
        bounds.append(raw)
    first, last = sorted(bounds)
    zone = (args.get(PARAM_ZONE) or ALL).strip()
    if zone not in (*zones(), ALL):
        raise BadParameter(PARAM_ZONE, zone, [*zones(), ALL])
    category = (args.get(PARAM_CATEGORY) or ALL).strip()
    if category not in (*CATEGORY_PARAM, ALL):
        raise BadParameter(PARAM_CATEGORY, category, [*CATEGORY_PARAM, ALL])
    event = _parse_event(args)
    return FootfallFilter(None if point == ALL else point, first, last, None if zone == ALL else zone,
                          CATEGORY_PARAM.get(category), event)


def _parse_event(args: Mapping[str, str]) -> str | None:
    start, end = (args.get(PARAM_START) or "").strip(), (args.get(PARAM_END) or "").strip()
    if start or end:
        span = months()
        first, last = month_bounds(span[0], span[-1])
        allowed = [f"{first + timedelta(weeks=BASELINE_WEEKS)} … {last}"]
        days = []
        for name, raw in ((PARAM_START, start), (PARAM_END, end or start)):
            try:
                day = date.fromisoformat(raw)
            except ValueError:
                raise BadParameter(name, raw, allowed) from None
            if not first + timedelta(weeks=BASELINE_WEEKS) <= day <= last:
                raise BadParameter(name, raw, allowed)
            days.append(day)
        lo, hi = sorted(days)
        return f"{lo}:{hi}"
    key = (args.get(PARAM_EVENT) or default_event()).strip()
    if key and key not in events():
        raise BadParameter(PARAM_EVENT, key, list(events()))
    return key or None


def default_event() -> str:
    """The latest event of the data (the impact view always shows one), "" when there is none."""
    found = events()
    return max(found, key=lambda k: found[k][2]) if found else ""


def filter_query(f: FootfallFilter) -> dict[str, str]:
    """The query-string form of a filter, defaults left out (the shareable URL)."""
    span = months()
    out = {}
    if f.point:
        out[PARAM_POINT] = f.point
    if span and f.first != span[0]:
        out[PARAM_FROM] = f.first
    if span and f.last != span[-1]:
        out[PARAM_TO] = f.last
    if f.zone:
        out[PARAM_ZONE] = f.zone
    if f.category:
        out[PARAM_CATEGORY] = {v: k for k, v in CATEGORY_PARAM.items()}[f.category]
    if f.event and ":" in f.event:
        out[PARAM_START], out[PARAM_END] = f.event.split(":")
    elif f.event and f.event != default_event():
        out[PARAM_EVENT] = f.event
    return out


def _where(f: FootfallFilter, lang: str) -> str:
    return points().get(f.point, "") if f.point else L[lang]["all_points"]


def month_text(month: str, lang: str) -> str:
    return fmt_date(date.fromisoformat(month + "-01"), lang).split(" ", 1)[1]  # "1 décembre 2024" -> "décembre 2024"


def upper_first(text: str) -> str:
    """'rue Gambetta' -> 'Rue Gambetta' (str.capitalize would lower the rest: 'Place des héros')."""
    return text[:1].upper() + text[1:]


def signed(value: float, lang: str) -> str:
    return ("+" if value > 0 else "\u2212" if value < 0 else "") + fmt_percent(abs(value), lang)


# --- views ------------------------------------------------------------------------------------

@versioned(*DATASETS)
def view_daily(f: FootfallFilter, lang: str) -> dict[str, Any]:
    t = L[lang]
    start, end = month_bounds(f.first, f.last)
    days = q.query_daily(get_db(), footfall_build(), f.point or ALL_POINTS, start, end)
    if days.empty or days["passages"].isna().all():
        return _empty(t["no_data"], lang)
    hover = [f"{fmt_date(d.date(), lang)}<br>{fmt_number(p, lang)} {t['passages']}" if pd.notna(p)
             else f"{fmt_date(d.date(), lang)}<br>–" for d, p in zip(days["day"], days["passages"])]
    figure = fig.daily_chart(days, {"passages": t["day"], "avg7": t["avg7"], "last_year": t["last_year"]},
                             {"passages": hover}, lang)
    counted = days.dropna(subset=["passages"])
    best = counted.loc[counted["passages"].idxmax()]
    mean = counted["passages"].mean()
    compared = counted.dropna(subset=["last_year"])
    where = _where(f, lang)
    if lang == "fr":
        summary = (f"{upper_first(where)} : {fmt_number(mean, lang)} passages par jour en moyenne du "
                   f"{fmt_date(start, lang)} au {fmt_date(end, lang)} ; le plus le {fmt_date(best['day'].date(), lang)} "
                   f"({fmt_number(best['passages'], lang)}).")
        if len(compared) >= 7:
            change = (compared["passages"].sum() / compared["last_year"].sum() - 1) * 100
            summary += (f" Sur les {fmt_number(len(compared), lang)} jours comparables, {signed(change, lang)} "
                        "par rapport aux mêmes jours de la semaine un an plus tôt.")
    else:
        summary = (f"{upper_first(where)}: {fmt_number(mean, lang)} passages a day on average from "
                   f"{fmt_date(start, lang)} to {fmt_date(end, lang)}; most on {fmt_date(best['day'].date(), lang)} "
                   f"({fmt_number(best['passages'], lang)}).")
        if len(compared) >= 7:
            change = (compared["passages"].sum() / compared["last_year"].sum() - 1) * 100
            summary += (f" Over the {fmt_number(len(compared), lang)} comparable days, {signed(change, lang)} "
                        "against the same weekdays a year earlier.")
    table = table_of([({"fr": "Jour", "en": "Day"}, cell_text), ({"fr": "Passages", "en": "Passages"}, cell_int),
                      ({"fr": "Moyenne sur 7 jours", "en": "7-day average"}, cell_int),
                      ({"fr": "Un an avant", "en": "A year earlier"}, cell_int)],
                     days.assign(day=days["day"].dt.strftime("%Y-%m-%d"))[["day", "passages", "avg7", "last_year"]], lang)
    return {"figure": figure, "summary": summary, "table": table}


@versioned(*DATASETS)
def view_week(f: FootfallFilter, lang: str) -> dict[str, Any]:
    t = L[lang]
    grid = q.query_week_profile(get_db(), footfall_build(), f.point or ALL_POINTS, f.first, f.last)
    if grid.empty:
        return _empty(t["no_data"], lang)
    grid["mean"] = grid["passages"] / grid["days"]
    values = [[None] * 24 for _ in range(7)]
    hover = [[""] * 24 for _ in range(7)]
    names = [d.capitalize() for d in WEEKDAYS[lang]]
    for row in grid.itertuples():
        values[row.weekday][row.hour] = float(row.mean)
        hover[row.weekday][row.hour] = (f"{names[row.weekday]}, {row.hour} h{t['colon']}"
                                        f"{fmt_number(row.mean, lang)} {t['passages']}")
    figure = fig.week_grid(values, names, hover, t["passages"] + (" par heure" if lang == "fr" else " an hour"),
                           lambda v: fmt_number(v, lang), lang)
    peak = grid.loc[grid["mean"].idxmax()]
    by_day = grid.groupby("weekday")["mean"].sum()
    busiest, quietest = int(by_day.idxmax()), int(by_day.idxmin())
    where = _where(f, lang)
    if lang == "fr":
        summary = (f"{upper_first(where)} : l'heure la plus fréquentée est le {WEEKDAYS[lang][int(peak['weekday'])]} "
                   f"de {int(peak['hour'])} h à {int(peak['hour']) + 1} h ({fmt_number(peak['mean'], lang)} passages "
                   f"en moyenne) ; le jour le plus fréquenté est le {WEEKDAYS[lang][busiest]}, le plus calme le "
                   f"{WEEKDAYS[lang][quietest]}.")
    else:
        summary = (f"{upper_first(where)}: the busiest hour is {WEEKDAYS[lang][int(peak['weekday'])]} "
                   f"{int(peak['hour'])}:00-{int(peak['hour']) + 1}:00 ({fmt_number(peak['mean'], lang)} passages "
                   f"on average); the busiest day is {WEEKDAYS[lang][busiest]}, the quietest {WEEKDAYS[lang][quietest]}.")
    rows = grid.assign(day=grid["weekday"].map(dict(enumerate(names))), hour=grid["hour"].astype(str) + " h")
    table = table_of([({"fr": "Jour", "en": "Day"}, cell_text), ({"fr": "Heure", "en": "Hour"}, cell_text),
                      ({"fr": "Passages par heure (moyenne)", "en": "Passages an hour (mean)"}, cell_int)],
                     rows[["day", "hour", "mean"]], lang)
    return {"figure": figure, "summary": summary, "table": table}


@versioned(*DATASETS, "iris-contours")
def view_map(f: FootfallFilter, lang: str) -> dict[str, Any]:
    t = L[lang]
    totals = q.query_point_totals(get_db(), footfall_build(), *month_bounds(f.first, f.last))
    if totals.empty:
        return _empty(t["no_data"], lang)
    totals["per_day"] = totals["passages"] / totals["days"].where(totals["days"] > 0)
    iris = query_iris(get_db(), school_build(), get_settings().city_insee)
    hover = [f"<b>{r.name}</b><br>{fmt_number(r.per_day, lang)} {t['per_day']}" for r in totals.itertuples()]
    figure = fig.points_map(iris, totals, f.point, hover, t["per_day"], lang)
    top = totals.iloc[0]
    low = totals.iloc[-1]
    period = f"{month_text(f.first, lang)} – {month_text(f.last, lang)}"
    if lang == "fr":
        summary = (f"{len(totals)} points de comptage ({period}) : le plus fréquenté est « {top['name']} » "
                   f"({fmt_number(top['per_day'], lang)} passages par jour), le moins « {low['name']} » "
                   f"({fmt_number(low['per_day'], lang)}). La taille des cercles suit la fréquentation.")
    else:
        summary = (f"{len(totals)} counting points ({period}): the busiest is “{top['name']}” "
                   f"({fmt_number(top['per_day'], lang)} passages a day), the quietest “{low['name']}” "
                   f"({fmt_number(low['per_day'], lang)}). Circle sizes follow footfall.")
    table = table_of([({"fr": "Point de comptage", "en": "Counting point"}, cell_text),
                      ({"fr": "Passages par jour", "en": "Passages a day"}, cell_int),
                      ({"fr": "Passages sur la période", "en": "Passages in the period"}, cell_int)],
                     totals[["name", "per_day", "passages"]], lang)
    return {"figure": figure, "summary": summary, "table": table}


@versioned(*DATASETS)
def view_visitors(f: FootfallFilter, lang: str) -> dict[str, Any]:
    t = L[lang]
    df = q.query_visitors(get_db(), footfall_build(), f.zone, f.first, f.last)
    if df.empty:
        return _empty(t["no_data"], lang)
    month_list = sorted(df["month"].unique())
    labels = [month_text(m, lang) for m in month_list]
    shown = [f.category] if f.category else list(CATEGORIES)
    series = []
    for category in shown:
        values = df[df["category"] == category].set_index("month")["volume"].reindex(month_list)
        name = CATEGORY_LABELS[lang][category]
        series.append({"name": name, "y": [None if pd.isna(v) else float(v) for v in values],
                       "color": fig.CATEGORY_COLORS[category],
                       "hover": [f"{label}<br>{name}{t['colon']}{fmt_number(v, lang)}" for label, v in zip(labels, values)]})
    figure = fig.stacked_months(labels, series, t["visitors"], lang)
    totals = df[df["category"].isin(shown)].groupby("category")["volume"].sum()
    whole = totals.sum()
    where = f.zone or ("toutes les zones" if lang == "fr" else "every zone")
    parts = ", ".join(f"{CATEGORY_LABELS[lang][c].lower()} {fmt_percent(totals.get(c, 0) / whole * 100, lang)}"
                      for c in shown) if whole else ""
    if lang == "fr":
        summary = (f"{upper_first(where)} : {fmt_number(whole, lang)} présences de visiteurs estimées de "
                   f"{labels[0]} à {labels[-1]} ({parts}). Les volumes de moins de 20 personnes ne sont pas publiés.")
    else:
        summary = (f"{upper_first(where)}: {fmt_number(whole, lang)} estimated visitor presences from "
                   f"{labels[0]} to {labels[-1]} ({parts}). Volumes under 20 people are not published.")
    rows = df[df["category"].isin(shown)].assign(category=lambda d: d["category"].map(CATEGORY_LABELS[lang]))
    table = table_of([({"fr": "Mois", "en": "Month"}, cell_text), ({"fr": "Catégorie", "en": "Category"}, cell_text),
                      ({"fr": "Visiteurs", "en": "Visitors"}, cell_int)], rows[["month", "category", "volume"]], lang)
    return {"figure": figure, "summary": summary, "table": table}


@versioned(*DATASETS)
def view_origins(f: FootfallFilter, lang: str) -> dict[str, Any]:
    t = L[lang]
    df = q.query_origins(get_db(), footfall_build(), f.zone, f.first, f.last)
    if df.empty:
        return _empty(t["no_data"], lang)
    others = df[df["origin"] == "autres"]
    top = df[df["origin"] != "autres"].head(10)
    rest = df[df["origin"] != "autres"].iloc[10:]
    grouped = float(others["volume"].sum() + rest["volume"].sum())
    shown = top.copy()
    label_others = "Autres départements" if lang == "fr" else "Other départements"
    if grouped:
        shown = pd.concat([shown, pd.DataFrame({"origin": [label_others], "volume": [grouped]})], ignore_index=True)
    total = float(df["volume"].sum())
    texts = [fmt_percent(v / total * 100, lang, 0) for v in shown["volume"]]
    hover = [f"{o}{t['colon']}{fmt_number(v, lang)}" for o, v in zip(shown["origin"], shown["volume"])]
    figure = fig.ranked_bars(shown["origin"].tolist(), shown["volume"].tolist(), texts, hover, lang)
    minimum = privacy.min_count("flux-vision")  # the dataset's declared minimum, as the editor sees it
    lead = ", ".join(f"{o} ({fmt_percent(v / total * 100, lang, 0)})" for o, v in zip(top["origin"][:4], top["volume"][:4]))
    if lang == "fr":
        summary = (f"Départements d'origine des visiteurs, les premiers : {lead}. Les origines de moins de {minimum} "
                   f"visiteurs par mois et par zone sont regroupées dans « {label_others.lower()} ».")
    else:
        summary = (f"Départements visitors come from, the first ones: {lead}. Origins of fewer than {minimum} visitors "
                   f"a month and zone are grouped into “{label_others.lower()}”.")
    table = table_of([({"fr": "Origine", "en": "Origin"}, cell_text), ({"fr": "Visiteurs", "en": "Visitors"}, cell_int)],
                     shown[["origin", "volume"]], lang)
    return {"figure": figure, "summary": summary, "table": table}


@versioned(*DATASETS)
def view_event(f: FootfallFilter, lang: str) -> dict[str, Any]:
    t = L[lang]
    span = _event_span(f.event)
    if span is None:
        return _empty(t["no_event"], lang)
    name, start, end = span[0][lang], span[1], span[2]
    before = start - timedelta(weeks=BASELINE_WEEKS)
    days = q.query_daily(get_db(), footfall_build(), f.point or ALL_POINTS, before, end)
    during = days[days["day"].dt.date >= start].dropna(subset=["passages"])
    base = days[days["day"].dt.date < start].dropna(subset=["passages"])
    if during.empty or base.empty:
        return _empty(t["no_data"], lang)
    baseline = base.groupby(base["day"].dt.day_of_week)["passages"].mean()
    during = during.assign(baseline=during["day"].dt.day_of_week.map(baseline))
    x = during["day"].dt.strftime("%Y-%m-%d").tolist()
    figure = {
        "data": [
            {"type": "bar", "name": t["event_days"], "x": x, "y": during["passages"].tolist(),
             "marker": {"color": "#0072B2"}, "textposition": "none",
             "text": [f"{fmt_date(d.date(), lang)}<br>{fmt_number(p, lang)} {t['passages']}<br>{t['baseline']}{t['colon']}"
                      f"{fmt_number(b, lang)}" for d, p, b in zip(during["day"], during["passages"], during["baseline"])],
             "hovertemplate": "%{text}<extra></extra>"},
            {"type": "scatter", "mode": "lines", "name": t["baseline"], "x": x, "y": during["baseline"].tolist(),
             "line": {"color": "#5c636a", "width": 2, "dash": "dash", "shape": "hvh"}, "hoverinfo": "skip"},
        ],
        "layout": base_layout(lang, 360, bargap=0.15, hovermode="closest",
                              xaxis={"type": "date", "fixedrange": True},
                              yaxis={"gridcolor": GRID_COLOR, "fixedrange": True, "separatethousands": True, "exponentformat": "none"},
                              margin={"l": 64, "r": 16, "t": 8, "b": 40},
                              legend={"orientation": "h", "x": 0, "y": -0.15, "yanchor": "top"}),
    }
    change = (during["passages"].sum() / during["baseline"].sum() - 1) * 100
    where = _where(f, lang)
    if lang == "fr":
        summary = (f"{name} (du {fmt_date(start, lang)} au {fmt_date(end, lang)}), {where} : {signed(change, lang)} "
                   f"de passages par rapport aux mêmes jours de la semaine des {BASELINE_WEEKS} semaines précédentes "
                   f"({fmt_number(during['passages'].sum(), lang)} contre {fmt_number(during['baseline'].sum(), lang)}).")
    else:
        summary = (f"{name} ({fmt_date(start, lang)} to {fmt_date(end, lang)}), {where}: {signed(change, lang)} passages "
                   f"against the same weekdays of the {BASELINE_WEEKS} weeks before "
                   f"({fmt_number(during['passages'].sum(), lang)} against {fmt_number(during['baseline'].sum(), lang)}).")
    table = table_of([({"fr": "Jour", "en": "Day"}, cell_text), ({"fr": "Passages", "en": "Passages"}, cell_int),
                      ({"fr": "Jours comparables", "en": "Comparable days"}, cell_int)],
                     during.assign(day=during["day"].dt.strftime("%Y-%m-%d"))[["day", "passages", "baseline"]], lang)
    return {"figure": figure, "summary": summary, "table": table}


def _event_span(event: str | None) -> tuple[dict[str, str], date, date] | None:
    if not event:
        return None
    if ":" in event:
        lo, hi = (date.fromisoformat(p) for p in event.split(":"))
        return {"fr": "Période choisie", "en": "Chosen period"}, lo, hi
    fr, en, start, end = events()[event]
    return {"fr": fr, "en": en}, start, end


def _empty(message: str, lang: str) -> dict[str, Any]:
    return {"figure": empty_figure(message, lang), "summary": message, "table": {"columns": [], "rows": [], "raw": []}}


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


# --- registry ---------------------------------------------------------------------------------

PARAMS = (
    Param(PARAM_POINT, ALL, lambda: [*points(), ALL], {"fr": "Point de comptage", "en": "Counting point"}),
    Param(PARAM_FROM, lambda: (months() or [""])[0], months, {"fr": "Premier mois", "en": "First month"}),
    Param(PARAM_TO, lambda: (months() or [""])[-1], months, {"fr": "Dernier mois", "en": "Last month"}),
    Param(PARAM_ZONE, ALL, lambda: [*zones(), ALL], {"fr": "Zone (Flux Vision)", "en": "Zone (Flux Vision)"}),
    Param(PARAM_CATEGORY, ALL, lambda: [*CATEGORY_PARAM, ALL], {"fr": "Visiteurs", "en": "Visitors"}),
    Param(PARAM_EVENT, default_event, lambda: list(events()), {"fr": "Événement", "en": "Event"}),
)
COMMON = {"story": STORY, "story_path": "/frequentation", "depends": tuple(sorted({*DATASETS, "iris-contours"})),
          "params": PARAMS, "parse": parse_filters}
COUNTERS = ("comptage-mesures", "comptage-sites")
POINT_PERIOD = ("point", "first", "last")

register(Chart(
    slug="frequentation-jours", kind="bar", **COMMON,
    title={"fr": "Passages de piétons jour par jour", "en": "Pedestrian passages day by day"},
    datasets=COUNTERS, view=lambda f, lang: view_daily(f.only(*POINT_PERIOD), lang),
    note={"fr": "Une journée dont une heure manque n'est pas comptée (pas de barre) ; la moyenne sur 7 jours demande "
                "au moins 4 jours comptés.",
          "en": "A day with an hour missing is not counted (no bar); the 7-day average needs at least 4 counted days."},
))
register(Chart(
    slug="frequentation-semaine", kind="bar", **COMMON,
    title={"fr": "Les heures d'affluence de la semaine", "en": "Busy hours of the week"},
    datasets=COUNTERS, view=lambda f, lang: view_week(f.only(*POINT_PERIOD), lang),
    note={"fr": "Moyenne, pour chaque jour de la semaine et chaque heure, des passages comptés sur la période.",
          "en": "Mean passages counted in the period for each weekday and hour."},
))
register(Chart(
    slug="frequentation-carte", kind="map", **COMMON,
    title={"fr": "Les points de comptage", "en": "The counting points"},
    datasets=("comptage-sites", "comptage-mesures", "iris-contours"),
    view=lambda f, lang: view_map(f.only(*POINT_PERIOD), lang),
    note={"fr": "Touchez un point pour afficher sa fréquentation dans les autres graphiques.",
          "en": "Tap a point to show its footfall in the other charts."},
))
register(Chart(
    slug="frequentation-evenement", kind="bar", **COMMON,
    title={"fr": "L'effet d'un événement", "en": "The effect of an event"},
    datasets=COUNTERS, view=lambda f, lang: view_event(f.only("point", "event"), lang),
    note={"fr": "Chaque jour de l'événement est comparé à la moyenne des mêmes jours de la semaine des 4 semaines "
                "qui le précèdent.",
          "en": "Each day of the event is compared with the mean of the same weekdays of the 4 weeks before it."},
))
register(Chart(
    slug="frequentation-visiteurs", kind="bar", **COMMON,
    title={"fr": "Résidents, excursionnistes et touristes", "en": "Residents, day visitors and tourists"},
    datasets=("flux-vision",), view=lambda f, lang: view_visitors(f.only("first", "last", "zone", "category"), lang),
    note={"fr": "Présences estimées par Orange Business à partir de son réseau mobile : un excursionniste vient pour "
                "la journée, un touriste passe au moins une nuit sur place.",
          "en": "Presences estimated by Orange Business from its mobile network: a day visitor comes for the day, a "
                "tourist stays at least one night."},
))
register(Chart(
    slug="frequentation-origines", kind="bar", **COMMON,
    title={"fr": "D'où viennent les visiteurs", "en": "Where visitors come from"},
    datasets=("flux-vision",), view=lambda f, lang: view_origins(f.only("first", "last", "zone"), lang),
))

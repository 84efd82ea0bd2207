"""The footfall story's parameters: counting points, months, zones, events, and the filters of a query string.

Also the small text helpers its views and page share (month names, signed changes, weekday names).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta

from webapp.data import footfall as q
from webapp.data.calendar import christmas_market, sales_start
from webapp.data.footfall import ALL, DATASETS, FootfallFilter, month_bounds
from webapp.data.store import build_id, get_db, versioned
from webapp.formatting import fmt_percent, month_text, upper_first  # noqa: F401  (the story's modules read them here)
from webapp.i18n import N_, SOURCE_LANG, Text, _, _l
from webapp.public_error import bad_parameter

STORY = "frequentation"
PARAM_POINT, PARAM_FROM, PARAM_TO = "lieu", "debut", "fin"
PARAM_ZONE, PARAM_CATEGORY, PARAM_EVENT, PARAM_START, PARAM_END = "zone", "categorie", "evenement", "du", "au"
CATEGORY_PARAM = {"resident": "resident", "excursionniste": "excursionist", "touriste": "tourist"}
CATEGORY_LABELS = {"resident": N_("Résidents"), "excursionist": N_("Excursionnistes"), "tourist": N_("Touristes")}
WEEKDAYS = (N_("lundi"), N_("mardi"), N_("mercredi"), N_("jeudi"), N_("vendredi"), N_("samedi"), N_("dimanche"))
BASELINE_WEEKS = 4


def footfall_build() -> int:
    return build_id("frequentation")


def category_label(category: str, lang: str) -> str:
    """'tourist' -> 'Touristes' (fr) or 'Tourists' (en)."""
    return _(CATEGORY_LABELS[category], lang)


def weekday_names(lang: str) -> list[str]:
    """Monday first: 'lundi' … (fr), 'Monday' … (en)."""
    return [_(day, lang) for day in WEEKDAYS]


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


def events() -> dict[str, tuple[str, Text, date, date]]:
    """The events one can pick: key -> (French name, name in every language, first day, last day) within the data.

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
            (f"noel-{year}", _l("Marché de Noël {year}", year=year), *christmas_market(year)),
            (f"soldes-hiver-{year}", _l("Soldes d'hiver {year}", year=year), sales_start(year, "winter"),
             sales_start(year, "winter") + timedelta(days=27)),
            (f"soldes-ete-{year}", _l("Soldes d'été {year}", year=year), sales_start(year, "summer"),
             sales_start(year, "summer") + timedelta(days=27)),
        ]
        for key, name, start, end in candidates:
            # Only events with their comparison weeks inside the data.
            if start - timedelta(weeks=BASELINE_WEEKS) >= first and end <= last:
                out[key] = (name[SOURCE_LANG], name, start, end)
    return dict(sorted(out.items(), key=lambda item: item[1][2]))  # in time order: the last is the latest


def parse_filters(args: Mapping[str, str]) -> FootfallFilter:
    """Validate the story's parameters from a query string (raises a PublicError)."""
    point = (args.get(PARAM_POINT) or ALL).strip()
    if point not in (*points(), ALL):
        raise bad_parameter(PARAM_POINT, point, [*points(), ALL])
    span = months()
    bounds = []
    for name, default in ((PARAM_FROM, span[0] if span else ""), (PARAM_TO, span[-1] if span else "")):
        raw = (args.get(name) or default).strip()
        if raw not in span:
            raise bad_parameter(name, raw, span)
        bounds.append(raw)
    first, last = sorted(bounds)
    zone = (args.get(PARAM_ZONE) or ALL).strip()
    if zone not in (*zones(), ALL):
        raise bad_parameter(PARAM_ZONE, zone, [*zones(), ALL])
    category = (args.get(PARAM_CATEGORY) or ALL).strip()
    if category not in (*CATEGORY_PARAM, ALL):
        raise bad_parameter(PARAM_CATEGORY, category, [*CATEGORY_PARAM, ALL])
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
                raise bad_parameter(name, raw, allowed) from None
            if not first + timedelta(weeks=BASELINE_WEEKS) <= day <= last:
                raise bad_parameter(name, raw, allowed)
            days.append(day)
        lo, hi = sorted(days)
        return f"{lo}:{hi}"
    key = (args.get(PARAM_EVENT) or default_event()).strip()
    if key and key not in events():
        raise bad_parameter(PARAM_EVENT, key, list(events()))
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


def where(f: FootfallFilter, lang: str) -> str:
    """The counting point's name, or "all counting points"."""
    return points().get(f.point, "") if f.point else _("tous les points de comptage", lang)


def signed(value: float, lang: str) -> str:
    return ("+" if value > 0 else "\u2212" if value < 0 else "") + fmt_percent(abs(value), lang)

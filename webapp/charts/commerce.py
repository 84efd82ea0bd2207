"""The commerce observatory's charts: parameters, cached views, text summaries and data tables.

Every figure reads rollups computed when the inventory was published (`webapp.data.importers.commerce`):
each unit's state at each year-end, stock and flows and the activity mix per IRIS, the units around
each counting point, Sirene's creations and closures. Perimeters are sums of IRIS rows; the
hypercentre's IRIS are a setting (`HYPERCENTRE_IRIS`), passed to every cached view so that its
cache key follows them.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

import pandas as pd

from webapp.charts import BadParameter, Chart, Param, register
from webapp.charts.cells import cell_int, cell_text, table_of
from webapp.charts.footfall import footfall_build, upper_first
from webapp.charts.schools import school_build
from webapp.data import commerce as q
from webapp.data.commerce import (
    DATASETS,
    HYPERCENTRE,
    PERIMETERS,
    REST,
    TOWN,
    CommerceFilter,
    in_perimeter,
)
from webapp.data.footfall import DATASETS as FOOTFALL_DATASETS
from webapp.data.importers.commerce import CATEGORIES, NEAR_POINT_METRES
from webapp.data.schools import query_iris
from webapp.data.store import build_id, get_db, get_settings, versioned
from webapp.figures import commerce as fig
from webapp.figures.base import SERIES_COLORS, empty_figure
from webapp.figures.footfall import ranked_bars
from webapp.formatting import fmt_date, fmt_number, fmt_percent

STORY = "commerces"
PARAM_YEAR, PARAM_PERIMETER = "annee", "perimetre"
CATEGORY_LABELS = {
    "fr": {"alimentaire": "Alimentaire", "equipement-personne": "Équipement de la personne",
           "equipement-maison": "Équipement de la maison", "culture-loisirs": "Culture et loisirs",
           "hygiene-sante-beaute": "Hygiène, santé, beauté", "cafe-hotel-restaurant": "Cafés, hôtels, restaurants",
           "services": "Services", "autre": "Autres commerces"},
    "en": {"alimentaire": "Food", "equipement-personne": "Clothing and accessories",
           "equipement-maison": "Home goods", "culture-loisirs": "Culture and leisure",
           "hygiene-sante-beaute": "Health and beauty", "cafe-hotel-restaurant": "Cafés, hotels, restaurants",
           "services": "Services", "autre": "Other shops"},
}
PERIMETER_LABELS = {
    "fr": {TOWN: "toute la ville", HYPERCENTRE: "l'hypercentre", REST: "hors de l'hypercentre"},
    "en": {TOWN: "the whole town", HYPERCENTRE: "the hypercentre", REST: "outside the hypercentre"},
}
L = {
    "fr": {"no_data": "Aucune donnée pour ce choix.", "colon": "\u202f: ", "vacancy": "Taux de vacance (fin d'année)",
           "openings": "Ouvertures", "closures": "Fermetures", "sirene": "Créations au répertoire Sirene",
           "open": "Cellule occupée", "vacant": "Cellule vacante", "units": "cellules", "per_day": "Passages par jour",
           "around": f"Vacance dans un rayon de {NEAR_POINT_METRES} m"},
    "en": {"no_data": "No data for this choice.", "colon": ": ", "vacancy": "Vacancy rate (year-end)",
           "openings": "Openings", "closures": "Closures", "sirene": "Creations in the Sirene directory",
           "open": "Occupied unit", "vacant": "Vacant unit", "units": "units", "per_day": "Passages a day",
           "around": f"Vacancy within {NEAR_POINT_METRES} m"},
}


def commerce_build() -> int:
    return build_id("commerces")


def hypercentre() -> tuple[str, ...]:
    return tuple(get_settings().hypercentre_iris)


def share(part: float, whole: float, lang: str) -> str:
    return fmt_percent(part / whole * 100, lang) if whole else "–"


def cell_share(v: Any, lang: str) -> str:
    return "–" if v is None or pd.isna(v) else fmt_percent(float(v) * 100, lang)


# --- parameters -------------------------------------------------------------------------------

@versioned(*DATASETS)
def years() -> list[int]:
    return q.query_years(get_db(), commerce_build())


def parse_filters(args: Mapping[str, str]) -> CommerceFilter:
    """Validate the observatory's parameters from a query string (raises BadParameter)."""
    allowed = [str(y) for y in years()]
    raw = (args.get(PARAM_YEAR) or (allowed[-1] if allowed else "")).strip()
    if raw not in allowed:
        raise BadParameter(PARAM_YEAR, raw, allowed)
    perimeter = (args.get(PARAM_PERIMETER) or TOWN).strip()
    if perimeter not in PERIMETERS:
        raise BadParameter(PARAM_PERIMETER, perimeter, list(PERIMETERS))
    return CommerceFilter(int(raw), perimeter)


def filter_query(f: CommerceFilter) -> dict[str, str]:
    """The query-string form of a filter, defaults left out (the shareable URL)."""
    out = {}
    span = years()
    if span and f.year != span[-1]:
        out[PARAM_YEAR] = str(f.year)
    if f.perimeter != TOWN:
        out[PARAM_PERIMETER] = f.perimeter
    return out


# --- views ------------------------------------------------------------------------------------

def _perimeter_totals(stock: pd.DataFrame, hyper: tuple[str, ...]) -> dict[str, pd.DataFrame]:
    """Per perimeter, the yearly sums of units, vacant units, openings and closures."""
    out = {}
    for perimeter in PERIMETERS:
        rows = stock[in_perimeter(stock["iris_code"], perimeter, hyper)]
        sums = rows.groupby("year")[["units", "vacant", "openings", "closures"]].sum()
        out[perimeter] = sums.reindex(sorted(stock["year"].unique()), fill_value=0)
    return out


@versioned(*DATASETS)
def view_vacancy(hyper: tuple[str, ...], lang: str) -> dict[str, Any]:
    t = L[lang]
    stock = q.query_stock(get_db(), commerce_build())
    if stock.empty:
        return _empty(t["no_data"], lang)
    totals = _perimeter_totals(stock, hyper)
    series, rows = [], []
    styles = {HYPERCENTRE: (SERIES_COLORS[1], "solid", "circle"), REST: (SERIES_COLORS[0], "dash", "square"),
              TOWN: ("#5c636a", "dot", "diamond")}
    for perimeter in (HYPERCENTRE, REST, TOWN):
        sums = totals[perimeter]
        if not sums["units"].any():
            continue
        rate = sums["vacant"] / sums["units"].where(sums["units"] > 0)
        name = upper_first(PERIMETER_LABELS[lang][perimeter])
        color, dash, symbol = styles[perimeter]
        series.append({"name": name, "y": [None if pd.isna(r) else float(r) for r in rate], "color": color,
                       "dash": dash, "symbol": symbol,
                       "hover": [f"{name}, {'fin' if lang == 'fr' else 'end of'} {y}{t['colon']}{cell_share(r, lang)} "
                                 f"({fmt_number(v, lang)} / {fmt_number(u, lang)} {t['units']})"
                                 for y, r, v, u in zip(sums.index, rate, sums["vacant"], sums["units"])]})
        rows += [[y, name, int(u), int(v), None if pd.isna(r) else float(r)]
                 for y, u, v, r in zip(sums.index, sums["units"], sums["vacant"], rate)]
    year_list = [int(y) for y in totals[TOWN].index]
    figure = fig.year_lines(year_list, series, t["vacancy"], lang)
    first, last = year_list[0], year_list[-1]
    parts = []
    for perimeter in (HYPERCENTRE, REST):
        sums = totals[perimeter]
        if sums.loc[first, "units"] and sums.loc[last, "units"]:
            parts.append((PERIMETER_LABELS[lang][perimeter], sums.loc[first, "vacant"] / sums.loc[first, "units"],
                          sums.loc[last, "vacant"] / sums.loc[last, "units"], int(sums.loc[last, "vacant"]),
                          int(sums.loc[last, "units"])))
    if lang == "fr":
        summary = " ; ".join(
            f"{'dans ' if p != PERIMETER_LABELS['fr'][REST] else ''}{p}, le taux de vacance est passé de "
            f"{cell_share(a, lang)} fin {first} à {cell_share(b, lang)} fin {last} ({fmt_number(v, lang)} cellules "
            f"vacantes sur {fmt_number(u, lang)})" for p, a, b, v, u in parts)
        summary = upper_first(summary) + "."
    else:
        summary = "; ".join(
            f"{'in ' if p != PERIMETER_LABELS['en'][REST] else ''}{p}, the vacancy rate went from {cell_share(a, lang)} "
            f"at the end of {first} to {cell_share(b, lang)} at the end of {last} ({fmt_number(v, lang)} vacant units "
            f"out of {fmt_number(u, lang)})" for p, a, b, v, u in parts)
        summary = upper_first(summary) + "."
    table = table_of([({"fr": "Fin d'année", "en": "Year-end"}, cell_text), ({"fr": "Périmètre", "en": "Perimeter"}, cell_text),
                      ({"fr": "Cellules", "en": "Units"}, cell_int), ({"fr": "Vacantes", "en": "Vacant"}, cell_int),
                      ({"fr": "Taux de vacance", "en": "Vacancy rate"}, cell_share)],
                     pd.DataFrame(rows, columns=["year", "perimeter", "units", "vacant", "rate"]), lang)
    return {"figure": figure, "summary": summary, "table": table}


@versioned(*DATASETS)
def view_flows(perimeter: str, hyper: tuple[str, ...], lang: str) -> dict[str, Any]:
    t = L[lang]
    stock = q.query_stock(get_db(), commerce_build())
    if stock.empty:
        return _empty(t["no_data"], lang)
    # The first year-end is the survey's state: its year's flows know only the businesses still open.
    sums = _perimeter_totals(stock, hyper)[perimeter].iloc[1:]
    if sums.empty:
        return _empty(t["no_data"], lang)
    year_list = [int(y) for y in sums.index]
    bars = [{"name": t[k], "y": [int(v) for v in sums[k]], "color": color,
             "hover": [f"{y}{t['colon']}{fmt_number(v, lang)} {t[k].lower()}" for y, v in zip(year_list, sums[k])]}
            for k, color in (("openings", fig.OPENINGS_COLOR), ("closures", fig.CLOSURES_COLOR))]
    line = None
    sirene = q.query_sirene(get_db(), commerce_build())
    created = sirene.groupby("year")["created"].sum().reindex(year_list) if not sirene.empty else None
    if perimeter == TOWN and created is not None and created.notna().any():  # Sirene has no IRIS: town-wide only
        line = {"name": t["sirene"], "y": [None if pd.isna(v) else int(v) for v in created],
                "hover": [f"{y}{t['colon']}{fmt_number(v, lang)} {t['sirene'].lower()}" for y, v in zip(year_list, created)]}
    figure = fig.flows_bars(year_list, bars, line, lang)
    opened, closed = int(sums["openings"].sum()), int(sums["closures"].sum())
    where = PERIMETER_LABELS[lang][perimeter]
    first, last = year_list[0], year_list[-1]
    if lang == "fr":
        summary = (f"De {first} à {last}, {where} : {fmt_number(opened, lang)} ouvertures et {fmt_number(closed, lang)} "
                   f"fermetures de commerces, soit un solde de {'+' if opened >= closed else '−'}"
                   f"{fmt_number(abs(opened - closed), lang)}. En {last} : {fmt_number(sums.loc[last, 'openings'], lang)} "
                   f"ouvertures, {fmt_number(sums.loc[last, 'closures'], lang)} fermetures.")
        if line is not None:
            summary += (f" Le répertoire Sirene compte {fmt_number(created.sum(), lang)} créations d'établissements de "
                        "ces activités sur la même période : une création administrative n'est pas une boutique qui ouvre.")
    else:
        summary = (f"From {first} to {last}, {where}: {fmt_number(opened, lang)} shop openings and "
                   f"{fmt_number(closed, lang)} closures, a balance of {'+' if opened >= closed else '−'}"
                   f"{fmt_number(abs(opened - closed), lang)}. In {last}: {fmt_number(sums.loc[last, 'openings'], lang)} "
                   f"openings, {fmt_number(sums.loc[last, 'closures'], lang)} closures.")
        if line is not None:
            summary += (f" The Sirene directory lists {fmt_number(created.sum(), lang)} establishments of these "
                        "activities created over the same years: an administrative creation is not a shop opening.")
    frame = pd.DataFrame({"year": year_list, "openings": sums["openings"].astype(int).tolist(),
                          "closures": sums["closures"].astype(int).tolist()})
    columns = [({"fr": "Année", "en": "Year"}, cell_text), ({"fr": "Ouvertures", "en": "Openings"}, cell_int),
               ({"fr": "Fermetures", "en": "Closures"}, cell_int)]
    if line is not None:
        frame["sirene"] = [None if pd.isna(v) else int(v) for v in created]
        columns.append(({"fr": "Créations Sirene", "en": "Sirene creations"}, cell_int))
    return {"figure": figure, "summary": summary, "table": table_of(columns, frame, lang)}


@versioned(*DATASETS)
def view_mix(year: int, perimeter: str, hyper: tuple[str, ...], lang: str) -> dict[str, Any]:
    t = L[lang]
    mix = q.query_mix(get_db(), commerce_build(), year)
    mix = mix[in_perimeter(mix["iris_code"], perimeter, hyper)]
    if mix.empty:
        return _empty(t["no_data"], lang)
    by = mix.groupby("category")[["businesses", "independents"]].sum().reindex(CATEGORIES).dropna()
    by = by[by["businesses"] > 0].sort_values("businesses", ascending=False)
    total, independents = int(by["businesses"].sum()), int(by["independents"].sum())
    labels = [CATEGORY_LABELS[lang].get(c, c) for c in by.index]
    texts = [share(v, total, lang) for v in by["businesses"]]
    hover = [f"{name}{t['colon']}{fmt_number(v, lang)} ({share(v, total, lang)}), "
             f"{'dont' if lang == 'fr' else 'of which'} {share(i, v, lang)} {'indépendants' if lang == 'fr' else 'independent'}"
             for name, v, i in zip(labels, by["businesses"], by["independents"])]
    figure = ranked_bars(labels, by["businesses"].astype(int).tolist(), texts, hover, lang)
    lead = ", ".join(f"{name.lower()} {text}" for name, text in zip(labels[:3], texts[:3]))
    where = PERIMETER_LABELS[lang][perimeter]
    if lang == "fr":
        summary = (f"Fin {year}, {fmt_number(total, lang)} commerces ouverts ({where}) : {lead}. "
                   f"{share(independents, total, lang)} sont des commerces indépendants, les autres des enseignes.")
    else:
        summary = (f"At the end of {year}, {fmt_number(total, lang)} businesses open ({where}): {lead}. "
                   f"{share(independents, total, lang)} are independent, the others belong to chains.")
    frame = pd.DataFrame({"category": labels, "businesses": by["businesses"].astype(int).tolist(),
                          "share": (by["businesses"] / total).tolist(),
                          "independent": (by["independents"] / by["businesses"]).tolist()})
    table = table_of([({"fr": "Activité", "en": "Activity"}, cell_text), ({"fr": "Commerces", "en": "Businesses"}, cell_int),
                      ({"fr": "Part", "en": "Share"}, cell_share),
                      ({"fr": "Part d'indépendants", "en": "Independent share"}, cell_share)], frame, lang)
    return {"figure": figure, "summary": summary, "table": table}


@versioned(*DATASETS, "iris-contours")
def view_map(year: int, perimeter: str, hyper: tuple[str, ...], lang: str) -> dict[str, Any]:
    t = L[lang]
    units = q.query_units(get_db(), commerce_build(), year)
    units = units[in_perimeter(units["iris_code"], perimeter, hyper)].copy()
    if units.empty:
        return _empty(t["no_data"], lang)
    units["vacant"] = units["vacant"].astype(bool)
    placed = units.dropna(subset=["longitude", "latitude"])  # the table and figures count every unit
    iris = query_iris(get_db(), school_build(), get_settings().city_insee)
    hover = []
    for u in placed.itertuples():
        address = f"{u.street_number} {u.street}" if isinstance(u.street_number, str) and u.street_number else u.street
        what = t["vacant"] if u.vacant else f"{u.name or ''} ({CATEGORY_LABELS[lang].get(u.category, u.category or '')})"
        hover.append(f"<b>{address}</b><br>{what}")
    figure = fig.units_map(iris, placed, {"open": t["open"], "vacant": t["vacant"]}, hover, lang)
    streets = units.groupby("street").agg(units=("unit_id", "size"), vacant=("vacant", "sum")).reset_index()
    streets["rate"] = streets["vacant"] / streets["units"]
    streets = streets.sort_values(["vacant", "units"], ascending=[False, False]).reset_index(drop=True)
    worst = streets[streets["vacant"] > 0].head(3)
    vacant = int(units["vacant"].sum())
    named = ", ".join(f"{s.street} ({fmt_number(s.vacant, lang)})" for s in worst.itertuples())
    where = PERIMETER_LABELS[lang][perimeter]
    if lang == "fr":
        summary = (f"Fin {year}, {where} : {fmt_number(vacant, lang)} cellules vacantes sur {fmt_number(len(units), lang)} "
                   f"({share(vacant, len(units), lang)})" + (f" ; les rues qui en comptent le plus : {named}." if named else "."))
    else:
        summary = (f"At the end of {year}, {where}: {fmt_number(vacant, lang)} vacant units out of "
                   f"{fmt_number(len(units), lang)} ({share(vacant, len(units), lang)})"
                   + (f"; the streets with the most: {named}." if named else "."))
    if len(placed) < len(units):
        missing = fmt_number(len(units) - len(placed), lang)
        summary += (f" {missing} cellules sans position ne sont pas sur la carte, mais comptent dans le tableau."
                    if lang == "fr" else f" {missing} units without a position are not on the map but count in the table.")
    table = table_of([({"fr": "Rue", "en": "Street"}, cell_text), ({"fr": "Cellules", "en": "Units"}, cell_int),
                      ({"fr": "Vacantes", "en": "Vacant"}, cell_int), ({"fr": "Taux de vacance", "en": "Vacancy rate"}, cell_share)],
                     streets[["street", "units", "vacant", "rate"]].astype({"units": int, "vacant": int}), lang)
    return {"figure": figure, "summary": summary, "table": table}


@versioned(*DATASETS, *FOOTFALL_DATASETS)
def view_footfall(year: int, lang: str) -> dict[str, Any]:
    t = L[lang]
    around = q.query_point_vacancy(get_db(), commerce_build(), year)
    try:
        passages = q.query_point_passages(get_db(), footfall_build(), date(year, 1, 1), date(year, 12, 31))
    except LookupError:  # no footfall served yet
        passages = pd.DataFrame(columns=["site_id", "name", "passages", "days"])
    points = around.merge(passages, on="site_id")
    points = points[(points["days"] > 0) & (points["units"] > 0)].copy()
    if points.empty:
        message = (f"Pas de comptage de piétons en {year} : choisissez une année que les compteurs couvrent."
                   if lang == "fr" else f"No pedestrian count in {year}: choose a year the counters cover.")
        return _empty(message, lang)
    span = q.query_counted_span(get_db(), footfall_build(), date(year, 1, 1), date(year, 12, 31))
    points["per_day"] = points["passages"].astype(float) / points["days"].astype(float)
    points["rate"] = points["vacant"] / points["units"]
    points = points.sort_values("per_day", ascending=False).reset_index(drop=True)
    hover = [f"<b>{p.name}</b><br>{fmt_number(p.per_day, lang)} {t['per_day'].lower()}<br>"
             f"{fmt_number(p.vacant, lang)} / {fmt_number(p.units, lang)} {t['units']} "
             f"{'vacantes' if lang == 'fr' else 'vacant'} ({cell_share(p.rate, lang)})" for p in points.itertuples()]
    figure = fig.vacancy_scatter(points, hover, t["per_day"], t["around"], lang)
    half = max(1, len(points) // 3)
    busy, quiet = points.head(half), points.tail(half)
    busy_rate = busy["vacant"].sum() / busy["units"].sum()
    quiet_rate = quiet["vacant"].sum() / quiet["units"].sum()
    first, last = span
    whole_year = first == date(year, 1, 1) and last == date(year, 12, 31)
    if lang == "fr":
        counted = f"en {year}" if whole_year else f"du {fmt_date(first, lang)} au {fmt_date(last, lang)} seulement"
        summary = (f"Passages comptés {counted} : autour des {half} points de comptage les plus fréquentés, "
                   f"{cell_share(busy_rate, lang)} des cellules sont vacantes ; autour des {half} moins fréquentés, "
                   f"{cell_share(quiet_rate, lang)}. Vacance fin {year}, dans un rayon de {NEAR_POINT_METRES} m de chaque point.")
    else:
        counted = f"in {year}" if whole_year else f"from {fmt_date(first, lang)} to {fmt_date(last, lang)} only"
        summary = (f"Passages counted {counted}: around the {half} busiest counting points, {cell_share(busy_rate, lang)} "
                   f"of the units are vacant; around the {half} quietest, {cell_share(quiet_rate, lang)}. Vacancy at the "
                   f"end of {year}, within {NEAR_POINT_METRES} m of each point.")
    table = table_of([({"fr": "Point de comptage", "en": "Counting point"}, cell_text),
                      ({"fr": "Passages par jour", "en": "Passages a day"}, cell_int),
                      ({"fr": "Cellules à moins de 150 m", "en": "Units within 150 m"}, cell_int),
                      ({"fr": "Vacantes", "en": "Vacant"}, cell_int), ({"fr": "Taux de vacance", "en": "Vacancy rate"}, cell_share)],
                     points[["name", "per_day", "units", "vacant", "rate"]].astype({"units": int, "vacant": int}), lang)
    return {"figure": figure, "summary": summary, "table": table}


def _empty(message: str, lang: str) -> dict[str, Any]:
    return {"figure": empty_figure(message, lang), "summary": message, "table": {"columns": [], "rows": [], "raw": []}}


@versioned(*DATASETS)
def overview(hyper: tuple[str, ...]) -> dict[str, Any]:
    """Key figures: the hypercentre's vacancy at the first and last year-ends, the units, the independents."""
    stock = q.query_stock(get_db(), commerce_build())
    out: dict[str, Any] = {"first": None, "last": None, "rate_first": None, "rate_last": None, "units": None,
                           "independent": None}
    if stock.empty:
        return out
    sums = _perimeter_totals(stock, hyper)
    hyper_sums = sums[HYPERCENTRE] if sums[HYPERCENTRE]["units"].any() else sums[TOWN]
    first, last = int(hyper_sums.index[0]), int(hyper_sums.index[-1])
    out |= {"first": first, "last": last, "units": int(sums[TOWN].loc[last, "units"]),
            "rate_first": float(hyper_sums.loc[first, "vacant"] / hyper_sums.loc[first, "units"]) * 100,
            "rate_last": float(hyper_sums.loc[last, "vacant"] / hyper_sums.loc[last, "units"]) * 100,
            "hyper_found": bool(sums[HYPERCENTRE]["units"].any())}
    mix = q.query_mix(get_db(), commerce_build(), last)
    if not mix.empty and mix["businesses"].sum():
        out["independent"] = float(mix["independents"].sum() / mix["businesses"].sum()) * 100
    return out


# --- registry ---------------------------------------------------------------------------------

PARAMS = (
    Param(PARAM_YEAR, lambda: str((years() or [""])[-1]), lambda: [str(y) for y in years()],
          {"fr": "Année (fin d'année)", "en": "Year (year-end)"}),
    Param(PARAM_PERIMETER, TOWN, lambda: list(PERIMETERS), {"fr": "Périmètre", "en": "Perimeter"}),
)
COMMON = {"story": STORY, "story_path": "/commerces", "params": PARAMS, "parse": parse_filters}
INVENTORY = ("commerces",)

register(Chart(
    slug="commerces-vacance", kind="line", **COMMON, depends=DATASETS,
    title={"fr": "La vacance commerciale année après année", "en": "Shop vacancy year after year"},
    datasets=INVENTORY, view=lambda f, lang: view_vacancy(hypercentre(), lang),
    note={"fr": "Part des cellules commerciales vacantes au 31 décembre ; la première année est l'état du premier relevé.",
          "en": "Share of commercial units vacant on 31 December; the first year is the state of the first survey."},
))
register(Chart(
    slug="commerces-flux", kind="bar", **COMMON, depends=DATASETS,
    title={"fr": "Ouvertures et fermetures de commerces", "en": "Shop openings and closures"},
    datasets=("commerces", "sirene-etablissements"), view=lambda f, lang: view_flows(f.perimeter, hypercentre(), lang),
    note={"fr": "Une reprise compte une fermeture et une ouverture. Les créations Sirene (toute la ville) sont des dates "
                "administratives : une création précède l'ouverture, et une fermeture est souvent déclarée tard.",
          "en": "A takeover counts as one closure and one opening. Sirene creations (whole town) are administrative "
                "dates: a creation precedes the opening, and closures are often declared late."},
))
register(Chart(
    slug="commerces-activites", kind="bar", **COMMON, depends=DATASETS,
    title={"fr": "Les activités des commerces", "en": "What the shops sell"},
    datasets=INVENTORY, view=lambda f, lang: view_mix(f.year, f.perimeter, hypercentre(), lang),
))
register(Chart(
    slug="commerces-carte", kind="map", **COMMON, depends=(*DATASETS, "iris-contours"),
    title={"fr": "Les cellules commerciales, occupées ou vacantes", "en": "Commercial units, occupied or vacant"},
    datasets=("commerces", "iris-contours"), view=lambda f, lang: view_map(f.year, f.perimeter, hypercentre(), lang),
    note={"fr": "Une croix marque une cellule vacante, un rond une cellule occupée. Le tableau compte les cellules par rue.",
          "en": "A cross marks a vacant unit, a dot an occupied one. The table counts units per street."},
))
register(Chart(
    slug="commerces-frequentation", kind="scatter", **COMMON, depends=tuple(sorted({*DATASETS, *FOOTFALL_DATASETS})),
    title={"fr": "Vacance et fréquentation des rues", "en": "Vacancy and street footfall"},
    datasets=("commerces", "comptage-mesures"), view=lambda f, lang: view_footfall(f.year, lang),
    note={"fr": "Chaque cercle est un point de comptage : passages de piétons par jour compté dans l'année, et part des cellules "
                "vacantes dans un rayon de 150 m ; sa taille suit le nombre de cellules. Un lien, pas une cause.",
          "en": "Each circle is a counting point: pedestrian passages per counted day of the year, and the share of vacant units "
                "within 150 m; its size follows the number of units. A link, not a cause."},
))

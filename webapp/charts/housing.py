"""The housing story's charts: parameters, cached views, text summaries and data tables.

Every figure reads rows computed when the files were published (`webapp.data.importers.housing`):
medians per span of years, place and dwelling type. A median from fewer than `MIN_SALES` sales is
not in the store; the charts leave a gap there and say why.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from webapp.charts import BadParameter, Chart, Param, register
from webapp.charts.cells import cell_int, cell_text, table_of
from webapp.charts.schools import iris_choices, school_build
from webapp.data import housing as q
from webapp.data.housing import BOTH, INDICATORS, TYPES, HousingFilter
from webapp.data.importers.housing import MIN_SALES
from webapp.data.schools import query_iris
from webapp.data.store import build_id, frame_from_cache, get_db, get_settings, versioned
from webapp.figures import housing as fig
from webapp.figures.base import REFERENCE_COLOR, empty_figure
from webapp.formatting import fmt_number, fmt_percent

STORY = "logement"
PARAM_TYPE, PARAM_FROM, PARAM_TO, PARAM_QUARTIER, PARAM_INDICATOR = "type", "debut", "fin", "quartier", "indicateur"
ALL = "tous"

TYPE_LABELS = {
    "fr": {"appartement": "Appartements", "maison": "Maisons", "tous": "Appartements et maisons"},
    "en": {"appartement": "Flats", "maison": "Houses", "tous": "Flats and houses"},
}
INDICATOR_LABELS = {
    "fr": {"prix": "Prix médian au m²", "ventes": "Nombre de ventes", "vacance": "Part de logements vacants",
           "hlm": "Part de locataires HLM", "revenu": "Revenu médian déclaré"},
    "en": {"prix": "Median price per m²", "ventes": "Number of sales", "vacance": "Share of vacant dwellings",
           "hlm": "Share of social housing tenants", "revenu": "Median declared income"},
}
L = {
    "fr": {"eur_m2": "€/m²", "sales": "ventes", "no_data": "pas de données",
           "department": "{dep} (médiane trimestrielle publiée)", "colon": "\u202f: ",
           "few": "moins de {n} ventes", "quarter": "T{q} {year}",
           "no_sales": "Aucune vente de ce type sur la période choisie.", "not_published": "non publié"},
    "en": {"eur_m2": "€/m²", "sales": "sales", "no_data": "no data",
           "department": "{dep} (published quarterly median)", "colon": ": ",
           "few": "fewer than {n} sales", "quarter": "Q{q} {year}",
           "no_sales": "No sale of this type in the chosen period.", "not_published": "not published"},
}


def housing_build() -> int:
    """The build of the housing tables for the versions this request is served."""
    return build_id("logement")


def _say(key: str, lang: str, **values: Any) -> str:
    s = get_settings()
    return L[lang][key].format(city=s.city_name, dep=s.city_department_name, **values)


# --- parameters -------------------------------------------------------------------------------

@versioned("dvf", "iris-contours")
def year_span() -> list[int] | None:
    """The first and last year of the town's sales (the allowed values of `debut` and `fin`)."""
    span = q.query_years(get_db(), housing_build(), get_settings().city_insee)
    return list(span) if span else None


def allowed_years() -> list[str]:
    span = year_span()
    return [str(y) for y in range(span[0], span[1] + 1)] if span else []


def parse_filters(args: Mapping[str, str]) -> HousingFilter:
    """Validate `type`, `debut`, `fin`, `quartier`, `indicateur` from a query string.

    A span given backwards (`debut` after `fin`) is read the right way round.
    """
    kind = (args.get(PARAM_TYPE) or ALL).strip()
    if kind not in (*TYPES, BOTH):
        raise BadParameter(PARAM_TYPE, kind, [*TYPES, BOTH])
    years = allowed_years()
    bounds = []
    for name, default in ((PARAM_FROM, years[0] if years else ""), (PARAM_TO, years[-1] if years else "")):
        raw = (args.get(name) or default).strip()
        if raw not in years:
            raise BadParameter(name, raw, years)
        bounds.append(int(raw))
    first, last = sorted(bounds)
    quartier = (args.get(PARAM_QUARTIER) or ALL).strip()
    codes = frame_from_cache(iris_choices())["code"].tolist()
    if quartier not in (*codes, ALL):
        raise BadParameter(PARAM_QUARTIER, quartier, [*codes, ALL])
    indicator = (args.get(PARAM_INDICATOR) or INDICATORS[0]).strip()
    if indicator not in INDICATORS:
        raise BadParameter(PARAM_INDICATOR, indicator, list(INDICATORS))
    return HousingFilter(kind, first, last, None if quartier == ALL else quartier, indicator)


def filter_query(f: HousingFilter) -> dict[str, str]:
    """The query-string form of a filter, defaults left out (the shareable URL)."""
    years = allowed_years()
    out = {}
    if f.dwelling_type != BOTH:
        out[PARAM_TYPE] = f.dwelling_type
    if years and f.year_from != int(years[0]):
        out[PARAM_FROM] = str(f.year_from)
    if years and f.year_to != int(years[-1]):
        out[PARAM_TO] = str(f.year_to)
    if f.iris:
        out[PARAM_QUARTIER] = f.iris
    if f.indicator != INDICATORS[0]:
        out[PARAM_INDICATOR] = f.indicator
    return out


def quartier_names() -> dict[str, str]:
    quartiers = frame_from_cache(iris_choices())
    return dict(zip(quartiers["code"], quartiers["name"]))


# --- formatting helpers ----------------------------------------------------------------------------

def _eur_m2(v: Any, lang: str) -> str:
    return "" if v is None or pd.isna(v) else f"{fmt_number(v, lang)} €/m²"


def _pct(v: Any, lang: str) -> str:
    return "" if v is None or pd.isna(v) else fmt_percent(v, lang)


def _types(f: HousingFilter) -> tuple[str, ...]:
    return TYPES if f.dwelling_type == BOTH else (f.dwelling_type,)


def _mid_year(year: int) -> str:
    return f"{year}-07-01"


def _yearly(iris: str, f: HousingFilter) -> pd.DataFrame:
    s = get_settings()
    return q.query_yearly(get_db(), housing_build(), s.city_insee, iris, f.year_from, f.year_to)


def _series(df: pd.DataFrame, kind: str, years: list[int], column: str) -> list[float | None]:
    """One value per year (None where the store has none: a gap, not a zero)."""
    values = df[df["dwelling_type"] == kind].set_index("year")[column]
    return [None if y not in values.index or pd.isna(values[y]) else float(values[y]) for y in years]


def _years_list(years: list[int], lang: str) -> str:
    if len(years) == 1:
        return str(years[0])
    joiner = " et " if lang == "fr" else " and "
    return ", ".join(map(str, years[:-1])) + joiner + str(years[-1])


# --- views ------------------------------------------------------------------------------------

@versioned(*q.DATASETS)
def view_prices(f: HousingFilter, lang: str) -> dict[str, Any]:
    s, t = get_settings(), L[lang]
    if f.year_from is None:
        return _no_sales_view(lang)
    years = list(range(f.year_from, f.year_to + 1))
    town = _yearly("", f)
    names = quartier_names()
    place = _yearly(f.iris, f) if f.iris else None
    reference = q.query_reference(get_db(), housing_build(), s.city_department, f.year_from, f.year_to)
    kinds = _types(f) if not f.iris else (f.dwelling_type,)
    lines, gaps, table_rows = [], [], []
    for kind in kinds:
        color = fig.TYPE_COLORS[kind]
        type_label = TYPE_LABELS[lang][kind]
        where = [(names[f.iris], place, "solid", color)] if f.iris else []
        where.append((s.city_name, town, "dot" if f.iris else "solid", REFERENCE_COLOR if f.iris else color))
        for place_name, df, dash, line_color in where:
            medians = _series(df, kind, years, "median_price_m2")
            sales = _series(df, kind, years, "sales")
            hover = [f"<b>{place_name}</b> · {type_label.lower()} · {y}<br>"
                     + (f"{fmt_number(m, lang)} €/m² ({fmt_number(n, lang)} {t['sales']})" if m is not None
                        else t["few"].format(n=MIN_SALES) if n else t["no_data"])
                     for y, m, n in zip(years, medians, sales)]
            lines.append({"name": f"{place_name} · {type_label}", "x": [_mid_year(y) for y in years], "y": medians,
                          "color": line_color, "dash": dash, "hover": hover})
            gaps += [(place_name, kind, y) for y, m in zip(years, medians) if m is None]
            table_rows += [{"place": place_name, "type": type_label, "period": str(y), "sales": n, "median": m}
                           for y, m, n in zip(years, medians, sales)]
        ref = reference[reference["dwelling_type"] == kind]
        if not ref.empty:
            quarters = ref["quarter_start"]
            lines.append({
                "name": f"{s.city_department_name} · {type_label}", "mode": "lines", "width": 2, "marker": 0,
                "x": (quarters + pd.Timedelta(days=45)).dt.strftime("%Y-%m-%d").tolist(),
                "y": ref["median_price_m2"].tolist(), "color": color if not f.iris else "#6c757d", "dash": "dash",
                "hover": [f"<b>{_say('department', lang)}</b> · {type_label.lower()} · "
                          f"{t['quarter'].format(q=(d.month - 1) // 3 + 1, year=d.year)}<br>"
                          f"{fmt_number(v, lang)} €/m² ({fmt_number(n, lang)} {t['sales']})"
                          for d, v, n in zip(quarters, ref["median_price_m2"], ref["sales"])],
            })
            table_rows += [{"place": s.city_department_name, "type": type_label,
                            "period": t["quarter"].format(q=(d.month - 1) // 3 + 1, year=d.year), "sales": n,
                            "median": v} for d, v, n in zip(quarters, ref["median_price_m2"], ref["sales"])]
    figure = fig.line_chart(lines, t["eur_m2"], f.year_from, f.year_to, lang)
    summary = _prices_summary(f, town, place, reference, kinds, gaps, lang)
    table = table_of([({"fr": "Lieu", "en": "Place"}, cell_text), ({"fr": "Type", "en": "Type"}, cell_text),
                    ({"fr": "Période", "en": "Period"}, cell_text), ({"fr": "Ventes", "en": "Sales"}, cell_int),
                    ({"fr": "Prix médian au m²", "en": "Median price per m²"}, _eur_m2)],
                   pd.DataFrame(table_rows, columns=["place", "type", "period", "sales", "median"]), lang)
    return {"figure": figure, "summary": summary, "table": table}


def _change(first: float | None, last: float | None) -> float | None:
    return None if first is None or last is None or not first else (last / first - 1) * 100


def _signed_percent(value: float, lang: str) -> str:
    """+4,2 % / −1,5 % (a true minus sign, as French typography wants)."""
    return ("+" if value > 0 else "\u2212" if value < 0 else "") + fmt_percent(abs(value), lang)


def _prices_summary(f: HousingFilter, town: pd.DataFrame, place: pd.DataFrame | None, reference: pd.DataFrame,
                    kinds: tuple[str, ...], gaps: list[tuple[str, str, int]], lang: str) -> str:
    s, names = get_settings(), quartier_names()
    df, where = (place, names[f.iris]) if f.iris else (town, s.city_name)
    years = list(range(f.year_from, f.year_to + 1))
    sentences = []
    for kind in kinds:
        values = [v for v in zip(years, _series(df, kind, years, "median_price_m2")) if v[1] is not None]
        label = TYPE_LABELS[lang][kind].lower()
        if not values:
            sentences.append(f"{where} : aucune médiane publiable pour les {label} sur la période."
                             if lang == "fr" else f"{where}: no median can be published for {label} in the period.")
            continue
        (y0, v0), (y1, v1) = values[0], values[-1]
        change = _change(v0, v1) if y1 > y0 else None
        if lang == "fr":
            text = f"{where}, {label} : {fmt_number(v1, lang)} €/m² en {y1}"
            if change is not None:
                text += f", {_signed_percent(change, lang)} depuis {y0} ({fmt_number(v0, lang)} €/m²)"
        else:
            text = f"{where}, {label}: {fmt_number(v1, lang)} €/m² in {y1}"
            if change is not None:
                text += f", {_signed_percent(change, lang)} since {y0} ({fmt_number(v0, lang)} €/m²)"
        ref = reference[(reference["dwelling_type"] == kind) & (reference["quarter_start"].dt.year == y1)]
        if not ref.empty:
            level = float((ref["median_price_m2"] * ref["sales"]).sum() / ref["sales"].sum())
            text += (f" ; dans le {s.city_department_name}, médiane trimestrielle moyenne de {fmt_number(level, lang)} €/m²"
                     if lang == "fr" else f"; {s.city_department_name}: average quarterly median {fmt_number(level, lang)} €/m²")
        sentences.append(text + ".")
    if gaps:
        missing: dict[str, list[int]] = {}
        for place_name, kind, year in gaps:
            missing.setdefault(f"{place_name}, {TYPE_LABELS[lang][kind].lower()}", []).append(year)
        parts = "; ".join(f"{k} ({_years_list(v, lang)})" for k, v in missing.items())
        sentences.append(
            f"Pas de médiane quand il y a moins de {MIN_SALES} ventes ou aucune donnée : {parts}. La courbe s'interrompt."
            if lang == "fr" else
            f"No median with fewer than {MIN_SALES} sales or no data: {parts}. The line breaks there.")
    return " ".join(sentences)


@versioned(*q.DATASETS)
def view_sales(f: HousingFilter, lang: str) -> dict[str, Any]:
    s, t = get_settings(), L[lang]
    if f.year_from is None:
        return _no_sales_view(lang)
    years = list(range(f.year_from, f.year_to + 1))
    names = quartier_names()
    where = names[f.iris] if f.iris else s.city_name
    df = _yearly(f.iris or "", f)
    series, table_rows = [], []
    totals = [0] * len(years)
    for kind in _types(f):
        counts = _series(df, kind, years, "sales")
        totals = [a + (b or 0) for a, b in zip(totals, counts)]
        series.append({"name": TYPE_LABELS[lang][kind], "y": counts, "color": fig.TYPE_COLORS[kind],
                       "hover": [f"<b>{where}</b> · {TYPE_LABELS[lang][kind].lower()} · {y}<br>"
                                 f"{fmt_number(n, lang) if n is not None else 0} {t['sales']}"
                                 for y, n in zip(years, counts)]})
        table_rows += [{"place": where, "type": TYPE_LABELS[lang][kind], "year": str(y), "sales": n or 0}
                       for y, n in zip(years, counts)]
    # A year without any sale in the whole town is a year the file does not cover: no data, not zero.
    town_all = _series(_yearly("", f), BOTH, years, "sales")
    missing = [y for y, n in zip(years, town_all) if not n]
    figure = fig.stacked_bars(years, series, t["sales"], missing, t["no_data"], lang)
    covered = [(y, n) for y, n in zip(years, totals) if y not in missing]
    if not covered:
        summary = t["no_sales"]
    else:
        total = sum(n for _, n in covered)
        busiest = max(covered, key=lambda p: p[1])
        what = TYPE_LABELS[lang][f.dwelling_type].lower()
        if lang == "fr":
            summary = (f"{where} : {fmt_number(total, lang)} ventes ({what}) de {years[0]} à {years[-1]}, "
                       f"soit {fmt_number(total / len(covered), lang)} par an en moyenne ; le plus en {busiest[0]} "
                       f"({fmt_number(busiest[1], lang)}).")
            if missing:
                summary += f" Pas de données pour {_years_list(missing, lang)}."
        else:
            summary = (f"{where}: {fmt_number(total, lang)} sales ({what}) from {years[0]} to {years[-1]}, "
                       f"{fmt_number(total / len(covered), lang)} a year on average; most in {busiest[0]} "
                       f"({fmt_number(busiest[1], lang)}).")
            if missing:
                summary += f" No data for {_years_list(missing, lang)}."
    table = table_of([({"fr": "Lieu", "en": "Place"}, cell_text), ({"fr": "Type", "en": "Type"}, cell_text),
                    ({"fr": "Année", "en": "Year"}, cell_text), ({"fr": "Ventes", "en": "Sales"}, cell_int)],
                   pd.DataFrame(table_rows, columns=["place", "type", "year", "sales"]), lang)
    return {"figure": figure, "summary": summary, "table": table}


def _no_sales_view(lang: str) -> dict[str, Any]:
    message = L[lang]["no_sales"]
    return {"figure": empty_figure(message, lang), "summary": message,
            "table": {"columns": [], "rows": [], "raw": []}}


def _stock_shares(df: pd.DataFrame) -> pd.DataFrame:
    """Shares (percent) of the census counts; the town's row sums its IRIS."""
    out = pd.DataFrame(index=df.index)
    out["vacancy"] = df["vacant"] / df["dwellings"] * 100
    out["social"] = df["social_tenants"] / df["main_homes"] * 100
    return out


@versioned(*q.DATASETS)
def indicator_values(f: HousingFilter) -> dict[str, Any]:
    """The map's indicator for each IRIS and for the town (None where there is no value to show)."""
    s = get_settings()
    out: dict[str, Any] = {"values": {}, "sales": {}, "town": None, "year": None}
    if f.indicator in ("prix", "ventes"):
        if f.year_from is None:
            return out
        kind = f.dwelling_type
        span = q.query_span(get_db(), housing_build(), s.city_insee, kind, f.year_from, f.year_to)
        column = "median_price_m2" if f.indicator == "prix" else "sales"
        for row in span.itertuples():
            value = getattr(row, column)
            target = None if pd.isna(value) else float(value)
            if row.iris_code:
                out["values"][row.iris_code] = target
                out["sales"][row.iris_code] = int(row.sales)
            else:
                out["town"] = target
        if f.indicator == "ventes":
            out["values"] = {code: out["values"].get(code) or 0.0 for code in quartier_names()}
    elif f.indicator in ("vacance", "hlm"):
        stock = q.query_stock(get_db(), housing_build(), s.city_insee)
        if not stock.empty:
            column = "vacancy" if f.indicator == "vacance" else "social"
            shares = _stock_shares(stock)[column]
            out["values"] = {c: (None if pd.isna(v) else float(v)) for c, v in zip(stock["iris_code"], shares)}
            town = _stock_shares(stock[["dwellings", "vacant", "main_homes", "social_tenants"]].sum().to_frame().T)
            out["town"] = float(town[column].iloc[0])
            out["year"] = int(stock["year"].max())
    else:
        income = q.query_income(get_db(), housing_build(), s.city_insee)
        out["values"] = {c: (None if pd.isna(v) else float(v)) for c, v in zip(income["iris_code"], income["median_income"])}
        out["year"] = int(income["year"].max()) if not income.empty else None
    return out


def _indicator_text(indicator: str, value: float | None, lang: str) -> str:
    if value is None:
        return ""
    if indicator == "prix":
        return f"{fmt_number(value, lang)} €/m²"
    if indicator == "ventes":
        return f"{fmt_number(value, lang)} {L[lang]['sales']}"
    if indicator == "revenu":
        return f"{fmt_number(value, lang)} €"
    return fmt_percent(value, lang)


@versioned(*q.DATASETS)
def view_map(f: HousingFilter, lang: str) -> dict[str, Any]:
    s, t = get_settings(), L[lang]
    iris = query_iris(get_db(), school_build(), s.city_insee)
    data = indicator_values(f.only("dwelling_type", "year_from", "year_to", "indicator"))
    values = {code: data["values"].get(code) for code in iris["code"]}
    label = INDICATOR_LABELS[lang][f.indicator]
    missing_reason = t["few"].format(n=MIN_SALES) if f.indicator == "prix" else t["not_published"]
    hover = {}
    for row in iris.itertuples():
        value = values.get(row.code)
        text = _indicator_text(f.indicator, value, lang) or missing_reason
        if f.indicator == "prix" and row.code in data["sales"]:
            text += f" ({fmt_number(data['sales'][row.code], lang)} {t['sales']})"
        hover[row.code] = f"<b>{row.name}</b><br>{label}{t['colon']}{text}"
    figure = fig.choropleth(iris, values, f.iris, label, lambda v: _indicator_text(f.indicator, v, lang), hover, lang)
    known = {c: v for c, v in values.items() if v is not None}
    names = dict(zip(iris["code"], iris["name"]))
    period = _period_text(f, lang) if f.indicator in ("prix", "ventes") else str(data["year"] or "")
    if not known:
        summary = t["no_sales"] if f.indicator in ("prix", "ventes") else t["not_published"]
    else:
        hi, lo = max(known, key=known.get), min(known, key=known.get)
        blank = len(values) - len(known)
        if lang == "fr":
            summary = (f"{label} ({period}) : de {_indicator_text(f.indicator, known[lo], lang)} ({names[lo]}) à "
                       f"{_indicator_text(f.indicator, known[hi], lang)} ({names[hi]})")
            summary += f" ; {s.city_name} : {_indicator_text(f.indicator, data['town'], lang)}." if data["town"] is not None else "."
            if blank:
                summary += f" {blank} quartier{'s' if blank > 1 else ''} sans valeur ({missing_reason}), hachuré{'s' if blank > 1 else ''} sur la carte."
        else:
            summary = (f"{label} ({period}): from {_indicator_text(f.indicator, known[lo], lang)} ({names[lo]}) to "
                       f"{_indicator_text(f.indicator, known[hi], lang)} ({names[hi]})")
            summary += f"; {s.city_name}: {_indicator_text(f.indicator, data['town'], lang)}." if data["town"] is not None else "."
            if blank:
                summary += f" {blank} neighbourhood{'s' if blank > 1 else ''} without a value ({missing_reason}), hatched on the map."
    rows = pd.DataFrame({"name": iris["name"], "value": [_indicator_text(f.indicator, values[c], lang) or missing_reason
                                                         for c in iris["code"]]})
    table = table_of([({"fr": "Quartier (IRIS)", "en": "Neighbourhood (IRIS)"}, cell_text), ({"fr": label, "en": label}, cell_text)],
                   rows, lang)
    table["raw"] = [[n, values[c]] for n, c in zip(iris["name"], iris["code"])]
    return {"figure": figure, "summary": summary, "table": table}


def _period_text(f: HousingFilter, lang: str) -> str:
    what = TYPE_LABELS[lang][f.dwelling_type].lower()
    years = str(f.year_from) if f.year_from == f.year_to else f"{f.year_from}-{f.year_to}"
    return f"{what}, {years}"


STOCK_PARTS = {
    "occupation": [("main_homes", "#0072B2", "#ffffff"), ("second_homes", "#E69F00", "#212529"),
                   ("vacant", "#D55E00", "#ffffff")],
    "kind": [("houses", "#D55E00", "#ffffff"), ("flats", "#0072B2", "#ffffff")],
    "tenure": [("owners", "#009E73", "#ffffff"), ("private_tenants", "#56B4E9", "#212529"),
               ("social_tenants", "#CC79A7", "#212529"), ("free", "#adb5bd", "#212529")],
}
STOCK_LABELS = {
    "fr": {"main_homes": "Résidences principales", "second_homes": "Résidences secondaires",
           "vacant": "Logements vacants", "houses": "Maisons", "flats": "Appartements", "owners": "Propriétaires",
           "private_tenants": "Locataires du privé", "social_tenants": "Locataires HLM", "free": "Logés gratuitement",
           "occupation": "Occupation", "kind": "Type", "tenure": "Statut"},
    "en": {"main_homes": "Main homes", "second_homes": "Second homes", "vacant": "Vacant dwellings",
           "houses": "Houses", "flats": "Flats", "owners": "Owners", "private_tenants": "Private tenants",
           "social_tenants": "Social housing tenants", "free": "Housed free",
           "occupation": "Occupancy", "kind": "Type", "tenure": "Tenure"},
}


def _stock_parts(row: pd.Series) -> dict[str, float]:
    main = row["main_homes"]
    free = max(0.0, main - row["owners"] - row["tenants"])
    return {"main_homes": row["main_homes"], "second_homes": row["second_homes"], "vacant": row["vacant"],
            "houses": row["houses"], "flats": row["flats"], "owners": row["owners"],
            "private_tenants": row["tenants"] - row["social_tenants"], "social_tenants": row["social_tenants"],
            "free": free}


@versioned(*q.DATASETS)
def view_stock(f: HousingFilter, lang: str) -> dict[str, Any]:
    s, t = get_settings(), STOCK_LABELS[lang]
    stock = q.query_stock(get_db(), housing_build(), s.city_insee)
    if stock.empty:
        return {"figure": empty_figure(L[lang]["not_published"], lang), "summary": L[lang]["not_published"],
                "table": {"columns": [], "rows": [], "raw": []}}
    counts = ["dwellings", "main_homes", "second_homes", "vacant", "houses", "flats", "owners", "tenants", "social_tenants"]
    places = [(s.city_name, stock[counts].sum())]
    if f.iris:
        places.insert(0, (quartier_names()[f.iris], stock.set_index("iris_code").loc[f.iris, counts]))
    rows, parts, table_rows = [], {}, []
    for group, members in STOCK_PARTS.items():
        for place, row in places:
            values = _stock_parts(row)
            total = sum(values[m] for m, _, _ in members)
            label = f"{t[group]} · {place}"
            rows.append(label)
            for member, color, text_color in members:
                share = values[member] / total * 100 if total else None
                part = parts.setdefault(member, {"name": t[member], "color": color, "text_color": text_color,
                                                 "x": [], "labels": [], "hover": []})
                part["x"].append(share)
                part["labels"].append(fmt_percent(share, lang, 0) if share and share >= 8 else "")
                part["hover"].append(f"<b>{place}</b><br>{t[member]}{L[lang]['colon']}{fmt_percent(share, lang)} "
                                     f"({fmt_number(values[member], lang)})")
                table_rows.append({"place": place, "part": t[member], "count": values[member], "share": share})
    figure = fig.shares_chart(rows, list(parts.values()), lang)
    year = int(stock["year"].max())
    town = _stock_parts(places[-1][1])
    total = places[-1][1]["dwellings"]
    if lang == "fr":
        summary = (f"{s.city_name} compte {fmt_number(total, lang)} logements au recensement de {year} : "
                   f"{fmt_percent(town['main_homes'] / total * 100, lang)} de résidences principales, "
                   f"{fmt_percent(town['vacant'] / total * 100, lang)} de logements vacants, "
                   f"{fmt_percent(town['flats'] / total * 100, lang)} d'appartements. "
                   f"{fmt_percent(town['owners'] / places[-1][1]['main_homes'] * 100, lang)} des ménages sont propriétaires.")
    else:
        summary = (f"{s.city_name} has {fmt_number(total, lang)} dwellings in the {year} census: "
                   f"{fmt_percent(town['main_homes'] / total * 100, lang)} main homes, "
                   f"{fmt_percent(town['vacant'] / total * 100, lang)} vacant, "
                   f"{fmt_percent(town['flats'] / total * 100, lang)} flats. "
                   f"{fmt_percent(town['owners'] / places[-1][1]['main_homes'] * 100, lang)} of households own their home.")
    table = table_of([({"fr": "Lieu", "en": "Place"}, cell_text), ({"fr": "Catégorie", "en": "Category"}, cell_text),
                    ({"fr": "Logements", "en": "Dwellings"}, cell_int), ({"fr": "Part", "en": "Share"}, _pct)],
                   pd.DataFrame(table_rows, columns=["place", "part", "count", "share"]), lang)
    return {"figure": figure, "summary": summary, "table": table}


# --- registry ---------------------------------------------------------------------------------

PARAMS = (
    Param(PARAM_TYPE, ALL, lambda: [*TYPES, BOTH], {"fr": "Type de logement", "en": "Dwelling type"}),
    Param(PARAM_FROM, lambda: (allowed_years() or [""])[0], allowed_years, {"fr": "Première année", "en": "First year"}),
    Param(PARAM_TO, lambda: (allowed_years() or [""])[-1], allowed_years, {"fr": "Dernière année", "en": "Last year"}),
    Param(PARAM_QUARTIER, ALL, lambda: [*frame_from_cache(iris_choices())["code"], ALL],
          {"fr": "Quartier (code IRIS)", "en": "Neighbourhood (IRIS code)"}),
    Param(PARAM_INDICATOR, INDICATORS[0], lambda: list(INDICATORS), {"fr": "Indicateur de la carte", "en": "Map indicator"}),
)
COMMON = {"story": STORY, "story_path": "/logement", "depends": tuple(sorted(q.DATASETS)), "params": PARAMS,
          "parse": parse_filters}
OUTLIER_NOTE = {
    "fr": f"Prix au m² de surface bâtie des ventes d'un seul type de logement. Pas de médiane sous {MIN_SALES} ventes. "
          "Les prix au m² très éloignés de ceux de la même année et du même type (au-delà de trois écarts "
          "interquartiles) sont écartés de la médiane : ventes entre proches, parts de biens, surfaces mal saisies.",
    "en": f"Price per m² of built surface, sales of a single dwelling type. No median below {MIN_SALES} sales. "
          "Prices per m² far from those of the same year and type (beyond three interquartile ranges) are left out "
          "of the median: sales between relatives, shares of a property, mistyped surfaces.",
}

register(Chart(
    slug="logement-prix", kind="line", **COMMON,
    title={"fr": "Prix médian au m² des logements", "en": "Median price per m² of dwellings"},
    datasets=("dvf", "dvf-departements"), note=OUTLIER_NOTE,
    view=lambda f, lang: view_prices(f.only("dwelling_type", "year_from", "year_to", "iris"), lang),
))
register(Chart(
    slug="logement-ventes", kind="bar", **COMMON,
    title={"fr": "Ventes de logements par an", "en": "Dwelling sales per year"},
    datasets=("dvf",),
    view=lambda f, lang: view_sales(f.only("dwelling_type", "year_from", "year_to", "iris"), lang),
    note={"fr": "Ventes d'appartements ou de maisons, une vente pouvant porter sur plusieurs logements du même type.",
          "en": "Sales of flats or houses; one sale may cover several dwellings of the same type."},
))
register(Chart(
    slug="logement-carte", kind="map", **COMMON,
    title={"fr": "Les quartiers en carte", "en": "The neighbourhoods on a map"},
    datasets=("dvf", "logement-iris", "revenus-iris", "iris-contours"), view=view_map,
    note={"fr": "Quartiers hachurés : pas de valeur publiable (moins de 5 ventes, ou donnée non publiée par l'INSEE). "
                "Touchez un quartier pour afficher ses chiffres.",
          "en": "Hatched neighbourhoods: no value can be published (fewer than 5 sales, or not published by INSEE). "
                "Tap a neighbourhood to see its figures."},
))
register(Chart(
    slug="logement-parc", kind="bar", **COMMON,
    title={"fr": "Le parc de logements", "en": "The housing stock"},
    datasets=("logement-iris",), view=lambda f, lang: view_stock(f.only("iris"), lang),
    note={"fr": "Recensement de la population : effectifs pondérés, arrondis à l'affichage.",
          "en": "Population census: weighted counts, rounded for display."},
))


# --- "mon quartier" ------------------------------------------------------------------------------

def _compare(value: float, reference: float, lang: str) -> str:
    """'12,5 % plus cher que' / '3,0 % moins cher que' / 'au niveau de'."""
    gap = (value / reference - 1) * 100
    if abs(gap) < 1:
        return "au niveau de" if lang == "fr" else "level with"
    word = ("plus cher que" if gap > 0 else "moins cher que") if lang == "fr" else ("above" if gap > 0 else "below")
    return f"{fmt_percent(abs(gap), lang)} {word}"


@versioned(*q.DATASETS)
def neighbourhood(f: HousingFilter, lang: str) -> list[str]:
    """The figures of the chosen quartier as plain sentences, each against the whole town."""
    s = get_settings()
    if not f.iris:
        return []
    name = quartier_names()[f.iris]
    sentences = []
    if f.year_from is not None:
        period = str(f.year_from) if f.year_from == f.year_to else (
            f"de {f.year_from} à {f.year_to}" if lang == "fr" else f"from {f.year_from} to {f.year_to}")
        for kind in TYPES:
            span = q.query_span(get_db(), housing_build(), s.city_insee, kind, f.year_from, f.year_to).set_index("iris_code")
            here = span.loc[f.iris] if f.iris in span.index else None
            town = span.loc[""] if "" in span.index else None
            label = TYPE_LABELS[lang][kind].lower()
            if here is None or pd.isna(here["median_price_m2"]):
                sales = int(here["sales"]) if here is not None else 0
                sentences.append(
                    f"{name} : {fmt_number(sales, lang)} vente{'s' if sales > 1 else ''} de {label} {period}, trop peu "
                    f"pour publier un prix médian (il en faut au moins {MIN_SALES})." if lang == "fr" else
                    f"{name}: {fmt_number(sales, lang)} sale{'s' if sales != 1 else ''} of {label} {period}, too few "
                    f"to publish a median price (at least {MIN_SALES} are needed).")
                continue
            value = float(here["median_price_m2"])
            versus = ""
            if town is not None and not pd.isna(town["median_price_m2"]):
                versus = (f", {_compare(value, float(town['median_price_m2']), lang)} la médiane de la ville "
                          f"({fmt_number(town['median_price_m2'], lang)} €/m²)" if lang == "fr" else
                          f", {_compare(value, float(town['median_price_m2']), lang)} the town's median "
                          f"({fmt_number(town['median_price_m2'], lang)} €/m²)")
            sentences.append(
                f"{label.capitalize()} : {fmt_number(value, lang)} €/m² en médiane {period} "
                f"({fmt_number(int(here['sales']), lang)} ventes){versus}." if lang == "fr" else
                f"{label.capitalize()}: median {fmt_number(value, lang)} €/m² {period} "
                f"({fmt_number(int(here['sales']), lang)} sales){versus}.")
    stock = q.query_stock(get_db(), housing_build(), s.city_insee)
    if not stock.empty and f.iris in set(stock["iris_code"]):
        row = stock.set_index("iris_code").loc[f.iris]
        totals = stock[["dwellings", "vacant", "main_homes", "social_tenants", "owners"]].sum()
        vacancy, town_vacancy = row["vacant"] / row["dwellings"] * 100, totals["vacant"] / totals["dwellings"] * 100
        social, town_social = row["social_tenants"] / row["main_homes"] * 100, totals["social_tenants"] / totals["main_homes"] * 100
        owners, town_owners = row["owners"] / row["main_homes"] * 100, totals["owners"] / totals["main_homes"] * 100
        if lang == "fr":
            sentences.append(
                f"Le quartier compte {fmt_number(row['dwellings'], lang)} logements ({int(row['year'])}) : "
                f"{fmt_percent(vacancy, lang)} sont vacants (ville : {fmt_percent(town_vacancy, lang)}), "
                f"{fmt_percent(owners, lang)} des ménages sont propriétaires (ville : {fmt_percent(town_owners, lang)}) "
                f"et {fmt_percent(social, lang)} locataires HLM (ville : {fmt_percent(town_social, lang)}).")
        else:
            sentences.append(
                f"The neighbourhood has {fmt_number(row['dwellings'], lang)} dwellings ({int(row['year'])}): "
                f"{fmt_percent(vacancy, lang)} vacant (town: {fmt_percent(town_vacancy, lang)}), "
                f"{fmt_percent(owners, lang)} of households own their home (town: {fmt_percent(town_owners, lang)}) "
                f"and {fmt_percent(social, lang)} rent social housing (town: {fmt_percent(town_social, lang)}).")
    income = q.query_income(get_db(), housing_build(), s.city_insee).dropna(subset=["median_income"])
    if f.iris in set(income["iris_code"]):
        ranked = income.sort_values("median_income", ascending=False).reset_index(drop=True)
        rank = int(ranked.index[ranked["iris_code"] == f.iris][0]) + 1
        value = float(ranked.loc[rank - 1, "median_income"])
        year = int(ranked.loc[rank - 1, "year"])
        if lang == "fr":
            place = "le plus élevé" if rank == 1 else f"le {rank}e plus élevé"
            sentences.append(f"Revenu médian déclaré en {year} : {fmt_number(value, lang)} € par an et par unité de "
                             f"consommation, {place} des {len(ranked)} quartiers où l'INSEE le publie.")
        else:
            suffix = {1: "st", 2: "nd", 3: "rd"}.get(rank if rank < 20 else rank % 10, "th")
            place = "the highest" if rank == 1 else f"the {rank}{suffix} highest"
            sentences.append(f"Median declared income in {year}: {fmt_number(value, lang)} € a year per consumption "
                             f"unit, {place} of the {len(ranked)} neighbourhoods where INSEE publishes it.")
    elif f.iris:
        sentences.append("L'INSEE ne publie pas le revenu médian de ce quartier (secret statistique)." if lang == "fr"
                         else "INSEE does not publish this neighbourhood's median income (statistical confidentiality).")
    return sentences


@versioned(*q.DATASETS)
def overview() -> dict[str, Any]:
    """The story's key figures: the town's latest medians and sales, and its vacancy (language-neutral)."""
    span = year_span()
    s = get_settings()
    out: dict[str, Any] = {"year": None, "medians": {}, "sales": None, "vacancy": None, "census_year": None}
    if span:
        last = span[1]
        yearly = q.query_yearly(get_db(), housing_build(), s.city_insee, "", last, last)
        out["year"] = last
        for row in yearly.itertuples():
            if row.dwelling_type == BOTH:
                out["sales"] = int(row.sales)
            elif not pd.isna(row.median_price_m2):
                out["medians"][row.dwelling_type] = float(row.median_price_m2)
    stock = q.query_stock(get_db(), housing_build(), s.city_insee)
    if not stock.empty:
        out["vacancy"] = float(stock["vacant"].sum() / stock["dwellings"].sum() * 100)
        out["census_year"] = int(stock["year"].max())
        out["dwellings"] = float(stock["dwellings"].sum())
    return out


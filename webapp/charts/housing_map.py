"""The housing story's map: an indicator (price, sales, vacancy, social housing, income) for each quartier."""

from __future__ import annotations

from typing import Any

import pandas as pd

from webapp.charts.cells import cell_text, table_of
from webapp.charts.geography import town_iris
from webapp.charts.housing_filters import (
    few_sales,
    housing_build,
    indicator_label,
    labelled,
    quartier_names,
    sales_text,
    type_label,
)
from webapp.data import housing as q
from webapp.data.housing import HousingFilter
from webapp.data.store import get_db, get_settings, versioned
from webapp.figures import housing as fig
from webapp.formatting import fmt_number, fmt_percent
from webapp.i18n import _, ngettext


def _stock_shares(df: pd.DataFrame) -> pd.DataFrame:
    """Shares (percent) of the census counts; the town's row sums its IRIS."""
    out = pd.DataFrame(index=df.index)
    out["vacancy"] = df["vacant"] / df["dwellings"] * 100
    out["social"] = df["social_tenants"] / df["main_homes"] * 100
    return out


def _sales_values(f: HousingFilter, out: dict[str, Any]) -> dict[str, Any]:
    """The median price or the number of sales of each IRIS and of the town, over the filter's span."""
    if f.year_from is None:
        return out
    span = q.query_span(get_db(), housing_build(), get_settings().city_insee, f.dwelling_type, f.year_from, f.year_to)
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
    return out


@versioned(*q.DATASETS)
def indicator_values(f: HousingFilter) -> dict[str, Any]:
    """The map's indicator for each IRIS and for the town (None where there is no value to show)."""
    s = get_settings()
    out: dict[str, Any] = {"values": {}, "sales": {}, "town": None, "year": None}
    if f.indicator in ("prix", "ventes"):
        return _sales_values(f, out)
    if f.indicator in ("vacance", "hlm"):
        stock = q.query_stock(get_db(), housing_build(), s.city_insee)
        if not stock.empty:
            column = "vacancy" if f.indicator == "vacance" else "social"
            shares = _stock_shares(stock)[column]
            out["values"] = {c: (None if pd.isna(v) else float(v)) for c, v in zip(stock["iris_code"], shares)}
            town = _stock_shares(stock[["dwellings", "vacant", "main_homes", "social_tenants"]].sum().to_frame().T)
            out["town"] = float(town[column].iloc[0])
            out["year"] = int(stock["year"].max())
        return out
    income = q.query_income(get_db(), housing_build(), s.city_insee)
    out["values"] = {c: (None if pd.isna(v) else float(v))
                     for c, v in zip(income["iris_code"], income["median_income"])}
    out["year"] = int(income["year"].max()) if not income.empty else None
    return out


def _indicator_text(indicator: str, value: float | None, lang: str) -> str:
    if value is None:
        return ""
    if indicator == "prix":
        return f"{fmt_number(value, lang)} €/m²"
    if indicator == "ventes":
        return sales_text(value, lang)
    if indicator == "revenu":
        return f"{fmt_number(value, lang)} €"
    return fmt_percent(value, lang)


def _period_text(f: HousingFilter, lang: str) -> str:
    what = type_label(f.dwelling_type, lang).lower()
    years = str(f.year_from) if f.year_from == f.year_to else f"{f.year_from}-{f.year_to}"
    return f"{what}, {years}"


def _map_summary(f: HousingFilter, data: dict[str, Any], values: dict[str, float | None], names: dict[str, str],
                 missing_reason: str, lang: str) -> str:
    """The lowest and highest quartiers, the town's value, and how many quartiers have none."""
    known = {c: v for c, v in values.items() if v is not None}
    if not known:
        return _("Aucune vente de ce type sur la période choisie.", lang) if f.indicator in ("prix", "ventes") \
            else _("non publié", lang)
    hi, lo = max(known, key=known.get), min(known, key=known.get)
    words = {"label": indicator_label(f.indicator, lang),
             "period": _period_text(f, lang) if f.indicator in ("prix", "ventes") else str(data["year"] or ""),
             "lo": _indicator_text(f.indicator, known[lo], lang), "lo_name": names[lo],
             "hi": _indicator_text(f.indicator, known[hi], lang), "hi_name": names[hi],
             "city": get_settings().city_name, "town": _indicator_text(f.indicator, data["town"], lang)}
    if data["town"] is not None:
        summary = _("{label} ({period}) : de {lo} ({lo_name}) à {hi} ({hi_name}) ; {city} : {town}.", lang, **words)
    else:
        summary = _("{label} ({period}) : de {lo} ({lo_name}) à {hi} ({hi_name}).", lang, **words)
    blank = len(values) - len(known)
    if blank:
        summary += " " + ngettext("{n} quartier sans valeur ({reason}), hachuré sur la carte.",
                                  "{n} quartiers sans valeur ({reason}), hachurés sur la carte.",
                                  blank, lang, reason=missing_reason)
    return summary


@versioned(*q.DATASETS)
def view_map(f: HousingFilter, lang: str) -> dict[str, Any]:
    iris = town_iris()
    data = indicator_values(f.only("dwelling_type", "year_from", "year_to", "indicator"))
    values = {code: data["values"].get(code) for code in iris["code"]}
    label = indicator_label(f.indicator, lang)
    missing_reason = few_sales(lang) if f.indicator == "prix" else _("non publié", lang)
    hover = {}
    for row in iris.itertuples():
        text = _indicator_text(f.indicator, values.get(row.code), lang) or missing_reason
        if f.indicator == "prix" and row.code in data["sales"]:
            text += f" ({sales_text(data['sales'][row.code], lang)})"
        hover[row.code] = f"<b>{row.name}</b><br>{labelled(label, text, lang)}"
    figure = fig.choropleth(iris, values, f.iris, label, lambda v: _indicator_text(f.indicator, v, lang), hover, lang,
                            show_names=True)
    summary = _map_summary(f, data, values, dict(zip(iris["code"], iris["name"])), missing_reason, lang)
    rows = pd.DataFrame({"name": iris["name"], "value": [_indicator_text(f.indicator, values[c], lang) or missing_reason
                                                         for c in iris["code"]]})
    table = table_of([(_("Quartier (IRIS)", lang), cell_text), (label, cell_text)], rows, lang)
    table["raw"] = [[n, values[c]] for n, c in zip(iris["name"], iris["code"])]
    return {"figure": figure, "summary": summary, "table": table}

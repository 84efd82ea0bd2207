"""The housing story's prices and sales: median price per m² over the years, sales per year."""

from __future__ import annotations

from typing import Any

import pandas as pd

from webapp.charts.cells import cell_int, cell_text, table_of
from webapp.charts.housing_filters import (
    eur_m2,
    few_sales,
    housing_build,
    mid_year,
    no_sales_view,
    quartier_names,
    sales_text,
    series,
    type_label,
    types_of,
    yearly,
    years_list,
)
from webapp.data import housing as q
from webapp.data.housing import BOTH, HousingFilter
from webapp.data.importers.housing import MIN_SALES
from webapp.data.store import get_db, get_settings, versioned
from webapp.figures import housing as fig
from webapp.figures.base import INK, REFERENCE_COLOR
from webapp.formatting import fmt_number, fmt_percent
from webapp.i18n import _

# --- prices ---------------------------------------------------------------------------------------


def _quarter(d: pd.Timestamp, lang: str) -> str:
    return _("T{q} {year}", lang, q=(d.month - 1) // 3 + 1, year=d.year)


def _place_line(place_name: str, kind: str, df: pd.DataFrame, years: list[int], style: tuple[str, str],
                lang: str) -> tuple[dict[str, Any], list[tuple[str, str, int]], list[dict[str, Any]]]:
    """A place's median line for a dwelling type, its gaps and its table rows."""
    label = type_label(kind, lang)
    medians = series(df, kind, years, "median_price_m2")
    sales = series(df, kind, years, "sales")
    hover = [f"<b>{place_name}</b> · {label.lower()} · {y}<br>"
             + (f"{fmt_number(m, lang)} €/m² ({sales_text(n, lang)})" if m is not None
                else few_sales(lang) if n else _("pas de données", lang))
             for y, m, n in zip(years, medians, sales)]
    dash, color = style
    line = {"name": f"{place_name} · {label}", "x": [mid_year(y) for y in years], "y": medians,
            "color": color, "dash": dash, "hover": hover}
    gaps = [(place_name, kind, y) for y, m in zip(years, medians) if m is None]
    rows = [{"place": place_name, "type": label, "period": str(y), "sales": n, "median": m}
            for y, m, n in zip(years, medians, sales)]
    return line, gaps, rows


def _reference_line(ref: pd.DataFrame, kind: str, color: str, lang: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The department's published quarterly medians for a dwelling type, and their table rows."""
    dep, label = get_settings().city_department_name, type_label(kind, lang)
    quarters = ref["quarter_start"]
    points = list(zip(quarters, ref["median_price_m2"], ref["sales"]))
    source = _("{dep} (médiane trimestrielle publiée)", lang, dep=dep)
    line = {
        "name": f"{dep} · {label}", "mode": "lines", "width": 2, "marker": 0,
        "x": (quarters + pd.Timedelta(days=45)).dt.strftime("%Y-%m-%d").tolist(),
        "y": ref["median_price_m2"].tolist(), "color": color, "dash": "dash",
        "hover": [f"<b>{source}</b> · {label.lower()} · "
                  f"{_quarter(d, lang)}<br>{fmt_number(v, lang)} €/m² ({sales_text(n, lang)})" for d, v, n in points],
    }
    rows = [{"place": dep, "type": label, "period": _quarter(d, lang), "sales": n, "median": v} for d, v, n in points]
    return line, rows


@versioned(*q.DATASETS)
def view_prices(f: HousingFilter, lang: str) -> dict[str, Any]:
    s = get_settings()
    if f.year_from is None:
        return no_sales_view(lang)
    years = list(range(f.year_from, f.year_to + 1))
    town = yearly("", f)
    place = yearly(f.iris, f) if f.iris else None
    reference = q.query_reference(get_db(), housing_build(), s.city_department, f.year_from, f.year_to)
    kinds = types_of(f) if not f.iris else (f.dwelling_type,)
    lines, gaps, table_rows = [], [], []
    for kind in kinds:
        color = fig.TYPE_COLORS[kind]
        where = [(quartier_names()[f.iris], place, ("solid", color))] if f.iris else []
        where.append((s.city_name, town, ("dot", INK) if f.iris else ("solid", color)))
        for place_name, df, style in where:
            line, place_gaps, rows = _place_line(place_name, kind, df, years, style, lang)
            lines.append(line)
            gaps += place_gaps
            table_rows += rows
        ref = reference[reference["dwelling_type"] == kind]
        if not ref.empty:
            line, rows = _reference_line(ref, kind, fig.REFERENCE_TYPE_COLORS[kind] if not f.iris else REFERENCE_COLOR,
                                         lang)
            lines.append(line)
            table_rows += rows
    figure = fig.line_chart(lines, _("€/m²", lang), f.year_from, f.year_to, lang)
    summary = _prices_summary(f, town, place, reference, kinds, gaps, lang)
    table = table_of([(_("Lieu", lang), cell_text), (_("Type", lang), cell_text), (_("Période", lang), cell_text),
                      (_("Ventes", lang), cell_int), (_("Prix médian au m²", lang), eur_m2)],
                     pd.DataFrame(table_rows, columns=["place", "type", "period", "sales", "median"]), lang)
    return {"figure": figure, "summary": summary, "table": table}


def _change(first: float | None, last: float | None) -> float | None:
    return None if first is None or last is None or not first else (last / first - 1) * 100


def _signed_percent(value: float, lang: str) -> str:
    """+4,2 % / −1,5 % (a true minus sign, as French typography wants)."""
    return ("+" if value > 0 else "\u2212" if value < 0 else "") + fmt_percent(abs(value), lang)


def _price_sentence(where: str, label: str, values: list[tuple[int, float]], reference: pd.DataFrame,
                    lang: str) -> str:
    """The last median of a place, its change since the first year, and the department's level that year."""
    (y0, v0), (y1, v1) = values[0], values[-1]
    change = _change(v0, v1) if y1 > y0 else None
    level = None
    if not reference.empty:
        level = float((reference["median_price_m2"] * reference["sales"]).sum() / reference["sales"].sum())
    words = {"where": where, "label": label, "price": fmt_number(v1, lang), "year": y1, "first_year": y0,
             "first_price": fmt_number(v0, lang), "dep": get_settings().city_department_name,
             "change": _signed_percent(change, lang) if change is not None else "",
             "level": fmt_number(level, lang) if level is not None else ""}
    if change is None and level is None:
        return _("{where}, {label} : {price} €/m² en {year}.", lang, **words)
    if level is None:
        return _("{where}, {label} : {price} €/m² en {year}, {change} depuis {first_year} ({first_price} €/m²).",
                 lang, **words)
    if change is None:
        return _("{where}, {label} : {price} €/m² en {year} ; dans le {dep}, médiane trimestrielle moyenne de "
                 "{level} €/m².", lang, **words)
    return _("{where}, {label} : {price} €/m² en {year}, {change} depuis {first_year} ({first_price} €/m²) ; "
             "dans le {dep}, médiane trimestrielle moyenne de {level} €/m².", lang, **words)


def _prices_summary(f: HousingFilter, town: pd.DataFrame, place: pd.DataFrame | None, reference: pd.DataFrame,
                    kinds: tuple[str, ...], gaps: list[tuple[str, str, int]], lang: str) -> str:
    df, where = (place, quartier_names()[f.iris]) if f.iris else (town, get_settings().city_name)
    years = list(range(f.year_from, f.year_to + 1))
    sentences = []
    for kind in kinds:
        values = [v for v in zip(years, series(df, kind, years, "median_price_m2")) if v[1] is not None]
        label = type_label(kind, lang).lower()
        if not values:
            sentences.append(_("{where} : aucune médiane publiable pour les {label} sur la période.", lang,
                               where=where, label=label))
            continue
        ref = reference[(reference["dwelling_type"] == kind) & (reference["quarter_start"].dt.year == values[-1][0])]
        sentences.append(_price_sentence(where, label, values, ref, lang))
    if gaps:
        missing: dict[str, list[int]] = {}
        for place_name, kind, year in gaps:
            missing.setdefault(f"{place_name}, {type_label(kind, lang).lower()}", []).append(year)
        parts = "; ".join(f"{k} ({years_list(v, lang)})" for k, v in missing.items())
        sentences.append(_("Pas de médiane quand il y a moins de {n} ventes ou aucune donnée : {parts}. "
                           "La courbe s'interrompt.", lang, n=MIN_SALES, parts=parts))
    return " ".join(sentences)


# --- sales ----------------------------------------------------------------------------------------

def _sales_summary(where: str, f: HousingFilter, years: list[int], covered: list[tuple[int, float]],
                   missing: list[int], lang: str) -> str:
    if not covered:
        return _("Aucune vente de ce type sur la période choisie.", lang)
    total = sum(n for _y, n in covered)
    busiest = max(covered, key=lambda p: p[1])
    summary = _("{where} : {total} ventes ({what}) de {first} à {last}, soit {average} par an en moyenne ; "
                "le plus en {busiest_year} ({busiest}).", lang,
                where=where, total=fmt_number(total, lang), what=type_label(f.dwelling_type, lang).lower(),
                first=years[0], last=years[-1], average=fmt_number(total / len(covered), lang),
                busiest_year=busiest[0], busiest=fmt_number(busiest[1], lang))
    if missing:
        summary += " " + _("Pas de données pour {years}.", lang, years=years_list(missing, lang))
    return summary


@versioned(*q.DATASETS)
def view_sales(f: HousingFilter, lang: str) -> dict[str, Any]:
    if f.year_from is None:
        return no_sales_view(lang)
    years = list(range(f.year_from, f.year_to + 1))
    where = quartier_names()[f.iris] if f.iris else get_settings().city_name
    df = yearly(f.iris or "", f)
    bars, table_rows = [], []
    totals = [0] * len(years)
    for kind in types_of(f):
        label = type_label(kind, lang)
        counts = series(df, kind, years, "sales")
        totals = [a + (b or 0) for a, b in zip(totals, counts)]
        bars.append({"name": label, "y": counts, "color": fig.TYPE_COLORS[kind],
                     "hover": [f"<b>{where}</b> · {label.lower()} · {y}<br>{sales_text(n or 0, lang)}"
                               for y, n in zip(years, counts)]})
        table_rows += [{"place": where, "type": label, "year": str(y), "sales": n or 0} for y, n in zip(years, counts)]
    # A year without any sale in the whole town is a year the file does not cover: no data, not zero.
    town_all = series(yearly("", f), BOTH, years, "sales")
    missing = [y for y, n in zip(years, town_all) if not n]
    figure = fig.stacked_bars(years, bars, _("ventes", lang), missing, _("pas de données", lang), lang)
    covered = [(y, n) for y, n in zip(years, totals) if y not in missing]
    summary = _sales_summary(where, f, years, covered, missing, lang)
    table = table_of([(_("Lieu", lang), cell_text), (_("Type", lang), cell_text), (_("Année", lang), cell_text),
                      (_("Ventes", lang), cell_int)],
                     pd.DataFrame(table_rows, columns=["place", "type", "year", "sales"]), lang)
    return {"figure": figure, "summary": summary, "table": table}

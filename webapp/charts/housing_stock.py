"""The housing story's stock: the census dwellings by occupancy, type and tenure, as 100 % bars."""

from __future__ import annotations

from typing import Any

import pandas as pd

from webapp.charts.cells import cell_int, cell_text, table_of
from webapp.charts.housing_filters import housing_build, labelled, not_published_view, pct, quartier_names
from webapp.data import housing as q
from webapp.data.housing import HousingFilter
from webapp.data.store import get_db, get_settings, versioned
from webapp.figures import housing as fig
from webapp.formatting import fmt_number, fmt_percent
from webapp.i18n import N_, _

STOCK_PARTS = {
    "occupation": ["main_homes", "second_homes", "vacant"],
    "kind": ["houses", "flats"],
    "tenure": ["owners", "private_tenants", "social_tenants", "free"],
}
# Each part its own colour, the same on every bar of the chart (unique within it).
PART_COLORS = dict(zip([m for members in STOCK_PARTS.values() for m in members], fig.SEGMENT_COLORS))
LABEL_MIN_SHARE = 8  # percent: a thinner segment is named in its legend and hover only
STOCK_LABELS = {
    "main_homes": N_("Résidences principales"), "second_homes": N_("Résidences secondaires"),
    "vacant": N_("Logements vacants"), "houses": N_("Maisons"), "flats": N_("Appartements"),
    "owners": N_("Propriétaires"), "private_tenants": N_("Locataires du privé"),
    "social_tenants": N_("Locataires HLM"), "free": N_("Logés gratuitement"),
    "occupation": N_("Occupation"), "kind": N_("Type"), "tenure": N_("Statut"),
}
COUNTS = ["dwellings", "main_homes", "second_homes", "vacant", "houses", "flats", "owners", "tenants", "social_tenants"]


def _stock_parts(row: pd.Series) -> dict[str, float]:
    main = row["main_homes"]
    free = max(0.0, main - row["owners"] - row["tenants"])
    return {"main_homes": row["main_homes"], "second_homes": row["second_homes"], "vacant": row["vacant"],
            "houses": row["houses"], "flats": row["flats"], "owners": row["owners"],
            "private_tenants": row["tenants"] - row["social_tenants"], "social_tenants": row["social_tenants"],
            "free": free}


def _shares(values: dict[str, float], members: list[str]) -> dict[str, float | None]:
    """Each member's share (percent) of the group's total."""
    total = sum(values[m] for m in members)
    return {m: (values[m] / total * 100 if total else None) for m in members}


def _segment_label(share: float | None, lang: str) -> str:
    return fmt_percent(share, lang, 0) if share is not None and share >= LABEL_MIN_SHARE else ""


def _stock_summary(town_row: pd.Series, year: int, lang: str) -> str:
    town, total = _stock_parts(town_row), town_row["dwellings"]
    return _("{city} compte {total} logements au recensement de {year} : {main_homes} de résidences principales, "
             "{vacant} de logements vacants, {flats} d'appartements. {owners} des ménages sont propriétaires.", lang,
             city=get_settings().city_name, total=fmt_number(total, lang), year=year,
             main_homes=fmt_percent(town["main_homes"] / total * 100, lang),
             vacant=fmt_percent(town["vacant"] / total * 100, lang),
             flats=fmt_percent(town["flats"] / total * 100, lang),
             owners=fmt_percent(town["owners"] / town_row["main_homes"] * 100, lang))


@versioned(*q.DATASETS)
def view_stock(f: HousingFilter, lang: str) -> dict[str, Any]:
    s = get_settings()
    stock = q.query_stock(get_db(), housing_build(), s.city_insee)
    if stock.empty:
        return not_published_view(lang)
    places = [(s.city_name, stock[COUNTS].sum())]
    if f.iris:
        places.insert(0, (quartier_names()[f.iris], stock.set_index("iris_code").loc[f.iris, COUNTS]))
    groups, table_rows = [], []
    for group, members in STOCK_PARTS.items():
        shares = [_shares(_stock_parts(row), members) for _place, row in places]
        parts, group_rows = [], []
        for member in members:
            name = _(STOCK_LABELS[member], lang)
            part = {"name": name, "color": PART_COLORS[member], "x": [], "labels": [], "hover": []}
            for (place, row), share in zip(places, shares):
                count = _stock_parts(row)[member]
                part["x"].append(share[member])
                part["labels"].append(_segment_label(share[member], lang))
                value = f"{fmt_percent(share[member], lang)} ({fmt_number(count, lang)})"
                part["hover"].append(f"<b>{place}</b><br>{labelled(name, value, lang)}")
                group_rows.append({"place": place, "part": name, "count": count, "share": share[member]})
            parts.append(part)
        table_rows += sorted(group_rows, key=lambda r: [p for p, _row in places].index(r["place"]))  # place by place
        groups.append({"title": _(STOCK_LABELS[group], lang), "rows": [p for p, _row in places], "parts": parts})
    figure = fig.grouped_shares_chart(groups, lang)
    summary = _stock_summary(places[-1][1], int(stock["year"].max()), lang)
    table = table_of([(_("Lieu", lang), cell_text), (_("Catégorie", lang), cell_text),
                      (_("Logements", lang), cell_int), (_("Part", lang), pct)],
                     pd.DataFrame(table_rows, columns=["place", "part", "count", "share"]), lang)
    return {"figure": figure, "summary": summary, "table": table}

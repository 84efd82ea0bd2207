"""The housing story in sentences: "mon quartier" against the whole town, and the story's key figures."""

from __future__ import annotations

from typing import Any

import pandas as pd
from babel import Locale

from webapp.charts.housing_filters import housing_build, quartier_names, type_label, year_span
from webapp.data import housing as q
from webapp.data.housing import BOTH, TYPES, HousingFilter
from webapp.data.importers.housing import MIN_SALES
from webapp.data.store import get_db, get_settings, versioned
from webapp.formatting import fmt_number, fmt_percent
from webapp.i18n import _, locale_of, ngettext, pgettext


def _ordinal(n: int, lang: str) -> str:
    """"2e" / "2nd": the ordinal of a rank, by the language's CLDR ordinal category."""
    form = Locale.parse(locale_of(lang)).ordinal_form(n)
    if form == "one":
        return pgettext("ordinal, CLDR category one", "{n}er", lang, n=n)
    if form == "two":
        return pgettext("ordinal, CLDR category two", "{n}e", lang, n=n)
    if form == "few":
        return pgettext("ordinal, CLDR category few", "{n}e", lang, n=n)
    return pgettext("ordinal, CLDR category other", "{n}e", lang, n=n)


def _price_sentence(name: str, kind: str, here: pd.Series | None, town: pd.Series | None, period: str,
                    lang: str) -> str:
    """A quartier's median price per m² over the period, against the town's (or why there is none)."""
    label = type_label(kind, lang).lower()
    if here is None or pd.isna(here["median_price_m2"]):
        sales = int(here["sales"]) if here is not None else 0
        return ngettext("{name} : {n} vente de {label} {period}, trop peu pour publier un prix médian "
                        "(il en faut au moins {min}).",
                        "{name} : {n} ventes de {label} {period}, trop peu pour publier un prix médian "
                        "(il en faut au moins {min}).",
                        sales, lang, n=fmt_number(sales, lang), name=name, label=label, period=period, min=MIN_SALES)
    value = float(here["median_price_m2"])
    words = {"label": label.capitalize(), "price": fmt_number(value, lang), "period": period,
             "sales": fmt_number(int(here["sales"]), lang)}
    if town is None or pd.isna(town["median_price_m2"]):
        return _("{label} : {price} €/m² en médiane {period} ({sales} ventes).", lang, **words)
    reference = float(town["median_price_m2"])
    gap = (value / reference - 1) * 100
    words.update(gap=fmt_percent(abs(gap), lang), town=fmt_number(town["median_price_m2"], lang))
    if abs(gap) < 1:
        return _("{label} : {price} €/m² en médiane {period} ({sales} ventes), au niveau de la médiane de la ville "
                 "({town} €/m²).", lang, **words)
    if gap > 0:
        return _("{label} : {price} €/m² en médiane {period} ({sales} ventes), {gap} plus cher que la médiane de la "
                 "ville ({town} €/m²).", lang, **words)
    return _("{label} : {price} €/m² en médiane {period} ({sales} ventes), {gap} moins cher que la médiane de la "
             "ville ({town} €/m²).", lang, **words)


def _price_sentences(f: HousingFilter, name: str, lang: str) -> list[str]:
    s = get_settings()
    period = str(f.year_from) if f.year_from == f.year_to else _("de {first} à {last}", lang, first=f.year_from,
                                                                    last=f.year_to)
    sentences = []
    for kind in TYPES:
        span = q.query_span(get_db(), housing_build(), s.city_insee, kind, f.year_from, f.year_to)
        span = span.set_index("iris_code")
        here = span.loc[f.iris] if f.iris in span.index else None
        town = span.loc[""] if "" in span.index else None
        sentences.append(_price_sentence(name, kind, here, town, period, lang))
    return sentences


def _stock_sentence(f: HousingFilter, lang: str) -> str | None:
    stock = q.query_stock(get_db(), housing_build(), get_settings().city_insee)
    if stock.empty or f.iris not in set(stock["iris_code"]):
        return None
    row = stock.set_index("iris_code").loc[f.iris]
    totals = stock[["dwellings", "vacant", "main_homes", "social_tenants", "owners"]].sum()
    return _("Le quartier compte {dwellings} logements ({year}) : {vacancy} sont vacants (ville : {town_vacancy}), "
             "{owners} des ménages sont propriétaires (ville : {town_owners}) et {social} locataires HLM "
             "(ville : {town_social}).", lang,
             dwellings=fmt_number(row["dwellings"], lang), year=int(row["year"]),
             vacancy=fmt_percent(row["vacant"] / row["dwellings"] * 100, lang),
             town_vacancy=fmt_percent(totals["vacant"] / totals["dwellings"] * 100, lang),
             owners=fmt_percent(row["owners"] / row["main_homes"] * 100, lang),
             town_owners=fmt_percent(totals["owners"] / totals["main_homes"] * 100, lang),
             social=fmt_percent(row["social_tenants"] / row["main_homes"] * 100, lang),
             town_social=fmt_percent(totals["social_tenants"] / totals["main_homes"] * 100, lang))


def _income_sentence(f: HousingFilter, lang: str) -> str:
    income = q.query_income(get_db(), housing_build(), get_settings().city_insee).dropna(subset=["median_income"])
    if f.iris not in set(income["iris_code"]):
        return _("L'INSEE ne publie pas le revenu médian de ce quartier (secret statistique).", lang)
    ranked = income.sort_values("median_income", ascending=False).reset_index(drop=True)
    rank = int(ranked.index[ranked["iris_code"] == f.iris][0]) + 1
    mine = ranked.loc[rank - 1]
    words = {"year": int(mine["year"]), "value": fmt_number(float(mine["median_income"]), lang), "count": len(ranked),
             "rank": _ordinal(rank, lang)}
    if rank == 1:
        return _("Revenu médian déclaré en {year} : {value} € par an et par unité de consommation, le plus élevé des "
                 "{count} quartiers où l'INSEE le publie.", lang, **words)
    return _("Revenu médian déclaré en {year} : {value} € par an et par unité de consommation, le {rank} plus élevé "
             "des {count} quartiers où l'INSEE le publie.", lang, **words)


@versioned(*q.DATASETS)
def neighbourhood(f: HousingFilter, lang: str) -> list[str]:
    """The figures of the chosen quartier as plain sentences, each against the whole town."""
    if not f.iris:
        return []
    sentences = _price_sentences(f, quartier_names()[f.iris], lang) if f.year_from is not None else []
    stock = _stock_sentence(f, lang)
    if stock:
        sentences.append(stock)
    sentences.append(_income_sentence(f, lang))
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

"""The housing story at /logement: key figures, filters, "mon quartier" and the charts of the registry."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dash import html

from webapp.charts import charts_of
from webapp.charts import housing as hc
from webapp.data import housing as q
from webapp.data import texts
from webapp.data.housing import BOTH, DATASETS, INDICATORS, TYPES, HousingFilter
from webapp.data.store import datasets_meta, get_db, get_settings, versioned
from webapp.formatting import fmt_number, fmt_percent
from webapp.i18n import N_, _, _l, localized, ngettext, of_city
from webapp.layouts import markdown
from webapp.layouts.components import (
    chart_block,
    demo_banner,
    demo_lang,
    filters_panel,
    key_figure,
    labelled_select,
    period_filter,
    radio_group,
    takeaway,
)

SLUG = "logement"
TYPE_ID, FROM_ID, TO_ID = f"{SLUG}-type", f"{SLUG}-debut", f"{SLUG}-fin"
QUARTIER_ID, INDICATOR_ID = f"{SLUG}-quartier", f"{SLUG}-indicateur"
STATUS_ID, NEIGHBOURHOOD_ID = f"{SLUG}-status", f"{SLUG}-mon-quartier"

CHOICES = {BOTH: N_("Les deux"), "appartement": N_("Appartements"), "maison": N_("Maisons")}


def _town() -> dict[str, str]:
    """The town's names for the page's sentences: `{city}`, `{of_city}` ("d'Arras") and `{dep}`."""
    s = get_settings()
    return {"city": s.city_name, "of_city": of_city(s.city_name), "dep": s.city_department_name}


def lead_text(lang: str) -> str:
    return _("Combien coûte un appartement dans mon quartier, et les prix montent-ils ? Quels quartiers comptent "
             "le plus de logements vacants ou de logements sociaux ? Les ventes viennent des demandes de valeurs "
             "foncières (DVF) de la DGFiP, le parc de logements du recensement de l'INSEE.", lang)


def missing_text(lang: str) -> str:
    return _("Les ventes DVF ne couvrent pas l'Alsace, la Moselle et Mayotte ; elles ne disent rien des "
             "loyers, ni des ventes de logements neufs sur plan (VEFA), que ce récit laisse de côté. Une "
             "médiane de moins de 5 ventes n'est pas publiée : elle dirait plus du hasard que du quartier.", lang)


texts.register("logement.lead", _l("Récit du logement : introduction"), lead_text)
texts.register("logement.missing", _l("Récit du logement : ce que les données ne disent pas"), missing_text)


LINK = N_("le logement")  # the story in the list of the error pages ("Vous pouvez aller vers : …")


def card(lang: str) -> tuple[str, str, str]:
    """The story's card on the home page: heading, what it tells, the link's words."""
    return (_("Logement", lang),
            _("Le prix des appartements et des maisons au m², les ventes, les logements vacants et sociaux, quartier "
              "par quartier.", lang),
            _("Explorer le logement", lang))


def title(lang: str) -> str:
    return _("Le logement {of_city}, quartier par quartier", lang, **_town())


def description(lang: str) -> str:
    return _("Prix des logements au m², ventes, parc de logements, vacance et revenus par quartier {of_city}, "
             "comparés au {dep}.", lang, **_town())


def filters_block(f: HousingFilter, lang: str) -> html.Section:
    years = [{"label": y, "value": y} for y in hc.allowed_years()]
    quartiers = [{"label": _("Toute la ville", lang), "value": hc.ALL}] + [
        {"label": name, "value": code} for code, name in hc.quartier_names().items()]
    bounds = ((FROM_ID, _("De", lang), str(f.year_from or "")), (TO_ID, _("à", lang), str(f.year_to or "")))
    return filters_panel(_("Choisir les logements et la période", lang), [
        radio_group(TYPE_ID, _("Type de logement", lang),
                    [{"label": _(CHOICES[k], lang), "value": k} for k in (BOTH, *TYPES)], f.dwelling_type),
        period_filter(_("Période", lang), bounds, years),
        labelled_select(QUARTIER_ID, _("Quartier", lang), quartiers, f.iris or hc.ALL),
        radio_group(INDICATOR_ID, _("Couleur de la carte", lang),
                    [{"label": hc.indicator_label(k, lang), "value": k} for k in INDICATORS], f.indicator),
    ], STATUS_ID)


def key_figures(lang: str) -> html.Div:
    o = hc.overview()
    sales, stock = demo_lang(("dvf",), lang), demo_lang(("logement-iris",), lang)
    figures = []
    if "appartement" in o["medians"]:
        figures.append(key_figure(f"{fmt_number(o['medians']['appartement'], lang)} €",
                                  _("prix médian au m² d'un appartement en {year}", lang, year=o["year"]), sales))
    if "maison" in o["medians"]:
        figures.append(key_figure(f"{fmt_number(o['medians']['maison'], lang)} €",
                                  _("prix médian au m² d'une maison en {year}", lang, year=o["year"]), sales))
    if o["sales"] is not None:
        figures.append(key_figure(fmt_number(o["sales"], lang),
                                  _("ventes de logements en {year}", lang, year=o["year"]), sales))
    if o["vacancy"] is not None:
        figures.append(key_figure(fmt_percent(o["vacancy"], lang),
                                  _("de logements vacants ({year})", lang, year=o["census_year"]), stock))
    return html.Div(figures, className="key-figures")


@versioned("dvf")
def apartment_trend() -> dict[str, float] | None:
    """The town's median price per m² of an apartment in the last year and the year before, when both are published."""
    span = hc.year_span()
    if not span or span[1] - 1 < span[0]:
        return None
    last = span[1]
    yearly = q.query_yearly(get_db(), hc.housing_build(), get_settings().city_insee, "", last - 1, last)
    flats = yearly[(yearly["dwelling_type"] == "appartement")].dropna(subset=["median_price_m2"])
    prices = dict(zip(flats["year"].astype(int), flats["median_price_m2"].astype(float)))
    if last not in prices or last - 1 not in prices:
        return None
    return {"year": last, "price": prices[last], "previous": last - 1, "previous_price": prices[last - 1]}


def takeaway_text(lang: str) -> str | None:
    """The page's finding: where the apartments' median price stands against the year before."""
    t = apartment_trend()
    if t is None:
        return None
    change = (t["price"] / t["previous_price"] - 1) * 100
    sign = "+" if change > 0 else "\u2212" if change < 0 else ""
    return _("En {year}, le prix médian d'un appartement {of_city} est de {price} € le m² : {change} sur un an "
             "({previous_price} € en {previous}).", lang, **_town(), year=t["year"],
             price=fmt_number(t["price"], lang), change=sign + fmt_percent(abs(change), lang),
             previous_price=fmt_number(t["previous_price"], lang), previous=t["previous"])


def neighbourhood_children(f: HousingFilter, lang: str) -> list[Any]:
    """The "mon quartier" box: the chosen quartier's sentences, or how to choose one."""
    sentences = hc.neighbourhood(f.only("year_from", "year_to", "iris"), lang)
    if not sentences:
        return [html.P(_("Choisissez un quartier dans la liste ci-dessus, ou touchez-le sur la carte : ses chiffres "
                         "s'affichent ici en quelques phrases, comparés à ceux de toute la ville.", lang))]
    name = hc.quartier_names()[f.iris]
    return [html.H3(name, className="h6"), html.Ul([html.Li(s) for s in sentences])]


def status_text(f: HousingFilter, lang: str) -> str:
    """What the charts now show, read out by screen readers after a filter change."""
    return _("Graphiques mis à jour pour : {kind} ; {years} ; {place} ; {indicator}.", lang,
             kind=hc.type_label(f.dwelling_type, lang), years=f"{f.year_from}–{f.year_to}",
             place=hc.quartier_names().get(f.iris, _("Toute la ville", lang)),
             indicator=hc.indicator_label(f.indicator, lang))


def demo_notice(lang: str) -> html.P | None:
    """Which of the story's datasets are demo data, if any (it changes when an editor imports a real file)."""
    meta = datasets_meta().set_index("slug")
    demo = [d for d in DATASETS if d in meta.index and bool(meta.at[d, "is_demo"])]
    if not demo:
        return None
    titles = [_("« {title} »", lang, title=localized(meta.loc[d], "title", lang)) for d in demo]
    listed = titles[0] if len(titles) == 1 else _("{items} et {last}", lang, items=", ".join(titles[:-1]),
                                                  last=titles[-1])
    notice = ngettext("Données de démonstration : le jeu {titles} est généré, au format officiel et calé sur des "
                      "chiffres réels, en attendant l'import des fichiers réels. Les autres données de cette page "
                      "sont réelles.",
                      "Données de démonstration : les jeux {titles} sont générés, au format officiel et calés sur "
                      "des chiffres réels, en attendant l'import des fichiers réels. Les autres données de cette "
                      "page sont réelles.", len(titles), lang, titles=listed)
    return demo_banner(notice)


def layout(lang: str, args: Mapping[str, str]) -> html.Div:
    """The page for a query string (raises a PublicError on an unknown filter value)."""
    f = hc.parse_filters(args)
    query = hc.filter_query(f)
    mine = _("Mon quartier", lang)
    return html.Div([
        html.H1(title(lang)),
        demo_notice(lang),
        takeaway(finding) if (finding := takeaway_text(lang)) else None,
        key_figures(lang),
        html.Div(markdown.to_dash(texts.current("logement.lead", lang)), className="lead"),
        html.Aside([html.H2(_("Ce que les données ne disent pas", lang), className="h6"),
                    *markdown.to_dash(texts.current("logement.missing", lang))], className="callout"),
        filters_block(f, lang),
        html.Section([html.H2(mine, className="h4"),
                      html.Div(neighbourhood_children(f, lang), id=NEIGHBOURHOOD_ID, **{"aria-live": "polite"})],
                     className="neighbourhood callout", **{"aria-label": mine}),
        *[chart_block(chart, chart.view(f, lang), query, lang) for chart in charts_of(hc.STORY)],
    ], className="story")

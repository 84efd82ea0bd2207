"""The citizen reports story at /signalements: what residents report, and what the city does with it."""

from __future__ import annotations

from collections.abc import Mapping

from dash import html

from webapp.charts import charts_of
from webapp.charts import reports as rc
from webapp.charts.footfall import month_text
from webapp.data import texts
from webapp.data.importers.reports import CATEGORIES
from webapp.data.reports import ReportFilter
from webapp.data.store import datasets_meta, get_settings
from webapp.formatting import fmt_number, fmt_percent
from webapp.i18n import of_city
from webapp.layouts.components import chart_block, key_figure, labelled_select, period_filter

SLUG = "signalements"
NATURE_ID, FROM_ID, TO_ID, STATUS_ID = f"{SLUG}-nature", f"{SLUG}-annee-debut", f"{SLUG}-annee-fin", f"{SLUG}-status"

T = {
    "fr": {
        "title": "Les signalements des habitants {of_city}",
        "description": "Nids-de-poule, déchets, éclairage, tags : ce que les habitants {of_city} signalent dans "
                       "l'application de la ville, quartier par quartier, et en combien de temps la ville le résout.",
        "lead": "Un nid-de-poule, un dépôt sauvage, un lampadaire éteint, un tag : les habitants le signalent à la ville "
                "depuis leur téléphone. Que signalent-ils, où, à quelle saison ? Et que fait la ville de ces "
                "signalements : combien sont résolus, en combien de temps ?",
        "demo": "Données de démonstration : les signalements affichés ici sont générés au format d'un export "
                "d'application de signalement, en attendant l'import de l'export réel de la ville ; ils ne décrivent "
                "pas des problèmes réels.",
        "filters": "Choisir la catégorie et les années",
        "nature": "Catégorie", "all": "Toutes les catégories", "period": "Années", "from": "De", "to": "à",
        "key_reports": "signalements faits de {first} à {last}", "key_reports_one": "signalements faits en {first}",
        "key_resolved": "de ces signalements ont été résolus",
        "key_median": "délai médian entre un signalement et sa résolution",
        "key_open": "signalements encore ouverts à la fin de {month}",
        "missing": "Ce que les données ne disent pas",
        "missing_text": "Un signalement dit qu'un habitant a vu un problème et a pris le temps de le signaler, pas combien "
                        "de problèmes il y a : une rue où l'on passe beaucoup, ou un quartier où l'application est plus "
                        "connue, signale davantage. Un même problème peut être signalé plusieurs fois (les doublons sont "
                        "rejetés), et ce qui est signalé par téléphone ou au guichet n'est pas compté ici. « Résolu » est "
                        "le statut que donne le service ; le délai compte les jours du calendrier, de la création à la "
                        "clôture. Ce que l'habitant a écrit, son nom ou sa photo ne sont jamais importés sur ce site.",
        "status": "Graphiques mis à jour pour : {what}.",
    },
    "en": {
        "title": "Residents' reports in {city}",
        "description": "Potholes, litter, lighting, graffiti: what {city}'s residents report through the city's app, "
                       "neighbourhood by neighbourhood, and how long the city takes to resolve it.",
        "lead": "A pothole, fly-tipping, a street light out, a tag: residents report it to the city from their phone. "
                "What do they report, where, in which season? And what does the city do with these reports: how many "
                "are resolved, and how fast?",
        "demo": "Demo data: the reports shown here are generated in the format of a reporting app's export, until the "
                "city's real export is imported; they do not describe real problems.",
        "filters": "Choose the category and the years",
        "nature": "Category", "all": "All categories", "period": "Years", "from": "From", "to": "to",
        "key_reports": "reports made from {first} to {last}", "key_reports_one": "reports made in {first}",
        "key_resolved": "of these reports were resolved",
        "key_median": "median time from a report to its resolution",
        "key_open": "reports still open at the end of {month}",
        "missing": "What the data does not say",
        "missing_text": "A report says that a resident saw a problem and took the time to report it, not how many problems "
                        "there are: a busy street, or a neighbourhood where the app is better known, reports more. The "
                        "same problem may be reported several times (duplicates are rejected), and what is reported by "
                        "phone or at the counter is not counted here. “Resolved” is the status the department gives; "
                        "the time counts calendar days from creation to closing. What residents wrote, their names or "
                        "photos are never imported into this site.",
        "status": "Charts updated for: {what}.",
    },
}


def _say(key: str, lang: str) -> str:
    city = get_settings().city_name
    return T[lang][key].format(city=city, of_city=of_city(city))


texts.register("signalements.lead", {"fr": "Signalements : introduction", "en": "Reports: introduction"},
               lambda lang: _say("lead", lang))
texts.register("signalements.missing", {"fr": "Signalements : ce que les données ne disent pas",
                                        "en": "Reports: what the data does not say"},
               lambda lang: _say("missing_text", lang))


def title(lang: str) -> str:
    return _say("title", lang)


def description(lang: str) -> str:
    return _say("description", lang)


def filters_block(f: ReportFilter, lang: str) -> html.Section:
    t = T[lang]
    years = [{"label": str(y), "value": str(y)} for y in rc.years()]
    natures = [{"label": t["all"], "value": rc.ALL}] + [{"label": rc.label(c, lang), "value": c} for c in CATEGORIES]
    return html.Section(
        [
            html.H2(t["filters"], className="h5"),
            html.Div([
                labelled_select(NATURE_ID, t["nature"], natures, f.category or rc.ALL),
                period_filter(t["period"], ((FROM_ID, t["from"], str(f.year_from)), (TO_ID, t["to"], str(f.year_to))),
                              years),
            ], className="filters-row"),
            html.P(id=STATUS_ID, className="visually-hidden", role="status"),
        ],
        className="filters", **{"aria-label": t["filters"]},
    )


def key_figures(lang: str) -> html.Div:
    t, o = T[lang], rc.overview()
    if o["reports"] is None:
        return html.Div(className="key-figures")
    reports_label = t["key_reports"] if o["first"] != o["last"] else t["key_reports_one"]
    figures = [key_figure(fmt_number(o["reports"], lang), reports_label.format(first=o["first"], last=o["last"]))]
    if o["resolved"] is not None:
        figures.append(key_figure(fmt_percent(o["resolved"], lang, 0), t["key_resolved"]))
    if o["median"] is not None:
        figures.append(key_figure(rc.days_text(o["median"], lang), t["key_median"]))
    figures.append(key_figure(fmt_number(o["open"], lang), t["key_open"].format(month=month_text(o["month"], lang))))
    return html.Div(figures, className="key-figures")


def status_text(f: ReportFilter, lang: str) -> str:
    what = (rc.label(f.category, lang) if f.category else T[lang]["all"]) + (" ; " if lang == "fr" else "; ")
    what += rc.span_value(f.year_from, f.year_to)
    return T[lang]["status"].format(what=what)


def demo_notice(lang: str) -> html.P | None:
    meta = datasets_meta().set_index("slug")
    if not ("signalements" in meta.index and bool(meta.at["signalements", "is_demo"])):
        return None
    return html.P(html.Strong(_say("demo", lang)), className="callout callout-demo")


def layout(lang: str, args: Mapping[str, str]) -> html.Div:
    f = rc.parse_filters(args)
    t = T[lang]
    query = rc.filter_query(f)
    return html.Div([
        html.H1(title(lang)),
        html.Div(texts.to_dash(texts.current("signalements.lead", lang)), className="lead"),
        demo_notice(lang),
        key_figures(lang),
        html.Aside([html.H2(t["missing"], className="h6"), *texts.to_dash(texts.current("signalements.missing", lang))],
                   className="callout"),
        filters_block(f, lang),
        *[chart_block(chart, chart.view(f, lang), query, lang) for chart in charts_of(rc.STORY)],
    ], className="story")

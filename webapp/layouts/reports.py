"""The citizen reports story at /signalements: what residents report, and what the city does with it."""

from __future__ import annotations

from collections.abc import Mapping

from dash import html

from webapp.charts import charts_of
from webapp.charts import reports as rc
from webapp.data import texts
from webapp.data.importers.reports import CATEGORIES
from webapp.data.reports import ReportFilter
from webapp.data.store import datasets_meta, get_settings
from webapp.formatting import fmt_number, fmt_percent, month_text
from webapp.i18n import N_, _, _l, of_city, pgettext
from webapp.layouts import markdown
from webapp.layouts.components import (
    chart_block,
    demo_banner,
    filters_panel,
    key_figure,
    labelled_select,
    marked_demo,
    period_filter,
)

SLUG = "signalements"
NATURE_ID, FROM_ID, TO_ID, STATUS_ID = f"{SLUG}-nature", f"{SLUG}-annee-debut", f"{SLUG}-annee-fin", f"{SLUG}-status"


def _say(message: str, lang: str) -> str:
    """An N_-marked text with the town's name: `{city}` ("Arras") and `{of_city}` ("d'Arras")."""
    city = get_settings().city_name
    return _(message, lang, city=city, of_city=of_city(city))


def lead_text(lang: str) -> str:
    return _("Un nid-de-poule, un dépôt sauvage, un lampadaire éteint, un tag : les habitants le signalent à la ville "
             "depuis leur téléphone. Que signalent-ils, où, à quelle saison ? Et que fait la ville de ces "
             "signalements : combien sont résolus, en combien de temps ?", lang)


def missing_text(lang: str) -> str:
    return _("Un signalement dit qu'un habitant a vu un problème et a pris le temps de le signaler, pas combien "
             "de problèmes il y a : une rue où l'on passe beaucoup, ou un quartier où l'application est plus "
             "connue, signale davantage. Un même problème peut être signalé plusieurs fois (les doublons sont "
             "rejetés), et ce qui est signalé par téléphone ou au guichet n'est pas compté ici. « Résolu » est "
             "le statut que donne le service ; le délai compte les jours du calendrier, de la création à la "
             "clôture. Ce que l'habitant a écrit, son nom ou sa photo ne sont jamais importés sur ce site.", lang)


texts.register("signalements.lead", _l("Signalements : introduction"), lead_text)
texts.register("signalements.missing", _l("Signalements : ce que les données ne disent pas"), missing_text)


LINK = N_("les signalements des habitants")  # the story in the list of the error pages ("Vous pouvez aller vers : …")


def card(lang: str) -> tuple[str, str, str]:
    """The story's card on the home page: heading, what it tells, the link's words."""
    return (pgettext("carte de l'accueil", "Signalements", lang),
            _("Ce que les habitants signalent à la ville (voirie, propreté, éclairage…), où, et en combien de "
              "temps c'est résolu.", lang),
            _("Explorer les signalements", lang))


def title(lang: str) -> str:
    return _say(N_("Les signalements des habitants {of_city}"), lang)


def description(lang: str) -> str:
    return _say(N_("Nids-de-poule, déchets, éclairage, tags : ce que les habitants {of_city} signalent dans "
                   "l'application de la ville, quartier par quartier, et en combien de temps la ville le résout."),
                lang)


def filters_block(f: ReportFilter, lang: str) -> html.Section:
    heading = _("Choisir la catégorie et les années", lang)
    years = [{"label": str(y), "value": str(y)} for y in rc.years()]
    natures = [{"label": _("Toutes les catégories", lang), "value": rc.ALL}]
    natures += [{"label": rc.label(c, lang), "value": c} for c in CATEGORIES]
    bounds = ((FROM_ID, _("De", lang), str(f.year_from)), (TO_ID, _("à", lang), str(f.year_to)))
    return filters_panel(heading, [
        labelled_select(NATURE_ID, _("Catégorie", lang), natures, f.category or rc.ALL),
        period_filter(_("Années", lang), bounds, years),
    ], STATUS_ID)


def key_figures(lang: str) -> html.Div:
    o = rc.overview()
    if o["reports"] is None:
        return html.Div(className="key-figures")
    reports_label = (_("signalements faits de {first} à {last}", lang, first=o["first"], last=o["last"])
                     if o["first"] != o["last"] else _("signalements faits en {first}", lang, first=o["first"]))
    figures = [key_figure(fmt_number(o["reports"], lang), reports_label)]
    if o["resolved"] is not None:
        figures.append(key_figure(fmt_percent(o["resolved"], lang, 0), _("de ces signalements ont été résolus", lang)))
    if o["median"] is not None:
        figures.append(key_figure(rc.days_text(o["median"], lang),
                                  _("délai médian entre un signalement et sa résolution", lang)))
    figures.append(key_figure(fmt_number(o["open"], lang), _("signalements encore ouverts à la fin de {month}", lang,
                                                             month=month_text(o["month"], lang))))
    return html.Div(marked_demo(figures, ("signalements",), lang), className="key-figures")


def status_text(f: ReportFilter, lang: str) -> str:
    """What the screen reader hears once the charts follow the filters."""
    category = rc.label(f.category, lang) if f.category else _("Toutes les catégories", lang)
    return _("Graphiques mis à jour pour : {category} ; {years}.", lang, category=category,
             years=rc.span_value(f.year_from, f.year_to))


def demo_notice(lang: str) -> html.P | None:
    meta = datasets_meta().set_index("slug")
    if not ("signalements" in meta.index and bool(meta.at["signalements", "is_demo"])):
        return None
    return demo_banner(_("Données de démonstration : les signalements affichés ici sont générés au format d'un "
                         "export d'application de signalement, en attendant l'import de l'export réel de la ville ; "
                         "ils ne décrivent pas des problèmes réels.", lang))


def layout(lang: str, args: Mapping[str, str]) -> html.Div:
    f = rc.parse_filters(args)
    query = rc.filter_query(f)
    return html.Div([
        html.H1(title(lang)),
        demo_notice(lang),
        key_figures(lang),
        html.Div(markdown.to_dash(texts.current("signalements.lead", lang)), className="lead"),
        html.Aside([html.H2(_("Ce que les données ne disent pas", lang), className="h6"),
                    *markdown.to_dash(texts.current("signalements.missing", lang))], className="callout"),
        filters_block(f, lang),
        *[chart_block(chart, chart.view(f, lang), query, lang) for chart in charts_of(rc.STORY)],
    ], className="story")

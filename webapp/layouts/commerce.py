"""The commerce observatory at /commerces: key figures, filters and the charts of the registry."""

from __future__ import annotations

from collections.abc import Mapping

from dash import html

from webapp.charts import charts_of
from webapp.charts import commerce as cc
from webapp.data import texts
from webapp.data.commerce import PERIMETERS, CommerceFilter
from webapp.data.store import datasets_meta, get_settings
from webapp.formatting import fmt_number, fmt_percent
from webapp.i18n import N_, _, _l, of_city
from webapp.layouts import markdown
from webapp.layouts.components import (
    chart_block,
    demo_banner,
    filters_panel,
    key_figure,
    labelled_select,
    marked_demo,
)

SLUG = "commerces"
YEAR_ID, PERIMETER_ID, STATUS_ID = f"{SLUG}-annee", f"{SLUG}-perimetre", f"{SLUG}-status"


def _city() -> dict[str, str]:
    city = get_settings().city_name
    return {"city": city, "of_city": of_city(city)}


def lead_text(lang: str) -> str:
    return _("La vacance des boutiques recule-t-elle ? Combien de commerces ouvrent et ferment chaque année, et "
             "lesquels ? Les rues les plus passantes ont-elles moins de vitrines vides ? L'observatoire suit chaque "
             "cellule commerciale de la ville, occupée ou vacante, d'après l'inventaire du service du commerce.", lang)


def missing_text(lang: str) -> str:
    return _("Une cellule vacante est un local commercial sans activité au 31 décembre, qu'il soit à louer, "
             "en travaux ou en attente. L'inventaire dit quand un commerce ouvre ou ferme, pas pourquoi. Le "
             "répertoire Sirene enregistre des établissements, pas des vitrines : l'adresse d'un entrepreneur "
             "individuel peut être son domicile, et une fermeture est souvent déclarée des mois plus tard.", lang)


texts.register("commerces.lead", _l("Observatoire du commerce : introduction"), lead_text)
texts.register("commerces.missing", _l("Observatoire du commerce : ce que les données ne disent pas"), missing_text)


LINK = N_("les commerces")  # the story in the list of the error pages ("Vous pouvez aller vers : …")


def card(lang: str) -> tuple[str, str, str]:
    """The story's card on the home page: heading, what it tells, the link's words."""
    return (_("Commerces", lang),
            _("La vacance des boutiques, les ouvertures et fermetures, les activités et les rues du centre.", lang),
            _("Explorer les commerces", lang))


def title(lang: str) -> str:
    return _("Les commerces du centre-ville {of_city}", lang, **_city())


def description(lang: str) -> str:
    return _("Vacance commerciale, ouvertures et fermetures, activités des commerces et fréquentation des rues "
             "{of_city}, année après année.", lang, **_city())


def filters_block(f: CommerceFilter, lang: str) -> html.Section:
    heading = _("Choisir l'année et le périmètre", lang)
    intro = _("L'année vaut pour les activités, la carte et la fréquentation ; le périmètre pour les ouvertures "
              "et fermetures, les activités et la carte. La vacance est montrée pour les trois périmètres.", lang)
    return filters_panel(heading, [
        labelled_select(YEAR_ID, _("Année (au 31 décembre)", lang),
                        [{"label": str(y), "value": str(y)} for y in cc.years()], str(f.year)),
        labelled_select(PERIMETER_ID, _("Périmètre", lang), [
            {"label": cc.upper_first(cc.perimeter_label(p, lang)), "value": p} for p in PERIMETERS], f.perimeter),
    ], STATUS_ID, intro)


def key_figures(lang: str) -> html.Div:
    o = cc.overview(cc.hypercentre())
    if o["last"] is None:
        return html.Div(className="key-figures")
    last = o["last"]
    if o["hyper_found"]:
        rate = _("de cellules vacantes dans l'hypercentre fin {last}", lang, last=last)
    else:
        rate = _("de cellules vacantes fin {last}", lang, last=last)
    figures = [
        key_figure(fmt_percent(o["rate_last"], lang), rate),
        key_figure(fmt_percent(o["rate_first"], lang), _("fin {first}", lang, first=o["first"])),
        key_figure(fmt_number(o["units"], lang), _("cellules commerciales fin {last}", lang, last=last)),
    ]
    if o["independent"] is not None:
        figures.append(key_figure(fmt_percent(o["independent"], lang, 0),
                                  _("de commerces indépendants fin {last}", lang, last=last)))
    return html.Div(marked_demo(figures, ("commerces", "sirene-etablissements"), lang), className="key-figures")


def status_text(f: CommerceFilter, lang: str) -> str:
    return _("Graphiques mis à jour pour : {year} ; {perimeter}.", lang, year=f.year,
             perimeter=cc.perimeter_label(f.perimeter, lang))


def demo_notice(lang: str) -> html.P | None:
    meta = datasets_meta().set_index("slug")
    if not any(d in meta.index and bool(meta.at[d, "is_demo"]) for d in ("commerces", "sirene-etablissements")):
        return None
    notice = _("Données de démonstration : l'inventaire des commerces et l'extrait Sirene affichés ici sont générés, "
               "calés sur les chiffres publiés pour {city} ; les noms et les adresses sont fictifs, en attendant "
               "l'import de l'inventaire réel de la ville.", lang, **_city())
    return demo_banner(notice)


def layout(lang: str, args: Mapping[str, str]) -> html.Div:
    f = cc.parse_filters(args)
    query = cc.filter_query(f)
    return html.Div([
        html.H1(title(lang)),
        demo_notice(lang),
        key_figures(lang),
        html.Div(markdown.to_dash(texts.current("commerces.lead", lang)), className="lead"),
        html.Aside([html.H2(_("Ce que les données ne disent pas", lang), className="h6"),
                    *markdown.to_dash(texts.current("commerces.missing", lang))], className="callout"),
        filters_block(f, lang),
        *[chart_block(chart, chart.view(f, lang), query, lang) for chart in charts_of(cc.STORY)],
    ], className="story")

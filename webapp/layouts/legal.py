"""Legal pages linked from every footer: accessibility statement, legal notice, personal data."""

from __future__ import annotations

from collections.abc import Mapping

from dash import html

from webapp.data.store import get_settings
from webapp.i18n import N_, _
from webapp.layouts.components import sentence

PAGES = {  # title, description
    "accessibilite": (N_("Déclaration d'accessibilité"),
                      N_("Déclaration d'accessibilité du site {site} au regard du RGAA 4.1.")),
    "mentions": (N_("Mentions légales"), N_("Éditeur, hébergement et licences des données du site {site}.")),
    "privacy": (N_("Données personnelles"),
                N_("Ce que le site {site} fait, et ne fait pas, de vos données personnelles.")),
}


def _site(lang: str) -> str:
    return _("{city} en données", lang, city=get_settings().city_name)


def meta(page: str, lang: str) -> tuple[str, str]:
    title, description = PAGES[page]
    return _(title, lang), _(description, lang, site=_site(lang))


def accessibility(lang: str, args: Mapping[str, str]) -> html.Div:
    s = get_settings()
    mail = html.A(s.contact_email, href=f"mailto:{s.contact_email}")
    form = html.A(_("formulaire en ligne", lang), href="https://formulaire.defenseurdesdroits.fr/")
    body = [
        html.P(_("{publisher} s'engage à rendre le site {site} accessible conformément à l'article 47 de la loi "
                 "n° 2005-102 du 11 février 2005. Cette déclaration s'applique à ce site.", lang,
                 publisher=s.publisher, site=_site(lang))),
        html.H2(_("État de conformité", lang), className="h4"),
        html.P([html.Strong(_("Le site {site} est non conforme avec le RGAA 4.1.", lang, site=_site(lang)) + " "),
                _("Aucun audit de conformité au RGAA 4.1 n'a encore été réalisé.", lang)]),
        html.H2(_("Ce qui est fait", lang), className="h4"),
        html.Ul([
            html.Li(_("Chaque graphique a un résumé en texte, une légende, ses données sous forme de tableau et "
                      "un téléchargement CSV.", lang)),
            html.Li(_("Les pages sont testées automatiquement avec axe-core dans un vrai navigateur à chaque "
                      "modification.", lang)),
            html.Li(_("Les couleurs des graphiques sont choisies pour les daltonismes courants ; le contraste du "
                      "texte est d'au moins 4,5:1.", lang)),
        ]),
        html.H2(_("Limites connues", lang), className="h4"),
        html.Ul([html.Li(_("Les graphiques eux-mêmes ne se parcourent pas au clavier : leurs tableaux de données "
                           "donnent la même information.", lang))]),
        html.H2(_("Retour d'information et contact", lang), className="h4"),
        html.P(sentence(_("Si vous n'arrivez pas à accéder à un contenu ou à un service, écrivez à {mail} pour être "
                          "orienté vers une alternative accessible ou obtenir le contenu sous une autre forme.", lang),
                        mail=mail)),
        html.H2(_("Voies de recours", lang), className="h4"),
        html.P(sentence(_("Si vous avez signalé un défaut d'accessibilité sans obtenir de réponse satisfaisante, vous "
                          "pouvez écrire au Défenseur des droits ({form}), contacter son délégué dans votre région "
                          "ou écrire gratuitement à : Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07.",
                          lang), form=form)),
    ]
    return html.Div([html.H1(meta("accessibilite", lang)[0]), *body], className="prose")


def legal_notice(lang: str, args: Mapping[str, str]) -> html.Div:
    s = get_settings()
    body = [
        html.H2(_("Éditeur", lang), className="h4"),
        html.P(_("{publisher}. Contact : {email}.", lang, publisher=s.publisher, email=s.contact_email)),
        html.H2(_("Données et licences", lang), className="h4"),
        html.P(_("Les données présentées viennent des producteurs publics nommés sous chaque graphique, sous "
                 "Licence Ouverte / Etalab 2.0 sauf mention contraire. Les graphiques et textes du site sont "
                 "réutilisables sous la même licence, en citant le site.", lang)),
        html.H2(_("Identité visuelle", lang), className="h4"),
        html.P(_("Ce site utilise l'identité visuelle propre de la ville, et non le système de design de l'État.",
                 lang)),
    ]
    return html.Div([html.H1(meta("mentions", lang)[0]), *body], className="prose")


def privacy(lang: str, args: Mapping[str, str]) -> html.Div:
    s = get_settings()
    mail = html.A(s.contact_email, href=f"mailto:{s.contact_email}")
    body = [
        html.P(_("La consultation du site ne demande aucun compte et ne dépose aucun cookie. Il n'utilise ni mesure "
                 "d'audience, ni publicité, ni service tiers : polices, scripts et cartes sont servis par le site "
                 "lui-même.", lang)),
        html.P(_("Le serveur conserve des journaux techniques (adresse, page, date) pour la sécurité, au plus un an.",
                 lang)),
        html.P(sentence(_("Pour toute question ou pour exercer vos droits (RGPD), écrivez à {mail}. Vous pouvez aussi "
                          "adresser une réclamation à la CNIL.", lang), mail=mail)),
    ]
    return html.Div([html.H1(meta("privacy", lang)[0]), *body], className="prose")

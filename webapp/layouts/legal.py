"""Legal pages linked from every footer: accessibility statement, legal notice, personal data."""

from __future__ import annotations

from collections.abc import Mapping

from dash import html

from webapp.data.store import get_settings

AUDIT_NONE = {
    "fr": "Aucun audit de conformité au RGAA 4.1 n'a encore été réalisé.",
    "en": "No RGAA 4.1 conformity audit has been carried out yet.",
}

PAGES = {
    "accessibilite": {
        "fr": ("Déclaration d'accessibilité", "Déclaration d'accessibilité du site {site} au regard du RGAA 4.1."),
        "en": ("Accessibility statement", "Accessibility statement of {site} under RGAA 4.1."),
    },
    "mentions": {
        "fr": ("Mentions légales", "Éditeur, hébergement et licences des données du site {site}."),
        "en": ("Legal notice", "Publisher, hosting and data licences of {site}."),
    },
    "privacy": {
        "fr": ("Données personnelles", "Ce que le site {site} fait, et ne fait pas, de vos données personnelles."),
        "en": ("Personal data", "What {site} does, and does not do, with your personal data."),
    },
}


def _site(lang: str) -> str:
    city = get_settings().city_name
    return f"{city} en données" if lang == "fr" else f"{city} in data"


def meta(page: str, lang: str) -> tuple[str, str]:
    title, description = PAGES[page][lang]
    return title, description.format(site=_site(lang))


def accessibility(lang: str, args: Mapping[str, str]) -> html.Div:
    s = get_settings()
    mail = html.A(s.contact_email, href=f"mailto:{s.contact_email}")
    if lang == "en":
        body = [
            html.P(f"{s.publisher} undertakes to make {_site(lang)} accessible in accordance with article 47 of "
                   "French law no. 2005-102 of 11 February 2005. This statement applies to this site."),
            html.H2("Compliance status", className="h4"),
            html.P([html.Strong(f"{_site(lang)} is not compliant with RGAA 4.1. "), AUDIT_NONE[lang]]),
            html.H2("What is done", className="h4"),
            html.Ul([
                html.Li("Every chart has a text summary, a caption, its data as a table and a CSV download."),
                html.Li("Pages are tested automatically with axe-core in a real browser at every change."),
                html.Li("Colours of charts are chosen for colour-vision deficiencies; text contrast is at least 4.5:1."),
            ]),
            html.H2("Known limits", className="h4"),
            html.Ul([html.Li("The charts themselves cannot be explored with the keyboard: their data tables give "
                             "the same information.")]),
            html.H2("Feedback and contact", className="h4"),
            html.P(["If you cannot access a content or a service, write to ", mail,
                    " to be directed to an accessible alternative or to get the content in another form."]),
            html.H2("Remedies", className="h4"),
            html.P([("If you reported a problem and did not get a satisfactory answer, you can write to the "
                    "Défenseur des droits ("), html.A("online form", href="https://formulaire.defenseurdesdroits.fr/"),
                    ("), contact its delegate in your region, or write free of charge to: Défenseur des droits, "
                    "Libre réponse 71120, 75342 Paris CEDEX 07.")]),
        ]
    else:
        body = [
            html.P(f"{s.publisher} s'engage à rendre le site {_site(lang)} accessible conformément à l'article 47 "
                   "de la loi n° 2005-102 du 11 février 2005. Cette déclaration s'applique à ce site."),
            html.H2("État de conformité", className="h4"),
            html.P([html.Strong(f"Le site {_site(lang)} est non conforme avec le RGAA 4.1. "), AUDIT_NONE[lang]]),
            html.H2("Ce qui est fait", className="h4"),
            html.Ul([
                html.Li("Chaque graphique a un résumé en texte, une légende, ses données sous forme de tableau et "
                        "un téléchargement CSV."),
                html.Li("Les pages sont testées automatiquement avec axe-core dans un vrai navigateur à chaque "
                        "modification."),
                html.Li("Les couleurs des graphiques sont choisies pour les daltonismes courants ; le contraste du "
                        "texte est d'au moins 4,5:1."),
            ]),
            html.H2("Limites connues", className="h4"),
            html.Ul([html.Li("Les graphiques eux-mêmes ne se parcourent pas au clavier : leurs tableaux de données "
                             "donnent la même information.")]),
            html.H2("Retour d'information et contact", className="h4"),
            html.P(["Si vous n'arrivez pas à accéder à un contenu ou à un service, écrivez à ", mail,
                    " pour être orienté vers une alternative accessible ou obtenir le contenu sous une autre forme."]),
            html.H2("Voies de recours", className="h4"),
            html.P([("Si vous avez signalé un défaut d'accessibilité sans obtenir de réponse satisfaisante, vous "
                    "pouvez écrire au Défenseur des droits ("), html.A("formulaire en ligne",
                    href="https://formulaire.defenseurdesdroits.fr/"), ("), contacter son délégué dans votre région "
                    "ou écrire gratuitement à : Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07.")]),
        ]
    return html.Div([html.H1(meta("accessibilite", lang)[0]), *body], className="prose")


def legal_notice(lang: str, args: Mapping[str, str]) -> html.Div:
    s = get_settings()
    if lang == "en":
        body = [
            html.H2("Publisher", className="h4"),
            html.P(f"{s.publisher}. Contact: {s.contact_email}."),
            html.H2("Data and licences", className="h4"),
            html.P("Data shown comes from public producers named under each chart, under the Licence Ouverte / "
                   "Etalab 2.0 unless stated otherwise. Charts and texts of this site may be reused under the same "
                   "licence, citing the site."),
            html.H2("Visual identity", className="h4"),
            html.P("This site uses the town's own visual identity, not the State's design system."),
        ]
    else:
        body = [
            html.H2("Éditeur", className="h4"),
            html.P(f"{s.publisher}. Contact : {s.contact_email}."),
            html.H2("Données et licences", className="h4"),
            html.P("Les données présentées viennent des producteurs publics nommés sous chaque graphique, sous "
                   "Licence Ouverte / Etalab 2.0 sauf mention contraire. Les graphiques et textes du site sont "
                   "réutilisables sous la même licence, en citant le site."),
            html.H2("Identité visuelle", className="h4"),
            html.P("Ce site utilise l'identité visuelle propre de la ville, et non le système de design de l'État."),
        ]
    return html.Div([html.H1(meta("mentions", lang)[0]), *body], className="prose")


def privacy(lang: str, args: Mapping[str, str]) -> html.Div:
    s = get_settings()
    if lang == "en":
        body = [
            html.P("Reading this site requires no account and sets no cookie. It uses no audience measurement, "
                   "no advertising and no third-party service: fonts, scripts and maps are served by the site itself."),
            html.P("The server keeps technical logs (address, page, date) for security, for no longer than a year."),
            html.P(["For any question or to exercise your rights (GDPR), write to ",
                    html.A(s.contact_email, href=f"mailto:{s.contact_email}"),
                    ". You may also lodge a complaint with the CNIL."]),
        ]
    else:
        body = [
            html.P("La consultation du site ne demande aucun compte et ne dépose aucun cookie. Il n'utilise ni mesure "
                   "d'audience, ni publicité, ni service tiers : polices, scripts et cartes sont servis par le site "
                   "lui-même."),
            html.P("Le serveur conserve des journaux techniques (adresse, page, date) pour la sécurité, au plus un an."),
            html.P(["Pour toute question ou pour exercer vos droits (RGPD), écrivez à ",
                    html.A(s.contact_email, href=f"mailto:{s.contact_email}"),
                    ". Vous pouvez aussi adresser une réclamation à la CNIL."]),
        ]
    return html.Div([html.H1(meta("privacy", lang)[0]), *body], className="prose")

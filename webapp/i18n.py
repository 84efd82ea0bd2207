"""Interface language: French first, English through `?lang=en`; the UI strings of the shell."""

from __future__ import annotations

from urllib.parse import urlencode

LANGS = ("fr", "en")

STRINGS: dict[str, dict[str, str]] = {
    "site_name": {"fr": "{city} en données", "en": "{city} in data"},
    "site_tagline": {
        "fr": "Les données de la ville, expliquées simplement",
        "en": "The town's data, plainly explained",
    },
    "skip": {"fr": "Aller au contenu", "en": "Skip to content"},
    "nav_label": {"fr": "Navigation principale", "en": "Main navigation"},
    "nav_home": {"fr": "Accueil", "en": "Home"},
    "nav_schools": {"fr": "Écoles", "en": "Schools"},
    "nav_housing": {"fr": "Logement", "en": "Housing"},
    "nav_footfall": {"fr": "Fréquentation", "en": "Footfall"},
    "nav_commerce": {"fr": "Commerces", "en": "Shops"},
    "nav_reports": {"fr": "Signalements", "en": "Reports"},
    "nav_data": {"fr": "Données ouvertes", "en": "Open data"},
    "switch_to": {"fr": "English", "en": "Français"},
    "switch_label": {"fr": "Read this page in English", "en": "Lire cette page en français"},
    "footer_accessibility": {"fr": "Accessibilité : non conforme", "en": "Accessibility: not compliant"},
    "footer_legal": {"fr": "Mentions légales", "en": "Legal notice"},
    "footer_privacy": {"fr": "Données personnelles", "en": "Personal data"},
    "footer_data": {"fr": "Données ouvertes", "en": "Open data"},
    "footer_city": {"fr": "Site de la ville", "en": "Town website"},
    "footer_embed": {"fr": "Intégrer un graphique", "en": "Embed a chart (in French)"},
    "footer_licence": {
        "fr": "Données sous Licence Ouverte / Etalab 2.0 sauf mention contraire.",
        "en": "Data under the Licence Ouverte / Etalab 2.0 unless stated otherwise.",
    },
    "footer_label": {"fr": "Pied de page", "en": "Footer"},
    "bad_request": {"fr": "Adresse incorrecte", "en": "Incorrect address"},
}


def of_city(city: str) -> str:
    """French "of" before a town's name, with elision: "d'Arras", "de Lens"."""
    return f"d'{city}" if city[:1].lower() in "aeiouyàâäéèêëîïôöùûü" else f"de {city}"


def parse_lang(value: str | None) -> str:
    """`lang` from the query string; anything but a known language falls back to French."""
    return value if value in LANGS else "fr"


def tr(key: str, lang: str, **kwargs: object) -> str:
    text = STRINGS[key][lang]
    return text.format(**kwargs) if kwargs else text


def href(path: str, lang: str, **params: str | None) -> str:
    """A site link that keeps the language: href('/ecoles', 'en') -> '/ecoles?lang=en'."""
    query = {k: v for k, v in params.items() if v}
    if lang != "fr":
        query["lang"] = lang
    return path + ("?" + urlencode(query) if query else "")

"""The figures the demo commerce files are calibrated on (units, vacancy, yearly flows, shares), the
activities with their NAF codes and weights, the names and streets of Arras, and the units, periods
and businesses the simulation builds; see `webapp.demo.commerce`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

COMMUNE, POSTCODE, COMMUNE_NAME = "62041", "62000", "ARRAS"
HYPERCENTRE_IRIS = "620410801"
SURVEY, LAST_DAY = date(2016, 1, 1), date(2025, 12, 31)
UNITS = {"hypercentre": 479, "rest": 668}
VACANT_AT_SURVEY = {"hypercentre": 95, "rest": 157}
FLOWS = {2016: (50, 15), 2017: (58, 27), 2018: (60, 28), 2019: (62, 30), 2020: (57, 30),  # (openings, closures)
         2021: (44, 40), 2022: (46, 44), 2023: (42, 45), 2024: (40, 44), 2025: (41, 42)}
HYPERCENTRE_SHARE = {"until-2020": (0.42, 0.50), "after": (0.45, 0.45)}  # of openings, of closures
TAKEOVER = 0.25
CONVERSION_YEARS = range(2017, 2025)
INDEPENDENT = 0.62
LISTED_SIRET = 0.9  # share of businesses whose SIRET the inventory knows
CRAFT_BAKERY = 0.7  # bakeries registered as craft manufacturers (NAF 10.71C), as most French ones are

# NAF rév. 2 code, name prefix of an independent shop, a fictional chain, weight in the hypercentre and
# elsewhere (percent).
ACTIVITIES = [
    ("47.71Z", "Boutique", "Modéa", 27, 8), ("47.72A", "Chaussures", "Urbanis", 4, 1.5),
    ("47.72B", "Maroquinerie", "Sacoche & Cie", 1, 0.5), ("47.77Z", "Bijouterie", "Orlane", 4, 1),
    ("56.10A", "Restaurant", "Grill Express", 15, 10), ("56.10C", "Snack", "Pasta Nova", 7, 8),
    ("56.30Z", "Café", "Café Central", 5, 8), ("55.10Z", "Hôtel", "Nuit Douce", 1, 2),
    ("47.11B", "Épicerie", "Fraîcheur Marché", 1, 5), ("47.11C", "Supérette", "Proxi Plus", 1, 3),
    ("47.24Z", "Boulangerie", "Fournil Doré", 3, 6), ("47.22Z", "Boucherie", "Saveurs d'Artois", 0.5, 3),
    ("47.25Z", "Cave", "Bonne Cave", 1, 1), ("47.29Z", "Chocolaterie", "Cacao Fin", 1, 1),
    ("47.21Z", "Primeur", "Verger Direct", 0.5, 2), ("47.73Z", "Pharmacie", "Pharma Nord", 2, 4),
    ("47.75Z", "Parfumerie", "Senteurs", 3, 1), ("47.78A", "Optique", "Vue Claire", 3, 2),
    ("96.02A", "Coiffure", "Coupe Nette", 5, 9), ("96.02B", "Institut", "Belle Peau", 2, 4),
    ("47.61Z", "Librairie", "Pages & Co", 1.5, 0.5), ("47.62Z", "Presse", "Presse Plus", 0.5, 2),
    ("47.26Z", "Tabac", "Civette", 1, 3), ("47.64Z", "Sport", "Sport Zone", 1, 1.5), ("47.65Z", "Jouets", "Ludik", 1, 0.5),
    ("47.59B", "Déco", "Intérieurs", 2, 2), ("47.59A", "Meubles", "Salon Bois", 0.5, 2),
    ("47.52B", "Bricolage", "Atelier Brico", 0, 2), ("47.76Z", "Fleurs", "Fleurs d'Ici", 1, 2),
    ("47.42Z", "Téléphonie", "Mobilo", 1.5, 1.5), ("79.11Z", "Voyages", "Évasion Voyages", 1, 1),
    ("96.01B", "Pressing", "Net Pressing", 0.5, 2), ("95.23Z", "Cordonnerie", "Clé Minute", 0.5, 1),
    ("47.78C", "Comptoir", "Bazar Chic", 1, 3), ("47.79Z", "Dépôt-vente", "Seconde Main", 0, 2),
]
NAMES = ["Delattre", "Lefebvre", "Vasseur", "Caron", "Leroy", "Lemaire", "Dubois", "Wallart", "Duhamel", "Bocquet",
         "Lenglet", "Poulain", "Cuvelier", "Hennebelle", "Leclercq", "Gosselin", "Deprez", "Taffin", "du Beffroi",
         "des Arcades", "Saint-Vaast", "de la Place", "des Boves", "Atrébate", "Vauban", "du Théâtre", "Ronville"]
STREET_TYPES = {"RUE": "Rue", "PL": "Place", "BD": "Boulevard", "AV": "Avenue"}
HYPERCENTRE_STREETS = [
    ("RUE", "Ernestale"), ("RUE", "Gambetta"), ("RUE", "Saint-Aubert"), ("RUE", "de la Taillerie"),
    ("RUE", "des Trois Visages"), ("RUE", "de la Housse"), ("RUE", "Désiré Bras"), ("RUE", "Ronville"),
    ("RUE", "Saint-Géry"), ("PL", "des Héros"), ("PL", "du Théâtre"), ("RUE", "Paul Doumer"), ("RUE", "des Balances"),
    ("RUE", "Wacquez Glasson"), ("RUE", "du Bloc"), ("RUE", "Émile Legrelle"),
]
OTHER_STREETS = [
    ("BD", "Carnot"), ("BD", "Faidherbe"), ("AV", "Fernand Lobbedez"), ("AV", "Michonneau"), ("RUE", "d'Amiens"),
    ("AV", "Jean Jaurès"), ("AV", "Winston Churchill"), ("RUE", "de Cambrai"), ("RUE", "de Baudimont"),
    ("RUE", "du Temple"), ("RUE", "de Saint-Quentin"), ("AV", "de l'Hippodrome"), ("RUE", "Aristide Briand"),
    ("RUE", "Méaulens"), ("RUE", "de Bapaume"), ("RUE", "du 29 Juillet"),
]


@dataclass
class Business:
    name: str
    naf: str
    independent: bool
    siret: str
    listed: bool  # the inventory knows its SIRET


@dataclass
class Period:
    start: date
    end: date | None = None
    business: Business | None = None  # None: vacant


@dataclass
class Unit:
    uid: str
    area: str  # hypercentre | rest
    iris: str
    lon: float
    lat: float
    street: tuple[str, str]
    number: int
    periods: list[Period] = field(default_factory=list)

    @property
    def current(self) -> Period:
        return self.periods[-1]

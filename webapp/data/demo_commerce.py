"""Deterministic demo files for the commerce observatory, until the city's own files are imported.

`shop_inventory`: the city's shop inventory in our `commerces` format, as a spreadsheet saves it
(`;`, UTF-8 with BOM, dates JJ/MM/AAAA, decimal commas), one row per period of a unit from the
first survey (1 January 2016) to the end of 2025. Calibrated on the figures published for Arras
(`arras-commerce-chiffres-publies-presse.csv` in the project's shared real data):

- 1,147 units at the survey (the Bérénice study's 1,147 shops, read as units, vacant ones included,
  as its 479 hypercentre units are), 479 of them in the "Hyper Centre" IRIS with 95 vacant, and 157
  of the 668 others: 19.8 % in the hypercentre ("close to 20 %") and 22 % town-wide, as published;
- 287 openings and 130 closures town-wide over 2016-2020 (50 and 15 in 2016), a quarter of the
  closures being takeovers (a new business opens the same day), 42 % of the openings and half of
  the closures in the hypercentre: its vacancy falls to about 8 % at the end of 2020 and stays near
  it after, when openings and closures balance (the demo's assumption for 2021-2025);
- 62 % independent businesses at the survey; in the hypercentre, 27 % ready-to-wear (NAF 47.71Z,
  "more than 26 %") and 22 % restaurants (56.10); the other activities' weights are assumptions,
  and most bakeries carry the craft code 10.71C, as in France; every business has its NAF code,
  nine in ten their SIRET (the city does not find every one);
- a few vacant units outside the hypercentre leave the stock (turned into housing), one a year.
Units are drawn inside their IRIS (hypercentre units inside "Hyper Centre"); streets are real
streets of Arras, but a unit's point is not on its street. Demo SIRENs fail the Luhn check that
every real SIREN passes: no demo business can carry a real company's number.

`sirene_extract`: the same businesses as INSEE's StockEtablissement (format 3.11: `,`, UTF-8, Lambert
93 coordinates), with what makes Sirene differ from an inventory: a tenth of the independents
registered at their owner's home, closures declared late or never (15 %), some activities declared under another
code (a coarser class, or a craftsman's manufacturing code that the importer leaves out),
partial diffusion ("[ND]"), and establishments without a shop (market traders, online shops, food
trucks, offices) that the importer must set aside.
"""

from __future__ import annotations

import csv
import io
import json
import random
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from shapely.geometry import shape

from webapp.data.demo import point_in
from webapp.data.importers.commerce import category_of, wgs84_to_lambert93

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
INVENTORY_COLUMNS = ["id_cellule", "date_debut", "date_fin", "statut", "numero", "voie", "code_iris", "longitude",
                     "latitude", "activite", "type_exploitation", "nom_commerce", "code_naf", "siret"]


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


def shop_inventory(iris_geojson: Path, seed: int = 62041) -> bytes:
    """The demo inventory (`;`, UTF-8 with BOM, JJ/MM/AAAA, decimal commas), the same bytes for the same arguments."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(INVENTORY_COLUMNS)
    for unit in _simulate(iris_geojson, seed):
        kind, name = unit.street
        for period in unit.periods:
            b = period.business
            writer.writerow([
                unit.uid, _french(period.start), _french(period.end) if period.end else "",
                "vacant" if b is None else "occupé", str(unit.number), f"{STREET_TYPES[kind]} {name}", unit.iris,
                f"{unit.lon:.6f}".replace(".", ","), f"{unit.lat:.6f}".replace(".", ","),
                "" if b is None else category_of(b.naf), "" if b is None else ("indépendant" if b.independent else "enseigne"),
                "" if b is None else b.name, "" if b is None else b.naf, b.siret if b and b.listed else "",
            ])
    return out.getvalue().encode("utf-8-sig")


def _french(day: date) -> str:
    return day.strftime("%d/%m/%Y")


# --- the simulation ------------------------------------------------------------------------------

class _Registry:
    """Demo SIRENs (failing the Luhn check) and the NICs of each chain's shops."""

    def __init__(self, rng: random.Random) -> None:
        self.rng, self.used, self.chains = rng, set(), {}

    def siren(self) -> str:
        while True:
            body = f"{self.rng.randrange(10_000_000, 100_000_000)}"
            digit = (_luhn_digit(body) + 1 + self.rng.randrange(9)) % 10  # any digit but the valid one
            if body + str(digit) not in self.used:
                self.used.add(body + str(digit))
                return body + str(digit)

    def siret(self, chain: str | None) -> str:
        if chain is None:
            return self.siren() + "00011"
        siren, count = self.chains.get(chain) or (self.siren(), 0)
        self.chains[chain] = (siren, count + 1)
        return f"{siren}{10 * (count + 1) + 3:05d}"


def _luhn_digit(body: str) -> int:
    total = 0
    for i, char in enumerate(reversed(body)):  # the check digit will sit right of `body`
        d = int(char) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return (10 - total % 10) % 10


def _simulate(iris_geojson: Path, seed: int) -> list[Unit]:
    rng = random.Random(seed)
    registry = _Registry(rng)
    units = _place_units(rng, iris_geojson)
    _survey(rng, registry, units)
    for day, kind, area in _events(rng):
        _apply(rng, registry, units, day, kind, area)
    return units


def _place_units(rng: random.Random, iris_geojson: Path) -> list[Unit]:
    features = sorted(json.loads(iris_geojson.read_text(encoding="utf-8"))["features"],
                      key=lambda f: f["properties"]["CODE_IRIS"])
    polygons = {f["properties"]["CODE_IRIS"]: shape(f["geometry"]) for f in features
                if f["properties"]["INSEE_COM"] == COMMUNE}
    others = [code for code in polygons if code != HYPERCENTRE_IRIS]
    weights = [rng.uniform(0.3, 1.5) for _ in others]  # each quartier's own density of shops
    numbers: dict[tuple[str, str], int] = {}
    units = []
    for area, count in UNITS.items():
        streets = HYPERCENTRE_STREETS if area == "hypercentre" else OTHER_STREETS
        for _ in range(count):
            code = HYPERCENTRE_IRIS if area == "hypercentre" else rng.choices(others, weights)[0]
            street = rng.choice(streets)
            numbers[street] = numbers.get(street, 0) + rng.randint(1, 3)
            lon, lat = point_in(rng, polygons[code])
            units.append(Unit(f"ARR-{len(units) + 1:04d}", area, code, lon, lat, street, numbers[street]))
    return units




def _deck(rng: random.Random, weights: dict[str, float], size: int) -> list[str]:
    """`size` items in the weights' exact proportions (largest remainders), shuffled."""
    total = sum(weights.values())
    exact = {k: size * w / total for k, w in weights.items()}
    counts = {k: int(v) for k, v in exact.items()}
    for k in sorted(exact, key=lambda k: counts[k] - exact[k])[:size - sum(counts.values())]:
        counts[k] += 1
    deck = [k for k, n in counts.items() for _ in range(n)]
    rng.shuffle(deck)
    return deck


def _mix(area: str) -> dict[str, float]:
    return {naf: (hyper if area == "hypercentre" else rest) for naf, _, _, hyper, rest in ACTIVITIES}


def _business(rng: random.Random, registry: _Registry, naf: str, independent: bool) -> Business:
    prefix, chain = next((a[1], a[2]) for a in ACTIVITIES if a[0] == naf)
    chain = None if independent else chain
    name = f"{prefix} {rng.choice(NAMES)}" if independent else chain
    if naf == "47.24Z" and rng.random() < CRAFT_BAKERY:
        naf = "10.71C"
    return Business(name, naf, independent, registry.siret(chain), rng.random() < LISTED_SIRET)


def _survey(rng: random.Random, registry: _Registry, units: list[Unit]) -> None:
    """The state at the survey: exact vacant counts, activity mixes and independent share."""
    occupied_units = []
    for area in UNITS:
        members = [u for u in units if u.area == area]
        vacant = set(rng.sample(range(len(members)), VACANT_AT_SURVEY[area]))
        for i, unit in enumerate(members):
            if i in vacant:
                unit.periods.append(Period(SURVEY - timedelta(days=rng.randint(30, 2000))))
            else:
                occupied_units.append(unit)
    independent = _deck(rng, {True: INDEPENDENT, False: 1 - INDEPENDENT}, len(occupied_units))
    decks = {area: _deck(rng, _mix(area), sum(u.area == area for u in occupied_units)) for area in UNITS}
    for unit, alone in zip(occupied_units, independent):
        age = min(40 * 365, int(rng.expovariate(1 / (7 * 365)))) + 1
        business = _business(rng, registry, decks[unit.area].pop(), alone)
        unit.periods.append(Period(SURVEY - timedelta(days=age), business=business))


def _events(rng: random.Random) -> list[tuple[date, str, str]]:
    """Every opening, closure, takeover and conversion of 2016-2025, in date order."""
    events = []
    for year, (openings, closures) in FLOWS.items():
        share_open, share_close = HYPERCENTRE_SHARE["until-2020" if year <= 2020 else "after"]
        hyper_open, hyper_close = round(openings * share_open), round(closures * share_close)
        for area, opened, closed in (("hypercentre", hyper_open, hyper_close),
                                     ("rest", openings - hyper_open, closures - hyper_close)):
            taken = round(TAKEOVER * closed)
            kinds = ["takeover"] * taken + ["close"] * (closed - taken) + ["open"] * (opened - taken)
            kinds += ["convert"] * (area == "rest" and year in CONVERSION_YEARS)
            days = (date(year, 12, 31) - date(year, 1, 1)).days + 1
            events += [(date(year, 1, 1) + timedelta(days=rng.randrange(days)), kind, area) for kind in kinds]
    return sorted(events)


def _apply(rng: random.Random, registry: _Registry, units: list[Unit], day: date, kind: str, area: str) -> None:
    want_vacant = kind in ("open", "convert")
    candidates = [u for u in units if u.area == area and u.current.end is None and u.current.start < day
                  and (u.current.business is None) == want_vacant]
    if not candidates:
        return
    unit = rng.choice(candidates)
    unit.current.end = day
    if kind == "convert":
        return  # the unit leaves the stock: no period follows
    if kind == "close":
        unit.periods.append(Period(day))
        return
    naf = rng.choices(*zip(*_mix(area).items()))[0]
    unit.periods.append(Period(day, business=_business(rng, registry, naf, rng.random() < INDEPENDENT)))


# --- Sirene --------------------------------------------------------------------------------------

SIRENE_COLUMNS = [
    "siren", "nic", "siret", "statutDiffusionEtablissement", "dateCreationEtablissement",
    "trancheEffectifsEtablissement", "anneeEffectifsEtablissement", "activitePrincipaleRegistreMetiersEtablissement",
    "dateDernierTraitementEtablissement", "etablissementSiege", "nombrePeriodesEtablissement",
    "complementAdresseEtablissement", "numeroVoieEtablissement", "indiceRepetitionEtablissement",
    "dernierNumeroVoieEtablissement", "indiceRepetitionDernierNumeroVoieEtablissement", "typeVoieEtablissement",
    "libelleVoieEtablissement", "codePostalEtablissement", "libelleCommuneEtablissement",
    "libelleCommuneEtrangerEtablissement", "distributionSpecialeEtablissement", "codeCommuneEtablissement",
    "codeCedexEtablissement", "libelleCedexEtablissement", "codePaysEtrangerEtablissement",
    "libellePaysEtrangerEtablissement", "identifiantAdresseEtablissement", "coordonneeLambertAbscisseEtablissement",
    "coordonneeLambertOrdonneeEtablissement", "complementAdresse2Etablissement", "numeroVoie2Etablissement",
    "indiceRepetition2Etablissement", "typeVoie2Etablissement", "libelleVoie2Etablissement", "codePostal2Etablissement",
    "libelleCommune2Etablissement", "libelleCommuneEtranger2Etablissement", "distributionSpeciale2Etablissement",
    "codeCommune2Etablissement", "codeCedex2Etablissement", "libelleCedex2Etablissement",
    "codePaysEtranger2Etablissement", "libellePaysEtranger2Etablissement", "dateDebut", "etatAdministratifEtablissement",
    "enseigne1Etablissement", "enseigne2Etablissement", "enseigne3Etablissement", "denominationUsuelleEtablissement",
    "activitePrincipaleEtablissement", "nomenclatureActivitePrincipaleEtablissement", "caractereEmployeurEtablissement",
]
AT_HOME, UNDECLARED, PARTIAL, OTHER_CODE = 0.10, 0.15, 0.05, 0.08  # shares described in the module's docstring
# Declared codes other than the shop's: coarser classes, and craftsmen's manufacturing codes (out of scope).
OTHER_CODES = {"47.71Z": "47.78C", "56.10A": "56.10C", "47.75Z": "47.78C", "96.02B": "96.04Z",
               "47.77Z": "32.12Z", "47.29Z": "10.82Z"}
# Establishments with no shop front: (NAF code, nomenclature, how many).
WITHOUT_SHOP = [("47.91B", "NAFRev2", 40), ("47.81Z", "NAFRev2", 15), ("47.82Z", "NAFRev2", 10),
                ("47.89Z", "NAFRev2", 10), ("56.21Z", "NAFRev2", 12), ("56.10C", "NAFRev2", 8),
                ("62.01Z", "NAFRev2", 30), ("69.20Z", "NAFRev2", 12), ("86.21Z", "NAFRev2", 15),
                ("43.21A", "NAFRev2", 15), ("68.31Z", "NAFRev2", 15), ("52.4C", "NAFRev1", 6)]


def sirene_extract(iris_geojson: Path, seed: int = 62041) -> bytes:
    """The inventory's businesses as Sirene establishments, and establishments without a shop
    (`,`, UTF-8, Sirene 3.11 columns), the same bytes for the same arguments."""
    units = _simulate(iris_geojson, seed)
    rng = random.Random(f"sirene-{seed}")
    homes = [u for u in units if u.area == "rest"]
    rows = []
    for unit in units:
        for period in unit.periods:
            if period.business is not None:
                rows.append(_establishment(rng, unit, period, homes))
    registry = _Registry(rng)
    registry.used |= {row["siren"] for row in rows}
    for naf, nomenclature, count in WITHOUT_SHOP:
        for _ in range(count):
            rows.append(_without_shop(rng, registry, naf, nomenclature, _home(rng, homes)))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(SIRENE_COLUMNS)
    writer.writerows([row.get(c, "") for c in SIRENE_COLUMNS] for row in sorted(rows, key=lambda r: r["siret"]))
    return out.getvalue().encode("utf-8")


def _establishment(rng: random.Random, unit: Unit, period: Period, homes: list[Unit]) -> dict[str, str]:
    b = period.business
    created = period.start - timedelta(days=rng.randint(0, 90))
    place = _home(rng, homes) if b.independent and rng.random() < AT_HOME else unit
    declared = period.end and max(created, period.end + timedelta(days=rng.randint(-15, 45)))
    closed = declared is not None and declared <= LAST_DAY and rng.random() > UNDECLARED
    naf = OTHER_CODES.get(b.naf, b.naf) if rng.random() < OTHER_CODE else b.naf
    band = rng.choice(["NN", "NN", "00", "01", "02"]) if b.independent else rng.choice(["01", "02", "03", "11"])
    row = {
        "siren": b.siret[:9], "nic": b.siret[9:], "siret": b.siret, "statutDiffusionEtablissement": "O",
        "dateCreationEtablissement": created.isoformat(), "trancheEffectifsEtablissement": band,
        "anneeEffectifsEtablissement": "" if band == "NN" else "2023",
        "etablissementSiege": "true" if b.independent else "false", "nombrePeriodesEtablissement": "2" if closed else "1",
        "dateDebut": (declared if closed else created).isoformat(),
        "etatAdministratifEtablissement": "F" if closed else "A",
        "enseigne1Etablissement": _upper(b.name) if rng.random() < 0.7 else "",
        "activitePrincipaleEtablissement": naf, "nomenclatureActivitePrincipaleEtablissement": "NAFRev2",
        "caractereEmployeurEtablissement": "N" if band in ("NN", "00") else "O",
    }
    last = max(created, period.end or created) + timedelta(days=rng.randint(1, 200))
    row["dateDernierTraitementEtablissement"] = min(last, LAST_DAY).isoformat() + "T" + _clock(rng)
    row |= _address(rng, place)
    if b.independent and rng.random() < PARTIAL:
        row |= _masked()
    return row


def _without_shop(rng: random.Random, registry: _Registry, naf: str, nomenclature: str, home: Unit) -> dict[str, str]:
    old = nomenclature != "NAFRev2"
    created = date(1985 if old else 1998, 1, 1) + timedelta(days=rng.randrange(20 * 365 if old else 27 * 365))
    created = min(created, LAST_DAY - timedelta(days=30))
    closed = old or rng.random() < 0.3
    last = date(2007, 12, 31) if old else LAST_DAY  # an older nomenclature's code: closed before NAF rév. 2
    end = min(last, created + timedelta(days=rng.randint(200, 4000))) if closed else None
    siret = registry.siret(None)
    row = {
        "siren": siret[:9], "nic": siret[9:], "siret": siret,
        "statutDiffusionEtablissement": "O", "dateCreationEtablissement": created.isoformat(),
        "trancheEffectifsEtablissement": "NN", "etablissementSiege": "true",
        "nombrePeriodesEtablissement": "2" if closed else "1",
        "dateDernierTraitementEtablissement": (end or created).isoformat() + "T" + _clock(rng),
        "dateDebut": (end or created).isoformat(), "etatAdministratifEtablissement": "F" if closed else "A",
        "activitePrincipaleEtablissement": naf, "nomenclatureActivitePrincipaleEtablissement": nomenclature,
        "caractereEmployeurEtablissement": "N",
    }
    row |= _address(rng, home)
    if rng.random() < PARTIAL:
        row |= _masked()
    return row


def _home(rng: random.Random, homes: list[Unit]) -> Unit:
    """A home address outside the hypercentre: another street and number, near a unit of its IRIS."""
    near = rng.choice(homes)
    return Unit("", "rest", near.iris, near.lon, near.lat, rng.choice(OTHER_STREETS), rng.randint(1, 250))


def _address(rng: random.Random, unit: Unit) -> dict[str, str]:
    x, y = wgs84_to_lambert93(unit.lon, unit.lat)
    kind, name = unit.street
    return {
        "numeroVoieEtablissement": str(unit.number), "typeVoieEtablissement": kind,
        "libelleVoieEtablissement": _upper(name), "codePostalEtablissement": POSTCODE,
        "libelleCommuneEtablissement": COMMUNE_NAME, "codeCommuneEtablissement": COMMUNE,
        "coordonneeLambertAbscisseEtablissement": f"{float(x) + rng.uniform(-5, 5):.1f}",
        "coordonneeLambertOrdonneeEtablissement": f"{float(y) + rng.uniform(-5, 5):.1f}",
    }


def _masked() -> dict[str, str]:
    """A sole trader under partial diffusion: the address below the commune and the coordinates withheld."""
    hidden = ("numeroVoieEtablissement", "typeVoieEtablissement", "libelleVoieEtablissement",
              "coordonneeLambertAbscisseEtablissement", "coordonneeLambertOrdonneeEtablissement")
    return {"statutDiffusionEtablissement": "P"} | dict.fromkeys(hidden, "[ND]")


def _upper(text: str) -> str:
    """As Sirene writes names: capitals, no accents, apostrophes as spaces."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return plain.upper().replace("'", " ")


def _clock(rng: random.Random) -> str:
    seconds = rng.randrange(86_400)
    return f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


DEMO_INVENTORY = "demo-commerces-arras-2016-2025.csv"
DEMO_SIRENE = "demo-sirene-etablissements-arras.csv"


def write_files(sources: Path) -> list[Path]:
    """(Re)write the commerce demo files under `sources/commerce/`; returns their paths."""
    iris = sources / "geo" / "iris-2020-arras-62041.geojson"
    files = {sources / "commerce" / DEMO_INVENTORY: shop_inventory(iris),
             sources / "commerce" / DEMO_SIRENE: sirene_extract(iris)}
    for path, content in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    return list(files)

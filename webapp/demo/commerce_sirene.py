"""The demo Sirene extract's format and departures from the inventory: the StockEtablissement columns
(format 3.11), the shares of home registrations, undeclared closures, partial diffusion and other
codes, the establishments without a shop, and the rows of one establishment."""

from __future__ import annotations

import random
import unicodedata
from datetime import date, timedelta

from webapp.data.importers.commerce import wgs84_to_lambert93
from webapp.demo.commerce_simulation import _Registry
from webapp.demo.commerce_units import (
    COMMUNE,
    COMMUNE_NAME,
    LAST_DAY,
    OTHER_STREETS,
    POSTCODE,
    Period,
    Unit,
)

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

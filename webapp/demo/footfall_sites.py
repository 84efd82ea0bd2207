"""The 24 demo counting points of the centre of Arras (`Site`, `SITES`), their Flux Vision zones
(`ZONES`) and the ids of their sites and channels in the counting schema; see `webapp.demo.footfall`."""

from __future__ import annotations

from dataclasses import dataclass

# --- counting points ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Site:
    code: str
    name: str
    lon: float
    lat: float
    kind: str  # square | shopping | street | station (selects the profile and the effects)
    weight: float  # passages on an ordinary pre-Covid Tuesday-Thursday, before calibration
    infrastructure: str  # the schema's infrastructure_type
    directions: tuple[tuple[str, str], ...] = ()  # (cardinal direction, "towards …") per channel; () one channel
    market: float = 0.0  # share of the market-morning boost
    christmas: float = 0.0  # share of the Christmas-market boost
    zone: str = ""  # Flux Vision observation zone


SITES = (
    Site("P01", "Grand-Place (ouest)", 2.7791, 50.2917, "square", 3200, "OTHER", market=1.0, christmas=1.0,
         zone="Grand-Place"),
    Site("P02", "Grand-Place (centre)", 2.7801, 50.2920, "square", 3800, "OTHER", market=1.0, christmas=1.0,
         zone="Grand-Place"),
    Site("P03", "Grand-Place (est)", 2.7812, 50.2922, "square", 2800, "OTHER", market=0.8, christmas=0.8,
         zone="Grand-Place"),
    Site("P04", "Place des Héros (beffroi)", 2.7769, 50.2906, "square", 4200, "OTHER", market=1.0, christmas=0.2,
         zone="Place des Héros"),
    Site("P05", "Place des Héros (est)", 2.7784, 50.2909, "square", 3600, "OTHER", market=1.0, christmas=0.3,
         zone="Place des Héros"),
    Site("P06", "Rue de la Taillerie", 2.7788, 50.2913, "shopping", 5200, "FOOTPATH",
         (("NE", "vers la Grand-Place"), ("SW", "vers la place des Héros")), market=0.4, christmas=0.4,
         zone="Rues commerçantes"),
    Site("P07", "Place de la Vacquerie", 2.7760, 50.2901, "square", 2000, "OTHER", market=0.8,
         zone="Place des Héros"),
    Site("P08", "Rue Ernestale", 2.7752, 50.2893, "shopping", 6800, "FOOTPATH",
         (("N", "vers la place du Théâtre"), ("S", "vers la rue Gambetta")), zone="Rues commerçantes"),
    Site("P09", "Rue Gambetta (place Foch)", 2.7793, 50.2878, "shopping", 5000, "MUNICIPAL ROAD",
         (("E", "vers la gare"), ("W", "vers le centre")), zone="Rues commerçantes"),
    Site("P10", "Rue Gambetta (rue Ernestale)", 2.7765, 50.2886, "shopping", 6200, "MUNICIPAL ROAD",
         (("E", "vers la gare"), ("W", "vers la rue Ernestale")), zone="Rues commerçantes"),
    Site("P11", "Rue Saint-Aubert", 2.7745, 50.2905, "shopping", 5600, "MUNICIPAL ROAD",
         (("E", "vers la place des Héros"), ("W", "vers la place du Théâtre")), zone="Rues commerçantes"),
    Site("P12", "Rue Ronville", 2.7797, 50.2890, "shopping", 3000, "MUNICIPAL ROAD",
         (("N", "vers la place des Héros"), ("S", "vers la porte Ronville")), zone="Rues commerçantes"),
    Site("P13", "Rue Saint-Géry", 2.7770, 50.2922, "street", 1600, "MUNICIPAL ROAD"),
    Site("P14", "Place du Théâtre", 2.7740, 50.2897, "street", 2400, "OTHER"),
    Site("P15", "Rue des Trois-Visages", 2.7760, 50.2912, "street", 1500, "MUNICIPAL ROAD", zone="Rues commerçantes"),
    Site("P16", "Boulevard Faidherbe", 2.7830, 50.2880, "street", 1800, "MUNICIPAL ROAD", zone="Gare"),
    Site("P17", "Place Foch (gare)", 2.7806, 50.2872, "station", 5500, "OTHER",
         (("SE", "vers la gare"), ("NW", "vers le centre")), zone="Gare"),
    Site("P18", "Rue Désiré-Bras", 2.7733, 50.2905, "street", 1400, "MUNICIPAL ROAD"),
    Site("P19", "Rue Delansorne", 2.7748, 50.2888, "street", 1500, "MUNICIPAL ROAD", zone="Rues commerçantes"),
    Site("P20", "Rue de la Braderie", 2.7775, 50.2918, "street", 1300, "MUNICIPAL ROAD", zone="Rues commerçantes"),
    Site("P21", "Rue Paul-Doumer", 2.7748, 50.2918, "street", 1500, "MUNICIPAL ROAD"),
    Site("P22", "Place du Wetz d'Amain", 2.7776, 50.2928, "street", 1100, "OTHER"),
    Site("P23", "Rue des Jongleurs", 2.7738, 50.2890, "street", 900, "MUNICIPAL ROAD", zone="Rues commerçantes"),
    Site("P24", "Boulevard Carnot", 2.7770, 50.2880, "street", 2000, "MUNICIPAL ROAD", zone="Gare"),
)
ZONES = ("Grand-Place", "Place des Héros", "Rues commerçantes", "Gare")


def site_id(site: Site) -> str:
    return f"ARRAS-{site.code}"


def channel_ids(site: Site) -> list[str]:
    return [f"ARRAS-{site.code}-{i}" for i in range(1, max(len(site.directions), 1) + 1)]

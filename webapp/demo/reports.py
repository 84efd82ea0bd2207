"""A deterministic demo export of the city's reporting app, until the real export is imported.

`reports_export` writes what a reporting app ("Tell my city" and the like) exports: `;`, UTF-8
with BOM, CRLF, dates JJ/MM/AAAA, decimal commas, one row per report from 1 January 2023 to the
export on 31 December 2025, with the columns of our schema (`data/schemas/signalements.json`) in
the app's own order and, around them, the free-text and personal columns such exports carry
(`description`, `commentaire`, `nom`, `email`, `telephone`, `adresse`, `photo`). Those are filled
with obviously fake text ("Texte fictif", "fictif@exemple.invalid", "00 00 00 00 00"): they are
there to prove that the importer drops them and that the stored file never holds them.

The demo's assumptions (no real series of Arras is published):

- about 750 reports in 2023, 880 in 2024 and 1,000 in 2025, the app being adopted;
- categories in the proportions published for a comparable town (Montauban, 2019: about 40 %
  cleanliness and waste, 30 % roads and signs, 13 % public lighting), each sub-category with its
  season: potholes after the winter's frosts (February to April), litter in summer, lighting when
  nights are long, dead leaves in October and November, mowing and weeding in May and June;
- fewer reports on Sundays; more in the hypercentre, where most people walk;
- resolution times by sub-category (median from a day and a half for a full litter bin to five
  weeks for a pavement), spread as a log-normal, about a quarter shorter each year from 2023 to
  2025, and longer for potholes in spring, when they pile up; about one report in twenty
  rejected (more for tags and posters, often on private walls), within a few days;
- reports still unresolved at the export stay open: "nouveau" when made in the last two days
  (or, for one in ten, not yet handled), "en cours" otherwise;
- most reports carry the phone's coordinates only (drawn inside their IRIS), some the IRIS code the
  city added from a typed address, some both.
"""

from __future__ import annotations

import csv
import io
import json
import math
import random
from calendar import monthrange
from datetime import date, timedelta
from pathlib import Path

from shapely.geometry import shape

from webapp.demo.geometry import point_in

COMMUNE = "62041"
DEMO_EXPORT = "demo-signalements-arras-2023-2025.csv"
EXPORT_DAY = date(2025, 12, 31)
VOLUMES = {2023: 750, 2024: 880, 2025: 1000}
HYPERCENTRE_IRIS, HYPERCENTRE_WEIGHT = "620410801", 3.0
SPEED_UP = {2023: 1.0, 2024: 0.87, 2025: 0.76}  # resolution times against 2023's
SPREAD = 0.8  # sigma of the log-normal resolution times
SUNDAY = 0.55  # Sunday's reports against another day's
EXPORT_COLUMNS = ["id_signalement", "date_creation", "statut", "categorie", "sous_categorie", "description", "adresse",
                  "code_iris", "longitude", "latitude", "nom", "email", "telephone", "photo", "commentaire",
                  "date_cloture"]

FLAT = (1,) * 12
AFTER_FROST = (1.3, 2.0, 2.2, 1.6, 0.9, 0.6, 0.5, 0.5, 0.6, 0.7, 0.8, 1.0)
SUMMER = (0.7, 0.7, 0.8, 1.0, 1.2, 1.4, 1.5, 1.4, 1.1, 0.9, 0.7, 0.7)
LONG_NIGHTS = (1.6, 1.3, 1.0, 0.7, 0.5, 0.4, 0.4, 0.6, 0.9, 1.3, 1.6, 1.7)
LEAVES = (0.3, 0.1, 0, 0, 0, 0, 0, 0.1, 0.8, 3.5, 4.5, 2.7)
GROWTH = (0, 0, 0.3, 1.2, 2.5, 3.0, 2.5, 1.5, 0.8, 0.2, 0, 0)
STORMS = (1.6, 1.5, 1.2, 0.8, 0.6, 0.6, 0.7, 0.7, 0.8, 1.1, 1.3, 1.6)
WARM = (0.8, 0.8, 1.0, 1.1, 1.2, 1.2, 1.1, 1.0, 1.0, 1.0, 0.9, 0.8)

# category, sub-category, share of all reports, season, median days to resolve (2023), share rejected
KINDS = [
    ("voirie", "nid-de-poule", 0.14, AFTER_FROST, 18, 0.06),
    ("voirie", "chaussee-trottoir", 0.09, FLAT, 35, 0.08),
    ("voirie", "signalisation", 0.05, FLAT, 12, 0.06),
    ("proprete", "depot-sauvage", 0.20, SUMMER, 2, 0.03),
    ("proprete", "dechets-corbeille", 0.12, SUMMER, 1.5, 0.03),
    ("proprete", "dejections-canines", 0.06, FLAT, 3, 0.05),
    ("eclairage", "lampadaire-eteint", 0.10, LONG_NIGHTS, 9, 0.04),
    ("eclairage", "eclairage-defectueux", 0.03, LONG_NIGHTS, 12, 0.05),
    ("graffitis", "tag", 0.06, WARM, 10, 0.15),
    ("graffitis", "affichage-sauvage", 0.02, FLAT, 5, 0.10),
    ("espaces-verts", "feuilles-mortes", 0.03, LEAVES, 5, 0.04),
    ("espaces-verts", "arbre-branche", 0.02, STORMS, 12, 0.08),
    ("espaces-verts", "tonte-desherbage", 0.03, GROWTH, 14, 0.06),
    ("mobilier-urbain", "banc-abribus", 0.025, FLAT, 25, 0.08),
    ("mobilier-urbain", "potelet-barriere", 0.015, FLAT, 20, 0.06),
    ("mobilier-urbain", "aire-de-jeux", 0.01, SUMMER, 15, 0.05),
]
PLACE = {"coordinates": 0.80, "both": 0.12}  # the rest: the IRIS code only


def _poisson(rng: random.Random, mean: float) -> int:
    """A Poisson draw (Knuth's method: the means here stay well under a hundred)."""
    limit, k, p = math.exp(-mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def _day_in(rng: random.Random, year: int, month: int) -> date:
    """A day of the month, Sundays less likely."""
    days = [date(year, month, d) for d in range(1, monthrange(year, month)[1] + 1)]
    return rng.choices(days, [SUNDAY if d.weekday() == 6 else 1.0 for d in days])[0]


def _iris(iris_geojson: Path, rng: random.Random) -> tuple[list[tuple[str, object]], list[float]]:
    features = sorted(json.loads(iris_geojson.read_text(encoding="utf-8"))["features"],
                      key=lambda f: f["properties"]["CODE_IRIS"])
    places = [(f["properties"]["CODE_IRIS"], shape(f["geometry"])) for f in features
              if f["properties"]["INSEE_COM"] == COMMUNE]
    weights = [HYPERCENTRE_WEIGHT if code == HYPERCENTRE_IRIS else rng.uniform(0.35, 1.5) for code, _ in places]
    return places, weights


def _reports(iris_geojson: Path, seed: int) -> list[dict[str, object]]:
    """Every report of the demo, in order of creation (then of kind), with its place and outcome."""
    rng = random.Random(seed)
    places, weights = _iris(iris_geojson, rng)
    out = []
    for year, volume in VOLUMES.items():
        for month in range(1, 13):
            for category, sub, share, season, median, rejected in KINDS:
                mean = volume * share * season[month - 1] / (sum(season) / 12) / 12
                for _ in range(_poisson(rng, mean)):
                    created = _day_in(rng, year, month)
                    slow = 1.4 if sub == "nid-de-poule" and month in (2, 3, 4) else 1.0
                    if rng.random() < rejected:
                        status, days = "rejeté", rng.randint(0, 6)
                    else:
                        status = "résolu"
                        days = max(0, round(rng.lognormvariate(math.log(median * SPEED_UP[year] * slow), SPREAD)))
                    out.append({"created": created, "category": category, "sub": sub, "status": status,
                                "days": days, "place": rng.choices(places, weights)[0], "draw": rng.random()})
    out.sort(key=lambda r: r["created"])
    return out


def _fr(value: float) -> str:
    return f"{value:.6f}".replace(".", ",")


def reports_export(iris_geojson: Path, seed: int = 62041) -> bytes:
    """The demo export (`;`, UTF-8 with BOM, CRLF, JJ/MM/AAAA, decimal commas), the same bytes every time."""
    rng = random.Random(seed + 1)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(EXPORT_COLUMNS)
    numbers: dict[int, int] = {}
    for report in _reports(iris_geojson, seed):
        created: date = report["created"]
        numbers[created.year] = numbers.get(created.year, 0) + 1
        n = numbers[created.year]
        closed = created + timedelta(days=report["days"])
        status = report["status"]
        if closed > EXPORT_DAY:  # not done yet on the day of the export
            closed = None
            status = "nouveau" if (EXPORT_DAY - created).days <= 2 or report["draw"] < 0.1 else "en cours"
        code, polygon = report["place"]
        where = rng.random()
        lon = lat = ""
        if where < PLACE["coordinates"] + PLACE["both"]:
            x, y = point_in(rng, polygon)
            lon, lat = _fr(x), _fr(y)
        iris = code if where >= PLACE["coordinates"] else ""
        writer.writerow([
            f"SIG-{created.year}-{n:05d}", created.strftime("%d/%m/%Y"), status, report["category"], report["sub"],
            "Texte fictif", "Rue Fictive" if iris else "", iris, lon, lat, "Fictif" if rng.random() < 0.5 else "",
            "fictif@exemple.invalid" if rng.random() < 0.4 else "", "00 00 00 00 00" if rng.random() < 0.15 else "",
            "fictive.jpg" if rng.random() < 0.4 else "",
            "Réponse fictive" if closed else "", closed.strftime("%d/%m/%Y") if closed else "",
        ])
    return out.getvalue().encode("utf-8-sig")


def write_files(sources: Path) -> list[Path]:
    """(Re)write the reports demo file under `sources/signalements/`; returns its path."""
    path = sources / "signalements" / DEMO_EXPORT
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(reports_export(sources / "geo" / "iris-2020-arras-62041.geojson"))
    return [path]

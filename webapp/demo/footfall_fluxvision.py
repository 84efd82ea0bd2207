"""The format and the assumptions of the demo Orange Flux Vision presence export: its columns, the
suppression of small volumes, residents and visitors per zone, tourist share, provenance shares and the
origin départements and countries, and the split of a volume among its origins."""

from __future__ import annotations

import numpy as np

FLUX_VISION_COLUMNS = ["Date", "ZoneObservation", "Provenance", "CategorieVisiteur", "Volume", "JourDeLaSemaine",
                       "VacancesA", "VacancesB", "VacancesC", "Ferie"]
FLUX_VISION_ORIGIN_COLUMNS = ["CodeDepartement", "NomDepartement", "Pays"]
SUPPRESSED_BELOW = 20  # Flux Vision volumes below this are not published


# --- the file: Orange Flux Vision presence --------------------------------------------------------

WEEKDAYS_FR = ("Lundi", "Mardi", "Mercredi", "Jeudi", "Vendredi", "Samedi", "Dimanche")
# Residents present in a zone on an ordinary day, and visitors (excursionists and tourists) per passage
# counted at the zone's points: assumptions for the demo.
RESIDENTS = {"Grand-Place": 450, "Place des Héros": 380, "Rues commerçantes": 1400, "Gare": 900}
VISITORS_PER_PASSAGE = 0.45
TOURIST_SHARE = 0.07  # of visitors on an ordinary day
# Origin shares by category: Local (the zone's département), NonLocal (the rest of France), Etranger.
PROVENANCE = {"Excursionniste": (0.72, 0.25, 0.03), "Touriste": (0.08, 0.62, 0.30)}
DEPARTEMENTS = (  # (code, name, weight among excursionists, weight among tourists), NonLocal only
    ("59", "Nord", 45, 18), ("80", "Somme", 12, 5), ("60", "Oise", 5, 4), ("02", "Aisne", 5, 3),
    ("75", "Paris", 6, 16), ("92", "Hauts-de-Seine", 3, 8), ("93", "Seine-Saint-Denis", 2, 4),
    ("94", "Val-de-Marne", 2, 4), ("78", "Yvelines", 2, 5), ("76", "Seine-Maritime", 3, 5), ("51", "Marne", 2, 3),
    ("69", "Rhône", 1, 4), ("33", "Gironde", 1, 3), ("44", "Loire-Atlantique", 1, 3),
)
COUNTRIES = (  # (name, weight among excursionists, weight among tourists), Etranger only
    ("Belgique", 45, 25), ("Royaume-Uni", 20, 35), ("Pays-Bas", 12, 12), ("Allemagne", 8, 8),
    ("Australie", 2, 6), ("Canada", 2, 5), ("États-Unis", 3, 4), ("Nouvelle-Zélande", 1, 3),
)
LOCAL_DEPARTEMENT = ("62", "Pas-de-Calais")


def _origins(provenance: str, category: str, volume: float, rng: np.random.Generator, detailed: bool,
             weights: list[tuple[tuple[str, str, str], int]]) -> list[tuple[str, str, float, tuple[str, ...]]]:
    if not detailed:
        return [(provenance, category, volume, ("", "", ""))]
    w = np.array([x for _, x in weights], dtype=float) * rng.lognormal(-0.15 ** 2 / 2, 0.15, len(weights))
    return [(provenance, category, volume * share, origin) for (origin, _), share in zip(weights, w / w.sum())]

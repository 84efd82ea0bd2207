"""INSEE's Sirene establishments (`sirene-etablissements`): the shops, restaurants and personal
services among them, their categories, and Lambert 93 coordinates projected to WGS84. The rules
are in `webapp.data.importers.commerce`'s docstring.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from webapp.data.importers.commerce_inventory import Source, _dates, _schema_frame  # the readers' shared helpers

# NAF rév. 2 prefix (group "47.2", class "47.71" or subclass "47.78A") -> category; the longest prefix wins.
NAF_CATEGORIES = {
    "10.13B": "alimentaire", "10.71C": "alimentaire", "10.71D": "alimentaire",
    "47.11": "alimentaire", "47.19": "autre", "47.2": "alimentaire", "47.26": "culture-loisirs",
    "47.4": "equipement-maison", "47.5": "equipement-maison", "47.6": "culture-loisirs",
    "47.71": "equipement-personne", "47.72": "equipement-personne", "47.77": "equipement-personne",
    "47.73": "hygiene-sante-beaute", "47.74": "hygiene-sante-beaute", "47.75": "hygiene-sante-beaute",
    "47.78A": "hygiene-sante-beaute", "47.76": "equipement-maison", "47.78": "autre", "47.79": "autre",
    "55.10": "cafe-hotel-restaurant", "56.10": "cafe-hotel-restaurant", "56.30": "cafe-hotel-restaurant",
    "96.02": "hygiene-sante-beaute", "96.04": "hygiene-sante-beaute",
    "96.01B": "services", "95.23": "services", "95.25": "services", "79.11": "services",
}
REPETITION = {"B": "bis", "T": "ter", "Q": "quater", "C": "quinquies"}
SIRENE_COLUMNS = ["siret", "siren", "name", "naf_code", "category", "open", "created", "closed", "street_number",
                  "street", "postal_code", "commune_code", "head_office", "employer", "partial_diffusion",
                  "longitude", "latitude"]


# --- Sirene ------------------------------------------------------------------------------------

def category_of(code: str | None) -> str | None:
    """The observatory's category of a NAF rév. 2 code, None outside the commerce scope."""
    if not isinstance(code, str):
        return None
    # The longest prefix wins: subclass 47.78A before class 47.78, class 47.26 before group 47.2.
    return next((NAF_CATEGORIES[code[:n]] for n in (6, 5, 4) if code[:n] in NAF_CATEGORIES), None)


def naf_category(codes: pd.Series) -> pd.Series:
    """`category_of` each code (a file repeats a few hundred codes: each is looked up once)."""
    lookup = {code: category_of(code) for code in codes.dropna().unique()}
    return codes.map(lookup).astype(object).where(codes.notna(), None)


def read_sirene(source: Source) -> pd.DataFrame:
    """The shops, restaurants and personal services among Sirene's establishments (rules in
    `webapp.data.importers.commerce`'s docstring): one row each, open or closed, with its category,
    dates and coordinates."""
    df = _schema_frame(source, "sirene-etablissements")
    naf = df["activitePrincipaleEtablissement"].where(df["nomenclatureActivitePrincipaleEtablissement"] == "NAFRev2")
    category = naf_category(naf)
    df, category = df[category.notna()], category[category.notna()]
    closed = df["etatAdministratifEtablissement"] == "F"
    repetition = df["indiceRepetitionEtablissement"]
    number = df["numeroVoieEtablissement"].fillna("") + (" " + repetition.map(REPETITION).fillna(repetition)).fillna("")
    street = (df["typeVoieEtablissement"].fillna("") + " " + df["libelleVoieEtablissement"].fillna("")).str.strip()
    longitude, latitude = _coordinates(df)
    out = pd.DataFrame({
        "siret": df["siret"], "siren": df["siren"],
        "name": _text(df["enseigne1Etablissement"].fillna(df["denominationUsuelleEtablissement"])),
        "naf_code": df["activitePrincipaleEtablissement"], "category": category, "open": ~closed,
        "created": _dates(df["dateCreationEtablissement"]),
        "closed": _dates(df["dateDebut"]).where(closed),
        "street_number": _text(number.str.strip()), "street": _text(street),
        "postal_code": df["codePostalEtablissement"], "commune_code": df["codeCommuneEtablissement"],
        "head_office": df["etablissementSiege"] == "true",
        "employer": df["caractereEmployeurEtablissement"].map({"O": True, "N": False}).astype("boolean"),
        "partial_diffusion": df["statutDiffusionEtablissement"] == "P",
        "longitude": longitude, "latitude": latitude,
    }, index=df.index)
    return out[SIRENE_COLUMNS].reset_index(drop=True)


def _text(column: pd.Series) -> pd.Series:
    """Python strings, None where empty (as the other text columns)."""
    return column.astype(object).where(column.notna() & column.ne(""), None)


def _coordinates(df: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """WGS84 coordinates: Etalab's longitude/latitude, else INSEE's Lambert 93 (metropolitan communes)."""
    def number(name: str) -> np.ndarray:
        if name not in df.columns:
            return np.full(len(df), np.nan)
        return pd.to_numeric(df[name], errors="coerce").to_numpy(float)  # "[ND]": not published

    lon, lat = number("longitude"), number("latitude")
    x, y = number("coordonneeLambertAbscisseEtablissement"), number("coordonneeLambertOrdonneeEtablissement")
    metropolitan = ~df["codeCommuneEtablissement"].fillna("97").str.startswith(("97", "98")).to_numpy()
    x, y = np.where(metropolitan, x, np.nan), np.where(metropolitan, y, np.nan)
    projected_lon, projected_lat = lambert93_to_wgs84(x, y)
    missing = np.isnan(lon) | np.isnan(lat)
    return np.where(missing, projected_lon, lon), np.where(missing, projected_lat, lat)


# Lambert 93 (EPSG:2154): conformal conic on GRS80, standard parallels 44° and 49° N, origin 3° E
# 46.5° N at (700 000, 6 600 000) m. Formulas: IGN, "Projection cartographique conique conforme de
# Lambert" (notes ALG0002, ALG0004, ALG0019).
_A, _F = 6_378_137.0, 1 / 298.257222101
_E = np.sqrt(2 * _F - _F * _F)
_LON0, _LAT0, _LAT1, _LAT2, _X0, _Y0 = np.radians(3.0), np.radians(46.5), np.radians(44.0), np.radians(49.0), 700_000.0, 6_600_000.0


def _m(lat):
    return np.cos(lat) / np.sqrt(1 - (_E * np.sin(lat)) ** 2)


def _t(lat):
    return np.tan(np.pi / 4 - lat / 2) / ((1 - _E * np.sin(lat)) / (1 + _E * np.sin(lat))) ** (_E / 2)


_N = (np.log(_m(_LAT1)) - np.log(_m(_LAT2))) / (np.log(_t(_LAT1)) - np.log(_t(_LAT2)))
_AF = _A * _m(_LAT1) / (_N * _t(_LAT1) ** _N)
_RHO0 = _AF * _t(_LAT0) ** _N


def wgs84_to_lambert93(lon, lat) -> tuple[np.ndarray, np.ndarray]:
    """Longitude and latitude (degrees, GRS80/WGS84) to Lambert 93 metres."""
    lon, lat = np.radians(np.asarray(lon, float)), np.radians(np.asarray(lat, float))
    rho, theta = _AF * _t(lat) ** _N, _N * (lon - _LON0)
    return _X0 + rho * np.sin(theta), _Y0 + _RHO0 - rho * np.cos(theta)


def lambert93_to_wgs84(x, y) -> tuple[np.ndarray, np.ndarray]:
    """Lambert 93 metres to longitude and latitude in degrees (NaN stays NaN)."""
    dx, dy = np.asarray(x, float) - _X0, _RHO0 - (np.asarray(y, float) - _Y0)
    rho, theta = np.hypot(dx, dy), np.arctan2(dx, dy)
    t = (rho / _AF) ** (1 / _N)
    lat = np.pi / 2 - 2 * np.arctan(t)
    for _ in range(8):  # the fixed point converges to below a millimetre in four or five steps
        lat = np.pi / 2 - 2 * np.arctan(t * ((1 - _E * np.sin(lat)) / (1 + _E * np.sin(lat))) ** (_E / 2))
    return np.degrees(theta / _N + _LON0), np.degrees(lat)

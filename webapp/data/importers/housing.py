"""Readers for the housing files, as published: DVF géolocalisées (Etalab's geo-dvf CSV), INSEE's
census housing by IRIS (base infracommunale Logement) and Filosofi declared income by IRIS.

INSEE names its columns after the vintage (`P19_LOG`, `DEC_MED19`); the schemas write `yy` for those
two digits and `webapp.data.schema` renames them, keeping the year in `frame.attrs["vintage"]`.

DVF has one row per mutation, disposition, parcel and local (and per land use of the parcel), so a
sale spans several rows that all repeat its `valeur_fonciere`. The sales kept for prices follow
these rules, applied in this order (file format: data.gouv.fr "Demandes de valeurs foncières
géolocalisées"; `id_mutation` groups the rows of one mutation):

1. only `nature_mutation` = "Vente" (no off-plan sales, auctions, exchanges or expropriations);
2. one price per mutation: a mutation whose rows carry more than one `valeur_fonciere`
   (several dispositions priced separately) is left out, as is one with no price;
3. dwellings are the rows whose `type_local` is "Maison" or "Appartement", counted once each
   (the same local repeats on the rows of each land use of its parcel);
4. a mutation is kept when all its dwellings are of one type and it has no business premises
   ("Local industriel. commercial ou assimilé"); outbuildings ("Dépendance") and land are
   tolerated, their value being part of the price, as in most DVF studies;
5. price per m² = price / sum of the dwellings' built surfaces (`surface_reelle_bati`); a
   mutation whose dwellings have no built surface is left out.
Outliers are not dropped here: the story trims prices per m² per year and type (documented there).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from webapp.data.schema import load_schema, normalise
from webapp.data.tabular import read_source

Source = Path | pd.DataFrame
DWELLINGS = {"Maison": "maison", "Appartement": "appartement"}
BUSINESS = "Local industriel. commercial ou assimilé"
SALE_COLUMNS = ["id_mutation", "date", "year", "commune_code", "dwelling_type", "dwellings", "price",
                "surface", "price_m2", "rooms", "longitude", "latitude"]


def read_dvf_sales(source: Source) -> pd.DataFrame:
    """One row per sale of dwellings of a single type (rules in the module's docstring)."""
    df = read_source(source)
    df = df[df["nature_mutation"] == "Vente"].copy()
    df["valeur_fonciere"] = pd.to_numeric(df["valeur_fonciere"], errors="coerce")
    df["surface_reelle_bati"] = pd.to_numeric(df["surface_reelle_bati"], errors="coerce")
    df["nombre_pieces_principales"] = pd.to_numeric(df["nombre_pieces_principales"], errors="coerce")
    for col in ("longitude", "latitude"):
        df[col] = pd.to_numeric(df[col], errors="coerce")

    by_mutation = df.groupby("id_mutation", sort=False)
    prices = by_mutation["valeur_fonciere"].agg(["nunique", "first"])
    priced = prices[(prices["nunique"] == 1) & prices["first"].gt(0)]["first"]
    business = set(df.loc[df["type_local"] == BUSINESS, "id_mutation"])

    dwellings = df[df["type_local"].isin(DWELLINGS)]
    dwellings = dwellings.drop_duplicates(
        ["id_mutation", "id_parcelle", "type_local", "surface_reelle_bati", "nombre_pieces_principales"])
    per_sale = dwellings.groupby("id_mutation", sort=False).agg(
        types=("type_local", "nunique"), dwelling_type=("type_local", "first"), dwellings=("type_local", "size"),
        surface=("surface_reelle_bati", "sum"), rooms=("nombre_pieces_principales", "sum"),
        date=("date_mutation", "first"), commune_code=("code_commune", "first"),
        longitude=("longitude", "mean"), latitude=("latitude", "mean"),
    )
    per_sale = per_sale[(per_sale["types"] == 1) & per_sale["surface"].gt(0)
                        & per_sale.index.isin(priced.index) & ~per_sale.index.isin(business)]
    sales = per_sale.assign(
        price=priced.reindex(per_sale.index),
        dwelling_type=per_sale["dwelling_type"].map(DWELLINGS),
        year=per_sale["date"].str[:4].astype(int),
    ).reset_index()
    sales["price_m2"] = sales["price"] / sales["surface"]
    sales["rooms"] = sales["rooms"].astype(int)
    return sales[SALE_COLUMNS].reset_index(drop=True)


CENSUS_COLUMNS = {
    "Pyy_LOG": "dwellings", "Pyy_RP": "main_homes", "Pyy_RSECOCC": "second_homes", "Pyy_LOGVAC": "vacant",
    "Pyy_MAISON": "houses", "Pyy_APPART": "flats", "Pyy_RP_PROP": "owners", "Pyy_RP_LOC": "tenants",
    "Pyy_RP_LOCHLMV": "social_tenants",
}
INCOME_COLUMNS = {
    "DEC_MEDyy": "median_income", "DEC_Q1yy": "income_q1", "DEC_Q3yy": "income_q3",
    "DEC_TP60yy": "low_income_rate", "DEC_PIMPyy": "taxed_share", "DEC_GIyy": "gini",
}


def read_census_housing(source: Source) -> pd.DataFrame:
    """Dwellings by IRIS and census year: stock, main/second/vacant homes, houses/flats, tenure.

    INSEE's counts are weighted estimates (decimals); they are kept as published, rounding is for display.
    """
    df = _schema_frame(source, "logement-iris")
    out = pd.DataFrame({"iris_code": df["IRIS"], "commune_code": df["COM"], "year": df.attrs["vintage"]})
    for column, name in CENSUS_COLUMNS.items():
        out[name] = pd.to_numeric(df[column])
    return out


def read_filosofi(source: Source) -> pd.DataFrame:
    """Declared income per consumption unit by IRIS (empty: not published by INSEE, kept missing)."""
    df = _schema_frame(source, "revenus-iris")
    out = pd.DataFrame({"iris_code": df["IRIS"], "commune_code": df["COM"], "year": df.attrs["vintage"]})
    for column, name in INCOME_COLUMNS.items():
        out[name] = pd.to_numeric(df[column])
    return out


def _schema_frame(source: Source, slug: str) -> pd.DataFrame:
    """The table with the schema's column names (an upload arrives normalised; a path is read here)."""
    schema = load_schema(slug)
    if isinstance(source, pd.DataFrame) and "vintage" in source.attrs:
        return source
    return normalise(schema, read_source(source, schema.names))

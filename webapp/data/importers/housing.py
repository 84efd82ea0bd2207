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
3. dwellings are the rows whose `type_local` is "Maison" or "Appartement", each counted once:
   DVF writes every local of a parcel once per land use of that parcel (n locals x m land uses
   rows), so rows alike but for their land use are one dwelling, and identical dwellings sold
   together (same type, surface, rooms and lots) each count (`dwelling_counts`);
4. a mutation is kept when all its dwellings are of one type and it has no business premises
   ("Local industriel. commercial ou assimilé"); outbuildings ("Dépendance") and land are
   tolerated, their value being part of the price, as in most DVF studies;
5. price per m² = price / sum of the dwellings' built surfaces (`surface_reelle_bati`); a
   mutation whose dwellings have no built surface is left out.
Outliers are not dropped from the sales; `build_tables` sets them aside from the medians (rule there).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd
import shapely
from shapely.geometry import shape

from webapp.data.geography import department_of, read_iris
from webapp.data.schema import load_schema, normalise
from webapp.data.tabular import read_source

Source = Path | pd.DataFrame
DWELLINGS = {"Maison": "maison", "Appartement": "appartement"}
BUSINESS = "Local industriel. commercial ou assimilé"
SALE_COLUMNS = ["id_mutation", "date", "year", "commune_code", "dwelling_type", "dwellings", "price",
                "surface", "price_m2", "rooms", "longitude", "latitude"]


# A local's identity within a mutation (geo-dvf has no local id) and its parcel's land use.
LOCAL_KEY = ["id_mutation", "numero_disposition", "id_parcelle", "type_local", "surface_reelle_bati",
             "nombre_pieces_principales", *(f"lot{i}_numero" for i in range(1, 6))]
LAND_USE = ["code_nature_culture", "code_nature_culture_speciale", "surface_terrain"]


def dwelling_counts(rows: pd.DataFrame) -> pd.DataFrame:
    """One row per distinct dwelling of a mutation, with `count`: how many such dwellings were sold.

    Rows alike on `LOCAL_KEY` are k identical dwellings written once per land use of their parcel:
    k = rows / distinct land uses. Columns missing from a file (lots, land use) are not used.
    """
    if rows.empty:
        return rows.assign(count=pd.Series(dtype=int))
    key = [c for c in LOCAL_KEY if c in rows.columns]
    uses = [c for c in LAND_USE if c in rows.columns]
    cells = rows[uses].map(lambda v: "" if pd.isna(v) else str(v))
    land_use = cells.agg("|".join, axis=1) if uses else pd.Series("", index=rows.index)
    grouped = rows.assign(land_use=land_use).groupby(key, sort=False, dropna=False)
    count = grouped["land_use"].transform("size") // grouped["land_use"].transform("nunique").clip(lower=1)
    return rows.assign(count=count).drop_duplicates(key).reset_index(drop=True)


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

    dwellings = dwelling_counts(df[df["type_local"].isin(DWELLINGS)])
    dwellings = dwellings.assign(surface=dwellings["surface_reelle_bati"] * dwellings["count"],
                                 rooms=dwellings["nombre_pieces_principales"] * dwellings["count"])
    per_sale = dwellings.groupby("id_mutation", sort=False).agg(
        types=("type_local", "nunique"), dwelling_type=("type_local", "first"), dwellings=("count", "sum"),
        surface=("surface", "sum"), rooms=("rooms", "sum"),
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


MEDIAN_TYPES = {"Appartement": "appartement", "Maison": "maison", "Ensemble": "tous"}


def read_department_medians(source: Source) -> pd.DataFrame:
    """Quarterly median price per m² and sales per département and dwelling type, as published."""
    df = _schema_frame(source, "dvf-departements")
    return pd.DataFrame({
        "department": df["Department"], "quarter_start": pd.to_datetime(df["Date"]).dt.date,
        "dwelling_type": df["Type"].map(MEDIAN_TYPES), "median_price_m2": pd.to_numeric(df["PrixM2Median"]),
        "sales": pd.to_numeric(df["NbVentes"]).astype(int),
    })


# --- the curated tables ------------------------------------------------------------------------

MIN_SALES = 5  # fewer sales than this: no median is published (too few to be a price level)
FENCE = 3.0  # Tukey's "far out" fences


def set_aside_outliers(sales: pd.DataFrame) -> pd.Series:
    """True for the sales whose price per m² is an outlier of its commune, year and dwelling type.

    Rule: a price per m² below Q1 - 3 x IQR or above Q3 + 3 x IQR of the sales of the same type,
    year and commune (Tukey's "far out" values). DVF records every deed, including sales between
    relatives, shares of a property and typing errors of the surface, which give prices per m² tens
    of times off; the fences are wide enough to keep every ordinary sale of a street or a quartier.
    A group of fewer than `MIN_SALES` sales has no median and sets nothing aside.
    """
    keys = [sales["commune_code"], sales["year"], sales["dwelling_type"]]
    grouped = sales["price_m2"].groupby(keys)
    q1, q3, size = grouped.transform("quantile", 0.25), grouped.transform("quantile", 0.75), grouped.transform("size")
    iqr = q3 - q1
    outside = (sales["price_m2"] < q1 - FENCE * iqr) | (sales["price_m2"] > q3 + FENCE * iqr)
    return outside & (size >= MIN_SALES)


def locate_sales(sales: pd.DataFrame, iris: pd.DataFrame) -> pd.Series:
    """The IRIS code of each sale of a commune whose outlines are loaded ("" elsewhere or unlocated)."""
    codes = pd.Series("", index=sales.index, dtype=object)
    x, y = sales["longitude"].to_numpy(float), sales["latitude"].to_numpy(float)
    for row in iris.itertuples():
        polygon = shape(json.loads(row.geometry))
        shapely.prepare(polygon)
        inside = shapely.contains_xy(polygon, x, y) & (sales["commune_code"] == row.commune_code).to_numpy()
        codes[inside & (codes == "").to_numpy()] = row.code
    return codes


def price_spans(sales: pd.DataFrame) -> pd.DataFrame:
    """Sales and median price per m² for every span of years, town-wide and per IRIS, per type.

    Spans run over every pair of years between the first and the last year of the file; a span,
    place and type without any sale has no row (the story reads that as "no data").
    """
    if sales.empty:
        return pd.DataFrame(columns=[c.name for c in _price_columns()])
    both = sales.assign(dwelling_type="tous")
    rows = pd.concat([sales, both], ignore_index=True)
    located = rows[rows["iris_code"].fillna("") != ""]  # a sale outside every IRIS counts for the town only
    rows = pd.concat([located, rows.assign(iris_code="")], ignore_index=True)
    rows = rows[["commune_code", "iris_code", "dwelling_type", "year", "price_m2", "outlier"]]
    first, last = int(rows["year"].min()), int(rows["year"].max())
    keys = ["commune_code", "iris_code", "dwelling_type"]
    out = []
    for start in range(first, last + 1):
        for end in range(start, last + 1):
            span = rows[(rows["year"] >= start) & (rows["year"] <= end)]
            if span.empty:
                continue
            counts = span.groupby(keys).size().rename("sales")
            priced = span[~span["outlier"]].groupby(keys)["price_m2"]
            stats = pd.concat([counts, priced.size().rename("priced"), priced.median().rename("median_price_m2"),
                               priced.quantile(0.25).rename("q1_price_m2"),
                               priced.quantile(0.75).rename("q3_price_m2")], axis=1).reset_index()
            out.append(stats.assign(year_from=start, year_to=end))
    spans = pd.concat(out, ignore_index=True)
    spans["priced"] = spans["priced"].fillna(0).astype(int)
    few = spans["priced"] < MIN_SALES
    spans.loc[few, ["median_price_m2", "q1_price_m2", "q3_price_m2"]] = np.nan
    return spans


def _price_columns():
    from webapp.data.housing_tables import housing_price

    return [c for c in housing_price.columns if c.name != "build_id"]


def build_tables(sources: Mapping[str, Source]) -> dict[str, pd.DataFrame]:
    """The housing story's curated tables from its datasets' files (keyed by dataset slug).

    Only the communes whose IRIS outlines are loaded are kept: a département or national DVF,
    census or Filosofi file can be imported as published.
    """
    iris = read_iris(sources["iris-contours"])
    communes = set(iris["commune_code"])
    departments = {department_of(c) for c in communes}

    sales = read_dvf_sales(sources["dvf"])
    sales = sales[sales["commune_code"].isin(communes)].reset_index(drop=True)
    sales["iris_code"] = locate_sales(sales, iris)
    sales["outlier"] = set_aside_outliers(sales)

    reference = read_department_medians(sources["dvf-departements"])
    stock = read_census_housing(sources["logement-iris"])
    income = read_filosofi(sources["revenus-iris"])
    return {
        "housing_price": price_spans(sales),
        "housing_reference": reference[reference["department"].isin(departments)],
        "housing_stock": stock[stock["commune_code"].isin(communes)],
        "housing_income": income[income["commune_code"].isin(communes)],
    }

"""Readers and rollups of the citizen reports ("signalements") made through the city's reporting app.

The file (`signalements`, a schema of ours, `data/schemas/signalements.json`) has one row per
report: its id, the day it was made and the day it was closed (empty while open), its category and
sub-category, its status, and where it was made (an IRIS code, coordinates, or both). The reporting
app's export usually carries more: the resident's description, the agent's comment, name, e-mail,
phone, address, photo. Those columns are never read, and the file a version keeps is rewritten with
the schema's columns only (`webapp.data.publishing.SCHEMA_COLUMNS_ONLY`): no free text and no
personal data is ever stored.

Rules, applied in this order:

1. statuses: "nouveau" and "en cours" are open (no closing date), "résolu" and "rejeté" are closed
   (a closing date, on or after the creation day); `report_problems` refuses a file that breaks this;
2. a report's place is its IRIS code when given, otherwise the IRIS whose outline contains its
   point (`locate`); a point outside every outline is refused when the outlines are served
   (`location_problems`), and counted town-wide only otherwise;
3. the resolution time of a resolved report is the number of days from its creation to its
   closing (0: the same day); a rejected report has none (closing it is not solving it);
4. the share resolved within 7 (30) days of the reports made in a month counts, among that
   month's reports that were not rejected, those resolved within 7 (30) days. It is final only
   when the month's last day plus 7 (30) days is on or before the file's latest date (the day of
   the export, as far as the file can tell): before that it is left empty, never underestimated;
5. small counts: per IRIS, year and category, a count below the dataset's minimum (`min_count`
   of the catalogue) is summed into "autres" for that IRIS and year, which is itself left out
   when it stays below the minimum; a median time from fewer resolved reports than the minimum
   is not stored either. No stored figure ever rests on fewer reports than the minimum.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

import pandas as pd
import shapely
from shapely.geometry import shape

from webapp.data.geography import read_iris
from webapp.data.schema import Problem, load_schema, normalise
from webapp.data.tabular import read_source
from webapp.i18n import _l

Source = Path | pd.DataFrame

SUBCATEGORIES = {
    "voirie": ("nid-de-poule", "chaussee-trottoir", "signalisation"),
    "proprete": ("depot-sauvage", "dechets-corbeille", "dejections-canines"),
    "eclairage": ("lampadaire-eteint", "eclairage-defectueux"),
    "graffitis": ("tag", "affichage-sauvage"),
    "espaces-verts": ("feuilles-mortes", "arbre-branche", "tonte-desherbage"),
    "mobilier-urbain": ("banc-abribus", "potelet-barriere", "aire-de-jeux"),
}
CATEGORIES = list(SUBCATEGORIES)
NEW, IN_PROGRESS, RESOLVED, REJECTED = "nouveau", "en cours", "résolu", "rejeté"
OPEN, CLOSED = (NEW, IN_PROGRESS), (RESOLVED, REJECTED)
ALL_CATEGORIES = ""  # the category of the rows that count every category (medians cannot be summed)
OTHERS = "autres"
WINDOWS = (7, 30)  # days: the service levels the story reports

REPORT_COLUMNS = ["report_id", "created", "closed", "category", "subcategory", "status", "iris_code",
                  "longitude", "latitude"]


def _schema_frame(source: Source) -> pd.DataFrame:
    schema = load_schema("signalements")
    return normalise(schema, read_source(source, schema.names))


def _dates(column: pd.Series) -> pd.Series:
    # A cell that is not a date was reported by the schema: here it is simply missing.
    return pd.to_datetime(column, format="ISO8601", errors="coerce").dt.normalize()


def read_reports(source: Source) -> pd.DataFrame:
    """One row per report, with the schema's columns only: dates as datetime64 (`closed` NaT while
    open), coordinates as floats, `iris_code` None when not given."""
    df = _schema_frame(source)
    return pd.DataFrame({
        "report_id": df["id_signalement"], "created": _dates(df["date_creation"]), "closed": _dates(df["date_cloture"]),
        "category": df["categorie"], "subcategory": df["sous_categorie"], "status": df["statut"],
        "iris_code": df["code_iris"], "longitude": pd.to_numeric(df["longitude"], errors="coerce"),
        "latitude": pd.to_numeric(df["latitude"], errors="coerce"),
    }, index=df.index)[REPORT_COLUMNS]


def _problem(line, column: str, value, rule: Mapping[str, str]) -> Problem:
    shown = value.date().isoformat() if isinstance(value, pd.Timestamp) else "" if value is None else str(value)
    return Problem.of(int(line), column, shown, rule)


def report_problems(source: Source) -> list[Problem]:
    """What the schema cannot check within a row: dates and status that disagree, a sub-category of
    another category, no place at all (neither an IRIS code nor both coordinates)."""
    reports = read_reports(source)
    problems = []
    for line in reports.index[reports["closed"] < reports["created"]]:
        problems.append(_problem(line, "date_cloture", reports.at[line, "closed"],
                                 _l("La date de clôture précède la date de création.")))
    open_ = reports["status"].isin(OPEN)
    for line in reports.index[open_ & reports["closed"].notna()]:
        problems.append(_problem(line, "date_cloture", reports.at[line, "closed"], _l(
            "Un signalement « {status} » est ouvert : sa date de clôture doit être vide (ou son statut « résolu » ou "
            "« rejeté »).", status=reports.at[line, "status"])))
    for line in reports.index[reports["status"].isin(CLOSED) & reports["closed"].isna()]:
        problems.append(_problem(line, "date_cloture", None, _l(
            "Un signalement « {status} » est clos : sa date de clôture est obligatoire.",
            status=reports.at[line, "status"])))
    wrong = reports["subcategory"].notna() & reports["category"].isin(SUBCATEGORIES) & ~pd.Series(
        [s in SUBCATEGORIES.get(c, ()) for c, s in zip(reports["category"], reports["subcategory"])], index=reports.index)
    for line in reports.index[wrong]:
        category = reports.at[line, "category"]
        allowed = ", ".join(SUBCATEGORIES[category])
        problems.append(_problem(line, "sous_categorie", reports.at[line, "subcategory"], _l(
            "Cette sous-catégorie n'est pas de la catégorie « {category} » ({allowed}).",
            category=category, allowed=allowed)))
    lon, lat = reports["longitude"].notna(), reports["latitude"].notna()
    for line in reports.index[lon ^ lat]:
        column = "latitude" if lon[line] else "longitude"
        problems.append(_problem(line, column, None, _l("La longitude et la latitude vont ensemble : l'une est "
                                                        "donnée sans l'autre.")))
    for line in reports.index[reports["iris_code"].isna() & ~(lon & lat) & ~(lon ^ lat)]:
        problems.append(_problem(line, "code_iris", None, _l("Lieu manquant : il faut le code IRIS, ou la longitude "
                                                             "et la latitude, ou les deux.")))
    return problems


def locate(reports: pd.DataFrame, iris: pd.DataFrame) -> pd.Series:
    """Each report's IRIS code: the one given, else the IRIS whose outline contains its point ("" if none)."""
    codes = reports["iris_code"].astype(object).where(reports["iris_code"].notna(), "")
    todo = (codes == "").to_numpy() & reports["longitude"].notna().to_numpy() & reports["latitude"].notna().to_numpy()
    if not todo.any():
        return codes
    x, y = reports["longitude"].to_numpy(float), reports["latitude"].to_numpy(float)
    for row in iris.itertuples():
        polygon = shape(json.loads(row.geometry))
        shapely.prepare(polygon)
        inside = todo & shapely.contains_xy(polygon, x, y)
        codes[inside] = row.code
        todo &= ~inside
    return codes


def location_problems(source: Source, iris_source: Source) -> list[Problem]:
    """Places the served IRIS outlines do not know: an IRIS code not among them, a point (without an
    IRIS code) outside all of them."""
    reports, iris = read_reports(source), read_iris(iris_source)
    problems = []
    known = set(iris["code"])
    for line in reports.index[reports["iris_code"].notna() & ~reports["iris_code"].isin(known)]:
        problems.append(_problem(line, "code_iris", reports.at[line, "iris_code"],
                                 _l("Code IRIS inconnu : il n'est pas dans les contours IRIS de la commune.")))
    located = locate(reports, iris)
    for line in reports.index[(located == "") & reports["longitude"].notna() & reports["latitude"].notna()]:
        value = f"{reports.at[line, 'longitude']}, {reports.at[line, 'latitude']}"
        problems.append(_problem(line, "longitude", value, _l("Ce point n'est dans aucun IRIS de la commune "
                                                              "(longitude et latitude inversées ?).")))
    return problems


# --- the rollups -----------------------------------------------------------------------------------

def export_date(reports: pd.DataFrame) -> pd.Timestamp | None:
    """The file's latest date, creation or closing: the day of the export, as far as the file can tell."""
    dates = pd.concat([reports["created"], reports["closed"]]).dropna()
    return dates.max() if not dates.empty else None


def _month(dates: pd.Series) -> pd.Series:
    return dates.dt.strftime("%Y-%m")


def _months(first: pd.Timestamp, last: pd.Timestamp) -> list[str]:
    return [p.strftime("%Y-%m") for p in pd.period_range(first, last, freq="M")]


def resolution_days(reports: pd.DataFrame) -> pd.Series:
    """Days from creation to closing of each resolved report (NaN for the others)."""
    days = (reports["closed"] - reports["created"]).dt.days.astype(float)
    return days.where(reports["status"] == RESOLVED)


def monthly_rollup(reports: pd.DataFrame) -> pd.DataFrame:
    """Per month and category: reports made, closed (resolved or rejected) and rejected in the month.

    Every month from the first report to the export, and every category, has its row (0: none).
    """
    columns = ["month", "category", "created", "closed", "rejected"]
    last = export_date(reports)
    if last is None:
        return pd.DataFrame(columns=columns)
    closed = reports[reports["closed"].notna()]
    counts = pd.concat([
        pd.DataFrame({"month": _month(reports["created"]), "category": reports["category"], "kind": "created"}),
        pd.DataFrame({"month": _month(closed["closed"]), "category": closed["category"], "kind": "closed"}),
        pd.DataFrame({"month": _month(closed["closed"]), "category": closed["category"], "kind": "rejected"})
        [closed["status"].eq(REJECTED).to_numpy()],
    ]).groupby(["month", "category", "kind"]).size().unstack(fill_value=0)
    grid = pd.MultiIndex.from_product([_months(reports["created"].min(), last), CATEGORIES], names=["month", "category"])
    table = counts.reindex(grid, fill_value=0).reindex(columns=["created", "closed", "rejected"], fill_value=0)
    return table.astype("int64").reset_index()[columns]


def _with_all(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows once per category and once more under `ALL_CATEGORIES`."""
    return pd.concat([frame, frame.assign(category=ALL_CATEGORIES)], ignore_index=True)


def resolution_rollup(reports: pd.DataFrame, minimum: int) -> pd.DataFrame:
    """Per month of closing and category (and all categories): reports resolved, median days to resolve.

    The median is left empty when fewer than `minimum` reports were resolved.
    """
    days = resolution_days(reports)
    done = reports[days.notna()].assign(days=days[days.notna()])
    done = _with_all(done.assign(month=_month(done["closed"]))[["month", "category", "days"]])
    table = done.groupby(["month", "category"])["days"].agg(resolved="size", median_days="median").reset_index()
    table["median_days"] = table["median_days"].where(table["resolved"] >= minimum)
    return table.astype({"resolved": "int64"})


def resolution_spans(reports: pd.DataFrame, minimum: int) -> pd.DataFrame:
    """Per span of years of closing (every pair from the first to the last year) and category (and
    all categories): reports resolved, median days; the median empty below `minimum` reports."""
    days = resolution_days(reports)
    done = _with_all(reports[days.notna()].assign(days=days[days.notna()], year=reports["closed"].dt.year)
                     [["year", "category", "days"]])
    columns = ["year_from", "year_to", "category", "resolved", "median_days"]
    if done.empty:
        return pd.DataFrame(columns=columns)
    first, last = int(done["year"].min()), int(done["year"].max())
    out = []
    for start in range(first, last + 1):
        for end in range(start, last + 1):
            span = done[done["year"].between(start, end)]
            stats = span.groupby("category")["days"].agg(resolved="size", median_days="median").reset_index()
            out.append(stats.assign(year_from=start, year_to=end))
    table = pd.concat(out, ignore_index=True)
    table["median_days"] = table["median_days"].where(table["resolved"] >= minimum)
    return table[columns].astype({"resolved": "int64"})


def speed_rollup(reports: pd.DataFrame) -> pd.DataFrame:
    """Per month of creation and category: the reports not rejected, and those resolved within 7 and
    30 days (empty while the window is not over at the export date: rule 4 of the module)."""
    columns = ["month", "category", "reports", "within_7", "within_30"]
    last = export_date(reports)
    if last is None:
        return pd.DataFrame(columns=columns)
    kept = reports[reports["status"] != REJECTED]
    days = resolution_days(kept)
    frame = pd.DataFrame({"month": _month(kept["created"]), "category": kept["category"]})
    for window in WINDOWS:
        frame[f"within_{window}"] = days.le(window)
    grid = pd.MultiIndex.from_product([_months(reports["created"].min(), last), CATEGORIES], names=["month", "category"])
    table = (frame.groupby(["month", "category"]).agg(reports=("month", "size"), within_7=("within_7", "sum"),
                                                       within_30=("within_30", "sum"))
             .reindex(grid, fill_value=0).astype("int64").reset_index())
    month_end = pd.to_datetime(table["month"] + "-01") + pd.offsets.MonthEnd(0)
    for window in WINDOWS:
        final = month_end + pd.Timedelta(days=window) <= last
        table[f"within_{window}"] = table[f"within_{window}"].astype("Int64").where(final, pd.NA)
    return table[columns]


def iris_rollup(reports: pd.DataFrame, minimum: int) -> pd.DataFrame:
    """Reports per year of creation, IRIS and category; counts below `minimum` are summed into
    "autres", itself left out when it stays below `minimum` (rule 5). Unlocated reports are left out."""
    columns = ["year", "iris_code", "category", "reports"]
    located = reports[reports["iris_code"].fillna("") != ""]
    if located.empty:
        return pd.DataFrame(columns=columns)
    counts = (located.assign(year=located["created"].dt.year).groupby(["year", "iris_code", "category"])
              .size().rename("reports").reset_index())
    small = counts["reports"] < minimum
    others = (counts[small].groupby(["year", "iris_code"], as_index=False)["reports"].sum().assign(category=OTHERS))
    kept = pd.concat([counts[~small], others], ignore_index=True)
    kept = kept[kept["reports"] >= minimum].sort_values(["year", "iris_code", "category"])
    return kept[columns].astype({"year": "int64", "reports": "int64"}).reset_index(drop=True)


def build_tables(sources: Mapping[str, Source], minimum: int = 5) -> dict[str, pd.DataFrame]:
    """The reports story's rollups from its datasets' files (keyed by dataset slug)."""
    reports = read_reports(sources["signalements"])
    reports["iris_code"] = locate(reports, read_iris(sources["iris-contours"]))
    return {
        "reports_monthly": monthly_rollup(reports),
        "reports_resolution": resolution_rollup(reports, minimum),
        "reports_resolution_span": resolution_spans(reports, minimum),
        "reports_speed": speed_rollup(reports),
        "reports_iris": iris_rollup(reports, minimum),
    }


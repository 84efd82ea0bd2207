"""The curated SQL store: SQLAlchemy Core tables. Alembic migrations mirror this file."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

# One row per dataset: what it is, who produced it, under which licence, and its current version.
dataset = Table(
    "dataset",
    metadata,
    Column("slug", String(80), primary_key=True),
    Column("title_fr", String(200), nullable=False),
    Column("title_en", String(200), nullable=False),
    Column("description_fr", Text, nullable=False),
    Column("description_en", Text, nullable=False),
    Column("theme", String(40), nullable=False),
    Column("producer", String(200), nullable=False),
    Column("licence", String(120), nullable=False),
    Column("licence_url", String(300), nullable=False),
    Column("source_url", String(500), nullable=False),
    Column("frequency", String(40), nullable=False),  # EU "frequency" vocabulary, e.g. ANNUAL
    Column("coverage", String(80), nullable=False),  # temporal coverage as shown, e.g. "2016-2021"
    Column("last_update", Date, nullable=False),  # the producer's last update of the source
    Column("version", Integer, nullable=False, default=0),  # the version readers are served
    Column("is_demo", Boolean, nullable=False, default=False),
    Column("min_count", Integer),  # aggregates counting fewer are suppressed or grouped; NULL: none
)

# Every version of a dataset ever staged: staged (previewable), published (kept for rollback and
# pinned widgets) or discarded. `dataset.version` points at the one served.
dataset_version = Table(
    "dataset_version",
    metadata,
    Column("dataset_slug", String(80), ForeignKey("dataset.slug"), primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("status", String(12), nullable=False),  # staged | published | discarded
    Column("staged_at", DateTime(timezone=True), nullable=False),
    Column("staged_by", String(200), nullable=False),
    Column("published_at", DateTime(timezone=True)),
    Column("published_by", String(200)),
    Column("file_name", String(300), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("row_count", Integer, nullable=False),
    Column("coverage", String(80)),  # period covered: the schema's temporal field, or the catalogue's wording
    Column("source_date", Date),  # the producer's date of the file (the upload's day when not known)
    Column("changes", Text),  # JSON: rows added, removed, changed against the version then served
    Column("note", Text, nullable=False, default=""),
    Column("is_demo", Boolean),  # a demo file (shipped until the real one is imported); NULL: no
)

# The file each version was imported from, byte for byte (rebuilds, downloads of past versions).
dataset_file = Table(
    "dataset_file",
    metadata,
    Column("dataset_slug", String(80), primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("content", LargeBinary, nullable=False),
)

# A build: the curated tables of one story group computed from one set of dataset versions.
# Curated rows carry their build id; readers pick the build matching the versions they are served.
build = Table(
    "build",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("grp", String(40), nullable=False),
    Column("versions", String(2000), nullable=False),  # "slug=3,slug=1", sorted by slug
    Column("created_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("grp", "versions", name="uq_build_grp_versions"),
)

app_user = Table(
    "app_user",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("email", String(254), nullable=False, unique=True),
    Column("password_hash", String(200), nullable=False),  # Argon2id (argon2-cffi)
    Column("role", String(10), nullable=False),  # editor | admin
    Column("active", Boolean, nullable=False, default=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

# Sign-ins (and failed attempts, which drive throttling), publishes, rollbacks, text edits.
audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor", String(254), nullable=False),
    Column("address", String(64), nullable=False, default=""),
    Column("action", String(40), nullable=False),
    Column("target", String(200), nullable=False, default=""),
    Column("detail", Text, nullable=False, default=""),
    Index("ix_audit_log_action_at", "action", "at"),
)

# Story texts (narrative, chart captions, text alternatives) in Markdown, every version kept.
text_version = Table(
    "text_version",
    metadata,
    Column("key", String(120), primary_key=True),  # e.g. "ecoles.intro", "ecoles-ips.alt"
    Column("lang", String(2), primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("status", String(12), nullable=False),  # staged | published | discarded
    Column("body", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", String(254), nullable=False),
    Column("published_at", DateTime(timezone=True)),
    Column("note", Text, nullable=False, default=""),
)

# The text version served per key and language (absent: the text shipped in the code).
text_current = Table(
    "text_current",
    metadata,
    Column("key", String(120), primary_key=True),
    Column("lang", String(2), primary_key=True),
    Column("version", Integer, nullable=False),
)


def _build_id() -> Column:
    return Column("build_id", Integer, ForeignKey("build.id"), primary_key=True)

iris = Table(
    "iris",
    metadata,
    _build_id(),
    Column("code", String(9), primary_key=True),
    Column("name", String(120), nullable=False),
    Column("commune_code", String(5), nullable=False, index=True),
    Column("geometry", Text, nullable=False),  # GeoJSON geometry, WGS84
)

# Schools of the département (the comparisons need all of them), with what is known of each.
school = Table(
    "school",
    metadata,
    _build_id(),
    Column("uai", String(8), primary_key=True),  # national school identifier
    Column("name", String(200), nullable=False),
    Column("level", String(10), nullable=False, index=True),  # ecole | college | lycee
    Column("sector", String(10), nullable=False),  # public | prive
    Column("commune_code", String(5), nullable=False),
    Column("commune_name", String(120), nullable=False),
    Column("lycee_type", String(10)),  # LEGT | LPO | LP
    Column("priority_education", String(10)),  # REP | REP+ | hors REP; NULL when unknown
    Column("latitude", Float),
    Column("longitude", Float),
    Column("iris_code", String(9)),
    Index("ix_school_build_id_commune_code", "build_id", "commune_code"),
)

# Social position index (IPS) per school and school year (year = the rentrée, 2021 for 2021-2022).
school_ips = Table(
    "school_ips",
    metadata,
    _build_id(),
    Column("uai", String(8), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("ips", Float, nullable=False),
)

# Pupils per school, year and grade (6e … 3e in collèges, 2de, 1re, Tle in lycées).
school_enrolment = Table(
    "school_enrolment",
    metadata,
    _build_id(),
    Column("uai", String(8), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("grade", String(8), primary_key=True),
    Column("pupils", Integer, nullable=False),
)

# Diplôme national du brevet (DNB), general track, per collège and session.
school_dnb = Table(
    "school_dnb",
    metadata,
    _build_id(),
    Column("uai", String(8), primary_key=True),
    Column("session", Integer, primary_key=True),
    Column("candidates", Integer, nullable=False),
    Column("success_rate", Float, nullable=False),  # percent
    Column("value_added", Float),  # points against the expected rate, when published
)


# The département averages the charts compare with, computed once per build (at staging or
# publishing), never per request over every school of the département.
school_ips_reference = Table(
    "school_ips_reference",
    metadata,
    _build_id(),
    Column("department", String(3), primary_key=True),
    Column("level", String(10), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("ips", Float, nullable=False),  # plain mean of the schools' IPS
    Column("schools", Integer, nullable=False),
)

school_dnb_reference = Table(
    "school_dnb_reference",
    metadata,
    _build_id(),
    Column("department", String(3), primary_key=True),
    Column("session", Integer, primary_key=True),
    Column("candidates", Integer, nullable=False),
    Column("success_rate", Float, nullable=False),  # weighted by candidates
)


# --- the housing story --------------------------------------------------------------------------
# Computed once per build from the DVF sales, never per request over the sales: the story's
# filters (dwelling type, a span of years, a quartier) each pick rows of these tables.

# Sales and median price per m² for every span of years [year_from, year_to] of the sales file, for
# the whole town (iris_code "") and each of its IRIS, per dwelling type ("tous" for both).
housing_price = Table(
    "housing_price",
    metadata,
    _build_id(),
    Column("commune_code", String(5), primary_key=True),
    Column("iris_code", String(9), primary_key=True),  # "" for the whole commune
    Column("dwelling_type", String(12), primary_key=True),  # appartement | maison | tous
    Column("year_from", Integer, primary_key=True),
    Column("year_to", Integer, primary_key=True),
    Column("sales", Integer, nullable=False),  # sales kept by the DVF rules
    Column("priced", Integer, nullable=False),  # of which not set aside as outliers
    Column("median_price_m2", Float),  # NULL below the minimum number of sales
    Column("q1_price_m2", Float),
    Column("q3_price_m2", Float),
)

# The département's published quarterly medians (the reference line of the price chart).
housing_reference = Table(
    "housing_reference",
    metadata,
    _build_id(),
    Column("department", String(3), primary_key=True),
    Column("quarter_start", Date, primary_key=True),
    Column("dwelling_type", String(12), primary_key=True),  # appartement | maison | tous
    Column("median_price_m2", Float, nullable=False),
    Column("sales", Integer, nullable=False),
)

# Census dwellings per IRIS (INSEE's weighted counts, as published).
housing_stock = Table(
    "housing_stock",
    metadata,
    _build_id(),
    Column("iris_code", String(9), primary_key=True),
    Column("commune_code", String(5), nullable=False),
    Column("year", Integer, nullable=False),
    *(Column(name, Float) for name in ("dwellings", "main_homes", "second_homes", "vacant", "houses", "flats",
                                       "owners", "tenants", "social_tenants")),
)

# Filosofi declared income per consumption unit, per IRIS (NULL where INSEE does not publish it).
housing_income = Table(
    "housing_income",
    metadata,
    _build_id(),
    Column("iris_code", String(9), primary_key=True),
    Column("commune_code", String(5), nullable=False),
    Column("year", Integer, nullable=False),
    *(Column(name, Float) for name in ("median_income", "income_q1", "income_q3", "low_income_rate",
                                       "taxed_share", "gini")),
)


# --- the footfall story ---------------------------------------------------------------------------
# Rollups computed once per build from the hourly counts, never per request over the raw rows.

# The counting points (sites of the national "comptage des mobilités" schema with a pedestrian channel).
footfall_point = Table(
    "footfall_point",
    metadata,
    _build_id(),
    Column("site_id", String(40), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("commune_code", String(5)),
    Column("longitude", Float),
    Column("latitude", Float),
)

# Passages per day, per point and for all points together (site_id ""), with what the daily chart
# draws beside them: the 7-day average and the same weekday 52 weeks earlier. NULL: no count.
footfall_daily = Table(
    "footfall_daily",
    metadata,
    _build_id(),
    Column("site_id", String(40), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("passages", Float),
    Column("avg7", Float),
    Column("last_year", Float),
)

# Passages per month, weekday and hour (and the days counted), per point and for all points: the
# heatmap and the map sum the months of a chosen period.
footfall_hourly = Table(
    "footfall_hourly",
    metadata,
    _build_id(),
    Column("site_id", String(40), primary_key=True),
    Column("month", String(7), primary_key=True),  # YYYY-MM
    Column("weekday", Integer, primary_key=True),  # 0 = Monday
    Column("hour", Integer, primary_key=True),
    Column("passages", Float, nullable=False),
    Column("days", Integer, nullable=False),
)

# Flux Vision presence per zone, day and visitor category.
footfall_visitors = Table(
    "footfall_visitors",
    metadata,
    _build_id(),
    Column("zone", String(120), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("category", String(16), primary_key=True),  # resident | excursionist | tourist
    Column("month", String(7), nullable=False),  # YYYY-MM of the day: the charts sum months
    Column("volume", Float),  # NULL where Orange suppressed it
)

# Flux Vision visitors by origin per zone and month; origins below the dataset's minimum count are
# summed into "autres" when the build is made, so no small count is ever stored.
footfall_origin = Table(
    "footfall_origin",
    metadata,
    _build_id(),
    Column("zone", String(120), primary_key=True),
    Column("month", String(7), primary_key=True),
    Column("level", String(12), primary_key=True),  # department | region | country
    Column("origin", String(120), primary_key=True),  # code or name as published; "autres" for the grouped
    Column("volume", Float, nullable=False),
)

# --- the commerce observatory ----------------------------------------------------------------------
# Rollups of the shop inventory at each year-end (the state a survey would have seen on 31 December).
# Perimeters (the hypercentre, the rest of the town) are sums of IRIS rows, chosen when reading.

# Each unit's state at each year-end: the map and the streets' table read one year.
commerce_unit = Table(
    "commerce_unit",
    metadata,
    _build_id(),
    Column("year", Integer, primary_key=True),
    Column("unit_id", String(40), primary_key=True),
    Column("vacant", Boolean, nullable=False),
    Column("street_number", String(20)),
    Column("street", String(200), nullable=False),
    Column("iris_code", String(9), nullable=False),
    Column("longitude", Float),
    Column("latitude", Float),
    Column("category", String(40)),  # NULL for a vacant unit
    Column("independent", Boolean),  # NULL for a vacant unit
    Column("name", String(200)),
)

# Units and vacant units at the year-end, openings and closures in the year, per IRIS.
commerce_stock = Table(
    "commerce_stock",
    metadata,
    _build_id(),
    Column("year", Integer, primary_key=True),
    Column("iris_code", String(9), primary_key=True),
    Column("units", Integer, nullable=False),
    Column("vacant", Integer, nullable=False),
    Column("openings", Integer, nullable=False),
    Column("closures", Integer, nullable=False),
)

# Businesses open at the year-end per IRIS and activity, and the independent ones among them.
commerce_mix = Table(
    "commerce_mix",
    metadata,
    _build_id(),
    Column("year", Integer, primary_key=True),
    Column("iris_code", String(9), primary_key=True),
    Column("category", String(40), primary_key=True),
    Column("businesses", Integer, nullable=False),
    Column("independents", Integer, nullable=False),
)

# Units within 150 m of each counting point at each year-end: vacancy where the passages are counted.
commerce_point = Table(
    "commerce_point",
    metadata,
    _build_id(),
    Column("site_id", String(40), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("units", Integer, nullable=False),
    Column("vacant", Integer, nullable=False),
)

# Sirene establishments of the observatory's activities: created and closed in each year, open at its end.
commerce_sirene = Table(
    "commerce_sirene",
    metadata,
    _build_id(),
    Column("year", Integer, primary_key=True),
    Column("category", String(40), primary_key=True),
    Column("created", Integer, nullable=False),
    Column("closed", Integer, nullable=False),
    Column("active", Integer, nullable=False),
)

# --- citizen reports ("signalements") ---------------------------------------------------------------
# Rollups of the reporting app's export, made when it is published; the export's free text and
# personal columns are never stored (see `webapp.data.importers.reports`). `category` "" counts
# every category where a figure cannot be summed (a median).

# Reports made, closed (resolved or rejected) and rejected per month and category.
reports_monthly = Table(
    "reports_monthly",
    metadata,
    _build_id(),
    Column("month", String(7), primary_key=True),  # YYYY-MM
    Column("category", String(40), primary_key=True),
    Column("created", Integer, nullable=False),
    Column("closed", Integer, nullable=False),
    Column("rejected", Integer, nullable=False),
)

# Reports resolved per month of closing and category, and their median days from creation to closing
# (NULL from fewer resolved reports than the dataset's minimum count).
reports_resolution = Table(
    "reports_resolution",
    metadata,
    _build_id(),
    Column("month", String(7), primary_key=True),
    Column("category", String(40), primary_key=True),  # "" for every category
    Column("resolved", Integer, nullable=False),
    Column("median_days", Float),
)

# The same per span of years of closing (every pair of years of the file): a period's median.
reports_resolution_span = Table(
    "reports_resolution_span",
    metadata,
    _build_id(),
    Column("year_from", Integer, primary_key=True),
    Column("year_to", Integer, primary_key=True),
    Column("category", String(40), primary_key=True),  # "" for every category
    Column("resolved", Integer, nullable=False),
    Column("median_days", Float),
)

# Per month of creation and category: reports not rejected, and those resolved within 7 and 30 days
# (NULL while the window is not over at the export's date).
reports_speed = Table(
    "reports_speed",
    metadata,
    _build_id(),
    Column("month", String(7), primary_key=True),
    Column("category", String(40), primary_key=True),
    Column("reports", Integer, nullable=False),
    Column("within_7", Integer),
    Column("within_30", Integer),
)

# Reports per year of creation, IRIS and category; counts below the dataset's minimum are summed
# into "autres" when the build is made (and left out if still below it): no small count is stored.
reports_iris = Table(
    "reports_iris",
    metadata,
    _build_id(),
    Column("year", Integer, primary_key=True),
    Column("iris_code", String(9), primary_key=True),
    Column("category", String(40), primary_key=True),  # a category, or "autres" for the grouped ones
    Column("reports", Integer, nullable=False),
)

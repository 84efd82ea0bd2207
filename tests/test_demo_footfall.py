"""Demo footfall: deterministic, in the official formats, read by the official importers, shaped by
the calendar of Arras and calibrated on the published figures. Each test generates only the weeks or
months it needs."""

from __future__ import annotations

import io
import json
from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point, shape

from tests.helpers import SOURCES
from webapp.demo import footfall as demo
from webapp.data.importers.footfall import (
    channel_problems,
    flux_vision_problems,
    measure_problems,
    pedestrian_hourly,
    read_counter_channels,
    read_counter_measures,
    read_counter_sites,
    read_flux_vision,
)
from webapp.data.schema import load_schema, validate
from webapp.data.tabular import read_table

# The headers of Etalab's example files (schema-comptage-mobilites-{site,channel,measure}, exemple-valide-eco-compteur.csv).
OFFICIAL = {
    "sites": "site_id,parent_site_id,site_name,fr_insee_code,xlong,ylat,external_ids,infrastructure_type",
    "channels": "channel_id,channel_provider_id,site_provider_id,site_id,mobility_type,comment,"
                "counter_transmission_type,publication_transmission_type,counter_type,direction,"
                "provider_direction_code,provider_direction_name,data_provider_name,temporality,started_at,"
                "ended_at,last_updated_at,time_step,provider_portal_url",
    "measures": "channel_id,counter_id,start_datetime,end_datetime,count",
}
SLUGS = {"sites": "comptage-sites", "channels": "comptage-canaux", "measures": "comptage-mesures"}
GRAND_PLACE = ["ARRAS-P01", "ARRAS-P02", "ARRAS-P03"]
MARKET_POINTS = GRAND_PLACE + ["ARRAS-P04", "ARRAS-P05", "ARRAS-P07"]


def measures(content: bytes) -> pd.DataFrame:
    """The measure file with each row's site, local day, local hour and weekday."""
    df = pd.read_csv(io.BytesIO(content), dtype={"count": "int64"})
    df["site"] = df["channel_id"].str.rsplit("-", n=1).str[0]
    df["day"] = pd.to_datetime(df["start_datetime"].str[:10])
    df["hour"] = df["start_datetime"].str[11:13].astype(int)
    df["weekday"] = df["day"].dt.day_of_week
    return df


def monthly_totals(df: pd.DataFrame) -> pd.Series:
    return df.groupby(df["start_datetime"].str[:7])["count"].sum()


@pytest.fixture(scope="module")
def autumn():
    """September - December 2023: markets, school and public holidays, the Christmas market."""
    return measures(demo.counters((date(2023, 9, 1), date(2023, 12, 31)))["measures"])


@pytest.fixture(scope="module")
def covid_year():
    """January 2020 - January 2021: the period of the published figures and its reference months."""
    return measures(demo.counters((date(2020, 1, 1), date(2021, 1, 31)))["measures"])


# --- deterministic --------------------------------------------------------------------------------

def test_the_same_arguments_give_the_same_bytes():
    period = (date(2024, 3, 1), date(2024, 3, 14))
    files = demo.counters(period)
    assert demo.counters(period) == files
    other = demo.counters(period, seed=1)
    assert other["measures"] != files["measures"]
    assert other["sites"] == files["sites"]  # the points themselves do not depend on the seed
    content = demo.flux_vision(period)
    assert demo.flux_vision(period) == content
    assert demo.flux_vision(period, seed=1) != content


def test_a_short_period_is_the_tail_of_a_long_one():
    # Each day draws from its own generator: the embedded 13 months are the end of the 5 years.
    long = demo.counters((date(2025, 10, 20), date(2025, 11, 3)))["measures"].decode().splitlines()
    short = demo.counters((date(2025, 10, 27), date(2025, 11, 3)))["measures"].decode().splitlines()
    assert long[0] == short[0]
    assert [line for line in long[1:] if line.split(",")[2] >= "2025-10-27"] == short[1:]


def test_periods():
    assert demo.period_bounds(range(2021, 2026)) == (date(2021, 1, 1), date(2025, 12, 31))
    assert demo.last_months(13, date(2025, 12, 31)) == (date(2024, 12, 1), date(2025, 12, 31))
    assert demo.last_months(2, date(2024, 2, 10)) == (date(2024, 1, 1), date(2024, 2, 29))
    assert demo.DEMO_SHORT == (date(2024, 12, 1), date(2025, 12, 31))
    with pytest.raises(ValueError):
        demo.period_bounds((date(2024, 2, 1), date(2024, 1, 1)))


# --- the official format --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def dst_files():
    """Two weeks around each clock change of 2021."""
    return {"spring": demo.counters((date(2021, 3, 22), date(2021, 4, 4))),
            "autumn": demo.counters((date(2021, 10, 25), date(2021, 11, 7)))}


def test_the_files_have_the_official_columns(dst_files):
    for kind, content in dst_files["spring"].items():
        text = content.decode("utf-8")
        assert not text.startswith("\ufeff")
        assert text.split("\n", 1)[0] == OFFICIAL[kind]
        assert text.endswith("\n") and "\r" not in text
    df = measures(dst_files["spring"]["measures"])
    assert df["start_datetime"].str.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:00:00\+0[12]").all()
    assert (df["count"] >= 0).all()


@pytest.mark.parametrize("season", ["spring", "autumn"])
def test_the_official_schemas_and_importers_accept_the_demo_files(dst_files, season):
    files = dst_files[season]
    frames = {}
    for kind, content in files.items():
        schema = load_schema(SLUGS[kind])
        frame, report = validate(schema, read_table(content, f"demo-{kind}.csv", schema.names).frame)
        assert report.ok, report.text()
        frames[kind] = frame
    sites = read_counter_sites(frames["sites"])
    channels = read_counter_channels(frames["channels"])
    assert channel_problems(frames["channels"], sites) == []
    assert measure_problems(frames["measures"], channels) == []
    hourly = pedestrian_hourly(sites, channels, read_counter_measures(frames["measures"]))
    assert hourly["count"].notna().all()
    assert hourly["site_id"].nunique() == 24
    assert (channels["mobility_type"] == "PEDESTRIAN").all()
    assert (channels["time_step"] == 3600).all() and (channels["temporality"] == "PERMANENT").all()
    assert channels["started_at"].min() == read_counter_measures(frames["measures"])["start"].min()


def test_clock_changes_have_23_and_25_hours_and_no_hour_missing_or_repeated(dst_files):
    for season, (changed, hours) in {"spring": (date(2021, 3, 28), 23), "autumn": (date(2021, 10, 31), 25)}.items():
        df = measures(dst_files[season]["measures"])
        per_day = df.groupby(["channel_id", "day"]).size().unstack()
        assert (per_day[pd.Timestamp(changed)] == hours).all()
        assert (per_day.drop(columns=pd.Timestamp(changed)) == 24).all().all()
        assert not df.duplicated(["channel_id", "start_datetime"]).any()
        for _, rows in df.groupby("channel_id"):
            start = pd.to_datetime(rows["start_datetime"], format="ISO8601", utc=True)
            end = pd.to_datetime(rows["end_datetime"], format="ISO8601", utc=True)
            assert (start.diff().dropna() == pd.Timedelta(hours=1)).all()  # consecutive in real time
            assert (end - start == pd.Timedelta(hours=1)).all()
            local = start.dt.tz_convert("Europe/Paris").dt.strftime("%Y-%m-%dT%H:%M:%S%z").str[:-2]
            assert (local == rows["start_datetime"]).all()  # the offset written is Paris's
        day = df[(df["channel_id"] == "ARRAS-P08-1") & (df["day"] == pd.Timestamp(changed))]
        if season == "spring":
            assert "2021-03-28T02:00:00+01" not in set(day["start_datetime"])
            assert list(day["start_datetime"][:3]) == ["2021-03-28T00:00:00+01", "2021-03-28T01:00:00+01",
                                                       "2021-03-28T03:00:00+02"]
        else:
            assert list(day["start_datetime"][2:4]) == ["2021-10-31T02:00:00+02", "2021-10-31T02:00:00+01"]
            assert list(day["end_datetime"][1:3]) == ["2021-10-31T02:00:00+02", "2021-10-31T02:00:00+01"]


def test_24_points_on_real_places_of_the_centre():
    frame = read_table(demo.sites_file(), "sites.csv").frame
    assert len(frame) == 24 == frame["site_id"].nunique()
    assert set(frame["fr_insee_code"]) == {"62041"}
    iris = {f["properties"]["NOM_IRIS"]: shape(f["geometry"])
            for f in json.loads((SOURCES / "geo" / "iris-2020-arras-62041.geojson").read_text())["features"]}
    outside = [row["site_name"] for _, row in frame.iterrows()
               if not iris["Hyper Centre"].covers(Point(float(row["xlong"]), float(row["ylat"])))]
    assert sorted(outside) == ["Boulevard Faidherbe", "Place Foch (gare)"]
    station = Point(2.7816, 50.2868)
    foch = frame[frame["site_name"] == "Place Foch (gare)"].iloc[0]
    assert station.distance(Point(float(foch["xlong"]), float(foch["ylat"]))) < 0.002
    names = set(frame["site_name"])
    for place in ("Grand-Place (centre)", "Place des Héros (beffroi)", "Rue Ernestale", "Rue de la Taillerie",
                  "Rue Saint-Aubert", "Rue Ronville", "Place de la Vacquerie", "Place du Théâtre"):
        assert place in names
    channels = read_table(demo.channels_file(date(2024, 1, 1), date(2024, 1, 31)), "channels.csv").frame
    assert 28 <= len(channels) <= 34
    two_way = channels.groupby("site_id").size()
    assert (two_way == 2).sum() >= 5 and two_way.max() == 2
    assert set(channels.loc[channels["direction"].notna(), "provider_direction_code"]) == {"IN", "OUT"}
    assert channels["started_at"].unique().tolist() == ["2024-01-01T00:00:00+01"]


# --- shapes ---------------------------------------------------------------------------------------

def test_market_mornings_are_busier_on_wednesday_and_saturday(autumn):
    ordinary = autumn[(autumn["day"] < pd.Timestamp(2023, 10, 21)) & autumn["hour"].between(8, 12)]
    daily = ordinary.groupby(["site", "day", "weekday"])["count"].sum().reset_index()
    by_weekday = daily.groupby(["site", "weekday"])["count"].mean().unstack()
    tue_thu = by_weekday[[1, 3]].mean(axis=1)
    for site in MARKET_POINTS:
        assert by_weekday.loc[site, 2] > 1.3 * tue_thu[site], site
        assert by_weekday.loc[site, 5] > 1.6 * tue_thu[site], site
        assert by_weekday.loc[site, 5] > by_weekday.loc[site, 2], site
    assert by_weekday.loc["ARRAS-P08", 2] < 1.15 * tue_thu["ARRAS-P08"]  # rue Ernestale has no market


def test_the_christmas_market_fills_the_grand_place_in_the_evening(autumn):
    evenings = autumn[autumn["site"].isin(GRAND_PLACE) & autumn["hour"].between(18, 20)]
    per_day = evenings.groupby("day")["count"].sum()
    november = per_day[pd.Timestamp(2023, 11, 1):pd.Timestamp(2023, 11, 15)].mean()
    december = per_day[pd.Timestamp(2023, 12, 1):pd.Timestamp(2023, 12, 22)].mean()
    assert december > 2.5 * november
    streets = autumn[(autumn["site"] == "ARRAS-P08") & autumn["hour"].between(18, 20)].groupby("day")["count"].sum()
    assert streets[pd.Timestamp(2023, 12, 1):pd.Timestamp(2023, 12, 22)].mean() < 1.6 * \
        streets[pd.Timestamp(2023, 11, 1):pd.Timestamp(2023, 11, 15)].mean()


def test_public_holidays_are_like_sundays(autumn):
    daily = autumn.groupby("day")["count"].sum()
    for holiday in (date(2023, 11, 1), date(2023, 11, 11), date(2023, 12, 25)):  # a Wednesday, a Saturday, a Monday
        day = pd.Timestamp(holiday)
        usual = np.mean([daily[d] for d in (day - pd.Timedelta(days=7), day + pd.Timedelta(days=7)) if d in daily])
        assert daily[day] < 0.6 * usual, holiday
    sundays = daily[daily.index.day_of_week == 6].median()
    assert 0.6 * sundays < daily[pd.Timestamp(2023, 11, 1)] < 1.6 * sundays


def test_school_holidays_empty_the_station_and_fill_the_streets_on_weekdays(autumn):
    weekdays = autumn[(autumn["weekday"] < 5) & ~autumn["day"].isin([pd.Timestamp(2023, 11, 1)])]
    daily = weekdays.groupby(["site", "day"])["count"].sum().unstack(0)
    toussaint = daily.index.to_series().between(pd.Timestamp(2023, 10, 23), pd.Timestamp(2023, 11, 3))
    around = daily.index.to_series().between(pd.Timestamp(2023, 10, 9), pd.Timestamp(2023, 11, 17)) & ~toussaint
    station = daily["ARRAS-P17"]
    assert station[toussaint].mean() < 0.92 * station[around].mean()
    shopping = daily[["ARRAS-P08", "ARRAS-P10", "ARRAS-P11"]].sum(axis=1)  # families in town on weekdays
    assert shopping[toussaint].mean() > 1.02 * shopping[around].mean()


def test_weekly_and_daily_shapes(autumn):
    street = autumn[(autumn["site"] == "ARRAS-P08") & (autumn["day"] < pd.Timestamp(2023, 10, 21))]
    hours = street.groupby("hour")["count"].mean()
    assert hours.idxmax() in (12, 13, 14, 15, 16, 17) and hours[3] < 0.05 * hours.max()
    days = street.groupby(["day", "weekday"])["count"].sum().groupby("weekday").mean()
    assert days.idxmax() == 5 and days.idxmin() == 6  # Saturday the busiest, Sunday (shops closed) the quietest
    station = autumn[(autumn["site"] == "ARRAS-P17") & (autumn["weekday"] < 5)].groupby("hour")["count"].mean()
    assert station[8] > 2 * station[11] and station[17] > 2 * station[11]  # commuters
    level = autumn[autumn["day"] < pd.Timestamp(2023, 10, 21)].groupby("site")["count"].sum()
    assert set(level.nlargest(4).index) <= {"ARRAS-P06", "ARRAS-P08", "ARRAS-P10", "ARRAS-P11", "ARRAS-P17"}


# --- Covid and calibration ------------------------------------------------------------------------

def test_the_first_lockdown_empties_the_centre(covid_year):
    april_2019 = measures(demo.counters((date(2019, 4, 1), date(2019, 4, 30)))["measures"])["count"].sum()
    april_2020 = monthly_totals(covid_year)["2020-04"]
    assert april_2020 < 0.35 * april_2019
    march = covid_year[covid_year["start_datetime"].str.startswith("2020-03")].groupby("day")["count"].sum()
    assert march[pd.Timestamp(2020, 3, 20):].mean() < 0.4 * march[:pd.Timestamp(2020, 3, 13)].mean()


def test_curfews_empty_the_evenings(covid_year):
    january = covid_year[covid_year["start_datetime"].str.startswith("2021-01")]
    evenings = january[january["hour"].between(19, 21)].groupby("day")["count"].sum()
    assert evenings[pd.Timestamp(2021, 1, 18):].mean() < 0.4 * evenings[:pd.Timestamp(2021, 1, 14)].mean()


def test_calibrated_on_the_published_figures(covid_year):
    # 1.75 million passages a month from March 2020 to January 2021, 76 % of January-February 2020.
    months = monthly_totals(covid_year)
    pre_covid = months[["2020-01", "2020-02"]].mean()
    covid = months["2020-03":"2021-01"]
    assert len(covid) == 11
    assert abs(covid.mean() / 1_750_000 - 1) < 0.05, covid.mean()
    assert abs(covid.mean() / pre_covid - 0.76) < 0.03, covid.mean() / pre_covid
    assert abs(pre_covid / demo.PRE_COVID_MONTHLY - 1) < 0.05


def test_the_demo_years_recover_from_covid():
    months = monthly_totals(measures(demo.counters((date(2025, 9, 1), date(2025, 10, 31)))["measures"]))
    assert 0.9 * demo.PRE_COVID_MONTHLY < months.mean() < 1.25 * demo.PRE_COVID_MONTHLY


# --- calendar -------------------------------------------------------------------------------------

def test_french_calendar():
    assert [demo.easter(y) for y in (2019, 2024, 2025)] == [date(2019, 4, 21), date(2024, 3, 31), date(2025, 4, 20)]
    holidays = demo.public_holidays(2024)
    assert len(holidays) == 11
    assert {date(2024, 4, 1), date(2024, 5, 9), date(2024, 5, 20), date(2024, 7, 14)} <= set(holidays)
    assert [demo.sales_start(y, "winter") for y in (2019, 2022, 2023, 2024, 2025, 2026)] == [
        date(2019, 1, 9), date(2022, 1, 12), date(2023, 1, 11), date(2024, 1, 10), date(2025, 1, 8), date(2026, 1, 7)]
    assert [demo.sales_start(y, "summer") for y in (2019, 2022, 2023, 2024, 2025)] == [
        date(2019, 6, 26), date(2022, 6, 22), date(2023, 6, 28), date(2024, 6, 26), date(2025, 6, 25)]
    assert demo.sales_start(2021, "winter") == date(2021, 1, 20)  # postponed (Covid)
    days = pd.date_range("2019-01-01", "2026-12-31")
    for zone in "ABC":
        names = demo.school_holidays(days, zone)
        off = pd.Series(names != "", index=days)
        assert off[pd.Timestamp(2023, 7, 14)] and not off[pd.Timestamp(2023, 9, 5)]
        for year in range(2019, 2027):  # two weeks in winter and in spring, each zone, each year
            assert 14 <= ((names == "Hiver") & (days.year == year)).sum() <= 17, (zone, year)
            assert 14 <= ((names == "Printemps") & (days.year == year)).sum() <= 17, (zone, year)
    for first, back in ((date(2024, 2, 24), date(2024, 3, 11)), (date(2025, 2, 8), date(2025, 2, 24))):
        names = demo.school_holidays(pd.date_range(first - timedelta(days=1), back), "B")
        assert names[0] == "" and set(names[1:-1]) == {"Hiver"} and names[-1] == ""


# --- Flux Vision ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def flux():
    return demo.flux_vision((date(2023, 10, 16), date(2023, 12, 17)))


def test_the_flux_vision_export_is_a_french_csv(flux):
    assert flux.startswith(b"\xef\xbb\xbf")
    text = flux.decode("utf-8-sig")
    header = text.split("\r\n", 1)[0].split(";")
    assert header[:10] == ["Date", "ZoneObservation", "Provenance", "CategorieVisiteur", "Volume", "JourDeLaSemaine",
                           "VacancesA", "VacancesB", "VacancesC", "Ferie"]
    assert header[10:] == ["CodeDepartement", "NomDepartement", "Pays"]
    table = read_table(flux, "flux-vision.csv")
    assert (table.separator, table.encoding) == (";", "UTF-8 (BOM)")
    assert table.frame["Date"].str.fullmatch(r"\d\d/\d\d/\d{4}").all()


@pytest.mark.parametrize("origins", [True, False])
def test_the_flux_vision_schema_and_importer_accept_the_demo_file(flux, origins):
    content = flux if origins else demo.flux_vision((date(2023, 10, 16), date(2023, 12, 17)), origins=False)
    schema = load_schema("flux-vision")
    frame, report = validate(schema, read_table(content, "flux-vision.csv", schema.names).frame)
    assert report.ok, report.text()
    assert flux_vision_problems(frame) == []
    rows = read_flux_vision(frame)
    assert set(rows["zone"]) == set(demo.ZONES)
    assert set(rows["category"]) == {"resident", "excursionist", "tourist"}
    assert set(rows["provenance"]) == {"local", "non_local", "foreign"}
    assert (rows.loc[rows["category"] == "resident", "provenance"] == "local").all()
    assert rows["volume"].dropna().min() >= demo.SUPPRESSED_BELOW
    if origins:
        assert rows["volume"].isna().any()  # small origins are hidden, as Orange does
        departments = set(rows.loc[rows["origin_level"] == "department", "origin_code"])
        assert {"62", "59", "80", "75"} <= departments
        assert "Royaume-Uni" in set(rows.loc[rows["origin_level"] == "country", "origin_name"])
    else:
        assert rows["origin_level"].isna().all()
        assert len(rows) == 63 * 4 * 7  # days x zones x (resident + 2 categories x 3 provenances)


def test_flux_vision_follows_the_calendar_and_the_counters(flux):
    rows = read_flux_vision(validate(load_schema("flux-vision"), read_table(flux, "fv.csv").frame)[0])
    by_day = rows.drop_duplicates("date").set_index("date")
    assert by_day.loc["2023-10-23", "holidays_b"] and not by_day.loc["2023-10-20", "holidays_b"]
    assert by_day.loc["2023-11-01", "public_holiday"] and not by_day.loc["2023-11-02", "public_holiday"]
    visitors = rows[rows["category"] != "resident"].groupby(["zone", "date"])["volume"].sum()
    grand_place = visitors["Grand-Place"]
    assert grand_place["2023-12-01":"2023-12-17"].mean() > 1.3 * grand_place["2023-11-06":"2023-11-22"].mean()
    tourists = rows[rows["category"] == "tourist"].groupby("date")["volume"].sum()
    assert tourists[tourists.index.day_of_week == 5].mean() > tourists[tourists.index.day_of_week == 1].mean()
    weekday = rows["date"].dt.day_of_week.map(dict(enumerate(demo.WEEKDAYS_FR)))
    raw = read_table(flux, "fv.csv").frame
    assert (raw["JourDeLaSemaine"].to_numpy() == weekday.to_numpy()).all()

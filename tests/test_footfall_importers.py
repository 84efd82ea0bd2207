"""Footfall importers on the official formats: pedestrian counters ("comptage des mobilités") and
Orange's Flux Vision presence exports.

`tests/fixtures/footfall/etalab-{site,channel,measure}-exemple-eco-compteur.csv` are unchanged
copies of `exemple-valide-eco-compteur.csv` from the national schema's repositories
(github.com/etalab/schema-comptage-mobilites-site at file commit 77a48913, -channel at ad14d7cb,
-measure at 1339ccbe; Licence Ouverte 2.0): two Eco-Compteur sites near Nantes, five channels
(pedestrians and bikes, in and out) and one day of hourly counts. The other files are written in
the tests: the counters' ones in the same format, the Flux Vision ones after the column list of the
city's contract (Orange does not publish its export format; see `webapp.data.importers.footfall`).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

from webapp.data.importers.footfall import (
    UnusableMeasures,
    channel_problems,
    flux_vision_problems,
    measure_problems,
    pedestrian_hourly,
    read_counter_channels,
    read_counter_measures,
    read_counter_sites,
    read_flux_vision,
    with_problems,
)
from webapp.data.schema import load_schema, validate
from webapp.data.tabular import read_table

FIXTURES = Path(__file__).parent / "fixtures" / "footfall"
EXAMPLES = {
    "comptage-sites": FIXTURES / "etalab-site-exemple-eco-compteur.csv",
    "comptage-canaux": FIXTURES / "etalab-channel-exemple-eco-compteur.csv",
    "comptage-mesures": FIXTURES / "etalab-measure-exemple-eco-compteur.csv",
}
PARIS = "Europe/Paris"


def checked(slug: str, content: bytes, name: str = "fichier.csv"):
    """The file read and validated as an upload is: (normalised table, report)."""
    schema = load_schema(slug)
    return validate(schema, read_table(content, name, schema.names).frame)


def valid(slug: str, content: bytes, name: str = "fichier.csv") -> pd.DataFrame:
    frame, report = checked(slug, content, name)
    assert report.ok, report.text()
    return frame


def raw_rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


# --- the official examples ------------------------------------------------------------------------

@pytest.mark.parametrize(("slug", "rows"), [("comptage-sites", 2), ("comptage-canaux", 5), ("comptage-mesures", 120)])
def test_the_official_example_files_are_valid_as_published(slug, rows):
    frame = valid(slug, EXAMPLES[slug].read_bytes(), EXAMPLES[slug].name)
    assert len(frame) == rows


@pytest.fixture(scope="module")
def example():
    return {slug: valid(slug, path.read_bytes(), path.name) for slug, path in EXAMPLES.items()}


def test_official_sites(example):
    sites = read_counter_sites(example["comptage-sites"]).set_index("site_id")
    assert list(sites.columns) == ["parent_site_id", "name", "commune_code", "longitude", "latitude",
                                   "external_ids", "infrastructure_type"]
    site = sites.loc["300014141"]
    assert site["name"] == "ecocounter-site"
    assert site["longitude"] == pytest.approx(-1.26849856736067)
    assert site["latitude"] == pytest.approx(47.3389188762202)
    assert site["external_ids"] == "EV6" and site["infrastructure_type"] == "GREENWAY"
    assert site["commune_code"] is None  # empty in the file: kept missing


def test_official_channels(example):
    channels = read_counter_channels(example["comptage-canaux"]).set_index("channel_id")
    assert channels["mobility_type"].to_dict() == {
        "353226361": "PEDESTRIAN", "353226370": "BIKE", "353226396": "PEDESTRIAN", "353226405": "BIKE",
        "353267701": "BIKE"}
    walk_in, walk_out = channels.loc["353226361"], channels.loc["353226396"]
    assert (walk_in["site_id"], walk_in["direction_code"]) == ("300014141", "IN")
    assert (walk_out["site_id"], walk_out["direction_code"]) == ("300014141", "OUT")
    assert walk_out["direction_name"] == "Champtoceaux Piétons vers Angers"
    assert set(channels["time_step"]) == {3600.0}
    # "2010-07-13T00:00:00+0200": an offset without colon, read as Paris time.
    assert walk_in["started_at"] == pd.Timestamp("2010-07-13 00:00", tz=PARIS)
    assert walk_in["started_at"].tz is not None
    assert pd.isna(walk_out["ended_at"])


def test_official_measures_are_in_paris_time(example):
    measures = read_counter_measures(example["comptage-mesures"])
    assert list(measures.columns) == ["channel_id", "counter_id", "start", "end", "count"]
    assert len(measures) == 120
    first = measures.iloc[0]
    # "2021-09-15T00:00:00+02" is midnight in Paris, 22:00 UTC the day before.
    assert first["start"] == pd.Timestamp("2021-09-14 22:00", tz="UTC")
    assert str(first["start"].tz) == PARIS and first["start"].hour == 0
    assert ((measures["end"] - measures["start"]) == pd.Timedelta(hours=1)).all()
    bridge = measures[measures["channel_id"] == "353267701"]["count"].tolist()
    assert bridge[:3] == [10, 14, 2]


def test_official_example_in_pedestrian_hours(example):
    sites = read_counter_sites(example["comptage-sites"])
    channels = read_counter_channels(example["comptage-canaux"])
    hourly = pedestrian_hourly(sites, channels, read_counter_measures(example["comptage-mesures"]))
    assert list(hourly.columns) == ["site_id", "site_name", "hour", "count", "channels"]
    # The bridge (300017533) only counts bikes; Champtoceaux has two pedestrian channels (in, out).
    assert set(hourly["site_id"]) == {"300014141"}
    assert len(hourly) == 24 and set(hourly["channels"]) == {2}
    by_hour = hourly.set_index(hourly["hour"].dt.hour)["count"]
    # Read in the file: at 13:00 six pedestrians each way, at 11:00 one going out; 17 in the day.
    assert by_hour[13] == 6 + 6
    assert by_hour[11] == 0 + 1
    assert hourly["count"].sum() == 17

    # Every hour against the raw file read independently of the importers.
    walking = {r["channel_id"] for r in raw_rows(EXAMPLES["comptage-canaux"]) if r["mobility_type"] == "PEDESTRIAN"}
    expected: dict[int, float] = {}
    for r in raw_rows(EXAMPLES["comptage-mesures"]):
        if r["channel_id"] in walking:
            hour = int(r["start_datetime"][11:13])  # the file is in Paris summer time (+02)
            expected[hour] = expected.get(hour, 0) + float(r["count"])
    assert by_hour.to_dict() == expected


# --- French CSV quirks and bad files ---------------------------------------------------------------

def test_a_measure_file_with_semicolons_and_a_bom_reads_the_same(example):
    lines = EXAMPLES["comptage-mesures"].read_text(encoding="utf-8").splitlines()[:11]
    french = [line.replace(",", ";") for line in lines]
    french[5] = french[5].rsplit(";", 1)[0] + ";2,5"  # a value rebuilt by interpolation, decimal comma
    table = read_table(("\ufeff" + "\r\n".join(french) + "\r\n").encode("utf-8"), "mesures.csv",
                       load_schema("comptage-mesures").names)
    assert table.encoding == "UTF-8 (BOM)" and table.separator == ";"
    frame, report = validate(load_schema("comptage-mesures"), table.frame)
    assert report.ok, report.text()
    measures = read_counter_measures(frame)
    reference = read_counter_measures(example["comptage-mesures"]).head(10)
    assert measures["channel_id"].tolist() == reference["channel_id"].tolist()
    assert measures["start"].tolist() == reference["start"].tolist()
    assert measures["count"].tolist() == [*reference["count"].tolist()[:4], 2.5, *reference["count"].tolist()[5:]]


BAD_MEASURES = """channel_id,counter_id,start_datetime,end_datetime,count
353226361,CPTTEST2031,2021-09-15T00:00:00+02,2021-09-15T01:00:00+02,4
353226361,CPTTEST2031,2021-09-15T01:00:00+02,2021-09-15T02:00:00+02,-3
353226361,CPTTEST2031,15/09/2021 02:00,2021-09-15T03:00:00+02,5
999999999,CPTTEST2031,2021-09-15T03:00:00+02,2021-09-15T04:00:00+02,1
353226361,CPTTEST2031,2021-02-30T04:00:00+02,2021-09-15T05:00:00+02,2
353226396,CPTTEST2031,2021-09-15T05:00:00+02,2021-09-15T04:00:00+02,2
"""


def test_a_bad_measure_file_is_reported_in_french_line_by_line(example):
    channels = read_counter_channels(example["comptage-canaux"])
    frame, report = checked("comptage-mesures", BAD_MEASURES.encode())
    report = with_problems(report, measure_problems(frame, channels))
    assert [(p.line, p.column) for p in report.problems] == [
        (3, "count"),  # negative
        (4, "start_datetime"),  # not ISO 8601
        (5, "channel_id"),  # not in the channels file
        (6, "start_datetime"),  # 30 February
        (7, "end_datetime"),  # ends before it starts
    ]
    assert report.total == 5
    rules = {p.line: p.rule_fr for p in report.problems}
    assert rules[3] == "Valeur trop petite : minimum 0 passages."
    assert "2021-09-15T00:00:00+02" in rules[4]  # the example of a correct value
    assert rules[5].startswith("Canal inconnu")
    assert "n'existe pas dans le calendrier" in rules[6]
    assert "postérieure à son début" in rules[7]
    text = report.text("fr")
    assert "ligne 5, colonne « channel_id », valeur « 999999999 » : Canal inconnu" in text
    assert "ligne 3, colonne « count », valeur « -3 »" in text


def test_a_channel_of_an_unknown_site_is_reported(example):
    sites = read_counter_sites(example["comptage-sites"])
    content = EXAMPLES["comptage-canaux"].read_text(encoding="utf-8").replace(",300017533,", ",300099999,")
    frame = valid("comptage-canaux", content.encode())
    problems = channel_problems(frame, sites)
    assert [(p.line, p.column, p.value) for p in problems] == [(6, "site_id", "300099999")]
    assert problems[0].rule_fr.startswith("Site inconnu")


# --- pedestrian hours --------------------------------------------------------------------------------

SITES = """site_id,parent_site_id,site_name,fr_insee_code,xlong,ylat,external_ids,infrastructure_type
A,,Rue Ernestale,62041,2.7779,50.2905,,FOOTPATH
B,,Place des Héros,62041,2.7794,50.2914,,FOOTPATH
"""
CHANNEL_HEADER = ("channel_id,channel_provider_id,site_provider_id,site_id,mobility_type,comment,"
                  "counter_transmission_type,publication_transmission_type,counter_type,direction,"
                  "provider_direction_code,provider_direction_name,data_provider_name,temporality,started_at,"
                  "ended_at,last_updated_at,time_step,provider_portal_url")


def channel(channel_id: str, site: str, mobility: str, code: str, step: str) -> str:
    mobility = f'"{mobility}"' if "," in mobility else mobility
    return (f"{channel_id},,,{site},{mobility},,REMOTE TRANSMISSION,API,PASSIVE INFRARED,,{code},,Ville d'Arras,"
            f"PERMANENT,2023-01-01T00:00:00+01,,,{step},")


CHANNELS = "\n".join([
    CHANNEL_HEADER,
    channel("A-in", "A", "PEDESTRIAN", "IN", "3600"),
    channel("A-out", "A", "PEDESTRIAN", "OUT", "900"),  # quarter-hours
    channel("A-bike", "A", "BIKE", "IN", "3600"),
    channel("A-mixed", "A", "PEDESTRIAN,BIKE", "INDISTINCT", "3600"),  # a total of two modes
    channel("B-walk", "B", "PEDESTRIAN", "INDISTINCT", "3600"),
    channel("B-day", "B", "PEDESTRIAN", "INDISTINCT", "86400"),  # daily totals
]) + "\n"


def measures_file(*rows: str) -> bytes:
    return ("channel_id,counter_id,start_datetime,end_datetime,count\n" + "\n".join(rows) + "\n").encode()


def m(channel_id: str, start: str, end: str, count: str) -> str:
    return f"{channel_id},CPT1,{start},{end},{count}"


@pytest.fixture(scope="module")
def arras():
    sites = read_counter_sites(valid("comptage-sites", SITES.encode()))
    channels = read_counter_channels(valid("comptage-canaux", CHANNELS.encode()))
    return sites, channels


def hours_of(arras, content: bytes) -> pd.DataFrame:
    sites, channels = arras
    return pedestrian_hourly(sites, channels, read_counter_measures(valid("comptage-mesures", content)))


def test_directions_are_summed_and_bikes_left_out(arras):
    content = measures_file(
        m("A-in", "2023-07-14T10:00:00+02", "2023-07-14T11:00:00+02", "120"),
        m("A-in", "2023-07-14T11:00:00+02", "2023-07-14T12:00:00+02", "80"),
        # Out: four quarter-hours from 10:00, then three from 11:00 (11:30 missing).
        m("A-out", "2023-07-14T10:00:00+02", "2023-07-14T10:15:00+02", "10"),
        m("A-out", "2023-07-14T10:15:00+02", "2023-07-14T10:30:00+02", "20"),
        m("A-out", "2023-07-14T10:30:00+02", "2023-07-14T10:45:00+02", "30"),
        m("A-out", "2023-07-14T10:45:00+02", "2023-07-14T11:00:00+02", "40"),
        m("A-out", "2023-07-14T11:00:00+02", "2023-07-14T11:15:00+02", "5"),
        m("A-out", "2023-07-14T11:15:00+02", "2023-07-14T11:30:00+02", "5"),
        m("A-out", "2023-07-14T11:45:00+02", "2023-07-14T12:00:00+02", "5"),
        m("A-bike", "2023-07-14T10:00:00+02", "2023-07-14T11:00:00+02", "999"),
        m("A-mixed", "2023-07-14T10:00:00+02", "2023-07-14T11:00:00+02", "500"),
        # B: the end left to the channel's time step; a failure (empty count); a time in UTC.
        m("B-walk", "2023-07-14T10:00:00+02", "", "7"),
        m("B-walk", "2023-07-14T11:00:00+02", "", ""),
        m("B-walk", "2023-07-14T10:00:00Z", "2023-07-14T11:00:00Z", "3"),
    )
    hourly = hours_of(arras, content)
    got = {(r.site_id, r.hour.strftime("%H:%M")): (r.count, r.channels) for r in hourly.itertuples()}
    assert got.keys() == {("A", "10:00"), ("A", "11:00"), ("B", "10:00"), ("B", "11:00"), ("B", "12:00")}
    assert got["A", "10:00"] == (120 + 10 + 20 + 30 + 40, 2)  # no bike, no mixed channel
    assert pd.isna(got["A", "11:00"][0])  # a quarter-hour is missing: not a drop in footfall
    assert got["B", "10:00"] == (7, 1)
    assert pd.isna(got["B", "11:00"][0])  # the counter failed: missing, never 0
    assert got["B", "12:00"] == (3, 1)  # 10:00 UTC is noon in Paris in July
    assert set(hourly.loc[hourly["site_id"] == "A", "site_name"]) == {"Rue Ernestale"}
    assert str(hourly["hour"].dt.tz) == PARIS


def test_the_two_hours_of_the_autumn_clock_change_stay_apart(arras):
    content = measures_file(
        m("B-walk", "2023-10-29T01:00:00+02", "2023-10-29T02:00:00+02", "1"),
        m("B-walk", "2023-10-29T02:00:00+02", "2023-10-29T02:00:00+01", "2"),
        m("B-walk", "2023-10-29T02:00:00+01", "2023-10-29T03:00:00+01", "3"),
        m("B-walk", "2023-10-29T03:00:00+01", "2023-10-29T04:00:00+01", "4"),
    )
    hourly = hours_of(arras, content)
    assert hourly["count"].tolist() == [1, 2, 3, 4]
    assert [h.strftime("%H:%M%z") for h in hourly["hour"]] == ["01:00+0200", "02:00+0200", "02:00+0100", "03:00+0100"]


def test_measures_longer_than_an_hour_are_refused(arras):
    sites, channels = arras
    content = measures_file(
        m("B-walk", "2023-07-14T10:00:00+02", "2023-07-14T11:00:00+02", "7"),
        m("B-day", "2023-07-14T00:00:00+02", "", "1500"),  # a daily total (time step 86400 s)
        m("A-out", "2023-07-14T10:50:00+02", "2023-07-14T11:05:00+02", "4"),  # across two hours
        m("A-bike", "2023-07-14T00:00:00+02", "2023-07-15T00:00:00+02", "300"),  # bikes: not our business
    )
    frame = valid("comptage-mesures", content)
    with pytest.raises(UnusableMeasures) as refused:
        pedestrian_hourly(sites, channels, read_counter_measures(frame))
    assert refused.value.fr.startswith("2 mesures de canaux piétons ne peuvent pas être rangées par heure")
    problems = measure_problems(frame, channels)
    assert [(p.line, p.column) for p in problems] == [(3, "end_datetime"), (4, "end_datetime")]
    assert "plus d'une heure" in problems[0].rule_fr and "ne répartit pas" in problems[0].rule_fr
    assert "à cheval sur deux heures" in problems[1].rule_fr


# --- Flux Vision ----------------------------------------------------------------------------------------

FLUX_HEADER = "Date;ZoneObservation;Provenance;CategorieVisiteur;Volume;JourDeLaSemaine;VacancesA;VacancesB;VacancesC;Ferie"
DAILY_ROWS = [
    "14/07/2023;Arras centre;Local;Resident;18452;Vendredi;1;1;1;1",
    "14/07/2023;Arras centre;NonLocal;Touriste;2310;Vendredi;1;1;1;1",
    "14/07/2023;Arras centre;NonLocal;Excursionniste;6120;Vendredi;1;1;1;1",
    "14/07/2023;Arras centre;Etranger;Touriste;;Vendredi;1;1;1;1",  # hidden by Orange: too few
    "15/07/2023;Arras centre;Local;Resident;17990;Samedi;1;1;1;0",
]
DAILY = "\n".join([FLUX_HEADER, *DAILY_ROWS]) + "\n"


def test_a_daily_flux_vision_file():
    presence = read_flux_vision(valid("flux-vision", DAILY.encode("utf-8"), "FluxVision_Arras_Diurne.csv"))
    assert list(presence.columns) == ["date", "zone", "provenance", "category", "origin_level", "origin_code",
                                      "origin_name", "slot", "volume", "holidays_a", "holidays_b", "holidays_c",
                                      "public_holiday"]
    assert presence["category"].tolist() == ["resident", "tourist", "excursionist", "tourist", "resident"]
    assert presence["provenance"].tolist() == ["local", "non_local", "non_local", "foreign", "local"]
    assert presence["date"].tolist() == [pd.Timestamp("2023-07-14")] * 4 + [pd.Timestamp("2023-07-15")]
    assert presence["zone"].unique().tolist() == ["Arras centre"]
    assert presence["volume"].tolist()[:3] == [18452, 2310, 6120]
    assert pd.isna(presence.loc[3, "volume"])  # kept missing, never 0
    assert presence["volume"].isna().sum() == 1
    assert presence["slot"].isna().all() and presence["origin_level"].isna().all()
    assert presence["public_holiday"].tolist() == [True, True, True, True, False]
    assert flux_vision_problems(valid("flux-vision", DAILY.encode())) == []


@pytest.mark.parametrize("written", ["Résident", "Resident", "résident", "resident"])
def test_visitor_categories_are_read_with_or_without_accents(written):
    content = f"{FLUX_HEADER}\n2023-07-14;Arras centre;Local;{written};100;Vendredi;0;1;0;Non\n"
    assert read_flux_vision(valid("flux-vision", content.encode())).loc[0, "category"] == "resident"


def test_an_unknown_visitor_category_is_refused_in_french():
    content = f"{FLUX_HEADER}\n2023-07-14;Arras centre;Local;Habituellement present;100;Vendredi;0;1;0;0\n"
    _, report = checked("flux-vision", content.encode())
    assert [(p.line, p.column) for p in report.problems] == [(2, "CategorieVisiteur")]
    assert report.problems[0].rule_fr.startswith("Valeur non autorisée. Valeurs possibles : Résident")


def test_flux_vision_by_origin():
    content = "\n".join([
        FLUX_HEADER + ";NomDepartement;NomRegion;NomNouvelleRegion",
        "14/07/2023;Arras centre;NonLocal;Touriste;640;Vendredi;1;1;1;1;Nord;Nord-Pas-de-Calais;Hauts-de-France",
        "14/07/2023;Arras centre;NonLocal;Touriste;;Vendredi;1;1;1;1;Cantal;Auvergne;Auvergne-Rhône-Alpes",
    ]) + "\n"
    frame, report = checked("flux-vision", content.encode(), "Diurne_Departement_2023.csv")
    assert report.ok and report.ignored_columns == ["NomDepartement", "NomRegion", "NomNouvelleRegion"]
    presence = read_flux_vision(frame)
    assert presence["origin_level"].tolist() == ["department", "department"]
    assert presence["origin_name"].tolist() == ["Nord", "Cantal"]
    assert presence["origin_code"].isna().all()
    assert presence["volume"].isna().tolist() == [False, True]

    countries = "\n".join([
        FLUX_HEADER + ";Pays",
        "14/07/2023;Arras centre;Etranger;Touriste;410;Vendredi;1;1;1;1;Belgique",
        "14/07/2023;Arras centre;Etranger;Excursionniste;;Vendredi;1;1;1;1;Royaume-Uni",
    ]) + "\n"
    presence = read_flux_vision(valid("flux-vision", countries.encode()))
    assert presence[["origin_level", "origin_name"]].values.tolist() == [["country", "Belgique"],
                                                                         ["country", "Royaume-Uni"]]


TWO_HOURS = "\n".join([
    FLUX_HEADER + ";TrancheHoraire",
    "2023-07-14;Arras centre;Local;Résident;9120;Vendredi;Oui;Oui;Oui;Oui;08h-10h",
    "2023-07-14;Arras centre;NonLocal;Excursionniste;1480;Vendredi;Oui;Oui;Oui;Oui;08h-10h",
    "2023-07-14;Arras centre;NonLocal;Excursionniste;2260;Vendredi;Oui;Oui;Oui;Oui;10h-12h",
    "2023-07-14;Arras centre;Étranger;Touriste;;Vendredi;Oui;Oui;Oui;Oui;10h-12h",
    "2023-07-14;Arras centre;Local;Résident;8870;Vendredi;Oui;Oui;Oui;Oui;22h-00h",
]) + "\r\n"


def test_a_flux_vision_file_by_two_hour_slots():
    table = read_table(TWO_HOURS.encode("cp1252"), "FluxVision_Arras_2h.csv", load_schema("flux-vision").names)
    assert table.encoding == "Windows-1252"
    frame, report = validate(load_schema("flux-vision"), table.frame)
    assert report.ok, report.text()
    assert flux_vision_problems(frame) == []
    presence = read_flux_vision(frame)
    assert presence["slot"].tolist() == [8, 8, 10, 10, 22]
    assert presence["category"].tolist() == ["resident", "excursionist", "excursionist", "tourist", "resident"]
    assert presence["provenance"].tolist()[3] == "foreign"
    assert pd.isna(presence.loc[3, "volume"])
    assert presence["holidays_b"].all()


def test_bad_slots_and_repeated_rows_are_reported():
    lines = TWO_HOURS.strip().split("\n")
    content = "\n".join([*lines[:3], lines[2], lines[3].replace("10h-12h", "matin")]) + "\n"
    problems = flux_vision_problems(valid("flux-vision", content.encode()))
    assert [(p.line, p.column) for p in problems] == [(5, "TrancheHoraire"), (4, "")]
    assert problems[0].rule_fr.startswith("Tranche horaire non reconnue") and problems[0].value == "matin"
    assert problems[1].rule_fr.startswith("Ligne en double")

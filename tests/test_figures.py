"""Figure builders: valid Plotly figures, French separators and hover texts, explicit empty states."""

from __future__ import annotations

import re

import pandas as pd
import plotly.graph_objects as go
import pytest

from webapp.data import geography
from webapp.data import schools as q
from webapp.data.schools import SchoolFilter
from webapp.data.store import build_id, get_db
from webapp.figures import schools as fig

ARRAS, DEP, DEP_NAME = "62041", "62", "Pas-de-Calais"
NNBSP = "\u202f"
FR_DECIMAL = re.compile(r"^\d{1,3}(?:\u202f\d{3})*,\d$")
EN_DECIMAL = re.compile(r"^\d{1,3}(?:,\d{3})*\.\d$")
FR_INT = re.compile(r"^\d{1,3}(?:\u202f\d{3})*$")
FR_PERCENT = re.compile(r"^\d{1,3},\d[\u202f\u00a0]%$")


@pytest.fixture(scope="module")
def frames(server):
    with server.test_request_context():
        db = get_db()
        everyone = SchoolFilter()
        return {
            "schools": q.query_schools(db, build_id("ecoles"), ARRAS, everyone),
            "iris": geography.query_iris(db, build_id(geography.GROUP), ARRAS),
            "ips_reference": q.query_ips_reference(db, build_id("ecoles"), DEP),
            "history": q.query_ips_history(db, build_id("ecoles"), ARRAS, everyone),
            "enrolment": q.query_enrolment(db, build_id("ecoles"), ARRAS, everyone),
            "dnb": q.query_dnb(db, build_id("ecoles"), ARRAS, everyone),
            "dnb_reference": q.query_dnb_reference(db, build_id("ecoles"), DEP),
        }


def build_all(frames: dict, lang: str, empty: bool = False) -> dict[str, dict]:
    f = {k: (v.iloc[0:0] if empty and k not in ("iris", "ips_reference", "dnb_reference") else v)
         for k, v in frames.items()}
    return {
        "map": fig.build_map(f["schools"], f["iris"], None, lang),
        "ips": fig.build_ips(f["schools"], f["ips_reference"], DEP_NAME, lang),
        "ips_history": fig.build_ips_history(f["history"], f["ips_reference"], DEP_NAME, lang),
        "enrolment": fig.build_enrolment(f["enrolment"], lang),
        "dnb": fig.build_dnb(f["dnb"], f["dnb_reference"], DEP_NAME, lang),
    }


def _customdata(figure: dict) -> list[list]:
    return [row for trace in figure["data"] for row in trace.get("customdata", [])]


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("empty", [False, True], ids=["data", "empty"])
def test_every_builder_returns_a_valid_plotly_figure(frames, lang, empty):
    for name, figure in build_all(frames, lang, empty).items():
        validated = go.Figure(figure)  # raises on any invalid property
        assert validated.layout.height and validated.layout.height > 0, name
        if not empty:
            assert figure["data"], name


@pytest.mark.parametrize(("lang", "separators"), [("fr", ",\u202f"), ("en", ".,")])
def test_layout_separators(frames, lang, separators):
    for name, figure in build_all(frames, lang).items():
        assert figure["layout"]["separators"] == separators, name


def test_map_draws_16_quartiers_and_located_schools(frames):
    figure = fig.build_map(frames["schools"], frames["iris"], None, "fr")
    outlines = [t for t in figure["data"] if t.get("fill") == "toself"]
    markers = [t for t in figure["data"] if t.get("mode") == "markers"]
    assert len(outlines) == 16
    located = frames["schools"].dropna(subset=["latitude", "longitude"])
    assert sum(len(t["x"]) for t in markers) == len(located)


def test_map_highlights_the_chosen_quartier(frames):
    code = frames["iris"]["code"].iloc[0]
    figure = fig.build_map(frames["schools"], frames["iris"], code, "fr")
    outlines = [t for t in figure["data"] if t.get("fill") == "toself"]
    widths = [t["line"]["width"] for t in outlines]
    assert max(widths) > min(widths)
    assert widths.count(max(widths)) == 1


def test_ips_hover_values_use_french_formats(frames):
    figure = fig.build_ips(frames["schools"], frames["ips_reference"], DEP_NAME, "fr")
    values = [row[1] for row in _customdata(figure)]
    assert values
    for v in values:
        assert FR_DECIMAL.match(v), v
    # Bar labels too.
    for trace in figure["data"]:
        for t in trace["text"]:
            assert FR_DECIMAL.match(t), t


def test_ips_hover_values_in_english(frames):
    figure = fig.build_ips(frames["schools"], frames["ips_reference"], DEP_NAME, "en")
    for row in _customdata(figure):
        assert EN_DECIMAL.match(row[1]), row[1]


def test_ips_hover_value_matches_the_data(frames):
    figure = fig.build_ips(frames["schools"], frames["ips_reference"], DEP_NAME, "fr")
    schools = frames["schools"].dropna(subset=["ips"])
    by_name = dict(zip(schools["name"], schools["ips"]))
    checked = 0
    for row in _customdata(figure):
        if row[0] in by_name:
            assert float(row[1].replace(NNBSP, "").replace(",", ".")) == pytest.approx(by_name[row[0]], abs=0.05)
            checked += 1
    assert checked == len(schools)


def test_map_hover_ips_uses_decimal_comma(frames):
    figure = fig.build_map(frames["schools"], frames["iris"], None, "fr")
    ips_texts = [row[3] for row in _customdata(figure) if any(ch.isdigit() for ch in row[3])]
    assert ips_texts
    assert all("," in t and "." not in t for t in ips_texts), ips_texts


def test_enrolment_hover_uses_narrow_no_break_space(frames):
    figure = fig.build_enrolment(frames["enrolment"], "fr")
    values = [row[1] for row in _customdata(figure)]
    assert all(FR_INT.match(v) for v in values), values
    big = [v for v in values if int(v.replace(NNBSP, "")) >= 1000]
    assert big, "Arras lycées have more than 1,000 pupils"
    assert all(NNBSP in v for v in big)


def test_dnb_hover_uses_french_percent(frames):
    figure = fig.build_dnb(frames["dnb"], frames["dnb_reference"], DEP_NAME, "fr")
    values = [row[1] for row in _customdata(figure)]
    assert values
    assert all(FR_PERCENT.match(v) for v in values), values


@pytest.mark.parametrize("builder", ["ips", "ips_history", "enrolment", "dnb"])
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_empty_input_explains_itself(frames, builder, lang):
    figure = build_all(frames, lang, empty=True)[builder]
    assert figure["data"] == []
    annotations = figure["layout"].get("annotations") or []
    assert len(annotations) == 1
    message = annotations[0]["text"]
    assert len(message) > 20
    assert figure["layout"]["xaxis"].get("visible") is False
    assert figure["layout"]["yaxis"].get("visible") is False


def test_empty_french_message_is_french(frames):
    figure = build_all(frames, "fr", empty=True)["ips"]
    assert "Aucun" in figure["layout"]["annotations"][0]["text"]


def _y_labels(figure: dict) -> list[str]:
    return [y for trace in figure["data"] for y in trace["y"]]


def test_ips_labels_of_arras_are_unique(frames):
    figure = fig.build_ips(frames["schools"], frames["ips_reference"], DEP_NAME, "fr")
    labels = _y_labels(figure)
    assert len(labels) == len(set(labels))
    assert len(labels) == frames["schools"]["ips"].notna().sum() + 3  # + one département mean per level


def _synthetic(names_levels: list[tuple[str, str]]) -> pd.DataFrame:
    rows = []
    for i, (name, level) in enumerate(names_levels):
        rows.append({"uai": f"062000{i}X", "name": name, "level": level, "sector": "public",
                     "lycee_type": None, "priority_education": None, "latitude": None, "longitude": None,
                     "iris_code": None, "iris_name": None,
                     "ips_year": {"ecole": 2021, "college": 2023, "lycee": 2021}[level], "ips": 90.0 + i})
    return pd.DataFrame(rows)


@pytest.mark.parametrize(
    "schools",
    [
        [("École élémentaire Voltaire", "ecole"), ("Collège Voltaire", "college")],
        [("École élémentaire Jean Jaurès", "ecole"), ("École primaire Jean Jaurès", "ecole")],
        [("Lycée professionnel Voltaire", "lycee"), ("Lycée général et technologique Voltaire", "lycee")],
    ],
    ids=["different-levels", "same-level-ecoles", "same-level-lycees"],
)
def test_ips_labels_unique_when_short_names_collide(frames, schools):
    figure = fig.build_ips(_synthetic(schools), frames["ips_reference"], DEP_NAME, "fr")
    labels = _y_labels(figure)
    assert len(labels) == len(set(labels)), f"two bars share a y label: {labels}"
    order = figure["layout"]["yaxis"]["categoryarray"]
    assert len(order) == len(set(order))


def test_ips_labels_unique_on_real_data_of_bethune(server, frames):
    """Béthune (62119) has a LP and a LGT both named André Malraux in the lycée IPS file."""
    with server.test_request_context():
        schools = q.query_schools(get_db(), build_id("ecoles"), "62119", SchoolFilter())
    assert schools["name"].str.contains("Malraux").sum() >= 2
    figure = fig.build_ips(schools, frames["ips_reference"], DEP_NAME, "fr")
    labels = _y_labels(figure)
    assert len(labels) == len(set(labels)), f"two bars share a y label: {labels}"

"""Figure builders: valid Plotly figures, French separators and hover texts, explicit empty states."""

from __future__ import annotations

import json
import re

import pandas as pd
import plotly.graph_objects as go
import pytest

from tests.helpers import SOURCES
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


# --- housing: the stock chart ---------------------------------------------------------------------------

def _stock_figure(server, query: dict[str, str], lang: str = "fr") -> dict:
    from webapp.charts import housing as hc

    with server.test_request_context():
        return hc.view_stock(hc.parse_filters(query), lang)["figure"]


def _census_groups() -> dict[str, list[str]]:
    """The stock chart's groups and their parts, as the census file defines them (names of the story)."""
    return {"Occupation": ["Résidences principales", "Résidences secondaires", "Logements vacants"],
            "Type": ["Maisons", "Appartements"],
            "Statut": ["Propriétaires", "Locataires du privé", "Locataires HLM", "Logés gratuitement"]}


def _group_axes(figure: dict) -> dict[str, str]:
    """Group title -> the y axis of its bars (each group's title sits just above its axis' domain)."""
    layout = figure["layout"]
    titles = [n for n in layout["annotations"] if n["text"].startswith("<b>")]
    axes = {k: v for k, v in layout.items() if k.startswith("yaxis")}
    out = {}
    for note in titles:
        key = min(axes, key=lambda k: abs(axes[k]["domain"][1] - note["y"]))
        out[note["text"][3:-4]] = "y" + key[5:]
    return out


@pytest.mark.parametrize("query", [{}, {"quartier": "620410801"}], ids=["town", "quartier"])
def test_stock_chart_draws_each_group_as_its_own_bars(server, query):
    figure = _stock_figure(server, query)
    go.Figure(figure)
    rows = 2 if query else 1
    axes = _group_axes(figure)
    assert sorted(axes) == sorted(_census_groups())
    for group, names in _census_groups().items():
        traces = [t for t in figure["data"] if t.get("yaxis", "y") == axes[group]]
        assert [t["name"] for t in traces] == names, group
        for trace in traces:  # one share per bar of the group, on that bar's own category
            assert len(trace["x"]) == len(trace["y"]) == rows, trace["name"]
            assert len(set(trace["y"])) == rows
        totals = [sum(t["x"][i] for t in traces) for i in range(rows)]
        assert totals == pytest.approx([100.0] * rows), group
        assert any(v > 0 for t in traces for v in t["x"])
    # Every trace draws at least one non-zero value, and no two groups share a category axis.
    assert all(any(v for v in t["x"]) for t in figure["data"])
    assert len(set(axes.values())) == 3


def test_stock_chart_colours_are_unique_and_contrasted(server):
    from webapp.figures.base import dark_figure
    from webapp.figures.housing import contrast_ratio

    figure = _stock_figure(server, {"quartier": "620410801"})
    colors = [t["marker"]["color"] for t in figure["data"]]
    assert len(colors) == len(set(c.lower() for c in colors)) == 9
    for color in colors:
        for background in ("#ffffff", "#1b1e21", "#212529"):
            assert contrast_ratio(color, background) >= 3, (color, background)
    for fig in (figure, dark_figure(figure)):  # the labels written in the segments stay readable in dark mode
        for trace in fig["data"]:
            label = trace["insidetextfont"]["color"]
            assert contrast_ratio(label, trace["marker"]["color"]) >= 4.5, (trace["name"], label)


def test_contrast_ratio_matches_wcag_reference_values():
    from webapp.figures.housing import contrast_ratio

    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21)
    assert contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)  # WebAIM's grey at the edge


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_stock_chart_has_one_short_legend_per_group_that_cannot_overlap(server, lang):
    figure = _stock_figure(server, {"quartier": "620410101"}, lang)
    layout = figure["layout"]
    legends = sorted(k for k in layout if k.startswith("legend"))
    assert len(legends) == 3
    by_legend = {}
    for trace in figure["data"]:
        by_legend.setdefault(trace.get("legend", "legend"), []).append(trace)
    assert sorted(by_legend) == legends
    height = layout["height"]
    # Listed vertically (never wrapped at a phone's width), each above the next group's title and bars.
    tops = sorted(((layout[k]["y"], k) for k in legends), reverse=True)
    for legend in legends:
        assert layout[legend]["orientation"] == "v"
    axes = sorted((layout[k]["domain"] for k in layout if k.startswith("yaxis")), reverse=True)
    for (y, key), next_axis in zip(tops, axes[1:]):
        entries = len(by_legend[key])
        legend_bottom = y * height - 20 * entries - 10
        assert legend_bottom > next_axis[1] * height + 26, key  # room left for the next group's title
    assert all(len(t["y"]) == 2 for t in figure["data"])
    for axis in (layout[k] for k in layout if k.startswith("yaxis")):
        assert all(len(text) <= 16 for text in axis["ticktext"])


# --- housing: the map ------------------------------------------------------------------------------------

def _map_view(server, query: dict[str, str]) -> dict:
    from webapp.charts import housing as hc

    with server.test_request_context():
        return hc.view_map(hc.parse_filters(query), "fr")


def _colour_bar(figure: dict) -> dict:
    return next(t["marker"] for t in figure["data"] if t.get("marker", {}).get("showscale"))


@pytest.mark.parametrize("query", [{}, {"indicateur": "revenu"}, {"indicateur": "vacance"},
                                   {"type": "maison", "debut": "2025", "fin": "2025"}])
def test_map_scale_ends_are_the_extremes_its_summary_states(server, query):
    view = _map_view(server, query)
    values = [v for _name, v in view["table"]["raw"] if v is not None]
    bar = _colour_bar(view["figure"])
    assert bar["cmin"] == pytest.approx(min(values)) and bar["cmax"] == pytest.approx(max(values))
    ticks, texts = bar["colorbar"]["tickvals"], bar["colorbar"]["ticktext"]
    assert ticks[0] == pytest.approx(min(values)) and ticks[-1] == pytest.approx(max(values))
    assert f"de {texts[0]} (" in view["summary"] and f"à {texts[-1]} (" in view["summary"], (texts, view["summary"])


def test_map_colour_bar_has_its_own_band_below_the_map(server):
    from webapp.figures.maps import BAR_BAND

    figure = _map_view(server, {})["figure"]
    colorbar = _colour_bar(figure)["colorbar"]
    assert figure["layout"]["margin"]["b"] >= BAR_BAND > 0  # the image's source line goes below it, not over it
    assert colorbar["y"] == 0 and colorbar["yanchor"] == "top"
    assert colorbar["len"] <= 0.8 and colorbar["xanchor"] == "center"  # end labels inside the figure


def test_map_writes_each_quartiers_name_and_hovers_its_full_name(server):
    from webapp.figures.base import dark_figure
    from webapp.figures.housing import contrast_ratio
    from webapp.figures.maps import NAME_COLOR

    features = json.loads((SOURCES / "geo" / "iris-2020-arras-62041.geojson").read_text(encoding="utf-8"))["features"]
    names = [f["properties"]["NOM_IRIS"] for f in features]
    figure = _map_view(server, {})["figure"]
    labels = next(t for t in figure["data"] if t.get("mode") == "text")
    written = [t.replace("<br>", " ") for t in labels["text"]]
    # Each label is the name of one IRIS, or its last words ("Baudimont 2"); a name that would cover another at a
    # phone's scale is left out (tests/test_visual_browser.py checks that none overlap), the largest areas first.
    owners = [[n for n in names if n == w or n.endswith(" " + w)] for w in written]
    assert all(len(o) == 1 for o in owners), written
    assert len({o[0] for o in owners}) == len(written) >= len(names) // 2
    hovers = [t["text"] for t in figure["data"] if t.get("fill") == "toself"]
    assert all(any(f"<b>{n}</b>" in h for h in hovers) for n in names)
    dark = next(t for t in dark_figure(figure)["data"] if t.get("mode") == "text")
    assert dark["textfont"]["color"] == NAME_COLOR and contrast_ratio(NAME_COLOR, "#ffffff") >= 4.5  # white halo


def test_map_hatches_exactly_the_quartiers_without_value_and_says_so(server):
    from webapp.charts import REGISTRY
    from webapp.charts.geography import town_iris
    from webapp.figures.maps import choropleth

    with server.test_request_context():
        iris = town_iris()
    blank = set(iris["code"][:3])
    values = {c: (None if c in blank else 100.0 + i) for i, c in enumerate(iris["code"])}
    figure = choropleth(iris, values, None, "x", str, {}, "fr")
    areas = [t for t in figure["data"] if t.get("fill") == "toself"]
    hatched = {t["name"] for t in areas if t.get("fillpattern", {}).get("shape") == "/"}
    assert hatched == set(iris.set_index("code").loc[sorted(blank), "name"])
    note = REGISTRY["logement-carte"].note["fr"]
    assert "sans valeur publiable" in note and "hachuré" in note
    assert not note.startswith("Quartiers hachurés")  # no claim that some are hatched when none is

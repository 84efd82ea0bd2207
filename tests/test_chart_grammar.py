"""The rules every chart of the registry shares, checked on its figure as the site, the widget and the image get
it: colours unique and visible (3:1, RGAA 3.3) on the light and the dark page, French tick labels written by the
server (so that plotly.js and kaleido agree), percent axes in the page's number format, no cloud button."""

from __future__ import annotations

import re
from datetime import date

import pytest

from webapp.charts import REGISTRY, load_all
from webapp.figures.base import (
    AREA_COLOR,
    DARK_BACKGROUND,
    LIGHT_BACKGROUND,
    dark_figure,
    graph_config,
    legend_rows,
    percent_axis,
    time_axis,
    with_legend_room,
    year_axis,
)

load_all()
SLUGS = sorted(REGISTRY)
LANGS = ("fr", "en")
FRENCH_MONTHS = "janv. févr. mars avr. mai juin juil. août sept. oct. nov. déc.".split()  # CLDR, as issue 14 lists


def luminance(color: str) -> float:
    """WCAG relative luminance of '#rrggbb'."""
    channels = [int(color[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def view(server, slug: str, lang: str) -> dict:
    from embeds.request import parse_widget

    with server.test_request_context():
        w = parse_widget(slug, {"lang": lang})
        return w.chart.view(w.params, w.lang)


@pytest.fixture(scope="module")
def figures(server):
    return {(slug, lang): view(server, slug, lang)["figure"] for slug in SLUGS for lang in LANGS}


def data_traces(figure: dict) -> list[dict]:
    """The traces that carry data: not the map's grey areas, not the colour bar's invisible carrier."""
    return [t for t in figure["data"] if not (t.get("fill") == "toself" and t.get("fillcolor") == AREA_COLOR)
            and t.get("x") != [None]]


def trace_colors(trace: dict) -> list[str]:
    """The plain colours a trace is drawn in (a colour scale's colours are the scale's own)."""
    found = []
    for part in (trace.get("marker", {}), trace.get("line", {})):
        color = part.get("color")
        for c in color if isinstance(color, list) else [color]:
            if isinstance(c, str) and re.fullmatch(r"#[0-9a-fA-F]{6}", c):
                found.append(c.lower())
    return found


@pytest.mark.parametrize("slug", SLUGS)
def test_data_colours_show_on_the_light_and_the_dark_page(figures, slug):
    light = figures[slug, "fr"]
    for figure, background in ((light, LIGHT_BACKGROUND), (dark_figure(light), DARK_BACKGROUND)):
        for trace in data_traces(figure):
            main = trace.get("marker", {}).get("color") if trace.get("type") in ("bar", "scatter") else None
            colors = [main.lower()] if isinstance(main, str) and main.startswith("#") else []
            if trace.get("mode", "") in ("lines", "lines+markers") and trace.get("fill") != "toself":  # not an outline
                colors.append(str(trace.get("line", {}).get("color", "")).lower())
            for color in [c for c in colors if re.fullmatch(r"#[0-9a-f]{6}", c)]:
                assert contrast(color, background) >= 3, (slug, trace.get("name"), color, background)


@pytest.mark.parametrize("slug", SLUGS)
def test_each_legend_entry_has_its_own_colour(figures, slug):
    figure = figures[slug, "fr"]
    shown = [t for t in data_traces(figure) if t.get("name") and t.get("showlegend", True)]
    keys = [(tuple(trace_colors(t)[:1]), t.get("line", {}).get("dash", "solid"), t.get("marker", {}).get("symbol"))
            for t in shown]
    colours = [k[0] for k in keys]
    assert len(set(colours)) == len(colours), (slug, [(t["name"], trace_colors(t)[:1]) for t in shown])


@pytest.mark.parametrize("slug", SLUGS)
@pytest.mark.parametrize("lang", LANGS)
def test_time_axes_are_labelled_by_the_server(figures, slug, lang):
    """A date axis without its own labels would be written by plotly's locale: 'Jan', 'Déc' in the browser,
    'May 2025' in the server's images."""
    layout = figures[slug, lang]["layout"]
    for key, axis in layout.items():
        if key.startswith(("xaxis", "yaxis")) and isinstance(axis, dict) and axis.get("type") == "date":
            if axis.get("visible", True) and axis.get("showticklabels", True):
                assert axis.get("tickmode") == "array" and axis.get("ticktext"), (slug, key)
        if key.startswith(("xaxis", "yaxis")) and isinstance(axis, dict):
            assert "%" not in str(axis.get("tickformat", "")), (slug, key, "percent ticks without the page's format")


def test_the_time_axis_speaks_french():
    axis = time_axis(date(2024, 12, 1), date(2025, 11, 30), "fr", max_ticks=12)
    months = [t.split("<br>")[0] for t in axis["ticktext"]]
    assert set(months) <= set(FRENCH_MONTHS)
    assert "<br>2025" in axis["ticktext"][months.index("janv.")]
    days = time_axis(date(2024, 11, 25), date(2024, 12, 20), "fr", max_ticks=30)
    assert "1er déc." in days["ticktext"]
    english = time_axis(date(2024, 12, 1), date(2025, 11, 30), "en")
    assert all(t.split("<br>")[0] in {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sept", "Oct", "Nov",
                                      "Dec"} for t in english["ticktext"])


@pytest.mark.parametrize("span", [(date(2024, 1, 1), date(2024, 1, 20)), (date(2024, 12, 1), date(2025, 12, 31)),
                                  (date(2016, 1, 1), date(2025, 12, 31)), (date(2025, 3, 1), date(2025, 5, 31))])
def test_time_axis_labels_fit_a_phone_and_stay_inside(span):
    first, last = span
    axis = time_axis(first, last, "fr")
    ticks = [date.fromisoformat(v) for v in axis["tickvals"]]
    assert 1 <= len(ticks) <= 6
    assert all(first < t < last for t in ticks), "no label centred on an end of the axis"


def test_percent_axis_in_the_page_format():
    axis = percent_axis(0.23, "fr")
    assert axis["ticktext"][:3] == ["0\u202f%", "5\u202f%", "10\u202f%"]
    assert axis["tickvals"][-1] >= 0.23 and len(axis["tickvals"]) <= 6
    assert percent_axis(1, "en")["ticktext"][-1] == "100%"


def test_year_axis_keeps_the_last_year_and_fits():
    axis = year_axis(range(2014, 2026))
    assert axis["tickvals"][-1] == 2025 and len(axis["tickvals"]) <= 6


def test_no_cloud_or_share_button():
    config = graph_config("fr")
    assert {"sendDataToCloud", "editInChartStudio"} <= set(config["modeBarButtonsToRemove"])
    assert config["showSendToCloud"] is False and config["showEditInChartStudio"] is False
    assert config["displaylogo"] is False


def test_the_legend_gets_its_own_room():
    names = ["Résidences principales", "Résidences secondaires", "Logements vacants", "Propriétaires"]
    figure = {"data": [{"name": n} for n in names],
              "layout": {"height": 300, "margin": {"t": 8}, "legend": {"yanchor": "bottom"}}}
    roomy = with_legend_room(figure)
    rows = legend_rows(names)
    assert rows >= 2
    assert roomy["layout"]["margin"]["t"] >= 24 * rows
    assert roomy["layout"]["height"] - roomy["layout"]["margin"]["t"] == 300 - 8, "the plot keeps its height"
    assert figure["layout"]["margin"]["t"] == 8, "the cached figure is left as it was"


def test_the_plotly_bundle_carries_the_sites_formats():
    """Browser and kaleido draw with the vendored bundle: it must end with the formats webapp/figures/locale.py
    writes (rebuild with assets/vendor/build.sh after changing them)."""
    from pathlib import Path

    from webapp.figures.locale import plotly_locale, registration_script

    bundle = (Path(__file__).resolve().parents[1] / "assets/vendor/plotly-basic-fr.min.js").read_text(encoding="utf-8")
    assert bundle.endswith(registration_script())
    assert plotly_locale("fr")["format"]["shortMonths"] == FRENCH_MONTHS
    assert plotly_locale("fr")["format"]["days"][0] == "dimanche" and plotly_locale("fr")["format"]["decimal"] == ","


NUMBER = re.compile(r"\d{1,3}(?:[\u202f\u00a0 ]\d{3})*(?:,\d+)?")


def scales(figure: dict) -> list[dict]:
    return [t["marker"] for t in figure["data"] if t.get("marker", {}).get("showscale")]


@pytest.mark.parametrize("slug", SLUGS)
def test_colour_scales_end_at_the_extremes_the_summary_states(server, slug):
    """A colour bar is labelled at its ends with its lowest and highest values, and the chart's sentence states
    the same two figures (not a 10-90 % range on the scale and the extremes in the text)."""
    shown = view(server, slug, "fr")
    for marker in scales(shown["figure"]):
        labels = marker["colorbar"]["ticktext"]
        ends = [NUMBER.search(labels[0]).group(), NUMBER.search(labels[-1]).group()]
        stated = NUMBER.findall(shown["summary"])
        assert marker["colorbar"]["tickvals"][0] == marker["cmin"], (slug, "the scale's first label is its end")
        assert marker["colorbar"]["tickvals"][-1] in (marker["cmax"], marker["cmin"]), slug
        assert all(end in stated for end in ends), (slug, ends, shown["summary"])


def test_tables_write_dates_as_a_reader_does(server):
    """The days and months of the tables read '1er décembre 2024', 'décembre 2024'; the CSV keeps ISO dates."""
    for slug, column in (("frequentation-jours", 0), ("frequentation-visiteurs", 0), ("signalements-mois", 0)):
        table = view(server, slug, "fr")["table"]
        shown, raw = table["rows"][0][column], str(table["raw"][0][column])
        assert re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", raw[:10] if len(raw) > 7 else raw), raw
        month = FRENCH_MONTHS_LONG[int(raw[5:7]) - 1]
        assert month in shown and raw[:4] in shown and not re.search(r"\d{4}-\d{2}", shown), (slug, shown)


FRENCH_MONTHS_LONG = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
                      "novembre", "décembre"]

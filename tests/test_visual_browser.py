"""What people see, checked on every chart of the registry as the story page, the widget and the exported image
draw it, at 390 and 1366 px, light and dark: no two texts over each other, no text off the canvas, no legend
entry that draws nothing, no scrolling legend, no English month in a French view, no cloud button.

The story pages have one (light) theme; widgets and images have two. The image is measured on its SVG (the PNG
is the same drawing rasterised by the same kaleido export). `make gallery` writes the same renderings as PNGs.
"""

from __future__ import annotations

import pytest

from tests.visual import MEASURE, SLUGS, THEMES, WIDTHS, Rendering, _context, all_renderings, problems

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def renderings(browser, live_server, server):
    if hasattr(browser, "message"):  # Chromium missing: fail with the fix, like every browser test
        pytest.fail(browser.message, pytrace=False)
    return all_renderings(browser, live_server, server.test_client())


def test_every_chart_is_checked_on_every_surface(renderings):
    expected = len(SLUGS) * len(WIDTHS) * (1 + 2 * len(THEMES))  # site (light) + widget and image (both themes)
    assert len(renderings) == expected
    assert {r.slug for r in renderings} == set(SLUGS)
    drawn = [r for r in renderings if r.measured["canvas"]["w"] > 0 and r.measured["canvas"]["h"] > 0]
    assert len(drawn) == len(renderings), [r.name for r in renderings if r not in drawn]
    assert sum(len(r.measured["texts"]) for r in renderings) > 10 * len(renderings), "ticks, legends and labels measured"


def test_what_people_see_has_no_fault(renderings):
    found = [p for r in renderings for p in problems(r)]
    assert found == [], f"{len(found)} problems in {len(renderings)} renderings:\n" + "\n".join(found)


# --- the check can fail ------------------------------------------------------------------------

BAD_FIGURE = {
    "data": [{"type": "bar", "name": "Passages", "x": ["2025-01-15", "2025-05-15", "2025-09-15"], "y": [3, 5, 4]},
             {"type": "scatter", "mode": "lines", "name": "Invisible", "x": ["2025-01-15"], "y": [1],
              "line": {"width": 0}}],
    "layout": {"width": 360, "height": 300, "margin": {"l": 30, "r": 10, "t": 10, "b": 30},
               "xaxis": {"type": "date", "tickformat": "%b %Y"},  # plotly's own (English) month names
               "legend": {"orientation": "h", "y": -0.02, "yanchor": "top"},  # over the tick labels
               "annotations": [{"text": "Source : un texte bien trop long pour tenir dans la largeur de l'image",
                                "xref": "paper", "yref": "paper", "x": 0.6, "xanchor": "left", "y": 0.5,
                                "showarrow": False}]},
}


def test_the_check_finds_what_a_person_would_see(browser, live_server):
    context = _context(browser, 400)
    page = context.new_page()
    page.goto(f"{live_server}/embed/{SLUGS[0]}", wait_until="domcontentloaded")
    page.dispatch_event("#w-chart", "focusin")
    page.wait_for_selector("#w-chart.w-live")
    page.evaluate("(f) => { const d = document.createElement('div'); d.id = 'bad'; document.body.appendChild(d);"
                  " return Plotly.newPlot(d, f.data, f.layout, {locale: 'en'}); }", BAD_FIGURE)
    measured = page.evaluate(MEASURE, page.query_selector("#bad"))
    found = problems(Rendering("bad", "test", 400, "light", "fr", measured))
    context.close()
    assert any("overlaps" in p and "legend" in p for p in found), found
    assert any("is not a French month" in p for p in found), found
    assert any("leaves the canvas" in p for p in found), found
    assert any("«Invisible» draws nothing" in p for p in found), found


def test_plotly_writes_cldr_french_months(browser, live_server):
    """A date axis left to plotly.js is written with the site's formats (webapp/figures/locale.py)."""
    context = _context(browser, 800)
    page = context.new_page()
    page.goto(f"{live_server}/embed/{SLUGS[0]}", wait_until="domcontentloaded")
    page.dispatch_event("#w-chart", "focusin")
    page.wait_for_selector("#w-chart.w-live")
    labels = page.evaluate(
        "() => { const d = document.createElement('div'); document.body.appendChild(d);"
        " const x = ['2025-01-15', '2025-02-15', '2025-06-15', '2025-07-15', '2025-12-15'];"
        " return Plotly.newPlot(d, [{x, y: [1, 2, 3, 4, 5], type: 'bar'}],"
        " {width: 700, xaxis: {type: 'date', tickformat: '%b', tickvals: x}}, {locale: 'fr'})"
        ".then(() => Array.from(d.querySelectorAll('.xtick text')).map((t) => t.textContent)); }")
    context.close()
    assert labels == ["janv.", "févr.", "juin", "juil.", "déc."]

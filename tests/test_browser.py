"""Real-browser tests (Chromium through Playwright): rendering, a filter, console, accessibility."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.helpers import read_source_csv

pytestmark = pytest.mark.browser

FORBIDDEN = ("plotly.min.js", "/_dash-component-suites/plotly/")
MAP_PLOT = '[data-chart="ecoles-carte"] .js-plotly-plot'


def wait_rendered(page, open_filters: bool = True) -> None:
    """Until the Dash app has drawn the page and site.js has removed the server's copy.

    The filters panel, folded on a phone (the tests' 412 px), is then opened as a reader would,
    unless `open_filters` is False (the tests of that folding).
    """
    page.wait_for_function("() => !document.body.classList.contains('prerendered')")
    page.wait_for_function("() => document.getElementById('prerender') === null")
    page.wait_for_function("() => document.querySelector('#page-content h1') !== null")
    if open_filters:
        page.evaluate("() => document.querySelectorAll('#page-content details.filters').forEach(d => { d.open = true; })")


def assert_no_axe_violation(page, when: str) -> None:
    result = Axe().run(page)
    violations = result.response["violations"]
    details = [(v["id"], v.get("impact"), [n["target"] for n in v["nodes"]]) for v in violations]
    assert violations == [], f"axe violations {when}: {details}"


def assert_clean(watched) -> None:
    assert watched.problems == [], "console errors/warnings or page errors: " + "\n".join(watched.problems)
    bad = [u for u in watched.requests if any(f in u for f in FORBIDDEN)]
    assert bad == [], f"the full plotly bundle was requested: {bad}"


def scroll_to_bottom_slowly(page) -> None:
    for _ in range(80):
        at_bottom = page.evaluate(
            "() => window.scrollY + window.innerHeight >= document.documentElement.scrollHeight - 2")
        if at_bottom:
            break
        page.mouse.wheel(0, 500)
        page.wait_for_timeout(120)


def mount_chart(page, slug: str) -> str:
    """Bring a chart into view (charts are mounted lazily) and wait for Plotly to draw it."""
    selector = f'[data-chart="{slug}"] .js-plotly-plot'
    page.evaluate("(s) => document.querySelector(`[data-chart=\"${s}\"]`).scrollIntoView({block: 'center'})", slug)
    page.wait_for_function(
        "(sel) => { const el = document.querySelector(sel); return el && el.data && el._fullLayout; }",
        arg=selector)
    return selector


def url_params(page) -> dict[str, str]:
    return page.evaluate("() => Object.fromEntries(new URLSearchParams(window.location.search))")


def map_marker_count(page) -> int:
    return page.evaluate(
        """(sel) => {
            const el = document.querySelector(sel);
            return el.data.filter(t => t.mode === 'markers').reduce((n, t) => n + t.x.length, 0);
        }""",
        MAP_PLOT,
    )


def test_home_page(watched, live_server):
    page = watched.page
    response = page.goto(live_server + "/")
    assert response.status == 200
    wait_rendered(page)
    assert "prerendered" not in (page.get_attribute("body", "class") or "")
    assert page.locator("#page-content h1").count() == 1
    assert page.locator("html").get_attribute("lang") == "fr"
    assert_no_axe_violation(page, "on the home page")
    assert_clean(watched)


def test_ecoles_charts_filter_and_accessibility(watched, live_server):
    page = watched.page
    page.goto(live_server + "/ecoles")
    wait_rendered(page)
    assert_no_axe_violation(page, "on /ecoles at load")

    scroll_to_bottom_slowly(page)
    page.wait_for_function("() => document.querySelectorAll('.js-plotly-plot').length >= 5")
    assert page.locator(".js-plotly-plot").count() >= 5
    page.wait_for_function("(sel) => { const el = document.querySelector(sel); return el && el.data; }",
                           arg=MAP_PLOT)
    before_markers = map_marker_count(page)
    before_summary = page.locator("#ecoles-carte-summary").inner_text()

    page.get_by_label("Privé sous contrat", exact=True).check()
    page.wait_for_function("() => window.location.search.includes('secteur=prive')")
    page.wait_for_function(
        "([id, text]) => document.getElementById(id).innerText !== text",
        arg=["ecoles-carte-summary", before_summary],
    )
    page.wait_for_function(
        """([sel, n]) => {
            const el = document.querySelector(sel);
            return el && el.data && el.data.filter(t => t.mode === 'markers')
                .reduce((m, t) => m + t.x.length, 0) !== n;
        }""",
        arg=[MAP_PLOT, before_markers],
    )
    assert "secteur=prive" in page.url
    after_markers = map_marker_count(page)
    private_colleges = [r for r in read_source_csv("schools/colleges-adresse-geolocalisation-dep62.csv")
                        if r["code_commune"] == "62041" and r["secteur_public_prive_libe"].lower().startswith("priv")]
    # The open files locate private collèges only (the lycée coordinates are of public lycées).
    assert after_markers == len(private_colleges) < before_markers
    assert page.locator("#ecoles-carte-summary").inner_text() != before_summary
    assert page.get_by_label("Privé sous contrat", exact=True).is_checked()

    assert_no_axe_violation(page, "on /ecoles after choosing the private sector")
    assert_clean(watched)


def test_ecoles_in_english_with_one_level(watched, live_server):
    page = watched.page
    page.goto(live_server + "/ecoles?niveau=college&lang=en")
    wait_rendered(page)
    assert page.locator("html").get_attribute("lang") == "en"
    h1 = page.locator("#page-content h1").inner_text()
    assert h1.startswith("Schools"), h1
    boxes = page.evaluate(
        "() => Array.from(document.querySelectorAll('#ecoles-niveau input[type=checkbox]'))"
        ".map(i => [i.value, i.checked])")
    assert sorted(boxes) == [["college", True], ["ecole", False], ["lycee", False]]
    assert page.get_by_label("Collèges", exact=True).is_checked()
    assert_clean(watched)


def test_ecoles_key_figures_use_french_formats(watched, live_server):
    page = watched.page
    page.goto(live_server + "/ecoles")
    wait_rendered(page)
    values = page.locator("#page-content .key-value").all_inner_texts()
    assert values
    assert any("\u202f" in v or "," in v for v in values), values
    assert not any("." in v for v in values), values
    assert_clean(watched)


@pytest.mark.parametrize("path", ["/", "/ecoles"])
def test_no_horizontal_scroll_at_320px(watched, live_server, path):
    page = watched.page
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(live_server + path)
    wait_rendered(page)
    if path == "/ecoles":
        scroll_to_bottom_slowly(page)
        page.wait_for_function("() => document.querySelectorAll('.js-plotly-plot').length >= 5")
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 320, f"{path} scrolls horizontally at 320 px ({width} px wide)"
    assert_clean(watched)

"""Real-browser tests (Chromium through Playwright) of the housing story at /logement.

Filters, the shareable URL, the "mon quartier" box, the map that picks a quartier when tapped,
the English page, a bad parameter, console and accessibility. Expected texts are computed by the
app's own chart functions on the same database, so a wrong callback wiring cannot go unnoticed.
"""

from __future__ import annotations

import pytest

from tests.test_browser import (
    assert_clean,
    assert_no_axe_violation,
    mount_chart,
    scroll_to_bottom_slowly,
    url_params,
    wait_rendered,
)

pytestmark = pytest.mark.browser

CHART_SLUGS = ("logement-prix", "logement-ventes", "logement-carte", "logement-parc")
MAP_PLOT = '[data-chart="logement-carte"] .js-plotly-plot'
SALES_PLOT = '[data-chart="logement-ventes"] .js-plotly-plot'
BOX = "#logement-mon-quartier"

# The IRIS codes whose outline is drawn as the chosen one (thick and dark) on the map.
SELECTED_OUTLINES_JS = """(sel) => {
    const gd = document.querySelector(sel);
    const codes = ((gd.layout || {}).meta || {}).iris || [];
    return gd.data.map((t, i) => [t.line ? t.line.width : null, codes[i]])
        .filter(p => p[0] === 3).map(p => p[1]);
}"""

# A page position well inside one IRIS of the map, and that IRIS's code: the IRIS offering the
# largest inscribed circle (so a click cannot fall on a border), its centre found on a pixel grid.
# Data -> pixels: the axis's offset in the plot (`_offset`, the plot area's left/top from
# `_fullLayout._size` plus the domain shrunk by the equal-scale constraint) + `l2p`.
MAP_CLICK_POINT_JS = """(sel) => {
    const gd = document.querySelector(sel);
    const fl = gd._fullLayout, xa = fl.xaxis, ya = fl.yaxis;
    const codes = ((gd.layout || {}).meta || {}).iris || [];
    const rings = (t) => {
        const out = []; let cur = [];
        for (let k = 0; k < t.x.length; k++) {
            if (t.x[k] === null || t.y[k] === null) { if (cur.length) { out.push(cur); } cur = []; }
            else { cur.push([xa._offset + xa.l2p(t.x[k]), ya._offset + ya.l2p(t.y[k])]); }
        }
        if (cur.length) { out.push(cur); }
        return out;
    };
    const inside = (p, rs) => {
        let c = false;
        for (const r of rs) {
            for (let a = 0, b = r.length - 1; a < r.length; b = a++) {
                const [xa1, ya1] = r[a], [xb, yb] = r[b];
                if ((ya1 > p[1]) !== (yb > p[1]) && p[0] < (xb - xa1) * (p[1] - ya1) / (yb - ya1) + xa1) { c = !c; }
            }
        }
        return c;
    };
    const edgeDistance = (p, rs) => {
        let best = Infinity;
        for (const r of rs) {
            for (let a = 0, b = r.length - 1; a < r.length; b = a++) {
                const [x1, y1] = r[b], [x2, y2] = r[a];
                const dx = x2 - x1, dy = y2 - y1, len = dx * dx + dy * dy;
                const u = len ? Math.max(0, Math.min(1, ((p[0] - x1) * dx + (p[1] - y1) * dy) / len)) : 0;
                best = Math.min(best, Math.hypot(p[0] - x1 - u * dx, p[1] - y1 - u * dy));
            }
        }
        return best;
    };
    const shapes = gd.data.map((t, i) => codes[i] ? {code: codes[i], rings: rings(t)} : null).filter(Boolean);
    let best = null;
    for (const s of shapes) {
        const pts = s.rings.flat();
        const xs = pts.map(p => p[0]), ys = pts.map(p => p[1]);
        const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
        for (let x = x0; x <= x1; x += 2) {
            for (let y = y0; y <= y1; y += 2) {
                const p = [x, y];
                if (!inside(p, s.rings) || shapes.some(o => o !== s && inside(p, o.rings))) { continue; }
                const d = edgeDistance(p, s.rings);
                if (!best || d > best.d) { best = {code: s.code, x: x, y: y, d: d}; }
            }
        }
    }
    const box = gd.getBoundingClientRect();
    return {code: best.code, margin: best.d, x: box.left + best.x, y: box.top + best.y,
            plot: [xa._offset, ya._offset, xa._length, ya._length]};
}"""


# --- helpers -------------------------------------------------------------------------------------

def expected(server, fn, args: dict[str, str], lang: str = "fr"):
    """What the app's chart code says for a query string (the same database as the live server)."""
    from webapp.charts import housing as hc

    with server.test_request_context():
        return fn(hc.parse_filters(args), lang)


def quartier_names(server) -> dict[str, str]:
    from webapp.charts import housing as hc

    with server.test_request_context():
        return hc.quartier_names()


def box_content(page) -> dict:
    """The "mon quartier" box: its heading (the quartier's name) and its sentences."""
    return page.evaluate(
        """(sel) => {
            const box = document.querySelector(sel);
            const h = box.querySelector('h3');
            return {name: h ? h.textContent : null,
                    sentences: Array.from(box.querySelectorAll('li')).map(li => li.textContent),
                    text: box.textContent};
        }""",
        BOX,
    )


def wait_box_names(page, name: str) -> None:
    page.wait_for_function(
        "([sel, name]) => { const h = document.querySelector(sel + ' h3'); return h && h.textContent === name; }",
        arg=[BOX, name])


def trace_names(page, selector: str) -> list[str]:
    return page.evaluate("(sel) => document.querySelector(sel).data.map(t => t.name)", selector)


# --- tests ---------------------------------------------------------------------------------------

def test_housing_page_renders_in_french_accessible_and_clean(watched, live_server):
    page = watched.page
    response = page.goto(live_server + "/logement")
    assert response.status == 200
    wait_rendered(page)
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.locator("#page-content h1").inner_text().startswith("Le logement")

    # Demo data is said so: once, in the callout under the title, and by a small badge on each chart.
    callout = page.locator("#page-content .callout-demo")
    assert callout.is_visible() and page.locator("#page-content .callout-demo").count() == 1
    assert callout.inner_text().startswith("Données de démonstration")
    assert page.locator("#page-content .chart-source strong").count() == 0
    badge = page.locator("#page-content .chart-head .demo-badge").first
    assert badge.is_visible() and badge.inner_text().strip() == "Démo"

    # The filters are there, with their defaults.
    assert page.locator("#logement-type input[type=radio]:checked").get_attribute("value") == "tous"
    assert page.locator("#logement-quartier").input_value() == "tous"
    assert page.locator("#logement-indicateur input[type=radio]:checked").get_attribute("value") == "prix"
    assert page.locator("#logement-debut").input_value() < page.locator("#logement-fin").input_value()
    assert_no_axe_violation(page, "on /logement at load (filters shown, charts not drawn yet)")

    scroll_to_bottom_slowly(page)
    page.wait_for_function(
        """(slugs) => slugs.every(s => {
            const el = document.querySelector(`[data-chart="${s}"] .js-plotly-plot`);
            return el && el.data && el.data.length > 0;
        })""",
        arg=list(CHART_SLUGS))
    assert page.locator("#page-content .js-plotly-plot").count() == len(CHART_SLUGS)
    # The map draws one filled shape per quartier of the list, and knows each one's code (for a tap).
    map_codes = page.evaluate(
        "(sel) => { const gd = document.querySelector(sel);"
        " return gd.data.map((t, i) => t.fill === 'toself' ? gd.layout.meta.iris[i] : null).filter(Boolean); }",
        MAP_PLOT)
    listed = page.evaluate("() => Array.from(document.querySelectorAll('#logement-quartier option'))"
                           ".map(o => o.value).filter(v => v && v !== 'tous')")
    assert sorted(map_codes) == sorted(listed) and len(listed) > 1
    assert_no_axe_violation(page, "on /logement with every chart drawn")
    assert_clean(watched)


def test_type_and_period_filters_update_url_summary_and_sales(watched, live_server, server):
    from webapp.charts import housing as hc

    page = watched.page
    page.goto(live_server + "/logement")
    wait_rendered(page)
    assert page.evaluate("() => window.location.search") == ""

    # The sales chart drawn first, with both dwelling types.
    mount_chart(page, "logement-ventes")
    assert trace_names(page, SALES_PLOT) == ["Appartements", "Maisons"]
    before = page.locator("#logement-prix-summary").text_content()
    assert before == expected(server, hc.view_prices, {})["summary"]

    page.locator("#logement-type").get_by_label("Maisons", exact=True).check()
    page.locator("#logement-debut").select_option("2020")
    page.locator("#logement-fin").select_option("2023")

    page.wait_for_function("() => window.location.search === '?type=maison&debut=2020&fin=2023'")
    assert url_params(page) == {"type": "maison", "debut": "2020", "fin": "2023"}

    after = expected(server, hc.view_prices, {"type": "maison", "debut": "2020", "fin": "2023"})["summary"]
    assert after != before
    page.wait_for_function("([id, text]) => document.getElementById(id).textContent === text",
                           arg=["logement-prix-summary", after])
    assert "maisons" in after and "2023" in after and "2020" in after

    page.wait_for_function(
        """(sel) => {
            const el = document.querySelector(sel);
            return el && el.data && el.data.length === 1 && el.data[0].name === 'Maisons'
                && el.data[0].x.length === 4;
        }""",
        arg=SALES_PLOT)
    traces = page.evaluate("(sel) => document.querySelector(sel).data.map(t => [t.name, t.x])", SALES_PLOT)
    assert traces == [["Maisons", [2020, 2021, 2022, 2023]]]
    assert page.locator("#logement-type input[type=radio]:checked").get_attribute("value") == "maison"
    assert_clean(watched)


def test_choosing_a_quartier_fills_the_box_url_and_map_outline(watched, live_server, server):
    from webapp.charts import housing as hc

    names = quartier_names(server)
    code, name = next(iter(names.items()))
    sentences = expected(server, hc.neighbourhood, {"quartier": code})
    assert sentences, "the chosen quartier should have figures to tell"

    page = watched.page
    page.goto(live_server + "/logement")
    wait_rendered(page)
    assert box_content(page)["name"] is None
    assert box_content(page)["text"].startswith("Choisissez un quartier")

    mount_chart(page, "logement-carte")
    assert page.evaluate(SELECTED_OUTLINES_JS, MAP_PLOT) == []

    page.locator("#logement-quartier").select_option(code)
    page.wait_for_function("(code) => new URLSearchParams(window.location.search).get('quartier') === code",
                           arg=code)

    wait_box_names(page, name)
    box = box_content(page)
    assert box["sentences"] == sentences
    assert "Choisissez un quartier" not in box["text"]

    page.wait_for_function(f"(sel) => ({SELECTED_OUTLINES_JS})(sel).length > 0", arg=MAP_PLOT)
    assert page.evaluate(SELECTED_OUTLINES_JS, MAP_PLOT) == [code]
    assert_clean(watched)
    # The shareable link leaves the defaults out: only the quartier differs from them.
    assert url_params(page) == {"quartier": code}


def test_clicking_a_quartier_on_the_map_chooses_it(watched, live_server, server):
    from webapp.charts import housing as hc

    names = quartier_names(server)
    page = watched.page
    page.goto(live_server + "/logement")
    wait_rendered(page)
    mount_chart(page, "logement-carte")

    target = page.evaluate(MAP_CLICK_POINT_JS, MAP_PLOT)
    code = target["code"]
    assert code in names
    assert target["margin"] >= 6, f"no point far enough from the borders to click: {target}"
    viewport = page.viewport_size
    assert 0 < target["x"] < viewport["width"] and 0 < target["y"] < viewport["height"], target

    page.mouse.move(target["x"], target["y"])
    page.mouse.click(target["x"], target["y"])

    page.wait_for_function("(code) => document.getElementById('logement-quartier').value === code", arg=code)
    assert page.locator("#logement-quartier").input_value() == code
    page.wait_for_function("(code) => new URLSearchParams(window.location.search).get('quartier') === code",
                           arg=code)

    wait_box_names(page, names[code])
    assert box_content(page)["sentences"] == expected(server, hc.neighbourhood, {"quartier": code})
    page.wait_for_function(f"(sel) => ({SELECTED_OUTLINES_JS})(sel).length > 0", arg=MAP_PLOT)
    assert page.evaluate(SELECTED_OUTLINES_JS, MAP_PLOT) == [code]
    assert_clean(watched)
    # The shareable link leaves the defaults out: only the quartier differs from them.
    assert url_params(page) == {"quartier": code}


def test_my_neighbourhood_in_english(watched, live_server, server):
    from webapp.charts import housing as hc

    names = quartier_names(server)
    code = list(names)[len(names) // 2]
    sentences = expected(server, hc.neighbourhood, {"quartier": code}, "en")
    assert sentences

    page = watched.page
    response = page.goto(live_server + f"/logement?lang=en&quartier={code}")
    assert response.status == 200
    wait_rendered(page)
    assert page.locator("html").get_attribute("lang") == "en"
    section = page.get_by_role("region", name="My neighbourhood")
    assert section.locator("h2").inner_text() == "My neighbourhood"
    assert page.locator("#logement-quartier").input_value() == code

    box = box_content(page)
    assert box["name"] == names[code]
    assert box["sentences"] == sentences
    assert any(s.startswith("The neighbourhood has") for s in sentences) or any(
        s.startswith(("Flats:", "Houses:")) for s in sentences)
    for french in ("Appartements", "Maisons", "Le quartier compte", "Revenu médian", "médiane de la ville"):
        assert french not in box["text"], f"French text {french!r} in the English box: {box['text']}"

    scroll_to_bottom_slowly(page)
    page.wait_for_function("() => document.querySelectorAll('#page-content .js-plotly-plot').length >= 4")
    assert page.evaluate(SELECTED_OUTLINES_JS, MAP_PLOT) == [code]
    assert_clean(watched)


def test_bad_parameter_answers_400_with_the_allowed_values(watched, live_server):
    page = watched.page
    response = page.goto(live_server + "/logement?type=villa")
    assert response.status == 400
    message = "Le paramètre « type » ne peut pas valoir « villa ». Valeurs possibles : appartement, maison, tous."
    assert message in response.text()
    wait_rendered(page)
    assert message in page.locator("#page-content").inner_text()
    assert page.locator("#logement-type").count() == 0  # no story page under the error
    # Chromium reports the document's own 400 in the console; nothing else may go wrong.
    others = [p for p in watched.problems if "status of 400" not in p]
    assert others == [], "console errors/warnings or page errors: " + "\n".join(others)

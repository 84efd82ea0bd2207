"""Real-browser tests (Chromium through Playwright) of the footfall story at /frequentation.

Filters (counting point, period, event, zone, visitors), the shareable URL, the map that picks a
counting point when tapped, the English page, a bad parameter, console and accessibility. Expected
texts are computed by the app's own chart views on the same database, so a wrong callback wiring
cannot go unnoticed.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.test_browser import (
    assert_clean,
    assert_no_axe_violation,
    mount_chart,
    scroll_to_bottom_slowly,
    url_params,
    wait_rendered,
)

pytestmark = pytest.mark.browser

CHART_SLUGS = ("frequentation-jours", "frequentation-semaine", "frequentation-carte", "frequentation-evenement",
               "frequentation-visiteurs", "frequentation-origines")
DAILY_PLOT = '[data-chart="frequentation-jours"] .js-plotly-plot'
MAP_PLOT = '[data-chart="frequentation-carte"] .js-plotly-plot'
EVENT_PLOT = '[data-chart="frequentation-evenement"] .js-plotly-plot'
VISITORS_PLOT = '[data-chart="frequentation-visiteurs"] .js-plotly-plot'

# The site_ids of the counting points drawn as the chosen one (thick black outline) on the map.
SELECTED_POINTS_JS = """(sel) => {
    const gd = document.querySelector(sel);
    const meta = (gd.layout || {}).meta || {};
    const t = gd.data[meta.trace];
    const widths = [].concat((t.marker.line || {}).width || []);
    return (meta.points || []).filter((p, i) => widths[i] === 3);
}"""

# A page position on one counting point of the map (a marker of the last trace) and its site_id:
# the marker whose centre lies farthest from every other marker's centre, so a click on it cannot
# pick a neighbour. Data -> pixels: the axis's offset in the plot (`_offset`, the plot area's
# left/top plus the domain shrunk by the equal-scale constraint) + `l2p`.
MAP_CLICK_POINT_JS = """(sel) => {
    const gd = document.querySelector(sel);
    const fl = gd._fullLayout, xa = fl.xaxis, ya = fl.yaxis;
    const meta = (gd.layout || {}).meta || {};
    const t = gd.data[meta.trace];
    const pts = t.x.map((x, i) => ({i: i, x: xa._offset + xa.l2p(x), y: ya._offset + ya.l2p(t.y[i])}));
    const inside = (p) => p.x >= xa._offset + 4 && p.x <= xa._offset + xa._length - 4
        && p.y >= ya._offset + 4 && p.y <= ya._offset + ya._length - 4;
    let best = null;
    for (const p of pts.filter(inside)) {
        const d = Math.min(...pts.filter(o => o !== p).map(o => Math.hypot(o.x - p.x, o.y - p.y)));
        if (!best || d > best.gap) { best = {i: p.i, x: p.x, y: p.y, gap: d}; }
    }
    const box = gd.getBoundingClientRect();
    return {site: meta.points[best.i], trace: meta.trace, traces: gd.data.length, gap: best.gap,
            x: box.left + best.x, y: box.top + best.y, plot: [xa._offset, ya._offset, xa._length, ya._length]};
}"""


# --- helpers -------------------------------------------------------------------------------------

def expected(server, slug: str, args: dict[str, str], lang: str = "fr") -> dict:
    """What the app's chart view says for a query string (the same database as the live server)."""
    from webapp.charts import charts_of
    from webapp.charts import footfall as fc

    with server.test_request_context():
        chart = next(c for c in charts_of(fc.STORY) if c.slug == slug)
        return chart.view(fc.parse_filters(args), lang)


def story_values(server) -> dict:
    """The counting points (site_id -> name), months, zones, events and the default event."""
    from webapp.charts import footfall as fc

    with server.test_request_context():
        return {"points": fc.points(), "months": fc.months(), "zones": fc.zones(), "events": fc.events(),
                "default_event": fc.default_event()}


def wait_text(page, id_: str, text: str) -> None:
    """Until an element reads `text`; on a timeout, fails showing what it reads instead."""
    try:
        page.wait_for_function("([id, text]) => document.getElementById(id).textContent === text", arg=[id_, text])
    except PlaywrightTimeout:
        assert page.locator(f"#{id_}").text_content() == text, f"#{id_} was not updated"


def wait_search(page, search: str) -> None:
    """Until the page's query string is `search`; on a timeout, fails showing the one it has."""
    try:
        page.wait_for_function("(s) => window.location.search === s", arg=search)
    except PlaywrightTimeout:
        assert page.evaluate("() => window.location.search") == search, "the URL was not updated"


def option_values(page, select_id: str) -> list[str]:
    """The values of a select's options (dbc.Select adds an empty placeholder: left out)."""
    return page.evaluate(
        "(id) => Array.from(document.querySelector(`select#${id}`).options).map(o => o.value).filter(Boolean)",
        select_id)


def plotted(page, selector: str) -> list[dict]:
    """Each trace of a drawn chart: its name, type and x values."""
    return page.evaluate("(sel) => document.querySelector(sel).data.map(t => ({name: t.name, type: t.type, x: t.x}))",
                         selector)


# --- tests ---------------------------------------------------------------------------------------

def test_footfall_page_renders_in_french_accessible_and_clean(watched, live_server, server):
    values = story_values(server)
    page = watched.page
    response = page.goto(live_server + "/frequentation")
    assert response.status == 200
    wait_rendered(page)
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.locator("#page-content h1").inner_text().startswith("La fréquentation du centre-ville")

    # Demo data is said so: once, in the callout under the title, and by a small badge on each chart.
    callout = page.locator("#page-content .callout-demo")
    assert callout.is_visible() and page.locator("#page-content .callout-demo").count() == 1
    assert callout.inner_text().startswith("Données de démonstration")
    assert page.locator("#page-content .chart-source strong").count() == 0
    badge = page.locator("#page-content .chart-head .demo-badge").first
    assert badge.is_visible() and badge.inner_text().strip() == "Démo"

    # The filters are there, with their defaults: every point, the whole period, the latest event.
    months = values["months"]
    assert months[0] == "2024-12" and months[-1] == "2025-12"
    assert page.locator("select#frequentation-lieu").input_value() == "tous"
    assert option_values(page, "frequentation-lieu") == ["tous", *values["points"]]
    assert page.locator("select#frequentation-debut").input_value() == months[0]
    assert page.locator("select#frequentation-fin").input_value() == months[-1]
    assert option_values(page, "frequentation-debut") == months
    assert page.locator("select#frequentation-choix-evenement").input_value() == values["default_event"]
    assert option_values(page, "frequentation-choix-evenement")[-1] == values["default_event"]
    assert page.locator("select#frequentation-zone").input_value() == "tous"
    assert option_values(page, "frequentation-zone") == ["tous", *values["zones"]]
    assert page.locator("#frequentation-categorie input[type=radio]:checked").get_attribute("value") == "tous"
    assert page.evaluate("() => window.location.search") == ""
    for slug in CHART_SLUGS:
        assert page.locator(f"#{slug}-summary").text_content() == expected(server, slug, {})["summary"], slug
    assert_no_axe_violation(page, "on /frequentation at load (filters shown, charts not drawn yet)")

    scroll_to_bottom_slowly(page)
    page.wait_for_function(
        """(slugs) => slugs.every(s => {
            const el = document.querySelector(`[data-chart="${s}"] .js-plotly-plot`);
            return el && el.data && el.data.length > 0 && el._fullLayout;
        })""",
        arg=list(CHART_SLUGS))
    assert page.locator("#page-content .js-plotly-plot").count() == len(CHART_SLUGS)
    # The map draws one circle per counting point and knows each one's site_id (for a tap).
    drawn = page.evaluate(
        "(sel) => { const gd = document.querySelector(sel); const m = gd.layout.meta;"
        " return {trace: m.trace, last: gd.data.length - 1, n: gd.data[m.trace].x.length, points: m.points}; }",
        MAP_PLOT)
    assert drawn["trace"] == drawn["last"]
    assert sorted(drawn["points"]) == sorted(values["points"]) and drawn["n"] == len(values["points"]) > 1
    assert page.evaluate(SELECTED_POINTS_JS, MAP_PLOT) == []
    assert_no_axe_violation(page, "on /frequentation with every chart drawn")
    assert_clean(watched)
    # Every id of the page is unique: Dash binds a callback's input to one component per id.
    duplicates = page.evaluate(
        "() => { const seen = {}; document.querySelectorAll('[id]').forEach(e => { seen[e.id] = (seen[e.id] || 0) + 1; });"
        " return Object.keys(seen).filter(k => seen[k] > 1); }")
    assert duplicates == [], f"ids given to more than one element: {duplicates}"


def test_point_and_period_update_url_summary_and_days(watched, live_server, server):
    values = story_values(server)
    site, name = next(iter(values["points"].items()))
    args = {"lieu": site, "debut": "2025-06", "fin": "2025-08"}
    before = expected(server, "frequentation-jours", {})
    after = expected(server, "frequentation-jours", args)
    assert after["summary"] != before["summary"]

    page = watched.page
    page.goto(live_server + "/frequentation")
    wait_rendered(page)
    mount_chart(page, "frequentation-jours")
    first_x = plotted(page, DAILY_PLOT)[0]["x"]
    assert (first_x[0], first_x[-1]) == ("2024-12-01", "2025-12-31")
    assert page.locator("#frequentation-jours-summary").text_content() == before["summary"]

    page.locator("select#frequentation-lieu").select_option(site)
    page.locator("select#frequentation-debut").select_option("2025-06")
    page.locator("select#frequentation-fin").select_option("2025-08")

    wait_search(page, f"?lieu={site}&debut=2025-06&fin=2025-08")
    assert url_params(page) == args
    wait_text(page, "frequentation-jours-summary", after["summary"])
    assert "du 1er juin 2025 au 31 août 2025" in after["summary"]  # French writes the first as an ordinal

    # The daily chart is redrawn with the days of the period only.
    page.wait_for_function(
        "(sel) => { const el = document.querySelector(sel);"
        " return el && el.data && el.data[0].x[0] === '2025-06-01'; }",
        arg=DAILY_PLOT)
    traces = plotted(page, DAILY_PLOT)
    want = [t["x"] for t in after["figure"]["data"]]
    assert [t["x"] for t in traces] == want
    xs = [x for t in traces for x in t["x"]]
    assert xs and all("2025-06-01" <= x <= "2025-08-31" for x in xs), (min(xs), max(xs))
    assert (traces[0]["x"][0], traces[0]["x"][-1], len(traces[0]["x"])) == ("2025-06-01", "2025-08-31", 92)

    # The week's grid follows the same point and period, the map shows the point as chosen.
    wait_text(page, "frequentation-semaine-summary", expected(server, "frequentation-semaine", args)["summary"])
    mount_chart(page, "frequentation-carte")
    page.wait_for_function(f"(sel) => ({SELECTED_POINTS_JS})(sel).length > 0", arg=MAP_PLOT)
    assert page.evaluate(SELECTED_POINTS_JS, MAP_PLOT) == [site]
    assert page.locator("select#frequentation-lieu").input_value() == site
    assert_clean(watched)
    # The summary names the chosen point as the point list does.
    summary = page.locator("#frequentation-jours-summary").text_content()
    assert summary.startswith(f"{name} : "), f"the summary should name {name!r}: {summary!r}"


def test_choosing_another_event_updates_url_and_event_chart(watched, live_server, server):
    values = story_values(server)
    events, latest = values["events"], values["default_event"]
    other = next(k for k in events if k != latest)
    fr_name, _, start, end = events[other]
    before = expected(server, "frequentation-evenement", {})
    after = expected(server, "frequentation-evenement", {"evenement": other})

    page = watched.page
    page.goto(live_server + "/frequentation")
    wait_rendered(page)
    assert page.locator("#frequentation-evenement-summary").text_content() == before["summary"]
    assert before["summary"].startswith(events[latest][0])
    mount_chart(page, "frequentation-evenement")

    page.locator("select#frequentation-choix-evenement").select_option(other)
    wait_search(page, f"?evenement={other}")
    assert url_params(page) == {"evenement": other}

    wait_text(page, "frequentation-evenement-summary", after["summary"])
    assert after["summary"].startswith(f"{fr_name} (du ")
    assert events[latest][0] not in after["summary"]

    # The chart now shows the days of that event, against its comparable days.
    page.wait_for_function("([sel, day]) => { const el = document.querySelector(sel);"
                           " return el && el.data && el.data[0].x[0] === day; }",
                           arg=[EVENT_PLOT, start.isoformat()])
    traces = plotted(page, EVENT_PLOT)
    assert [t["x"] for t in traces] == [t["x"] for t in after["figure"]["data"]]
    assert [t["type"] for t in traces] == ["bar", "scatter"]
    assert (traces[0]["x"][0], traces[0]["x"][-1]) == (start.isoformat(), end.isoformat())

    # Back to the latest event: the default, left out of the shareable link.
    page.locator("select#frequentation-choix-evenement").select_option(latest)
    wait_search(page, "")
    wait_text(page, "frequentation-evenement-summary", before["summary"])
    assert_clean(watched)


def test_clicking_a_point_on_the_map_chooses_it(watched, live_server, server):
    values = story_values(server)
    page = watched.page
    page.goto(live_server + "/frequentation")
    wait_rendered(page)
    mount_chart(page, "frequentation-carte")

    target = page.evaluate(MAP_CLICK_POINT_JS, MAP_PLOT)
    site = target["site"]
    assert site in values["points"]
    assert target["trace"] == target["traces"] - 1
    assert target["gap"] >= 8, f"no counting point far enough from the others to click: {target}"
    viewport = page.viewport_size
    assert 0 < target["x"] < viewport["width"] and 0 < target["y"] < viewport["height"], target

    page.mouse.move(target["x"], target["y"])
    page.mouse.click(target["x"], target["y"])

    page.wait_for_function("(site) => document.querySelector('select#frequentation-lieu').value === site", arg=site)
    assert page.locator("select#frequentation-lieu").input_value() == site
    wait_search(page, f"?lieu={site}")
    assert url_params(page) == {"lieu": site}

    # The charts follow: the day-by-day summary for that point, the point outlined on the map.
    wait_text(page, "frequentation-jours-summary", expected(server, "frequentation-jours", {"lieu": site})["summary"])
    page.wait_for_function(f"(sel) => ({SELECTED_POINTS_JS})(sel).length > 0", arg=MAP_PLOT)
    assert page.evaluate(SELECTED_POINTS_JS, MAP_PLOT) == [site]
    assert_clean(watched)


def test_visitor_category_and_zone_update_url_and_visitors(watched, live_server, server):
    values = story_values(server)
    # A zone whose name has capitals past its first letter (a proper name must be written as listed).
    zone = next((z for z in values["zones"] if z != z.capitalize()), values["zones"][0])
    args = {"zone": zone, "categorie": "touriste"}
    before = expected(server, "frequentation-visiteurs", {})
    after = expected(server, "frequentation-visiteurs", args)
    assert after["summary"] != before["summary"]

    page = watched.page
    page.goto(live_server + "/frequentation")
    wait_rendered(page)
    mount_chart(page, "frequentation-visiteurs")
    assert [t["name"] for t in plotted(page, VISITORS_PLOT)] == ["Résidents", "Excursionnistes", "Touristes"]

    page.locator("#frequentation-categorie").get_by_label("Touristes", exact=True).check()
    page.locator("select#frequentation-zone").select_option(zone)

    page.wait_for_function("(zone) => { const p = new URLSearchParams(window.location.search);"
                           " return p.get('zone') === zone && p.get('categorie') === 'touriste'; }", arg=zone)
    assert url_params(page) == args
    wait_text(page, "frequentation-visiteurs-summary", after["summary"])
    assert "(touristes 100,0" in after["summary"]

    # Only tourists are plotted now, month by month.
    page.wait_for_function("(sel) => { const el = document.querySelector(sel);"
                           " return el && el.data && el.data.length === 1 && el.data[0].name === 'Touristes'; }",
                           arg=VISITORS_PLOT)
    traces = page.evaluate("(sel) => document.querySelector(sel).data.map(t => [t.name, t.x, t.y, t.marker.color])",
                           VISITORS_PLOT)
    want = after["figure"]["data"][0]
    assert traces == [["Touristes", want["x"], want["y"], "#009E73"]]
    # The origins follow the zone too (not the category).
    wait_text(page, "frequentation-origines-summary",
              expected(server, "frequentation-origines", {"zone": zone})["summary"])
    assert page.locator("#frequentation-categorie input[type=radio]:checked").get_attribute("value") == "touriste"
    assert_clean(watched)
    # The summary names the chosen zone as the zone list does.
    summary = page.locator("#frequentation-visiteurs-summary").text_content()
    assert summary.startswith(f"{zone} : "), f"the summary should name {zone!r}: {summary!r}"


def test_footfall_in_english(watched, live_server, server):
    page = watched.page
    response = page.goto(live_server + "/frequentation?lang=en")
    assert response.status == 200
    wait_rendered(page)
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("#page-content h1").inner_text().startswith("Footfall in")
    assert page.locator("#page-content .callout-demo").inner_text().startswith("Demo data")
    assert page.locator("label[for=frequentation-lieu]").inner_text() == "Counting point"
    assert page.locator("#frequentation-lieu option[value=tous]").inner_text() == "All points"
    for slug in CHART_SLUGS:
        assert page.locator(f"#{slug}-summary").text_content() == expected(server, slug, {}, "en")["summary"], slug

    # A filter changed on the English page keeps the page and its charts in English.
    page.locator("#frequentation-categorie").get_by_label("Tourists", exact=True).check()
    wait_search(page, "?lang=en&categorie=touriste")
    english = expected(server, "frequentation-visiteurs", {"categorie": "touriste"}, "en")["summary"]
    wait_text(page, "frequentation-visiteurs-summary", english)
    assert english.startswith("Every zone: ")
    mount_chart(page, "frequentation-visiteurs")
    page.wait_for_function("(sel) => { const el = document.querySelector(sel);"
                           " return el && el.data && el.data.length === 1 && el.data[0].name === 'Tourists'; }",
                           arg=VISITORS_PLOT)
    text = page.locator("#page-content").inner_text()
    for french in ("Point de comptage", "Tous les points", "passages par jour", "Touristes", "présences"):
        assert french not in text, f"French text {french!r} on the English page"
    assert_clean(watched)


def test_bad_point_answers_400_with_the_allowed_values(watched, live_server, server):
    values = story_values(server)
    page = watched.page
    response = page.goto(live_server + "/frequentation?lieu=inconnu")
    assert response.status == 400
    allowed = ", ".join([*values["points"], "tous"])
    message = f"Le paramètre « lieu » ne peut pas valoir « inconnu ». Valeurs possibles : {allowed}."
    assert message in response.text()
    wait_rendered(page)
    assert message in page.locator("#page-content").inner_text()
    assert page.locator("select#frequentation-lieu").count() == 0  # no story page under the error
    # Chromium reports the document's own 400 in the console; nothing else may go wrong.
    others = [p for p in watched.problems if "status of 400" not in p]
    assert others == [], "console errors/warnings or page errors: " + "\n".join(others)

"""Real-browser tests (Chromium through Playwright) of the commerce observatory at /commerces.

The five charts drawn, the year and perimeter filters, the shareable URL (and a link opened
directly), the English page, a bad parameter, console and accessibility. Expected texts and traces
are computed by the app's own chart views on the same database, so a wrong callback wiring cannot
go unnoticed.
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

CHART_SLUGS = ("commerces-vacance", "commerces-flux", "commerces-activites", "commerces-carte",
               "commerces-frequentation")
YEAR, PERIMETER = "select#commerces-annee", "select#commerces-perimetre"
FLOWS_PLOT = '[data-chart="commerces-flux"] .js-plotly-plot'
MIX_PLOT = '[data-chart="commerces-activites"] .js-plotly-plot'
MAP_PLOT = '[data-chart="commerces-carte"] .js-plotly-plot'
FOOTFALL_PLOT = '[data-chart="commerces-frequentation"] .js-plotly-plot'

# Every drawn trace of a chart: name, type, and its x and y values.
TRACES_JS = "(sel) => document.querySelector(sel).data.map(t => ({name: t.name || null, type: t.type, x: t.x, y: t.y}))"


# --- helpers -------------------------------------------------------------------------------------

def expected(server, slug: str, args: dict[str, str], lang: str = "fr") -> dict:
    """What the app's chart view says for a query string (the same database as the live server)."""
    from webapp.charts import charts_of
    from webapp.charts import commerce as cc

    with server.test_request_context():
        chart = next(c for c in charts_of(cc.STORY) if c.slug == slug)
        return chart.view(cc.parse_filters(args), lang)


def summaries(server, args: dict[str, str], lang: str = "fr") -> dict[str, str]:
    return {slug: expected(server, slug, args, lang)["summary"] for slug in CHART_SLUGS}


def story_values(server) -> dict:
    """The years of the inventory (the latest is the default), the perimeters and the key figures' data."""
    from webapp.charts import commerce as cc
    from webapp.data.commerce import PERIMETERS

    with server.test_request_context():
        return {"years": [str(y) for y in cc.years()], "perimeters": list(PERIMETERS),
                "overview": cc.overview(cc.hypercentre())}


def want_traces(view: dict) -> list[dict]:
    return [{"name": t.get("name"), "type": t.get("type"), "x": t.get("x"), "y": t.get("y")}
            for t in view["figure"]["data"]]


def page_summaries(page) -> dict[str, str]:
    return {slug: page.locator(f"#{slug}-summary").text_content() for slug in CHART_SLUGS}


def wait_text(page, id_: str, text: str) -> None:
    """Until an element reads `text`; on a timeout, fails showing what it reads instead."""
    try:
        page.wait_for_function("([id, text]) => document.getElementById(id).textContent === text", arg=[id_, text])
    except PlaywrightTimeout:
        assert page.locator(f"#{id_}").text_content() == text, f"#{id_} was not updated"


def wait_summaries(page, want: dict[str, str]) -> None:
    for slug, text in want.items():
        wait_text(page, f"{slug}-summary", text)


def wait_params(page, params: dict[str, str]) -> None:
    """Until the page's query string holds exactly `params` (in any order); on a timeout, shows it."""
    try:
        page.wait_for_function(
            """(want) => { const p = new URLSearchParams(window.location.search);
                return [...p.keys()].length === Object.keys(want).length
                    && Object.entries(want).every(([k, v]) => p.get(k) === v); }""",
            arg=params)
    except PlaywrightTimeout:
        assert url_params(page) == params, "the URL was not updated"


def wait_traces(page, selector: str, view: dict) -> None:
    """Until a drawn chart shows the traces of a view (names, types, x and y); on a timeout, diffs them."""
    want = want_traces(view)
    try:
        page.wait_for_function(
            f"([sel, want]) => {{ const el = document.querySelector(sel); if (!el || !el.data) {{ return false; }}"
            f" return JSON.stringify(({TRACES_JS})(sel)) === JSON.stringify(want); }}",
            arg=[selector, want])
    except PlaywrightTimeout:
        assert page.evaluate(TRACES_JS, selector) == want, f"{selector} was not redrawn"


def option_values(page, selector: str) -> list[str]:
    """The values of a select's options (dbc.Select adds an empty placeholder: left out)."""
    return page.evaluate("(sel) => Array.from(document.querySelector(sel).options).map(o => o.value).filter(Boolean)",
                         selector)


def option_labels(page, selector: str) -> list[str]:
    return page.evaluate(
        "(sel) => Array.from(document.querySelector(sel).options).filter(o => o.value).map(o => o.textContent)",
        selector)


def wait_all_drawn(page) -> None:
    scroll_to_bottom_slowly(page)
    page.wait_for_function(
        """(slugs) => slugs.every(s => {
            const el = document.querySelector(`[data-chart="${s}"] .js-plotly-plot`);
            return el && el.data && el._fullLayout;
        })""",
        arg=list(CHART_SLUGS))


# --- tests ---------------------------------------------------------------------------------------

def test_commerce_page_renders_five_charts_accessible_and_clean(watched, live_server, server):
    from webapp.formatting import fmt_number, fmt_percent

    values = story_values(server)
    years, latest = values["years"], values["years"][-1]
    assert len(years) > 2
    page = watched.page
    response = page.goto(live_server + "/commerces")
    assert response.status == 200
    wait_rendered(page)
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.locator("#page-content h1").inner_text().startswith("Les commerces du centre-ville")

    # Demo data is said so: in the callout above the charts and on the source line of each chart.
    callout = page.locator("#page-content .callout-demo")
    assert callout.is_visible()
    assert callout.inner_text().startswith("Données de démonstration")
    # Said once under the title; each chart and key figure carries the small « Démo » badge instead.
    assert page.locator("#page-content .callout-demo").count() == 1
    assert page.locator("#page-content .chart-source strong").count() == 0
    assert page.locator("#page-content .chart-head .demo-badge").count() == page.locator(
        "#page-content .chart-block").count()

    # The key figures: the hypercentre's vacancy at the last and first year-ends, the units, the independents.
    o = values["overview"]
    assert page.locator("#page-content .key-value").all_inner_texts() == [
        fmt_percent(o["rate_last"], "fr"), fmt_percent(o["rate_first"], "fr"), fmt_number(o["units"], "fr"),
        fmt_percent(o["independent"], "fr", 0)]

    # The filters with their defaults: the latest year-end, the whole town; nothing in the URL.
    assert page.locator(YEAR).input_value() == latest
    assert option_values(page, YEAR) == years
    assert page.locator(PERIMETER).input_value() == "commune"
    assert option_values(page, PERIMETER) == values["perimeters"] == ["commune", "hypercentre", "hors-hypercentre"]
    assert option_labels(page, PERIMETER) == ["Toute la ville", "L'hypercentre", "Hors de l'hypercentre"]
    assert page.locator("label[for=commerces-annee]").inner_text() == "Année (au 31 décembre)"
    assert page.evaluate("() => window.location.search") == ""
    assert page_summaries(page) == summaries(server, {})

    # The five charts, drawn as the app's views say.
    wait_all_drawn(page)
    assert page.locator("#page-content .js-plotly-plot").count() == len(CHART_SLUGS)
    for slug in CHART_SLUGS:
        view = expected(server, slug, {})
        assert view["figure"]["data"], f"{slug} has nothing to draw by default"
        drawn = page.evaluate(TRACES_JS, f'[data-chart="{slug}"] .js-plotly-plot')
        assert [(t["name"], t["type"], len(t["x"])) for t in drawn] == \
            [(t["name"], t["type"], len(t["x"])) for t in want_traces(view)], slug
    # The map: one marker per unit at the year-end, occupied or vacant (1,139 units in the demo file).
    markers = {t["name"]: len(t["x"]) for t in page.evaluate(TRACES_JS, MAP_PLOT) if t["name"]}
    assert markers == {"Cellule occupée": markers["Cellule occupée"], "Cellule vacante": markers["Cellule vacante"]}
    assert markers["Cellule occupée"] + markers["Cellule vacante"] == o["units"]

    assert_no_axe_violation(page, "on /commerces with every chart drawn")
    assert_clean(watched)
    # Every id of the page is unique: Dash binds a callback's input to one component per id.
    duplicates = page.evaluate(
        "() => { const seen = {}; document.querySelectorAll('[id]').forEach(e => { seen[e.id] = (seen[e.id] || 0) + 1; });"
        " return Object.keys(seen).filter(k => seen[k] > 1); }")
    assert duplicates == [], f"ids given to more than one element: {duplicates}"


def test_year_and_perimeter_update_url_summaries_and_charts(watched, live_server, server):
    year = "2020"
    before = summaries(server, {})
    by_year = summaries(server, {"annee": year})
    both = summaries(server, {"annee": year, "perimetre": "hypercentre"})
    rest = summaries(server, {"annee": year, "perimetre": "hors-hypercentre"})
    # The year moves the mix, the map and the footfall comparison; the perimeter moves the flows, the mix and the map.
    assert {s for s in CHART_SLUGS if by_year[s] != before[s]} == {
        "commerces-activites", "commerces-carte", "commerces-frequentation"}
    by_perimeter = {"commerces-flux", "commerces-activites", "commerces-carte"}
    assert {s for s in CHART_SLUGS if both[s] != by_year[s]} == by_perimeter
    assert {s for s in CHART_SLUGS if rest[s] != both[s]} == by_perimeter

    page = watched.page
    page.goto(live_server + "/commerces")
    wait_rendered(page)
    for slug in ("commerces-flux", "commerces-activites", "commerces-carte", "commerces-frequentation"):
        mount_chart(page, slug)
    assert page_summaries(page) == before

    page.locator(YEAR).select_option(year)
    wait_params(page, {"annee": year})
    wait_summaries(page, by_year)
    assert page.locator("#commerces-status").text_content() == "Graphiques mis à jour pour : 2020 ; toute la ville."
    # The map shows that year-end's units; no pedestrian count that year: the chart says so.
    wait_traces(page, MAP_PLOT, expected(server, "commerces-carte", {"annee": year}))
    footfall = expected(server, "commerces-frequentation", {"annee": year})
    assert footfall["figure"]["data"] == [] and footfall["summary"].startswith("Pas de comptage de piétons en 2020")
    page.wait_for_function("(sel) => { const el = document.querySelector(sel); return el && el.data.length === 0; }",
                           arg=FOOTFALL_PLOT)
    assert page.evaluate("(sel) => document.querySelector(sel).layout.annotations.map(a => a.text)",
                         FOOTFALL_PLOT) == [footfall["summary"]]

    page.locator(PERIMETER).select_option("hypercentre")
    wait_params(page, {"annee": year, "perimetre": "hypercentre"})
    wait_summaries(page, both)
    args = {"annee": year, "perimetre": "hypercentre"}
    wait_traces(page, MIX_PLOT, expected(server, "commerces-activites", args))
    # The flows of the hypercentre: openings and closures only (Sirene has no IRIS: whole town only).
    flows = expected(server, "commerces-flux", args)
    wait_traces(page, FLOWS_PLOT, flows)
    assert [t["name"] for t in flows["figure"]["data"]] == ["Ouvertures", "Fermetures"]
    assert page.locator("#commerces-status").text_content() == "Graphiques mis à jour pour : 2020 ; l'hypercentre."
    # The CSV links follow the filters too.
    assert page.locator("#commerces-activites-csv").get_attribute("href") == \
        "/embed/commerces-activites.csv?annee=2020&perimetre=hypercentre"

    page.locator(PERIMETER).select_option("hors-hypercentre")
    wait_params(page, {"annee": year, "perimetre": "hors-hypercentre"})
    wait_summaries(page, rest)
    wait_traces(page, MIX_PLOT, expected(server, "commerces-activites", {"annee": year, "perimetre": "hors-hypercentre"}))
    assert page.locator(YEAR).input_value() == year
    assert page.locator(PERIMETER).input_value() == "hors-hypercentre"
    assert_no_axe_violation(page, "on /commerces after changing the filters")
    assert_clean(watched)


def test_shared_link_opens_with_its_filters_and_defaults_leave_the_url(watched, live_server, server):
    values = story_values(server)
    args = {"annee": "2020", "perimetre": "hypercentre"}
    page = watched.page
    response = page.goto(live_server + "/commerces?annee=2020&perimetre=hypercentre")
    assert response.status == 200
    wait_rendered(page)
    assert page.locator(YEAR).input_value() == "2020"
    assert page.locator(PERIMETER).input_value() == "hypercentre"
    assert url_params(page) == args
    assert page_summaries(page) == summaries(server, args)
    assert page.locator("#commerces-flux-csv").get_attribute("href") == \
        "/embed/commerces-flux.csv?annee=2020&perimetre=hypercentre"
    mount_chart(page, "commerces-activites")
    wait_traces(page, MIX_PLOT, expected(server, "commerces-activites", args))

    # Back to the whole town: the year chosen by the link is kept, the default perimeter leaves the URL.
    page.locator(PERIMETER).select_option("commune")
    wait_params(page, {"annee": "2020"})
    wait_summaries(page, summaries(server, {"annee": "2020"}))
    # Back to the latest year: the default, left out of the shareable link.
    page.locator(YEAR).select_option(values["years"][-1])
    try:
        page.wait_for_function("() => window.location.search === ''")
    except PlaywrightTimeout:
        assert page.evaluate("() => window.location.search") == "", "the defaults were not left out of the URL"
    wait_summaries(page, summaries(server, {}))
    assert page.locator("#commerces-activites-csv").get_attribute("href") == "/embed/commerces-activites.csv"
    assert_clean(watched)


def test_commerce_in_english(watched, live_server, server):
    page = watched.page
    response = page.goto(live_server + "/commerces?lang=en")
    assert response.status == 200
    wait_rendered(page)
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("#page-content h1").inner_text().startswith("Shops in")
    assert page.locator("#page-content .callout-demo").inner_text().startswith("Demo data")
    assert page.locator("label[for=commerces-annee]").inner_text() == "Year (on 31 December)"
    assert page.locator("label[for=commerces-perimetre]").inner_text() == "Perimeter"
    assert option_labels(page, PERIMETER) == ["The whole town", "The hypercentre", "Outside the hypercentre"]
    assert page_summaries(page) == summaries(server, {}, "en")
    mount_chart(page, "commerces-flux")
    assert [t["name"] for t in page.evaluate(TRACES_JS, FLOWS_PLOT)] == [
        "Openings", "Closures", "Creations in the Sirene directory"]

    # A filter changed on the English page keeps the page and its charts in English.
    page.locator(PERIMETER).select_option("hypercentre")
    wait_params(page, {"lang": "en", "perimetre": "hypercentre"})
    english = summaries(server, {"perimetre": "hypercentre"}, "en")
    wait_summaries(page, english)
    assert english["commerces-flux"].startswith("From 2016 to 2025, the hypercentre: ")
    wait_traces(page, FLOWS_PLOT, expected(server, "commerces-flux", {"perimetre": "hypercentre"}, "en"))
    assert [t["name"] for t in page.evaluate(TRACES_JS, FLOWS_PLOT)] == ["Openings", "Closures"]
    assert page.locator("#commerces-status").text_content() == "Charts updated for: 2025; the hypercentre."
    assert page.locator("#commerces-flux-csv").get_attribute("href") == \
        "/embed/commerces-flux.csv?perimetre=hypercentre&lang=en"
    text = page.locator("#page-content").inner_text()
    for french in ("Toute la ville", "Périmètre", "ouvertures", "cellules vacantes", "Voir les données", "En bref"):
        assert french not in text, f"French text {french!r} on the English page"
    assert_clean(watched)


def test_bad_parameter_answers_400_with_the_allowed_values(watched, live_server, server):
    values = story_values(server)
    page = watched.page
    response = page.goto(live_server + "/commerces?annee=1999")
    assert response.status == 400
    message = f"Le paramètre « annee » ne peut pas valoir « 1999 ». Valeurs possibles : {', '.join(values['years'])}."
    assert message in response.text()
    wait_rendered(page)
    assert message in page.locator("#page-content").inner_text()
    assert page.locator(YEAR).count() == 0  # no observatory under the error
    # A perimeter outside the list too (asked without drawing the page).
    other = page.request.get(live_server + "/commerces?perimetre=centre")
    assert other.status == 400
    assert ("Le paramètre « perimetre » ne peut pas valoir « centre ». "
            "Valeurs possibles : commune, hypercentre, hors-hypercentre.") in other.text()
    # Chromium reports the document's own 400 in the console; nothing else may go wrong.
    others = [p for p in watched.problems if "status of 400" not in p]
    assert others == [], "console errors/warnings or page errors: " + "\n".join(others)

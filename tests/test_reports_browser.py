"""Real-browser tests (Chromium through Playwright) of the citizen reports story at /signalements.

The four charts drawn, the filters (category, first and last year) in the address and in every chart's
summary, the English page, console and accessibility. Expected summaries come from the app's own chart
views on the same database, so a wrong callback wiring cannot go unnoticed.
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

SLUGS = ("signalements-mois", "signalements-delais", "signalements-carte", "signalements-rapidite")


def expected_summaries(app, query: dict[str, str], lang: str) -> dict[str, str]:
    from webapp.charts import REGISTRY
    from webapp.charts import reports as rc

    with app.server.test_request_context("/signalements"):
        f = rc.parse_filters(query)
        return {slug: REGISTRY[slug].view(f, lang)["summary"] for slug in SLUGS}


def shown_summaries(page) -> dict[str, str]:
    return {slug: page.locator(f"#{slug}-summary").inner_text() for slug in SLUGS}


def wait_summary(page, slug: str, text: str) -> None:
    page.wait_for_function("([id, t]) => document.getElementById(id).innerText.includes(t)",
                           arg=[f"{slug}-summary", text[:60]])


def test_the_story_draws_filters_and_keeps_the_view_in_the_address(watched, live_server, app):
    page = watched.page
    page.goto(live_server + "/signalements")
    wait_rendered(page)
    assert "Données de démonstration" in page.locator("main").inner_text()
    defaults = expected_summaries(app, {}, "fr")
    for slug, text in defaults.items():
        assert text in shown_summaries(page)[slug], slug
    scroll_to_bottom_slowly(page)
    for slug in SLUGS:
        mount_chart(page, slug)
    assert_no_axe_violation(page, "with the charts drawn")

    years = page.eval_on_selector_all("#signalements-annee-debut option", "os => os.map(o => o.value)")
    first = years[0]
    page.select_option("#signalements-nature", "voirie")
    page.select_option("#signalements-annee-debut", years[-1])
    wanted = expected_summaries(app, {"nature": "voirie", "annees": years[-1]}, "fr")
    for slug, text in wanted.items():
        wait_summary(page, slug, text)
    assert shown_summaries(page) != {s: defaults[s] for s in SLUGS}
    assert url_params(page) == {"nature": "voirie", "annees": years[-1]}
    assert first != years[-1]
    assert_no_axe_violation(page, "after filtering")
    assert_clean(watched)


def test_an_address_with_filters_opens_that_view_in_english(watched, live_server, app):
    page = watched.page
    page.goto(live_server + "/signalements?lang=en&nature=proprete")
    wait_rendered(page)
    assert page.input_value("#signalements-nature") == "proprete"
    for slug, text in expected_summaries(app, {"nature": "proprete"}, "en").items():
        assert text in shown_summaries(page)[slug], slug
    assert page.locator("html").get_attribute("lang") == "en"
    assert_clean(watched)


def test_a_bad_filter_is_the_400_page(watched, live_server):
    page = watched.page
    response = page.goto(live_server + "/signalements?nature=ovni")
    assert response.status == 400
    assert "Le paramètre « nature »" in page.locator("main").inner_text()
    assert all("status of 400" in p for p in watched.problems), watched.problems

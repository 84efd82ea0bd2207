"""Real-browser tests (Chromium through Playwright) of the catalogue at /donnees: a plain HTML page
(no Dash scripts) whose search form, version history and data dictionary work without JavaScript."""

from __future__ import annotations

import pytest

from tests.test_browser import assert_clean, assert_no_axe_violation

pytestmark = pytest.mark.browser


def dataset_ids(page) -> list[str]:
    return page.eval_on_selector_all("article.dataset h2", "els => els.map(e => e.id)")


def test_the_catalogue_searches_filters_and_opens_its_details(watched, live_server, db):
    page = watched.page
    page.goto(live_server + "/donnees")
    every = {r[0] for r in db.engine.connect().exec_driver_sql("SELECT slug FROM dataset").all()}
    assert set(dataset_ids(page)) == {f"jeu-{s}" for s in every}
    assert page.evaluate("() => typeof window.DashRenderer") == "undefined"  # no React tree to build
    assert_no_axe_violation(page, "on /donnees")

    # Search by a word and a theme: the form's GET puts both in the address.
    page.fill("#donnees-q", "sirène")
    page.select_option("#donnees-theme", "commerce")
    page.click("form[role=search] button[type=submit]")
    page.wait_for_url("**/donnees?q=sir%C3%A8ne&theme=commerce")
    assert dataset_ids(page) == ["jeu-sirene-etablissements"]
    assert page.input_value("#donnees-q") == "sirène" and page.input_value("#donnees-theme") == "commerce"
    assert page.locator("[role=status]").inner_text() == "1 jeu de données"

    # The version history and the data dictionary open; the dictionary lists the schema's fields.
    article = page.locator("article.dataset").first
    article.locator("summary", has_text="Dictionnaire des données").click()
    codes = article.locator("details[open] table code").all_inner_texts()
    assert "siret" in codes and "activitePrincipaleEtablissement" in codes
    article.locator("summary", has_text="Historique des versions").click()
    link = article.locator("details[open] a", has_text="CSV").first
    assert link.get_attribute("href").startswith("/donnees/sirene-etablissements.csv")
    assert_no_axe_violation(page, "with the details open")
    assert_clean(watched)


def test_the_catalogue_in_english_keeps_its_language_when_searching(watched, live_server):
    page = watched.page
    page.goto(live_server + "/donnees?lang=en")
    assert page.locator("h1").inner_text() == "Open data"
    page.fill("#donnees-q", "zzzz-nothing")
    page.click("form[role=search] button[type=submit]")
    page.wait_for_url("**/donnees?q=zzzz-nothing&theme=tous&lang=en")
    assert page.locator("[role=status]").inner_text() == "No dataset matches this search."
    assert dataset_ids(page) == []
    assert_clean(watched)


def test_a_bad_theme_is_the_400_page(watched, live_server):
    page = watched.page
    response = page.goto(live_server + "/donnees?theme=astronomie")
    assert response.status == 400
    assert "Le paramètre « theme »" in page.locator("main").inner_text()
    # The only console line is the browser reporting the page's own status.
    assert all("status of 400" in p for p in watched.problems), watched.problems

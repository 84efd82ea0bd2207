"""The editor's whole journey in a real browser (Chromium through Playwright).

Sign in, upload a file with mistakes and read the report, upload the corrected file, preview it,
publish it, see the public chart change, restore the previous version, see the chart change back.
The served version of the dataset is restored at the end, whatever happens, for the rest of the session.
"""

from __future__ import annotations

import re
import time
import uuid
from contextlib import contextmanager

import pytest
from axe_playwright_python.sync_playwright import Axe
from sqlalchemy import select, update

from tests.conftest import BrowserUnavailable, Watched
from tests.helpers import read_source_csv, serve_again, stored_file
from tests.test_browser import assert_clean, wait_rendered
from webapp.auth import create_user
from webapp.data import publishing
from webapp.data import tables as t

pytestmark = pytest.mark.browser

SLUG = "colleges-ips"
CITY_INSEE = "62041"
PASSWORD = "un mot de passe assez long"
# A widget's chart is drawn: the server's image has arrived, or plotly.js has drawn it instead.
CHART_DRAWN = """() => {
  const image = document.getElementById('w-static'), chart = document.getElementById('w-chart');
  return (image && image.complete && image.naturalWidth > 0) || (chart && chart.classList.contains('w-live'));
}"""
PRODUCER_DATE = "2026-10-01"  # the producer's publication date, typed in the upload form
PUBLIC_DELAY = 5.0  # seconds a publish may take to reach readers: WIDGET_VERSION_TTL (1 s) and margin


# --- the files -----------------------------------------------------------------------------------

class CsvFile:
    """A `;` separated CSV file kept as lines, edited cell by cell (BOM and line endings kept)."""

    def __init__(self, content: bytes) -> None:
        text = content.decode("utf-8")
        self.bom = "\ufeff" if text.startswith("\ufeff") else ""
        self.lines = text[len(self.bom):].splitlines(keepends=True)
        self.header = self.lines[0].rstrip("\r\n").split(";")

    def cell(self, line: int, column: str) -> str:
        """The cell of a file line (1 is the header) and column."""
        return self.lines[line - 1].rstrip("\r\n").split(";")[self.header.index(column)]

    def line_of(self, column: str, value: str) -> int:
        return next(n for n in range(2, len(self.lines) + 1) if self.cell(n, column) == value)

    def with_cells(self, changes: dict[tuple[int, str], str]) -> bytes:
        lines = list(self.lines)
        for (line, column), value in changes.items():
            raw = lines[line - 1]
            ending = raw[len(raw.rstrip("\r\n")):]
            cells = raw.rstrip("\r\n").split(";")
            cells[self.header.index(column)] = value
            lines[line - 1] = ";".join(cells) + ending
        return (self.bom + "".join(lines)).encode("utf-8")


def arras_college(served: CsvFile) -> tuple[str, str]:
    """(UAI, official name) of the first collège of Arras (by UAI) that the served file rates."""
    rated = {served.cell(n, "UAI") for n in range(2, len(served.lines) + 1)}
    located = {r["numero_uai"]: r["appellation_officielle"]
               for r in read_source_csv("schools/colleges-adresse-geolocalisation-dep62.csv")
               if r["code_commune"] == CITY_INSEE}
    uai = min(rated & set(located))
    return uai, located[uai]


def french(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")


def served_version(db) -> int:
    with db.engine.connect() as conn:
        return publishing.served_versions(conn)[SLUG]


def dataset_row(db) -> dict:
    with db.engine.connect() as conn:
        return dict(conn.execute(select(t.dataset).where(t.dataset.c.slug == SLUG)).mappings().one())


# --- the pages -----------------------------------------------------------------------------------

def axe_violations(page, when: str) -> list[str]:
    """axe-core's violations on the page, one line each (id, impact, elements, what axe measured)."""
    out = []
    for v in Axe().run(page).response["violations"]:
        for node in v["nodes"]:
            summary = " ".join((node.get("failureSummary") or "").split())
            out.append(f"{when}: {v['id']} ({v.get('impact')}) at {node['target']}: {summary}")
    return out


def upload(page, name: str, content: bytes):
    """Choose the file in input#fichier and send the form; returns the response of the upload."""
    page.set_input_files("input#fichier", files=[{"name": name, "mimeType": "text/csv", "buffer": content}])
    page.get_by_label("Date de publication par le producteur").fill(PRODUCER_DATE)
    with page.expect_response(lambda r: r.url.endswith(f"/editeur/donnees/{SLUG}/deposer")) as sent:
        page.locator("input#fichier").locator("xpath=ancestor::form").locator("button[type=submit]").click()
    page.wait_for_load_state("load")
    return sent.value


def table_rows(scope, selector: str) -> list[list[str]]:
    """The body cells of a table, as texts."""
    return scope.locator(selector).evaluate(
        r"t => Array.from(t.tBodies[0].rows).map(r => Array.from(r.cells).map(c => c.textContent.replace(/\s+/g, ' ').trim()))")


class Readers:
    """Public pages, each opened by a new reader: a fresh browser context (no cache, no cookie), watched.

    A fresh context, because a browser that showed a widget keeps it for its max-age (300 s) without asking.
    """

    def __init__(self, browser) -> None:
        self.browser = browser
        self.problems: list[str] = []
        self.requests: list[str] = []

    @contextmanager
    def page(self):
        context = self.browser.new_context(viewport={"width": 412, "height": 900}, locale="fr-FR")
        watched = Watched(context.new_page())
        watched.page.set_default_timeout(20_000)
        try:
            yield watched.page
        finally:
            self.problems += watched.problems
            self.requests += watched.requests
            context.close()

    def read(self, how, base: str, school: str) -> str:
        with self.page() as page:
            return how(page, base, school)


def widget_ips(page, base: str, school: str) -> str:
    """The IPS cell of `school` in the /embed/ecoles-ips widget's data table, opened as a reader does."""
    response = page.goto(base + "/embed/ecoles-ips")
    assert response.status == 200
    page.locator("details.w-data > summary").click()
    page.locator("details.w-data table").wait_for(state="visible")
    rows = [r for r in table_rows(page, "details.w-data table") if r[0] == school]
    assert len(rows) == 1, f"{school} is not once in the widget's data table"
    return rows[0][-1]


def story_ips(page, base: str, school: str) -> str:
    """The IPS cell of `school` in the data table of /ecoles' IPS chart ("Voir les données")."""
    response = page.goto(base + "/ecoles")
    assert response.status == 200
    wait_rendered(page)
    section = page.locator("section#ecoles-ips")
    toggle = section.locator("details.chart-data > summary")
    assert toggle.inner_text().strip() == "Voir les données"
    toggle.click()
    table = section.locator("details.chart-data table")
    table.wait_for(state="visible")
    rows = [r for r in table_rows(section, "details.chart-data table") if r[0] == school]
    assert len(rows) == 1, f"{school} is not once in the IPS chart's data table"
    return rows[0][-1]


def public_ips_becomes(readers: Readers, base: str, school: str, expected: str) -> None:
    """The widget, then the story page, show `expected` for `school` within PUBLIC_DELAY seconds."""
    for how in (widget_ips, story_ips):
        deadline = time.monotonic() + PUBLIC_DELAY
        seen = readers.read(how, base, school)
        while seen != expected and time.monotonic() < deadline:
            time.sleep(0.25)
            seen = readers.read(how, base, school)
        assert seen == expected, f"{how.__name__}: {school} shows IPS {seen!r}, expected {expected!r}"


def click_and_land(page, button, path_pattern: str):
    with page.expect_navigation(url=re.compile(path_pattern)):
        button.click()
    page.wait_for_load_state("load")


# --- the journey ---------------------------------------------------------------------------------

def test_editor_journey_from_upload_to_rollback(browser, watched, live_server, db):
    if isinstance(browser, BrowserUnavailable):
        pytest.fail(browser.message, pytrace=False)
    page, base = watched.page, live_server
    original = served_version(db)
    original_row = dataset_row(db)
    served_bytes, served_name = stored_file(db, SLUG)
    served = CsvFile(served_bytes)
    uai, school = arras_college(served)
    line = served.line_of("UAI", uai)
    old_ips = float(served.cell(line, "IPS"))
    new_ips = round(old_ips + 7.3 if old_ips < 150 else old_ips - 7.3, 1)
    broken_ips_line, broken_uai_line = 3, len(served.lines)  # two lines other than the collège's
    assert line not in (broken_ips_line, broken_uai_line)
    broken = served.with_cells({(broken_ips_line, "IPS"): "abc", (broken_uai_line, "UAI"): "BAD"})
    corrected = served.with_cells({(line, "IPS"): f"{new_ips:.1f}"})

    email = f"editrice-{uuid.uuid4().hex[:8]}@example.org"
    create_user(db, email, PASSWORD, "editor")
    readers = Readers(browser)
    try:
        # What readers see first: the served value.
        assert readers.read(widget_ips, base, school) == french(old_ips)
        assert readers.read(story_ips, base, school) == french(old_ips)

        # Sign in.
        response = page.goto(base + "/editeur/connexion")
        assert response.status == 200
        assert page.locator("html").get_attribute("lang") == "fr"
        inaccessible = axe_violations(page, "sign-in page")
        page.get_by_label("Adresse électronique").fill(email)
        page.get_by_label("Mot de passe").fill(PASSWORD)
        click_and_land(page, page.get_by_role("button", name="Se connecter"), r"/editeur/$")
        assert page.get_by_text(email).count() == 1

        # The dataset page; a file with two mistakes is refused with a report in French.
        response = page.goto(base + f"/editeur/donnees/{SLUG}")
        assert response.status == 200
        assert page.locator("h1").inner_text() == original_row["title_fr"]
        sent = upload(page, "colleges-ips-erreurs.csv", broken)
        assert sent.status == 422
        report = page.locator("section#report")
        assert report.is_visible()
        assert "Le fichier n'a pas été accepté : colleges-ips-erreurs.csv" in report.locator("h2").inner_text()
        intro = report.locator("p").first.inner_text()
        assert "2 problèmes trouvés" in intro and "Rien n'a été publié" in intro, intro
        headers = report.locator("thead th").all_inner_texts()
        assert headers == ["Ligne", "Colonne", "Valeur", "Règle non respectée"]
        problems = table_rows(report, "table")
        assert [p[:3] for p in problems] == [[str(broken_ips_line), "IPS", "abc"], [str(broken_uai_line), "UAI", "BAD"]]
        assert problems[0][3].startswith("Type attendu : nombre"), problems[0]
        assert problems[1][3].startswith("Format non reconnu (exemple de valeur correcte : 0620050T)"), problems[1]
        assert served_version(db) == original
        inaccessible += axe_violations(page, "dataset page with its error report")

        # The corrected file is staged: its preview says what changes and draws the charts with it.
        embed_responses = []
        page.on("response", lambda r: embed_responses.append(r) if "/embed/" in r.url else None)
        with page.expect_navigation(url=re.compile(rf"/editeur/donnees/{SLUG}/\d+$")):
            upload(page, served_name, corrected)
        staged = int(page.url.rsplit("/", 1)[1])
        assert staged > original
        assert served_version(db) == original
        changes = {li.split(" ", 1)[1]: li.split(" ", 1)[0] for li in page.locator("ul#changes li").all_inner_texts()}
        assert changes == {"ligne ajoutée": "0", "ligne supprimée": "0", "ligne modifiée": "1"}, changes  # 0 and 1: singular in French
        page.get_by_text("Exemples de lignes modifiées").click()
        example = page.locator("details", has_text="Exemples de lignes modifiées").inner_text()
        assert f"UAI = {uai}" in example and f"« {old_ips:.1f} » (avant) → « {new_ips:.1f} » (après)" in example, example
        frames = page.locator("section[aria-labelledby=charts-title] iframe")
        assert frames.count() >= 1
        for i in range(frames.count()):
            frame = frames.nth(i)
            frame.scroll_into_view_if_needed()
            assert f"apercu={SLUG}~{staged}" in frame.get_attribute("src")
            frame.content_frame.locator("h1.w-title").wait_for()
            frame.content_frame.locator("#w-chart").wait_for()
            frame.element_handle().content_frame().wait_for_function(CHART_DRAWN)
        bad = [f"{r.status} {r.url}" for r in embed_responses if r.status != 200]
        assert embed_responses and bad == [], f"preview widgets or their images did not load: {bad}"
        ips_frame = page.locator("iframe[src*='/embed/ecoles-ips?']").content_frame
        rows = [r for r in table_rows(ips_frame, "details.w-data table") if r[0] == school]
        assert [r[-1] for r in rows] == [french(new_ips)], "the preview widget does not draw the staged version"
        inaccessible += axe_violations(page, "preview page")

        # Publish: the public widget and the story's chart data show the new value.
        click_and_land(page, page.locator("button#publish"), rf"/editeur/donnees/{SLUG}$")
        assert page.get_by_role("status").inner_text() == f"Version {staged} publiée : elle est en ligne."
        assert served_version(db) == staged
        public_ips_becomes(readers, base, school, french(new_ips))

        # Restore the previous version from the dataset page, once confirmed: the public value goes back.
        row = page.locator(f"#versions tr[data-version='{original}']")
        click_and_land(page, row.get_by_role("link", name="Rétablir cette version"),
                       rf"/editeur/donnees/{SLUG}/{original}/retablir$")
        assert page.locator("h1").inner_text() == f"Rétablir la version {original} ?"
        assert served_version(db) == staged, "the confirmation page restored the version before being confirmed"
        inaccessible += axe_violations(page, "rollback confirmation page")
        click_and_land(page, page.get_by_role("button", name=f"Oui, rétablir la version {original}"),
                       rf"/editeur/donnees/{SLUG}$")
        assert page.get_by_role("status").inner_text() == f"Version {original} rétablie : elle est en ligne."
        assert served_version(db) == original
        public_ips_becomes(readers, base, school, french(old_ips))
        restored = dataset_row(db)
        unlike = {k: (original_row[k], restored[k]) for k in original_row if restored[k] != original_row[k]}

        assert_clean(readers)
        # Checked last, so that one failure does not hide what the rest of the journey shows.
        failures = [f"axe-core violation on the {v}" for v in inaccessible]
        if unlike:
            failures.append(f"restoring v{original} did not restore the dataset's row (before, after): {unlike}")
        assert failures == [], "\n".join(failures)
    finally:
        if served_version(db) != original:
            serve_again(db, SLUG, original)
        with db.begin() as conn:  # what a rollback sets from the version row (date, coverage), as it was
            conn.execute(update(t.dataset).where(t.dataset.c.slug == SLUG).values(
                coverage=original_row["coverage"], last_update=original_row["last_update"]))
            leftovers = conn.execute(select(t.dataset_version.c.version).where(
                t.dataset_version.c.dataset_slug == SLUG, t.dataset_version.c.status == "staged")).scalars().all()
        for version in leftovers:
            publishing.discard(db, SLUG, version, "test")

"""Widgets in a real browser (Chromium through Playwright): framed by a page of another origin.

A HOST page is served by a second werkzeug server (same host, another port: another origin). The widgets
it frames come from a SITE that lists the host's origin in EMBED_ORIGINS (the session's live server keeps
the default list, which does not: that one is used to check that the browser refuses its widgets there).
"""

from __future__ import annotations

import html as htmllib
import logging
import threading
from contextlib import contextmanager
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.conftest import BrowserUnavailable
from tests.test_browser import assert_clean, assert_no_axe_violation, wait_rendered
from webapp.charts import REGISTRY, load_all

load_all()
pytestmark = pytest.mark.browser

SLUGS = sorted(REGISTRY)
WRONG = 150  # the deliberately wrong starting height of the host's iframes
FRAMED = {"f-ips": "/embed/ecoles-ips", "f-brevet": "/embed/ecoles-brevet?secteur=public",
          "f-carte": "/embed/ecoles-carte"}
FOREIGN_MESSAGE = {"type": "arras-embed:height", "height": 3000}

# Recorded in every frame before its own scripts run: uncaught errors and console.error calls.
ERROR_PROBE = """
(() => {
  window.__problems = [];
  window.addEventListener("error", (e) => {
    const t = e.target;
    window.__problems.push(t && t !== window && (t.src || t.href) ? "failed to load " + (t.src || t.href)
                                                                   : "error: " + e.message);
  }, true);
  window.addEventListener("unhandledrejection", (e) => window.__problems.push("rejection: " + e.reason));
  const original = console.error;
  console.error = function (...args) { window.__problems.push("console.error: " + args.join(" ")); original.apply(console, args); };
})();
"""


# --- servers -----------------------------------------------------------------------------------

@contextmanager
def serving(wsgi_app):
    from werkzeug.serving import make_server

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    srv = make_server("127.0.0.1", 0, wsgi_app, threaded=True)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{srv.server_port}"
    finally:
        srv.shutdown()
        thread.join(timeout=10)


class HostPages:
    """The host site: HTML pages set by the tests, by path."""

    def __init__(self) -> None:
        self.pages: dict[str, str] = {}
        self.origin = ""

    def __call__(self, environ, start_response):
        body = self.pages.get(environ.get("PATH_INFO", ""))
        if body is None:
            start_response("404 Not Found", [("Content-Type", "text/plain; charset=utf-8")])
            return [b"not found"]
        start_response("200 OK", [("Content-Type", "text/html; charset=utf-8"), ("Cache-Control", "no-store")])
        return [body.encode("utf-8")]


@pytest.fixture(scope="module")
def host():
    pages = HostPages()
    with serving(pages) as origin:
        pages.origin = origin
        yield pages


@pytest.fixture(scope="module")
def site(app, settings, host):
    """The site again, on the same database, with the host's origin allowed to frame its widgets."""
    from webapp import create_app

    framed = create_app(settings.replace(embed_origins=(host.origin,)))
    with serving(framed.server) as origin:
        yield origin
    framed.server.extensions["arras_db"].dispose()


@pytest.fixture()
def host_page(browser):
    """A page of a fresh context (412 x 900) probing every frame for errors; console lines kept with their URL."""
    if isinstance(browser, BrowserUnavailable):
        _ = browser.page  # fails the test with the fix
    context = browser.new_context(viewport={"width": 412, "height": 900}, locale="fr-FR")
    context.add_init_script(ERROR_PROBE)
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.console_lines = []
    page.on("console", lambda m: page.console_lines.append((m.type, m.text, m.location.get("url", ""))))
    yield page
    context.close()


def host_html(body: str, head: str = "") -> str:
    return ("<!DOCTYPE html><html lang=\"fr\"><head><meta charset=\"utf-8\"><title>Article hôte</title>"
            "<link rel=\"icon\" href=\"data:,\">"
            "<style>body{margin:0;font-family:sans-serif} iframe{display:block;border:0;width:100%}</style>"
            f"{head}</head><body><main><h1>Un article</h1>{body}</main></body></html>")


def widget_iframes(site: str, frames: dict[str, str], height: int, width: str = "100%") -> str:
    return "".join(f'<iframe id="{fid}" src="{site}{path}" title="Graphique {fid}" height="{height}" '
                   f'style="height:{height}px;width:{width}"></iframe>' for fid, path in frames.items())


# --- reading frames ----------------------------------------------------------------------------

def frame_of(page, fid: str):
    frame = page.query_selector(f"#{fid}").content_frame()
    assert frame is not None, fid
    return frame


def iframe_height(page, fid: str) -> float:
    return page.eval_on_selector(f"#{fid}", "el => el.getBoundingClientRect().height")


def widget_heights(frame) -> dict:
    return frame.evaluate("""() => {
        const main = document.querySelector('main');
        const style = getComputedStyle(main);
        return {scroll: document.documentElement.scrollHeight, client: document.documentElement.clientHeight,
                scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth,
                content: Math.ceil(main.getBoundingClientRect().bottom + parseFloat(style.marginBottom) + window.scrollY)};
    }""")


def wait_static_image(frame) -> None:
    """The server-drawn chart is shown (the widget's first state), unless the pointer already passed
    over the chart (scrolling the host page can put it there) and plotly.js has replaced it."""
    frame.wait_for_function("""() => { const i = document.getElementById('w-static');
        return i ? i.complete && i.naturalWidth > 0 : document.getElementById('w-chart').classList.contains('w-live'); }""")


def draw_interactive(frame) -> None:
    """The reader reaches for the chart: plotly.js draws it."""
    frame.locator("#w-chart").hover()
    frame.wait_for_selector("#w-chart.js-plotly-plot", state="attached")
    frame.wait_for_function("() => document.getElementById('w-static') === null")


def settle(page, fids, polls: int = 100) -> dict:
    """Until every iframe's height has left WRONG and equals its widget's height (bounded polling)."""
    state = {}
    for _ in range(polls):
        state = {fid: (iframe_height(page, fid), widget_heights(frame_of(page, fid))) for fid in fids}
        if all(h != WRONG and abs(h - w["scroll"]) <= 10 for h, w in state.values()):
            break
        page.wait_for_timeout(100)
    return state


def frame_problems(frame) -> list[str]:
    return frame.evaluate("() => window.__problems || ['no probe']")


# --- the host page with embed.js -----------------------------------------------------------------

def test_host_page_sizes_the_widgets_and_refuses_the_story(host_page, host, site):
    page = host_page
    sandboxed = ('<iframe id="f-sandboxed" title="bac à sable" sandbox="allow-scripts" '
                 'srcdoc="<p>bac à sable</p>"></iframe>')
    host.pages["/article"] = host_html(
        widget_iframes(site, FRAMED, WRONG)
        + f'<iframe id="f-story" src="{site}/ecoles" title="La page du sujet" height="300"></iframe>'
        + '<iframe id="f-blank" title="vide"></iframe>'
        + '<iframe id="f-srcdoc" title="srcdoc" srcdoc="<p>srcdoc</p>"></iframe>'
        + sandboxed
        + f'<script async src="{site}/embed.js"></script>')
    assert page.goto(host.origin + "/article").status == 200
    page.wait_for_function("() => window.__arrasEmbed === true")

    # each widget shows its chart, then plotly's when reached for
    for fid in FRAMED:
        frame = frame_of(page, fid)
        assert frame.url.startswith(site + "/embed/"), frame.url
        wait_static_image(frame)
        draw_interactive(frame)
        assert frame.locator(".js-plotly-plot").count() == 1, fid

    # ... and its iframe takes the widget's height
    state = settle(page, FRAMED)
    for fid, (height, widget) in state.items():
        assert height != WRONG, f"{fid} kept its wrong height"
        assert abs(height - widget["scroll"]) <= 10, (fid, height, widget)
        assert abs(height - widget["content"]) <= 10, (fid, height, widget)
        assert widget["scroll"] <= widget["client"] + 1, (fid, widget)

    # the story page refuses to be framed by another site
    story = frame_of(page, "f-story")
    assert not story.url.startswith(site), story.url
    assert story.query_selector("#page-content") is None
    refusals = [text for kind, text, _ in page.console_lines if "frame-ancestors" in text]
    assert refusals and all("'self'" in t for t in refusals), page.console_lines

    # messages from other origins or other frames do not resize anything
    all_heights = "() => Object.fromEntries(Array.from(document.querySelectorAll('iframe'))" \
                  ".map(f => [f.id, f.getBoundingClientRect().height]))"
    before = page.evaluate(all_heights)
    assert len(before) == 7, before
    page.evaluate("""() => { window.__seen = [];
        window.addEventListener('message', (e) => { if (e.data && e.data.height === 3000) window.__seen.push(e.origin); });
    }""")
    page.evaluate("(m) => window.postMessage(m, '*')", FOREIGN_MESSAGE)
    for fid in ("f-blank", "f-srcdoc", "f-sandboxed"):
        frame_of(page, fid).evaluate("(m) => parent.postMessage(m, '*')", FOREIGN_MESSAGE)
    page.wait_for_function("() => window.__seen.length === 4")  # embed.js's listener has seen them all too
    origins = page.evaluate("() => window.__seen")
    assert origins.count(host.origin) == 3 and "null" in origins, origins
    assert page.evaluate(all_heights) == before

    # a widget that grows (its data table opened) gets a taller iframe
    frame = frame_of(page, "f-brevet")
    frame.locator("details.w-data summary").click()
    page.wait_for_function("([id, h]) => document.getElementById(id).getBoundingClientRect().height > h + 50",
                           arg=["f-brevet", before["f-brevet"]])
    state = settle(page, ["f-brevet"])
    height, widget = state["f-brevet"]
    assert abs(height - widget["content"]) <= 10, (height, widget)

    # no error inside the widgets
    for fid in FRAMED:
        assert frame_problems(frame_of(page, fid)) == [], fid
    inside = [line for line in page.console_lines if line[0] in ("error", "warning") and line[2].startswith(site)]
    assert inside == [], inside

    # control: the same message from a widget itself is obeyed
    frame_of(page, "f-ips").evaluate("(m) => parent.postMessage(m, '*')", {**FOREIGN_MESSAGE, "height": 777})
    page.wait_for_function("() => document.getElementById('f-ips').getBoundingClientRect().height === 777")


def test_widgets_are_refused_on_a_site_not_in_the_allow_list(host_page, host, live_server):
    page = host_page
    host.pages["/not-allowed"] = host_html(widget_iframes(live_server, {"f-ips": "/embed/ecoles-ips"}, WRONG)
                                           + f'<script async src="{live_server}/embed.js"></script>')
    page.goto(host.origin + "/not-allowed")
    frame = frame_of(page, "f-ips")
    assert not frame.url.startswith(live_server), frame.url
    assert frame.query_selector("#w-chart") is None
    refusals = [text for _, text, _ in page.console_lines if "frame-ancestors" in text]
    assert refusals and "https://www.arras.fr" in refusals[0], page.console_lines
    assert iframe_height(page, "f-ips") == WRONG


def test_embed_js_added_after_the_widgets_still_sizes_them(host_page, host, site):
    """A host page whose embed.js arrives after the widgets have drawn (slow network, CMS that adds
    scripts late): the iframes must still take their widgets' heights."""
    page = host_page
    host.pages["/late"] = host_html(widget_iframes(site, FRAMED, WRONG))
    page.goto(host.origin + "/late")
    for fid in FRAMED:
        wait_static_image(frame_of(page, fid))
    page.add_script_tag(url=f"{site}/embed.js")
    page.wait_for_function("() => window.__arrasEmbed === true")
    state = settle(page, FRAMED, polls=30)
    for fid, (height, widget) in state.items():
        assert height != WRONG, f"{fid} kept its wrong height: embed.js never learnt it"
        assert abs(height - widget["scroll"]) <= 10, (fid, height, widget)


def settle_on_content(page, fids, polls: int = 100) -> dict:
    """Until every iframe's height is within 10 px of its widget's content (bounded polling)."""
    state = {}
    for _ in range(polls):
        state = {fid: (iframe_height(page, fid), widget_heights(frame_of(page, fid))) for fid in fids}
        if all(abs(h - w["content"]) <= 10 for h, w in state.values()):
            break
        page.wait_for_timeout(100)
    return state


TALL, SHORT = 1500, 200
MEASURED: dict[str, float] = {}  # the frames' heights, printed for the report (pytest -s)


def test_frames_started_too_tall_or_too_short_take_their_content_height(host_page, host, site):
    """A frame started far taller than its widget shrinks to it, one started too short grows; both
    follow the content when it changes (the data table opened, then closed)."""
    page = host_page
    frames = {"f-tall": "/embed/ecoles-brevet?secteur=public", "f-short": "/embed/ecoles-ips"}
    host.pages["/sizes"] = host_html(
        widget_iframes(site, {"f-tall": frames["f-tall"]}, TALL)
        + widget_iframes(site, {"f-short": frames["f-short"]}, SHORT)
        + f'<script async src="{site}/embed.js"></script>')
    page.goto(host.origin + "/sizes")
    page.wait_for_function("() => window.__arrasEmbed === true")
    for fid in frames:
        wait_static_image(frame_of(page, fid))
    state = settle_on_content(page, frames)
    for fid, (height, widget) in state.items():
        MEASURED[fid] = height
        assert abs(height - widget["content"]) <= 10, (fid, height, widget)
    assert state["f-tall"][0] < TALL - 100, state  # it did shrink
    assert state["f-short"][0] > SHORT + 100, state  # it did grow
    print(f"\nframe heights: started {TALL} -> {state['f-tall'][0]} (content {state['f-tall'][1]['content']}); "
          f"started {SHORT} -> {state['f-short'][0]} (content {state['f-short'][1]['content']})")

    frame = frame_of(page, "f-tall")
    closed = state["f-tall"][0]
    frame.locator("details.w-data summary").click()
    page.wait_for_function("([id, h]) => document.getElementById(id).getBoundingClientRect().height > h + 50",
                           arg=["f-tall", closed])
    opened, widget = settle_on_content(page, ["f-tall"])["f-tall"]
    assert abs(opened - widget["content"]) <= 10, (opened, widget)
    frame.locator("details.w-data summary").click()
    page.wait_for_function("([id, h]) => document.getElementById(id).getBoundingClientRect().height < h - 50",
                           arg=["f-tall", opened])
    again, widget = settle_on_content(page, ["f-tall"])["f-tall"]
    assert abs(again - widget["content"]) <= 10 and abs(again - closed) <= 10, (closed, opened, again, widget)
    print(f"data table opened: {opened}, closed again: {again}")
    for fid in frames:
        assert frame_problems(frame_of(page, fid)) == [], fid


# --- the host page without embed.js: the suggested height ------------------------------------

@pytest.fixture(scope="module")
def suggested_heights(browser, live_server) -> dict[str, int]:
    """The `data-height` of each chart's "Intégrer ce graphique" button on the story pages."""
    if isinstance(browser, BrowserUnavailable):
        _ = browser.page  # fails the test with the fix
    context = browser.new_context(viewport={"width": 412, "height": 900})
    page = context.new_page()
    heights = {}
    for path in sorted({REGISTRY[slug].story_path for slug in SLUGS}):
        page.goto(live_server + path)
        wait_rendered(page)
        heights |= page.evaluate("""() => Object.fromEntries(Array.from(document.querySelectorAll('.embed-open'))
            .map(b => [b.getAttribute('data-slug'), parseInt(b.getAttribute('data-height'), 10)]))""")
    context.close()
    return heights


def test_suggested_height_shows_the_whole_widget_without_embed_js(host_page, host, site, suggested_heights):
    page = host_page
    assert sorted(suggested_heights) == SLUGS
    page.set_viewport_size({"width": 440, "height": 900})
    body = "".join(f'<iframe id="f-{slug}" src="{site}/embed/{slug}" title="{slug}" width="412" '
                   f'height="{suggested_heights[slug]}" loading="lazy" style="border:0;width:412px"></iframe>'
                   for slug in SLUGS)
    host.pages["/no-script"] = host_html(body)
    page.goto(host.origin + "/no-script")
    too_short = []
    for slug in SLUGS:
        fid = f"f-{slug}"
        page.locator(f"#{fid}").scroll_into_view_if_needed()
        frame = frame_of(page, fid)
        wait_static_image(frame)
        for state in ("image", "interactive"):
            widget = widget_heights(frame)
            assert widget["clientWidth"] == 412, (slug, widget)
            assert widget["scrollWidth"] <= widget["clientWidth"], (slug, state, widget)
            if widget["scroll"] > suggested_heights[slug]:
                too_short.append(f"{slug} ({state}): {widget['scroll']} px of widget in a "
                                 f"{suggested_heights[slug]} px iframe")
            if state == "image":
                draw_interactive(frame)
        assert iframe_height(page, fid) == suggested_heights[slug]
        assert frame_problems(frame) == [], slug
    assert too_short == [], "the suggested height leaves an inner scrollbar: " + "; ".join(too_short)


# --- the "Intégrer ce graphique" dialog ------------------------------------------------------

class IframeCode(HTMLParser):
    def __init__(self, code: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.feed(code)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {k: (v or "") for k, v in attrs}))


def test_embed_dialog_writes_the_code_of_the_view(watched, live_server):
    page = watched.page
    page.goto(live_server + "/ecoles?secteur=public")
    wait_rendered(page)
    button = page.locator('.embed-open[data-slug="ecoles-brevet"]')
    version = button.get_attribute("data-version")
    index = page.request.get(live_server + "/embed/index.json").json()
    assert version == {w["slug"]: w for w in index["widgets"]}["ecoles-brevet"]["version"]
    button.click()
    dialog = page.locator("dialog.embed-dialog")
    page.wait_for_function("() => document.querySelector('dialog.embed-dialog').open")
    dialog.get_by_label("Sombre").check()
    dialog.get_by_label("Figer sur cette version des données").check()

    code = page.locator("#embed-code").input_value()
    tags = IframeCode(code).tags
    iframes = [a for t, a in tags if t == "iframe"]
    scripts = [a for t, a in tags if t == "script"]
    assert len(iframes) == 1 and len(scripts) == 1, code
    frame = iframes[0]
    src = frame["src"]
    parts = urlsplit(src)
    assert f"{parts.scheme}://{parts.netloc}" == live_server
    assert parts.path == "/embed/ecoles-brevet"
    query = parse_qs(parts.query)
    assert query.get("secteur") == ["public"], src
    assert query.get("theme") == ["dark"], src
    assert query.get("v") == [version], src
    assert "lang" not in query, src
    title = REGISTRY["ecoles-brevet"].title["fr"]
    assert title in frame.get("title", "") and frame["title"].startswith("Graphique"), frame
    assert frame.get("loading") == "lazy"
    assert frame.get("width") == "100%"
    assert "border:0" in frame.get("style", "").replace(" ", "")
    assert frame.get("height", "").isdigit()
    assert scripts[0].get("src") == live_server + "/embed.js"
    assert "async" in scripts[0]

    preview = page.locator("#embed-preview")
    assert htmllib.unescape(preview.get_attribute("src")) == src
    preview_frame = preview.element_handle().content_frame()
    preview_frame.wait_for_function("() => document.documentElement.getAttribute('data-theme') === 'dark'")

    assert_no_axe_violation(page, "with the embed dialog open")
    page.keyboard.press("Escape")
    page.wait_for_function("() => !document.querySelector('dialog.embed-dialog').open")
    assert not dialog.evaluate("d => d.open")
    assert page.evaluate("() => document.activeElement && document.activeElement.getAttribute('data-slug')") \
        == "ecoles-brevet", "focus goes back to the button that opened the dialog"
    assert_clean(watched)


def test_embed_dialog_offers_the_language_and_a_phone_preview(watched, live_server):
    page = watched.page
    page.set_viewport_size({"width": 1200, "height": 900})
    page.goto(live_server + "/ecoles?secteur=public")
    wait_rendered(page)
    page.locator('.embed-open[data-slug="ecoles-brevet"]').click()
    page.wait_for_function("() => document.querySelector('dialog.embed-dialog').open")
    dialog = page.locator("dialog.embed-dialog")
    assert dialog.get_by_label("Français").is_checked()  # the page's language first
    dialog.get_by_label("Anglais").check()
    english = REGISTRY["ecoles-brevet"].title["en"]
    page.wait_for_function("(t) => document.getElementById('embed-code').value.includes(t)", arg=english)
    frame = [a for t, a in IframeCode(page.locator("#embed-code").input_value()).tags if t == "iframe"][0]
    assert parse_qs(urlsplit(frame["src"]).query) == {"secteur": ["public"], "lang": ["en"]}, frame
    assert frame["title"].startswith("Chart: " + english), frame
    preview = page.locator("#embed-preview")
    preview.element_handle().content_frame().wait_for_function("() => document.documentElement.lang === 'en'")

    dialog.get_by_label("Aperçu à la largeur d'un téléphone (360 pixels)").check()
    page.wait_for_function("() => document.getElementById('embed-preview').getBoundingClientRect().width <= 362")
    inner = preview.element_handle().content_frame()
    inner.wait_for_function("() => document.documentElement.clientWidth <= 360")
    width = inner.evaluate("() => [document.documentElement.clientWidth, document.documentElement.scrollWidth]")
    assert width[1] <= width[0], width  # the widget fits a phone: no sideways scrolling
    # the preview takes its widget's height, as embed.js does for the pasted code
    page.wait_for_function("""() => { const f = document.getElementById('embed-preview');
        const m = f.contentDocument && f.contentDocument.querySelector('main');
        return m && Math.abs(f.getBoundingClientRect().height - m.getBoundingClientRect().height) <= 12; }""")
    dialog.get_by_label("Français").check()
    assert "lang" not in parse_qs(urlsplit(htmllib.unescape(preview.get_attribute("src"))).query)
    assert_no_axe_violation(page, "with the embed dialog's language and phone preview")
    assert_clean(watched)


# --- each widget page alone ---------------------------------------------------------------------

@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("slug", SLUGS)
def test_widget_page_alone_is_accessible(watched, live_server, slug, theme):
    page = watched.page
    response = page.goto(f"{live_server}/embed/{slug}?theme={theme}")
    assert response.status == 200
    wait_static_image(page.main_frame)
    assert page.locator("h1").inner_text() == REGISTRY[slug].title["fr"]
    assert_no_axe_violation(page, f"on /embed/{slug}?theme={theme} (server image)")
    draw_interactive(page.main_frame)
    color = page.evaluate("() => document.getElementById('w-chart')._fullLayout.font.color")
    background = page.evaluate("() => getComputedStyle(document.body).backgroundColor")
    assert (color.lower() in ("#e9ecef", "rgb(233, 236, 239)")) == (theme == "dark"), color
    assert (background == "rgb(255, 255, 255)") == (theme == "light"), background
    assert_no_axe_violation(page, f"on /embed/{slug}?theme={theme} (interactive chart)")
    assert_clean(watched)


def test_auto_theme_on_a_dark_device_draws_the_dark_chart_at_once(watched, live_server):
    page = watched.page
    page.emulate_media(color_scheme="dark")
    page.goto(f"{live_server}/embed/ecoles-brevet?theme=auto&lang=en")
    page.wait_for_selector("#w-chart.js-plotly-plot", state="attached")
    assert page.evaluate("() => document.getElementById('w-chart')._fullLayout.font.color").lower() == "#e9ecef"
    assert page.evaluate("() => getComputedStyle(document.body).backgroundColor") != "rgb(255, 255, 255)"
    assert_no_axe_violation(page, "on a theme=auto widget on a dark device")
    assert_clean(watched)


def test_widget_without_server_image_draws_in_the_browser(watched, live_server, monkeypatch):
    import embeds.images

    monkeypatch.setattr(embeds.images.shutil, "which", lambda *a, **k: None)
    page = watched.page
    page.goto(f"{live_server}/embed/ecoles-effectifs?quartier=620410102&lang=en")
    page.wait_for_selector("#w-chart.js-plotly-plot", state="attached")
    page.wait_for_function("() => document.getElementById('w-static') === null")
    assert watched.problems and all("503" in p for p in watched.problems), watched.problems


@pytest.mark.parametrize("width", [320, 1200])
def test_embed_guide_reads_on_a_phone_and_passes_axe(watched, live_server, width):
    page = watched.page
    page.set_viewport_size({"width": width, "height": 900})
    assert page.goto(live_server + "/aide/integrer-un-graphique").status == 200
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    assert page.evaluate("() => Array.from(document.images).every(i => i.complete && i.naturalWidth > 0)")
    assert_no_axe_violation(page, "on the embed guide")
    assert_clean(watched)

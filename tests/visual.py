"""What a person sees of a chart, measured in Chromium on the SVG plotly draws.

One measurement serves the three surfaces a chart has: the story page (plotly.js), the widget (plotly.js in an
iframe) and the server's image (kaleido's SVG, put in a page as it is; the PNG is the same drawing rasterised).
`problems()` turns a measurement into sentences; `tests/test_visual_browser.py` asks for none on every chart of
the registry, and `python -m tests.visual OUT` (`make gallery`) writes the renderings as PNGs to look through.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from webapp.charts import REGISTRY, load_all
from webapp.stories import STORIES

load_all()
SLUGS = sorted(REGISTRY)
WIDTHS = (390, 1366)
THEMES = ("light", "dark")
LANG = "fr"

# Every text plotly draws, grouped by what it is; the hover layer (only while pointing) is left out.
MEASURE = r"""
(root) => {
  const kindOf = (el) => {
    const kinds = [["legend", ".legend"], ["colorbar", ".colorbar"], ["xtick", ".xtick"], ["ytick", ".ytick"],
      ["xtitle", ".g-xtitle, [class^='g-x'][class$='title']"], ["ytitle", ".g-ytitle, [class^='g-y'][class$='title']"],
      ["title", ".g-gtitle"], ["annotation", ".annotation"], ["bartext", ".textpoint, .bartext"]];
    for (const [kind, sel] of kinds) { if (el.closest(sel)) { return kind; } }
    return "other";
  };
  const svgs = root.matches && root.matches("svg") ? [root] : Array.from(root.querySelectorAll("svg.main-svg"));
  const canvas = (svgs[0] || root).getBoundingClientRect();
  const texts = [];
  for (const svg of svgs) {
    for (const el of svg.querySelectorAll("text")) {
      if (el.closest(".hoverlayer") || el.closest("defs")) { continue; }
      const content = (el.textContent || "").trim();
      if (!content) { continue; }
      const style = getComputedStyle(el);
      if (style.display === "none" || style.visibility === "hidden" || Number(style.opacity) === 0) { continue; }
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) { continue; }
      texts.push({kind: kindOf(el), text: content, x: r.left, y: r.top, w: r.width, h: r.height});
    }
  }
  const legend = [];
  for (const svg of svgs) {
    for (const item of svg.querySelectorAll(".legend .traces")) {
      const name = (item.querySelector("text") || {}).textContent || "";
      const marks = Array.from(item.querySelectorAll(".legendpoints path, .legendlines path, .legendfill path, "
        + ".legendbar path, .legendsymbols path, path.legendundefined"));
      const drawn = marks.some((m) => {
        const b = m.getBoundingClientRect();
        const d = m.getAttribute("d") || "";
        const style = getComputedStyle(m);
        const clear = (c) => !c || c === "none" || /rgba\(.*, 0\)/.test(c);
        const seen = (!clear(style.fill) && Number(style.fillOpacity) > 0) ||
                     (!clear(style.stroke) && parseFloat(style.strokeWidth) > 0 && Number(style.strokeOpacity) > 0);
        return d.length > 2 && (b.width > 0 || b.height > 0) && seen;
      });
      legend.push({name: name.trim(), drawn});
    }
  }
  const scrolls = svgs.some((svg) => {
    const bar = svg.querySelector(".legend .scrollbar");
    return bar && bar.getBoundingClientRect().height > 0;
  });
  const buttons = Array.from((root.closest(".js-plotly-plot") || root).querySelectorAll(".modebar-btn"))
    .map((b) => b.getAttribute("data-title") || "");
  return {canvas: {x: canvas.left, y: canvas.top, w: canvas.width, h: canvas.height}, texts, legend, scrolls,
          buttons};
}
"""

# English month and weekday names, and plotly's own French abbreviations (not CLDR's: "Jan", "Déc").
ENGLISH = re.compile(r"\b(January|February|March|April|June|July|August|September|October|November|December"
                     r"|Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|Monday|Tuesday|Wednesday|Thursday"
                     r"|Friday|Saturday|Sunday|Mon|Tue|Wed|Thu|Fri|Sat|Sun)\b")
PLOTLY_FRENCH = re.compile(r"\b(Jan|Fév|Avr|Jun|Jul|Aoû|Sep|Déc|Lun|Mer|Jeu|Ven|Sam|Dim)\b")
# A mode bar button that sends the chart to a cloud service, or speaks English to a French reader.
CLOUD_OR_ENGLISH = re.compile(r"Share|Chart Studio|cloud|Download plot|Zoom|Pan|Reset|Autoscale", re.IGNORECASE)
SLACK = 1.0  # px: two boxes that touch are not an overlap; sub-pixel rounding is not a fault


@dataclass(frozen=True)
class Rendering:
    """One chart as one surface drew it: where (site, widget, image), how (width, theme) and what was measured."""

    slug: str
    surface: str
    width: int
    theme: str
    lang: str
    measured: Mapping[str, Any]

    @property
    def name(self) -> str:
        return f"{self.slug} {self.surface} {self.width}px {self.theme} {self.lang}"


def _overlap(a: Mapping[str, float], b: Mapping[str, float]) -> bool:
    return (min(a["x"] + a["w"], b["x"] + b["w"]) - max(a["x"], b["x"]) > SLACK
            and min(a["y"] + a["h"], b["y"] + b["h"]) - max(a["y"], b["y"]) > SLACK)


def overlaps(texts: Iterable[Mapping[str, Any]]) -> list[tuple[Mapping[str, Any], Mapping[str, Any]]]:
    """Pairs of text boxes that cover each other. A legend entry's own texts and the colour bar's ticks are
    laid out by plotly in one box each; any other pair counts, ticks of one axis included."""
    texts = list(texts)
    found = []
    for i, a in enumerate(texts):
        for b in texts[i + 1:]:
            if a["kind"] == b["kind"] == "legend":
                continue
            if _overlap(a, b):
                found.append((a, b))
    return found


def outside(texts: Iterable[Mapping[str, Any]], canvas: Mapping[str, float]) -> list[Mapping[str, Any]]:
    """Texts that leave the drawing: cut off in the image, or over the page around the chart."""
    return [t for t in texts
            if t["x"] < canvas["x"] - SLACK or t["y"] < canvas["y"] - SLACK
            or t["x"] + t["w"] > canvas["x"] + canvas["w"] + SLACK
            or t["y"] + t["h"] > canvas["y"] + canvas["h"] + SLACK]


def wrong_names(texts: Iterable[Mapping[str, Any]], lang: str) -> list[str]:
    """English month or weekday names in a French view (or plotly's own French abbreviations)."""
    if lang != "fr":
        return []
    return [t["text"] for t in texts if ENGLISH.search(t["text"]) or PLOTLY_FRENCH.search(t["text"])]


def _short(t: Mapping[str, Any]) -> str:
    return f"{t['kind']} «{t['text'][:40]}»"


def problems(rendering: Rendering) -> list[str]:
    """What is wrong in one rendering, in sentences naming the texts; [] when nothing is."""
    m = rendering.measured
    found = [f"{rendering.name}: {_short(a)} overlaps {_short(b)}" for a, b in overlaps(m["texts"])]
    found += [f"{rendering.name}: {_short(t)} leaves the canvas" for t in outside(m["texts"], m["canvas"])]
    found += [f"{rendering.name}: legend entry «{e['name']}» draws nothing" for e in m["legend"] if not e["drawn"]]
    if m["scrolls"]:
        found.append(f"{rendering.name}: the legend scrolls inside the chart")
    found += [f"{rendering.name}: «{text}» is not a French month or day name"
              for text in wrong_names(m["texts"], rendering.lang)]
    found += [f"{rendering.name}: the mode bar has a «{title}» button" for title in m.get("buttons", [])
              if CLOUD_OR_ENGLISH.search(title) and (rendering.lang == "fr" or "Share" in title or "cloud" in title)]
    return found


# --- the three surfaces -----------------------------------------------------------------------

def wait_rendered(page) -> None:
    """Until the Dash app has drawn the page and site.js has removed the server's copy."""
    page.wait_for_function("() => !document.body.classList.contains('prerendered')")
    page.wait_for_function("() => document.getElementById('prerender') === null")
    page.wait_for_function("() => document.querySelector('#page-content h1') !== null")


def _shoot(shots: Path | None, element, rendering: "Rendering") -> None:
    if shots is not None:
        path = shots / rendering.surface / f"{rendering.slug}-{rendering.width}-{rendering.theme}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        element.screenshot(path=str(path))


def _context(browser, width: int, theme: str = "light"):
    return browser.new_context(viewport={"width": width, "height": 900}, locale="fr-FR",
                               color_scheme="dark" if theme == "dark" else "light")


def site_renderings(browser, base: str, shots: Path | None = None) -> list[Rendering]:
    """Every chart of every story page, drawn by plotly.js in the page."""
    found = []
    for width in WIDTHS:
        context = _context(browser, width)
        page = context.new_page()
        page.set_default_timeout(30_000)
        for story in STORIES:
            page.goto(base + story.path)
            wait_rendered(page)
            for slug in [s for s in SLUGS if REGISTRY[s].story_path == story.path]:
                selector = f'[data-chart="{slug}"] .js-plotly-plot'
                page.evaluate("(s) => document.querySelector(s).scrollIntoView({block: 'center'})",
                              f'[data-chart="{slug}"]')
                page.wait_for_function("(sel) => { const el = document.querySelector(sel);"
                                       " return el && el.data && el._fullLayout; }", arg=selector)
                page.wait_for_timeout(50)  # the frame after plotly's promise: legends and ticks placed
                measured = page.evaluate(MEASURE, page.query_selector(selector))
                found.append(Rendering(slug, "site", width, "light", LANG, measured))
                _shoot(shots, page.locator(f'[data-chart="{slug}"]'), found[-1])
        context.close()
    return found


DRAW_WIDGET = """async (url) => {
  const html = await (await fetch(url)).text();
  const doc = new DOMParser().parseFromString(html, "text/html");
  const payload = JSON.parse(doc.getElementById("w-payload").textContent);
  const chart = document.getElementById("w-chart");
  Plotly.purge(chart);
  chart.style.height = doc.getElementById("w-chart").style.height;
  await Plotly.newPlot(chart, payload.figure.data, payload.figure.layout, payload.config);
  await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
}"""


def widget_renderings(browser, base: str, shots: Path | None = None) -> list[Rendering]:
    """Every widget's interactive chart (the reader has reached for it), drawn from the payload its page serves,
    in a widget page's own chart box: one page per width and theme, not one per widget."""
    found = []
    for width in WIDTHS:
        for theme in THEMES:
            context = _context(browser, width, theme)
            page = context.new_page()
            page.set_default_timeout(30_000)
            page.goto(f"{base}/embed/{SLUGS[0]}?theme={theme}", wait_until="domcontentloaded")
            page.dispatch_event("#w-chart", "focusin")
            page.wait_for_selector("#w-chart.w-live")
            for slug in SLUGS:
                page.evaluate(DRAW_WIDGET, f"{base}/embed/{slug}?theme={theme}")
                measured = page.evaluate(MEASURE, page.query_selector("#w-chart"))
                found.append(Rendering(slug, "widget", width, theme, LANG, measured))
                _shoot(shots, page.locator("#w-chart"), found[-1])
            context.close()
    return found


def image_svg(client, slug: str, width: int, theme: str) -> str:
    response = client.get(f"/embed/{slug}.svg?largeur={width}&theme={theme}")
    assert response.status_code == 200, (slug, response.status_code)
    return response.get_data(as_text=True)


def image_renderings(browser, client, shots: Path | None = None) -> list[Rendering]:
    """Every chart's exported image (title, chart, source line), its SVG shown as it is."""
    found = []
    context = _context(browser, 1400)
    page = context.new_page()
    for width in WIDTHS:
        for theme in THEMES:
            for slug in SLUGS:
                page.set_content(f'<body style="margin:0">{image_svg(client, slug, width, theme)}</body>')
                measured = page.evaluate(MEASURE, page.query_selector("svg"))
                found.append(Rendering(slug, "image", width, theme, LANG, measured))
                if shots is not None:  # the PNG itself, as the export button gives it
                    path = shots / "image" / f"{slug}-{width}-{theme}.png"
                    path.parent.mkdir(parents=True, exist_ok=True)
                    path.write_bytes(client.get(f"/embed/{slug}.png?largeur={width}&theme={theme}").get_data())
    context.close()
    return found




def all_renderings(browser, base: str, client, shots: Path | None = None) -> list[Rendering]:
    return (site_renderings(browser, base, shots) + widget_renderings(browser, base, shots)
            + image_renderings(browser, client, shots))


def main(out: str) -> int:
    """`make gallery`: every rendering as a PNG under `out`, and the problems found, on the configured database."""
    import logging
    import threading

    from playwright.sync_api import sync_playwright
    from werkzeug.serving import make_server

    from webapp import create_app

    server = create_app().server
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    http = make_server("127.0.0.1", 0, server, threaded=True)
    threading.Thread(target=http.serve_forever, daemon=True).start()
    shots = Path(out)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium")
        found = all_renderings(browser, f"http://127.0.0.1:{http.server_port}", server.test_client(), shots)
        browser.close()
    http.shutdown()
    faults = [q for r in found for q in problems(r)]
    print(f"{len(found)} renderings written under {shots}/ (site, widget, image); {len(faults)} problems")
    print("\n".join(faults))
    return 1 if faults else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "gallery"))

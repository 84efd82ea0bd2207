"""Static images of a chart (PNG, SVG) through plotly's own export: kaleido driving the system Chromium."""

from __future__ import annotations

import shutil
import threading
import warnings
from pathlib import Path
from typing import Any

from webapp.charts import Chart
from webapp.figures.base import dark_figure
from webapp.figures.export import framed
from webapp.i18n import _

PLOTLY_BUNDLE = Path(__file__).resolve().parents[1] / "assets" / "vendor" / "plotly-basic-fr.min.js"
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
INSTALL = "installez Chromium sur le serveur (Debian : apt-get install -y chromium)"


class ImageExportUnavailable(RuntimeError):
    """No browser for kaleido on this server: the route answers 503 with this message."""


_lock = threading.Lock()
_server_started = False


def _render(figure: dict[str, Any], fmt: str, width: int, height: int, scale: float) -> bytes:
    """One export at a time per process, through one Chromium kept open (about 0.15 s an image
    once started, against about 2 s when kaleido starts a browser for each image)."""
    global _server_started
    if not any(shutil.which(b) for b in BROWSERS):
        raise ImageExportUnavailable("aucun navigateur trouvé pour l'export ; " + INSTALL)
    import kaleido
    import plotly.io as pio

    with _lock, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            if not _server_started:
                # The site's own plotly.js bundle, with its CLDR formats (webapp/figures/locale.py): the images
                # are drawn by the same code, in the same version, as the page and the widget.
                pio.defaults.plotlyjs = str(PLOTLY_BUNDLE)
                kaleido.start_sync_server(silence_warnings=True)
                _server_started = True
            return pio.to_image(figure, format=fmt, width=width, height=height, scale=scale, validate=False)
        except Exception as exc:  # kaleido reports a missing or broken browser in several ways
            if "chrom" in str(exc).lower() or "browser" in str(exc).lower():
                raise ImageExportUnavailable(f"{exc}; {INSTALL}") from exc
            raise


def chart_svg(figure: dict[str, Any], width: int) -> bytes:
    """The chart alone as SVG, at the widget's width: what a widget shows before plotly.js loads."""
    height = int(figure["layout"].get("height", 400))
    return _render(figure, "svg", width, height, 1)


def export_image(chart: Chart, view: dict[str, Any], lang: str, theme: str, fmt: str, width: int,
                 height: int | None, sources: list[dict[str, Any]], filters: str = "") -> bytes:
    """The chart as `fmt` bytes, with its title (and the filters applied) above and its source line below, each
    wrapped to `width` with its own room (webapp.figures.export.framed); `height` none: the plot keeps its own."""
    figure = dark_figure(view["figure"]) if theme == "dark" else view["figure"]
    color = "#ced4da" if theme == "dark" else "#495057"
    figure = framed(figure, chart.title[lang], filters, _source_line(sources, lang), width, color)
    layout = figure["layout"]
    layout["paper_bgcolor"] = "#1b1e21" if theme == "dark" else "#ffffff"
    return _render(figure, fmt, width, height or int(layout["height"]), 2 if fmt == "png" else 1)


def _source_line(sources: list[dict[str, Any]], lang: str) -> str:
    parts = dict.fromkeys(f"{s['producer']}, {s['licence']}, {s['date']}" for s in sources)  # each source once
    return _("Source :", lang) + " " + " · ".join(parts)

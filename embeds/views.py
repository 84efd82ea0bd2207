"""The widgets' routes: every chart of the registry as an embeddable page and in other formats of the same view.

/embed/<slug>            the chart alone (no Dash bundle), for an iframe
/embed/<slug>.csv|.json  its data; .png|.svg a static image with title and source drawn in
/embed/index.json        every widget with its parameters, datasets and versions
/embed.js                the host page's script that sizes the site's iframes
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from flask import Blueprint, Response, current_app, render_template, request, url_for
from markupsafe import Markup

from embeds.export import DIALECTS, csv_text, safe_cell, shown_rows  # noqa: F401 - safe_cell: public helper
from embeds.filters import filter_line
from embeds.request import WidgetRequest, parse_csv_dialect, parse_widget
from webapp.charts import REGISTRY, alternative, caption
from webapp.charts.sources import source_parts
from webapp.data import texts
from webapp.data.store import dataset_versions, datasets_meta, get_settings
from webapp.extensions import cache
from webapp.figures.base import THEMES, dark_figure, graph_config
from webapp.i18n import LANGS, N_, SOURCE_LANG, _, href
from webapp.public_error import PublicError, bad_parameter
from embeds.images import ImageExportUnavailable, chart_svg, export_image

bp = Blueprint("embeds", __name__, template_folder="templates")

IMAGE_FORMATS = {"png": "image/png", "svg": "image/svg+xml"}
WIDTH_RANGE, HEIGHT_RANGE, DEFAULT_WIDTH = (320, 2000), (200, 2000), 1000


def _gettext(lang: str) -> Callable[..., str]:
    """The templates' `_`, in the widget's language."""
    return lambda message, **kwargs: _(message, lang, **kwargs)


# --- the widget page -------------------------------------------------------------------------

def render_widget(w: WidgetRequest) -> str:
    """The widget page's HTML, built once per chart, parameters, language, theme and data version."""
    key = w.key("html")
    html = cache.get(key)
    if html is not None:
        return html
    settings = get_settings()
    view = w.chart.view(w.params, w.lang)
    payload = {"figure": view["figure"], "config": graph_config(w.lang) | {"responsive": True}}
    if w.theme == "dark":
        payload["figure"] = dark_figure(view["figure"])
    elif w.theme == "auto":
        payload["dark"] = dark_figure(view["figure"])
    site = _("{city} en données", w.lang, city=settings.city_name)
    assets = current_app.extensions["arras_assets"]
    static_query = {**w.query, "lang": w.lang, "theme": "dark" if w.theme == "dark" else "light"}
    if w.pinned:
        static_query["v"] = w.stamp
    if w.preview:
        static_query["apercu"] = w.preview
    static_url = url_for("embeds.widget_static", slug=w.chart.slug, **static_query)
    html = render_template(
        "embed.html", w=w, view=view, _=_gettext(w.lang), alt=alternative(w.chart, w.lang),
        filters=filter_line(w), rows=shown_rows(view["table"], w.lang), downloads=_downloads(w),
        note=texts.render(caption(w.chart, w.lang), inline=True), site=site, sources=source_parts(w.chart, w.lang),
        story_url=href(w.chart.story_path, w.lang, **w.query), height=view["figure"]["layout"].get("height", 400),
        payload=Markup(json.dumps(payload, separators=(",", ":"), ensure_ascii=False).replace("</", "<\\/")),
        css=assets.url("css/embed.css"), plotly=assets.url("vendor/plotly-basic-fr.min.js"),
        script=assets.url("js/widget.js"), color=settings.city_primary_color, favicon=assets.url("favicon.svg"),
        static_url=static_url,
    )
    cache.set(key, html)
    return html


def _downloads(w: WidgetRequest) -> dict[str, str]:
    """The addresses of the widget's image and data, for the same view (filters, language, theme, version)."""
    query = dict(w.query)
    if w.pinned:
        query["v"] = w.stamp
    if w.preview:
        query["apercu"] = w.preview
    image = {**query, "theme": "dark"} if w.theme == "dark" else query  # an image has one theme: `auto` is light
    slug = w.chart.slug
    return {"png": href(f"/embed/{slug}.png", w.lang, **image), "csv": href(f"/embed/{slug}.csv", w.lang, **query),
            "excel": href(f"/embed/{slug}.csv", w.lang, **query, format="excel-fr")}


def _widget_response(body: str | bytes, mimetype: str, w: WidgetRequest, variant: str = "") -> Response:
    response = Response(body, mimetype=mimetype)
    if w.preview:
        response.headers["Cache-Control"] = "private, no-store"
        return response
    response.set_etag(w.etag + variant)
    if w.pinned:
        response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    else:
        response.headers["Cache-Control"] = "public, max-age=60, must-revalidate"  # a publish shows within a minute
    return response.make_conditional(request)


def error_page(exc: PublicError, lang: str) -> str:
    """A widget's error page: what is wrong, and the widgets that exist (no site chrome, like a widget)."""
    widgets = [(slug, chart.title[lang], href(f"/embed/{slug}", lang)) for slug, chart in REGISTRY.items()]
    assets = current_app.extensions["arras_assets"]
    return render_template("embed_error.html", lang=lang, title=exc.title(lang), message=exc.message(lang),
                           widgets=widgets, _=_gettext(lang), css=assets.url("css/embed.css"),
                           favicon=assets.url("favicon.svg"))


@bp.route("/embed/<slug>")
def widget(slug: str) -> Response:
    w = parse_widget(slug, request.args)
    return _widget_response(render_widget(w), "text/html", w)


# --- other formats of the same view ----------------------------------------------------------

@bp.route("/embed/<slug>.csv")
def widget_csv(slug: str) -> Response:
    """The rows and columns of the chart's data table, figures as the table shows them, for the same parameters:
    `format=standard` (default) for programs, `format=excel-fr` for a French spreadsheet."""
    w = parse_widget(slug, request.args)
    dialect = parse_csv_dialect(request.args)
    table = w.chart.view(w.params, w.lang)["table"]
    response = _widget_response(csv_text(table, w.lang, dialect), "text/csv", w, dialect.suffix)
    response.headers["Content-Disposition"] = f'attachment; filename="{slug}{dialect.suffix}.csv"'
    return response


@bp.route("/embed/<slug>.json")
def widget_json(slug: str) -> Response:
    """The chart's data and what a reuser needs to cite it."""
    w = parse_widget(slug, request.args)
    view = w.chart.view(w.params, w.lang)
    table = view["table"]
    body = {
        "slug": w.chart.slug, "title": w.chart.title[w.lang], "summary": view["summary"], "lang": w.lang,
        "parameters": {p.name: w.query.get(p.name, p.default_value()) for p in w.chart.params},
        "version": w.stamp, "sources": source_parts(w.chart, w.lang),
        "datasets": {d: dataset_versions().get(d) for d in w.chart.depends},
        "columns": table["columns"], "rows": table["raw"],
        "page": href(w.chart.story_path, w.lang, **w.query),
    }
    return _widget_response(json.dumps(body, ensure_ascii=False, default=str), "application/json", w)


def _clamp(args: Mapping[str, str], name: str, bounds: tuple[int, int], default: int) -> int:
    try:
        value = int(args.get(name, default))
    except ValueError:
        raise bad_parameter(name, args.get(name, ""), [f"{bounds[0]}…{bounds[1]}"]) from None
    return max(bounds[0], min(bounds[1], value))


def _image_response(slug: str, fmt: str, kind: str, default_width: int, step: int,
                    draw: Callable[[WidgetRequest, dict[str, Any], int, int | None], bytes]) -> Response:
    """Parse, clamp the size, answer from the cache or draw once; 503 when no browser can draw."""
    w = parse_widget(slug, request.args)
    width = _clamp(request.args, "largeur", WIDTH_RANGE, default_width)
    height = _clamp(request.args, "hauteur", HEIGHT_RANGE, 0) if request.args.get("hauteur") else None
    width = max(WIDTH_RANGE[0], round(width / step) * step)
    key = w.key(kind, fmt, width, height)
    body = cache.get(key)
    if body is None:
        try:
            body = draw(w, w.chart.view(w.params, w.lang), width, height)
        except ImageExportUnavailable as exc:
            raise PublicError(503, N_("Export d'image indisponible : {reason}"), reason=str(exc)) from None
        cache.set(key, body)
    return _widget_response(body, IMAGE_FORMATS[fmt], w)


@bp.route("/embed/<slug>.<any(png, svg):fmt>")
def widget_image(slug: str, fmt: str) -> Response:
    """A static image (plotly's own export through kaleido and the system Chromium), title and source drawn in."""
    def draw(w: WidgetRequest, view: dict[str, Any], width: int, height: int | None) -> bytes:
        return export_image(w.chart, view, w.lang, w.theme, fmt, width, height, source_parts(w.chart, w.lang),
                            filter_line(w))

    return _image_response(slug, fmt, "image", DEFAULT_WIDTH, 1, draw)


STATIC_STEP = 40  # widths of the widget's first image are rounded to this, to share cached images


@bp.route("/embed/<slug>/vue.svg")
def widget_static(slug: str) -> Response:
    """The chart alone at the widget's width: shown at once, replaced by plotly.js when the reader
    reaches for it (hover, touch, keyboard), so a widget costs no script evaluation on load."""
    def draw(w: WidgetRequest, view: dict[str, Any], width: int, height: int | None) -> bytes:
        return chart_svg(dark_figure(view["figure"]) if w.theme == "dark" else view["figure"], width)

    return _image_response(slug, "svg", "static", 640, STATIC_STEP, draw)


# --- the widget index and the host page's script --------------------------------------------

@bp.route("/embed/index.json")
def widget_index() -> Response:
    versions = dataset_versions()
    meta = datasets_meta().set_index("slug")
    widgets = []
    for chart in REGISTRY.values():
        widgets.append({
            "slug": chart.slug, "kind": chart.kind, "title": dict(chart.title),
            "url": url_for("embeds.widget", slug=chart.slug), "story": chart.story_path,
            "parameters": [
                {"name": p.name, "label": dict(p.label), "default": p.default_value(), "allowed": p.allowed(),
                 "multiple": p.multiple} for p in chart.params
            ] + [
                {"name": "lang", "default": SOURCE_LANG, "allowed": list(LANGS), "multiple": False},
                {"name": "theme", "default": "light", "allowed": list(THEMES), "multiple": False},
                {"name": "v", "default": None, "allowed": [chart.stamp(versions)], "multiple": False},
            ],
            "datasets": [{"slug": d, "title": meta.loc[d, "title_fr"], "version": versions.get(d)}
                         for d in chart.depends],
            "version": chart.stamp(versions),
            "formats": ["html", "csv", "json", "png", "svg"],
        })
    response = current_app.json.response({"widgets": widgets})
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


@bp.route("/embed.js")
def embed_script() -> Response:
    store = current_app.extensions["arras_assets"]
    response = Response(store.body("js/embed.js", "identity"), mimetype="text/javascript")
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response

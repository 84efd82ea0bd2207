"""Building blocks shared by the story pages: a chart with its source, summary and data table."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import dash_bootstrap_components as dbc
from dash import dcc, html

from webapp.charts import Chart, alternative, caption
from webapp.charts.sources import source_parts
from webapp.data.store import dataset_versions, datasets_meta, get_settings
from webapp.figures.base import graph_config
from webapp.i18n import _, href
from webapp.layouts import markdown


def suggested_height(chart: Chart, view: dict[str, Any], lang: str) -> int:
    """An iframe height that shows the whole widget on a 320-412 px phone without an inner scrollbar.

    Text is counted in lines of a phone-width column (fewer characters per line than most fonts fit),
    so the estimate errs on the tall side; with embed.js the iframe then takes its exact height.
    """
    def lines(text: str, per_line: int) -> int:
        return -(-len(text) // per_line)

    site = _("{city} en données", lang, city=get_settings().city_name)
    sources = " · ".join(f"{s['title']}, {s['producer']}, {s['licence']}, {s['date']}"
                         for s in source_parts(chart, lang)) + " " + site
    height = view["figure"]["layout"].get("height", 400)
    height += 30 * lines(chart.title[lang], 26)  # title
    height += 23 * lines(view["summary"], 32)  # summary
    height += (20 * lines(chart.note[lang], 38) + 12) if chart.note else 0  # note
    height += 20 * lines(sources, 36) + 12  # source line
    return int(height + 36 + 40)  # "show the data" toggle, margins


def ids(slug: str) -> dict[str, Any]:
    """Component ids of one chart block, owned here and used by the story's callbacks.

    The chart itself is mounted in its holder by a clientside callback once the holder comes near
    the viewport (see assets/js/site.js): a long story page does not draw every chart on load.
    """
    out: dict[str, Any] = {k: f"{slug}-{k}" for k in ("summary", "csv")}
    out |= {k: {"type": f"chart-{k}", "slug": slug} for k in ("holder", "figure", "visible", "table", "toggle")}
    return out


def figure_payload(chart: Chart, view: dict[str, Any], lang: str) -> dict[str, Any]:
    """What a chart's store holds: figure, Plotly config, and the data table the browser draws on demand."""
    table = {"columns": view["table"]["columns"], "rows": view["table"]["rows"]}
    return {"figure": view["figure"], "config": graph_config(lang), "table": table, "caption": chart.title[lang]}


def without_lazy_tables(node: Any) -> Any:
    """The layout for the Dash app: data tables left empty until their "show the data" is opened.

    The server's pre-rendered copy keeps them (readable at once and without JavaScript); the app
    draws a table in the browser from its chart's store, which keeps the page's React tree small.
    """
    if isinstance(node, (list, tuple)):
        return [without_lazy_tables(n) for n in node]
    if not hasattr(node, "_type"):
        return node
    node_id = getattr(node, "id", None)
    if isinstance(node_id, dict) and node_id.get("type") == "chart-table":
        node.children = None
        return node
    children = getattr(node, "children", None)
    if children is not None:
        node.children = without_lazy_tables(children)
    return node


def holder_style(figure: dict[str, Any]) -> dict[str, str]:
    return {"height": f"{figure['layout'].get('height', 400)}px"}


def lang_query(lang: str) -> dict[str, str]:
    """The query parameter that keeps `lang` in a link (none for French), as `href` adds it."""
    return dict(parse_qsl(urlsplit(href("/", lang)).query))


def csv_href(slug: str, query: dict[str, str], lang: str) -> str:
    params = {**query, **lang_query(lang)}
    return f"/embed/{slug}.csv" + ("?" + urlencode(params) if params else "")


def source_line(chart: Chart, lang: str) -> html.P:
    """'Source : title, producer, licence, copied on date · …' for the datasets a chart names."""
    parts: list[Any] = [_("Source :", lang) + " "]
    sources = source_parts(chart, lang)
    all_demo = all(src["demo"] for src in sources)
    for i, src in enumerate(sources):
        if i:
            parts.append(" · ")
        parts += [html.A(src["title"], href=src["url"]), f", {src['producer']}, ",
                  html.A(src["licence"], href=src["licence_url"]), ", " + _("copie du {date}", lang, date=src["date"])]
        if src["demo"] and not all_demo:  # a mixed line: which of its datasets are the demo ones, briefly
            parts.append(" (" + _("démo", lang) + ")")
    if all_demo:  # said once, at the end, however many datasets the line names
        parts.append(" · " + _("données de démonstration", lang))
    return html.P(parts, className="chart-source small text-body-secondary")


def data_table(table: dict[str, Any], caption: str) -> html.Table:
    """The data of a chart as an accessible table (the same markup as the browser's lazy copy)."""
    head = html.Thead(html.Tr([html.Th(c, scope="col") for c in table["columns"]]))
    body = html.Tbody([html.Tr([html.Td(v) for v in row]) for row in table["rows"]])
    return html.Table([html.Caption(caption), head, body], className="table table-sm table-striped")


def chart_block(chart: Chart, view: dict[str, Any], query: dict[str, str], lang: str) -> html.Section:
    """A chart with its title, text summary, note, source line, data table and CSV link."""
    i = ids(chart.slug)
    title_id = f"{chart.slug}-title"
    note = caption(chart, lang)
    return html.Section(
        [
            html.Div([html.H2(chart.title[lang], id=title_id, className="h4"),
                      demo_badge(lang) if is_demo(chart) else None], className="chart-head"),
            html.P([html.Strong(_("En bref :", lang) + " "),
                    html.Span(view["summary"], id=i["summary"])], className="chart-summary"),
            html.Figure(
                [
                    html.Div(id=i["holder"], className="chart-graph", style=holder_style(view["figure"]),
                             **{"data-chart": chart.slug}),
                    dcc.Store(id=i["figure"], data=figure_payload(chart, view, lang)),
                    dcc.Store(id=i["visible"], data=False),
                ],
                className="chart-figure", **{"aria-describedby": i["summary"], "aria-label": alternative(chart, lang)},
            ),
            html.P(markdown.to_dash(note, inline=True), className="chart-note small") if note else None,
            source_line(chart, lang),
            html.Details(
                [html.Summary(_("Voir les données", lang), id=i["toggle"]),
                 html.Div(data_table(view["table"], chart.title[lang]), id=i["table"], className="table-responsive")],
                className="chart-data",
            ),
            html.Div([
                html.A(_("Télécharger ces données (CSV)", lang), href=csv_href(chart.slug, query, lang), id=i["csv"],
                       className="chart-csv", download=f"{chart.slug}.csv"),
                html.A(_("version pour Excel en français", lang), href=csv_href(chart.slug, {**query, "format": "excel-fr"}, lang),
                       className="chart-csv", download=f"{chart.slug}-excel-fr.csv"),
                html.Button(_("Intégrer ce graphique", lang), type="button",
                            className="btn btn-outline-primary btn-sm embed-open",
                            **{"data-slug": chart.slug, "data-title": chart.title[lang],
                               "data-height": str(suggested_height(chart, view, lang)),
                               "data-version": chart.stamp(dataset_versions())}),
            ], className="chart-actions"),
        ],
        className="chart-block", id=chart.slug, **{"aria-labelledby": title_id},
    )


def sentence(text: str, **parts: Any) -> list[Any]:
    """A translated text with components (links…) in place of its `{name}` placeholders, as Dash children:
    `sentence(_("Écrivez à {mail}.", lang), mail=html.A(…))`."""
    pieces = re.split(r"\{(\w+)\}", text)
    return [parts[piece] if i % 2 else piece for i, piece in enumerate(pieces) if i % 2 or piece]


def labelled_select(id_: str, label: str, options: list[dict[str, str]], value: str) -> html.Div:
    """A filter as a native select with its label (readable by screen readers, usable on a phone)."""
    return html.Div([html.Label(label, htmlFor=id_, className="form-label fw-semibold fs-6"),
                     dbc.Select(id=id_, options=options, value=value)], className="filter-group")


def period_filter(legend: str, bounds: tuple[tuple[str, str, str], tuple[str, str, str]],
                  options: list[dict[str, str]]) -> html.Fieldset:
    """A period as two selects, its first and last value: `bounds` gives (id, label, value) of each."""
    return html.Fieldset([
        html.Legend(legend, className="form-label fw-semibold fs-6"),
        html.Div([html.Div([html.Label(label, htmlFor=id_, className="form-label"),
                            dbc.Select(id=id_, options=options, value=value)]) for id_, label, value in bounds],
                 className="filter-years"),
    ], className="filter-group")


def key_figure(value: str, label: str, demo: str | None = None) -> html.Div:
    """A key figure card; `demo` is the page's language when the figure is computed from demo data."""
    return html.Div([html.P(value, className="key-value"), html.P(label, className="key-label"),
                     demo_badge(demo) if demo else None], className="key-figure")


def demo_lang(datasets: tuple[str, ...], lang: str) -> str | None:
    """`lang` when any of the datasets is demo data (for `key_figure`'s badge), else None."""
    meta = datasets_meta().set_index("slug")
    return lang if any(d in meta.index and bool(meta.at[d, "is_demo"]) for d in datasets) else None


def marked_demo(figures: list[html.Div], datasets: tuple[str, ...], lang: str) -> list[html.Div]:
    """Key figures all computed from `datasets`, each with the « Démo » badge when any of them is demo data."""
    if demo_lang(datasets, lang):
        for figure in figures:
            figure.children = [*figure.children, demo_badge(lang)]
    return figures


def is_demo(chart: Chart) -> bool:
    """Whether any dataset a chart draws is demo data (it changes when an editor imports a real file)."""
    return any(src["demo"] for src in source_parts(chart, "fr"))


def demo_badge(lang: str) -> html.Span:
    """The small « Démo » mark of a chart or key figure built from demo data (the page says why, once)."""
    return html.Span(_("Démo", lang), className="badge demo-badge", title=_("Données de démonstration", lang))


def demo_banner(text: str) -> html.P:
    """The page's one notice that some of its data are demo data, placed under its title."""
    return html.P(text, className="callout callout-demo")


def takeaway(text: str) -> html.P:
    """The page's finding in one sentence, on the first screen of a phone."""
    return html.P(text, className="takeaway")


def radio_group(id_: str, legend: str, options: list[dict[str, str]], value: str) -> html.Fieldset:
    """A short choice as one radio group: one Tab stop, the arrow keys move within it (a shared `name`)."""
    return html.Fieldset([
        html.Legend(legend, className="form-label fw-semibold fs-6"),
        dbc.RadioItems(id=id_, name=id_, options=options, value=value, className="filter-options"),
    ], className="filter-group")


def filters_panel(heading: str, controls: list[Any], status_id: str, intro: str | None = None) -> html.Section:
    """The filters in a panel that folds: open on a wide screen, folded on a phone by the page's script.

    The status line that screen readers hear after a change stays outside it, so it is heard folded too.
    """
    return html.Section([
        html.Details([html.Summary(html.Span(heading, className="filters-heading")),
                      html.P(intro, className="small mb-2") if intro else None,
                      html.Div(controls, className="filters-row")], open=True, className="filters"),
        html.P(id=status_id, className="visually-hidden", role="status"),
    ], className="filters-section", **{"aria-label": heading})

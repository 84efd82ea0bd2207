"""What every story's filter callback shares: its charts' outputs, their new values, the page's language,
and the shareable link (the address follows the filters)."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs

from dash import Dash, Input, Output, dcc

from webapp.charts import charts_of
from webapp.i18n import parse_lang
from webapp.layouts.components import csv_href, figure_payload, holder_style, ids


def chart_outputs(story: str) -> list[Output]:
    """Per chart of the story: its figure's store, holder style, summary and CSV link."""
    outputs = []
    for chart in charts_of(story):
        i = ids(chart.slug)
        outputs += [Output(i["figure"], "data"), Output(i["holder"], "style"), Output(i["summary"], "children"),
                    Output(i["csv"], "href")]
    return outputs


def chart_values(story: str, f: Any, query: dict[str, str], lang: str) -> list[Any]:
    """The values of `chart_outputs(story)` for the validated filter `f` (its query string: `query`)."""
    values: list[Any] = []
    for chart in charts_of(story):
        view = chart.view(f, lang)
        values += [figure_payload(chart, view, lang), holder_style(view["figure"]), view["summary"],
                   csv_href(chart.slug, query, lang)]
    return values


def lang_of(search: Any) -> str:
    """The page's language from its query string (`lang`), French by default."""
    search = search if isinstance(search, str) else ""
    return parse_lang((parse_qs(search.lstrip("?")).get("lang") or [None])[0])


# The view is a shareable link: the address follows the filters, without a new history entry. The
# filter callback answers the canonical query (`filter_query`, defaults left out, as widgets use it);
# this one script writes it, keeping the other parameters (`lang`) where they are.
URL_SYNC_JS = """
function(query) {
    if (!query) { return window.dash_clientside.no_update; }
    var params = new URLSearchParams(window.location.search);
    query.names.forEach(function(k) {
        if (Object.prototype.hasOwnProperty.call(query.values, k)) { params.set(k, query.values[k]); }
        else { params.delete(k); }
    });
    var q = params.toString();
    window.history.replaceState(null, "", window.location.pathname + (q ? "?" + q : ""));
    return window.dash_clientside.no_update;
}
"""


def url_store_id(story: str) -> str:
    return f"{story}-url"


def url_stores(stories: list[str]) -> list[dcc.Store]:
    """One store per story for the query its filters make (in the app's root layout)."""
    return [dcc.Store(id=url_store_id(story)) for story in stories]


def url_output(story: str) -> Output:
    return Output(url_store_id(story), "data")


def url_value(names: list[str], query: dict[str, str]) -> dict[str, Any]:
    """What `url_output` receives: the story's parameter names and the query of the chosen filters."""
    return {"names": list(names), "values": dict(query)}


def register_url_sync(app: Dash, story: str) -> None:
    app.clientside_callback(URL_SYNC_JS, Output(url_store_id(story), "clear_data"),
                            Input(url_store_id(story), "data"), prevent_initial_call=True)

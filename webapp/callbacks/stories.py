"""What every story's filter callback shares: its charts' outputs, their new values, the page's language."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs

from dash import Output

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

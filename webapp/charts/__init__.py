"""One registry of charts: story pages, widgets, their formats, the widget index and the tests use it."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from webapp.i18n import _l


@dataclass(frozen=True)
class Param:
    """A public parameter of a chart: its name in the URL, default, and allowed values."""

    name: str
    default: str | Callable[[], str]  # may read the store too (e.g. the first year of a file)
    allowed: Callable[[], list[str]]  # may read the store (e.g. the town's IRIS codes)
    label: Mapping[str, str]
    multiple: bool = False  # a comma-separated subset of the allowed values

    def default_value(self) -> str:
        return self.default() if callable(self.default) else self.default


@dataclass(frozen=True)
class Chart:
    """A chart: where its data comes from, how it is drawn, and what it says."""

    slug: str
    story: str
    story_path: str  # the page that tells the whole story
    kind: str  # map | bar | line | scatter: what the widget draws
    title: Mapping[str, str]
    datasets: tuple[str, ...]  # the sources named under the chart
    depends: tuple[str, ...]  # every dataset its view reads: their versions make its version stamp
    params: tuple[Param, ...]
    parse: Callable[[Mapping[str, str]], Any]  # query args -> frozen params (raises a PublicError)
    view: Callable[[Any, str], dict[str, Any]]  # (params, lang) -> {figure, summary, table}
    note: Mapping[str, str] = field(default_factory=dict)  # caveat shown under the chart

    def __post_init__(self) -> None:
        object.__setattr__(self, "view", _finished(self.view))

    def stamp(self, versions: Mapping[str, int]) -> str:
        """A short token naming the versions of every dataset the chart reads (the `v` of widgets)."""
        raw = ",".join(f"{d}={versions.get(d, 0)}" for d in sorted(self.depends))
        return hashlib.sha256(raw.encode()).hexdigest()[:10]


def _finished(view: Callable[[Any, str], dict[str, Any]]) -> Callable[[Any, str], dict[str, Any]]:
    """The chart's view with the layout rules every figure shares applied last (room for the legend), on
    every surface: page, widget, image."""
    from webapp.figures.base import with_legend_room

    if getattr(view, "finished", False):
        return view

    def finished(params: Any, lang: str) -> dict[str, Any]:
        result = view(params, lang)
        return dict(result, figure=with_legend_room(result["figure"])) if "figure" in result else result

    finished.finished = True  # type: ignore[attr-defined]
    finished.__wrapped__ = view  # type: ignore[attr-defined]
    return finished


REGISTRY: dict[str, Chart] = {}


def register(chart: Chart) -> Chart:
    from webapp.data import texts

    if chart.slug in REGISTRY and REGISTRY[chart.slug] is not chart:
        raise ValueError(f"chart slug {chart.slug!r} registered twice")
    REGISTRY[chart.slug] = chart
    texts.register(f"{chart.slug}.caption", _l("Note sous « {title} »", title=chart.title),
                   lambda lang: chart.note.get(lang, ""), inline=True)
    texts.register(f"{chart.slug}.alt", _l("Alternative textuelle de « {title} »", title=chart.title),
                   lambda lang: chart.title[lang], inline=True)
    return chart


def caption(chart: Chart, lang: str) -> str:
    """The Markdown note under a chart (editable; the registry's note until edited)."""
    from webapp.data import texts

    return texts.current(f"{chart.slug}.caption", lang)


def alternative(chart: Chart, lang: str) -> str:
    """The chart's text alternative, plain text (editable; its title until edited)."""
    from webapp.data import texts

    return texts.plain(texts.current(f"{chart.slug}.alt", lang)) or chart.title[lang]


def uses_of(slug: str) -> list[dict[str, Any]]:
    """The charts (widgets) whose figures read the dataset, with their story."""
    return [{"chart": c.slug, "story": c.story_path, "title": dict(c.title)}
            for c in REGISTRY.values() if slug in c.depends]


def charts_of(story: str) -> list[Chart]:
    return [c for c in REGISTRY.values() if c.story == story]


def load_all() -> None:
    """Import every story's chart module (`webapp/charts/<story>.py`) so that the registry is complete."""
    from webapp.stories import modules

    modules("webapp.charts")

"""One registry of charts: the story pages, the CSV downloads and the tests iterate over it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any


class BadParameter(ValueError):
    """A public query parameter with a value outside its allowed ones."""

    def __init__(self, name: str, value: str, allowed: list[str]) -> None:
        self.name, self.value, self.allowed = name, value, allowed
        super().__init__(f"{name}={value!r} not in {allowed}")

    def message(self, lang: str) -> str:
        allowed = ", ".join(self.allowed)
        if lang == "en":
            return f"The parameter “{self.name}” cannot be “{self.value}”. Allowed values: {allowed}."
        return f"Le paramètre « {self.name} » ne peut pas valoir « {self.value} ». Valeurs possibles : {allowed}."


@dataclass(frozen=True)
class Chart:
    """A chart: where its data comes from, how it is drawn, and what it says."""

    slug: str
    story: str
    title: Mapping[str, str]
    datasets: tuple[str, ...]
    parse: Callable[[Mapping[str, str]], Any]  # query args -> frozen params (raises BadParameter)
    view: Callable[[Any, str], dict[str, Any]]  # (params, lang) -> {figure, summary, table}
    note: Mapping[str, str] = field(default_factory=dict)  # caveat shown under the chart


REGISTRY: dict[str, Chart] = {}


def register(chart: Chart) -> Chart:
    if chart.slug in REGISTRY and REGISTRY[chart.slug] is not chart:
        raise ValueError(f"chart slug {chart.slug!r} registered twice")
    REGISTRY[chart.slug] = chart
    return chart


def charts_of(story: str) -> list[Chart]:
    return [c for c in REGISTRY.values() if c.story == story]


def load_all() -> None:
    """Import every story's chart module so that the registry is complete."""
    from webapp.charts import schools  # noqa: F401

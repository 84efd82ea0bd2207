"""The one list of stories: a new story joins it, and every layer finds its modules by its name.

A story called `name` has, each in its own layer (`docs/adding-a-story.md`):

- `webapp/data/<name>.py`: its build group (`GROUP`), cross-file checks (`CHECKS`) and queries;
  `webapp/data/<name>_tables.py` its curated tables; `webapp/data/importers/<name>.py` its importers
  and build; a migration creating its tables;
- `webapp/figures/<name>.py` its figures, `webapp/charts/<name>.py` (and `<name>_*.py`) its charts;
- `webapp/layouts/<name>.py` its page (`title`, `description`, `layout`, `card`, `LINK`),
  `webapp/callbacks/<name>.py` its callbacks (`register(app)`);
- its datasets in `data/sources/catalogue.json`, under its `theme`.

Each layer imports only its own story modules (`modules("webapp.charts")`), so this list is the only
file a new story shares with the others. The geography (IRIS outlines) is not a story: every map reads it.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from types import ModuleType

from webapp.i18n import N_, Text, _l


@dataclass(frozen=True)
class Story:
    name: str  # the name its modules carry in every layer
    path: str  # its page
    group: str  # the build group of its curated tables (`webapp.data.<name>.GROUP`)
    theme: str  # the catalogue theme of its datasets
    theme_label: str  # the theme in words (a catalogue message)
    eu_themes: tuple[str, ...]  # the EU data themes of its datasets (DCAT)
    nav: Text  # its label in the main navigation


STORIES: tuple[Story, ...] = (
    Story("schools", "/ecoles", "ecoles", "education", N_("Éducation"), ("EDUC",), _l("Écoles")),
    Story("housing", "/logement", "logement", "logement", N_("Logement"), ("SOCI", "ECON"), _l("Logement")),
    Story("footfall", "/frequentation", "frequentation", "frequentation", N_("Fréquentation"), ("ECON", "TRAN"),
          _l("Fréquentation")),
    Story("commerce", "/commerces", "commerces", "commerce", N_("Commerce"), ("ECON",), _l("Commerces")),
    Story("reports", "/signalements", "signalements", "signalements", N_("Signalements"), ("GOVE",),
          _l("Signalements")),
)

# Datasets that belong to no story: the town's geography, read by every map.
GEOGRAPHY_THEME, GEOGRAPHY_THEME_LABEL, GEOGRAPHY_EU_THEMES = "territoire", N_("Territoire"), ("REGI",)


def modules(layer: str, suffix: str = "") -> list[ModuleType]:
    """Every story's module of a layer: modules("webapp.charts") -> [webapp.charts.schools, …]."""
    return [importlib.import_module(f"{layer}.{story.name}{suffix}") for story in STORIES]


def themes() -> dict[str, str]:
    """Every catalogue theme and its label (a catalogue message), in the stories' order."""
    return {GEOGRAPHY_THEME: GEOGRAPHY_THEME_LABEL, **{s.theme: s.theme_label for s in STORIES}}


def eu_themes() -> dict[str, tuple[str, ...]]:
    return {GEOGRAPHY_THEME: GEOGRAPHY_EU_THEMES, **{s.theme: s.eu_themes for s in STORIES}}

"""A build group: the datasets whose files together make a story's curated tables, and how."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Table

from webapp.data.shipped import load_catalogue


@dataclass(frozen=True)
class Group:
    """Datasets whose files together make a story's curated tables."""

    name: str
    datasets: tuple[str, ...]
    tables: tuple[Table, ...]
    build: Callable[[Mapping[str, pd.DataFrame]], dict[str, pd.DataFrame]]

    def key(self, versions: Mapping[str, int]) -> str:
        return ",".join(f"{d}={versions[d]}" for d in sorted(self.datasets))


def catalogue_min_count(slug: str) -> int:
    """The minimum count the catalogue declares for `slug` (origins below it are never stored)."""
    entry = next((e for e in load_catalogue() if e["slug"] == slug), {})
    return int(entry.get("min_count") or 1)

"""The attribution of a chart: producer, licence and date of each dataset it names."""

from __future__ import annotations

from typing import Any

import pandas as pd

from webapp.charts import Chart
from webapp.data.store import datasets_meta
from webapp.formatting import fmt_date
from webapp.i18n import localized


def source_parts(chart: Chart, lang: str) -> list[dict[str, Any]]:
    """What the source line says, for the story page, the widget and the image alike."""
    meta = datasets_meta().set_index("slug")
    out = []
    for slug in chart.datasets:
        row = meta.loc[slug]
        out.append({
            "title": localized(row, "title", lang),
            "url": row["source_url"] or f"/donnees#jeu-{slug}",  # our own data: its catalogue entry
            "producer": row["producer"], "licence": row["licence"], "licence_url": row["licence_url"],
            "date": fmt_date(pd.Timestamp(row["last_update"]).date(), lang), "demo": bool(row["is_demo"]),
        })
    return out

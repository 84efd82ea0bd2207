"""The town's IRIS outlines as every story's map reads them: from the geography build, not a story's."""

from __future__ import annotations

from typing import Any

import pandas as pd

from webapp.data import geography
from webapp.data.store import build_id, frame_to_cache, get_db, get_settings, versioned


def geography_build() -> int:
    return build_id(geography.GROUP)


def town_iris() -> pd.DataFrame:
    """The configured commune's IRIS: code, name, GeoJSON geometry."""
    return geography.query_iris(get_db(), geography_build(), get_settings().city_insee)


@versioned("iris-contours")
def iris_choices() -> dict[str, Any]:
    """The commune's IRIS (code, name): the allowed values of `quartier`."""
    return frame_to_cache(town_iris()[["code", "name"]])

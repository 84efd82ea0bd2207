"""What the demo generators share: random points inside an outline."""

from __future__ import annotations

import random

from shapely.geometry import Point


def point_in(rng: random.Random, polygon) -> tuple[float, float]:
    """A random point inside `polygon`, at the 6 decimals the demo files write (checked as written)."""
    minx, miny, maxx, maxy = polygon.bounds
    for _ in range(1000):
        x, y = round(rng.uniform(minx, maxx), 6), round(rng.uniform(miny, maxy), 6)  # as written in the file
        if polygon.contains(Point(x, y)):
            return x, y
    centre = polygon.representative_point()
    return round(centre.x, 6), round(centre.y, 6)

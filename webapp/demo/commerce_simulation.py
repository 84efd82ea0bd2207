"""The simulation of the demo shop stock: units placed in their IRIS, the state at the 2016 survey, then
every opening, closure, takeover and conversion of 2016-2025; and the demo SIRENs and SIRETs."""

from __future__ import annotations

import json
import random
from datetime import date, timedelta
from pathlib import Path

from shapely.geometry import shape

from webapp.demo.commerce_units import (
    ACTIVITIES,
    COMMUNE,
    CONVERSION_YEARS,
    CRAFT_BAKERY,
    FLOWS,
    HYPERCENTRE_IRIS,
    HYPERCENTRE_SHARE,
    HYPERCENTRE_STREETS,
    INDEPENDENT,
    LISTED_SIRET,
    NAMES,
    OTHER_STREETS,
    SURVEY,
    TAKEOVER,
    UNITS,
    VACANT_AT_SURVEY,
    Business,
    Period,
    Unit,
)
from webapp.demo.geometry import point_in

# --- the simulation ------------------------------------------------------------------------------

class _Registry:
    """Demo SIRENs (failing the Luhn check) and the NICs of each chain's shops."""

    def __init__(self, rng: random.Random) -> None:
        self.rng, self.used, self.chains = rng, set(), {}

    def siren(self) -> str:
        while True:
            body = f"{self.rng.randrange(10_000_000, 100_000_000)}"
            digit = (_luhn_digit(body) + 1 + self.rng.randrange(9)) % 10  # any digit but the valid one
            if body + str(digit) not in self.used:
                self.used.add(body + str(digit))
                return body + str(digit)

    def siret(self, chain: str | None) -> str:
        if chain is None:
            return self.siren() + "00011"
        siren, count = self.chains.get(chain) or (self.siren(), 0)
        self.chains[chain] = (siren, count + 1)
        return f"{siren}{10 * (count + 1) + 3:05d}"


def _luhn_digit(body: str) -> int:
    total = 0
    for i, char in enumerate(reversed(body)):  # the check digit will sit right of `body`
        d = int(char) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return (10 - total % 10) % 10


def _simulate(iris_geojson: Path, seed: int) -> list[Unit]:
    rng = random.Random(seed)
    registry = _Registry(rng)
    units = _place_units(rng, iris_geojson)
    _survey(rng, registry, units)
    for day, kind, area in _events(rng):
        _apply(rng, registry, units, day, kind, area)
    return units


def _place_units(rng: random.Random, iris_geojson: Path) -> list[Unit]:
    features = sorted(json.loads(iris_geojson.read_text(encoding="utf-8"))["features"],
                      key=lambda f: f["properties"]["CODE_IRIS"])
    polygons = {f["properties"]["CODE_IRIS"]: shape(f["geometry"]) for f in features
                if f["properties"]["INSEE_COM"] == COMMUNE}
    others = [code for code in polygons if code != HYPERCENTRE_IRIS]
    weights = [rng.uniform(0.3, 1.5) for _ in others]  # each quartier's own density of shops
    numbers: dict[tuple[str, str], int] = {}
    units = []
    for area, count in UNITS.items():
        streets = HYPERCENTRE_STREETS if area == "hypercentre" else OTHER_STREETS
        for _ in range(count):
            code = HYPERCENTRE_IRIS if area == "hypercentre" else rng.choices(others, weights)[0]
            street = rng.choice(streets)
            numbers[street] = numbers.get(street, 0) + rng.randint(1, 3)
            lon, lat = point_in(rng, polygons[code])
            units.append(Unit(f"ARR-{len(units) + 1:04d}", area, code, lon, lat, street, numbers[street]))
    return units


def _deck(rng: random.Random, weights: dict[str, float], size: int) -> list[str]:
    """`size` items in the weights' exact proportions (largest remainders), shuffled."""
    total = sum(weights.values())
    exact = {k: size * w / total for k, w in weights.items()}
    counts = {k: int(v) for k, v in exact.items()}
    for k in sorted(exact, key=lambda k: counts[k] - exact[k])[:size - sum(counts.values())]:
        counts[k] += 1
    deck = [k for k, n in counts.items() for _ in range(n)]
    rng.shuffle(deck)
    return deck


def _mix(area: str) -> dict[str, float]:
    return {naf: (hyper if area == "hypercentre" else rest) for naf, _, _, hyper, rest in ACTIVITIES}


def _business(rng: random.Random, registry: _Registry, naf: str, independent: bool) -> Business:
    prefix, chain = next((a[1], a[2]) for a in ACTIVITIES if a[0] == naf)
    chain = None if independent else chain
    name = f"{prefix} {rng.choice(NAMES)}" if independent else chain
    if naf == "47.24Z" and rng.random() < CRAFT_BAKERY:
        naf = "10.71C"
    return Business(name, naf, independent, registry.siret(chain), rng.random() < LISTED_SIRET)


def _survey(rng: random.Random, registry: _Registry, units: list[Unit]) -> None:
    """The state at the survey: exact vacant counts, activity mixes and independent share."""
    occupied_units = []
    for area in UNITS:
        members = [u for u in units if u.area == area]
        vacant = set(rng.sample(range(len(members)), VACANT_AT_SURVEY[area]))
        for i, unit in enumerate(members):
            if i in vacant:
                unit.periods.append(Period(SURVEY - timedelta(days=rng.randint(30, 2000))))
            else:
                occupied_units.append(unit)
    independent = _deck(rng, {True: INDEPENDENT, False: 1 - INDEPENDENT}, len(occupied_units))
    decks = {area: _deck(rng, _mix(area), sum(u.area == area for u in occupied_units)) for area in UNITS}
    for unit, alone in zip(occupied_units, independent):
        age = min(40 * 365, int(rng.expovariate(1 / (7 * 365)))) + 1
        business = _business(rng, registry, decks[unit.area].pop(), alone)
        unit.periods.append(Period(SURVEY - timedelta(days=age), business=business))


def _events(rng: random.Random) -> list[tuple[date, str, str]]:
    """Every opening, closure, takeover and conversion of 2016-2025, in date order."""
    events = []
    for year, (openings, closures) in FLOWS.items():
        share_open, share_close = HYPERCENTRE_SHARE["until-2020" if year <= 2020 else "after"]
        hyper_open, hyper_close = round(openings * share_open), round(closures * share_close)
        for area, opened, closed in (("hypercentre", hyper_open, hyper_close),
                                     ("rest", openings - hyper_open, closures - hyper_close)):
            taken = round(TAKEOVER * closed)
            kinds = ["takeover"] * taken + ["close"] * (closed - taken) + ["open"] * (opened - taken)
            kinds += ["convert"] * (area == "rest" and year in CONVERSION_YEARS)
            days = (date(year, 12, 31) - date(year, 1, 1)).days + 1
            events += [(date(year, 1, 1) + timedelta(days=rng.randrange(days)), kind, area) for kind in kinds]
    return sorted(events)


def _apply(rng: random.Random, registry: _Registry, units: list[Unit], day: date, kind: str, area: str) -> None:
    want_vacant = kind in ("open", "convert")
    candidates = [u for u in units if u.area == area and u.current.end is None and u.current.start < day
                  and (u.current.business is None) == want_vacant]
    if not candidates:
        return
    unit = rng.choice(candidates)
    unit.current.end = day
    if kind == "convert":
        return  # the unit leaves the stock: no period follows
    if kind == "close":
        unit.periods.append(Period(day))
        return
    naf = rng.choices(*zip(*_mix(area).items()))[0]
    unit.periods.append(Period(day, business=_business(rng, registry, naf, rng.random() < INDEPENDENT)))

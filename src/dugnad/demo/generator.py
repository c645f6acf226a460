"""Deterministic generator of demo indicator values (demodata – ikke ekte tall).

Pure functions: given the demo indicator definitions and the municipalities (code, parent and real
population), they return structural attributes and tidy rows. The same inputs always give the same output.
"""

from __future__ import annotations

import hashlib
import math
import random
from dataclasses import dataclass
from pathlib import Path

import yaml

DEFINITIONS = Path(__file__).parent / "data" / "indicators.yaml"
YEARS = tuple(range(2015, 2026))
SEED = 2030
#: Version of the generator, recorded as the source of every demo value and specification.
GENERATOR_VERSION = "demo-generator-1"


@dataclass(frozen=True)
class DemoIndicator:
    """One demo indicator with its specification and generator parameters."""

    code: str
    goal: int
    target: str
    name_nb: str
    name_en: str
    unit: str
    direction: str
    lower: float
    upper: float
    green: float
    red: float
    mean: float
    spread: float
    drift: float
    size_effect: float

    @property
    def binary(self) -> bool:
        """Whether values are 0/100 (a yes/no fact such as having a plan)."""
        return "(0/100)" in self.unit


@dataclass(frozen=True)
class DemoMunicipality:
    """A municipality's structural attributes: its real population and a generated centrality class."""

    code: str
    county: str
    population: int
    centrality: int


def _definitions(path: Path = DEFINITIONS) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def load_definitions(path: Path = DEFINITIONS) -> tuple[dict, list[DemoIndicator]]:
    """The demo framework description and its indicators, from the YAML file."""
    data = _definitions(path)
    fields = DemoIndicator.__dataclass_fields__
    indicators = [DemoIndicator(**{k: v for k, v in row.items() if k in fields}) for row in data["indicators"]]
    return data["framework"], indicators


def _rng(*parts: object) -> random.Random:
    digest = hashlib.sha256("|".join(map(str, (SEED, *parts))).encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def municipality_profile(code: str, county: str, population: int) -> DemoMunicipality:
    """The municipality's real population and a generated centrality class (1 most central … 6, larger
    municipalities more central)."""
    rng = _rng("profile", code)
    z = (math.log(max(population, 1)) - math.log(5000)) / 1.15
    centrality = min(6, max(1, round(3.8 - 1.2 * z + rng.gauss(0, 0.7))))
    return DemoMunicipality(code=code, county=county, population=population, centrality=centrality)


def _clip(value: float, ind: DemoIndicator) -> float:
    if "prosent" in ind.unit:
        return min(100.0, max(0.0, value))
    return max(0.0, value)


def municipality_series(ind: DemoIndicator, muni: DemoMunicipality) -> list[tuple[int, float | None]]:
    """Values of one indicator for one municipality per demo year (None where the demo leaves a gap)."""
    rng = _rng("series", ind.code, muni.code)
    size_z = (math.log(max(muni.population, 1)) - math.log(5000)) / 1.15
    small = muni.population < 2000
    if rng.random() < (0.08 if small else 0.03):
        return [(year, None) for year in YEARS]
    if ind.binary:
        adopted = 2015 + int(rng.expovariate(1 / max(1.0, 100.0 / max(ind.drift, 0.5))))
        adopted -= round(2 * ind.size_effect * size_z)
        values = [(year, 100.0 if year >= adopted else 0.0) for year in YEARS]
    else:
        level = ind.mean * (1 + ind.size_effect * size_z * 0.5) * (1 + ind.spread * rng.gauss(0, 0.6))
        own_drift = ind.drift * (1 + rng.gauss(0, 0.8))
        values = [
            (year, round(_clip(level + own_drift * (year - 2015) + ind.mean * ind.spread * 0.08 * rng.gauss(0, 1), ind), 3))
            for year in YEARS
        ]
    gap_rate = 0.10 if small else 0.04
    return [(year, None if rng.random() < gap_rate else value) for year, value in values]


def weighted_mean(pairs: list[tuple[float, float]]) -> float | None:
    """Population-weighted mean of (value, weight) pairs, None when empty."""
    total = sum(w for _, w in pairs)
    return round(sum(v * w for v, w in pairs) / total, 3) if total else None


def generate_rows(
    indicators: list[DemoIndicator], municipalities: list[DemoMunicipality], country_code: str = "0"
) -> list[tuple[str, str, str, float | None]]:
    """Tidy rows (unit, indicator, year, value) for municipalities, their counties and the country.

    County and national values are population-weighted means of the municipalities with data.
    """
    rows: list[tuple[str, str, str, float | None]] = []
    for ind in indicators:
        by_parent: dict[tuple[str, int], list[tuple[float, float]]] = {}
        for muni in municipalities:
            for year, value in municipality_series(ind, muni):
                rows.append((muni.code, ind.code, str(year), value))
                if value is not None:
                    for parent in (muni.county, country_code):
                        by_parent.setdefault((parent, year), []).append((value, muni.population))
        for (parent, year), pairs in sorted(by_parent.items()):
            rows.append((parent, ind.code, str(year), weighted_mean(pairs)))
    return rows

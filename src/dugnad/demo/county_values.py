"""Demo values of the county-level indicators (demodata – ikke ekte tall) for the counties in force.

The county-level indicators (``catalogue/data/indicators_county.yaml``: upper secondary school, county roads, public
transport, dental care) are reported by the counties themselves, so the municipal generator (``generator.py``),
which derives county values from municipalities, does not make them. Here each county gets its own deterministic
series per indicator between the spec's red and green thresholds (some counties better, some worse), with a small
drift towards the better end. Real values win: where real county values of an indicator exist (the shipped snapshot
``data/county_observations.csv.gz``, e.g. completion of upper secondary school 2015–2019 under the counties of
that time), the demo only fills the years after the last real one, so a carried real value never meets a demo value
of the same year. The import is labelled demo.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from dataclasses import dataclass

import pyarrow as pa

from dugnad.catalogue.selectors import county_level_indicators, indicator_specs_in_force
from dugnad.common.labels import DEMO_LABEL_NB
from dugnad.demo.generator import GENERATOR_VERSION, SEED, YEARS
from dugnad.observations.selectors import stored_real_cells
from dugnad.observations.services import observations_import
from dugnad.units.selectors import units_on


def _rng(*parts: object) -> random.Random:
    digest = hashlib.sha256("|".join(map(str, (SEED, "county", *parts))).encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def county_series(code: str, indicator: str, *, red: float, green: float, percent: bool) -> list[tuple[int, float]]:
    """One county's demo values of one indicator per demo year: a level around the red–green band, a drift
    towards green of a few per cent of the band a year, and a little noise (pure, deterministic)."""
    rng = _rng(code, indicator)
    band = green - red  # negative when lower is better
    level = red + band * rng.uniform(-0.35, 1.25)
    drift = band * rng.uniform(0.0, 0.06)
    out = []
    for year in YEARS:
        value = level + drift * (year - YEARS[0]) + abs(band) * 0.04 * rng.gauss(0, 1)
        value = max(0.0, min(100.0, value)) if percent else max(0.0, value)
        out.append((year, round(value, 1)))
    return out


@dataclass
class CountyValuesResult:
    """What ``county_demo_values_ensure`` did: demo rows made, rows newly stored, and its line for the CLI."""

    rows: int = 0
    inserted: int = 0
    line: str = ""

    def summary(self) -> str:
        return self.line


def county_demo_rows(*, on: dt.date | None = None) -> tuple[list[tuple[str, str, str, float]], str]:
    """The demo rows ``(unit, framework:code, period, value)`` of every county-level indicator for the counties in
    force on ``on``, leaving out every year up to the last real value of the indicator, and a description."""
    day = on or dt.date.today()
    indicators = county_level_indicators(on=day)
    counties = list(units_on(level="county", date=day))
    if not indicators or not counties:
        return [], "ingen fylkesindikatorer eller fylker"
    specs = indicator_specs_in_force(indicators, on=day)
    real = stored_real_cells(indicators)
    last_real: dict[int, int] = {}
    for _unit, indicator_id, period in real:
        if period[:4].isdigit():
            last_real[indicator_id] = max(last_real.get(indicator_id, 0), int(period[:4]))
    rows = []
    for indicator in indicators:
        spec = specs[indicator.pk]
        if spec.red is None or spec.green is None:
            continue  # no band to draw demo values in
        label = f"{indicator.framework.code}:{indicator.code}"
        percent = "prosent" in (spec.unit_of_measure or "").lower()
        for county in counties:
            for year, value in county_series(county.code, label, red=spec.red, green=spec.green, percent=percent):
                if year > last_real.get(indicator.pk, 0) and (county.code, indicator.pk, str(year)) not in real:
                    rows.append((county.code, label, str(year), value))
    return rows, f"{len(indicators)} indikatorer × {len(counties)} fylker"


def county_demo_values_ensure(*, on: dt.date | None = None) -> CountyValuesResult:
    """Import the demo values of every county-level indicator for the counties in force (idempotent). ``dugnad
    demo`` adds ``county_demo_rows`` to its one demo import instead; this imports them on their own."""
    rows, what = county_demo_rows(on=on)
    if not rows:
        return CountyValuesResult(line=f"Fylkesindikatorer ({DEMO_LABEL_NB}): {what}, ingen nye verdier å lage.")
    table = pa.table({"unit": [r[0] for r in rows], "indicator": [r[1] for r in rows], "period": [r[2] for r in rows],
                      "value": pa.array([r[3] for r in rows], pa.float64()), "status": ["ok"] * len(rows)})
    result = observations_import(
        table=table, source=f"Dugnad {GENERATOR_VERSION} (fylkesindikatorer)", kind="demo", is_demo=True,
        harmonised=True, provenance={"generator": GENERATOR_VERSION, "label": DEMO_LABEL_NB},
    )
    return CountyValuesResult(rows=len(rows), inserted=result.rows_inserted, line=(
        f"Fylkesindikatorer ({DEMO_LABEL_NB}): {what}, "
        f"{result.rows_inserted} nye verdier."))

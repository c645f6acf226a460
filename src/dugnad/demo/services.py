"""Loading the demo: demo indicator set with specs, generated values, users with one role each, then every provider."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pyarrow as pa

from dugnad.catalogue.services import catalogue_load_county_indicators
from dugnad.common.labels import DEMO_LABEL_NB
from dugnad.demo.accounts import DemoLogin, demo_users_ensure
from dugnad.demo.catalogue import demo_catalogue_ensure
from dugnad.demo.county_values import county_demo_rows
from dugnad.demo.generator import GENERATOR_VERSION, generate_rows, load_definitions
from dugnad.demo.registry import PROVIDERS
from dugnad.demo.telemark import COUNTY_SNAPSHOT_FILE, telemark_snapshot_load
from dugnad.demo.units import demo_units_profile
from dugnad.observations.models import Observation
from dugnad.observations.services import observations_import


@dataclass
class DemoResult:
    """What ``demo_load`` did."""

    indicators: int = 0
    rows: int = 0
    inserted: int = 0
    logins: list[DemoLogin] = field(default_factory=list)
    extras: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One line for the CLI."""
        return (
            f"{DEMO_LABEL_NB}: {self.indicators} indikatorer, {self.rows} verdier generert, "
            f"{self.inserted} nye lagret, {len(self.logins)} demobrukere."
        ) + "".join(f"\n{line}" for line in self.extras)


def _without_real_values(rows: list[tuple], framework: str) -> list[tuple]:
    """The generated rows minus those whose unit, indicator and period already hold a real (non-demo) value:
    demo data never overwrites real figures."""
    real = set(
        Observation.objects.filter(is_current=True, indicator__framework__code=framework, import_run__is_demo=False)
        .values_list("unit__code", "indicator__code", "period")
    )
    return [r for r in rows if (r[0], r[1], r[2]) not in real] if real else rows


def demo_load(*, on: dt.date | None = None) -> DemoResult:
    """Load the whole demo: catalogue entries, unit profiles, generated observations and users (idempotent)."""
    framework_data, indicators = load_definitions()
    demo_catalogue_ensure(indicators, framework_data)
    real = telemark_snapshot_load()
    profiles = demo_units_profile(on=on or dt.date.today())
    rows = _without_real_values(generate_rows(indicators, profiles), framework_data["code"])
    # the counties' own indicators: real county values first, then demo rows for what they leave, in the same run
    catalogue_load_county_indicators()
    county_real = telemark_snapshot_load(COUNTY_SNAPSHOT_FILE, label="Fylker")
    county_rows, county_what = county_demo_rows(on=on)
    table = pa.table(
        {
            "unit": [r[0] for r in rows] + [r[0] for r in county_rows],
            "indicator": [f"{framework_data['code']}:{r[1]}" for r in rows] + [r[1] for r in county_rows],
            "period": [r[2] for r in rows] + [r[2] for r in county_rows],
            "value": pa.array([r[3] for r in rows] + [r[3] for r in county_rows], type=pa.float64()),
            "status": ["ok" if r[3] is not None else "missing" for r in rows] + ["ok"] * len(county_rows),
        }
    )
    result = observations_import(
        table=table, source=f"Dugnad {GENERATOR_VERSION}", kind="demo", is_demo=True, harmonised=True,
        provenance={"generator": GENERATOR_VERSION, "label": DEMO_LABEL_NB},
    )
    logins = demo_users_ensure()
    extras = [real.summary(), county_real.summary(),
              f"Fylkesindikatorer ({DEMO_LABEL_NB}): {county_what}, {len(county_rows)} verdier.",
              *(f"{provider.label}: {provider.ensure()}" for provider in PROVIDERS)]  # the round wants the values
    return DemoResult(  # the counties' own demo values count with the generated ones
        indicators=len(indicators), rows=len(rows) + len(county_rows), inserted=result.rows_inserted, logins=logins,
        extras=extras,
    )

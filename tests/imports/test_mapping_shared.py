"""The mapping import on a real Telemark file (../shared) with the real unit registry: names across the reforms."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from tests.factories import FrameworkFactory, IndicatorFactory

from dugnad.imports.mapped import mapping_import
from dugnad.observations.models import Observation

pytestmark = pytest.mark.django_db
SHARED = Path(__file__).resolve().parents[3] / "shared" / "data" / "no" / "telemark-fylke"

MAPPING = b"""
version: 1
source: {name: "SSB Statistikkbanken", licence: "CC BY 4.0", attribution: "Statistisk sentralbyraa"}
unit: {column: Kommune, by: name, scope: "40", aliases: {"Landet": "0"}}
indicator: {code: "telemark:barnehage"}
period: {column: "\xc3\x85r", rule: year, from: 2020}
value: {column: Andel, scale: 100}
filter: {Kommune: [Skien, Porsgrunn, Midt-Telemark, Vinje, Landet]}
missing: {"": missing, "..": missing}
"""


def _shared(name: str) -> Path:
    path = SHARED / name
    if not path.exists():
        if os.environ.get("DUGNAD_REQUIRE_SHARED") == "1":
            pytest.fail(f"{path} is missing")
        pytest.skip("shared data not available")
    return path


def test_kindergarten_coverage_by_name_lands_on_the_unit_valid_in_each_year():
    from dugnad.units.services import registry_load_snapshot

    path = _shared("dekningsgrad_barnehage.csv")
    registry_load_snapshot()
    IndicatorFactory(framework=FrameworkFactory(code="telemark"), code="barnehage", unit_of_measure="prosent")
    result = mapping_import(data=path.read_bytes(), name=path.name, mapping=MAPPING)
    assert result.ok, result.report.as_text()
    stored = {(o.unit.code, o.period): o.value for o in Observation.objects.select_related("unit")}
    skien = {period: code for code, period in stored if code in ("0806", "3807", "4003")}
    assert skien["2021"] == "3807" and skien["2024"] == "4003"
    assert ("3817", "2020") in stored and ("4020", "2024") in stored  # Midt-Telemark: 38xx until 2023
    assert all(0 <= v <= 100 for v in stored.values() if v is not None)
    assert round(stored[("0", "2021")], 6) == 93.4

"""SDMX observations (component id → text) in both directions: tidy rows → sdmx1 objects, records → tidy table."""

from __future__ import annotations

import math
import re

import pyarrow as pa

from dugnad.analytics.formats.deferred import DeferredModule
from dugnad.analytics.formats.normalise import NUMBER_PATTERN
from dugnad.analytics.formats.problems import ProblemLog
from dugnad.analytics.formats.sdmx_dsd import (
    KEY_COMPONENTS,
    NOT_APPLICABLE,
    SERIES_SYNONYMS,
    TOTAL,
    TOTAL_DIMENSIONS,
    build_structure,
    layout_for,
    tidy_column,
)
from dugnad.analytics.formats.status import SDMX_OBS_STATUS
from dugnad.analytics.formats.table import RESERVED_COLUMNS, dimension_columns, format_values, tidy_table
from dugnad.analytics.report import InputError, ValidationReport
from dugnad.analytics.types import ObservationStatus

common = DeferredModule("sdmx.model.common")
m = DeferredModule("sdmx.model.v21")

_NUMBER = re.compile(NUMBER_PATTERN)
_MISSING_VALUES = frozenset({"", "NaN", "nan", "NA"})
#: Components that never become tidy dimension columns.
_NOT_DIMENSIONS = frozenset({"REF_AREA", "TIME_PERIOD", "OBS_VALUE", "OBS_STATUS", "CONF_STATUS", *SERIES_SYNONYMS})


def table_to_dataset(table: pa.Table, dataset_class: type, *, target: str = "") -> tuple[object, m.DataflowDefinition]:
    """An sdmx1 data set (of ``dataset_class``) holding one observation per tidy row, and its dataflow."""
    dims = dimension_columns(table)
    try:
        layout = layout_for(dims)
    except ValueError as exc:
        report = ValidationReport(source=target)
        report.add(str(exc))
        raise InputError(report) from exc
    dsd, flow, _, _ = build_structure(layout)
    measure = dsd.measures[0]
    attributes = {a.id: a for a in dsd.attributes}
    columns = {c: table.column(c).to_pylist() for c in ("unit", "indicator", "period", "status", *dims)}
    values = format_values(table.column("value"))
    observations = []
    for i in range(table.num_rows):
        key = dict.fromkeys(layout.dimensions, TOTAL)
        key.update(REF_AREA=columns["unit"][i], SERIES=columns["indicator"][i], TIME_PERIOD=columns["period"][i])
        attached = {}
        for column in dims:
            ident = layout.columns[column]
            text = columns[column][i]
            if ident in attributes:
                if text is not None:
                    attached[ident] = common.AttributeValue(value=text, value_for=attributes[ident])
            else:
                key[ident] = NOT_APPLICABLE if text is None else text
        status = ObservationStatus(columns["status"][i])
        has_value = values[i] != ""
        obs_status = "A" if status is ObservationStatus.CONFIDENTIAL and has_value else SDMX_OBS_STATUS.write(status)
        attached["OBS_STATUS"] = common.AttributeValue(value=obs_status, value_for=attributes["OBS_STATUS"])
        if status is ObservationStatus.CONFIDENTIAL:
            attached["CONF_STATUS"] = common.AttributeValue(value="C", value_for=attributes["CONF_STATUS"])
        observations.append(m.Observation(dimension=dsd.make_key(m.Key, key), value=values[i] or "NaN",
                                          value_for=measure, attached_attribute=attached))
    dataset = dataset_class(structured_by=dsd, described_by=flow)
    dataset.add_obs(observations)
    return dataset, flow


class SdmxRecords:
    """Collects SDMX observations (component id → text, with a line/row) into a tidy table."""

    def __init__(self, log: ProblemLog, *, location: str = "row"):
        self.log = log
        self.location = location
        self.rows: list[dict[str, str | None]] = []
        self.dimension_order: dict[str, None] = {}
        self.first: dict[tuple, int] = {}
        self.unknown_status: dict[str, int] = {}

    def add(self, components: dict[str, str], where: int | None) -> None:
        """Check one observation and keep it when valid; ``where`` is its line or row number."""
        at = {self.location: where} if where is not None else {}
        row: dict[str, str | None] = {}
        good = True
        series = next((components[s] for s in SERIES_SYNONYMS if components.get(s)), None)
        for column, ident in KEY_COMPONENTS.items():
            text = series if column == "indicator" else components.get(ident)
            if not text:
                self.log.error(f"observation has no {ident if column != 'indicator' else 'SERIES or INDICATOR'}",
                               column=ident, **at)
                good = False
            row[column] = text
        for ident, text in components.items():
            if ident not in _NOT_DIMENSIONS:
                name = tidy_column(ident)
                if name in RESERVED_COLUMNS:
                    name = ident  # e.g. an SDMX dimension UNIT stays "UNIT" so it cannot clash with "unit"
                self.dimension_order.setdefault(name)
                row[name] = None if text in ("", NOT_APPLICABLE) else text
        value = self._value(components.get("OBS_VALUE", ""), at)
        status = self._status(components, value, at)
        if not good or value is False:
            return
        row["value"] = value
        row["status"] = status.value
        key = tuple(sorted((k, v or "") for k, v in row.items() if k not in ("value", "status")))
        if key in self.first:
            self.log.error(f"duplicate observation: same key as {self.location} {self.first[key]}", **at)
            return
        self.first[key] = where if where is not None else len(self.rows) + 1
        self.rows.append(row)

    def _value(self, text: str, at: dict) -> float | bool | None:
        """The number, None for a missing value, False after recording an error."""
        text = text.strip()
        if text in _MISSING_VALUES:
            return None
        if not _NUMBER.fullmatch(text) or not math.isfinite(float(text)):
            self.log.error("OBS_VALUE is not a number", column="OBS_VALUE", value=text, **at)
            return False
        return float(text)

    def _status(self, components: dict[str, str], value: float | bool | None, at: dict) -> ObservationStatus:
        """Tidy status from OBS_STATUS and CONF_STATUS (unknown codes warned once each)."""
        if components.get("CONF_STATUS", "").strip() == "C":
            return ObservationStatus.CONFIDENTIAL
        code = components.get("OBS_STATUS", "").strip()
        status = SDMX_OBS_STATUS.read(code) if code else None
        if code and status is None and code not in self.unknown_status:
            self.unknown_status[code] = 1
            self.log.warning("unknown OBS_STATUS code; status taken from the value", column="OBS_STATUS",
                             value=code, **at)
        if status is None or (status.has_value and value is None):
            return ObservationStatus.MISSING if value is None else ObservationStatus.OK
        return status

    def _droppable(self, column: str) -> bool:
        """Whether a column carries nothing: empty everywhere, or SEX/AGE at ``_T`` everywhere."""
        values = {r.get(column) for r in self.rows}
        return values <= {None} or (column.upper() in TOTAL_DIMENSIONS and values == {TOTAL})

    def table(self) -> pa.Table:
        """The kept observations as a tidy table (columns that carry nothing are dropped)."""
        dims = [d for d in self.dimension_order if not self._droppable(d)]
        columns = {name: [r.get(name) for r in self.rows] for name in ("unit", "indicator", "period", *dims)}
        columns["value"] = [r["value"] for r in self.rows]
        columns["status"] = [r["status"] for r in self.rows]
        return tidy_table(columns, dims)

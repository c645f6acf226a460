"""Population inputs: SSB StatBank downloads of table 07459, and municipality lists (JSON) that carry a year's figures."""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from dugnad.analytics.formats import dimension_columns, read_table
from dugnad.analytics.formats.statbank_csv import statbank_title
from dugnad.analytics.report import InputError, ValidationReport
from dugnad.analytics.types import ObservationStatus
from dugnad.units.population.snapshot import SourceRecord
from dugnad.units.registry.snapshot import json_load

#: The StatBank table of the population on 1 January, and the label of its contents in bokmål and English.
POPULATION_TABLE = "07459"
POPULATION_CONTENTS = frozenset({"Personer", "Persons"})
#: Category labels of a total row, which must not be summed with the categories it totals.
TOTAL_LABEL = re.compile(r"^(i alt|total|alle aldre|all ages|begge kjønn|both sexes|kjønn samlet)$", re.IGNORECASE)
MUNICIPALITY_CODE = re.compile(r"^\d{4}$")


@dataclass
class PopulationInput:
    """Residents by municipality code for one year, read from one file; other regions (e.g. StatBank's
    ``K-Rest``) with their totals; and where each code was read, for problems."""

    year: int
    source: SourceRecord
    values: dict[str, int] = field(default_factory=dict)
    others: dict[str, int] = field(default_factory=dict)
    where: dict[str, dict] = field(default_factory=dict)


def _record(path: Path, data: bytes, year: int, fmt: str, table: str = "") -> SourceRecord:
    return SourceRecord(year=year, file=path.name, sha256=hashlib.sha256(data).hexdigest(), format=fmt, table=table)


def statbank_population(path: Path) -> list[PopulationInput]:
    """One input per year of a StatBank download of table 07459: each region's residents summed over the
    other dimensions (age, sex …). Raises InputError (file, column, value) for anything that is not that."""
    data = path.read_bytes()
    table = read_table(path, format="statbank-csv").table
    report = ValidationReport(source=str(path))
    title = statbank_title(data)
    contents = set(table["indicator"].to_pylist())
    if title is not None and title.table != POPULATION_TABLE:
        report.add(f"table {title.table} is not SSB's population table {POPULATION_TABLE}", file=str(path), row=1)
    if not contents <= POPULATION_CONTENTS:
        report.add(f"contents {sorted(contents)} are not the number of persons (Personer/Persons)", file=str(path))
    for column in dimension_columns(table):
        totals = sorted({str(v) for v in table[column].to_pylist() if v and TOTAL_LABEL.match(str(v))})
        if totals:
            report.add("a total category would be counted twice; download the categories only", file=str(path),
                       column=column, value=totals[0])
    inputs: dict[str, PopulationInput] = {}
    sums: dict[tuple[str, str], float] = defaultdict(float)
    for row in table.select(["unit", "period", "value", "status"]).to_pylist():
        period, code = row["period"], row["unit"]
        if not re.fullmatch(r"\d{4}", period):
            report.add("the period must be a year", file=str(path), value=period)
            break
        if row["status"] != ObservationStatus.OK or row["value"] is None or not float(row["value"]).is_integer():
            report.add(f"the population of {code} in {period} must be a whole number", file=str(path),
                       column="region", value=code)
            continue
        sums[(period, code)] += row["value"]
    if not report.ok:
        raise InputError(report)
    for period in sorted({period for period, _ in sums}):
        record = _record(path, data, int(period), "statbank-csv", title.table if title else "")
        inputs[period] = PopulationInput(int(period), record)
    for (period, code), total in sums.items():
        target = inputs[period].values if MUNICIPALITY_CODE.match(code) else inputs[period].others
        target[code] = int(total)
        inputs[period].where[code] = {"file": str(path), "column": "region", "value": code}
    return [inputs[p] for p in sorted(inputs)]


def municipality_list_population(path: Path, *, year: int) -> PopulationInput:
    """The input of a JSON list of municipalities with their residents on 1 January of ``year``
    (``[{"id": "0301", "population": 717710, …}, …]``, as in norway-geodata's municipality lists)."""
    data = path.read_bytes()
    items = json_load(path)
    report = ValidationReport(source=str(path))
    result = PopulationInput(year, _record(path, data, year, "municipality-list"))
    if not isinstance(items, list):
        report.add("expected a list of municipalities", file=str(path), path="$")
        raise InputError(report)
    for i, item in enumerate(items):
        code = item.get("id") if isinstance(item, dict) else None
        people = item.get("population") if isinstance(item, dict) else None
        if not isinstance(code, str) or not MUNICIPALITY_CODE.match(code):
            report.add("a municipality needs a 4-digit code in 'id'", file=str(path), path=f"$[{i}].id", value=str(code))
        elif type(people) is not int or people < 0:
            report.add("'population' must be a whole number ≥ 0", file=str(path), path=f"$[{i}].population",
                       value=str(people))
        elif code in result.values:
            report.add(f"{code} is listed twice", file=str(path), path=f"$[{i}].id", value=code)
        else:
            result.values[code] = people
            result.where[code] = {"file": str(path), "path": f"$[{i}]", "value": code}
    if not report.ok:
        raise InputError(report)
    return result


def population_inputs(paths: list[Path], *, list_year: int | None = None) -> list[PopulationInput]:
    """The inputs of several files: StatBank downloads by content, JSON lists (``.json``) for ``list_year``."""
    inputs: list[PopulationInput] = []
    for path in paths:
        if path.suffix.lower() == ".json" or path.name.endswith(".json.gz"):
            if list_year is None:
                report = ValidationReport(source=str(path))
                report.add("a municipality list carries no year: give it (--list-year)", file=str(path))
                raise InputError(report)
            inputs.append(municipality_list_population(path, year=list_year))
        else:
            inputs.extend(statbank_population(path))
    return inputs


"""JSON-stat 2.0 reader (SSB/SCB PxWebApi v0 and v2 responses) into the tidy table."""

from __future__ import annotations

import math
from collections import Counter

import pyarrow as pa
import pyarrow.compute as pc

from dugnad.analytics.formats.jsonstat_structure import Dataset, Dimension, parse_dataset, parse_document
from dugnad.analytics.formats.problems import ProblemLog
from dugnad.analytics.formats.regions import is_region_dimension, unit_code
from dugnad.analytics.formats.registry import TableReader, register_format, register_reader
from dugnad.analytics.formats.source import InputSource
from dugnad.analytics.formats.status import JSONSTAT_STATUS
from dugnad.analytics.formats.table import RESERVED_COLUMNS, tidy_table
from dugnad.analytics.types import ObservationStatus


def _sniff(head: bytes) -> bool:
    """Whether the first bytes look like a JSON-stat document."""
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    return text.startswith(b"{") and (b'"dimension"' in head or b'"version"' in head or b'"class"' in head)


register_format("jsonstat", label="JSON-stat 2.0", extensions=("json", "jsonstat"), sniff=_sniff)


@register_reader
class JsonStatReader(TableReader):
    """Reads a JSON-stat 2.0 dataset: region dimension → ``unit``, metric → ``indicator``, time → ``period``.

    Options: ``unit`` / ``indicator`` / ``period`` (constant when the dataset lacks that dimension),
    ``skip_absent`` (drop cells with no value and no status; default False keeps every cell).
    """

    format_name = "jsonstat"

    def read(self, source: InputSource, log: ProblemLog, **options: object) -> pa.Table:
        """The tidy table of the dataset, one row per cell (row count = product of sizes)."""
        dataset = parse_dataset(parse_document(source.read_bytes(), log), log)
        roles = _assign_roles(dataset, log, options)
        values = _values(dataset, log)
        statuses = _statuses(dataset, values, log)
        columns: dict[str, pa.Array] = {}
        strides = _strides(dataset)
        for dimension, stride in zip(dataset.dimensions, strides, strict=True):
            column = roles.get(dimension.id, dimension.id)
            codes = _region_codes(dimension, log) if column == "unit" else [c or None for c in dimension.codes]
            columns[column] = _expand(codes, stride, dataset.size)
        for key in ("unit", "indicator", "period"):
            if key not in columns:
                columns[key] = pa.array([str(options[key])] * dataset.size, pa.string())
        columns["value"] = pa.array(values, pa.float64())
        columns["status"] = pa.array(statuses, pa.string())
        dims = [roles.get(d.id, d.id) for d in dataset.dimensions if d.id not in roles]
        table = tidy_table(columns, dims)
        positions = pa.array(range(dataset.size), pa.int64()).cast(pa.string())
        table = table.append_column("_path", pc.binary_join_element_wise("$.value[", positions, "]", ""))
        if options.get("skip_absent"):
            absent = set(_absent_cells(dataset, values))
            if absent:
                keep = pa.array([i not in absent for i in range(dataset.size)])
                table = table.filter(keep)
        return table


def _assign_roles(dataset: Dataset, log: ProblemLog, options: dict) -> dict[str, str]:
    """Dimension id → tidy column (``unit``/``indicator``/``period``) for the dimensions that carry them."""
    chosen: dict[str, str] = {}
    # For each tidy column: a dimension with the JSON-stat role first, then one recognised by its id.
    rules = (
        ("unit", "geo", lambda d: is_region_dimension(d.id, frozenset())),
        ("indicator", "metric", lambda d: d.id == "ContentsCode"),
        ("period", "time", lambda d: d.id == "Tid"),
    )
    for column, role, by_id in rules:
        free = [d for d in dataset.dimensions if d.id not in chosen]
        match = next((d for d in free if d.role == role), None) or next((d for d in free if by_id(d)), None)
        if match is not None:
            chosen[match.id] = column
        elif options.get(column) is None:
            hint = {"unit": "region (role geo)", "indicator": "metric (ContentsCode)", "period": "time (Tid)"}[column]
            log.error(f"the dataset has no {hint} dimension; pass the option {column}=… to set it", path="$.id")
    for dimension in dataset.dimensions:
        if dimension.id in chosen and "" in dimension.codes:
            log.error(f"empty category code in the {chosen[dimension.id]} dimension",
                      path=f"$.dimension.{dimension.id}.category.index")
        if dimension.id not in chosen and dimension.id.lower() in RESERVED_COLUMNS:
            log.error(f"dimension id {dimension.id!r} clashes with a tidy column name",
                      path=f"$.dimension.{dimension.id}")
    if log.has_errors:
        raise log.finish_error()
    return chosen


def _values(dataset: Dataset, log: ProblemLog) -> list[float | None]:
    """Cell values in cube order from the dense array or the sparse object form."""
    raw, n = dataset.value, dataset.size
    if isinstance(raw, list):
        if len(raw) != n:
            raise log.fail(f"'value' has {len(raw)} cells but the sizes multiply to {n}", path="$.value")
        values = raw
        for i, v in enumerate(values):
            if v is not None and not _is_number(v):
                log.error("value must be a finite number or null", path=f"$.value[{i}]", value=repr(v))
    elif isinstance(raw, dict):
        values = [None] * n
        for key, v in raw.items():
            position = _position(key, n)
            if position is None:
                log.error(f"sparse value key must be a cell position 0…{n - 1}", path=f"$.value.{key}")
            elif v is not None and not _is_number(v):
                log.error("value must be a finite number or null", path=f"$.value.{key}", value=repr(v))
            else:
                values[position] = v
    else:
        raise log.fail("'value' must be an array or an object", path="$.value")
    if log.has_errors:
        raise log.finish_error()
    return values


def _statuses(dataset: Dataset, values: list, log: ProblemLog) -> list[str]:
    """Tidy status per cell: JSON-stat symbols mapped, unknown codes kept as a warning, else ok/missing."""
    raw, n = dataset.status, dataset.size
    ok, missing = ObservationStatus.OK.value, ObservationStatus.MISSING.value
    statuses = [missing if v is None else ok for v in values]
    codes: dict[int, object] = {}
    if raw is None:
        return statuses
    if isinstance(raw, str):
        codes = dict.fromkeys(range(n), raw)
    elif isinstance(raw, list):
        if len(raw) == 1:
            codes = dict.fromkeys(range(n), raw[0])
        elif len(raw) == n:
            codes = {i: c for i, c in enumerate(raw) if c is not None}
        else:
            raise log.fail(f"'status' has {len(raw)} entries; expected 1 or {n}", path="$.status")
    elif isinstance(raw, dict):
        for key, code in raw.items():
            position = _position(key, n)
            if position is None:
                log.error(f"sparse status key must be a cell position 0…{n - 1}", path=f"$.status.{key}")
            else:
                codes[position] = code
    else:
        raise log.fail("'status' must be a string, an array or an object", path="$.status")
    unknown: Counter[str] = Counter()
    first_unknown: dict[str, int] = {}
    for position, code in codes.items():
        if not isinstance(code, str):
            log.error("status must be a string", path=f"$.status[{position}]", value=repr(code))
            continue
        status = JSONSTAT_STATUS.read(code.strip())
        if status is not None:
            statuses[position] = status.value
        elif code.strip():
            unknown[code] += 1
            first_unknown.setdefault(code, position)
    for code, count in unknown.items():
        log.warning(f"unknown status code in {count} cell(s); kept the value and status ok/missing",
                    path=f"$.status[{first_unknown[code]}]", value=code)
    if log.has_errors:
        raise log.finish_error()
    return statuses


def _region_codes(dimension: Dimension, log: ProblemLog) -> list[str | None]:
    """Unit codes for the region categories (one warning per kind of kept code, errors for collisions)."""
    result: list[str | None] = []
    seen: dict[str, str] = {}
    kept: dict[str, list[str]] = {}
    path = f"$.dimension.{dimension.id}.category.index"
    for code in dimension.codes:
        mapped = unit_code(code, dimension.labels.get(code))
        if mapped.note:
            kept.setdefault(mapped.note, []).append(code)
        if mapped.unit in seen:
            log.error(f"region codes {seen[mapped.unit]!r} and {code!r} both mean unit {mapped.unit!r}", path=path)
        seen[mapped.unit] = code
        result.append(mapped.unit or None)
    for note, codes in kept.items():
        log.warning(f"{note}: {', '.join(codes)}", path=path)
    if log.has_errors:
        raise log.finish_error()
    return result


def _strides(dataset: Dataset) -> list[int]:
    """Row-major strides of the dimensions (the last dimension varies fastest)."""
    strides, step = [], 1
    for dimension in reversed(dataset.dimensions):
        strides.append(step)
        step *= len(dimension.codes)
    return strides[::-1]


def _expand(codes: list[str | None], stride: int, size: int) -> pa.Array:
    """The column of a dimension over all cells: each code repeated ``stride`` times, the block tiled."""
    if size == 0:
        return pa.array([], pa.string())
    block = [i for i in range(len(codes)) for _ in range(stride)]
    indices = pa.array(block * (size // len(block)), pa.int32())
    return pc.take(pa.array(codes, pa.string()), indices)


def _absent_cells(dataset: Dataset, values: list) -> list[int]:
    """Positions with no value and no status entry (absent from a sparse cube)."""
    raw = dataset.status
    has_status = set()
    if isinstance(raw, dict):
        has_status = {_position(k, dataset.size) for k in raw}
    elif isinstance(raw, list | str):
        return [] if raw else [i for i, v in enumerate(values) if v is None]
    return [i for i, v in enumerate(values) if v is None and i not in has_status]


def _is_number(value: object) -> bool:
    """Whether a JSON value is a finite number that fits a float64 (booleans are not numbers)."""
    if type(value) is float:
        return math.isfinite(value)
    return type(value) is int and abs(value) < 2**1023


def _position(key: object, n: int) -> int | None:
    """A sparse key (``"12"``) as a cell position, or None when it is not one."""
    if not isinstance(key, str) or not key.isdigit() or not key.isascii():
        return None
    position = int(key)
    return position if position < n else None

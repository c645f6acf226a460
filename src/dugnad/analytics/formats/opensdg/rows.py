"""The rows of one Open SDG indicator file, mapped to tidy columns and checked by the one normalisation."""

from __future__ import annotations

import csv
from dataclasses import replace
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from dugnad.analytics.formats.normalise import BAD_COLUMN, ROW_COLUMN, blank_dimensions_to_null, normalise_table
from dugnad.analytics.formats.opensdg.columns import MEASURE_DIMENSION, SERIES_COLUMNS, SPECIAL, STATUS_COLUMNS, UNITS_COLUMNS
from dugnad.analytics.formats.problems import ProblemLog
from dugnad.analytics.formats.status import SDMX_OBS_STATUS
from dugnad.analytics.formats.table import RESERVED_COLUMNS
from dugnad.analytics.formats.tidy_csv import decode_text, detect_delimiter, flag_duplicates
from dugnad.analytics.types import ObservationStatus


def read_indicator_csv(data: bytes, path: Path | None, indicator: str, log: ProblemLog, national: str,
                        region: str) -> pa.Table | None:
    """One indicator file through the tidy row checks (Year → period, GeoCode → unit, Value → value).

    ``Units`` becomes the ``unit_measure`` column, a non-empty ``Series`` the indicator code, a status column the
    status; the ``region`` column is the name of GeoCode's unit (not a dimension) when the file has a GeoCode.
    """
    where = {"file": str(path)} if path is not None else {}
    text = decode_text(data, log) if path is None else decode_file(data, path, log)
    if text is None:
        return None
    rows_in = list(csv.reader(text.splitlines(), delimiter=detect_delimiter(text)))
    if not rows_in or not any(c.strip() for c in rows_in[0]):
        log.error("the file is empty (expected a header with Year and Value)", **where)
        return None
    raw_names = [n.lstrip("\ufeff") for n in rows_in[0]]
    for index, name in enumerate(raw_names):
        if name != name.strip():
            log.warning("column name has leading or trailing whitespace; read without it",
                        value=repr(name), row=1, column=name.strip() or f"#{index + 1}", **where)
    names = [n.strip() for n in raw_names]
    missing = [n for n in ("Year", "Value") if n not in names]
    if missing:
        log.error(f"missing Open SDG column(s): {', '.join(missing)} (found: {', '.join(names)})", row=1, **where)
        return None
    position: dict[str, int] = {}
    for index, name in enumerate(names):
        position.setdefault(name, index)
    units = next((n for n in UNITS_COLUMNS if n in position), None)
    if units and MEASURE_DIMENSION in position:
        log.error(f"column {MEASURE_DIMENSION!r} clashes with the unit of measure read from {units}", row=1,
                  column=MEASURE_DIMENSION, **where)
        return None
    series = next((n for n in SERIES_COLUMNS if n in position), None)
    status = next((n for n in STATUS_COLUMNS if n in position), None)
    ignored = [n for n in names if n in SPECIAL and n not in ("Year", "Value", "GeoCode", "CONF_STATUS", units, series, status)]
    region_label = region if region and region in position and "GeoCode" in position else None
    dims = [n for n in names if n not in SPECIAL and n != region_label]
    header_dims = [MEASURE_DIMENSION] if units else []
    header_dims += dims
    # Every tidy column with the file's column it comes from (for locating problems).
    original = ["(file name)" if series is None else series, "GeoCode", "Year", *([units] if units else []), *dims,
                "Value", status or "Observation status"]
    header_names = ["indicator", "unit", "period", *header_dims, "value", "status"]
    records: list[tuple[int, list[str]]] = []
    dropped: dict[str, int] = {}
    for number, cells in enumerate(rows_in[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(names):
            log.error(f"row has {len(cells)} cells but the header has {len(names)}", row=number, **where)
            continue
        for index, value in enumerate(cells):
            if value != value.strip():
                log.warning("value has leading or trailing whitespace; read without it", value=repr(value),
                            row=number, column=names[index], **where)
        for name in ignored:
            if cells[position[name]].strip():
                dropped[name] = dropped.get(name, 0) + 1

        def cell(name: str | None, cells: list[str] = cells) -> str:
            return cells[position[name]].strip() if name is not None and name in position else ""

        geo = cell("GeoCode")
        if not geo and cell(region_label):
            geo = cell(region_label)
            log.warning(f"{region_label} without GeoCode: its text is taken as the unit code", value=geo,
                        row=number, column="GeoCode", **where)
        records.append((number, [cell(series) or indicator, geo or national, cell("Year"),
                               *([cell(units)] if units else []), *(cell(d) for d in dims), cell("Value"),
                               _status_text(cell(status), cell("CONF_STATUS"))]))
    for name, count in dropped.items():
        log.warning(f"column {name} is not carried into the tidy table ({count} row(s) have a value)",
                    column=name, **where)
    return _tidy_rows(header_names, original, records, log, where)


def _tidy_rows(header_names: list[str], original: list[str], records: list[tuple[int, list[str]]], log: ProblemLog,
               where: dict) -> pa.Table | None:
    """The tidy table of one file's rows (tidy column order), checked by the one normalisation.

    ``original`` names the file's column behind each tidy column, so problems are located as in the file.
    """
    dims = header_names[3:-2]
    clash = [original[3 + i] for i, n in enumerate(dims)
             if not n or n.lower() in RESERVED_COLUMNS or n.startswith("_") or dims.count(n) > 1]
    if clash:
        log.error(f"column name(s) {', '.join(clash)} clash with tidy column names or repeat", row=1, **where)
        return None
    raw = pa.table({**{name: pa.array([cells[i] for _, cells in records], pa.string())
                       for i, name in enumerate(header_names)},
                    ROW_COLUMN: pa.array([number for number, _ in records], pa.int64())})
    file = where.get("file") or log.file
    first = len(log.report.problems)
    table = flag_duplicates(normalise_table(raw, log.report, file=file, store=False), log, file=file)
    named = dict(zip(header_names, original, strict=True))
    log.report.problems[first:] = [replace(p, column=named.get(p.column, p.column))
                                   for p in log.report.problems[first:]]
    table = table.filter(pc.invert(table.column(BAD_COLUMN))).drop_columns([ROW_COLUMN, BAD_COLUMN])
    return blank_dimensions_to_null(table)


def _status_text(status: str, conf_status: str) -> str:
    """Tidy status text for a status cell: Dugnad's status names, or SDMX OBS_STATUS codes (with CONF_STATUS)."""
    if conf_status == "C":
        return ObservationStatus.CONFIDENTIAL.value
    if not status:
        return ""
    sdmx = SDMX_OBS_STATUS.read(status)
    return sdmx.value if sdmx is not None else status  # unknown text is reported by the row checks


def decode_file(data: bytes, path: Path, log: ProblemLog) -> str | None:
    """The text of one file of a directory; a bad encoding is an error located in that file (and line)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        log.error(f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); save the file as UTF-8",
                  file=str(path), row=data.count(b"\n", 0, exc.start) + 1)
        return None

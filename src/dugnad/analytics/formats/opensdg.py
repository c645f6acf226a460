"""Open SDG data layout: ``data/indicator_<id>.csv`` (Year, disaggregations, GeoCode, Value) and ``meta/<id>.yml``."""

from __future__ import annotations

import csv
import re
from dataclasses import replace
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import yaml

from dugnad.analytics.formats.normalise import BAD_COLUMN, ROW_COLUMN, blank_dimensions_to_null, normalise_table
from dugnad.analytics.formats.problems import ProblemLog
from dugnad.analytics.formats.registry import TableReader, TableWriter, register_format, register_reader, register_writer
from dugnad.analytics.formats.source import InputSource
from dugnad.analytics.formats.status import SDMX_OBS_STATUS
from dugnad.analytics.formats.table import dimension_columns, format_values, tidy_table
from dugnad.analytics.formats.tidy_csv import decode_text, detect_delimiter, flag_duplicates
from dugnad.analytics.report import InputError, ValidationReport
from dugnad.analytics.types import ObservationStatus

register_format("open-sdg", label="Open SDG data and metadata directory",
                sniff_directory=lambda path: any(path.glob("indicator_*.csv")) or any(path.glob("data/indicator_*.csv")))

_FIXED = ("Year", "GeoCode", "Value", "OBS_STATUS", "CONF_STATUS")
#: The Open SDG column each tidy column comes from (problems name the file's column).
_ORIGINAL = {"unit": "GeoCode", "period": "Year", "value": "Value", "status": "OBS_STATUS"}
_SLUG = re.compile(r"[^0-9A-Za-z_-]+")


def indicator_slug(indicator: str) -> str:
    """File id of an indicator: ``1.1.1`` → ``1-1-1`` (other characters outside [0-9A-Za-z_-] become ``_``)."""
    return _SLUG.sub("_", indicator.replace(".", "-"))


def indicator_from_slug(slug: str) -> str:
    """The indicator code of a file id when no metadata says otherwise: ``1-1-1`` → ``1.1.1``."""
    return slug.replace("-", ".") if re.fullmatch(r"\d+(-\d+|-[a-z])+", slug) else slug


def indicator_metadata(indicator: str, *, name: str | None = None, graph_type: str = "line",
                       source: str | None = None) -> dict:
    """The Open SDG metadata of one indicator (as written to ``meta/<id>.yml``)."""
    meta = {
        "indicator_number": indicator,
        "indicator_name": name or indicator,
        "graph_type": graph_type,
        "graph_title": name or indicator,
        "data_non_statistical": False,
        "reporting_status": "complete",
        "published": True,
        "data_show_map": True,
    }
    if source:
        meta.update({"source_active_1": True, "source_organisation_1": source})
    return meta


@register_writer
class OpenSdgWriter(TableWriter):
    """Writes one CSV and one metadata YAML per indicator into a directory.

    Options: ``names`` (indicator → name), ``graph_type`` (default ``line``), ``source``.
    Non-ok statuses go to ``OBS_STATUS`` (SDMX codes) and ``CONF_STATUS`` (``C``) columns.
    """

    format_name = "open-sdg"
    directory = True

    def write(self, table: pa.Table, target: Path, **options: object) -> None:
        """Write ``data/indicator_<id>.csv`` and ``meta/<id>.yml`` for every indicator of ``table``."""
        dims = dimension_columns(table)
        clash = [d for d in dims if d in _FIXED]
        if clash:
            report = ValidationReport(source=str(target))
            report.add(f"dimension column(s) {', '.join(clash)} clash with Open SDG column names")
            raise InputError(report)
        names = options.get("names") or {}
        assert isinstance(names, dict)
        (target / "data").mkdir(parents=True, exist_ok=True)
        (target / "meta").mkdir(parents=True, exist_ok=True)
        slugs: dict[str, str] = {}
        for indicator in sorted(pc.unique(table.column("indicator")).to_pylist()):
            slug = indicator_slug(indicator)
            if slug in slugs:
                report = ValidationReport(source=str(target))
                report.add(f"indicators {slugs[slug]!r} and {indicator!r} share the file id {slug!r}")
                raise InputError(report)
            slugs[slug] = indicator
            part = table.filter(pc.equal(table.column("indicator"), indicator))
            _write_indicator_csv(part, dims, target / "data" / f"indicator_{slug}.csv")
            meta = indicator_metadata(indicator, name=names.get(indicator), graph_type=str(options.get("graph_type") or "line"),
                                      source=str(options["source"]) if options.get("source") else None)
            (target / "meta" / f"{slug}.yml").write_text(yaml.safe_dump(meta, allow_unicode=True, sort_keys=False),
                                                        encoding="utf-8")


def _write_indicator_csv(part: pa.Table, dims: list[str], path: Path) -> None:
    """One indicator's rows as an Open SDG CSV (status columns only when some status is not ok)."""
    statuses = [ObservationStatus(s) for s in part.column("status").to_pylist()]
    with_status = any(s is not ObservationStatus.OK for s in statuses)
    values = format_values(part.column("value"))
    header = ["Year", *dims, "GeoCode", "Value"] + (["OBS_STATUS", "CONF_STATUS"] if with_status else [])
    columns = [part.column("period").to_pylist(), *(part.column(d).to_pylist() for d in dims),
               part.column("unit").to_pylist(), values]
    if with_status:
        columns.append([SDMX_OBS_STATUS.write(s) if not (s is ObservationStatus.CONFIDENTIAL and v) else "A"
                        for s, v in zip(statuses, values, strict=True)])
        columns.append(["C" if s is ObservationStatus.CONFIDENTIAL else "" for s in statuses])
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(("" if v is None else v for v in row) for row in zip(*columns, strict=True))


@register_reader
class OpenSdgReader(TableReader):
    """Reads an Open SDG directory: every ``data/indicator_*.csv``, indicator codes from ``meta/*.yml``.

    Option ``unit``: unit code for rows with an empty GeoCode (headline rows); without it they are errors.
    """

    format_name = "open-sdg"

    def read(self, source: InputSource, log: ProblemLog, **options: object) -> pa.Table:
        """The tidy table of all indicator files (dimension columns are the union over files)."""
        if source.path is None or not source.path.is_dir():
            raise log.fail("Open SDG input must be a directory with data/indicator_*.csv files")
        data_dir = source.path / "data" if (source.path / "data").is_dir() else source.path
        files = sorted(data_dir.glob("indicator_*.csv"))
        if not files:
            raise log.fail(f"no indicator_*.csv files in {data_dir}")
        tables = []
        seen: dict[str, Path] = {}
        for path in files:
            slug = path.stem.removeprefix("indicator_")
            indicator = _indicator_number(source.path / "meta", slug, log)
            if indicator in seen:
                log.error(f"indicator {indicator!r} also comes from {seen[indicator].name}", file=str(path))
                continue
            seen[indicator] = path
            table = _read_indicator_csv(path, indicator, log, options.get("unit"))
            if table is not None:
                tables.append(table)
        if log.has_errors or not tables:
            raise log.finish_error()
        merged = pa.concat_tables(tables, promote_options="default")
        dims = dimension_columns(merged)
        return tidy_table({c: merged.column(c) for c in merged.column_names}, dims)


def _indicator_number(meta_dir: Path, slug: str, log: ProblemLog) -> str:
    """``indicator_number`` from ``meta/<slug>.yml`` (or ``.yaml``/``.md`` front matter), else from the slug."""
    for name in (f"{slug}.yml", f"{slug}.yaml", f"{slug}.md"):
        path = meta_dir / name
        if not path.is_file():
            continue
        try:
            text = path.read_text(encoding="utf-8")
            if name.endswith(".md"):
                text = text.split("---")[1] if text.startswith("---") else ""
            meta = yaml.safe_load(text)
        except (OSError, UnicodeDecodeError, yaml.YAMLError, IndexError) as exc:
            log.warning(f"metadata not readable ({type(exc).__name__}); indicator taken from the file name",
                        file=str(path))
            break
        if isinstance(meta, dict) and meta.get("indicator_number") not in (None, ""):
            return str(meta["indicator_number"])
        break
    return indicator_from_slug(slug)


def _read_indicator_csv(path: Path, indicator: str, log: ProblemLog, unit: object) -> pa.Table | None:
    """One indicator file through the tidy row checks (Year → period, GeoCode → unit, Value → value)."""
    text = decode_text(InputSource.of(path).read_bytes(), log)
    rows_in = list(csv.reader(text.splitlines(), delimiter=detect_delimiter(text)))
    if not rows_in:
        log.error("the file is empty", file=str(path))
        return None
    names = [n.strip().lstrip("\ufeff") for n in rows_in[0]]
    missing = [n for n in ("Year", "Value") if n not in names]
    if missing:
        log.error(f"missing Open SDG column(s): {', '.join(missing)}", file=str(path), row=1)
        return None
    position = {n: i for i, n in enumerate(names)}
    dims = [n for n in names if n not in _FIXED and n]
    clash = [d for d in dims if d.lower() in ("unit", "indicator", "period", "year", "value", "status", "note")
             or d.startswith("_")]
    if clash:
        log.error(f"column name(s) {', '.join(clash)} clash with tidy column names", file=str(path), row=1)
        return None
    columns: dict[str, list[str]] = {n: [] for n in ("indicator", "unit", "period", *dims, "value", "status")}
    rows: list[int] = []
    for number, cells in enumerate(rows_in[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(names):
            log.error(f"row has {len(cells)} cells but the header has {len(names)}", file=str(path), row=number)
            continue

        def cell(name: str, cells: list[str] = cells) -> str:
            return cells[position[name]].strip() if name in position else ""

        geo = cell("GeoCode") or ("" if unit is None else str(unit))
        for name, text in zip(columns, [indicator, geo, cell("Year"), *(cell(d) for d in dims), cell("Value"),
                                        _status_text(cell("OBS_STATUS"), cell("CONF_STATUS"))], strict=True):
            columns[name].append(text)
        rows.append(number)
    raw = pa.table({**{n: pa.array(v, pa.string()) for n, v in columns.items()}, ROW_COLUMN: pa.array(rows, pa.int64())})
    first = len(log.report.problems)
    table = flag_duplicates(normalise_table(raw, log.report, file=str(path), store=False), log, file=str(path))
    log.report.problems[first:] = [replace(p, column=_ORIGINAL.get(p.column, p.column))
                                   for p in log.report.problems[first:]]
    table = table.filter(pc.invert(table.column(BAD_COLUMN))).drop_columns([ROW_COLUMN, BAD_COLUMN])
    return blank_dimensions_to_null(table)


def _status_text(obs_status: str, conf_status: str) -> str:
    """Tidy status text for SDMX-style status cells (empty when not given or unknown)."""
    if conf_status == "C":
        return ObservationStatus.CONFIDENTIAL.value
    status = SDMX_OBS_STATUS.read(obs_status)
    return status.value if status is not None else ""

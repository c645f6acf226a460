"""Open SDG data layout: ``data/indicator_<id>.csv`` (Year, …, GeoCode, Value) and ``meta/<id>.md`` front matter.

The writer follows what sdg-build (the Open SDG build tool) reads under its default configuration; the
reader takes single indicator files or whole data directories as real Open SDG data repositories hold them.
See ``docs/formats.md`` (Open SDG) for the column mapping.
"""

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
from dugnad.analytics.formats.table import RESERVED_COLUMNS, dimension_columns, format_values, tidy_table
from dugnad.analytics.formats.tidy_csv import decode_text, detect_delimiter, flag_duplicates
from dugnad.analytics.report import InputError, ValidationReport
from dugnad.analytics.types import ObservationStatus

#: The unit code of the country: written as an empty GeoCode (the headline), read for an empty or absent GeoCode.
NATIONAL_UNIT = "0"
#: The column Dugnad writes statuses to; sdg-build's default ``non_disaggregation_columns`` include it.
STATUS_COLUMN = "Observation status"
#: The disaggregation column that names the units other than the country (Open SDG's regional data).
REGION_COLUMN = "Region"
#: Tidy dimension column that holds the unit of measure (Open SDG ``Units``, SDMX ``UNIT_MEASURE``).
MEASURE_DIMENSION = "unit_measure"

#: Columns sdg-build does not treat as disaggregations by default (open_sdg_indicator_options_defaults),
#: plus Dugnad's earlier status columns.
_UNITS_COLUMNS = ("Units", "UNIT_MEASURE", "Unit measure")
_SERIES_COLUMNS = ("Series", "SERIES")
_STATUS_COLUMNS = (STATUS_COLUMN, "OBS_STATUS")
_DROPPED_COLUMNS = ("COMMENT_OBS", "COMMENT_TS", "Unit multiplier", "DATA_LAST_UPDATE")
_SPECIAL = frozenset(("Year", "Value", "GeoCode", "CONF_STATUS", *_UNITS_COLUMNS, *_SERIES_COLUMNS,
                      *_STATUS_COLUMNS, *_DROPPED_COLUMNS))
_SLUG = re.compile(r"[^0-9A-Za-z_-]+")


def _sniff(head: bytes) -> bool:
    """Whether the first bytes look like an Open SDG indicator file: ``Year`` first, ``Value`` among the columns."""
    line = head.lstrip(b"\xef\xbb\xbf").split(b"\n", 1)[0].decode("utf-8", "replace").strip()
    names = [n.strip().strip('"').strip() for n in line.split(",")]
    lower = {n.lower() for n in names}
    return bool(names) and names[0] == "Year" and "Value" in names and not lower & {"unit", "indicator"}


def _sniff_directory(path: Path) -> bool:
    """Whether a directory holds Open SDG indicator files (itself or in ``data/``)."""
    return any(path.glob("indicator_*.csv")) or any(path.glob("data/indicator_*.csv"))


register_format("open-sdg", label="Open SDG indicator files (a data directory or one indicator_*.csv)",
                extensions=("csv",), sniff=_sniff, sniff_directory=_sniff_directory)


def indicator_slug(indicator: str) -> str:
    """File id of an indicator: ``1.1.1`` → ``1-1-1`` (other characters outside [0-9A-Za-z_-] become ``_``)."""
    return _SLUG.sub("_", indicator.replace(".", "-"))


def indicator_from_slug(slug: str) -> str:
    """The indicator code of a file id when no metadata says otherwise: ``1-1-1`` → ``1.1.1``."""
    return slug.replace("-", ".") if re.fullmatch(r"\d+(-\d+|-[a-z])+", slug) else slug


def indicator_metadata(indicator: str, *, name: str | None = None, graph_type: str = "line",
                       source: str | None = None, status_column: bool = False) -> dict:
    """The Open SDG metadata of one indicator (the front matter of ``meta/<id>.md``).

    Without a name, an SDG indicator code (``1.1.1``) gets no ``indicator_name``/``graph_title``, so that
    Open SDG shows the global indicator's translated title; any other code is its own name.
    """
    titled = name is not None or re.fullmatch(r"\d+(\.\d+|\.[a-z])+", indicator) is None
    meta: dict = {"indicator_number": indicator}
    if titled:
        meta["indicator_name"] = name or indicator
    meta["graph_type"] = graph_type
    if titled:
        meta["graph_title"] = name or indicator
    meta |= {
        "data_non_statistical": False,
        "reporting_status": "complete",
        "published": True,
        "data_show_map": True,
    }
    if source:
        meta.update({"source_active_1": True, "source_organisation_1": source})
    if status_column:
        meta["observation_attributes"] = [{"field": STATUS_COLUMN, "label": STATUS_COLUMN}]
    return meta


@register_writer
class OpenSdgWriter(TableWriter):
    """Writes one data CSV and one metadata file per indicator into a directory, as sdg-build's defaults read them.

    Options: ``names`` (indicator → name), ``graph_type`` (default ``line``), ``source``,
    ``national_unit`` (default ``0``: written with an empty GeoCode, Open SDG's headline),
    ``region_column`` (default ``Region``: the disaggregation column naming the other units, so that they are
    not part of the headline; its cells are ``unit_names[code]`` or the code), ``unit_names`` (code → name),
    ``statuses`` (``column``, the default: an ``Observation status`` column before ``Value`` when some
    status is not ok; ``omit``: no status column), ``meta`` (``both``, the default: ``meta/<id>.md`` front
    matter, read by sdg-build's default input, and ``meta/<id>.yml``, read by ``InputYamlMeta`` as in
    open-sdg-data-starter; ``md`` or ``yml``: only one of them),
    ``confidential`` (``keep``, the default, or ``blank``: no value for confidential observations).
    """

    format_name = "open-sdg"
    directory = True

    def write(self, table: pa.Table, target: Path, **options: object) -> None:
        """Write ``data/indicator_<id>.csv`` and its metadata for every indicator of ``table``."""
        dims = dimension_columns(table)
        statuses = str(options.get("statuses") or "column")
        confidential = str(options.get("confidential") or "keep")
        meta_forms = {"md": ("md",), "yml": ("yml",), "both": ("md", "yml")}.get(str(options.get("meta") or "both"))
        region = str(options.get("region_column", REGION_COLUMN) or "")
        clash = [d for d in dims if d in _SPECIAL or d == region]
        problems = []
        if clash:
            problems.append(f"dimension column(s) {', '.join(clash)} clash with Open SDG column names")
        if statuses not in ("column", "omit"):
            problems.append(f"statuses={statuses!r}: use 'column' or 'omit'")
        if confidential not in ("keep", "blank"):
            problems.append(f"confidential={confidential!r}: use 'keep' or 'blank'")
        if meta_forms is None:
            problems.append(f"meta={options.get('meta')!r}: use 'md', 'yml' or 'both'")
        if problems:
            report = ValidationReport(source=str(target))
            for problem in problems:
                report.add(problem)
            raise InputError(report)
        assert meta_forms is not None
        names = options.get("names") or {}
        unit_names = options.get("unit_names") or {}
        assert isinstance(names, dict) and isinstance(unit_names, dict)
        national = str(options.get("national_unit", NATIONAL_UNIT))
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
            with_status = _write_indicator_csv(part, dims, target / "data" / f"indicator_{slug}.csv",
                                               national=national, statuses=statuses, region=region,
                                               blank_confidential=confidential == "blank",
                                               unit_names=unit_names)
            meta = indicator_metadata(indicator, name=names.get(indicator), graph_type=str(options.get("graph_type") or "line"),
                                      source=str(options["source"]) if options.get("source") else None,
                                      status_column=with_status)
            text = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)
            if "md" in meta_forms:
                (target / "meta" / f"{slug}.md").write_text(f"---\n{text}---\n", encoding="utf-8")
            if "yml" in meta_forms:
                (target / "meta" / f"{slug}.yml").write_text(text, encoding="utf-8")


def _write_indicator_csv(part: pa.Table, dims: list[str], path: Path, *, national: str, statuses: str, region: str,
                         unit_names: dict, blank_confidential: bool) -> bool:
    """One indicator's rows as an Open SDG CSV; returns whether it has a status column.

    Columns: ``Year``, ``Units`` (from ``unit_measure``), ``Region`` (only when there are other units than the
    national one), the other dimensions, ``GeoCode`` (empty for the national unit), ``Observation status`` (only
    when some status is not ok and statuses are written), ``Value``.
    """
    status_values = part.column("status").to_pylist()
    with_status = statuses == "column" and any(s != ObservationStatus.OK.value for s in status_values)
    units = part.column("unit").to_pylist()
    regions = [region] if region and any(u != national for u in units) else []
    others = [d for d in dims if d != MEASURE_DIMENSION]
    measure = ["Units"] if MEASURE_DIMENSION in dims else []
    header = ["Year", *measure, *regions, *others, "GeoCode"] + ([STATUS_COLUMN] if with_status else []) + ["Value"]
    columns = [part.column("period").to_pylist()]
    columns += [part.column(MEASURE_DIMENSION).to_pylist()] if measure else []
    columns += [["" if u == national else str(unit_names.get(u) or u) for u in units]] if regions else []
    columns += [part.column(d).to_pylist() for d in others]
    columns.append(["" if u == national else u for u in units])
    if with_status:
        columns.append(["" if s == ObservationStatus.OK.value else s for s in status_values])
    values = format_values(part.column("value"))
    if blank_confidential:
        values = ["" if s == ObservationStatus.CONFIDENTIAL.value else v for s, v in zip(status_values, values, strict=True)]
    columns.append(values)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(("" if v is None else v for v in row) for row in zip(*columns, strict=True))
    return with_status


@register_reader
class OpenSdgReader(TableReader):
    """Reads Open SDG indicator data: a directory (``data/indicator_*.csv`` or ``indicator_*.csv``) or one file.

    Options: ``national_unit`` (default ``0``; ``unit`` is accepted too): the unit of rows with an empty or
    absent GeoCode; ``indicator``: the indicator code of a single file (default: its metadata, else its name).
    """

    format_name = "open-sdg"

    def read(self, source: InputSource, log: ProblemLog, **options: object) -> pa.Table:
        """The tidy table of all indicator files (dimension columns are the union over files)."""
        national = str(options.get("national_unit", options.get("unit", NATIONAL_UNIT)))
        region = str(options.get("region_column", REGION_COLUMN) or "")
        given = str(options["indicator"]) if options.get("indicator") else None
        tables = []
        if source.path is None:
            if given is None:
                raise log.fail("Open SDG data given as bytes needs the option indicator= (the file name is unknown)")
            table = _read_indicator_csv(source.read_bytes(), None, given, log, national, region)
            tables = [table] if table is not None else []
        elif source.path.is_dir():
            data_dir = source.path / "data" if (source.path / "data").is_dir() else source.path
            files = sorted(data_dir.glob("indicator_*.csv"))
            if not files:
                raise log.fail(f"no indicator_*.csv files in {data_dir}")
            seen: dict[str, Path] = {}
            origins: list[Path] = []
            for path in files:
                slug = path.stem.removeprefix("indicator_")
                indicator = _indicator_number(_meta_dirs(path), slug, log)
                if indicator in seen:
                    log.error(f"indicator {indicator!r} also comes from {seen[indicator].name}", file=str(path))
                    continue
                seen[indicator] = path
                table = _read_indicator_csv(InputSource.of(path).read_bytes(), path, indicator, log, national, region)
                if table is not None:
                    tables.append(table)
                    origins.append(path)
            _check_keys_across_files(tables, origins, log)
        else:
            path = source.path
            slug = path.stem.removeprefix("indicator_")
            indicator = given or _indicator_number(_meta_dirs(path), slug, log)
            table = _read_indicator_csv(source.read_bytes(), path, indicator, log, national, region)
            tables = [table] if table is not None else []
        if log.has_errors or not tables:
            raise log.finish_error()
        merged = pa.concat_tables(tables, promote_options="default")
        dims = dimension_columns(merged)
        return tidy_table({c: merged.column(c) for c in merged.column_names}, dims)


def _check_keys_across_files(tables: list[pa.Table], origins: list[Path], log: ProblemLog) -> None:
    """An error for every observation key found in more than one file (possible when rows take a Series code)."""
    first: dict[tuple, Path] = {}
    for table, path in zip(tables, origins, strict=True):
        keys = [c for c in table.column_names if c not in ("value", "status")]
        for row in table.select(keys).to_pylist():
            key = tuple(sorted((k, v) for k, v in row.items() if v is not None))
            other = first.setdefault(key, path)
            if other != path:
                shown = ", ".join(f"{k}={v}" for k, v in key)
                log.error(f"duplicate observation ({shown}): also in {other.name}", file=str(path))


def _meta_dirs(data_file: Path) -> list[Path]:
    """Where an indicator file's metadata may be: ``meta/`` next to its folder, or next to the file."""
    folder = data_file.parent
    return [folder.parent / "meta", folder / "meta"] if folder.name == "data" else [folder / "meta"]


def _indicator_number(meta_dirs: list[Path], slug: str, log: ProblemLog) -> str:
    """``indicator_number`` from ``meta/<slug>.md`` front matter (or ``.yml``/``.yaml``), else from the slug."""
    for meta_dir in meta_dirs:
        for name in (f"{slug}.md", f"{slug}.yml", f"{slug}.yaml"):
            path = meta_dir / name
            if not path.is_file():
                continue
            try:
                text = path.read_text(encoding="utf-8")
                if name.endswith(".md"):
                    text = text.split("---")[1] if text.lstrip("\ufeff").startswith("---") else ""
                meta = yaml.safe_load(text)
            except (OSError, UnicodeDecodeError, yaml.YAMLError, IndexError) as exc:
                log.warning(f"metadata not readable ({type(exc).__name__}); indicator taken from the file name",
                            file=str(path))
                return indicator_from_slug(slug)
            if isinstance(meta, dict) and meta.get("indicator_number") not in (None, ""):
                return str(meta["indicator_number"])
            return indicator_from_slug(slug)
    return indicator_from_slug(slug)


def _read_indicator_csv(data: bytes, path: Path | None, indicator: str, log: ProblemLog, national: str,
                        region: str) -> pa.Table | None:
    """One indicator file through the tidy row checks (Year → period, GeoCode → unit, Value → value).

    ``Units`` becomes the ``unit_measure`` column, a non-empty ``Series`` the indicator code, a status column the
    status; the ``region`` column is the name of GeoCode's unit (not a dimension) when the file has a GeoCode.
    """
    where = {"file": str(path)} if path is not None else {}
    text = decode_text(data, log) if path is None else _decode(data, path, log)
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
    units = next((n for n in _UNITS_COLUMNS if n in position), None)
    if units and MEASURE_DIMENSION in position:
        log.error(f"column {MEASURE_DIMENSION!r} clashes with the unit of measure read from {units}", row=1,
                  column=MEASURE_DIMENSION, **where)
        return None
    series = next((n for n in _SERIES_COLUMNS if n in position), None)
    status = next((n for n in _STATUS_COLUMNS if n in position), None)
    ignored = [n for n in names if n in _SPECIAL and n not in ("Year", "Value", "GeoCode", "CONF_STATUS", units, series, status)]
    region_label = region if region and region in position and "GeoCode" in position else None
    dims = [n for n in names if n not in _SPECIAL and n != region_label]
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


def _decode(data: bytes, path: Path, log: ProblemLog) -> str | None:
    """The text of one file of a directory; a bad encoding is an error located in that file (and line)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        log.error(f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); save the file as UTF-8",
                  file=str(path), row=data.count(b"\n", 0, exc.start) + 1)
        return None


def _status_text(status: str, conf_status: str) -> str:
    """Tidy status text for a status cell: Dugnad's status names, or SDMX OBS_STATUS codes (with CONF_STATUS)."""
    if conf_status == "C":
        return ObservationStatus.CONFIDENTIAL.value
    if not status:
        return ""
    sdmx = SDMX_OBS_STATUS.read(status)
    return sdmx.value if sdmx is not None else status  # unknown text is reported by the row checks

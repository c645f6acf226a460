"""The Open SDG reader: a data directory, one indicator file or its bytes, into the tidy table."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa

from dugnad.analytics.formats.opensdg.columns import NATIONAL_UNIT, REGION_COLUMN
from dugnad.analytics.formats.opensdg.metadata import indicator_number, meta_dirs
from dugnad.analytics.formats.opensdg.rows import read_indicator_csv
from dugnad.analytics.formats.problems import ProblemLog
from dugnad.analytics.formats.registry import TableReader, register_reader
from dugnad.analytics.formats.source import InputSource
from dugnad.analytics.formats.table import dimension_columns, tidy_table


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
            table = read_indicator_csv(source.read_bytes(), None, given, log, national, region)
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
                indicator = indicator_number(meta_dirs(path), slug, log)
                if indicator in seen:
                    log.error(f"indicator {indicator!r} also comes from {seen[indicator].name}", file=str(path))
                    continue
                seen[indicator] = path
                table = read_indicator_csv(InputSource.of(path).read_bytes(), path, indicator, log, national, region)
                if table is not None:
                    tables.append(table)
                    origins.append(path)
            _check_keys_across_files(tables, origins, log)
        else:
            path = source.path
            slug = path.stem.removeprefix("indicator_")
            indicator = given or indicator_number(meta_dirs(path), slug, log)
            table = read_indicator_csv(source.read_bytes(), path, indicator, log, national, region)
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

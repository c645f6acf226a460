"""Format registry: one reader and/or writer per format, all sharing the tidy observation table.

The tidy table is a ``pyarrow.Table`` with columns ``unit, indicator, period, <dimension columns…>,
value, status`` (see ``dugnad.analytics.types.TIDY_COLUMNS``): ``unit``, ``indicator``, ``period``
and dimension columns are strings, ``value`` is float64 (null when missing) and ``status`` is an
``ObservationStatus`` value.

Public API (implemented in ``registry.py`` and the format modules)::

    read_table(source, *, format=None, **options) -> ReadResult   # ReadResult(table, report); raises InputError
    read_located(source, *, format=None, **options) -> ReadResult # keeps _row/_sheet/_path/_bad; never raises
    write_table(table, target, *, format, **options) -> None
    detect_format(source) -> str

Importing this package registers the built-in formats (each module registers itself).
"""

from __future__ import annotations

from dugnad.analytics.formats import (  # noqa: F401  (importing registers the built-in formats)
    datapackage,
    jsonstat_reader,
    jsonstat_writer,
    opensdg,
    sdmx_csv,
    sdmx_ml,
    statbank_csv,
    tidy_csv,
    xlsx,
)
from dugnad.analytics.formats.registry import (
    FORMATS,
    TableReader,
    TableWriter,
    detect_format,
    read_located,
    read_table,
    reader_formats,
    write_table,
    writer_formats,
)
from dugnad.analytics.formats.source import InputSource
from dugnad.analytics.formats.table import ReadResult, conform_table, dimension_columns, tidy_schema, tidy_table

__all__ = [
    "FORMATS",
    "InputSource",
    "ReadResult",
    "TableReader",
    "TableWriter",
    "conform_table",
    "detect_format",
    "dimension_columns",
    "read_located",
    "read_table",
    "reader_formats",
    "tidy_schema",
    "tidy_table",
    "write_table",
    "writer_formats",
]

"""Format registry: formats declare a reader and/or writer class once; lookup, detection and atomic writes."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

import pyarrow as pa
import pyarrow.compute as pc

from dugnad.analytics.formats.normalise import BAD_COLUMN, blank_dimensions_to_null, sort_problems
from dugnad.analytics.formats.problems import ProblemLog
from dugnad.analytics.formats.source import InputSource
from dugnad.analytics.formats.table import KEY_COLUMNS, MEASURE_COLUMNS, ReadResult, conform_table, dimension_columns, tidy_table
from dugnad.analytics.report import InputError, ValidationReport
from dugnad.common.files import atomic_directory, atomic_file


class TableReader(ABC):
    """Reads one input into a tidy table, recording located problems in a ``ProblemLog``.

    The contract: ``read`` returns the tidy columns plus, where the format knows them, the location of each
    record (``_row`` file row with header = row 1, ``_sheet`` worksheet, ``_path`` key such as
    ``$.value[12]``); readers that check rows themselves flag bad rows in ``_bad`` instead of dropping them.
    Problems that stop reading raise ``InputError`` (via ``log.fail``).
    """

    format_name: ClassVar[str]

    @abstractmethod
    def read(self, source: InputSource, log: ProblemLog, **options: object) -> pa.Table:
        """The tidy table of ``source``; raises ``InputError`` (via ``log.fail``) when it cannot go on."""


class TableWriter(ABC):
    """Writes a tidy table to a file (or a directory when ``directory`` is true)."""

    format_name: ClassVar[str]
    directory: ClassVar[bool] = False

    @abstractmethod
    def write(self, table: pa.Table, target: Path, **options: object) -> None:
        """Write ``table`` (already conformed to the tidy contract) to ``target``."""


@dataclass
class FormatSpec:
    """One registered format: name, extensions, a content sniffer and its reader/writer classes."""

    name: str
    label: str
    extensions: tuple[str, ...] = ()
    sniff: Callable[[bytes], bool] | None = None
    sniff_directory: Callable[[Path], bool] | None = None
    reader: type[TableReader] | None = None
    writer: type[TableWriter] | None = None
    options: dict[str, str] = field(default_factory=dict)


FORMATS: dict[str, FormatSpec] = {}


def register_format(name: str, *, label: str, extensions: tuple[str, ...] = (),
                    sniff: Callable[[bytes], bool] | None = None,
                    sniff_directory: Callable[[Path], bool] | None = None) -> FormatSpec:
    """Declare a format (idempotent); readers and writers attach to it with the decorators below."""
    spec = FORMATS.get(name)
    if spec is None:
        spec = FORMATS[name] = FormatSpec(name=name, label=label, extensions=extensions, sniff=sniff,
                                          sniff_directory=sniff_directory)
    return spec


def register_reader(cls: type[TableReader]) -> type[TableReader]:
    """Class decorator: the reader of the format named by ``cls.format_name``."""
    FORMATS[cls.format_name].reader = cls
    return cls


def register_writer(cls: type[TableWriter]) -> type[TableWriter]:
    """Class decorator: the writer of the format named by ``cls.format_name``."""
    FORMATS[cls.format_name].writer = cls
    return cls


def reader_formats() -> list[str]:
    """Names of formats that can be read."""
    return sorted(name for name, spec in FORMATS.items() if spec.reader)


def writer_formats() -> list[str]:
    """Names of formats that can be written."""
    return sorted(name for name, spec in FORMATS.items() if spec.writer)


def detect_format(source: InputSource | str | Path | bytes) -> str:
    """Name of the format of ``source``: by extension first, then by sniffing its first bytes.

    Raises ``InputError`` when no registered reader recognises it.
    """
    src = InputSource.of(source)
    if src.is_directory:
        assert src.path is not None
        for name, spec in FORMATS.items():
            if spec.reader and spec.sniff_directory and spec.sniff_directory(src.path):
                return name
    head = src.head()
    readable = {name: spec for name, spec in FORMATS.items() if spec.reader}
    by_extension = [name for name, spec in readable.items() if src.suffix and src.suffix in spec.extensions]
    sniffed = [name for name, spec in readable.items() if spec.sniff and spec.sniff(head)]
    for name in by_extension:
        if name in sniffed:
            return name
    if by_extension:
        return by_extension[0]
    if sniffed:
        return sniffed[0]
    report = ValidationReport(source=src.name)
    report.add(f"cannot tell the format (known: {', '.join(reader_formats())}); give it explicitly", file=src.name)
    raise InputError(report)


def _spec(name: str, role: str, source_name: str) -> FormatSpec:
    """The registered spec for ``name`` with the requested role, or an ``InputError``."""
    spec = FORMATS.get(name)
    if spec is None or getattr(spec, role) is None:
        known = reader_formats() if role == "reader" else writer_formats()
        report = ValidationReport(source=source_name)
        report.add(f"no {role} for format {name!r} (known: {', '.join(known)})", file=source_name)
        raise InputError(report)
    return spec


def read_located(source: InputSource | str | Path | bytes, *, format: str | None = None,
                 **options: object) -> ReadResult:
    """Read ``source`` into a tidy table that keeps its locations, with the report of every problem; never raises.

    The table may carry the location columns ``_row``, ``_sheet``, ``_path`` and the flag ``_bad`` (rows with a
    problem, kept so later stages can report their other problems). When the input cannot be read at all the
    table is empty and the report says why. This is what ``dugnad import`` and the web upload read.
    """
    src = InputSource.of(source)
    report = ValidationReport(source=src.name)
    try:
        name = format or detect_format(src)
        spec = _spec(name, "reader", src.name)
    except InputError as exc:
        report.extend(exc.report)
        return ReadResult(table=tidy_table({c: [] for c in (*KEY_COLUMNS, *MEASURE_COLUMNS)}), report=report)
    log = ProblemLog(report, file=src.name)
    try:
        table = spec.reader().read(src, log, **options)  # type: ignore[misc]
    except InputError as exc:
        if exc.report is not report:
            report.extend(exc.report)
        table = tidy_table({c: [] for c in (*KEY_COLUMNS, *MEASURE_COLUMNS)})
    except (RecursionError, MemoryError) as exc:
        log.error(f"input too deeply nested or too large to read ({type(exc).__name__})")
        table = tidy_table({c: [] for c in (*KEY_COLUMNS, *MEASURE_COLUMNS)})
    log.close()
    sort_problems(report)
    return ReadResult(table=table, report=report, format=name)


def read_table(source: InputSource | str | Path | bytes, *, format: str | None = None, **options: object) -> ReadResult:
    """Read ``source`` into a tidy table with its report; raises ``InputError`` when there are errors.

    The table has the tidy columns only (locations and flags dropped).
    """
    result = read_located(source, format=format, **options)
    if not result.report.ok:
        raise InputError(result.report)
    table = result.table
    if BAD_COLUMN in table.column_names:
        table = table.filter(pc.invert(table.column(BAD_COLUMN)))
    table = table.drop_columns([c for c in table.column_names if c.startswith("_")])
    if table.num_rows and pa.types.is_string(table.schema.field("unit").type):
        table = blank_dimensions_to_null(table)
    table = tidy_table({c: table.column(c) for c in table.column_names}, dimension_columns(table))
    return ReadResult(table=table, report=result.report, format=result.format)


def write_table(table: pa.Table, target: str | Path, *, format: str, **options: object) -> None:
    """Write a tidy table to ``target`` atomically (temporary file or directory, then rename)."""
    target = Path(target)
    spec = _spec(format, "writer", str(target))
    table = conform_table(table, target=str(target))
    writer = spec.writer()  # type: ignore[misc]
    target.parent.mkdir(parents=True, exist_ok=True)
    if writer.directory:
        _write_directory(writer, table, target, options)
    else:
        _write_file(writer, table, target, options)


def _write_file(writer: TableWriter, table: pa.Table, target: Path, options: dict) -> None:
    """Write to a temporary file next to ``target`` and rename it into place."""
    with atomic_file(target) as temp:
        writer.write(table, temp, **options)


def _write_directory(writer: TableWriter, table: pa.Table, target: Path, options: dict) -> None:
    """Write into a temporary directory next to ``target`` and swap it into place."""
    with atomic_directory(target) as temp:
        writer.write(table, temp, **options)

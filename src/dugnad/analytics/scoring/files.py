"""``dugnad score`` on files: IND/UNITS CSVs and an observation CSV or Parquet file in, the result files out.

The fast path does the whole run in one DuckDB connection without pyarrow or pandas: the two small files are
read and validated in Python, the observation file is scanned once by DuckDB (typed columns) in the pass that
also validates it (``summary.py``), and DuckDB writes the result files. When that pass finds anything wrong,
or the file does not read with typed columns, the run falls back to :func:`read_inputs`, which locates every
problem (file, row, column) or, for input it accepts (e.g. ``NA`` as a missing value), scores it the Arrow way.
"""

from __future__ import annotations

import threading
from pathlib import Path

import duckdb

from dugnad.analytics.report import InputError, ValidationReport
from dugnad.analytics.scoring.connection import connect
from dugnad.analytics.scoring.engine import RESULT_SQL, FilesOutcome, score, score_in_connection
from dugnad.analytics.scoring.inputs import (
    IND_REQUIRED,
    OBS_REQUIRED,
    UNIT_REQUIRED,
    _csv_header,
    _read_small_csv,
    indicator_columns,
    read_inputs,
    unit_columns,
)
from dugnad.analytics.scoring.outputs import write_outputs, write_tables
from dugnad.analytics.scoring.sql import sql_text
from dugnad.analytics.scoring.types import ScoreParams
from dugnad.common.files import file_sha256

_CSV_TYPES = {"unit": "unit_code", "indicator": "indicator_code", "year": "INTEGER", "value": "DOUBLE"}


def _csv_source(path: Path, header: dict[str, str]) -> str:
    """A typed ``read_csv`` over the observation file (every column named as in the header; extra columns text).

    Unit and indicator are read into the ENUM types of the known codes: an unknown code fails the read, and the
    located path reports it.
    """
    columns = ", ".join(f"'{sql_text(raw)}': '{_CSV_TYPES.get(clean, 'VARCHAR')}'" for raw, clean in header.items())
    wanted = {clean: raw for raw, clean in header.items() if clean in _CSV_TYPES}
    select = ", ".join(f'"{wanted[name].replace(chr(34), chr(34) * 2)}" AS {name}' for name in OBS_REQUIRED)
    return (f"(SELECT {select} FROM read_csv('{sql_text(path.as_posix())}', header = true, auto_detect = false, "
            f"delim = ',', quote = '\"', escape = '\"', columns = {{{columns}}}))")


def _hash_files(paths: dict[str, Path], into: dict) -> threading.Thread:
    """Start hashing the input files in a thread (hashlib releases the GIL); fills ``into`` for run.json."""
    def work() -> None:
        into.update({name: {"path": str(path), "sha256": file_sha256(path)} for name, path in paths.items()})

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    return thread


def score_files(indicators: str | Path, units: str | Path, observations: str | Path, out_dir: str | Path,
                params: ScoreParams | None = None, method: str = "sdsn") -> FilesOutcome:
    """Score the three files and write the result files into ``out_dir`` atomically; raise InputError on bad input."""
    params = params or ScoreParams()
    report = ValidationReport(source="dugnad score")
    paths = {"indicators": Path(indicators), "units": Path(units), "observations": Path(observations)}
    for name, path in paths.items():
        if not path.is_file():
            report.add(f"{name} file not found", file=str(path))
    if not report.ok:
        raise InputError(report)
    ind = indicator_columns(_read_small_csv(paths["indicators"], IND_REQUIRED, report), paths["indicators"].name, report)
    unit = unit_columns(_read_small_csv(paths["units"], UNIT_REQUIRED, report), paths["units"].name, report)
    obs_path = paths["observations"]
    if obs_path.suffix.lower() == ".parquet":
        source = f"read_parquet('{sql_text(obs_path.as_posix())}')"
    else:
        header = _csv_header(obs_path, report)
        missing = [c for c in OBS_REQUIRED if header is not None and c not in header.values()]
        for column in missing:
            report.add(f"required column {column!r} is missing (header: {', '.join(header)})", file=obs_path.name,
                       row=1, column=column)
        source = _csv_source(obs_path, header) if header is not None and not missing else None
    if not report.ok or source is None:
        raise InputError(report)
    sources: dict = {}
    hashing = _hash_files(paths, sources)
    con = connect(params.memory_limit, params.threads)
    try:
        try:
            _counts, metadata = score_in_connection(con, source, indicators=ind, units=unit, params=params, method=method,
                                                    sources=sources, warnings=[], enum_keys=not source.startswith("read_parquet"))
        except (duckdb.ConversionException, duckdb.InvalidInputException, duckdb.BinderException):
            metadata = None  # not typed as expected: the located path below reads it again
        if metadata is not None:
            hashing.join()
            metadata["inputs"] = {name: sources[name] for name in paths}
            return FilesOutcome(target=write_tables(con, RESULT_SQL, metadata, out_dir), metadata=metadata)
    finally:
        con.close()
    hashing.join()
    inputs = read_inputs(*paths.values(), memory_limit=params.memory_limit)  # raises InputError with every location
    result = score(inputs, params, method=method)
    return FilesOutcome(target=write_outputs(result, out_dir), metadata=result.metadata)

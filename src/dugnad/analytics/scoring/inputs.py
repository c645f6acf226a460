"""Reading and validating the three scoring inputs (indicator specs, units, observations) into Arrow.

Every problem is reported with file, row (line number, header = row 1) and column through
:class:`~dugnad.analytics.report.ValidationReport`; any error raises
:class:`~dugnad.analytics.report.InputError` so nothing is scored or written.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path
from typing import Any

from dugnad.analytics.report import InputError, ValidationReport
from dugnad.analytics.scoring.connection import connect
from dugnad.analytics.scoring.types import ScoreInputs
from dugnad.common.files import file_sha256

IND_REQUIRED = ("indicator", "goal", "upper_bound", "lower_bound", "green", "red")
IND_OPTIONAL = ("label", "in_index", "applies_to", "trend_from", "trend_to", "target", "target_year")
UNIT_REQUIRED = ("unit",)
UNIT_OPTIONAL = ("name", "group", "tags", "parent", "population")
OBS_REQUIRED = ("unit", "indicator", "year", "value")
MAX_PROBLEMS_PER_KIND = 20
DUPLICATE_CHECK_MAX_ROWS = 20_000_000
_INTEGER_TYPES = {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT"}
_FLOAT_TYPES = {"FLOAT", "DOUBLE"}
_YES = {"yes": True, "y": True, "true": True, "1": True, "ja": True, "no": False, "n": False, "false": False,
        "0": False, "nei": False, "": True}


def _read_small_csv(path: Path, required: tuple[str, ...], report: ValidationReport) -> list[tuple[int, dict[str, str]]]:
    """Rows of a small CSV file as (line number, dict) after checking the required header names."""
    try:
        with open(path, newline="", encoding="utf-8-sig") as fh:
            reader = csv.DictReader(fh)
            header = [h.strip() for h in (reader.fieldnames or [])]
            missing = [c for c in required if c not in header]
            for column in missing:
                report.add(f"required column {column!r} is missing (header: {', '.join(header) or 'empty'})",
                           file=path.name, row=1, column=column)
            if missing:
                return []
            reader.fieldnames = header
            return [(reader.line_num, {k: (v or "").strip() for k, v in row.items() if k}) for row in reader]
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        report.add(f"cannot read file: {exc}", file=path.name)
        return []


def _number(text: str, report: ValidationReport, *, file: str, row: int, column: str,
            required: bool = False, integer: bool = False) -> Any:
    """Parse a number cell; record an error when it is not numeric (or empty but required)."""
    if text == "":
        if required:
            report.add("value is required", file=file, row=row, column=column)
        return None
    try:
        number = float(text)
    except ValueError:
        report.add("not a number", file=file, row=row, column=column, value=text)
        return None
    if not math.isfinite(number) or (integer and not number.is_integer()):
        report.add("not a finite " + ("whole number" if integer else "number"), file=file, row=row, column=column,
                   value=text)
        return None
    return int(number) if integer else number


IND_NAMES = ("indicator", "goal", "label", "upper_bound", "lower_bound", "green", "red", "in_index", "applies_to",
             "trend_from", "trend_to")
UNIT_NAMES = ("unit", "name", "group", "tags", "parent", "population")


def indicator_columns(rows: list[tuple[int, dict[str, str]]], file: str, report: ValidationReport) -> dict[str, list]:
    """Validate indicator-spec rows and return them as column lists (``INDICATOR_SCHEMA`` + target, target_year)."""
    out: dict[str, list] = {name: [] for name in [*IND_NAMES, "target", "target_year"]}
    seen: dict[str, int] = {}
    for line, row in rows:
        where = {"file": file, "row": line}
        code = row.get("indicator", "")
        if not code:
            report.add("indicator code is empty", column="indicator", **where)
        elif code in seen:
            report.add(f"indicator {code!r} is listed twice (first on row {seen[code]})", column="indicator", **where)
        seen.setdefault(code, line)
        goal = _number(row.get("goal", ""), report, column="goal", required=True, integer=True, **where)
        if goal is not None and not 1 <= goal <= 17:
            report.add("goal must be between 1 and 17", column="goal", value=row["goal"], **where)
        ub = _number(row.get("upper_bound", ""), report, column="upper_bound", **where)
        lb = _number(row.get("lower_bound", ""), report, column="lower_bound", **where)
        if ub is not None and lb is not None and ub == lb:
            report.add("upper_bound equals lower_bound (normalisation would divide by zero)", column="upper_bound",
                       value=row["upper_bound"], **where)
        green = _number(row.get("green", ""), report, column="green", required=True, **where)
        red = _number(row.get("red", ""), report, column="red", required=True, **where)
        if ub is None and lb is None and green is not None and red is not None and green == red:
            report.add("no bounds and green == red: the good direction cannot be derived", column="upper_bound", **where)
        flag = row.get("in_index", "").lower()
        if flag not in _YES:
            report.add("in_index must be yes or no", column="in_index", value=row.get("in_index"), **where)
        t0 = _number(row.get("trend_from", ""), report, column="trend_from", integer=True, **where)
        t1 = _number(row.get("trend_to", ""), report, column="trend_to", integer=True, **where)
        if (t0 is None) != (t1 is None) and (row.get("trend_from") or row.get("trend_to")):
            report.add("trend_from and trend_to must both be given or both be empty", column="trend_from", **where)
        elif t0 is not None and t1 is not None and t1 <= t0:
            report.add("trend_to must be later than trend_from", column="trend_to", value=row.get("trend_to"), **where)
        applies = row.get("applies_to", "")
        if applies and any(t.strip() in ("", "!") for t in applies.split("|")):
            report.add("applies_to has an empty tag", column="applies_to", value=applies, **where)
        target = _number(row.get("target", ""), report, column="target", **where)
        target_year = _number(row.get("target_year", ""), report, column="target_year", integer=True, **where)
        for name, value in (("indicator", code), ("goal", goal), ("label", row.get("label", "")), ("upper_bound", ub),
                            ("lower_bound", lb), ("green", green), ("red", red), ("in_index", _YES.get(flag, True)),
                            ("applies_to", applies), ("trend_from", t0 if t1 is not None else None),
                            ("trend_to", t1 if t0 is not None else None), ("target", target),
                            ("target_year", target_year)):
            out[name].append(value)
    return out


def parse_indicators(rows: list[tuple[int, dict[str, str]]], file: str, report: ValidationReport) -> Any:
    """Validate indicator-spec rows and return them as an Arrow table (``INDICATOR_SCHEMA`` + targets)."""
    import pyarrow as pa

    from dugnad.analytics.scoring.types import INDICATOR_SCHEMA

    schema = INDICATOR_SCHEMA.append(pa.field("target", pa.float64())).append(pa.field("target_year", pa.int32()))
    return pa.table(indicator_columns(rows, file, report), schema=schema)


def unit_columns(rows: list[tuple[int, dict[str, str]]], file: str, report: ValidationReport) -> dict[str, list]:
    """Validate unit rows (unique codes, known parents without cycles) and return column lists."""
    out: dict[str, list] = {name: [] for name in UNIT_NAMES}
    seen: dict[str, int] = {}
    for line, row in rows:
        code = row.get("unit", "")
        if not code:
            report.add("unit code is empty", file=file, row=line, column="unit")
        elif code in seen:
            report.add(f"unit {code!r} is listed twice (first on row {seen[code]})", file=file, row=line, column="unit")
        seen.setdefault(code, line)
        population = _number(row.get("population", ""), report, file=file, row=line, column="population")
        if population is not None and population < 0:
            report.add("population cannot be negative", file=file, row=line, column="population")
        for name, value in (("unit", code), ("name", row.get("name", "")), ("group", row.get("group", "")),
                            ("tags", row.get("tags", "")), ("parent", row.get("parent", "")), ("population", population)):
            out[name].append(value)
    parents = dict(zip(out["unit"], out["parent"], strict=True))
    for (line, _row), code, parent in zip(rows, out["unit"], out["parent"], strict=True):
        if parent and parent not in parents:
            report.add(f"parent {parent!r} is not a unit in this file", file=file, row=line, column="parent", value=parent)
            continue
        chain, node = {code}, parent
        while node and node in parents:
            if node in chain:
                report.add("parent chain forms a cycle", file=file, row=line, column="parent", value=parent)
                break
            chain.add(node)
            node = parents[node]
    return out


def parse_units(rows: list[tuple[int, dict[str, str]]], file: str, report: ValidationReport) -> Any:
    """Validate unit rows (unique codes, known parents without cycles) and return an Arrow table."""
    import pyarrow as pa

    from dugnad.analytics.scoring.types import UNIT_SCHEMA

    return pa.table(unit_columns(rows, file, report), schema=UNIT_SCHEMA)


def _read_observation_source(path: Path, report: ValidationReport) -> Any:
    """Observation file as an Arrow table with a ``__row`` line number (CSV only).

    A clean file is read with typed columns in one pass; a file whose ``year`` or ``value`` does not parse
    is read again as text so that every bad cell can be located.
    """
    import pyarrow as pa
    import pyarrow.csv as pacsv

    read_options = pacsv.ReadOptions(autogenerate_column_names=False)
    header = _csv_header(path, report)
    if header is None:
        return None
    missing = [c for c in OBS_REQUIRED if c not in header]
    for column in missing:
        report.add(f"required column {column!r} is missing (header: {', '.join(header)})", file=path.name, row=1,
                   column=column)
    if missing:
        return None
    typed = {"unit": pa.string(), "indicator": pa.string(), "year": pa.int32(), "value": pa.float64()}
    for column_types in (typed, dict.fromkeys(OBS_REQUIRED, pa.string())):
        try:
            table = pacsv.read_csv(path, read_options=read_options, convert_options=pacsv.ConvertOptions(
                column_types={raw: column_types[name] for raw, name in header.items() if name in column_types},
                include_columns=[raw for raw, name in header.items() if name in OBS_REQUIRED],
                strings_can_be_null=False, auto_dict_encode=False))
            break
        except pa.ArrowInvalid as exc:
            if column_types is not typed:
                report.add(f"cannot read file: {exc}", file=path.name)
                return None
        except OSError as exc:
            report.add(f"cannot read file: {exc}", file=path.name)
            return None
    table = table.rename_columns([header[n] for n in table.column_names]).select(list(OBS_REQUIRED))
    return table.append_column("__row", pa.array(range(2, table.num_rows + 2), pa.int64()))


def _csv_header(path: Path, report: ValidationReport) -> dict[str, str] | None:
    """The CSV's raw header names mapped to cleaned names (BOM and spaces removed), or None when unreadable."""
    try:
        with open(path, encoding="utf-8", newline="") as fh:
            first = next(csv.reader(fh), None)
    except (OSError, UnicodeDecodeError) as exc:
        report.add(f"cannot read file: {exc}", file=path.name)
        return None
    if not first:
        report.add("file is empty", file=path.name, row=1)
        return None
    return {raw: raw.strip().lstrip("\ufeff") for raw in first}


def check_observations(source: Any, *, file: str, indicators: Any, units: Any,
                       report: ValidationReport, memory_limit: str | None = None) -> Any:
    """Validate observations in DuckDB (types, unknown units/indicators, duplicates) and return the typed source.

    ``source`` is an Arrow table (strings or typed, optional ``__row``) or a Parquet path;
    the result is a typed Arrow table, or the Parquet path unchanged when it is valid.
    """
    con = connect(memory_limit)
    con.register("ind", indicators.select(["indicator"]))
    con.register("units", units.select(["unit"]))
    if isinstance(source, (str, Path)):
        rel = f"read_parquet('{Path(source).as_posix()}', file_row_number = true)"
        con.execute(f"CREATE VIEW src AS SELECT *, file_row_number + 1 AS __row FROM {rel}")
        columns = [r[0] for r in con.execute("DESCRIBE src").fetchall()]
        missing = [c for c in OBS_REQUIRED if c not in columns]
        for column in missing:
            report.add(f"required column {column!r} is missing", file=file, column=column)
        if missing:
            return None
    else:
        con.register("src_raw", source)
        extra = "" if "__row" in source.column_names else ", row_number() OVER () + 1 AS __row"
        con.execute(f"CREATE VIEW src AS SELECT *{extra} FROM src_raw")
    types = dict(con.execute("SELECT column_name, column_type FROM (DESCRIBE src)").fetchall())
    numeric = types.get("year", "").upper() in _INTEGER_TYPES and types.get("value", "").upper() in _FLOAT_TYPES
    kind = "VIEW" if isinstance(source, (str, Path)) else "TEMP TABLE"  # never materialise big Parquet inputs
    if numeric:  # typed input (Parquet/Arrow): no text round trip, the types are already right
        body = ("CAST(year AS VARCHAR) AS year_text, CAST(NULL AS VARCHAR) AS value_text, CAST(year AS INTEGER) AS year, "
                "CAST(value AS DOUBLE) AS value")
    else:
        body = ("CAST(year AS VARCHAR) AS year_text, CAST(value AS VARCHAR) AS value_text, "
                "TRY_CAST(CAST(year AS VARCHAR) AS INTEGER) AS year, "
                "TRY_CAST(NULLIF(trim(CAST(value AS VARCHAR)), '') AS DOUBLE) AS value")
    con.execute(f"""CREATE {kind} typed AS SELECT __row, CAST(unit AS VARCHAR) AS unit,
                    CAST(indicator AS VARCHAR) AS indicator, {body} FROM src""")
    checks = (
        ("year", "year is not a whole number", "year IS NULL", "year_text"),
        ("value", "value is not a finite number",
         "(value IS NULL AND coalesce(trim(value_text), '') <> '') OR (value IS NOT NULL AND NOT isfinite(value))",
         "value_text"),
        ("unit", "unit is not in the units file", "unit IS NULL OR unit NOT IN (SELECT unit FROM units)", "unit"),
        ("indicator", "indicator is not in the indicators file",
         "indicator IS NULL OR indicator NOT IN (SELECT indicator FROM ind)", "indicator"),
    )
    flags = ", ".join(f"count(*) FILTER (WHERE {where})" for _, _, where, _ in checks)
    n_rows, *counts = con.execute(f"SELECT count(*), {flags} FROM typed").fetchone()
    for (column, reason, where, shown), count in zip(checks, counts, strict=True):
        if not count:
            continue
        rows = con.execute(f"SELECT __row, {shown} FROM typed WHERE {where} ORDER BY __row LIMIT {MAX_PROBLEMS_PER_KIND}"
                           ).fetchall()
        for row, value in rows:
            report.add(reason, file=file, row=int(row), column=column, value=None if value is None else str(value))
        if count > len(rows):
            report.add(f"… and {count - len(rows)} more row(s) with this problem", file=file, column=column)
    if n_rows > DUPLICATE_CHECK_MAX_ROWS:
        report.warn(f"duplicate (unit, indicator, year) check skipped for {n_rows:,} rows "
                    f"(done up to {DUPLICATE_CHECK_MAX_ROWS:,}); duplicates would make the status value arbitrary",
                    file=file)
    else:
        dupes = con.execute(f"""
            SELECT unit, indicator, year, list(__row ORDER BY __row) FROM typed WHERE year IS NOT NULL
            GROUP BY unit, indicator, year HAVING count(*) > 1 ORDER BY min(__row) LIMIT {MAX_PROBLEMS_PER_KIND}""").fetchall()
        for unit, indicator, year, lines in dupes:
            report.add(f"duplicate observation for {unit} × {indicator} × {year} (rows {', '.join(map(str, lines[:5]))})",
                       file=file, row=int(lines[1]), column="year")
    if not report.ok:
        return None
    if isinstance(source, (str, Path)):
        return Path(source)
    from dugnad.analytics.scoring.types import OBSERVATION_SCHEMA

    return con.sql("SELECT unit, indicator, year, value FROM typed").to_arrow_table().cast(OBSERVATION_SCHEMA)


def read_inputs(indicators: str | Path, units: str | Path, observations: str | Path, *,
                memory_limit: str | None = None) -> ScoreInputs:
    """Read and validate the three input files (observations: CSV or ``.parquet``); raise InputError on any error."""
    report = ValidationReport(source="dugnad score")
    paths = {"indicators": Path(indicators), "units": Path(units), "observations": Path(observations)}
    for name, path in paths.items():
        if not path.is_file():
            report.add(f"{name} file not found", file=str(path))
    if not report.ok:
        raise InputError(report)
    ind = parse_indicators(_read_small_csv(paths["indicators"], IND_REQUIRED, report), paths["indicators"].name, report)
    unit_table = parse_units(_read_small_csv(paths["units"], UNIT_REQUIRED, report), paths["units"].name, report)
    obs_path = paths["observations"]
    source = obs_path if obs_path.suffix.lower() == ".parquet" else _read_observation_source(obs_path, report)
    if not report.ok or source is None:
        raise InputError(report)
    obs = check_observations(source, file=obs_path.name, indicators=ind, units=unit_table, report=report,
                             memory_limit=memory_limit)
    if not report.ok:
        raise InputError(report)
    sources = {name: {"path": str(path), "sha256": file_sha256(path)} for name, path in paths.items()}
    return ScoreInputs(indicators=ind, units=unit_table, observations=obs, sources=sources,
                       warnings=[str(p) for p in report.warnings])


def build_inputs(*, indicators: Any, units: Any, observations: Any,
                 sources: dict[str, dict[str, str]] | None = None) -> ScoreInputs:
    """Validate Arrow tables that did not come from files (e.g. read from the database) into ScoreInputs."""
    report = ValidationReport(source="score inputs")
    ind_rows = [(i + 2, {k: "" if v is None else str(v) for k, v in row.items()})
                for i, row in enumerate(indicators.to_pylist())]
    for row in ind_rows:
        flag = row[1].get("in_index", "")
        row[1]["in_index"] = {"True": "yes", "False": "no"}.get(flag, flag)
    ind = parse_indicators(ind_rows, "indicators", report)
    unit_rows = [(i + 2, {k: "" if v is None else str(v) for k, v in row.items()}) for i, row in enumerate(units.to_pylist())]
    unit_table = parse_units(unit_rows, "units", report)
    if not report.ok:
        raise InputError(report)
    obs = check_observations(observations, file="observations", indicators=ind, units=unit_table, report=report)
    if not report.ok:
        raise InputError(report)
    return ScoreInputs(indicators=ind, units=unit_table, observations=obs, sources=sources or {},
                       warnings=[str(p) for p in report.warnings])

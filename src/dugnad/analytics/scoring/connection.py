"""DuckDB connections for scoring, capped by ``DUGNAD_DUCKDB_MEMORY`` (default 4GB) and ``DUGNAD_DUCKDB_THREADS``."""

from __future__ import annotations

import os
import tempfile

import duckdb

DEFAULT_MEMORY_LIMIT = "4GB"


def memory_limit_setting(explicit: str | None = None) -> str:
    """The memory cap to use: the explicit value, else env ``DUGNAD_DUCKDB_MEMORY``, else 4GB."""
    return explicit or os.environ.get("DUGNAD_DUCKDB_MEMORY") or DEFAULT_MEMORY_LIMIT


def threads_setting(explicit: int | None = None) -> int | None:
    """The thread count to use: explicit, else env ``DUGNAD_DUCKDB_THREADS``, else None (DuckDB's default)."""
    if explicit:
        return explicit
    raw = os.environ.get("DUGNAD_DUCKDB_THREADS", "").strip()
    return int(raw) if raw.isdigit() and int(raw) > 0 else None


def connect(memory_limit: str | None = None, threads: int | None = None) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection with the memory cap, thread count and a private spill directory."""
    con = duckdb.connect(":memory:")
    con.execute(f"SET memory_limit = '{memory_limit_setting(memory_limit)}'")
    n = threads_setting(threads)
    if n:
        con.execute(f"SET threads = {n}")
    spill = os.path.join(tempfile.gettempdir(), f"dugnad-duckdb-{os.getpid()}")
    con.execute(f"SET temp_directory = '{spill}'")
    con.execute("SET preserve_insertion_order = false")
    return con

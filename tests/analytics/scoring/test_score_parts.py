"""The pass over the observations in parts (unit ranges): the same summary, results and errors as in one part."""

from __future__ import annotations

import duckdb
import pytest
from score_files import INDICATORS, OBSERVATIONS, UNITS, write_inputs

from dugnad.analytics.report import InputError
from dugnad.analytics.scoring import score_files, summary
from dugnad.analytics.scoring.connection import connect
from dugnad.analytics.scoring.engine import load_tables

#: 12 units (A…L) so that one indicator per part gives several parts; codes sort as the ranges cut them.
MANY_UNITS = [[code, f"Unit {code}", "north" if n % 2 else "south", "coastal" if n % 3 else "", "", 1000 + n]
              for n, code in enumerate("ABCDEFGHIJKL")]
MANY_OBS = [[code, ind, year, (n * 7 + year * 3 + k) % 100]
            for n, code in enumerate("ABCDEFGHIJKL") for k, ind in enumerate(("i1", "i2", "i3"))
            for year in range(2013, 2023) if (n + year + k) % 5]


def _parquet(paths: dict, directory) -> dict:
    """The same inputs with the observations as a Parquet file (CSV sources are never split)."""
    target = directory / "OBS.parquet"
    duckdb.sql(f"COPY (SELECT * FROM read_csv('{paths['observations']}', all_varchar = true) ) "
               f"TO '{target}' (FORMAT parquet)")
    return {**paths, "observations": target}


def _summary(paths, groups_per_pass):
    con = connect()
    ind = duckdb.sql(f"SELECT * FROM read_csv('{paths['indicators']}')").to_arrow_table()
    units = duckdb.sql(f"SELECT * FROM read_csv('{paths['units']}', all_varchar = true)").to_arrow_table()
    load_tables(con, ind, units)
    source = (f"(SELECT unit, indicator, CAST(year AS INTEGER) AS year, TRY_CAST(value AS DOUBLE) AS value "
              f"FROM read_parquet('{paths['observations']}'))")
    parts = summary.unit_parts(con, groups_per_pass)
    counts = summary.summarise(con, source, None, groups_per_pass=groups_per_pass)
    rows = con.execute("SELECT * FROM obs_summary ORDER BY ALL").fetchall()
    con.close()
    return parts, counts, rows


def test_units_are_cut_into_ranges_and_every_row_lands_in_one_part(tmp_path):
    paths = _parquet(write_inputs(tmp_path / "in", INDICATORS, MANY_UNITS, MANY_OBS), tmp_path)
    one_parts, one_counts, one_rows = _summary(paths, 10_000)
    parts, counts, rows = _summary(paths, 3 * 4)  # 3 indicators: 4 units a part → A–D, E–H, I–L
    assert one_parts == ["true"]
    assert len(parts) == 3 and "'E'" in parts[0] and "'E'" in parts[1] and "'I'" in parts[1] and "'I'" in parts[2]
    assert counts == one_counts and counts.rows == len(MANY_OBS)
    assert rows == one_rows


def test_bad_rows_are_counted_the_same_in_parts(tmp_path):
    bad = [*MANY_OBS, ["0", "i1", 2020, 5], ["EE", "i1", 2020, 5], ["ZZ", "i2", 2020, 5], ["", "i1", 2020, 5],
           ["B", "i1", 2013, 99], ["B", "i1", 2013, 98]]
    paths = _parquet(write_inputs(tmp_path / "in", INDICATORS, MANY_UNITS, bad), tmp_path)
    _, one_counts, one_rows = _summary(paths, 10_000)
    parts, counts, rows = _summary(paths, 3 * 4)
    assert len(parts) == 3
    assert counts == one_counts
    assert counts.unknown_keys == 4 and counts.duplicate_groups >= 1
    # unknown codes may fall in several parts (a NULL-keyed group each); every known pair is summarised the same
    assert [r for r in rows if r[0] is not None] == [r for r in one_rows if r[0] is not None]


@pytest.mark.parametrize("per_pass", [2, 3 * 5, 10_000])
def test_score_files_on_parquet_gives_the_same_files_in_any_number_of_parts(tmp_path, monkeypatch, per_pass):
    paths = _parquet(write_inputs(tmp_path / "in", INDICATORS, MANY_UNITS, MANY_OBS), tmp_path)
    reference = score_files(*paths.values(), tmp_path / "one").target
    monkeypatch.setattr(summary, "GROUPS_PER_PASS", per_pass)
    split = score_files(*paths.values(), tmp_path / "parts").target
    for name in ("indicator_scores.csv", "goal_scores.csv", "index.csv", "group_goal_scores.csv"):
        assert (split / name).read_text() == (reference / name).read_text()


def test_a_duplicate_in_a_later_part_still_fails_the_run(tmp_path, monkeypatch):
    monkeypatch.setattr(summary, "GROUPS_PER_PASS", 3)
    paths = _parquet(write_inputs(tmp_path / "in", INDICATORS, UNITS, [*OBSERVATIONS, ["C", "i1", 2020, 56]]), tmp_path)
    with pytest.raises(InputError, match="C × i1 × 2020"):
        score_files(*paths.values(), tmp_path / "out")


def test_unit_codes_with_quotes_are_cut_with_the_one_shared_sql_quoting(tmp_path):
    from dugnad.analytics.scoring import engine, files, outputs, sql

    assert summary.sql_text is engine.sql_text is files.sql_text is outputs.sql_text is sql.sql_text  # no copies
    assert sql.sql_text("O'Brien's") == "O''Brien''s"
    units = [[f"{row[0]}'s", *row[1:]] for row in MANY_UNITS]
    obs = [[f"{row[0]}'s", *row[1:]] for row in MANY_OBS]
    paths = _parquet(write_inputs(tmp_path / "in", INDICATORS, units, obs), tmp_path)
    _, one_counts, one_rows = _summary(paths, 10_000)
    parts, counts, rows = _summary(paths, 3 * 4)
    assert len(parts) == 3 and "'E''s'" in parts[0] and "'I''s'" in parts[2]
    assert counts == one_counts and counts.rows == len(MANY_OBS)
    assert rows == one_rows

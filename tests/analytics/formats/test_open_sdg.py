"""Open SDG: the writer follows sdg-build's default reading, the reader takes what Open SDG data repositories hold.

The fixtures in ``open_sdg_fixtures/`` are small files written for these tests in the shapes of real Open SDG
data repositories: a single indicator file without GeoCode, a repository with ``Region``/``GeoCode`` and
``meta/*.md`` front matter, ``Series``/``Units``/``COMMENT_OBS`` columns and whitespace problems.
"""

from __future__ import annotations

import csv
import os
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.analytics.formats.sample_tables import mixed_table, sorted_rows
from typer.testing import CliRunner

from dugnad.analytics.formats import detect_format, read_table, write_table
from dugnad.analytics.report import InputError
from dugnad.cli.main import app

FIXTURES = Path(__file__).parent / "open_sdg_fixtures"


def csv_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def front_matter(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n")
    return yaml.safe_load(text.split("---\n")[1])


# --- reader ------------------------------------------------------------------------------------------------


def test_single_file_without_geocode_is_read_as_the_country():
    path = FIXTURES / "single" / "indicator_1-1-1.csv"
    assert detect_format(path) == "open-sdg"
    result = read_table(path, format="open-sdg")
    assert result.report.problems == []
    assert result.table.to_pylist() == [
        {"unit": "0", "indicator": "1.1.1", "period": "2015", "Sex": None, "value": 10.5, "status": "ok"},
        {"unit": "0", "indicator": "1.1.1", "period": "2015", "Sex": "Female", "value": 11.0, "status": "ok"},
        {"unit": "0", "indicator": "1.1.1", "period": "2015", "Sex": "Male", "value": 10.0, "status": "ok"},
        {"unit": "0", "indicator": "1.1.1", "period": "2016", "Sex": None, "value": 12.0, "status": "ok"},
    ]


def test_the_country_code_is_configurable():
    table = read_table(FIXTURES / "single" / "indicator_1-1-1.csv", format="open-sdg", national_unit="NO").table
    assert set(table.column("unit").to_pylist()) == {"NO"}


def test_convert_cli_reads_a_single_open_sdg_file(tmp_path):
    shutil.copy(FIXTURES / "single" / "indicator_1-1-1.csv", tmp_path / "indicator_1-1-1.csv")
    result = CliRunner().invoke(app, ["convert", str(tmp_path / "indicator_1-1-1.csv"), "--from", "open-sdg",
                                      "--to", "csv", "--out", str(tmp_path / "x.csv")])
    assert result.exit_code == 0, result.output
    lines = (tmp_path / "x.csv").read_text(encoding="utf-8").splitlines()
    assert lines[:2] == ["unit,indicator,period,Sex,value,status", "0,1.1.1,2015,,10.5,ok"]


def test_repository_region_and_geocode_give_units_with_leading_zeros():
    result = read_table(FIXTURES / "repository")
    assert result.report.problems[0].reason.startswith("column COMMENT_OBS")  # from indicator_1-1-1.csv
    rows = [r for r in result.table.to_pylist() if r["indicator"] == "3.2.1"]
    # Region names the GeoCode's unit: it is not a disaggregation; the empty GeoCode is the country.
    assert [(r["unit"], r["period"], r["value"]) for r in rows] == [
        ("0", "2020", 5.0), ("0301", "2020", 4.2), ("0", "2021", 5.5), ("0301", "2021", 4.4), ("30", "2021", 6.0)]
    assert "Region" not in result.table.column_names


def test_series_units_and_comment_obs_are_not_dimensions():
    result = read_table(FIXTURES / "repository")
    rows = [r for r in result.table.to_pylist() if r["indicator"] != "3.2.1"]
    # Series is the SDG series code: rows that have one take it as their indicator code (as SDMX SERIES);
    # Units is the unit of measure (unit_measure, as SDMX UNIT_MEASURE); COMMENT_OBS is a note, reported.
    assert [(r["indicator"], r["unit_measure"], r["Sex"], r["value"]) for r in rows] == [
        ("SI_POV_DAY1", "Percent", None, 9.1), ("SI_POV_DAY1", "Number", None, 410000.0),
        ("SI_POV_DAY1", "Percent", "Female", 9.4), ("1.1.1", "Percent", None, 8.8)]
    assert result.table.column_names == ["unit", "indicator", "period", "unit_measure", "Sex", "value", "status"]
    [warning] = result.report.warnings
    assert warning.file.endswith("indicator_1-1-1.csv") and warning.column == "COMMENT_OBS"
    assert "1 row(s)" in warning.reason


def test_indicator_number_comes_from_the_front_matter(tmp_path):
    shutil.copytree(FIXTURES / "repository", tmp_path / "site")
    meta = tmp_path / "site" / "meta" / "3-2-1.md"
    meta.write_text(meta.read_text(encoding="utf-8").replace("3.2.1", "3.2.1.a"), encoding="utf-8")
    table = read_table(tmp_path / "site").table
    assert "3.2.1.a" in table.column("indicator").to_pylist()
    # A single data file finds the metadata of its repository too.
    single = read_table(tmp_path / "site" / "data" / "indicator_3-2-1.csv", format="open-sdg").table
    assert set(single.column("indicator").to_pylist()) == {"3.2.1.a"}


def test_whitespace_is_reported_with_file_row_and_column():
    path = FIXTURES / "problems" / "indicator_5-1-1.csv"
    result = read_table(path, format="open-sdg")
    assert [(w.file, w.row, w.column, w.value) for w in result.report.warnings] == [
        (str(path), 1, "Sex", "' Sex'"), (str(path), 2, "Sex", "' Female'"), (str(path), 3, "Sex", "'Male '")]
    assert all("whitespace" in w.reason for w in result.report.warnings)
    assert result.table.column("Sex").to_pylist() == ["Female", "Male"]


def test_bad_cells_are_errors_located_in_their_file(tmp_path):
    data = tmp_path / "site" / "data"
    data.mkdir(parents=True)
    (data / "indicator_3-2-1.csv").write_text(
        "Year,GeoCode,Observation status,Value\n2020,,,5\n2020,0301,,x\n2021,0301,kanskje,1\n,0301,,2\n",
        encoding="utf-8")
    (data / "indicator_1-1-1.csv").write_text("Year,Valu\n2020,1\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_table(tmp_path / "site")
    located = [(Path(p.file).name, p.row, p.column) for p in caught.value.report.errors]
    assert located == [("indicator_1-1-1.csv", 1, None), ("indicator_3-2-1.csv", 3, "Value"),
                       ("indicator_3-2-1.csv", 4, "Observation status"), ("indicator_3-2-1.csv", 5, "Year")]


def test_bytes_need_the_indicator_option():
    data = b"Year,Value\n2020,1\n"
    with pytest.raises(InputError) as caught:
        read_table(data, format="open-sdg")
    assert "indicator=" in caught.value.report.errors[0].reason
    table = read_table(data, format="open-sdg", indicator="1.1.1").table
    assert table.to_pylist() == [{"unit": "0", "indicator": "1.1.1", "period": "2020", "value": 1.0, "status": "ok"}]


def test_dugnads_earlier_status_columns_are_still_read(tmp_path):
    path = tmp_path / "indicator_1-1-1.csv"
    path.write_text("Year,GeoCode,Value,OBS_STATUS,CONF_STATUS\n2020,0,1,P,\n2021,0301,,O,C\n2022,0301,,M,\n",
                    encoding="utf-8")
    table = read_table(path, format="open-sdg").table
    assert [(r["unit"], r["status"]) for r in table.to_pylist()] == [
        ("0", "provisional"), ("0301", "confidential"), ("0301", "not_applicable")]


# --- writer ------------------------------------------------------------------------------------------------


def test_writer_has_a_headline_row_and_value_last(tmp_path):
    write_table(mixed_table(), tmp_path / "site", format="open-sdg", names={"1.1.1": "Andel under fattigdomsgrensen"},
                source="SSB")
    assert sorted(p.name for p in (tmp_path / "site" / "data").iterdir()) == ["indicator_1-1-1.csv", "indicator_3-2-1.csv"]
    rows = csv_rows(tmp_path / "site" / "data" / "indicator_1-1-1.csv")
    assert rows[0] == ["Year", "Region", "sex", "age", "GeoCode", "Observation status", "Value"]
    # The national unit (0) has an empty GeoCode and Region; the other units are named in Region.
    assert rows[1:3] == [["2020", "", "F", "0-17", "", "", "12.5"], ["2020", "", "M", "0-17", "", "", "13.25"]]
    assert ["2021", "0301", "F", "0-17", "0301", "confidential", ""] in rows
    for path in (tmp_path / "site" / "data").iterdir():
        header = csv_rows(path)[0]
        assert header[0] == "Year" and header[-1] == "Value"
        assert not {"OBS_STATUS", "CONF_STATUS"} & set(header)


def test_writer_metadata_in_both_forms_names_the_status_attribute(tmp_path):
    write_table(mixed_table(), tmp_path / "site", format="open-sdg", names={"1.1.1": "Andel under fattigdomsgrensen"},
                source="SSB")
    meta = front_matter(tmp_path / "site" / "meta" / "1-1-1.md")
    assert meta == yaml.safe_load((tmp_path / "site" / "meta" / "1-1-1.yml").read_text(encoding="utf-8"))
    assert meta["indicator_number"] == "1.1.1"
    assert meta["indicator_name"] == "Andel under fattigdomsgrensen"
    assert meta["graph_type"] == "line" and meta["data_non_statistical"] is False
    assert meta["source_organisation_1"] == "SSB"
    assert meta["observation_attributes"] == [{"field": "Observation status", "label": "Observation status"}]


def test_writer_options_leave_out_statuses_and_choose_one_metadata_form(tmp_path):
    write_table(mixed_table(), tmp_path / "site", format="open-sdg", statuses="omit", meta="md",
                unit_names={"0301": "Oslo"})
    rows = csv_rows(tmp_path / "site" / "data" / "indicator_1-1-1.csv")
    assert rows[0] == ["Year", "Region", "sex", "age", "GeoCode", "Value"]
    assert ["2021", "Oslo", "F", "0-17", "0301", ""] in rows
    assert sorted(p.name for p in (tmp_path / "site" / "meta").iterdir()) == ["1-1-1.md", "3-2-1.md"]
    assert "observation_attributes" not in front_matter(tmp_path / "site" / "meta" / "1-1-1.md")
    # Read back, a value without status is missing and everything else ok.
    statuses = {r["status"] for r in read_table(tmp_path / "site").table.to_pylist()}
    assert statuses == {"ok", "missing"}


def test_only_national_data_has_neither_region_nor_status_columns(tmp_path):
    table = read_table(b"unit,indicator,year,value\n0,1.1.1,2020,1\n", format="csv").table
    write_table(table, tmp_path / "site", format="open-sdg")
    assert csv_rows(tmp_path / "site" / "data" / "indicator_1-1-1.csv") == [["Year", "GeoCode", "Value"],
                                                                             ["2020", "", "1"]]


@pytest.mark.parametrize("column", ["Region", "Units", "Series", "COMMENT_OBS", "Observation status"])
def test_writer_refuses_dimensions_named_like_open_sdg_columns(tmp_path, column):
    table = read_table(f"unit,indicator,year,{column},value\n0,1.1.1,2020,a,1\n".encode(), format="csv").table
    with pytest.raises(InputError) as caught:
        write_table(table, tmp_path / "site", format="open-sdg")
    assert column in caught.value.report.errors[0].reason
    assert not (tmp_path / "site").exists()


# --- round trips -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("meta", ["both", "md", "yml"])
def test_round_trip_keeps_every_value_and_status(tmp_path, meta):
    table = mixed_table()
    write_table(table, tmp_path / "site", format="open-sdg", meta=meta)
    back = read_table(tmp_path / "site")
    assert back.report.problems == []
    assert back.table.schema == table.schema
    assert sorted_rows(back.table) == sorted_rows(table)


def test_round_trip_of_units_of_measure(tmp_path):
    table = read_table(b"unit,indicator,year,unit_measure,value\n0,1.1.1,2020,Percent,1\n0,1.1.1,2020,Number,90\n"
                       b"0301,1.1.1,2020,Percent,2\n", format="csv").table
    write_table(table, tmp_path / "site", format="open-sdg")
    assert csv_rows(tmp_path / "site" / "data" / "indicator_1-1-1.csv")[0] == ["Year", "Units", "Region", "GeoCode",
                                                                               "Value"]
    assert sorted_rows(read_table(tmp_path / "site").table) == sorted_rows(table)


def test_round_trip_of_the_repository_fixture(tmp_path):
    first = read_table(FIXTURES / "repository").table
    write_table(first, tmp_path / "site", format="open-sdg")
    assert sorted_rows(read_table(tmp_path / "site").table) == sorted_rows(first)


def test_the_same_series_observation_in_two_files_is_an_error(tmp_path):
    data = tmp_path / "site" / "data"
    data.mkdir(parents=True)
    for slug in ("1-1-1", "1-1-2"):
        (data / f"indicator_{slug}.csv").write_text("Year,Series,Value\n2020,SI_POV_DAY1,1\n2021,,2\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_table(tmp_path / "site")
    [error] = caught.value.report.errors
    assert Path(error.file).name == "indicator_1-1-2.csv" and "also in indicator_1-1-1.csv" in error.reason
    assert "indicator=SI_POV_DAY1" in error.reason


def test_detection_tells_open_sdg_files_from_tidy_csv(tmp_path):
    (tmp_path / "a.csv").write_text("Year,Unit,Indicator,Value\n2020,0,1.1.1,1\n", encoding="utf-8")
    (tmp_path / "indicator_1-1-1.csv").write_text("Year,GeoCode,Value\n2020,0301,1\n", encoding="utf-8")
    assert detect_format(tmp_path / "a.csv") == "csv"
    assert detect_format(tmp_path / "indicator_1-1-1.csv") == "open-sdg"
    assert detect_format(tmp_path) == "open-sdg"


# sdg-build's default indicator options (open_sdg_indicator_options_defaults in sdg-build 2.3.0).
SDG_BUILD_NON_DISAGGREGATION = ["Year", "Units", "Series", "Value", "GeoCode", "Observation status", "Unit multiplier",
                                "Unit measure", "UNIT_MEASURE", "SERIES", "COMMENT_TS", "DATA_LAST_UPDATE"]


def test_pandas_reads_our_output_as_sdg_build_does(tmp_path):
    import pandas as pd

    write_table(mixed_table(), tmp_path / "site", format="open-sdg")
    path = tmp_path / "site" / "data" / "indicator_3-2-1.csv"
    # sdg-build's default input is pd.read_csv without column types: codes become numbers.
    plain = pd.read_csv(path)
    assert plain.columns[0] == "Year" and plain.columns[-1] == "Value"
    assert plain["Value"].dtype == "float64"
    assert 3.0 in plain["GeoCode"].tolist()
    # With the documented dtype the codes keep their leading zeros.
    typed = pd.read_csv(path, dtype={"GeoCode": str, "Region": str})
    assert set(typed["GeoCode"].dropna()) == {"03", "46", "4601"}
    # The headline: rows whose disaggregation columns (all but the non-disaggregation ones) are all empty.
    disaggregations = typed.drop(columns=[c for c in SDG_BUILD_NON_DISAGGREGATION if c in typed.columns])
    assert list(disaggregations.columns) == ["Region", "sex", "age"]
    headline = typed[disaggregations.isnull().all(axis=1)]
    assert headline.empty  # 3.2.1 has no national row; 4601's row without sex and age has its Region
    write_table(read_table(b"unit,indicator,year,sex,value\n0,3.2.1,2020,,5\n0,3.2.1,2020,F,4\n0301,3.2.1,2020,,3\n",
                           format="csv").table, tmp_path / "other", format="open-sdg")
    typed = pd.read_csv(tmp_path / "other" / "data" / "indicator_3-2-1.csv", dtype={"GeoCode": str, "Region": str})
    disaggregations = typed.drop(columns=[c for c in SDG_BUILD_NON_DISAGGREGATION if c in typed.columns])
    headline = typed[disaggregations.isnull().all(axis=1)]
    assert headline[["Year", "Value"]].values.tolist() == [[2020, 5.0]]
    assert headline["GeoCode"].isnull().all()


def test_unnamed_sdg_indicators_leave_the_title_to_open_sdg(tmp_path):
    table = read_table(b"unit,indicator,year,value\n0,1.1.1,2020,1\n0,KOSandel,2020,2\n", format="csv").table
    write_table(table, tmp_path / "site", format="open-sdg")
    sdg = front_matter(tmp_path / "site" / "meta" / "1-1-1.md")
    assert "indicator_name" not in sdg and "graph_title" not in sdg  # Open SDG's global title is used
    own = front_matter(tmp_path / "site" / "meta" / "KOSandel.md")
    assert own["indicator_name"] == own["graph_title"] == "KOSandel"


def test_confidential_values_can_be_blanked(tmp_path):
    write_table(mixed_table(), tmp_path / "keep", format="open-sdg")
    write_table(mixed_table(), tmp_path / "blank", format="open-sdg", confidential="blank")
    kept = csv_rows(tmp_path / "keep" / "data" / "indicator_1-1-1.csv")
    blanked = csv_rows(tmp_path / "blank" / "data" / "indicator_1-1-1.csv")
    assert ["2022", "0301", "M", "18+", "0301", "confidential", "7"] in kept
    assert ["2022", "0301", "M", "18+", "0301", "confidential", ""] in blanked
    assert [r for r in kept if "confidential" not in r] == [r for r in blanked if "confidential" not in r]
    with pytest.raises(InputError):
        write_table(mixed_table(), tmp_path / "bad", format="open-sdg", confidential="hide")


_CELLS = st.sampled_from(["", " ", "2020", "2020K1", "0301", " 03", "1.5", "x", "provisional", "P", "C", "Female ",
                          '"a,b"', "1e400", "nan"])
_NAMES = st.sampled_from(["Year", "Value", "GeoCode", "Region", "Units", "Series", "COMMENT_OBS", "Observation status",
                          "OBS_STATUS", "CONF_STATUS", "Sex", " Sex", "unit_measure", "", "Year"])


@pytest.mark.slow
@settings(max_examples=int(os.environ.get("DUGNAD_FUZZ_EXAMPLES", "60")), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(header=st.lists(_NAMES, min_size=1, max_size=6), rows=st.lists(st.lists(_CELLS, max_size=7), max_size=6))
def test_any_open_sdg_shaped_file_reads_or_fails_with_located_errors(tmp_path, header, rows):
    path = tmp_path / "indicator_1-1-1.csv"
    path.write_text("\n".join(",".join(r) for r in [header, *rows]) + "\n", encoding="utf-8")
    try:
        result = read_table(path, format="open-sdg")
    except InputError as exc:
        assert exc.report.errors and all(p.file == str(path) and p.reason for p in exc.report.errors)
    else:
        assert result.table.column_names[:3] == ["unit", "indicator", "period"]


def test_a_unit_measure_column_clashes_only_with_units(tmp_path):
    path = tmp_path / "indicator_1-1-1.csv"
    path.write_text("Year,unit_measure,Value\n2020,Percent,1\n", encoding="utf-8")
    assert read_table(path, format="open-sdg").table.column("unit_measure").to_pylist() == ["Percent"]
    path.write_text("Year,Units,unit_measure,Value\n2020,Percent,Percent,1\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_table(path, format="open-sdg")
    assert [(p.row, p.column) for p in caught.value.report.errors] == [(1, "unit_measure")]

"""SSB StatBank CSV downloads: the real 07459 files (tab and semicolon, Latin-1) and every StatBank form."""

from __future__ import annotations

import pyarrow.compute as pc
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.conftest import shared_path

from dugnad.analytics.formats import detect_format, read_table
from dugnad.analytics.formats.statbank_csv import statbank_title
from dugnad.analytics.report import InputError

NORWEGIAN = (
    '"07459: Befolkning, etter region, alder, statistikkvariabel og år"\n'
    "\n"
    '"region";"alder";"Personer 2023";"Personer 2024"\n'
    '"0 Hele landet";"0 år";51980;54193\n'
    '"K-3101 Halden";"0 år";..;253\n'
    '"K-3101 Halden";"1 år";:;-\n'
    '"F-31 Østfold";"0 år";2822;2903\n'
).encode("latin-1")


def read_statbank(data: bytes, **options):
    return read_table(data, format="statbank-csv", **options)


def errors_of(data: bytes, **options) -> list:
    with pytest.raises(InputError) as caught:
        read_statbank(data, **options)
    return caught.value.report.errors


def test_the_real_2020_download_is_read_tab_separated_without_a_title_line():
    path = shared_path("no/fhidata/Personer2020.csv")
    result = read_table(path)
    table = result.table
    assert detect_format(path) == "statbank-csv"
    assert table.column_names == ["unit", "indicator", "period", "age", "value", "status"]
    assert table.num_rows == 38_054  # (356 municipalities + 3 other regions) × 106 ages
    assert table.slice(0, 1).to_pylist() == [
        {"unit": "3001", "indicator": "Persons", "period": "2020", "age": "0 years", "value": 256.0, "status": "ok"}
    ]
    oslo = table.filter(pc.equal(table["unit"], "0301"))
    assert pc.sum(oslo["value"]).as_py() == 693_494
    assert pc.sum(table["value"]).as_py() == 5_367_580  # Norway on 1 January 2020
    assert "K-21-22, K-Rest" in result.report.as_text()  # kept, with one warning


def test_the_real_2021_download_has_a_title_line_and_semicolons():
    path = shared_path("no/fhidata/Personer2021.csv")
    assert statbank_title(path.read_bytes()).table == "07459"
    table = read_table(path).table
    assert set(table["period"].to_pylist()) == {"2021"}
    gulen = table.filter(pc.equal(table["unit"], "4635"))
    assert pc.sum(gulen["value"]).as_py() == 2_272
    # Latin-1 letters come through: Indre Østfold is 3014.
    assert "3014" in set(table["unit"].to_pylist())


def test_a_norwegian_download_with_symbols_and_two_years():
    table = read_statbank(NORWEGIAN).table
    rows = {(r["unit"], r["alder"], r["period"]): (r["value"], r["status"]) for r in table.to_pylist()}
    assert rows[("0", "0 år", "2024")] == (54193.0, "ok")
    assert rows[("3101", "0 år", "2023")] == (None, "missing")
    assert rows[("3101", "1 år", "2023")] == (None, "confidential")
    assert rows[("3101", "1 år", "2024")] == (0.0, "ok")  # "-" is SSB's nil
    assert rows[("31", "0 år", "2023")] == (2822.0, "ok")
    assert set(table["indicator"].to_pylist()) == {"Personer"}
    assert statbank_title(NORWEGIAN).title == "Befolkning, etter region, alder, statistikkvariabel og år"


def test_utf8_with_bom_decimal_commas_and_an_indicator_option():
    data = '\ufeff"region";"Andel 2022"\n"0301 Oslo";12,5\n"4601 Bergen";7\n'.encode()
    table = read_statbank(data, indicator="andel_lavinntekt").table
    assert table.to_pylist() == [
        {"unit": "0301", "indicator": "andel_lavinntekt", "period": "2022", "value": 12.5, "status": "ok"},
        {"unit": "4601", "indicator": "andel_lavinntekt", "period": "2022", "value": 7.0, "status": "ok"},
    ]


def test_detection_tells_a_statbank_download_from_a_tidy_csv(tmp_path):
    statbank = tmp_path / "befolkning.csv"
    statbank.write_bytes(NORWEGIAN)
    tidy = tmp_path / "tidy.csv"
    tidy.write_text("unit,indicator,year,value\n0301,A,2024,1\n", encoding="utf-8")
    headerless_title = tmp_path / "wide.csv"
    headerless_title.write_text('"region";"Personer 2024"\n"0301 Oslo";717710\n', encoding="utf-8")
    assert [detect_format(p) for p in (statbank, tidy, headerless_title)] == ["statbank-csv", "csv", "statbank-csv"]


def test_a_bad_value_is_located_by_row_and_column():
    data = NORWEGIAN.replace(b"2903", b"29O3")
    [problem] = errors_of(data)
    assert (problem.row, problem.column, problem.value) == (7, "Personer 2024", "29O3")


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b'"region";"alder"\n"0301 Oslo";"0 years"\n', "no value column"),
        (b'"alder";"Personer 2024"\n"0 years";1\n', "no region column"),
        (b'"region";"Personer 2024"\n', "no data rows"),
        (b'"region";"Personer 2024"\n"0301 Oslo";1\n"K-0301 Oslo";2\n', "both mean unit '0301'"),
        (b'"region";"Personer 2024"\n"0301 Oslo";1\n"0301 Oslo";2\n', "same region and categories as row 2"),
        (b'"region";"Personer 2024"\n"0301 Oslo";1;2\n', "row has 3 cells"),
        (b'"region";"unit";"Personer 2024"\n"0301 Oslo";"x";1\n', "clashes with a tidy column"),
        (b'"region";"Personer 2024"\n"0301 Oslo";p\n', "not a number"),
    ],
)
def test_broken_downloads_are_refused_with_a_reason(data, reason):
    assert any(reason in p.reason for p in errors_of(data)), [p.reason for p in errors_of(data)]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cut=st.integers(min_value=0, max_value=len(NORWEGIAN)), noise=st.binary(max_size=40))
def test_mangled_downloads_give_a_table_or_a_located_input_error(cut, noise):
    try:
        read_statbank(NORWEGIAN[:cut] + noise)
    except InputError as exc:
        assert exc.report.errors and all(p.file == "<bytes>" and p.reason for p in exc.report.errors)

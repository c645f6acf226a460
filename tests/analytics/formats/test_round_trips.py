"""Round trips CSV → format → CSV keep every value and status, and other tools read our files the same."""

from __future__ import annotations

import io

import pandas as pd
import pytest
import sdmx
from pyjstat import pyjstat
from tests.analytics.formats.sample_tables import mixed_table, sorted_rows
from tests.conftest import shared_path

from dugnad.analytics.formats import read_table, write_table
from dugnad.analytics.formats.sdmx_dsd import build_structure, layout_for

FORMATS = {"csv": "out.csv", "xlsx": "out.xlsx", "jsonstat": "out.json", "sdmx-ml": "out.xml",
           "sdmx-csv": "out.sdmx.csv", "open-sdg": "site", "datapackage": "package"}
READ_OPTIONS = {"jsonstat": {"skip_absent": True}}


@pytest.mark.parametrize("fmt", FORMATS)
def test_csv_to_format_to_csv_keeps_every_value_and_status(tmp_path, fmt):
    table = mixed_table()
    target = tmp_path / FORMATS[fmt]
    write_table(table, target, format=fmt)
    back = read_table(target, **READ_OPTIONS.get(fmt, {}))
    assert back.report.problems == []
    assert back.table.schema == table.schema
    assert sorted_rows(back.table) == sorted_rows(table)
    write_table(back.table, tmp_path / "again.csv", format="csv")
    assert sorted_rows(read_table(tmp_path / "again.csv").table) == sorted_rows(table)


def test_generic_sdmx_ml_round_trips_too(tmp_path):
    table = mixed_table()
    write_table(table, tmp_path / "generic.xml", format="sdmx-ml", flavour="generic")
    assert b"<mes:GenericData" in (tmp_path / "generic.xml").read_bytes()
    assert sorted_rows(read_table(tmp_path / "generic.xml").table) == sorted_rows(table)


def test_real_ssb_response_survives_jsonstat_and_sdmx_round_trips(tmp_path):
    table = read_table(shared_path("no/ssb-pxweb/pxwebpy/07221_v0_response_no.json")).table
    write_table(table, tmp_path / "again.json", format="jsonstat")
    assert read_table(tmp_path / "again.json").table.equals(table)
    write_table(table, tmp_path / "ssb.xml", format="sdmx-ml")
    back = read_table(tmp_path / "ssb.xml").table
    # SDMX ids are upper case and read back lower case: Boligtype → boligtype.
    assert back.rename_columns([c if c != "boligtype" else "Boligtype" for c in back.column_names]).equals(table)


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_pyjstat_reads_our_jsonstat_to_the_same_numbers(tmp_path):
    table = mixed_table()
    write_table(table, tmp_path / "out.json", format="jsonstat")
    frame = pyjstat.Dataset.read((tmp_path / "out.json").read_text(encoding="utf-8")).write("dataframe")
    assert list(frame.columns) == ["Region", "sex", "age", "ContentsCode", "Tid", "value"]
    ours = {(r["unit"], r["sex"] or "", r["age"] or "", r["indicator"], r["period"]): r["value"] for r in table.to_pylist()}
    theirs = {tuple(row[:5]): row[5] for row in frame.itertuples(index=False)}
    for key, value in ours.items():
        if value is None:
            assert pd.isna(theirs[key])
        else:
            assert theirs[key] == pytest.approx(value, rel=1e-12)
    # Cells of the cube that are not in the table are null for pyjstat as well.
    assert all(pd.isna(v) for k, v in theirs.items() if k not in ours)


@pytest.mark.parametrize("fmt", ["sdmx-ml", "sdmx-csv"])
def test_sdmx1_reads_our_sdmx_to_the_same_numbers_and_statuses(tmp_path, fmt):
    table = mixed_table()
    target = tmp_path / ("out.xml" if fmt == "sdmx-ml" else "out.csv")
    write_table(table, target, format=fmt)
    dsd, flow, _, _ = build_structure(layout_for(["sex", "age"]))
    message = sdmx.read_sdmx(target, structure=dsd if fmt == "sdmx-ml" else flow)
    [dataset] = message.data
    seen = {}
    for obs in dataset.obs:
        key = obs.key.get_values()
        attrs = {k: v.value for k, v in obs.attached_attribute.items() if v.value}
        seen[key] = (obs.value, attrs)
    assert len(seen) == table.num_rows
    for row in table.to_pylist():
        key = (row["unit"], row["indicator"], row["sex"] or "_Z", row["age"] or "_Z", row["period"])
        value, attrs = seen[key]
        if row["value"] is None:
            assert value in ("", "NaN")
        else:
            assert float(value) == row["value"]
        assert (attrs.get("CONF_STATUS") == "C") == (row["status"] == "confidential")
        expected = {"ok": "A", "provisional": "P", "missing": "O", "not_applicable": "M"}.get(row["status"])
        if expected:
            assert attrs["OBS_STATUS"] == expected


def test_sdmx_structure_message_is_readable_by_sdmx1():
    from dugnad.analytics.formats.sdmx_dsd import structure_message

    xml = sdmx.to_xml(structure_message(layout_for(["sex", "Boligtype"])))
    message = sdmx.read_sdmx(io.BytesIO(xml))
    dsd = message.structure["DSD_SDG_LOCAL"]
    assert [d.id for d in dsd.dimensions] == ["REF_AREA", "SERIES", "SEX", "AGE", "BOLIGTYPE", "TIME_PERIOD"]
    assert [a.id for a in dsd.attributes] == ["OBS_STATUS", "CONF_STATUS", "UNIT_MEASURE"]
    assert set(message.codelist["CL_OBS_STATUS"].items) == {"A", "O", "M", "P"}

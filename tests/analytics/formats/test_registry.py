"""The format registry: every format registered by name, detection, and all-or-nothing writes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pytest
from tests.analytics.formats.sample_tables import mixed_table

import dugnad
from dugnad.analytics.formats import FORMATS, detect_format, read_table, reader_formats, write_table, writer_formats
from dugnad.analytics.report import InputError


def test_every_built_in_format_registers_its_reader_and_writer_classes():
    names = {name: (spec.reader and spec.reader.__name__, spec.writer and spec.writer.__name__)
             for name, spec in FORMATS.items()}
    assert names == {
        "csv": ("TidyCsvReader", "TidyCsvWriter"),
        "datapackage": ("DataPackageReader", "DataPackageWriter"),
        "jsonstat": ("JsonStatReader", "JsonStatWriter"),
        "open-sdg": ("OpenSdgReader", "OpenSdgWriter"),
        "sdmx-csv": ("SdmxCsvReader", "SdmxCsvWriter"),
        "sdmx-ml": ("SdmxMlReader", "SdmxMlWriter"),
        "statbank-csv": ("StatbankCsvReader", None),
        "xlsx": ("XlsxReader", "XlsxWriter"),
    }
    assert reader_formats() == sorted(names)
    assert writer_formats() == sorted(name for name, (_, writer) in names.items() if writer)


@pytest.mark.parametrize(("fmt", "name"), [("csv", "a.csv"), ("xlsx", "a.xlsx"), ("jsonstat", "a.json"),
                                           ("sdmx-ml", "a.xml"), ("sdmx-csv", "a.csv"), ("open-sdg", "site"),
                                           ("datapackage", "pkg")])
def test_detects_what_it_wrote_by_extension_and_content(tmp_path, fmt, name):
    write_table(mixed_table(), tmp_path / name, format=fmt)
    assert detect_format(tmp_path / name) == fmt


def test_detects_by_content_when_the_extension_says_nothing(tmp_path):
    for fmt in ("jsonstat", "sdmx-ml", "sdmx-csv", "csv", "xlsx"):
        write_table(mixed_table(), tmp_path / "data.bin", format=fmt)
        assert detect_format(tmp_path / "data.bin") == fmt


def test_unknown_content_and_unknown_format_are_input_errors(tmp_path):
    (tmp_path / "notes.bin").write_bytes(b"hello")
    with pytest.raises(InputError, match="cannot tell the format"):
        read_table(tmp_path / "notes.bin")
    with pytest.raises(InputError, match="no reader for format 'parquet'"):
        read_table(tmp_path / "notes.bin", format="parquet")
    with pytest.raises(InputError, match="cannot read the file"):
        read_table(tmp_path / "absent.csv")


def test_writers_refuse_tables_that_break_the_contract_and_leave_nothing(tmp_path):
    broken = pa.table({"unit": ["0301"], "indicator": ["a"], "value": [1.0], "status": ["ok"]})
    with pytest.raises(InputError, match="period"):
        write_table(broken, tmp_path / "out.csv", format="csv")
    bad_status = mixed_table().set_column(6, "status", pa.array(["great"] * 9))
    with pytest.raises(InputError, match="great"):
        write_table(bad_status, tmp_path / "out.csv", format="csv")
    assert list(tmp_path.iterdir()) == []


def test_failed_write_keeps_the_old_file_and_leaves_no_temporary_file(tmp_path, monkeypatch):
    target = tmp_path / "out.csv"
    target.write_text("old", encoding="utf-8")

    def explode(self, table, path, **options):
        path.write_text("half", encoding="utf-8")
        raise OSError("disk full")

    monkeypatch.setattr(FORMATS["csv"].writer, "write", explode)
    with pytest.raises(OSError, match="disk full"):
        write_table(mixed_table(), target, format="csv")
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_directory_writes_replace_the_old_directory_whole(tmp_path):
    write_table(mixed_table(), tmp_path / "site", format="open-sdg")
    (tmp_path / "site" / "stale.txt").write_text("x", encoding="utf-8")
    write_table(mixed_table(), tmp_path / "site", format="open-sdg")
    assert not (tmp_path / "site" / "stale.txt").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_every_format_and_status_is_documented():
    from pathlib import Path

    from dugnad.analytics.types import ObservationStatus

    text = (Path(__file__).resolve().parents[3] / "docs" / "formats.md").read_text(encoding="utf-8")
    assert [name for name in FORMATS if f"`{name}`" not in text] == []
    assert [s.value for s in ObservationStatus if f"`{s.value}`" not in text] == []
    assert [spec.reader.__name__ for spec in FORMATS.values() if spec.reader.__name__ not in text] == []


def test_loading_the_registry_leaves_sdmx1_unimported_until_sdmx_is_read_or_written(tmp_path):
    """sdmx1 is imported on first use (``formats.deferred``): not by every command that loads the registry."""
    code = ("import sys, pyarrow as pa, dugnad.analytics.formats as f; print('sdmx' in sys.modules); "
            "t = pa.table({'unit': ['0301'], 'indicator': ['A'], 'period': ['2024'], 'value': [1.5], 'status': ['ok']}); "
            f"f.write_table(t, {str(tmp_path / 'x.csv')!r}, format='sdmx-csv'); print('sdmx' in sys.modules)")
    env = {**os.environ, "PYTHONPATH": str(Path(dugnad.__file__).resolve().parent.parent)}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert done.stdout.split() == ["False", "True"]
    assert "OBS_VALUE" in (tmp_path / "x.csv").read_text(encoding="utf-8")

"""Fuzzing: malformed input of any kind makes every reader raise InputError with located problems, nothing else."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.analytics.formats.sample_tables import mixed_table

from dugnad.analytics.formats import read_table, write_table
from dugnad.analytics.report import InputError

FILE_FORMATS = {"csv": "x.csv", "xlsx": "x.xlsx", "jsonstat": "x.json", "sdmx-ml": "x.xml", "sdmx-csv": "x.csv"}
#: Examples per fuzz test; raise with DUGNAD_FUZZ_EXAMPLES=1000 for a deeper local run.
EXAMPLES = int(os.environ.get("DUGNAD_FUZZ_EXAMPLES", "60"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
pytestmark = pytest.mark.slow


def valid_bytes() -> dict[str, bytes]:
    """A valid file of every file format, written by our writers."""
    out = {}
    with tempfile.TemporaryDirectory() as folder:
        for fmt, name in FILE_FORMATS.items():
            path = Path(folder) / f"{fmt}-{name}"
            write_table(mixed_table(), path, format=fmt)
            out[fmt] = path.read_bytes()
    return out


VALID = valid_bytes()


def read_or_input_error(data: bytes, fmt: str, **options) -> None:
    """Read ``data``; the only allowed failure is InputError whose errors all name the file."""
    try:
        read_table(data, format=fmt, **options)
    except InputError as exc:
        errors = exc.report.errors
        assert errors, "InputError without an error"
        assert all(p.file == "<bytes>" for p in errors), exc.report.as_text()
        assert all(p.reason for p in errors)


@pytest.mark.parametrize("fmt", FILE_FORMATS)
@FUZZ
@given(data=st.binary(max_size=2000))
def test_random_bytes(fmt, data):
    read_or_input_error(data, fmt)


@pytest.mark.parametrize("fmt", FILE_FORMATS)
@FUZZ
@given(cut=st.floats(min_value=0, max_value=1, exclude_max=True))
def test_truncated_files(fmt, cut):
    data = VALID[fmt]
    read_or_input_error(data[: int(len(data) * cut)], fmt)


@pytest.mark.parametrize("fmt", FILE_FORMATS)
@FUZZ
@given(position=st.floats(min_value=0, max_value=1, exclude_max=True), junk=st.binary(min_size=1, max_size=8))
def test_corrupted_bytes(fmt, position, junk):
    data = VALID[fmt]
    at = int(len(data) * position)
    read_or_input_error(data[:at] + junk + data[at + len(junk):], fmt)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=5), children, max_size=4),
    max_leaves=10,
)


def json_paths(node, prefix=()):
    """Every path (tuple of keys/indices) in a JSON document."""
    yield prefix
    if isinstance(node, dict):
        for key, child in node.items():
            yield from json_paths(child, (*prefix, key))
    elif isinstance(node, list):
        for index, child in enumerate(node[:6]):
            yield from json_paths(child, (*prefix, index))


JSONSTAT_DOC = json.loads(VALID["jsonstat"])
JSONSTAT_PATHS = [p for p in json_paths(JSONSTAT_DOC) if p]


@FUZZ
@given(path=st.sampled_from(JSONSTAT_PATHS), replacement=JSON_VALUES)
def test_jsonstat_with_wrong_types_anywhere(path, replacement):
    document = json.loads(VALID["jsonstat"])
    node = document
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = replacement
    read_or_input_error(json.dumps(document).encode(), "jsonstat")


CSV_NAMES = st.sampled_from(["unit", "indicator", "year", "period", "value", "status", "sex", "", "Unit", "value "])
CELLS = st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=6) | st.sampled_from(
    ["0301", "1,5", "1.5", "..", "nan", "ok", "missing", "1e400", "-", '"', ";"])


@pytest.mark.parametrize("fmt", ["csv", "sdmx-csv"])
@FUZZ
@given(header=st.lists(CSV_NAMES | st.sampled_from(["OBS_VALUE", "REF_AREA", "SERIES", "TIME_PERIOD", "OBS_STATUS"]),
                       min_size=1, max_size=7),
       rows=st.lists(st.lists(CELLS, max_size=8), max_size=6), delimiter=st.sampled_from([",", ";", "\t"]))
def test_bad_csv_tables(fmt, header, rows, delimiter):
    text = "\n".join(delimiter.join(r) for r in [header, *rows])
    read_or_input_error(text.encode(), fmt)


@FUZZ
@given(attribute=st.sampled_from(["OBS_VALUE", "REF_AREA", "SERIES", "TIME_PERIOD", "OBS_STATUS", "SEX"]),
       text=st.text(alphabet=st.characters(blacklist_categories=["Cs", "Cc"]), max_size=6))
def test_sdmx_ml_with_bad_attribute_values(attribute, text):
    xml = VALID["sdmx-ml"].decode()
    marker = f' {attribute}="'
    start = xml.index(marker) + len(marker)
    end = xml.index('"', start)
    escaped = text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    read_or_input_error((xml[:start] + escaped + xml[end:]).encode(), "sdmx-ml")


def test_xml_bombs_and_external_entities_are_refused_without_expansion():
    bomb = (b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">'
            b'<!ENTITY c SYSTEM "file:///etc/passwd">]><mes:GenericData xmlns:mes="x">&b;&c;</mes:GenericData>')
    with pytest.raises(InputError):
        read_table(bomb, format="sdmx-ml")


@pytest.mark.parametrize("fmt", ["open-sdg", "datapackage"])
@settings(max_examples=max(10, EXAMPLES // 2), deadline=None)
@given(content=st.binary(max_size=300))
def test_directory_formats_with_garbage_files(fmt, content):
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "dir"
        write_table(mixed_table(), target, format=fmt)
        victim = next(target.rglob("*.csv")) if fmt == "open-sdg" else target / "datapackage.json"
        victim.write_bytes(content)
        try:
            read_table(target, format=fmt)
        except InputError as exc:
            assert exc.report.errors and all(p.file for p in exc.report.errors)

"""JSON-stat 2.0 reader: real SSB (v0) and SCB (PxWebApi v2) responses and every JSON-stat form."""

from __future__ import annotations

import json
import math

import pytest
from tests.analytics.formats.jsonstat_factory import jsonstat
from tests.conftest import shared_path

from dugnad.analytics.formats import read_table
from dugnad.analytics.report import InputError

SSB_V0 = "no/ssb-pxweb/pxwebpy/07221_v0_response_no.json"
SCB_V2 = "no/pxwebapi-v2-scb/pxwebpy/TAB6471_data.json"


def read_json(data: bytes, **options):
    return read_table(data, format="jsonstat", **options)


def errors_of(data: bytes, **options) -> list:
    with pytest.raises(InputError) as caught:
        read_json(data, **options)
    return caught.value.report.errors


def ordered_codes(raw: dict, dim: str) -> list[str]:
    index = raw["dimension"][dim]["category"]["index"]
    return sorted(index, key=index.__getitem__) if isinstance(index, dict) else index


def test_ssb_v0_response_becomes_a_tidy_table_with_the_dotdot_cells_missing():
    path = shared_path(SSB_V0)
    raw = json.loads(path.read_text(encoding="utf-8"))
    result = read_table(path)
    table = result.table
    assert table.num_rows == math.prod(raw["size"]) == 12 * 3 * 1 * 8
    assert table.column_names == ["unit", "indicator", "period", "Boligtype", "value", "status"]
    rows = table.to_pylist()
    # Row order is cube order, so position k is raw cell k.
    assert rows[0] == {"unit": "0", "indicator": "Boligindeks", "period": "2022K1", "Boligtype": "01",
                       "value": 136.2, "status": "ok"}
    for key, symbol in raw["status"].items():
        assert symbol == ".."
        assert rows[int(key)]["status"] == "missing" and rows[int(key)]["value"] is None
    for position, value in enumerate(raw["value"]):
        assert rows[position]["value"] == value
    ok_rows = [r for r in rows if r["status"] == "ok"]
    assert len(ok_rows) == len(rows) - len(raw["status"])
    # Region 'TOTAL' labelled "Hele landet" is the country; SSB's price regions 001–011 are kept with one warning.
    assert {r["unit"] for r in rows} == {"0", *(f"{i:03d}" for i in range(1, 12))}
    [warning] = result.report.warnings
    assert "001" in warning.reason and "011" in warning.reason and warning.path == "$.dimension.Region.category.index"


def test_scb_pxwebapi_v2_response_keeps_every_cell_in_cube_order():
    path = shared_path(SCB_V2)
    raw = json.loads(path.read_text(encoding="utf-8"))
    result = read_table(path)
    table = result.table
    assert result.report.problems == []
    assert table.num_rows == math.prod(raw["size"]) == 21 * 11 * 3 * 1 * 4
    assert table.column_names == ["unit", "indicator", "period", "Alder", "Kon", "value", "status"]
    assert set(table.column("status").to_pylist()) == {"ok"}
    # Check a cell in the middle by computing its position from the raw categories.
    codes = {d: ordered_codes(raw, d) for d in raw["id"]}
    wanted = {"Region": "14", "Alder": "30-39", "Kon": "2", "ContentsCode": "000007SF", "Tid": "2026M03"}
    flat = 0
    for dim, size in zip(raw["id"], raw["size"], strict=True):
        flat = flat * size + codes[dim].index(wanted[dim])
    row = table.slice(flat, 1).to_pylist()[0]
    assert row == {"unit": "14", "indicator": "000007SF", "period": "2026M03", "Alder": "30-39", "Kon": "2",
                   "value": float(raw["value"][flat]), "status": "ok"}


def test_categories_follow_index_not_key_order_in_both_index_forms():
    for form in ("object", "array"):
        data = jsonstat({"Region": ["0301", "46"], "ContentsCode": ["a"], "Tid": ["2021", "2020"]}, [1, 2, 3, 4],
                        index_form=form)
        rows = read_json(data).table.select(["unit", "period", "value"]).to_pylist()
        assert rows == [{"unit": "0301", "period": "2021", "value": 1.0}, {"unit": "0301", "period": "2020", "value": 2.0},
                        {"unit": "46", "period": "2021", "value": 3.0}, {"unit": "46", "period": "2020", "value": 4.0}]
    shuffled = json.loads(jsonstat({"Region": ["0301"], "ContentsCode": ["a"], "Tid": ["2020", "2021"]}, [5, 6]))
    shuffled["dimension"]["Tid"]["category"]["index"] = {"2021": 1, "2020": 0}
    assert read_json(json.dumps(shuffled).encode()).table.column("period").to_pylist() == ["2020", "2021"]


def test_sparse_value_and_status_objects_and_status_symbols():
    data = jsonstat({"Region": ["0301"], "ContentsCode": ["a"], "Tid": ["2019", "2020", "2021", "2022", "2023"]},
                    {"0": 1.5, "4": 9}, status={"1": "..", "2": ".", "3": ":", "4": "e"})
    result = read_json(data)
    assert result.table.select(["period", "value", "status"]).to_pylist() == [
        {"period": "2019", "value": 1.5, "status": "ok"},
        {"period": "2020", "value": None, "status": "missing"},
        {"period": "2021", "value": None, "status": "not_applicable"},
        {"period": "2022", "value": None, "status": "confidential"},
        {"period": "2023", "value": 9.0, "status": "ok"},
    ]
    [warning] = result.report.warnings
    assert warning.value == "e" and warning.path == "$.status[4]"


def test_status_as_array_and_as_single_string():
    dims = {"Region": ["0301"], "ContentsCode": ["a"], "Tid": ["2020", "2021"]}
    as_list = read_json(jsonstat(dims, [None, 2], status=[":", None])).table
    assert as_list.column("status").to_pylist() == ["confidential", "ok"]
    as_string = read_json(jsonstat(dims, [None, None], status="..")).table
    assert as_string.column("status").to_pylist() == ["missing", "missing"]


def test_kostra_region_codes_become_unit_codes_and_special_regions_are_warned():
    codes = ["EAK", "K-3001", "F-03", "4601", "EKA31", "EKG01"]
    data = jsonstat({"KOKkommuneregion0000": codes, "ContentsCode": ["KOSandel"], "Tid": ["2023"]},
                    [1, 2, 3, 4, 5, 6])
    result = read_json(data)
    assert result.table.column("unit").to_pylist() == ["0", "3001", "03", "4601", "EKA31", "EKG01"]
    [warning] = result.report.warnings
    assert "EKA31, EKG01" in warning.reason and "KOSTRA" in warning.reason


def test_any_dimension_with_role_geo_is_the_unit():
    data = jsonstat({"Fylke": ["03", "46"], "ContentsCode": ["a"], "Tid": ["2020"]}, [1, 2],
                    roles={"geo": ["Fylke"], "metric": ["ContentsCode"], "time": ["Tid"]})
    assert read_json(data).table.column("unit").to_pylist() == ["03", "46"]


def test_region_codes_that_collide_after_mapping_are_an_error():
    data = jsonstat({"Region": ["K-3001", "3001"], "ContentsCode": ["a"], "Tid": ["2020"]}, [1, 2])
    [problem] = errors_of(data)
    assert "both mean unit '3001'" in problem.reason


def test_missing_metric_dimension_needs_the_indicator_option():
    data = jsonstat({"Region": ["0301"], "Tid": ["2020"]}, [1], roles={"time": ["Tid"]})
    [problem] = errors_of(data)
    assert "indicator=" in problem.reason and problem.path == "$.id"
    assert read_json(data, indicator="pop").table.column("indicator").to_pylist() == ["pop"]


def test_skip_absent_drops_cells_without_value_or_status():
    data = jsonstat({"Region": ["0301"], "ContentsCode": ["a"], "Tid": ["2020", "2021", "2022"]},
                    [1, None, None], status={"2": ".."})
    assert read_json(data).table.num_rows == 3
    assert read_json(data, skip_absent=True).table.column("period").to_pylist() == ["2020", "2022"]


def test_pxwebapi_error_body_is_reported_as_such():
    snippets = json.loads(shared_path("no/ssb-pxweb/kommunebarometer-spike/pxwebapi_v2_error_snippets.json").read_text())
    body = snippets["errors"][0]["snippet"].encode()
    [problem] = errors_of(body)
    assert "PxWebApi error response" in problem.reason and "Non-existent table" in problem.reason


@pytest.mark.parametrize(("mutate", "path"), [
    (lambda d: d.update(size=[1, 1]), "$.size"),
    (lambda d: d.update(value=[1, 2]), "$.value"),
    (lambda d: d.update(value=["x"]), "$.value[0]"),
    (lambda d: d.update(value=[True]), "$.value[0]"),
    (lambda d: d.update(value=[10**400]), "$.value[0]"),
    (lambda d: d.update(value={"7": 1}), "$.value.7"),
    (lambda d: d.update(id="Region"), "$.id"),
    (lambda d: d["dimension"]["Tid"]["category"].update(index={"2020": 3}), "$.dimension.Tid.category.index"),
    (lambda d: d["dimension"].pop("Tid"), "$.dimension.Tid"),
    (lambda d: d.update(status=5), "$.status"),
])
def test_malformed_documents_name_the_json_path(mutate, path):
    document = json.loads(jsonstat({"Region": ["0301"], "ContentsCode": ["a"], "Tid": ["2020"]}, [1]))
    mutate(document)
    problems = errors_of(json.dumps(document).encode())
    assert path in [p.path for p in problems]


def test_syntax_errors_name_the_line_and_old_bundles_are_refused():
    [problem] = errors_of(b'{\n "version": "2.0",\n "id": [}')
    assert problem.row == 3 and "invalid JSON" in problem.reason
    assert "JSON-stat 1.x" in errors_of(b'{"dataset": {"dimension": {}}}')[0].reason
    with_nan = jsonstat({"Region": ["0"], "ContentsCode": ["a"], "Tid": ["1"]}, [1]).replace(b"[1]", b"[NaN]")
    assert "NaN" in errors_of(with_nan)[0].reason


def test_role_geo_wins_over_a_dimension_merely_named_region():
    data = jsonstat({"Region": ["A", "B"], "Kommune": ["0301"], "ContentsCode": ["a"], "Tid": ["2020"]}, [1, 2],
                    roles={"geo": ["Kommune"], "metric": ["ContentsCode"], "time": ["Tid"]})
    table = read_json(data).table
    assert table.column("unit").to_pylist() == ["0301", "0301"]
    assert table.column("Region").to_pylist() == ["A", "B"]

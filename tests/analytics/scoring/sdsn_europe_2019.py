"""Converter of the SDSN & IEEP Europe SDR 2019 workbook into Dugnad's score CSVs, plus its published results.

Usage (writes IND.csv, UNITS.csv, OBS.csv into OUT)::

    .venv/bin/python tests/analytics/scoring/sdsn_europe_2019.py "../shared/data/sdsn/2019EUIndex/Data (Excel).xlsx" OUT

Rules (general, not tuned to the file):

- Indicators: codebook bounds and thresholds; every indicator is in the index; the trend window is
  ``Years_Used`` ("2015 - 2018"). Goal 14 (life below water) applies to the dashboards of coastal
  countries only: ``applies_to = !landlocked`` and the five landlocked member states get the tag
  ``landlocked`` (a geographic fact, not read from the results).
- Units: the 28 member states form one group ("EU", used for group-mean imputation) with the EU
  aggregate as parent; the aggregate has no group.
- Observations: the time series of the "Raw Trend Data" sheet plus the status value of the
  "Full Database" sheet. The status value is placed in the latest year whose series value equals
  it (else in the codebook's reference year, replacing the series value there); series values after
  that year are left out because the edition did not use them for the status.
"""

from __future__ import annotations

import csv
import math
import re
import sys
from pathlib import Path

LANDLOCKED = ("AUT", "CZE", "HUN", "LUX", "SVK")  # EU member states without a sea coast
AGGREGATE = "EUU"
ARROWS = {"↑": "on_track", "➚": "moderately_improving", "→": "stagnating", "↓": "decreasing"}


def _sheet(workbook, name: str) -> tuple[list[str], list[tuple]]:
    """Header (stripped strings) and non-empty rows of one sheet."""
    rows = workbook[name].iter_rows(values_only=True)
    header = [str(h).strip() if h is not None else "" for h in next(rows)]
    return header, [r for r in rows if any(v not in (None, "") for v in r)]


def _blank(v) -> bool:
    return v is None or (isinstance(v, str) and v.strip() == "") or (isinstance(v, float) and math.isnan(v))


def load_workbook(path: str | Path) -> dict:
    """Everything the converter and the reproduction test need from the workbook, as plain Python data."""
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    ch, crows = _sheet(wb, "Codebook")
    codebook = [dict(zip(ch, r, strict=False)) for r in crows]
    fh, frows = _sheet(wb, "Full Database")
    th, trows = _sheet(wb, "Raw Trend Data")
    wb.close()
    col = {h: i for i, h in enumerate(fh)}
    countries = []
    for r in frows:
        unit = r[col["id"]]
        entry = {"unit": unit, "name": r[col["Country"]], "population": r[col["2019 Population"]],
                 "index": r[col["2019 EU SDG Index Score (0-100)"]], "rank": r[col["2019 EU SDG Index Rank"]],
                 "missing_share": r[col["Proportion missing values"]], "raw": {}, "score": {}, "colour": {}, "trend": {},
                 "goal_score": {}, "goal_colour": {}, "goal_trend": {}, "regional": {}}
        for spec in codebook:
            ind = spec["Indicator"]
            i = col[f"Normalized Score {ind}"]
            raw_i = i - 1 if not fh[i - 1].startswith("Imputation") else i - 2
            entry["raw"][ind] = r[raw_i]
            entry["score"][ind] = r[i]
            entry["colour"][ind] = r[col[f"Dashboard Color {ind}"]]
            if f"Trend {ind}" in col:
                entry["trend"][ind] = r[col[f"Trend {ind}"]]
        for g in range(1, 18):
            entry["goal_score"][g] = r[col[f"Goal {g} Score"]]
            entry["goal_colour"][g] = r[col[f"Goal {g} Dashboard"]]
            entry["goal_trend"][g] = r[col.get(f"Goal {g} Trend")] if f"Goal {g} Trend" in col else None
            entry["regional"][g] = r[col[f"Goal {g} Regional Score"]]
        countries.append(entry)
    series: dict[tuple[str, str], dict[int, float]] = {}
    tcol = {h: i for i, h in enumerate(th)}
    for r in trows:
        for spec in codebook:
            ind = spec["Indicator"]
            if ind in tcol and not _blank(r[tcol[ind]]):
                series.setdefault((r[tcol["id"]], ind), {})[int(r[tcol["year"]])] = float(r[tcol[ind]])
    return {"codebook": codebook, "countries": countries, "series": series}


def _window(text) -> tuple[str, str]:
    """Trend window years from ``Years_Used`` ('2015 - 2018'), empty when there is none."""
    m = re.fullmatch(r"\s*(\d{4})\s*-\s*(\d{4})\s*", str(text or ""))
    return (m.group(1), m.group(2)) if m else ("", "")


def _num(v) -> str:
    return "" if _blank(v) else repr(float(v))


def convert(workbook: str | Path | dict, out_dir: str | Path) -> dict[str, Path]:
    """Write IND.csv, UNITS.csv and OBS.csv for the workbook into ``out_dir``; returns their paths."""
    data = workbook if isinstance(workbook, dict) else load_workbook(workbook)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = {"indicators": out / "IND.csv", "units": out / "UNITS.csv", "observations": out / "OBS.csv"}
    with open(paths["indicators"], "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["indicator", "goal", "label", "upper_bound", "lower_bound", "green", "red", "in_index",
                    "applies_to", "trend_from", "trend_to"])
        for spec in data["codebook"]:
            t0, t1 = _window(spec["Years_Used"])
            w.writerow([spec["Indicator"], spec["SDG"], str(spec["Label"]).strip(), _num(spec["Optimum (= 100)"]),
                        _num(spec["Lower Bound (=0)"]), _num(spec["Green threshold"]), _num(spec["Red threshold"]), "yes",
                        "!landlocked" if int(spec["SDG"]) == 14 else "", t0, t1])
    with open(paths["units"], "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["unit", "name", "group", "tags", "parent", "population"])
        for c in data["countries"]:
            member = c["unit"] != AGGREGATE
            w.writerow([c["unit"], c["name"], "EU" if member else "", "landlocked" if c["unit"] in LANDLOCKED else "",
                        AGGREGATE if member else "", "" if _blank(c["population"]) else int(c["population"])])
    ref_year = {s["Indicator"]: int(s["Reference Year"]) for s in data["codebook"]}
    with open(paths["observations"], "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["unit", "indicator", "year", "value"])
        for c in data["countries"]:
            for spec in data["codebook"]:
                ind = spec["Indicator"]
                series = dict(data["series"].get((c["unit"], ind), {}))
                raw = c["raw"].get(ind)
                if not _blank(raw):
                    raw = float(raw)
                    same = [y for y, v in series.items() if abs(v - raw) <= 1e-9 * max(1.0, abs(raw))]
                    status_year = max(same) if same else ref_year[ind]
                    series = {y: v for y, v in series.items() if y < status_year}
                    series[status_year] = raw
                for year in sorted(series):
                    w.writerow([c["unit"], ind, year, repr(series[year])])
    return paths


if __name__ == "__main__":
    print(convert(sys.argv[1], sys.argv[2]))

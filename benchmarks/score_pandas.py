"""Baseline: the same SDSN scoring pipeline as `dugnad score`, written straightforwardly in pandas.

Used by score_national.py and score_scale.py for side-by-side timings (and as a cross-check of
results). Supports what the benchmarks generate: explicit bounds, applies_to empty, group-mean
imputation, coverage and rank within parent-depth.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd


def pandas_score(ind: pd.DataFrame, units: pd.DataFrame, obs: pd.DataFrame, min_coverage: float = 0.8) -> dict:
    """Indicator, goal, index and group tables computed with pandas."""
    obs = obs.dropna(subset=["value"])
    status = obs.sort_values("year").groupby(["unit", "indicator"], sort=False).tail(1)
    grid = units[["unit"]].merge(ind, how="cross").merge(status, on=["unit", "indicator"], how="left")
    ub, lb, g, r, x = grid.upper_bound, grid.lower_bound, grid.green, grid.red, grid.value
    grid["score"] = (100 * (x - lb) / (ub - lb)).clip(0, 100)
    sign = np.where(ub < lb, -1.0, 1.0)
    ox, og, orr, oub, olb = x * sign, g * sign, r * sign, ub * sign, lb * sign
    y = (og + orr) / 2
    grid["colour"] = np.select([x.isna(), ox >= og, ox >= y, ox >= orr], ["grey", "green", "yellow", "orange"], "red")
    with np.errstate(divide="ignore", invalid="ignore"):
        red_band = np.where(orr == olb, 0.0, np.maximum(0, (ox - olb) / (orr - olb)))
        mid_band = 1 + (ox - orr) / (og - orr)
        top_band = np.where(oub <= og, 3.0, np.minimum(3, 2 + (ox - og) / (oub - og)))
    grid["scale"] = np.where(x.isna(), np.nan, np.where(ox < orr, red_band, np.where(ox < og, mid_band, top_band)))
    # trends
    win = obs.merge(ind[["indicator", "trend_from", "trend_to", "upper_bound", "lower_bound", "green"]], on="indicator")
    win = win.dropna(subset=["trend_from"])
    ends = []
    for col, later_first in (("trend_from", False), ("trend_to", True)):
        d = win[(win.year - win[col]).abs() <= 1].copy()
        d["key"] = 2 * (d.year - d[col]).abs() + ((d.year > d[col]) if later_first else (d.year < d[col])).astype(int)
        d = d.sort_values("key").groupby(["unit", "indicator"], sort=False).head(1)
        ends.append(d.set_index(["unit", "indicator"])[["year", "value"]])
    t = ends[0].join(ends[1], lsuffix="0", rsuffix="1", how="inner").reset_index()
    t = t.merge(ind[["indicator", "upper_bound", "lower_bound", "green"]], on="indicator")
    t = t[t.year1 > t.year0]
    norm = lambda v: 100 * (v - t.lower_bound) / (t.upper_bound - t.lower_bound)  # noqa: E731
    s0, s1, gs = norm(t.value0), norm(t.value1), norm(t.green)
    needed, achieved = (gs - s0) / (2030 - t.year0), (s1 - s0) / (t.year1 - t.year0)
    ratio = achieved / needed
    t["trend"] = np.select([s1 >= gs, needed <= 0, ratio >= 1, ratio >= 0.5, ratio >= 0],
                           ["on_track", "decreasing", "on_track", "moderately_improving", "stagnating"], "decreasing")
    grid = grid.merge(t[["unit", "indicator", "trend"]], on=["unit", "indicator"], how="left")
    # goals
    avail = grid[grid.value.notna()]
    gsc = avail[avail.in_index].groupby(["unit", "goal"]).score.mean().rename("score")
    counts = grid.groupby(["unit", "goal"]).agg(n_set=("indicator", "size"), n_avail=("value", "count"))
    two = avail.sort_values("scale").groupby(["unit", "goal"]).head(2)
    two_agg = two.groupby(["unit", "goal"]).agg(a=("scale", "mean"), greens=("colour", lambda c: (c == "green").sum()),
                                                reds=("colour", lambda c: (c == "red").sum()), only=("colour", "first"))
    goals = counts.join(gsc).join(two_agg).reset_index()
    goals["colour"] = np.select(
        [(goals.n_avail == 0) | (goals.n_avail < 0.5 * goals.n_set), goals.n_avail == 1,
         (goals.a >= 2) & (goals.greens == 2), goals.a >= 1.5, goals.a >= 1, goals.reds == 2],
        ["grey", goals.only, "green", "yellow", "orange", "red"], "orange")
    # coverage, group means, index, rank
    idx_cells = grid[grid.in_index]
    cov = idx_cells.groupby("unit").agg(n=("indicator", "size"), miss=("value", lambda v: v.isna().sum()))
    cov["missing_share"] = cov.miss / cov.n
    cov["qualifies"] = (cov.miss < cov.n) & (cov.missing_share <= 1 - min_coverage + 1e-12)
    gu = goals.merge(units[["unit", "group"]], on="unit").merge(cov[["qualifies"]], left_on="unit", right_index=True)
    group_goal = gu[gu.qualifies & gu.score.notna() & (gu.group != "")].groupby(["group", "goal"]).score.mean()
    gu = gu.merge(group_goal.rename("group_score").reset_index(), on=["group", "goal"], how="left")
    gu["used"] = gu.score.fillna(gu.group_score)
    index = gu.groupby("unit").used.mean().rename("score").to_frame().join(cov)
    index.loc[~index.qualifies, "score"] = np.nan
    depth = _depth(units)
    index["depth"] = index.index.map(depth)
    index["rank"] = index.groupby("depth").score.rank(ascending=False, method="min")
    return {"indicator_scores": grid, "goal_scores": goals, "index": index.reset_index(),
            "group_goal_scores": group_goal.reset_index()}


def _depth(units: pd.DataFrame) -> dict[str, int]:
    parents = dict(zip(units.unit, units.parent.fillna(""), strict=True))
    out = {}
    for unit in parents:
        d, node = 0, parents[unit]
        while node:
            d, node = d + 1, parents.get(node, "")
        out[unit] = d
    return out


def run_files(ind_path: str, units_path: str, obs_path: str, out_dir: str) -> None:
    """Read the three files, score with pandas and write the four CSV tables (the CLI's equivalent)."""
    ind = pd.read_csv(ind_path, dtype={"indicator": str, "applies_to": str})
    ind["in_index"] = ind.in_index.fillna("yes").astype(str).str.lower().isin(["yes", "true", "1"])
    units = pd.read_csv(units_path, dtype=str, keep_default_na=False)
    obs = pd.read_parquet(obs_path) if obs_path.endswith(".parquet") else pd.read_csv(
        obs_path, dtype={"unit": str, "indicator": str})
    res = pandas_score(ind, units, obs)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    res["indicator_scores"][["unit", "indicator", "year", "value", "score", "colour", "trend"]].to_csv(
        out / "indicator_scores.csv", index=False)
    res["goal_scores"][["unit", "goal", "score", "colour"]].to_csv(out / "goal_scores.csv", index=False)
    res["index"][["unit", "score", "rank", "missing_share"]].to_csv(out / "index.csv", index=False)
    res["group_goal_scores"].to_csv(out / "group_goal_scores.csv", index=False)


if __name__ == "__main__":
    start = time.perf_counter()
    run_files(*sys.argv[1:5])
    print(f"pandas pipeline: {time.perf_counter() - start:.2f} s", file=sys.stderr)

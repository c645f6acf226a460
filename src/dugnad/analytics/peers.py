"""Peers: peer groups given as data (e.g. KOSTRA groups) and a finder of structurally similar units.

The finder standardises each chosen structural variable to z-scores over the candidate pool
(mean and population standard deviation of the units that have every chosen variable), optionally
after a natural logarithm (advised for skewed variables such as population and density), and ranks
candidates by the weighted Euclidean distance ``d = sqrt(Σ_v w_v · (z_u,v − z_c,v)²)`` to the unit.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from dugnad.analytics.report import InputError, ValidationReport
from dugnad.analytics.rollup import parse_number

#: Structural variables used when none are chosen.
DEFAULT_WEIGHTS: dict[str, float] = {"population": 1.0, "density": 1.0, "centrality": 1.0, "income": 1.0}


@dataclass(frozen=True)
class Peer:
    """A candidate ranked by its distance to the unit, with the standardised difference per variable."""

    unit: str
    rank: int
    distance: float
    group: str | None = None
    differences: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class VariableScale:
    """How one variable was standardised: transform, mean and standard deviation over the pool."""

    name: str
    weight: float
    log: bool
    mean: float
    sd: float


@dataclass(frozen=True)
class PeerSearch:
    """The result of a similar-units search: the nearest peers and how the distance was built."""

    unit: str
    peers: tuple[Peer, ...]
    scales: tuple[VariableScale, ...]
    pool: int
    excluded: Mapping[str, str] = field(default_factory=dict)


def parse_weights(text: str | None) -> dict[str, float]:
    """Weights from ``population=1,density=0.5`` (a bare name means weight 1); empty → the default variables."""
    if not text or not text.strip():
        return dict(DEFAULT_WEIGHTS)
    report = ValidationReport(source="--vars")
    weights: dict[str, float] = {}
    for part in text.split(","):
        name, _, raw = part.partition("=")
        name = name.strip()
        if not name:
            report.add("empty variable name", value=part)
            continue
        try:
            weight = float(raw) if raw.strip() else 1.0
        except ValueError:
            report.add(f"weight of {name} is not a number", value=raw)
            continue
        if not math.isfinite(weight) or weight < 0:
            report.add(f"weight of {name} must be a non-negative number", value=raw)
            continue
        weights[name] = weight
    if not report.ok:
        raise InputError(report)
    return weights


def similar_units(
    profiles: Mapping[str, Mapping[str, float | None]],
    unit: str,
    *,
    weights: Mapping[str, float] | None = None,
    k: int = 5,
    log: Iterable[str] = (),
    candidates: Iterable[str] | None = None,
    groups: Mapping[str, str | None] | None = None,
) -> PeerSearch:
    """The ``k`` candidates nearest to ``unit`` by weighted standardised distance over the weighted variables.

    ``profiles`` maps unit code → {variable: value}. ``candidates`` (default: every profile) is the
    pool; the unit itself is never its own peer. Candidates lacking a variable (or with a
    non-positive value of a log variable) are excluded and listed in ``excluded`` with the reason.
    """
    weights = dict(weights) if weights is not None else dict(DEFAULT_WEIGHTS)
    logged = set(log)
    report = ValidationReport(source="peers")
    if unit not in profiles:
        report.add("unit has no structural data", value=unit)
    if k < 1:
        report.add("k must be at least 1", value=str(k))
    if not weights or not any(w > 0 for w in weights.values()):
        report.add("choose at least one variable with a positive weight")
    if not report.ok:
        raise InputError(report)
    variables = [v for v, w in weights.items() if w > 0]
    for v in variables:
        problem = _unusable(profiles[unit].get(v), v in logged)
        if problem:
            report.add(f"unit {unit}: {v} {problem}", column=v)
    if not report.ok:
        raise InputError(report)
    pool_codes = list(dict.fromkeys([unit, *(candidates if candidates is not None else profiles)]))
    excluded: dict[str, str] = {}
    transformed: dict[str, dict[str, float]] = {}
    for code in pool_codes:
        profile = profiles.get(code, {})
        reasons = [f"{v} {p}" for v in variables if (p := _unusable(profile.get(v), v in logged))]
        if reasons:
            excluded[code] = "; ".join(reasons)
            continue
        transformed[code] = {v: _transform(float(profile[v]), v in logged) for v in variables}  # type: ignore[arg-type]
    scales = tuple(_scale(v, weights[v], v in logged, [t[v] for t in transformed.values()]) for v in variables)
    z = {code: {s.name: (t[s.name] - s.mean) / s.sd if s.sd > 0 else 0.0 for s in scales} for code, t in transformed.items()}
    ranked = []
    for code, zc in z.items():
        if code == unit:
            continue
        diffs = {s.name: zc[s.name] - z[unit][s.name] for s in scales}
        ranked.append((math.sqrt(sum(s.weight * diffs[s.name] ** 2 for s in scales)), code, diffs))
    ranked.sort(key=lambda item: (item[0], item[1]))
    peers = tuple(
        Peer(unit=code, rank=i, distance=d, group=(groups or {}).get(code), differences=diffs)
        for i, (d, code, diffs) in enumerate(ranked[:k], start=1)
    )
    return PeerSearch(unit=unit, peers=peers, scales=scales, pool=len(transformed), excluded=excluded)


def _unusable(value: float | None, logged: bool) -> str | None:
    """Why a value cannot be used (None when it can)."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "is missing"
    if logged and value <= 0:
        return "must be positive to take its logarithm"
    return None


def _transform(value: float, logged: bool) -> float:
    return math.log(value) if logged else value


def _scale(name: str, weight: float, logged: bool, values: list[float]) -> VariableScale:
    """Mean and population standard deviation (ddof = 0) of a variable over the pool."""
    mean = sum(values) / len(values)
    sd = math.sqrt(sum((x - mean) ** 2 for x in values) / len(values))
    return VariableScale(name=name, weight=weight, log=logged, mean=mean, sd=sd)


def peer_group(groups: Mapping[str, str | None], unit: str) -> list[str]:
    """The other units of the unit's peer group (e.g. its KOSTRA group), sorted; empty when it has no group."""
    mine = groups.get(unit)
    if not mine:
        return []
    return sorted(code for code, group in groups.items() if group == mine and code != unit)


def profiles_from_rows(
    rows: Iterable[Mapping[str, str]], variables: Iterable[str], *, file: str = "units"
) -> dict[str, dict[str, float | None]]:
    """Structural profiles {unit: {variable: value}} from units-CSV rows with one numeric column per variable."""
    report = ValidationReport(source=file)
    wanted = list(variables)
    out: dict[str, dict[str, float | None]] = {}
    for n, row in enumerate(rows, start=2):
        if n == 2:
            for v in wanted:
                if v not in row:
                    report.add(f"no column {v!r} for the chosen variable", file=file, column=v)
            if not report.ok:
                raise InputError(report)
        code = (row.get("unit") or "").strip()
        if not code:
            report.add("unit code is empty", file=file, row=n, column="unit")
            continue
        profile: dict[str, float | None] = {}
        for v in wanted:
            try:
                profile[v] = parse_number(row.get(v))
            except ValueError:
                report.add(f"{v} is not a number", file=file, row=n, column=v, value=row.get(v))
        out[code] = profile
    if not report.ok:
        raise InputError(report)
    return out

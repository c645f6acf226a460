"""Writes of score runs: score the stored observations with the catalogue's specs and persist a versioned run."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from dugnad.analytics.report import InputError
from dugnad.analytics.scoring import MissingGoalPolicy, ScoreParams, build_inputs, get_method, score
from dugnad.scores.models import GoalScore, IndexScore, IndicatorScore, ScoreRun
from dugnad.scores.score_inputs import PlatformInputs, data_revision, platform_inputs
from dugnad.scores.vocab import ScoreRunStatus

BATCH = 5_000


@dataclass(frozen=True)
class ScoreRunOutcome:
    """The run a request produced or reused."""

    run: ScoreRun
    reused: bool

    def summary(self) -> str:
        """One line for the CLI."""
        verb = "gjenbrukt (uendrede data og parametre)" if self.reused else "ny"
        return f"Scorekjøring {self.run.pk}: {verb}; {self.run.units} enheter, {self.run.indicators} indikatorer."


def run_parameters(*, method: str, year: int | None, missing_goal: str, min_coverage: float) -> dict:
    """The parameters that define a run (and its fingerprint), as JSON-ready data."""
    return {"method": method, "year": year, "missing_goal": MissingGoalPolicy(missing_goal).value, "min_coverage": min_coverage}


def run_fingerprint(*, method: str, method_version: str, parameters: dict, data_revision: str) -> str:
    """SHA-256 over method, method version, parameters and data revision: equal fingerprints = same result."""
    payload = json.dumps(
        {"method": method, "version": method_version, "parameters": parameters, "data": data_revision}, sort_keys=True
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def score_run_create(
    *,
    method: str = "sdsn",
    year: int | None = None,
    missing_goal: str = MissingGoalPolicy.GROUP_MEAN.value,
    min_coverage: float = 0.8,
    date: dt.date | None = None,
) -> ScoreRunOutcome:
    """Score the current observations (annual totals) of the units valid on ``date`` with the specs in force; persist the run.

    A finished run with the same method, version, parameters and data revision is returned instead
    of scoring again (``reused=True``). Invalid inputs record a failed run and raise ``InputError``.
    """
    chosen = get_method(method)
    parameters = run_parameters(method=method, year=year, missing_goal=missing_goal, min_coverage=min_coverage)

    def fingerprint_of(revision: str) -> str:
        return run_fingerprint(method=method, method_version=chosen.version, parameters=parameters, data_revision=revision)

    # Cheap check first (ids and revisions only); the full read below re-derives the revision it scored.
    existing = ScoreRun.objects.done().filter(fingerprint=fingerprint_of(data_revision(date=date))).first()
    if existing is not None:
        return ScoreRunOutcome(run=existing, reused=True)
    inputs = platform_inputs(date=date)
    fingerprint = fingerprint_of(inputs.data_revision)
    existing = ScoreRun.objects.done().filter(fingerprint=fingerprint).first()
    if existing is not None:
        return ScoreRunOutcome(run=existing, reused=True)
    try:
        engine_inputs = build_inputs(indicators=inputs.indicators, units=inputs.units, observations=inputs.observations)
        result = score(engine_inputs, ScoreParams(year=year, missing_goal=MissingGoalPolicy(missing_goal),
                                                  min_coverage=min_coverage), method=method)  # fmt: skip
    except InputError as error:
        ScoreRun.objects.create(
            method=method, method_version=chosen.version, parameters=parameters, year=year,
            data_revision=inputs.data_revision, fingerprint=fingerprint, status=ScoreRunStatus.FAILED,
            error=error.report.as_text()[:10_000], finished_at=timezone.now(), **inputs.counts,
        )  # fmt: skip
        raise
    metadata = json.loads(json.dumps(result.metadata, default=str))
    metadata["group_goal_scores"] = result.group_goal_scores.to_pylist()
    metadata["skipped_specs"] = inputs.skipped_specs
    metadata["carried_from"] = inputs.carried_from
    try:
        run = _persist(
            inputs, result, method=method, version=chosen.version, parameters=parameters, year=year,
            fingerprint=fingerprint, metadata=metadata,
        )  # fmt: skip
    except IntegrityError:  # a concurrent request finished the same run first
        return ScoreRunOutcome(run=ScoreRun.objects.done().get(fingerprint=fingerprint), reused=True)
    return ScoreRunOutcome(run=run, reused=False)


@transaction.atomic
def _persist(inputs: PlatformInputs, result, *, method, version, parameters, year, fingerprint, metadata) -> ScoreRun:
    """Create the run and all its result rows in one transaction."""
    run = ScoreRun.objects.create(
        method=method, method_version=version, parameters=parameters, year=year, data_revision=inputs.data_revision,
        fingerprint=fingerprint, status=ScoreRunStatus.RUNNING, metadata=metadata, **inputs.counts,
    )  # fmt: skip
    ind = _columns(result.indicator_scores, "unit", "indicator", "goal", "year", "value", "score", "colour", "trend",
                   "ratio", "applies")
    _insert(IndicatorScore, ("run_id", "unit_id", "indicator_id", "goal", "year", "value", "score", "colour", "trend", "ratio"), (
        (run.pk, int(unit), int(indicator), goal, year, value, score, colour or "", trend or "", ratio)
        for unit, indicator, goal, year, value, score, colour, trend, ratio, applies in zip(*ind, strict=True)
        if applies is not False
    ))  # fmt: skip
    goal = _columns(result.goal_scores, "unit", "goal", "score", "colour", "trend", "imputed")
    _insert(GoalScore, ("run_id", "unit_id", "goal", "score", "colour", "trend", "imputed"), (
        (run.pk, int(unit), g, score, colour or "", trend or "", bool(imputed))
        for unit, g, score, colour, trend, imputed in zip(*goal, strict=True)
    ))  # fmt: skip
    idx = _columns(result.index, "unit", "score", "rank", "missing_share")
    _insert(IndexScore, ("run_id", "unit_id", "score", "rank", "missing_share"), (
        (run.pk, int(unit), score, rank, missing_share) for unit, score, rank, missing_share in zip(*idx, strict=True)
    ))  # fmt: skip
    run.status = ScoreRunStatus.DONE
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "finished_at"])
    return run


def _columns(table, *names: str) -> list[list]:
    """Columns of an Arrow result table as Python lists (``None`` for a column the table lacks)."""
    return [table.column(n).to_pylist() if n in table.column_names else [None] * table.num_rows for n in names]


def _insert(model, columns: tuple[str, ...], rows) -> None:
    """Insert plain value tuples into a result table with ``executemany`` (the rows need no model instances)."""
    quote = connection.ops.quote_name
    names = ", ".join(quote(model._meta.get_field(c.removesuffix("_id")).column) for c in columns)
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({names}) VALUES ({', '.join(['%s'] * len(columns))})"
    batch: list[tuple] = []
    with connection.cursor() as cursor:
        for row in rows:
            batch.append(row)
            if len(batch) == BATCH:
                cursor.executemany(sql, batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)

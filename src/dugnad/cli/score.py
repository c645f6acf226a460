"""CLI commands: ``dugnad score`` — score units from files (IND/UNITS/OBS) with a registered method.

``score_app`` is a typer group with ``invoke_without_command=True``: without a subcommand it runs
the file scoring below; platform subcommands (e.g. ``dugnad score run``) are added to ``score_app``.
"""

from __future__ import annotations

from pathlib import Path

import typer


def fail(message: str) -> typer.Exit:
    """Print the error (``dugnad.cli.output``, imported only then: rich costs start-up time) and return the Exit."""
    from dugnad.cli.output import fail as output_fail

    return output_fail(message)


def _(message: str) -> str:
    """The message in the CLI's language (``dugnad.cli.language``, imported only then)."""
    from dugnad.cli.language import _ as translate

    return translate(message)

_SCORE_HELP_TEXT = """Score units on SDG indicators, goals and an index from three files (no database needed).

[bold]IND.csv[/] columns: indicator, goal (1–17), label, upper_bound (scores 100), lower_bound (scores 0),
green, red (thresholds in raw units), in_index (yes/no, default yes), applies_to ('|'-separated unit
tags, '!tag' = units without the tag, empty = all; restricts the dashboard/goal-colour set),
trend_from, trend_to (trend window years; empty = no trend). Extra columns are ignored
(eurostat: optional target, target_year). Empty bounds are derived from the data and recorded in run.json.

[bold]UNITS.csv[/]: unit, name, group, tags, parent, population (all but unit optional).
[bold]OBS.csv[/] (or .parquet): unit, indicator, year, value (empty value = missing). The status is the
latest value per unit × indicator (at or before --year).

Writes into OUT (atomically; a failed run writes nothing): indicator_scores.csv, goal_scores.csv,
index.csv, group_goal_scores.csv and run.json. Colours: green|yellow|orange|red|grey; trends:
on_track|moderately_improving|stagnating|decreasing or empty. Bad input exits 1 naming file, row and column.
Memory cap: env DUGNAD_DUCKDB_MEMORY (default 4GB); threads: DUGNAD_DUCKDB_THREADS.

Example: dugnad score --indicators IND.csv --units UNITS.csv --observations OBS.csv --out result/ --year 2024
"""

#: The help text with each paragraph on one line so rich wraps it to the terminal.
SCORE_HELP = "\n\n".join(" ".join(p.split()) for p in _SCORE_HELP_TEXT.split("\n\n"))

score_app = typer.Typer(name="score", help=SCORE_HELP, rich_markup_mode="rich", invoke_without_command=True,
                        no_args_is_help=False)


@score_app.callback(invoke_without_command=True)
def score_files(
    ctx: typer.Context,
    indicators: Path = typer.Option(None, "--indicators", help="Indicator specs CSV (IND.csv).", dir_okay=False),
    units: Path = typer.Option(None, "--units", help="Units CSV (UNITS.csv).", dir_okay=False),
    observations: Path = typer.Option(None, "--observations", help="Observations CSV or .parquet (OBS.csv).",
                                      dir_okay=False),
    out: Path = typer.Option(None, "--out", help="Output directory (replaced atomically).", file_okay=False),
    year: int = typer.Option(None, "--year", help="Score the latest value at or before this year (default: latest)."),
    missing_goal: str = typer.Option("group-mean", "--missing-goal",
                                     help="Missing goal in the index: 'drop' it, or 'group-mean' = mean of the goal over "
                                          "qualifying units of the same group."),
    min_coverage: float = typer.Option(0.8, "--min-coverage", min=0.0, max=1.0,
                                       help="Share of index indicators a unit needs for an index and rank."),
    method: str = typer.Option("sdsn", "--method", help="Assessment method: sdsn (default), oecd or eurostat."),
) -> None:
    """Score from files (runs when no subcommand is given)."""
    if ctx.invoked_subcommand is not None:
        return
    from dugnad.analytics.report import InputError
    from dugnad.analytics.scoring import METHODS, MissingGoalPolicy, ScoreParams, score_files

    missing = [name for name, value in (("--indicators", indicators), ("--units", units),
                                        ("--observations", observations), ("--out", out)) if value is None]
    if missing:
        raise fail(_("mangler valg: %(options)s (se dugnad score --help)") % {"options": ", ".join(missing)})
    if method not in METHODS:
        raise fail(_("ukjent --method %(value)s; velg en av: %(known)s") % {
            "value": repr(method), "known": ", ".join(sorted(METHODS))})
    if missing_goal not in {p.value for p in MissingGoalPolicy}:
        raise fail(_("ukjent --missing-goal %(value)s; velg drop eller group-mean") % {"value": repr(missing_goal)})
    try:
        outcome = score_files(indicators, units, observations, out, ScoreParams(
            year=year, missing_goal=MissingGoalPolicy(missing_goal), min_coverage=min_coverage), method=method)
    except InputError as exc:
        from dugnad.cli.output import err_console

        err_console.print(exc.report.as_text(), highlight=False, markup=False)
        raise fail(_("inndataene er ugyldige; ingenting er skrevet")) from None
    counts = outcome.metadata["counts"]
    typer.echo(_("Beregnet poeng for %(units)s enheter på %(indicators)s indikatorer (%(with_index)s med indeks) med "
                 "metoden %(method)s: %(target)s") % {"units": counts["units"], "indicators": counts["indicators"],
                                                       "with_index": counts["units_with_index"], "method": method,
                                                       "target": outcome.target}, err=True)


def register(app: typer.Typer) -> None:
    """Add this module's commands to the main app."""
    app.add_typer(score_app, name="score")


# ---------------------------------------------------------------- platform: dugnad score run (dashboards)


@score_app.command("run")
def score_run(
    method: str = typer.Option("sdsn", "--method", help="Assessment method: sdsn (default), oecd or eurostat."),
    year: int = typer.Option(None, "--year", help="Score the latest value at or before this year (default: latest)."),
    missing_goal: str = typer.Option("group-mean", "--missing-goal", help="Missing goal in the index: drop or group-mean."),
    min_coverage: float = typer.Option(0.8, "--min-coverage", min=0.0, max=1.0,
                                       help="Share of index indicators a unit needs for an index and rank."),
) -> None:
    """Score the stored observations with the catalogue's indicator specs and persist a versioned score run.

    The run records method, version, parameters and a fingerprint of the data (observation ids and revisions, specs, units).
    Re-running on unchanged data and parameters reuses the existing run; the run id is printed.

    Example: dugnad score run --year 2024
    """
    from dugnad.cli.django import setup_django

    setup_django()
    from dugnad.analytics.report import InputError
    from dugnad.analytics.scoring import METHODS, MissingGoalPolicy
    from dugnad.cli.output import console
    from dugnad.scores.services import score_run_create

    if method not in METHODS:
        raise fail(_("ukjent --method %(value)s; velg en av: %(known)s") % {
            "value": repr(method), "known": ", ".join(sorted(METHODS))})
    if missing_goal not in {p.value for p in MissingGoalPolicy}:
        raise fail(_("ukjent --missing-goal %(value)s; velg drop eller group-mean") % {"value": repr(missing_goal)})
    with console.status(_("Scorer lagrede observasjoner …")):
        try:
            outcome = score_run_create(method=method, year=year, missing_goal=missing_goal, min_coverage=min_coverage)
        except InputError as exc:
            from dugnad.cli.output import err_console

            err_console.print(exc.report.as_text(), highlight=False, markup=False)
            raise fail(_("de lagrede dataene kan ikke scores; en mislykket kjøring er registrert")) from None
    console.print(outcome.summary(), highlight=False)
    typer.echo(f"run_id={outcome.run.pk} reused={'yes' if outcome.reused else 'no'}")

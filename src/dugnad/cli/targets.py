"""CLI commands: ``dugnad targets …`` — a unit's own 2030 targets and the ambition gap against its members' targets."""

from __future__ import annotations

import typer

from dugnad.cli.django import setup_django
from dugnad.cli.language import _
from dugnad.cli.output import OutputFormat, fail, print_rows

targets_app = typer.Typer(
    name="targets",
    help="Local targets: list a unit's targets in force, show the ambition gap against its members' targets.",
    no_args_is_help=True,
    rich_markup_mode="rich",
)

_UNIT_HELP = "Unit code (0 for Norway, 46 for Vestland, 4601 for Bergen)."

_LIST_HELP = """List the unit's targets in force (every version with --history).

Columns: unit, indicator, year, value, version, source (plan/council_decision/other/demo), reference, rationale,
created_by, created_at.

Example: dugnad targets list --unit 46 --format csv
"""

_GAP_HELP = """The ambition gap: the unit's own target against the roll-up of its lowest-level members' targets.

Members' targets are rolled up like values in `dugnad rollup`: population-weighted mean for rates, sum for counts
(the indicator's aggregation; unweighted when a member's population is unknown, shown in `weighting`).
`gap` = own_target − members_target in the indicator's direction: > 0 means the members' targets together fall
short of the unit's target. Coverage: share of members with a target, by count and by population.

Columns: indicator, own_target, members_target, gap, member_coverage, population_coverage, members,
members_with_target, aggregation, weighting, direction, year.

Example: dugnad targets gap --unit 46 --format csv
"""

_MEMBERS_HELP = """Which members carry how much of the rolled-up target, per indicator.

`contribution` is weight × target for means and the target itself for sums; `share` = contribution / members_target.
Members without a target are listed with empty values.

Columns: indicator, member, name, target, population, weight, contribution, share.

Example: dugnad targets members --unit 46 --format csv
"""


def _unit(code: str):
    from dugnad.units.selectors import unit_current

    found = unit_current(code)
    if found is None:
        raise fail(_("Ukjent enhet: %(unit)s (ingen gjeldende enhet med denne koden).") % {"unit": repr(code)})
    return found


@targets_app.command("list", help=_LIST_HELP)
def list_targets(
    unit: str = typer.Option(..., "--unit", help=_UNIT_HELP),
    year: int = typer.Option(2030, "--year", help="Target year."),
    history: bool = typer.Option(False, "--history", help="Every version, not only those in force."),
    fmt: OutputFormat = typer.Option(OutputFormat.TABLE, "--format", help="table or csv."),
) -> None:
    """List a unit's targets (see help text)."""
    setup_django()
    from dugnad.targets.selectors import TARGET_COLUMNS, target_row, target_versions, targets_in_force

    found = _unit(unit)
    rows = target_versions(unit=found, year=year) if history else targets_in_force(unit=found, year=year)
    print_rows(TARGET_COLUMNS, [target_row(t) for t in rows], fmt, title=_("Mål for %(unit)s") % {"unit": found.name})


@targets_app.command("gap", help=_GAP_HELP)
def gap(
    unit: str = typer.Option(..., "--unit", help=_UNIT_HELP),
    year: int = typer.Option(2030, "--year", help="Target year."),
    fmt: OutputFormat = typer.Option(OutputFormat.TABLE, "--format", help="table or csv."),
) -> None:
    """Show the ambition gap (see help text)."""
    setup_django()
    from dugnad.targets.selectors import GAP_COLUMNS, ambition_gaps

    found = _unit(unit)
    print_rows(GAP_COLUMNS, [g.row() for g in ambition_gaps(found, year=year)], fmt,
               title=_("Ambisjonsgap for %(unit)s") % {"unit": found.name})


@targets_app.command("members", help=_MEMBERS_HELP)
def members(
    unit: str = typer.Option(..., "--unit", help=_UNIT_HELP),
    year: int = typer.Option(2030, "--year", help="Target year."),
    fmt: OutputFormat = typer.Option(OutputFormat.TABLE, "--format", help="table or csv."),
) -> None:
    """Show each member's part of the rolled-up target (see help text)."""
    setup_django()
    from dugnad.targets.selectors import MEMBER_COLUMNS, ambition_gaps

    found = _unit(unit)
    rows = [(g.indicator.code, s.member, s.name, s.target, s.population, s.weight, s.contribution, s.share)
            for g in ambition_gaps(found, year=year) for s in g.shares]
    print_rows(MEMBER_COLUMNS, rows, fmt, title=_("Medlemmenes mål for %(unit)s") % {"unit": found.name})


_DISTANCE_HELP = """Distance to target of the unit and each unit below it that has a target: the latest scored value
(from the newest score run) against the unit's own target.

`distance` = target − value when higher is better, value − target when lower is better: > 0 is still to go.
Units without a scored value have an empty value and distance.

Columns: indicator, unit, name, target, value, value_year, distance, direction.

Example: dugnad targets distance --unit 46 --format csv
"""


@targets_app.command("distance", help=_DISTANCE_HELP)
def distance(
    unit: str = typer.Option(..., "--unit", help=_UNIT_HELP),
    year: int = typer.Option(2030, "--year", help="Target year."),
    fmt: OutputFormat = typer.Option(OutputFormat.TABLE, "--format", help="table or csv."),
) -> None:
    """Show distance to target per unit (see help text)."""
    setup_django()
    from dugnad.targets.selectors import DISTANCE_COLUMNS, distances_to_target

    found = _unit(unit)
    print_rows(DISTANCE_COLUMNS, [d.row() for d in distances_to_target(found, year=year)], fmt,
               title=_("Avstand til mål for %(unit)s") % {"unit": found.name})


def register(app: typer.Typer) -> None:
    """Add the ``targets`` command group."""
    app.add_typer(targets_app)

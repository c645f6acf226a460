"""CLI commands: ``dugnad actions …`` — joint actions of a unit, milestone reminders and the action catalogue."""

from __future__ import annotations

import datetime as dt

import typer

from dugnad.cli.django import setup_django
from dugnad.cli.language import _
from dugnad.cli.output import OutputFormat, console, fail, print_rows

actions_app = typer.Typer(
    name="actions",
    help="Joint actions: list a unit's actions with its role, send milestone reminders, show the action catalogue.",
    no_args_is_help=True,
    rich_markup_mode="rich",
)

_LIST_HELP = """List every action where the unit is lead, partner or funder, with the unit's role and own progress.

Columns: id, title, role (lead/partner/funder), status, progress (the action's), own_progress (the unit's part),
lead, partners (code name (role); …), start, end, targets.

Example: dugnad actions list --unit 4601 --format csv
"""


@actions_app.command("list", help=_LIST_HELP)
def list_actions(
    unit: str = typer.Option(..., "--unit", help="Unit code (0 for Norway, 46 for Vestland, 4601 for Bergen)."),
    fmt: OutputFormat = typer.Option(OutputFormat.TABLE, "--format", help="table or csv."),
) -> None:
    """List a unit's actions (see help text)."""
    setup_django()
    from dugnad.actions.selectors import ACTION_COLUMNS, action_row, actions_of_unit
    from dugnad.units.selectors import unit_current

    found = unit_current(unit)
    if found is None:
        raise fail(_("Ukjent enhet: %(unit)s (ingen gjeldende enhet med denne koden).") % {"unit": repr(unit)})
    print_rows(ACTION_COLUMNS, [action_row(a) for a in actions_of_unit(found)], fmt, title=_("Tiltak for %(unit)s") % {
        "unit": found.name})


_REMIND_HELP = """E-mail reminders for open milestones due within --days days (or overdue), through Django's e-mail backend.

Each milestone goes to the users with an editing role on the partner that owns it (the lead when nobody
does); a milestone is reminded at most once a week. --dry-run lists what would be sent.

Example: dugnad actions remind --days 14 --dry-run
"""


@actions_app.command("remind", help=_REMIND_HELP)
def remind(
    days: int = typer.Option(14, "--days", min=0, help="How many days ahead to look."),
    today: str = typer.Option("", "--today", help="Pretend today is this date (YYYY-MM-DD)."),
    dry_run: bool = typer.Option(False, "--dry-run", help="List the reminders without sending them."),
    fmt: OutputFormat = typer.Option(OutputFormat.TABLE, "--format", help="table or csv."),
) -> None:
    """Send milestone reminders (see help text)."""
    try:
        day = dt.date.fromisoformat(today) if today else None
    except ValueError:
        raise fail(_("%(option)s: ikke en dato (ÅÅÅÅ-MM-DD): %(value)s") % {"option": "--today", "value": repr(today)}) from None
    setup_django()
    from dugnad.actions.reminders import milestone_reminders_send

    sent = milestone_reminders_send(today=day, days_ahead=days, dry_run=dry_run)
    rows = [(r.milestone_id, r.action, r.title, r.due, " ".join(r.recipients)) for r in sent]
    print_rows(("milestone", "action", "title", "due", "recipients"), rows, fmt)
    if fmt is OutputFormat.TABLE:
        console.print((_("%(n)s påminnelser ville blitt sendt.") if dry_run else _("%(n)s påminnelser sendt.")) % {
            "n": len(sent)})


@actions_app.command("templates", help="The action catalogue: recommended actions per SDG target.\n\n"
                     "Example: dugnad actions templates --goal 7 --format csv")
def templates(
    goal: int | None = typer.Option(None, "--goal", min=1, max=17, help="Only templates for targets of this goal."),
    fmt: OutputFormat = typer.Option(OutputFormat.TABLE, "--format", help="table or csv."),
) -> None:
    """List the action catalogue (see help text)."""
    setup_django()
    from dugnad.actions.selectors import templates_by_target

    rows = [(t.pk, t.target.code, t.title, " ".join(i.code for i in t.indicators.all()), t.suggested_partners)
            for t in templates_by_target(goal=goal)]
    print_rows(("id", "target", "title", "indicators", "suggested_partners"), rows, fmt, title=_("Tiltakskatalog"))


def register(app: typer.Typer) -> None:
    """Add the ``actions`` command group."""
    app.add_typer(actions_app)

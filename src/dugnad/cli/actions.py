"""CLI commands: ``dugnad actions …`` — joint actions of a unit, milestone reminders and the action catalogue."""

from __future__ import annotations

import datetime as dt

import typer

from dugnad.cli.django import setup_django
from dugnad.cli.language import _
from dugnad.cli.output import OutputFormat, console, fail, print_rows

actions_app = typer.Typer(
    name="actions",
    help="Joint actions: list a unit's actions with its role, send milestone reminders, show the action catalogue, "
         "follow up an action's effect.",
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


_EFFECT_HELP = """Effect follow-up of an action: each indicator it targets before and after its start, for the partner units
beside similar units that are not partners, as a simple difference-in-differences (never a proof of cause).

One row per indicator and level of the partner units (municipalities beside similar municipalities, counties
beside similar counties). The comparison group is the union of each partner's --k most similar units of its level.
Columns: indicator, level, partners, partner_periods_before, partner_periods_after, partner_before,
partner_after, partner_change, comparison_units, comparison_periods_before, comparison_periods_after,
comparison_before, comparison_after, comparison_change, did (partners' change minus the comparison group's),
standard_error, direction (higher/lower is better), outcome (better/worse/unchanged/unknown), reading
(no_data, no_comparison, too_few, within_variation, beyond_variation) and caveats (|-separated).
With --units: one row per unit instead (indicator, level, unit, name, group, before, after, change,
periods_before, periods_after). See docs/actions.md.

Example: dugnad actions effect 3 --format csv
"""


@actions_app.command("effect", help=_EFFECT_HELP)
def effect(
    action_id: int = typer.Argument(..., help="The action's id (dugnad actions list shows it)."),
    k: int = typer.Option(5, "--k", min=1, max=50, help="Similar units per partner unit."),
    units: bool = typer.Option(False, "--units", help="One row per unit instead of one per indicator."),
    fmt: OutputFormat = typer.Option(OutputFormat.TABLE, "--format", help="table or csv."),
) -> None:
    """Print an action's effect comparison (see help text)."""
    setup_django()
    from dugnad.actions.effects import action_effects
    from dugnad.actions.selectors import action_get
    from dugnad.analytics.effects import EFFECT_COLUMNS, effect_record

    action = action_get(action_id)
    if action is None:
        raise fail(_("Ukjent tiltak: %(id)s (ingen tiltak med denne id-en).") % {"id": action_id})
    effects = action_effects(action, k=k)
    if effects.reason:
        raise fail(_("Tiltak %(id)s kan ikke følges opp: %(reason)s.") % {"id": action_id, "reason": {
            "no_start": _("det har ingen startdato"), "no_indicators": _("det er ikke knyttet til noen indikator"),
            "no_units": _("det har ingen enheter som parter")}[effects.reason]})
    if units:
        header = ("indicator", "level", "unit", "name", "group", "before", "after", "change", "periods_before",
                  "periods_after")
        rows = [(r.indicator.code, r.level, u.unit, r.names.get(u.unit, ""), u.group.value, u.before, u.after,
                 u.change, " ".join(u.periods_before), " ".join(u.periods_after))
                for r in effects.rows for u in r.comparison.units]
    else:
        header = ("indicator", "level", *EFFECT_COLUMNS)
        rows = [(r.indicator.code, r.level, *effect_record(r.comparison).values()) for r in effects.rows]
    print_rows(header, rows, fmt, title=_("Effektoppfølging: %(title)s") % {"title": action.title})


def register(app: typer.Typer) -> None:
    """Add the ``actions`` command group."""
    app.add_typer(actions_app)

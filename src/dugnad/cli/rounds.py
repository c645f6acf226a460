"""CLI commands: ``dugnad rounds …`` — reporting rounds: list, per-unit status and reminder e-mails."""

from __future__ import annotations

import typer

from dugnad.cli.django import setup_django
from dugnad.cli.language import _
from dugnad.cli.output import OutputFormat, console, fail, print_rows

rounds_app = typer.Typer(
    name="rounds",
    help="Reporting rounds: list rounds, show the status of each participating unit, send reminder e-mails.",
    no_args_is_help=True,
    rich_markup_mode="rich",
)


@rounds_app.command("list", help="List every reporting round (id, title, year, deadline, scope, state, counts per status).\n\n"
                    "Example: dugnad rounds list --format csv")
def rounds_list(fmt: OutputFormat = typer.Option(OutputFormat.TABLE, "--format", help="table or csv.")) -> None:
    """List rounds."""
    setup_django()
    from dugnad.rounds.selectors import rounds_with_counts
    from dugnad.rounds.vocab import SubmissionState

    rounds = rounds_with_counts()
    header = ["id", "title", "year", "deadline", "scope", "state", "demo", *[s.value for s in SubmissionState]]
    rows = [
        [r.pk, r.title, r.year, r.deadline.isoformat(), r.scope_unit.code, r.state, "yes" if r.is_demo else "no",
         *[getattr(r, f"n_{s.value}") for s in SubmissionState]]
        for r in rounds
    ]
    print_rows(header, rows, fmt, title=_("Rapporteringsrunder"))


def _round(round_id: int):
    """The round with this id, or exit with an error."""
    from dugnad.rounds.selectors import round_get

    round_ = round_get(round_id)
    if round_ is None:
        raise fail(_("runde %(id)s finnes ikke (se `dugnad rounds list`)") % {"id": round_id})
    return round_


@rounds_app.command("status", help="One row per participating unit of a round: unit, name, level (municipality, "
                    "county, country), county, size, status (draft, submitted, returned, approved), overdue, version. "
                    "A national round lists the counties (their own submissions) and the country (KS's national "
                    "chapters) beside the municipalities.\n\n"
                    "Example: dugnad rounds status 1 --format csv")
def rounds_status(
    round_id: int = typer.Argument(..., help="Round id (from `dugnad rounds list`)."),
    fmt: OutputFormat = typer.Option(OutputFormat.TABLE, "--format", help="table or csv."),
) -> None:
    """Status per unit of a round."""
    setup_django()
    import datetime as dt

    from dugnad.rounds.vocab import SubmissionState
    from dugnad.units.selectors import size_bands

    round_ = _round(round_id)
    today = dt.date.today()
    rows = []
    subs = list(round_.submissions.select_related("unit__parent", "unit__level").order_by("unit__level__rank",
                                                                                          "unit__code"))
    municipalities = [sub.unit for sub in subs if sub.unit.level.code == "municipality"]
    bands = size_bands(municipalities, round_.year)
    for sub in subs:
        level = sub.unit.level.code
        overdue = today > round_.deadline and sub.state in (SubmissionState.DRAFT, SubmissionState.RETURNED)
        county = sub.unit.parent.code if level == "municipality" and sub.unit.parent else (
            sub.unit.code if level == "county" else "")
        band = bands[sub.unit.pk].value if sub.unit.pk in bands else ""
        rows.append([sub.unit.code, sub.unit.name, level, county, band, sub.state, "yes" if overdue else "no",
                     sub.version])
    print_rows(["unit", "name", "level", "county", "size", "status", "overdue", "version"], rows, fmt,
               title=round_.title)


@rounds_app.command("remind", help="E-mail the municipal editors of every unit whose submission is still a draft or "
                    "returned, with the deadline (Django's e-mail backend, DUGNAD_EMAIL_BACKEND; console by default). "
                    "Closed rounds send nothing.\n\nExample: dugnad rounds remind 1")
def rounds_remind(round_id: int = typer.Argument(..., help="Round id (from `dugnad rounds list`).")) -> None:
    """Send reminder e-mails."""
    setup_django()
    from dugnad.rounds.reminders import round_remind

    result = round_remind(round_=_round(round_id))
    console.print(result.summary())


def register(app: typer.Typer) -> None:
    """Add the ``rounds`` command group."""
    app.add_typer(rounds_app, name="rounds")

"""CLI commands: ``dugnad units …`` — the administrative unit registry (import from Klass, load, list, changes)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer

from dugnad.cli.django import setup_django
from dugnad.cli.language import _
from dugnad.cli.output import OutputFormat, console, err_console, fail, print_rows

units_app = typer.Typer(
    name="units",
    help="The administrative unit registry: country, counties and municipalities with validity periods and code changes.",
    no_args_is_help=True,
    rich_markup_mode="rich",
)

_IMPORT_HELP = """Build the Norwegian unit registry snapshot from SSB Klass and write it as JSON (file only, no database).

Reads Klass 131 (municipalities: versions since --since, code changes, current Sámi/Kven names from codesAt)
and Klass 104 (counties) from the live API, or from a directory of saved Klass responses; a directory without
Klass 104 uses the project's counties table, and a version the directory lacks is rebuilt backwards from the
next version and the change list. Split weights come from --population (a population snapshot: residents of
the new units on the split date) where a split is clean, else equal shares. Nothing is written when an input
is unusable; every problem is listed.

Example: dugnad units import-klass --source ../shared/data/no/klass
  --population src/dugnad/units/data/norway_population.json --out src/dugnad/units/data/norway.json
"""

_POPULATION_HELP = """Build the population snapshot (residents on 1 January by unit and year) from SSB files (file only).

Each --from is an SSB StatBank CSV download of table 07459 (any years, summed over age and sex), or a JSON
list of municipalities with their population ([{"id": "0301", "population": 717710}, …]) for --list-year.
Every municipality valid on 1 January in the registry (--registry, default: the shipped one) must have a
figure, and no other code; counties and the country are the sums of their municipalities. Nothing is written
when an input is unusable; every problem is listed with its file and place.

Example: dugnad units build-population --from Personer2020.csv --from Personer2021.csv
  --from municipalities-2025.json --list-year 2024 --out src/dugnad/units/data/norway_population.json
"""


def _report_failure(exc, message: str) -> typer.Exit:
    """Print an InputError's report to stderr and return the Exit to raise."""
    err_console.print(exc.report.as_text(), highlight=False, markup=False)
    return fail(message)


@units_app.command("import-klass", help=_IMPORT_HELP)
def import_klass(
    source: str | None = typer.Option(None, "--source", help="Klass API base URL or directory of saved responses "
                                      "(default: DUGNAD_KLASS_BASE_URL)."),
    out: Path = typer.Option(Path("norway.json"), "--out", help="Snapshot file to write (.json or .json.gz).",
                             dir_okay=False),
    since: str = typer.Option("2015-01-01", "--since", help="First date the registry covers (YYYY-MM-DD)."),
    population: Path | None = typer.Option(None, "--population", help="Population snapshot for split weights.",
                                           exists=True, dir_okay=False),
) -> None:
    """Build the unit registry snapshot from Klass (see help text)."""
    from dugnad.analytics.report import InputError
    from dugnad.imports.connectors.klass import KlassError, klass_source
    from dugnad.units.population.snapshot import population_read
    from dugnad.units.registry.builder import build_norway_registry
    from dugnad.units.registry.snapshot import snapshot_write

    try:
        start = dt.date.fromisoformat(since)
    except ValueError:
        raise fail(_("%(option)s: ikke en dato (ÅÅÅÅ-MM-DD): %(value)s") % {"option": "--since", "value": repr(since)}) from None
    try:
        people = population_read(population) if population else None
        with console.status(_("Leser Klass …")):
            result = build_norway_registry(klass_source(source), since=start, population=people)
    except KlassError as exc:
        raise fail(str(exc)) from None
    except InputError as exc:
        raise _report_failure(exc, _("Dataene kan ikke brukes; ingenting er skrevet.")) from None
    for problem in result.report.warnings:
        err_console.print(str(problem), highlight=False, markup=False)
    target = snapshot_write(result.snapshot, out)
    snap = result.snapshot
    console.print(_("Skrev %(file)s: %(units)s enheter, %(changes)s kodeendringer (navn per %(as_of)s).") % {
        "file": target, "units": len(snap.units), "changes": len(snap.code_changes), "as_of": snap.names_as_of or "–"},
        highlight=False)


@units_app.command("build-population", help=_POPULATION_HELP)
def build_population_snapshot(
    sources: list[Path] = typer.Option(..., "--from", help="StatBank 07459 CSV download or municipality list (JSON); "
                                       "repeat for several files.", exists=True, dir_okay=False),
    list_year: int | None = typer.Option(None, "--list-year", help="Year (1 January) of the figures in JSON lists."),
    registry: Path | None = typer.Option(None, "--registry", help="Unit registry snapshot (default: the shipped one).",
                                         exists=True, dir_okay=False),
    out: Path = typer.Option(Path("norway_population.json"), "--out", help="Snapshot file to write.", dir_okay=False),
) -> None:
    """Build the population snapshot from SSB files (see help text)."""
    from dugnad.analytics.report import InputError
    from dugnad.units.population.builder import build_population
    from dugnad.units.population.snapshot import population_write
    from dugnad.units.population.sources import population_inputs
    from dugnad.units.registry.snapshot import SHIPPED_NORWAY, snapshot_read

    try:
        snapshot = build_population(population_inputs(sources, list_year=list_year),
                                    snapshot_read(registry or SHIPPED_NORWAY))
    except InputError as exc:
        raise _report_failure(exc, _("Folketallene kan ikke brukes; ingenting er skrevet.")) from None
    target = population_write(snapshot, out)
    national = ", ".join(f"{y}: {snapshot.value('0', y)}" for y in snapshot.years)
    console.print(_("Skrev %(file)s: folketall 1. januar for %(n)s år (Norge %(national)s).") % {
        "file": target, "n": len(snapshot.years), "national": national}, highlight=False)


def _load(service: str, path: Path | None, failure: str) -> None:
    """Run a loading service of ``units.services`` and print its summary (its report and exit 1 on bad input)."""
    setup_django()
    from dugnad.analytics.report import InputError
    from dugnad.units import services

    try:
        result = getattr(services, service)(path=path)
    except InputError as exc:
        raise _report_failure(exc, failure) from None
    console.print(result.summary(), highlight=False)


@units_app.command("load")
def load(
    path: Path | None = typer.Argument(None, help="Snapshot file (default: the shipped Norwegian registry).",
                                       exists=True, dir_okay=False),
) -> None:
    """Load a unit registry snapshot into the database (idempotent: re-running changes nothing)."""
    _load("registry_load_snapshot", path, _("Snapshot kan ikke lastes; databasen er uendret."))


@units_app.command("load-population")
def load_population(
    path: Path | None = typer.Argument(None, help="Population snapshot (default: the shipped Norwegian one).",
                                       exists=True, dir_okay=False),
) -> None:
    """Load a population snapshot into the database; its units must be loaded first (idempotent)."""
    _load("population_load_snapshot", path, _("Folketallene kan ikke lastes; databasen er uendret."))


def _date(value: str | None, option: str) -> dt.date:
    if value is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise fail(_("%(option)s: ikke en dato (ÅÅÅÅ-MM-DD): %(value)s") % {"option": option, "value": repr(value)}) from None


@units_app.command("list")
def list_units(
    level: str | None = typer.Option(None, "--level", help="Level code: country, county or municipality (default: all)."),
    on: str | None = typer.Option(None, "--on", help="Date the units are valid on, YYYY-MM-DD (default: today)."),
    fmt: OutputFormat = typer.Option(OutputFormat.TABLE, "--format", help="Output format: table or csv."),
) -> None:
    """List the units valid on a date: code, name, level, parent, valid_from, valid_to, population.

    population: residents on 1 January of the year of --on (the nearest earlier year with a figure; empty when
    there is none, e.g. before 2020).
    """
    day = _date(on, "--on")
    setup_django()
    from dugnad.units.selectors import level_codes, populations, units_valid_on

    if level is not None and level not in (codes := level_codes()):
        known = ", ".join(codes) or _("ingen – kjør `dugnad init`")
        raise fail(_("--level: ukjent nivå %(value)s (kjente: %(known)s)") % {"value": repr(level), "known": known})
    units = list(units_valid_on(date=day, level=level))
    people = populations(units, day.year)
    rows = [
        (u.code, u.name, u.level.code, u.parent.code if u.parent else "", u.valid_from, u.valid_to or "", people[u.pk])
        for u in units
    ]
    print_rows(("code", "name", "level", "parent", "valid_from", "valid_to", "population"), rows, fmt,
               title=_("Enheter %(day)s (%(n)s)") % {"day": day.isoformat(), "n": len(rows)})


@units_app.command("changes")
def list_changes(
    date_from: str | None = typer.Option(None, "--from", help="First change date, YYYY-MM-DD (default: all)."),
    date_to: str | None = typer.Option(None, "--to", help="Last change date, YYYY-MM-DD (default: all)."),
    level: str | None = typer.Option(None, "--level", help="Only changes at this level (county or municipality)."),
    fmt: OutputFormat = typer.Option(OutputFormat.TABLE, "--format", help="Output format: table or csv."),
) -> None:
    """List code changes (recode, merge, split, rename) with their weights."""
    start = _date(date_from, "--from") if date_from else None
    end = _date(date_to, "--to") if date_to else None
    setup_django()
    from dugnad.units.selectors import code_changes

    rows = [
        (c.date, c.change_type, c.old_code, c.old_name, c.new_code, c.new_name, c.weight, c.weight_basis,
         c.level.code if c.level else "")
        for c in code_changes(date_from=start, date_to=end, level=level)
    ]
    header = ("date", "type", "old_code", "old_name", "new_code", "new_name", "weight", "weight_basis", "level")
    print_rows(header, rows, fmt, title=_("Kodeendringer (%(n)s)") % {"n": len(rows)})


def register(app: typer.Typer) -> None:
    """Add the ``units`` command group to the main app."""
    app.add_typer(units_app, name="units")

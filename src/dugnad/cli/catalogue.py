"""CLI commands of the SDG catalogue: list goals/frameworks/indicators, import the KS taxonomy, load specs."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from dugnad.cli.django import setup_django
from dugnad.cli.language import _
from dugnad.cli.output import OutputFormat, console, err_console, fail, print_rows

catalogue_app = typer.Typer(
    name="catalogue",
    help="SDG catalogue: goals, targets, indicator frameworks (KS taxonomy), concordance and indicator specs.",
    no_args_is_help=True,
)

FORMAT_OPTION = typer.Option(OutputFormat.TABLE, "--format", "-f", help="Output as a table or as CSV.")


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=err_console, transient=True,
    )


@catalogue_app.command("goals")
def goals(fmt: OutputFormat = FORMAT_OPTION) -> None:
    """List the 17 goals with colour, names (nb, nn, en) and number of targets.

    Example: [bold]dugnad catalogue goals --format csv[/]
    """
    setup_django()
    from dugnad.catalogue.selectors import goals_list

    rows = [(g.number, g.colour, g.name_nb, g.name_nn, g.name_en, g.target_count) for g in goals_list()]
    print_rows(("mål", "farge", "navn_nb", "navn_nn", "navn_en", "delmål"), rows, fmt, title=_("Bærekraftsmålene"))


@catalogue_app.command("frameworks")
def frameworks(fmt: OutputFormat = FORMAT_OPTION) -> None:
    """List the indicator frameworks with code, name, publisher and number of indicators.

    Example: [bold]dugnad catalogue frameworks[/]
    """
    setup_django()
    from dugnad.catalogue.selectors import frameworks_list

    rows = [(f.code, f.name, f.publisher, f.indicator_count, f.licence) for f in frameworks_list()]
    print_rows(("kode", "navn", "utgiver", "indikatorer", "lisens"), rows, fmt, title=_("Indikatorrammeverk"))


@catalogue_app.command("indicators")
def indicators(
    framework: str = typer.Option(..., "--framework", help="Framework code, e.g. un-sdg-indicators or de-norske-malepunktene."),
    fmt: OutputFormat = FORMAT_OPTION,
) -> None:
    """List the indicators of one framework with goals, targets and unit.

    Example: [bold]dugnad catalogue indicators --framework un-sdg-indicators --format csv[/]
    """
    setup_django()
    from dugnad.catalogue.facts import indicator_sort_key
    from dugnad.catalogue.selectors import framework_exists, indicators_of

    if not framework_exists(framework):
        raise fail(_("ukjent rammeverk %(framework)s (se `dugnad catalogue frameworks`)") % {"framework": repr(framework)})
    rows = [
        (
            i.code, i.name_nb, i.name_en, "|".join(str(g.number) for g in i.goals.all()),
            "|".join(t.code for t in sorted(i.targets.all(), key=lambda t: t.sort_key)), i.unit_of_measure,
        )
        for i in sorted(indicators_of(framework), key=lambda i: indicator_sort_key(i.code))
    ]
    print_rows(("kode", "navn_nb", "navn_en", "mål", "delmål", "enhet"), rows, fmt, title=framework)


@catalogue_app.command("specs")
def specs(
    framework: str | None = typer.Option(None, "--framework", help="Only this framework's indicators."),
    fmt: OutputFormat = FORMAT_OPTION,
) -> None:
    """Print the current indicator specifications in the scoring engine's CSV columns.

    Example: [bold]dugnad catalogue specs --framework dugnad-demo --format csv > indicators.csv[/]
    """
    setup_django()
    from dugnad.catalogue.selectors import indicator_specs_table
    from dugnad.catalogue.spec_csv import SCORING_COLUMNS

    try:
        table = indicator_specs_table(framework)
    except ValueError as exc:
        raise fail(str(exc)) from None
    print_rows(SCORING_COLUMNS, ([row[c] for c in SCORING_COLUMNS] for row in table), fmt, title=_("Indikatorspesifikasjoner"))


@catalogue_app.command("import-ks-taxonomy")
def import_ks_taxonomy(
    source: str = typer.Argument(..., help="Directory of .ttl files, one .ttl file, or an http(s) URL."),
) -> None:
    """Import the KS SDG taxonomy (RDF Turtle): one framework per scheme, with indicators, SDG links and concordance.

    In a directory, files with "__" in the name (alternate copies) are skipped and each scheme URI is
    imported once. Re-running changes nothing; any error (e.g. malformed Turtle, reported with file and
    line) leaves the database untouched.

    Example: [bold]dugnad catalogue import-ks-taxonomy ../shared/data/no/ks-sdg-taxonomy[/]
    """
    setup_django()
    from dugnad.analytics.report import InputError
    from dugnad.catalogue.services import catalogue_import_taxonomy

    with _progress() as progress:
        reading = progress.add_task(_("Leser Turtle-filer"), total=None)
        saving = progress.add_task("Lagrer", total=5, visible=False)

        def on_file(name: str, done: int, total: int) -> None:
            progress.update(reading, total=total, completed=done, description=_("Leser %(file)s") % {"file": name[:40]})

        def on_step(label: str) -> None:
            progress.update(saving, visible=True, advance=1, description=_("Lagrer %(what)s") % {"what": label})

        try:
            result = catalogue_import_taxonomy(source=source, on_file=on_file, progress=on_step)
        except InputError as exc:
            progress.stop()
            for problem in exc.report.errors:
                err_console.print(str(problem), highlight=False, markup=False)
            raise fail(_("importen ble avbrutt, ingenting er endret (%(n)s feil)") % {"n": len(exc.report.errors)}) from None
    for warning in result.warnings:
        err_console.print(warning, highlight=False, markup=False)
    console.print(_("KS-taksonomi: %(summary)s") % {"summary": result.summary()}, highlight=False)


@catalogue_app.command("build-snapshot")
def build_snapshot(
    source: str = typer.Argument(..., help="Directory of .ttl files (the KS taxonomy), one .ttl file or a URL."),
    output: Path | None = typer.Option(None, "--output", "-o", help="Where to write (default: the shipped snapshot)."),
) -> None:
    """Regenerate the shipped catalogue snapshot (catalogue.json.gz) from the KS taxonomy; needs no database.

    Example: [bold]dugnad catalogue build-snapshot ../shared/data/no/ks-sdg-taxonomy[/]
    """
    from dugnad.analytics.report import InputError
    from dugnad.catalogue.document import SNAPSHOT_FILE, build_document, document_write
    from dugnad.catalogue.taxonomy import read_taxonomy

    try:
        with _progress() as progress:
            task = progress.add_task(_("Leser Turtle-filer"), total=None)
            taxonomy = read_taxonomy(
                source, on_file=lambda name, done, total: progress.update(task, total=total, completed=done)
            )
    except InputError as exc:
        for problem in exc.report.errors:
            err_console.print(str(problem), highlight=False, markup=False)
        raise fail(_("kunne ikke lese taksonomien; ingen fil skrevet")) from None
    document = build_document(taxonomy)
    path = document_write(document, output or SNAPSHOT_FILE)
    console.print(
        _("Skrev %(file)s: %(frameworks)s rammeverk, %(indicators)s indikatorer, %(concordances)s konkordanser.") % {
            "file": path, "frameworks": len(document["frameworks"]), "indicators": len(document["indicators"]),
            "concordances": len(document["concordances"])},
        highlight=False,
    )


@catalogue_app.command("build-target-titles")
def build_target_titles_command(
    english: Path = typer.Argument(..., help="Open SDG's translations/en/global_targets.yml (the UN's target texts)."),
    output: Path | None = typer.Option(None, "--output", "-o", help="Where to write (default: the shipped file)."),
) -> None:
    """Build the shipped titles of the 169 SDG targets (nb, nn, en); needs no database.

    English comes from the UN's texts in Open SDG's public translation file, bokmål and nynorsk from the project's
    own titles (catalogue/data/target_titles_no.tsv). A missing or unknown target stops the build; nothing is written.

    Example: [bold]dugnad catalogue build-target-titles sdg-translations/translations/en/global_targets.yml[/]
    """
    from dugnad.catalogue.titles import SHIPPED_FILE, TitlesError, build_target_titles, titles_json
    from dugnad.common.files import write_atomic

    try:
        titles = build_target_titles(english)
    except (OSError, TitlesError) as exc:
        raise fail(_("%(error)s; ingen fil skrevet") % {"error": exc}) from None
    path = output or SHIPPED_FILE
    write_atomic(path, titles_json(titles))
    console.print(_("Skrev %(file)s: %(n)s delmål på bokmål, nynorsk og engelsk.") % {
        "file": path, "n": len(titles)}, highlight=False)


@catalogue_app.command("load-specs")
def load_specs(
    file: Path = typer.Argument(..., help="CSV with indicator, goal, label, upper_bound, lower_bound, green, red, in_index, "
                                          "applies_to, trend_from, trend_to (+ optional framework, unit_of_measure, direction, "
                                          "target_2030, aggregation, source, dimensions)."),
    framework: str | None = typer.Option(None, "--framework", help="Framework code for rows without a framework column."),
    valid_from: dt.datetime | None = typer.Option(
        None, "--valid-from", formats=["%Y-%m-%d"], help="Date new versions apply from."
    ),
) -> None:
    """Load indicator specifications from CSV; a changed spec becomes a new version, an unchanged one is kept.

    All-or-nothing: any error is reported with row and column and nothing is saved.

    Example: [bold]dugnad catalogue load-specs specs.csv --framework dugnad-demo[/]
    """
    setup_django()
    from dugnad.analytics.report import InputError
    from dugnad.catalogue.services import indicator_specs_load_csv

    try:
        result = indicator_specs_load_csv(path=file, framework=framework, valid_from=valid_from.date() if valid_from else None)
    except InputError as exc:
        for problem in exc.report.errors:
            err_console.print(str(problem), highlight=False, markup=False)
        raise fail(_("ingen spesifikasjoner lagret (%(n)s feil)") % {"n": len(exc.report.errors)}) from None
    for warning in result.warnings:
        err_console.print(warning, highlight=False, markup=False)
    console.print(_("Spesifikasjoner: %(summary)s") % {"summary": result.summary()}, highlight=False)


def register(app: typer.Typer) -> None:
    """Add the ``catalogue`` command group to the main app."""
    app.add_typer(catalogue_app, name="catalogue")

"""CLI commands that publish documents (VLR, county review, VSR as PDF or HTML)."""

from __future__ import annotations

import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from multiprocessing import get_context
from pathlib import Path

import typer

from dugnad.cli.language import _
from dugnad.cli.lifetime import die_with_parent
from dugnad.cli.output import console, fail

publish_app = typer.Typer(
    help="Publish documents from a round: a municipality's VLR, a county review or the national VSR, as PDF "
         "(tagged, PDF/UA-1) or HTML, in bokmål (nb), nynorsk (nn) or English (en).",
    no_args_is_help=True,
)

LANG_HELP = "Language of the fixed texts: nb, nn or en (narratives stay as written)."
OUT_HELP = "Output file (.pdf or .html). With --all: a directory; files are named <kind>-<code>-r<round>-<lang>.<ext>."
FORMAT_HELP = "With --all: pdf or html."


def _objects(round_id: int, unit_code: str | None):
    from dugnad.rounds.selectors import round_get
    from dugnad.units.selectors import unit_current

    round_ = round_get(round_id)
    if round_ is None:
        raise fail(_("--round %(id)s: runden finnes ikke (se `dugnad rounds list`)") % {"id": round_id})
    unit = None
    if unit_code is not None:
        unit = unit_current(unit_code)
        if unit is None:
            raise fail(_("--unit %(code)s: ingen gjeldende enhet har denne koden") % {"code": unit_code})
    return round_, unit


#: In a worker process of ``--all``: what the round's VLRs share (``publications.batch``), read by its first one.
_batch = None


def _one(kind: str, round_id: int, unit_code: str | None, lang: str, out: Path, batch: bool = False) -> dict:
    """Build and render one document to a file; returns its timings (runs in the CLI or a worker process; with
    ``batch`` the worker keeps what the round's VLRs share for its next ones)."""
    global _batch
    from dugnad.cli.django import setup_django

    setup_django()
    from dugnad.publications.services import publication_render_file

    round_, unit = _objects(round_id, unit_code)
    start = time.perf_counter()
    shared = None
    if batch and kind == "vlr":
        from dugnad.publications.batch import VlrBatch

        if _batch is None or _batch.round.pk != round_.pk:
            _batch = VlrBatch(round_)
        shared = _batch
    rendered = publication_render_file(kind=kind, round_=round_, unit=unit, lang=lang, out=out, batch=shared)
    return {**rendered.timings, "wall": time.perf_counter() - start, "bytes": len(rendered.content)}


def _participants(kind: str, round_id: int) -> list[str]:
    from dugnad.rounds.selectors import round_get, submissions_of_round

    round_ = round_get(round_id)
    subs = submissions_of_round(round_) if round_ is not None else []
    if kind == "vlr":
        return sorted({s.unit.code for s in subs if s.unit.level.code == "municipality"})
    return sorted({s.unit.parent.code for s in subs if s.unit.parent and s.unit.parent.level.code == "county"}
                  | {s.unit.code for s in subs if s.unit.level.code == "county"})


def _all(kind: str, round_id: int, lang: str, out_dir: Path, fmt: str, jobs: int) -> None:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn, TimeRemainingColumn

    codes = _participants(kind, round_id)
    if fmt not in ("pdf", "html"):
        raise fail(_("--format %(value)s: velg pdf eller html") % {"value": repr(fmt)})
    out_dir.mkdir(parents=True, exist_ok=True)
    failures: list[str] = []
    start = time.perf_counter()
    columns = ("{task.description}", BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), TimeRemainingColumn())
    with Progress(*columns, console=console) as progress, ProcessPoolExecutor(
            max_workers=jobs, mp_context=get_context("spawn"), initializer=die_with_parent) as pool:
        bar = progress.add_task(f"{kind} ({lang})", total=len(codes))
        futures = {pool.submit(_one, kind, round_id, code, lang, out_dir / f"{kind}-{code}-r{round_id}-{lang}.{fmt}",
                               True): code for code in codes}
        for future in as_completed(futures):
            try:
                future.result()
            except Exception as exc:
                failures.append(f"{futures[future]}: {exc}")
            progress.advance(bar)
    console.print(_("%(done)s av %(total)s dokumenter skrevet til %(dir)s på %(seconds)s s.") % {
        "done": len(codes) - len(failures), "total": len(codes), "dir": out_dir,
        "seconds": f"{time.perf_counter() - start:.1f}"})
    for line in failures:
        console.print(f"[red]{_('Feil')}[/] {line}")
    if failures:
        raise typer.Exit(1)


def _run(kind: str, unit: str | None, round_id: int, lang: str, out: Path, all_: bool, fmt: str, jobs: int) -> None:
    from dugnad.cli.django import setup_django

    setup_django()
    from dugnad.analytics.report import InputError

    if lang not in ("nb", "nn", "en"):
        raise fail(_("--lang %(value)s: velg nb, nn eller en") % {"value": repr(lang)})
    if all_:
        _objects(round_id, None)
        _all(kind, round_id, lang, out, fmt, jobs)
        return
    if kind != "vsr" and not unit:
        raise fail(_("--unit mangler (eller bruk --all)"))
    try:
        with console.status(_("Lager %(file)s …") % {"file": out.name}):
            t = _one(kind, round_id, unit, lang, out)
    except InputError as exc:
        raise fail(exc.report.as_text()) from exc
    console.print(_("Skrev %(file)s (%(kib)s KiB) på %(wall)s s (diagrammer %(charts)s s, sats %(typesetting)s s).") % {
        "file": out, "kib": t["bytes"] // 1024, "wall": f"{t['wall']:.2f}", "charts": f"{t.get('charts', 0):.2f}",
        "typesetting": f"{t.get('typesetting', 0):.2f}"})


@publish_app.command("vlr")
def publish_vlr(
    unit: str = typer.Option(None, "--unit", help="Municipality code, e.g. 4601."),
    round_id: int = typer.Option(..., "--round", help="Round id (from `dugnad rounds list`)."),
    lang: str = typer.Option("nb", "--lang", help=LANG_HELP),
    out: Path = typer.Option(..., "--out", help=OUT_HELP),
    all_: bool = typer.Option(False, "--all", help="Every participating municipality of the round."),
    fmt: str = typer.Option("pdf", "--format", help=FORMAT_HELP),
    jobs: int = typer.Option(2, "--jobs", min=1, help="Worker processes for --all."),
) -> None:
    """A municipality's voluntary local review (VLR) for a round.

    Example: dugnad publish vlr --unit 4601 --round 1 --lang nn --out bergen.pdf
    """
    _run("vlr", unit, round_id, lang, out, all_, fmt, jobs)


@publish_app.command("county-review")
def publish_county_review(
    unit: str = typer.Option(None, "--unit", help="County code, e.g. 46."),
    round_id: int = typer.Option(..., "--round", help="Round id (from `dugnad rounds list`)."),
    lang: str = typer.Option("nb", "--lang", help=LANG_HELP),
    out: Path = typer.Option(..., "--out", help=OUT_HELP),
    all_: bool = typer.Option(False, "--all", help="Every county with participating municipalities."),
    fmt: str = typer.Option("pdf", "--format", help=FORMAT_HELP),
    jobs: int = typer.Option(2, "--jobs", min=1, help="Worker processes for --all."),
) -> None:
    """A county review: the county's chapters, its municipalities' status matrix, roll-ups, shared gaps and actions.

    Example: dugnad publish county-review --unit 46 --round 1 --lang en --out vestland.html
    """
    _run("county-review", unit, round_id, lang, out, all_, fmt, jobs)


@publish_app.command("vsr")
def publish_vsr(
    round_id: int = typer.Option(..., "--round", help="Round id (from `dugnad rounds list`)."),
    lang: str = typer.Option("nb", "--lang", help=LANG_HELP),
    out: Path = typer.Option(..., "--out", help="Output file (.pdf or .html)."),
) -> None:
    """The national review (VSR) of a round: participation, survey results, goal status and VLR summaries.

    Example: dugnad publish vsr --round 1 --out vsr.pdf
    """
    _run("vsr", None, round_id, lang, out, False, "pdf", 1)


def register(app: typer.Typer) -> None:
    """Add `publish` to the main app."""
    app.add_typer(publish_app, name="publish")

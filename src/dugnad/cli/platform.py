"""CLI commands that run the platform: init, demo, serve (supervising gunicorn and the task worker), worker."""

from __future__ import annotations

import os
import socket
import sys
import tempfile
from pathlib import Path

import typer

from dugnad.cli.django import setup_django
from dugnad.cli.language import _
from dugnad.cli.lifetime import start_child, supervise
from dugnad.cli.output import console, fail


def init() -> None:
    """Create or migrate the database and load the unit registry, population and the SDG catalogue (idempotent)."""
    setup_django()
    from django.core.management import call_command

    from dugnad.catalogue.services import (
        catalogue_load_county_indicators,
        catalogue_load_snapshot,
        catalogue_load_supplement,
    )
    from dugnad.units.services import population_load_snapshot, registry_load_snapshot

    console.print(_("Migrerer databasen …"))
    call_command("migrate", interactive=False, verbosity=0)
    units = registry_load_snapshot()
    console.print(_("Enhetsregister: %(summary)s") % {"summary": units.summary()})
    console.print(population_load_snapshot().summary())
    catalogue = catalogue_load_snapshot()
    console.print(_("Katalog: %(summary)s") % {"summary": catalogue.summary()})
    console.print(catalogue_load_supplement().summary())
    console.print(catalogue_load_county_indicators().summary())


def demo(
    serve_after: bool = typer.Option(True, "--serve/--no-serve", help="Start the web server after preparing."),
    port: int = typer.Option(8000, help="Port for the web server."),
) -> None:
    """Prepare the embedded database with demo data and start the platform at http://127.0.0.1:8000."""
    init()
    from dugnad.demo.services import demo_load

    result = demo_load()
    console.print(result.summary())
    console.print(f"[bold]{_('Demo-innlogginger')}[/] {_('(brukernavn / passord):')}")
    for login in result.logins:
        console.print(f"  {login.role_label:<32} {login.username} / {login.password}  ({login.unit_name})")
    if serve_after:
        serve(port=port, host="127.0.0.1", workers=2, task_worker=True)


def telemark_snapshot(
    data_dir: Path = typer.Argument(..., help="The folder of the Telemark files (../shared/data/no/telemark-fylke).",
                                    exists=True, file_okay=False),
    output: Path | None = typer.Option(None, "--output", "-o", help="Where to write (default: the shipped snapshot)."),
    counties: bool = typer.Option(False, "--counties", help="Build the snapshot of real county values of the "
                                  "county-level indicators (examples/counties/*.yaml) instead."),
) -> None:
    """Regenerate the demo's snapshot of real Telemark values: each file imported with its mapping
    (examples/telemark/*.yaml) into a throwaway database, then exported with source, licence and attribution.
    With --counties: the real county values (examples/counties/*.yaml, data/county_observations.csv.gz).

    Example: [bold]dugnad telemark-snapshot ../shared/data/no/telemark-fylke[/]
    """
    with tempfile.TemporaryDirectory(prefix="dugnad-telemark-") as scratch:
        os.environ["DUGNAD_DATABASE_URL"] = f"sqlite:///{Path(scratch) / 'snapshot.sqlite3'}"
        init()
        from dugnad.demo import telemark

        snapshot = telemark.COUNTY_SNAPSHOT_FILE if counties else telemark.SNAPSHOT_FILE
        choice = ({"examples": telemark.COUNTY_EXAMPLES_DIR, "header": telemark.COUNTY_HEADER} if counties else {})
        try:
            data = telemark.telemark_snapshot_build(data_dir=data_dir, **choice)
        except ValueError as exc:
            raise fail(str(exc)) from exc
    from dugnad.common.files import write_atomic

    target = output or snapshot
    write_atomic(target, data)
    console.print(_("Skrev %(file)s (%(n)s byte).") % {"file": target, "n": len(data)})


def _port_free(host: str, port: int) -> bool:
    """Whether HOST:PORT can be listened on now."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8000, help="Port to listen on."),
    workers: int = typer.Option(2, help="WSGI worker processes."),
    task_worker: bool = typer.Option(True, "--task-worker/--no-task-worker",
                                     help="Also run `dugnad worker` (background tasks such as «Lag rapport»)."),
) -> None:
    """Serve the web platform with gunicorn (WSGI) on HOST:PORT and the background task worker, and supervise both.

    SIGTERM or SIGINT (Ctrl+C) is passed on to both; the command ends when they have. If one of them stops by
    itself, the other is stopped too and the command ends with an error.
    """
    if not _port_free(host, port):
        raise fail(_("%(address)s er allerede i bruk; velg en annen port med --port (f.eks. --port %(next)s)") % {
            "address": f"{host}:{port}", "next": port + 1})
    setup_django()
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)
    console.print(_("Dugnad kjører på %(url)s – Ctrl+C stopper.") % {"url": f"[link]http://{host}:{port}[/]"})
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "dugnad.config.settings"}
    children = {"web": start_child([sys.executable, "-m", "gunicorn", "dugnad.config.wsgi", "-b", f"{host}:{port}",
                                    "-w", str(workers), "-c", "python:dugnad.config.gunicorn"], env)}
    if task_worker:
        children["worker"] = start_child([sys.executable, "-m", "dugnad.cli.main", "worker"], env)
    raise typer.Exit(supervise(children))


def worker(
    queue: str = typer.Option("default", "--queue", help="Queue name to take tasks from."),
    interval: float = typer.Option(1.0, "--interval", help="Seconds between polls when the queue is empty."),
    batch: bool = typer.Option(False, "--batch", help="Run the waiting tasks and stop (for scripts and tests)."),
) -> None:
    """Run background tasks (report generation from the web's «Lag rapport»); `dugnad serve` starts one.

    While it runs it writes a heartbeat that /health/ reports. SIGTERM lets the running task finish first.

    Example: dugnad worker
    """
    setup_django()
    from django.core.management import call_command
    from django.utils.crypto import get_random_string

    from dugnad.operations.heartbeat import heartbeat_start

    worker_id = get_random_string(32)
    args = ["--queue-name", queue, "--interval", str(interval), "--no-reload", "--worker-id", worker_id]
    args += ["--batch", "--no-startup-delay"] if batch else []
    stop = heartbeat_start(worker_id)
    try:
        call_command("db_worker", *args)
    finally:
        stop.set()


def register(app: typer.Typer) -> None:
    """Add init, demo, serve and worker to the main app."""
    app.command("init")(init)
    app.command("demo")(demo)
    app.command("telemark-snapshot")(telemark_snapshot)
    app.command("serve")(serve)
    app.command("worker")(worker)

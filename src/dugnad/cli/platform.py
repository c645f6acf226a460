"""CLI commands that run the platform: init, demo, serve."""

from __future__ import annotations

import os
import subprocess
import sys

import typer

from dugnad.cli.django import setup_django
from dugnad.cli.output import console


def init() -> None:
    """Create or migrate the database and load the unit registry, population and the SDG catalogue (idempotent)."""
    setup_django()
    from django.core.management import call_command

    from dugnad.catalogue.services import catalogue_load_snapshot
    from dugnad.units.services import population_load_snapshot, registry_load_snapshot

    console.print("Migrerer databasen …")
    call_command("migrate", interactive=False, verbosity=0)
    units = registry_load_snapshot()
    console.print(f"Enhetsregister: {units.summary()}")
    console.print(population_load_snapshot().summary())
    catalogue = catalogue_load_snapshot()
    console.print(f"Katalog: {catalogue.summary()}")


def demo(
    serve_after: bool = typer.Option(True, "--serve/--no-serve", help="Start the web server after preparing."),
    port: int = typer.Option(8000, help="Port for the web server."),
) -> None:
    """Prepare the embedded database with demo data and start the platform at http://127.0.0.1:8000."""
    init()
    from dugnad.demo.services import demo_load

    result = demo_load()
    console.print(result.summary())
    console.print("[bold]Demo-innlogginger[/] (brukernavn / passord):")
    for login in result.logins:
        console.print(f"  {login.role_label:<32} {login.username} / {login.password}  ({login.unit_name})")
    if serve_after:
        serve(port=port, host="127.0.0.1", workers=2, task_worker=True)


def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8000, help="Port to listen on."),
    workers: int = typer.Option(2, help="WSGI worker processes."),
    task_worker: bool = typer.Option(True, "--task-worker/--no-task-worker",
                                     help="Also run `dugnad worker` (background tasks such as «Lag rapport»)."),
) -> None:
    """Serve the web platform with gunicorn (WSGI) on HOST:PORT (and the background task worker)."""
    setup_django()
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)
    console.print(f"Dugnad kjører på [link]http://{host}:{port}[/] – Ctrl+C stopper.")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "dugnad.config.settings"}
    cmd = [sys.executable, "-m", "gunicorn", "dugnad.config.wsgi", "-b", f"{host}:{port}", "-w", str(workers)]
    tasks = subprocess.Popen([sys.executable, "-m", "dugnad.cli.main", "worker"], env=env) if task_worker else None
    try:
        code = subprocess.call(cmd, env=env)
    finally:
        if tasks is not None:
            tasks.terminate()
            tasks.wait(timeout=10)
    raise typer.Exit(code)


def register(app: typer.Typer) -> None:
    """Add init, demo and serve to the main app."""
    app.command("init")(init)
    app.command("demo")(demo)
    app.command("serve")(serve)

"""The ``dugnad`` command: assembles the command groups defined in sibling modules.

The modules are imported lazily: ``dugnad score …`` imports only ``dugnad.cli.score`` (start-up matters for
short commands), any other invocation builds the whole app. ``from dugnad.cli.main import app`` gives the
whole app, as before.
"""

from __future__ import annotations

import importlib
import sys

import typer

#: The modules whose ``register(app)`` adds commands, in registration order.
COMMAND_MODULES = ("platform", "backup", "units", "catalogue", "imports", "export", "sync", "score", "rollup",
                   "convert", "rounds", "actions", "networks", "requests", "mobilisation", "practices", "targets",
                   "readings", "publish", "maps", "site", "portal")


def build_app(modules: tuple[str, ...] = COMMAND_MODULES) -> typer.Typer:
    """The ``dugnad`` app with the commands of the given modules."""
    app = typer.Typer(
        name="dugnad",
        help="Dugnad: coordinated SDG reporting for municipalities, counties and the state.",
        no_args_is_help=True,
        rich_markup_mode="rich",
        pretty_exceptions_enable=False,
    )
    for name in modules:
        importlib.import_module(f"dugnad.cli.{name}").register(app)
    return app


def _single_module_command(argv: list[str]):
    """The click group holding only the invoked command when one module (named like it) provides it, else None."""
    command = next((arg for arg in argv if not arg.startswith("-")), None)
    if command is None or not argv or argv[0] != command:
        return None
    candidates = [m for m in COMMAND_MODULES if m in (command, f"{command}s")]
    if len(candidates) != 1:
        return None
    group = typer.main.get_group(build_app((candidates[0],)))
    return group if command in group.commands else None


def main() -> None:
    """Console entry point: runs the invoked command, importing only its module when that suffices.

    Django, when a command starts it, speaks the CLI's language (``dugnad.cli.language``).
    """
    from dugnad.cli import django as cli_django

    cli_django.ACTIVATE_LANGUAGE = True
    group = _single_module_command(sys.argv[1:])
    if group is None:
        build_app()()
    else:
        group(prog_name="dugnad")


def __getattr__(name: str) -> typer.Typer:
    if name == "app":
        app = build_app()
        globals()["app"] = app
        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


if __name__ == "__main__":
    main()

"""Shared CLI output: tables as rich tables or CSV, errors to stderr with an exit code."""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterable, Sequence
from enum import StrEnum

import click
import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from typer.core import TyperGroup

from dugnad.cli.language import _

console = Console()
err_console = Console(stderr=True)


class OutputFormat(StrEnum):
    """How list commands print their rows."""

    TABLE = "table"
    CSV = "csv"


def print_rows(header: Sequence[str], rows: Iterable[Sequence[object]], fmt: OutputFormat, title: str = "") -> None:
    """Print rows as a rich table or as CSV (with a header row) on standard output."""
    if fmt is OutputFormat.CSV:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow(["" if v is None else v for v in row])
        return
    table = Table(title=title or None)
    for name in header:
        table.add_column(name)
    for row in rows:
        table.add_row(*("" if v is None else str(v) for v in row))
    console.print(table)


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print an error message to stderr and return the Exit to raise."""
    err_console.print(f"[bold red]{_('Feil:')}[/] {escape(message)}", highlight=False)
    return typer.Exit(code)


class DefaultCommandGroup(TyperGroup):
    """A command group whose first argument, when it names no subcommand, goes to its ``file`` command.

    So ``dugnad import data.xlsx`` runs ``import file data.xlsx`` while ``dugnad import csv data.csv`` still
    runs the ``csv`` subcommand.
    """

    default_command = "file"

    def resolve_command(self, ctx: click.Context, args: list[str]):
        """The named subcommand, else the default command with every argument."""
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            return self.default_command, self.commands[self.default_command], args
        return super().resolve_command(ctx, args)

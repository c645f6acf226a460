"""Command-line entry point (typer + rich): one module per command group."""

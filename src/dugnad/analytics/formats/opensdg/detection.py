"""Recognising Open SDG data: an ``indicator_*.csv`` file (``Year`` first, ``Value`` among the columns) or a data directory."""

from __future__ import annotations

from pathlib import Path

from dugnad.analytics.formats.registry import register_format


def _sniff(head: bytes) -> bool:
    """Whether the first bytes look like an Open SDG indicator file: ``Year`` first, ``Value`` among the columns."""
    line = head.lstrip(b"\xef\xbb\xbf").split(b"\n", 1)[0].decode("utf-8", "replace").strip()
    names = [n.strip().strip('"').strip() for n in line.split(",")]
    lower = {n.lower() for n in names}
    return bool(names) and names[0] == "Year" and "Value" in names and not lower & {"unit", "indicator"}


def _sniff_directory(path: Path) -> bool:
    """Whether a directory holds Open SDG indicator files (itself or in ``data/``)."""
    return any(path.glob("indicator_*.csv")) or any(path.glob("data/indicator_*.csv"))


register_format("open-sdg", label="Open SDG indicator files (a data directory or one indicator_*.csv)",
                extensions=("csv",), sniff=_sniff, sniff_directory=_sniff_directory)

"""Open SDG metadata: file ids of indicators (``1-1-1``) and the front matter of ``meta/<id>.md``."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from dugnad.analytics.formats.opensdg.columns import SLUG, STATUS_COLUMN
from dugnad.analytics.formats.problems import ProblemLog


def indicator_slug(indicator: str) -> str:
    """File id of an indicator: ``1.1.1`` → ``1-1-1`` (other characters outside [0-9A-Za-z_-] become ``_``)."""
    return SLUG.sub("_", indicator.replace(".", "-"))


def indicator_from_slug(slug: str) -> str:
    """The indicator code of a file id when no metadata says otherwise: ``1-1-1`` → ``1.1.1``."""
    return slug.replace("-", ".") if re.fullmatch(r"\d+(-\d+|-[a-z])+", slug) else slug


def indicator_metadata(indicator: str, *, name: str | None = None, graph_type: str = "line",
                       source: str | None = None, status_column: bool = False) -> dict:
    """The Open SDG metadata of one indicator (the front matter of ``meta/<id>.md``).

    Without a name, an SDG indicator code (``1.1.1``) gets no ``indicator_name``/``graph_title``, so that
    Open SDG shows the global indicator's translated title; any other code is its own name.
    """
    titled = name is not None or re.fullmatch(r"\d+(\.\d+|\.[a-z])+", indicator) is None
    meta: dict = {"indicator_number": indicator}
    if titled:
        meta["indicator_name"] = name or indicator
    meta["graph_type"] = graph_type
    if titled:
        meta["graph_title"] = name or indicator
    meta |= {
        "data_non_statistical": False,
        "reporting_status": "complete",
        "published": True,
        "data_show_map": True,
    }
    if source:
        meta.update({"source_active_1": True, "source_organisation_1": source})
    if status_column:
        meta["observation_attributes"] = [{"field": STATUS_COLUMN, "label": STATUS_COLUMN}]
    return meta



def meta_dirs(data_file: Path) -> list[Path]:
    """Where an indicator file's metadata may be: ``meta/`` next to its folder, or next to the file."""
    folder = data_file.parent
    return [folder.parent / "meta", folder / "meta"] if folder.name == "data" else [folder / "meta"]


def indicator_number(meta_dirs: list[Path], slug: str, log: ProblemLog) -> str:
    """``indicator_number`` from ``meta/<slug>.md`` front matter (or ``.yml``/``.yaml``), else from the slug."""
    for meta_dir in meta_dirs:
        for name in (f"{slug}.md", f"{slug}.yml", f"{slug}.yaml"):
            path = meta_dir / name
            if not path.is_file():
                continue
            try:
                text = path.read_text(encoding="utf-8")
                if name.endswith(".md"):
                    text = text.split("---")[1] if text.lstrip("\ufeff").startswith("---") else ""
                meta = yaml.safe_load(text)
            except (OSError, UnicodeDecodeError, yaml.YAMLError, IndexError) as exc:
                log.warning(f"metadata not readable ({type(exc).__name__}); indicator taken from the file name",
                            file=str(path))
                return indicator_from_slug(slug)
            if isinstance(meta, dict) and meta.get("indicator_number") not in (None, ""):
                return str(meta["indicator_number"])
            return indicator_from_slug(slug)
    return indicator_from_slug(slug)

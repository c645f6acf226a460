"""Frictionless Data Package: ``datapackage.json`` with one tidy CSV resource described by a Table Schema."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa

from dugnad.analytics.formats.problems import ProblemLog
from dugnad.analytics.formats.registry import TableReader, TableWriter, register_format, register_reader, register_writer
from dugnad.analytics.formats.source import InputSource
from dugnad.analytics.formats.table import dimension_columns
from dugnad.analytics.formats.tidy_csv import TidyCsvReader, TidyCsvWriter
from dugnad.analytics.types import ObservationStatus

register_format("datapackage", label="Frictionless Data Package (directory)", extensions=("datapackage",),
                sniff=lambda head: head.lstrip().startswith(b"{") and b'"resources"' in head,
                sniff_directory=lambda path: (path / "datapackage.json").is_file())

RESOURCE_PATH = "data/observations.csv"


def table_schema(table: pa.Table) -> dict:
    """The Table Schema of a tidy table (types, required key fields, status enum, primary key)."""
    dims = dimension_columns(table)
    fields = [
        {"name": "unit", "type": "string", "title": "Enhet (kommune/fylke/land)", "constraints": {"required": True}},
        {"name": "indicator", "type": "string", "title": "Indikator", "constraints": {"required": True}},
        {"name": "period", "type": "string", "title": "Periode", "constraints": {"required": True}},
        *({"name": d, "type": "string"} for d in dims),
        {"name": "value", "type": "number", "title": "Verdi"},
        {"name": "status", "type": "string", "title": "Status",
         "constraints": {"required": True, "enum": [s.value for s in ObservationStatus]}},
    ]
    return {"fields": fields, "missingValues": [""]}


@register_writer
class DataPackageWriter(TableWriter):
    """Writes ``datapackage.json`` and ``data/observations.csv`` (options: ``name``, ``title``, ``licence``)."""

    format_name = "datapackage"
    directory = True

    def write(self, table: pa.Table, target: Path, **options: object) -> None:
        """Write the CSV resource and its descriptor into the directory ``target``."""
        (target / "data").mkdir(parents=True, exist_ok=True)
        TidyCsvWriter().write(table, target / RESOURCE_PATH)
        descriptor = {
            "name": str(options.get("name") or "dugnad-observations"),
            "title": str(options.get("title") or "Dugnad observations"),
            "licenses": [{"name": str(options.get("licence") or "CC-BY-4.0")}],
            "resources": [{
                "name": "observations",
                "path": RESOURCE_PATH,
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": table_schema(table),
            }],
        }
        (target / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False, indent=2), encoding="utf-8")


@register_reader
class DataPackageReader(TableReader):
    """Reads the tidy CSV resource of a data package directory (or its ``datapackage.json``)."""

    format_name = "datapackage"

    def read(self, source: InputSource, log: ProblemLog, **options: object) -> pa.Table:
        """The tidy table of the first resource, checked like a tidy CSV."""
        if source.path is None:
            raise log.fail("a data package must be read from a directory or a datapackage.json path")
        descriptor_path = source.path / "datapackage.json" if source.path.is_dir() else source.path
        try:
            descriptor = json.loads(InputSource.of(descriptor_path).read_bytes().decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise log.fail(f"datapackage.json is not valid JSON: {exc}", file=str(descriptor_path)) from exc
        resources = descriptor.get("resources") if isinstance(descriptor, dict) else None
        path = resources[0].get("path") if isinstance(resources, list) and resources and isinstance(resources[0], dict) else None
        if not isinstance(path, str) or Path(path).is_absolute() or ".." in Path(path).parts:
            raise log.fail("the first resource needs a relative 'path'", file=str(descriptor_path),
                           path="$.resources[0].path")
        resource = descriptor_path.parent / path
        log.file = str(resource)
        return TidyCsvReader().read(InputSource.of(resource), log, **options)

"""The Open SDG writer: ``data/indicator_<id>.csv`` and ``meta/<id>.md``/``.yml`` per indicator."""

from __future__ import annotations

import csv
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import yaml

from dugnad.analytics.formats.opensdg.columns import MEASURE_DIMENSION, NATIONAL_UNIT, REGION_COLUMN, SPECIAL, STATUS_COLUMN
from dugnad.analytics.formats.opensdg.metadata import indicator_metadata, indicator_slug
from dugnad.analytics.formats.registry import TableWriter, register_writer
from dugnad.analytics.formats.table import dimension_columns, format_values
from dugnad.analytics.report import InputError, ValidationReport
from dugnad.analytics.types import ObservationStatus


@register_writer
class OpenSdgWriter(TableWriter):
    """Writes one data CSV and one metadata file per indicator into a directory, as sdg-build's defaults read them.

    Options: ``names`` (indicator → name), ``graph_type`` (default ``line``), ``source``,
    ``national_unit`` (default ``0``: written with an empty GeoCode, Open SDG's headline),
    ``region_column`` (default ``Region``: the disaggregation column naming the other units, so that they are
    not part of the headline; its cells are ``unit_names[code]`` or the code), ``unit_names`` (code → name),
    ``statuses`` (``column``, the default: an ``Observation status`` column before ``Value`` when some
    status is not ok; ``omit``: no status column), ``meta`` (``both``, the default: ``meta/<id>.md`` front
    matter, read by sdg-build's default input, and ``meta/<id>.yml``, read by ``InputYamlMeta`` as in
    open-sdg-data-starter; ``md`` or ``yml``: only one of them),
    ``confidential`` (``keep``, the default, or ``blank``: no value for confidential observations).
    """

    format_name = "open-sdg"
    directory = True

    def write(self, table: pa.Table, target: Path, **options: object) -> None:
        """Write ``data/indicator_<id>.csv`` and its metadata for every indicator of ``table``."""
        dims = dimension_columns(table)
        statuses = str(options.get("statuses") or "column")
        confidential = str(options.get("confidential") or "keep")
        meta_forms = {"md": ("md",), "yml": ("yml",), "both": ("md", "yml")}.get(str(options.get("meta") or "both"))
        region = str(options.get("region_column", REGION_COLUMN) or "")
        clash = [d for d in dims if d in SPECIAL or d == region]
        problems = []
        if clash:
            problems.append(f"dimension column(s) {', '.join(clash)} clash with Open SDG column names")
        if statuses not in ("column", "omit"):
            problems.append(f"statuses={statuses!r}: use 'column' or 'omit'")
        if confidential not in ("keep", "blank"):
            problems.append(f"confidential={confidential!r}: use 'keep' or 'blank'")
        if meta_forms is None:
            problems.append(f"meta={options.get('meta')!r}: use 'md', 'yml' or 'both'")
        if problems:
            report = ValidationReport(source=str(target))
            for problem in problems:
                report.add(problem)
            raise InputError(report)
        assert meta_forms is not None
        names = options.get("names") or {}
        unit_names = options.get("unit_names") or {}
        assert isinstance(names, dict) and isinstance(unit_names, dict)
        national = str(options.get("national_unit", NATIONAL_UNIT))
        (target / "data").mkdir(parents=True, exist_ok=True)
        (target / "meta").mkdir(parents=True, exist_ok=True)
        slugs: dict[str, str] = {}
        for indicator in sorted(pc.unique(table.column("indicator")).to_pylist()):
            slug = indicator_slug(indicator)
            if slug in slugs:
                report = ValidationReport(source=str(target))
                report.add(f"indicators {slugs[slug]!r} and {indicator!r} share the file id {slug!r}")
                raise InputError(report)
            slugs[slug] = indicator
            part = table.filter(pc.equal(table.column("indicator"), indicator))
            with_status = _write_indicator_csv(part, dims, target / "data" / f"indicator_{slug}.csv",
                                               national=national, statuses=statuses, region=region,
                                               blank_confidential=confidential == "blank",
                                               unit_names=unit_names)
            meta = indicator_metadata(indicator, name=names.get(indicator), graph_type=str(options.get("graph_type") or "line"),
                                      source=str(options["source"]) if options.get("source") else None,
                                      status_column=with_status)
            text = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)
            if "md" in meta_forms:
                (target / "meta" / f"{slug}.md").write_text(f"---\n{text}---\n", encoding="utf-8")
            if "yml" in meta_forms:
                (target / "meta" / f"{slug}.yml").write_text(text, encoding="utf-8")


def _write_indicator_csv(part: pa.Table, dims: list[str], path: Path, *, national: str, statuses: str, region: str,
                         unit_names: dict, blank_confidential: bool) -> bool:
    """One indicator's rows as an Open SDG CSV; returns whether it has a status column.

    Columns: ``Year``, ``Units`` (from ``unit_measure``), ``Region`` (only when there are other units than the
    national one), the other dimensions, ``GeoCode`` (empty for the national unit), ``Observation status`` (only
    when some status is not ok and statuses are written), ``Value``.
    """
    status_values = part.column("status").to_pylist()
    with_status = statuses == "column" and any(s != ObservationStatus.OK.value for s in status_values)
    units = part.column("unit").to_pylist()
    regions = [region] if region and any(u != national for u in units) else []
    others = [d for d in dims if d != MEASURE_DIMENSION]
    measure = ["Units"] if MEASURE_DIMENSION in dims else []
    header = ["Year", *measure, *regions, *others, "GeoCode"] + ([STATUS_COLUMN] if with_status else []) + ["Value"]
    columns = [part.column("period").to_pylist()]
    columns += [part.column(MEASURE_DIMENSION).to_pylist()] if measure else []
    columns += [["" if u == national else str(unit_names.get(u) or u) for u in units]] if regions else []
    columns += [part.column(d).to_pylist() for d in others]
    columns.append(["" if u == national else u for u in units])
    if with_status:
        columns.append(["" if s == ObservationStatus.OK.value else s for s in status_values])
    values = format_values(part.column("value"))
    if blank_confidential:
        values = ["" if s == ObservationStatus.CONFIDENTIAL.value else v for s, v in zip(status_values, values, strict=True)]
    columns.append(values)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(("" if v is None else v for v in row) for row in zip(*columns, strict=True))
    return with_status


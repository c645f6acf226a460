"""Open SDG data layout: ``data/indicator_<id>.csv`` (Year, …, GeoCode, Value) and ``meta/<id>.md`` front matter.

The writer follows what sdg-build (the Open SDG build tool) reads under its default configuration; the
reader takes single indicator files or whole data directories as real Open SDG data repositories hold them.
See ``docs/formats.md`` (Open SDG) for the column mapping.

Modules: ``columns`` (the special columns), ``detection`` (recognising files and directories; registers the
format), ``metadata`` (file ids and front matter), ``writer``, ``reader`` and ``rows`` (one file's rows into
the tidy table).
"""

from __future__ import annotations

from dugnad.analytics.formats.opensdg import detection  # noqa: F401  (registers the format first)
from dugnad.analytics.formats.opensdg.columns import MEASURE_DIMENSION, NATIONAL_UNIT, REGION_COLUMN, STATUS_COLUMN
from dugnad.analytics.formats.opensdg.metadata import indicator_from_slug, indicator_metadata, indicator_slug
from dugnad.analytics.formats.opensdg.reader import OpenSdgReader
from dugnad.analytics.formats.opensdg.writer import OpenSdgWriter

__all__ = ["MEASURE_DIMENSION", "NATIONAL_UNIT", "REGION_COLUMN", "STATUS_COLUMN", "OpenSdgReader", "OpenSdgWriter",
           "indicator_from_slug", "indicator_metadata", "indicator_slug"]

"""The SDMX data structure for local SDG data (UN SDG concepts) and the tidy ↔ SDMX component mapping."""

from __future__ import annotations

import re
from dataclasses import dataclass

from dugnad.analytics.formats.deferred import DeferredModule

message = DeferredModule("sdmx.message")
common = DeferredModule("sdmx.model.common")
m = DeferredModule("sdmx.model.v21")

AGENCY = "DUGNAD"
VERSION = "1.0"
DSD_ID = "DSD_SDG_LOCAL"
DATAFLOW_ID = "DF_SDG_LOCAL"

#: UN SDG (SDMX global DSD) concepts used by the local data structure: id → English name.
CONCEPTS: dict[str, str] = {
    "REF_AREA": "Reference area (Norwegian unit code: 0 country, 2-digit county, 4-digit municipality)",
    "SERIES": "SDG series / indicator code",
    "SEX": "Sex",
    "AGE": "Age",
    "TIME_PERIOD": "Time period",
    "OBS_VALUE": "Observation value",
    "OBS_STATUS": "Observation status",
    "CONF_STATUS": "Confidentiality status",
    "UNIT_MEASURE": "Unit of measure",
}

#: Key dimensions of the DSD in order; SEX and AGE use ``_T`` (total) when a table has no such column.
FIXED_DIMENSIONS = ("REF_AREA", "SERIES", "SEX", "AGE")
#: Disaggregation dimensions that default to ``_T`` (total).
TOTAL_DIMENSIONS = ("SEX", "AGE")
TOTAL = "_T"
NOT_APPLICABLE = "_Z"
#: Observation-level attributes.
ATTRIBUTES = ("OBS_STATUS", "CONF_STATUS", "UNIT_MEASURE")

#: Tidy key columns and their SDMX components; INDICATOR is read as a synonym of SERIES.
KEY_COMPONENTS = {"unit": "REF_AREA", "indicator": "SERIES", "period": "TIME_PERIOD"}
SERIES_SYNONYMS = ("SERIES", "INDICATOR")
#: Tidy dimension column names (lower-case) that map onto DSD concepts.
COLUMN_ALIASES = {"sex": "SEX", "kjønn": "SEX", "kjonn": "SEX", "age": "AGE", "alder": "AGE",
                  "unit_measure": "UNIT_MEASURE"}

#: CL_OBS_STATUS codes used, with SDMX cross-domain names.
OBS_STATUS_CODES = {"A": "Normal value", "O": "Missing value", "M": "Missing value; data cannot exist",
                    "P": "Provisional value"}
CONF_STATUS_CODES = {"F": "Free", "C": "Confidential statistical information"}


@dataclass(frozen=True)
class Layout:
    """How a tidy table's columns map onto the DSD: tidy dimension column → SDMX id, and extra dimensions."""

    columns: dict[str, str]
    extra_dimensions: tuple[str, ...]

    @property
    def dimensions(self) -> tuple[str, ...]:
        """All key dimension ids in DSD order (without TIME_PERIOD)."""
        return (*FIXED_DIMENSIONS, *self.extra_dimensions)


def sdmx_id(column: str) -> str:
    """SDMX component id for a tidy dimension column (known aliases, else upper-case with ``_``)."""
    alias = COLUMN_ALIASES.get(column.lower())
    if alias:
        return alias
    ident = re.sub(r"[^A-Z0-9_]", "_", column.upper())
    return ident if ident[:1].isalpha() else f"D_{ident}"


def tidy_column(component: str) -> str:
    """Tidy column name for an SDMX component id (lower-case)."""
    return component.lower()


def layout_for(dimension_columns: list[str]) -> Layout:
    """The mapping of a table's dimension columns; extra columns become extra dimensions."""
    columns = {c: sdmx_id(c) for c in dimension_columns}
    reserved = {"REF_AREA", "TIME_PERIOD", "OBS_VALUE", "OBS_STATUS", "CONF_STATUS", *SERIES_SYNONYMS}
    clash = [c for c, ident in columns.items() if ident in reserved]
    if clash:
        raise ValueError(f"dimension column(s) {', '.join(clash)} clash with SDMX components of the key or measure")
    used = set(FIXED_DIMENSIONS) | {"TIME_PERIOD", "OBS_VALUE", *ATTRIBUTES}
    extra = tuple(ident for ident in columns.values() if ident not in used)
    if len(set(columns.values())) != len(columns):
        raise ValueError(f"dimension columns map onto the same SDMX id: {columns}")
    return Layout(columns=columns, extra_dimensions=extra)


def build_structure(layout: Layout | None = None) -> tuple[m.DataStructureDefinition, m.DataflowDefinition,
                                                          common.ConceptScheme, list[common.Codelist]]:
    """The DSD (with any extra dimensions), its dataflow, concept scheme and status code lists."""
    layout = layout or Layout(columns={}, extra_dimensions=())
    agency = common.Agency(id=AGENCY, name="Dugnad")
    ma = {"maintainer": agency, "version": VERSION}
    concepts = common.ConceptScheme(id="CS_SDG_LOCAL", name="Dugnad local SDG concepts", **ma)
    for ident, name in CONCEPTS.items():
        concepts.setdefault(id=ident, name=name)
    for ident in layout.extra_dimensions:
        concepts.setdefault(id=ident, name=ident.replace("_", " ").title())
    codelists = [_codelist("CL_OBS_STATUS", OBS_STATUS_CODES, ma), _codelist("CL_CONF_STATUS", CONF_STATUS_CODES, ma)]
    dsd = m.DataStructureDefinition(id=DSD_ID, name="Local SDG indicator data", **ma)
    for ident in layout.dimensions:
        dsd.dimensions.getdefault(id=ident, concept_identity=concepts[ident])
    dsd.dimensions.getdefault(id="TIME_PERIOD", cls=m.TimeDimension, concept_identity=concepts["TIME_PERIOD"])
    dsd.measures.getdefault(id="OBS_VALUE", concept_identity=concepts["OBS_VALUE"])
    for ident in ATTRIBUTES:
        dsd.attributes.getdefault(id=ident, concept_identity=concepts[ident],
                                  related_to=m.PrimaryMeasureRelationship())
    flow = m.DataflowDefinition(id=DATAFLOW_ID, name="Local SDG indicator data", structure=dsd, **ma)
    return dsd, flow, concepts, codelists


def structure_message(layout: Layout | None = None) -> message.StructureMessage:
    """A structure message holding the DSD, dataflow, concepts and code lists (writable with ``sdmx.to_xml``)."""
    dsd, flow, concepts, codelists = build_structure(layout)
    msg = message.StructureMessage()
    msg.add(dsd)
    msg.add(flow)
    msg.add(concepts)
    for codelist in codelists:
        msg.add(codelist)
    return msg


def _codelist(ident: str, codes: dict[str, str], ma: dict) -> common.Codelist:
    """A code list with the given codes and names."""
    codelist = common.Codelist(id=ident, **ma)
    for code, name in codes.items():
        codelist.setdefault(id=code, name=name)
    return codelist

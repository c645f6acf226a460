"""Region code rules: which JSON-stat dimension holds regions and how SSB codes become Dugnad unit codes."""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Dimension ids that always hold regions (besides any dimension with role ``geo``).
REGION_DIMENSION_IDS = frozenset({"Region", "KOKkommuneregion0000", "KOKfylkesregion0000", "KOKbydelsregion0000"})
_REGION_ID = re.compile(r"KOK\w*region\d*", re.IGNORECASE)

#: Codes that mean the whole country (unit ``0``), with the labels SSB gives ``TOTAL``.
COUNTRY_CODES = frozenset({"0", "EAK"})
COUNTRY_LABELS = frozenset({"hele landet", "the whole country", "landet"})

_PLAIN = re.compile(r"\d{2}|\d{4}")
_AGGREGATE = re.compile(r"(?P<kind>[KF])-(?P<code>\d{2}|\d{4})")
_KOSTRA_SPECIAL = re.compile(r"EA[A-Z0-9]+|EK[A-Z]?\d+[A-Z0-9]*|EK[A-Z]+\d*|EAK[A-Z]+")


@dataclass(frozen=True)
class RegionCode:
    """A region code read from a source: the Dugnad unit code and, when not a plain code, why it was kept."""

    unit: str
    note: str | None = None


def is_region_dimension(dimension_id: str, roles_geo: frozenset[str]) -> bool:
    """Whether a JSON-stat dimension holds regions (role geo, ``Region`` or a KOSTRA region variable)."""
    return dimension_id in roles_geo or dimension_id in REGION_DIMENSION_IDS or bool(_REGION_ID.fullmatch(dimension_id))


def unit_code(code: str, label: str | None = None) -> RegionCode:
    """The Dugnad unit code for an SSB region code.

    ``0301`` / ``03`` stay; SSB harmonised aggregates ``K-3001`` → ``3001`` and ``F-03`` → ``03``;
    ``EAK`` (and ``TOTAL`` labelled *Hele landet*) → ``0``; KOSTRA special regions such as ``EKA31``
    (county aggregates) and ``EKG01`` (KOSTRA groups) and any other code are kept with a note.
    """
    if code in COUNTRY_CODES:
        return RegionCode("0")
    if code == "TOTAL" and label is not None and label.strip().lower() in COUNTRY_LABELS:
        return RegionCode("0")
    if _PLAIN.fullmatch(code):
        return RegionCode(code)
    match = _AGGREGATE.fullmatch(code)
    if match:
        return RegionCode(match["code"])
    if _KOSTRA_SPECIAL.fullmatch(code):
        return RegionCode(code, "KOSTRA special region (not a municipality or county) kept as it is")
    return RegionCode(code, "not a Norwegian municipality or county code; kept as it is")

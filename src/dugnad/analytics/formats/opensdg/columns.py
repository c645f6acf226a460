"""The columns of Open SDG's indicator files: the special ones, the headline unit, the region and the status."""

from __future__ import annotations

import re

#: The unit code of the country: written as an empty GeoCode (the headline), read for an empty or absent GeoCode.
NATIONAL_UNIT = "0"
#: The column Dugnad writes statuses to; sdg-build's default ``non_disaggregation_columns`` include it.
STATUS_COLUMN = "Observation status"
#: The disaggregation column that names the units other than the country (Open SDG's regional data).
REGION_COLUMN = "Region"
#: Tidy dimension column that holds the unit of measure (Open SDG ``Units``, SDMX ``UNIT_MEASURE``).
MEASURE_DIMENSION = "unit_measure"

#: Columns sdg-build does not treat as disaggregations by default (open_sdg_indicator_options_defaults),
#: plus Dugnad's earlier status columns.
UNITS_COLUMNS = ("Units", "UNIT_MEASURE", "Unit measure")
SERIES_COLUMNS = ("Series", "SERIES")
STATUS_COLUMNS = (STATUS_COLUMN, "OBS_STATUS")
DROPPED_COLUMNS = ("COMMENT_OBS", "COMMENT_TS", "Unit multiplier", "DATA_LAST_UPDATE")
SPECIAL = frozenset(("Year", "Value", "GeoCode", "CONF_STATUS", *UNITS_COLUMNS, *SERIES_COLUMNS,
                     *STATUS_COLUMNS, *DROPPED_COLUMNS))
SLUG = re.compile(r"[^0-9A-Za-z_-]+")

"""Services of the catalogue: loading the catalogue and saving indicator specifications."""

from dugnad.catalogue.services.catalogue import (
    CatalogueLoadResult,
    catalogue_apply,
    catalogue_import_taxonomy,
    catalogue_load_snapshot,
)
from dugnad.catalogue.services.specs import SpecLoadResult, indicator_spec_save, indicator_specs_load_csv
from dugnad.catalogue.services.supplement import (
    SupplementLoadResult,
    catalogue_load_county_indicators,
    catalogue_load_supplement,
)

__all__ = [
    "CatalogueLoadResult",
    "SpecLoadResult",
    "SupplementLoadResult",
    "catalogue_apply",
    "catalogue_import_taxonomy",
    "catalogue_load_county_indicators",
    "catalogue_load_snapshot",
    "catalogue_load_supplement",
    "indicator_spec_save",
    "indicator_specs_load_csv",
]

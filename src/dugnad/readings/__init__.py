"""Shared local readings of the SDG targets: what each target means here, per level (``dugnad.readings``)."""

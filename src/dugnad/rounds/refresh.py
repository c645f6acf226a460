"""Refreshing a submission's values from SSB through the imports app's sync service, where it is configured.

The refresh uses ``dugnad.imports.sync.ssb_sync`` with the mapping file ``dugnad.imports.sync.DEFAULT_MAPPING``
(a path), restricted to the round's indicators. Without that mapping file the action is hidden and the page says so.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from django.utils.translation import gettext as _

from dugnad.imports import sync


def refresh_available() -> bool:
    """Whether the default mapping file of the SSB sync is present."""
    path = getattr(sync, "DEFAULT_MAPPING", None)
    return bool(path and Path(path).exists())


def submission_refresh(*, user, submission) -> str:
    """Fetch the round's mapped indicators from SSB into the observation store; a summary line (active language).

    Permission is checked by the caller (``can_edit_submission``); the sync writes all-or-nothing per
    indicator with an ``ssb`` import run naming the user. Grid cells then show the new revisions.
    """
    if not refresh_available():
        return _("Oppdatering fra SSB er ikke satt opp på denne installasjonen.")
    from dugnad.imports.connectors.mapping import mapping_load
    from dugnad.imports.connectors.pxweb import PxWebClient

    mapping = mapping_load(sync.DEFAULT_MAPPING)
    wanted = set()
    for indicator in submission.round.indicators.select_related("framework"):
        wanted |= {indicator.code, f"{indicator.framework.code}:{indicator.code}"}
    items = tuple(i for i in mapping.indicators if i.key in wanted)
    if not items:
        return _("Ingen av rundens indikatorer hentes fra SSB.")
    result = sync.ssb_sync(mapping=replace(mapping, indicators=items), client=PxWebClient(), user=user)
    failed = [i for i in result.items if i.status == "failed"]
    return _("Oppdatert fra SSB: %(fetched)s indikatorer hentet, %(failed)s feilet.") % {
        "fetched": len(result.items) - len(failed), "failed": len(failed)}

"""Web view of a unit's local 2030 targets: the ambition gap against its members' targets and distance to target."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from dugnad.targets.selectors import ambition_gaps, distances_to_target
from dugnad.units.selectors import unit_current
from dugnad.web.views.lookup import found


def unit_targets_view(request: HttpRequest, code: str) -> HttpResponse:
    """The unit's own 2030 targets, the roll-up of its members' targets (the ambition gap) and distance to target."""
    unit = found(unit_current(code), _("Ukjent enhet"))
    return render(request, "web/targets/unit.html", {"unit": unit, "gaps": ambition_gaps(unit),
                                                      "distances": distances_to_target(unit)})

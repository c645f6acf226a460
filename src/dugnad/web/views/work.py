"""«Mitt arbeid»: the landing page after sign-in — what waits for the user in rounds, actions and networks."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from dugnad.accounts.permissions import memberships_of
from dugnad.accounts.vocab import Role
from dugnad.actions.permissions import units_acting_for
from dugnad.actions.selectors import actions_of_unit
from dugnad.networks.selectors import invitations_pending_for
from dugnad.requests.permissions import units_answered_by
from dugnad.requests.selectors import requests_open_count
from dugnad.rounds.selectors import rounds_managed_by, submissions_awaiting_review, submissions_of_own_units

#: At most this many of the user's own units have their actions listed (a user holds roles on a few units).
ACTION_UNITS = 3


@login_required
def my_work(request: HttpRequest) -> HttpResponse:
    """Submissions waiting for my review, my units' submissions, rounds I coordinate, my parts of actions, invitations,
    and links to the mobilisation funnel (county coordinators) and the 2030 targets of the units I edit."""
    user = request.user
    memberships = memberships_of(user)
    own_units = list(dict.fromkeys(m.unit for m in memberships))
    parts = [(unit, actions_of_unit(unit, user=user)) for unit in own_units[:ACTION_UNITS]]
    return render(request, "web/work.html", {
        "to_review": submissions_awaiting_review(user),
        "own_submissions": submissions_of_own_units(user),
        "managed": rounds_managed_by(user),
        "parts": [(unit, items) for unit, items in parts if items],
        "invitations": invitations_pending_for(units_acting_for(user))[:20],
        "memberships": memberships,
        # county coordinators: their county's mobilisation funnel; editors: their units' 2030 targets
        "mobilising": list(dict.fromkeys(m.unit for m in memberships if m.role == Role.COUNTY_COORDINATOR)),
        "target_units": list(dict.fromkeys(m.unit for m in memberships if Role(m.role).can_edit))[:ACTION_UNITS],
        "requests_waiting": requests_open_count(units_answered_by(user)),
    })

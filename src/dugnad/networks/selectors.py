"""Reads of networks: lists, a network's workspace and its shared-gap view over the member municipalities."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Prefetch, QuerySet

from dugnad.analytics.gaps import SharedGap, shared_gaps
from dugnad.catalogue.models import Indicator
from dugnad.networks.models import Invitation, Network, NetworkMember
from dugnad.networks.vocab import InvitationState
from dugnad.scores.models import IndicatorScore, ScoreRun
from dugnad.scores.selectors import latest_score_run, population_year
from dugnad.units.selectors import populations

#: Columns of ``dugnad networks list``.
NETWORK_COLUMNS = ("id", "name", "kind", "lead_unit", "members", "coordinators", "joint_actions", "indicators")


def networks_listed() -> QuerySet[Network]:
    """Every network with member, action and indicator counts."""
    return (Network.objects.select_related("lead_unit")
            .annotate(n_members=Count("members", distinct=True), n_actions=Count("actions", distinct=True),
                      n_indicators=Count("indicators", distinct=True))
            .prefetch_related("coordinators").order_by("name"))


def network_row(n: Network) -> tuple:
    """One CLI/CSV row of a network."""
    return (n.pk, n.name, n.kind, n.lead_unit.code if n.lead_unit_id else "", n.n_members,
            " ".join(sorted(u.username for u in n.coordinators.all())), n.n_actions, n.n_indicators)


def network_detail(pk: int) -> Network:
    """A network with members, coordinators, actions, documents and pending invitations loaded."""
    members = NetworkMember.objects.select_related("unit", "organisation")
    return (Network.objects.select_related("lead_unit")
            .prefetch_related(Prefetch("members", queryset=members), "coordinators", "indicators",
                              "actions__partners__unit", "actions__partners__organisation", "documents__author",
                              "invitations__unit").get(pk=pk))


@dataclass(frozen=True)
class GapRow:
    """A shared gap with its indicator and the member units that are red or orange."""

    gap: SharedGap
    indicator: Indicator
    unit_names: tuple[str, ...]


def network_shared_gaps(network: Network, run: ScoreRun | None = None, *, min_share: float = 0.5) -> list[GapRow]:
    """Indicators (of the network's set, or all) where at least ``min_share`` of the member units are red or orange."""
    run = run or latest_score_run()
    units = {m.unit.code: m.unit for m in network.members.exclude(unit=None).select_related("unit")}
    if run is None or not units:
        return []
    scores = IndicatorScore.objects.filter(run=run, unit__code__in=list(units))
    indicator_ids = list(network.indicators.values_list("pk", flat=True))
    if indicator_ids:
        scores = scores.filter(indicator_id__in=indicator_ids)
    colours = [(code, str(ind), colour) for code, ind, colour in scores.values_list("unit__code", "indicator_id", "colour")]
    people = populations(units.values(), population_year(run))
    gaps = shared_gaps(colours, sorted(units), populations={code: people[u.pk] for code, u in units.items()},
                       min_share=min_share)
    indicators = Indicator.objects.in_bulk([int(g.indicator) for g in gaps])
    return [GapRow(g, indicators[int(g.indicator)], tuple(units[c].name for c in g.units if c in units)) for g in gaps]


def network_get(pk: int) -> Network | None:
    """The network with this id (with its lead unit), or None."""
    return Network.objects.select_related("lead_unit").filter(pk=pk).first()


def invitation_get(pk: int) -> Invitation | None:
    """The invitation with this id (with network and unit), or None."""
    return Invitation.objects.select_related("network", "unit").filter(pk=pk).first()


def invitations_pending_for(units) -> QuerySet[Invitation]:
    """Pending invitations to any of the units, with network and unit."""
    return Invitation.objects.filter(state=InvitationState.PENDING, unit__in=units).select_related("network", "unit")


def county_networks_open_to(county, unit_ids) -> dict[int, Network | None]:
    """Per unit id: the first network (by name) the county leads that the unit is neither a member of nor invited
    to (pending), or None; the network a one-click invitation from the mobilisation funnel invites to."""
    networks = list(Network.objects.filter(lead_unit=county).order_by("name"))
    ids = list(unit_ids)
    taken = set(NetworkMember.objects.filter(network__in=networks, unit_id__in=ids).values_list("network_id", "unit_id"))
    taken |= set(Invitation.objects.filter(network__in=networks, unit_id__in=ids, state=InvitationState.PENDING)
                 .values_list("network_id", "unit_id"))
    return {u: next((n for n in networks if (n.pk, u) not in taken), None) for u in ids}


def invitations_pending_since(unit_ids) -> dict[int, Invitation]:
    """Per unit id: its newest pending network invitation, with the network."""
    out: dict[int, Invitation] = {}
    for invitation in (Invitation.objects.filter(unit_id__in=list(unit_ids), state=InvitationState.PENDING)
                       .select_related("network").order_by("-created_at", "-pk")):
        out.setdefault(invitation.unit_id, invitation)
    return out


def mobilising_county(user, code: str):
    """The current county with this code for its mobilisation funnel: None when there is none; PermissionDenied
    when the user cannot see it (the web page and the API ask the same)."""
    from django.core.exceptions import PermissionDenied
    from django.utils.translation import gettext as _

    from dugnad.accounts.permissions import units_visible_to
    from dugnad.units.selectors import units_current

    county = units_current(levels=("county",), codes=[code]).first()
    if county is not None and not units_visible_to(user).filter(pk=county.pk).exists():
        raise PermissionDenied(_("Du har ikke tilgang til dette fylket."))
    return county

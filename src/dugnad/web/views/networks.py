"""Web views of networks: list with invitations, create, workspace, shared-gap view, joint actions, notes, invitations."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dugnad.accounts.permissions import is_administrator, memberships_of
from dugnad.accounts.vocab import Role
from dugnad.actions.permissions import units_acting_for
from dugnad.analytics.report import InputError
from dugnad.catalogue.selectors import indicators_by_ids
from dugnad.networks.models import Network
from dugnad.networks.permissions import can_coordinate, can_mobilise, can_view_workspace, can_write_workspace
from dugnad.networks.selectors import (
    invitation_get,
    invitations_pending_for,
    network_detail,
    network_get,
    network_shared_gaps,
    networks_listed,
)
from dugnad.networks.services import (
    county_invite,
    invitation_answer,
    network_action_propose,
    network_create,
    network_document_add,
    network_invite,
)
from dugnad.networks.vocab import InvitationState
from dugnad.units.selectors import units_by_ids, units_current
from dugnad.web.params import int_list_param
from dugnad.web.views.action_forms import InviteForm, JointActionForm, NetworkForm, NoteForm, form_errors_add
from dugnad.web.views.lookup import found


def _leads_for(user):
    """Units the user may start a network for: own coordinator units and units the user acts for."""
    if is_administrator(user) or any(m.role == Role.NATIONAL_COORDINATOR for m in memberships_of(user)):
        return units_current(levels=("county", "municipality"))
    return units_acting_for(user).current().order_by("code")


def _network(request, network_id: int) -> Network:
    try:
        network = network_detail(network_id)
    except Network.DoesNotExist:
        raise Http404(_("Nettverket finnes ikke.")) from None
    return network


@login_required
def network_list(request: HttpRequest) -> HttpResponse:
    """Every network, and the invitations the user may answer."""
    units = units_acting_for(request.user)
    invitations = invitations_pending_for(units)
    return render(request, "web/networks/list.html", {"networks": networks_listed(), "invitations": invitations,
                                                      "can_create": _leads_for(request.user).exists()})


@login_required
def network_new(request: HttpRequest) -> HttpResponse:
    """Start a network: the lead unit's municipalities are offered as first members."""
    leads = list(_leads_for(request.user).select_related("level")[:400])
    if not leads:
        raise PermissionDenied(_("Du kan ikke opprette nettverk."))
    county_ids = [u.pk for u in leads if u.level.code == "county"]
    members = units_current(levels=("municipality",),
                            parents=county_ids if county_ids and not is_administrator(request.user) else None)
    form = NetworkForm(request.POST or None, leads=leads, members=members)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        lead = next(u for u in leads if str(u.pk) == data["lead"])
        try:
            network = network_create(user=request.user, name=data["name"], kind=data["kind"], lead_unit=lead,
                                     description=data["description"], members=members.filter(pk__in=data["members"]))
        except InputError as exc:
            form_errors_add(form, exc, {"lead_unit": "lead"})
        except PermissionDenied as exc:
            form.add_error("lead", str(exc))
        else:
            messages.success(request, _("Nettverket er opprettet."))
            return redirect("network-detail", network_id=network.pk)
    return render(request, "web/networks/new.html", {"form": form})


@login_required
def network_detail_view(request: HttpRequest, network_id: int) -> HttpResponse:
    """The workspace: members, indicator set, joint actions, documents and meeting notes, invitations."""
    network = _network(request, network_id)
    if not can_view_workspace(request.user, network):
        raise PermissionDenied(_("Du har ikke tilgang til arbeidsrommet."))
    coordinate = can_coordinate(request.user, network)
    members = {m.unit_id for m in network.members.all() if m.unit_id}
    invite_form = None
    if coordinate:
        county_network = network.lead_unit and network.lead_unit.level_id and network.kind == "county"
        candidates = units_current(levels=("municipality",), exclude_ids=members,
                                   parents=[network.lead_unit] if county_network else None)
        invite_form = InviteForm(units=candidates)
    return render(request, "web/networks/detail.html", {
        "network": network, "can_coordinate": coordinate, "can_write": can_write_workspace(request.user, network),
        "note_form": NoteForm(), "invite_form": invite_form,
        "pending": [i for i in network.invitations.all() if i.state == InvitationState.PENDING],
    })


@login_required
def network_gaps(request: HttpRequest, network_id: int) -> HttpResponse:
    """The shared-gap view: indicators where at least half of the member municipalities are red or orange."""
    network = _network(request, network_id)
    if not can_view_workspace(request.user, network):
        raise PermissionDenied(_("Du har ikke tilgang til arbeidsrommet."))
    return render(request, "web/networks/gaps.html", {"network": network, "gaps": network_shared_gaps(network),
                                                      "can_coordinate": can_coordinate(request.user, network)})


@login_required
def joint_action_new(request: HttpRequest, network_id: int) -> HttpResponse:
    """Propose a joint action: the network's lead unit leads, chosen member municipalities are partners."""
    network = _network(request, network_id)
    if not can_coordinate(request.user, network):
        raise PermissionDenied(_("Bare koordinatorene kan foreslå felles tiltak."))
    partners = units_by_ids(m.unit_id for m in network.members.all() if m.unit_id)
    chosen_id = request.GET.get("indikator", "")
    indicators = list(network.indicators.all()) or indicators_by_ids([int(chosen_id)] if chosen_id.isdigit() else [])
    initial = {"indicator": chosen_id}
    gap = next((g for g in network_shared_gaps(network) if str(g.indicator.pk) == chosen_id), None) if chosen_id else None
    if gap is not None:  # «Foreslå felles tiltak» from a shared gap: the municipalities that share it are ticked
        initial["partners"] = [str(u.pk) for u in partners if u.code in set(gap.gap.units)]
    form = JointActionForm(request.POST or None, initial=initial, indicators=indicators, partners=partners)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        chosen = [i for i in indicators if str(i.pk) == data["indicator"]]
        try:
            action = network_action_propose(
                user=request.user, network=network, title=data["title"], description=data["description"],
                partner_units=[u for u in partners if str(u.pk) in set(data["partners"])],
                targets=[t for i in chosen for t in i.targets.all()],
                indicators=[(i, data["direction"]) for i in chosen],
            )
        except InputError as exc:
            form_errors_add(form, exc)
        else:
            messages.success(request, _("Det felles tiltaket er opprettet."))
            return redirect("action-detail", action_id=action.pk)
    return render(request, "web/networks/joint_action_new.html", {"network": network, "form": form})


@login_required
@require_POST
def note_add(request: HttpRequest, network_id: int) -> HttpResponse:
    """Add a meeting note or document to the workspace."""
    network = found(network_get(network_id), _("Nettverket finnes ikke."))
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            network_document_add(user=request.user, network=network, **form.cleaned_data)
        except InputError as exc:
            messages.error(request, " ".join(p.reason for p in exc.report.errors))
        else:
            messages.success(request, _("Lagt til i arbeidsrommet."))
    else:
        messages.error(request, _("Fyll ut tittel og type."))
    return redirect("network-detail", network_id=network.pk)


@login_required
@require_POST
def invite(request: HttpRequest, network_id: int) -> HttpResponse:
    """Invite municipalities to the network."""
    network = found(network_get(network_id), _("Nettverket finnes ikke."))
    units = units_by_ids(int_list_param(request.POST, "units"))
    sent = network_invite(user=request.user, network=network, units=units, message=request.POST.get("message", ""))
    messages.success(request, _("%(n)d invitasjoner sendt.") % {"n": len(sent)})
    return redirect("network-detail", network_id=network.pk)


@login_required
@require_POST
def invitation_reply(request: HttpRequest, invitation_id: int) -> HttpResponse:
    """Accept or decline an invitation for one of the user's units."""
    invitation = found(invitation_get(invitation_id), _("Invitasjonen finnes ikke."))
    try:
        invitation_answer(user=request.user, invitation=invitation, accept=request.POST.get("svar") == "ja")
    except InputError as exc:
        messages.error(request, " ".join(p.reason for p in exc.report.errors))
    else:
        messages.success(request, _("Svaret er registrert."))
    return redirect("network-list")


@login_required
def county_mobilisation(request: HttpRequest, code: str) -> HttpResponse:
    """The county's mobilisation funnel: each municipality's stage, since when, stalled or not, next steps."""
    from dugnad.networks.selectors import mobilising_county
    from dugnad.publications.mobilisation import STAGE_LABELS, STALLED_DAYS, county_funnel, funnel_counts

    county = mobilising_county(request.user, code)  # PermissionDenied: 403
    if county is None:
        raise Http404(_("Fylket finnes ikke."))
    entries = county_funnel(county)
    counts = [(STAGE_LABELS[stage], n) for stage, n in funnel_counts(entries).items()]
    return render(request, "web/networks/mobilisation.html", {
        "county": county, "entries": entries, "counts": counts, "stalled_days": STALLED_DAYS,
        "stalled": [e for e in entries if e.stalled], "can_invite": can_mobilise(request.user, county)})


@login_required
@require_POST
def county_mobilisation_invite(request: HttpRequest, code: str, unit_code: str) -> HttpResponse:
    """One click on the funnel page: invite the municipality to a network of the county and e-mail its editors."""
    county = units_current(levels=("county",), codes=[code]).first()
    unit = units_current(levels=("municipality",), codes=[unit_code]).first()
    if county is None or unit is None:
        raise Http404(_("Fylket eller kommunen finnes ikke."))
    try:
        done = county_invite(user=request.user, county=county, unit=unit)  # PermissionDenied: 403
    except InputError as exc:
        messages.error(request, " ".join(p.reason for p in exc.report.errors))
    else:
        text = _("%(unit)s er invitert til «%(network)s».") % {"unit": unit.name, "network": done.invitation.network.name}
        if done.addresses:
            text += " " + _("E-post er sendt til kommunens redaktører.")
        messages.success(request, text)
    return redirect("county-mobilisation", code=county.code)

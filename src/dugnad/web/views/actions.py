"""Web views of joint actions: list, create, detail with each partner's own part, catalogue, agreements, unit fragment."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dugnad.actions.agreements import can_follow_up, commitment_status_set
from dugnad.actions.models import Action
from dugnad.actions.permissions import can_manage_action, can_update_part, can_view_action, units_acting_for
from dugnad.actions.selectors import action_detail as action_load
from dugnad.actions.selectors import (
    action_get,
    action_partner_get,
    actions_of_unit,
    actions_visible,
    agreements_with_details,
    commitment_get,
    milestone_get,
    template_get,
    templates_by_target,
)
from dugnad.actions.services import (
    PartnerSpec,
    action_create,
    action_from_template,
    action_part_update,
    action_status_set,
    milestone_add,
    milestone_complete,
)
from dugnad.actions.vocab import ActionStatus, FollowUpStatus
from dugnad.analytics.report import InputError
from dugnad.catalogue.selectors import targets_by_codes
from dugnad.units.selectors import unit_current, units_current
from dugnad.web.params import int_param
from dugnad.web.views.action_forms import ActionForm, MilestoneForm, PartUpdateForm, StatusForm, form_errors_add
from dugnad.web.views.lookup import found


def action_list(request: HttpRequest) -> HttpResponse:
    """Actions the visitor can see, filterable by status."""
    status = request.GET.get("status", "")
    if status and status not in ActionStatus.values:
        status = ""
    actions = actions_visible(request.user, status=status).order_by("title")
    can_create = request.user.is_authenticated and units_acting_for(request.user).exists()
    return render(request, "web/actions/list.html", {"actions": actions, "statuses": ActionStatus.choices, "status": status,
                                                     "can_create": can_create})


@login_required
def action_new(request: HttpRequest) -> HttpResponse:
    """Create an action led by one of the user's units (403 for users who act for no unit)."""
    leads = list(units_acting_for(request.user).current().order_by("code")[:500])
    if not leads:
        raise PermissionDenied(_("Du kan ikke opprette tiltak."))
    partners = units_current(levels=("country", "county", "municipality"))
    form = ActionForm(request.POST or None, leads=leads, partners=partners)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        lead = next(u for u in leads if str(u.pk) == data["lead"])
        codes = data["targets"].split()
        targets = targets_by_codes(codes)
        unknown = sorted(set(codes) - {t.code for t in targets})
        if unknown:
            form.add_error("targets", _("Ukjente delmål: %(codes)s") % {"codes": " ".join(unknown)})
        else:
            try:
                action = action_create(
                    user=request.user, title=data["title"], description=data["description"], lead_unit=lead,
                    status=data["status"], start=data["start"], end=data["end"], targets=targets,
                    visibility=data["visibility"],
                    partners=[PartnerSpec(unit=u) for u in partners.filter(pk__in=data["partners"]) if u.pk != lead.pk],
                )
            except InputError as exc:
                form_errors_add(form, exc, {"partner": "partners", "budget_share": "partners"})
            else:
                messages.success(request, _("Tiltaket er opprettet."))
                return redirect("action-detail", action_id=action.pk)
    return render(request, "web/actions/new.html", {"form": form})


def _parts(request, action: Action) -> list[dict]:
    return [{"part": p, "editable": can_update_part(request.user, p),
             "form": PartUpdateForm(initial={"progress": p.progress, "note": p.note}, prefix=f"p{p.pk}")}
            for p in action.partners.all()]


def action_detail(request: HttpRequest, action_id: int) -> HttpResponse:
    """One action: targets, indicators, each partner's part (editable by that partner), milestones, log, links."""
    try:
        action = action_load(action_id)
    except Action.DoesNotExist:
        raise Http404(_("Tiltaket finnes ikke.")) from None
    if not can_view_action(request.user, action):
        raise PermissionDenied(_("Du har ikke tilgang til dette tiltaket."))
    manage = can_manage_action(request.user, action)
    milestones = [{"m": m, "can_complete": not m.done_on and (
        manage or (m.partner is not None and can_update_part(request.user, m.partner)))} for m in action.milestones.all()]
    return render(request, "web/actions/detail.html", {
        "action": action, "parts": _parts(request, action), "can_manage": manage, "milestones": milestones,
        "status_form": StatusForm(initial={"status": action.status}) if manage else None,
        "milestone_form": MilestoneForm(parts=action.partners.all()) if manage else None,
    })


@login_required
@require_POST
def part_update(request: HttpRequest, action_id: int, part_id: int) -> HttpResponse:
    """Save a partner's own progress and note; returns the part's row for htmx, or redirects."""
    part = found(action_partner_get(action_id=action_id, part_id=part_id), _("Tiltaket finnes ikke."))
    form = PartUpdateForm(request.POST, prefix=f"p{part.pk}")
    status = 200
    if form.is_valid():
        try:
            part = action_part_update(user=request.user, partner=part, progress=form.cleaned_data["progress"],
                                      note=form.cleaned_data["note"])
        except InputError as exc:
            form_errors_add(form, exc)
            status = 422
        else:
            form = PartUpdateForm(initial={"progress": part.progress, "note": part.note}, prefix=f"p{part.pk}")
    else:
        status = 422
    if not request.headers.get("HX-Request"):
        if status == 200:
            messages.success(request, _("Framdriften er lagret."))
        else:
            messages.error(request, _("Framdriften ble ikke lagret: %(e)s") % {"e": " ".join(form.errors.get("progress", []))})
        return redirect("action-detail", action_id=action_id)
    action = part.action
    row = {"part": part, "editable": True, "form": form, "saved": status == 200}
    return render(request, "web/actions/_part.html", {"row": row, "action": action}, status=status)


@login_required
@require_POST
def action_status(request: HttpRequest, action_id: int) -> HttpResponse:
    """The lead changes the action's status."""
    action = found(action_get(action_id), _("Tiltaket finnes ikke."))
    form = StatusForm(request.POST)
    if form.is_valid():
        action_status_set(user=request.user, action=action, status=form.cleaned_data["status"], text=form.cleaned_data["text"])
        messages.success(request, _("Status er endret."))
    return redirect("action-detail", action_id=action.pk)


def action_catalogue(request: HttpRequest) -> HttpResponse:
    """The action catalogue: recommended actions per SDG target, with "copy into my plan"."""
    templates = templates_by_target(goal=int_param(request.GET, "mal", minimum=1, maximum=17))
    units = list(units_acting_for(request.user).current().order_by("code")[:50]) if request.user.is_authenticated else []
    return render(request, "web/actions/catalogue.html", {"templates": templates, "units": units})


@login_required
@require_POST
def template_copy(request: HttpRequest, template_id: int) -> HttpResponse:
    """Copy a catalogue template into the plan of one of the user's units."""
    template = found(template_get(template_id), _("Malen finnes ikke."))
    unit = units_acting_for(request.user).filter(pk=int_param(request.POST, "unit", default=0)).first()
    if unit is None:
        raise PermissionDenied(_("Velg en enhet du representerer."))
    action = action_from_template(user=request.user, template=template, unit=unit)
    messages.success(request, _("Tiltaket er kopiert inn i planen for %(unit)s.") % {"unit": unit.name})
    return redirect("action-detail", action_id=action.pk)


def agreement_list(request: HttpRequest) -> HttpResponse:
    """Cooperation agreements with parties, commitments and follow-up status (a status form on your own commitments)."""
    agreements = list(agreements_with_details())
    for agreement in agreements:
        for c in agreement.commitments.all():
            c.editable = can_follow_up(request.user, c)
    return render(request, "web/actions/agreements.html", {"agreements": agreements, "statuses": FollowUpStatus.choices})


@login_required
@require_POST
def commitment_status(request: HttpRequest, commitment_id: int) -> HttpResponse:
    """Set the follow-up status of a commitment of a party you act for."""
    commitment = found(commitment_get(commitment_id), _("Forpliktelsen finnes ikke."))
    try:
        commitment_status_set(user=request.user, commitment=commitment, status=request.POST.get("status", ""))
    except InputError as exc:
        messages.error(request, " ".join(p.reason for p in exc.report.errors))
    else:
        messages.success(request, _("Oppfølgingen er lagret."))
    return redirect("agreement-list")


@login_required
@require_POST
def milestone_new(request: HttpRequest, action_id: int) -> HttpResponse:
    """Add a milestone (the lead only), optionally owned by one party."""
    action = found(action_get(action_id), _("Tiltaket finnes ikke."))
    form = MilestoneForm(request.POST, parts=action.partners.select_related("unit", "organisation"))
    if form.is_valid():
        data = form.cleaned_data
        partner = action.partners.filter(pk=data["partner"]).first() if data["partner"] else None
        milestone_add(user=request.user, action=action, title=data["title"], due=data["due"], partner=partner)
        messages.success(request, _("Milepælen er lagt til."))
    else:
        messages.error(request, _("Milepælen trenger tittel og frist."))
    return redirect("action-detail", action_id=action.pk)


@login_required
@require_POST
def milestone_done(request: HttpRequest, action_id: int, milestone_id: int) -> HttpResponse:
    """Mark a milestone done (the lead, or the party that owns it)."""
    milestone = found(milestone_get(action_id=action_id, milestone_id=milestone_id), _("Milepælen finnes ikke."))
    milestone_complete(user=request.user, milestone=milestone)
    messages.success(request, _("Milepælen er fullført."))
    return redirect("action-detail", action_id=action_id)


def unit_actions(request: HttpRequest, code: str) -> HttpResponse:
    """A unit's actions with its role (the fragment shown on the unit page, also reachable on its own)."""
    unit = found(unit_current(code), _("Ukjent enhet"))
    rows = actions_of_unit(unit, user=request.user)
    return render(request, "web/actions/_unit_actions.html", {"unit": unit, "unit_actions": rows})

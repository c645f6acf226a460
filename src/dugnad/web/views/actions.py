"""Web views of joint actions: list, create, detail with each partner's own part, catalogue, agreements, unit fragment."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from dugnad.actions.agreements import (
    CommitmentSpec,
    agreement_action_link,
    agreement_action_unlink,
    agreement_create,
    agreement_status_set,
    agreement_update,
    can_follow_up,
    can_link_actions,
    can_manage_agreement,
    commitment_status_set,
)
from dugnad.actions.effects import action_effects
from dugnad.actions.models import Action, Organisation
from dugnad.actions.permissions import can_manage_action, can_update_part, can_view_action, units_acting_for
from dugnad.actions.selectors import action_detail as action_load
from dugnad.actions.selectors import (
    action_get,
    action_partner_get,
    actions_of_unit,
    actions_visible,
    actions_with_overdue_milestones,
    agreement_actions_for,
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
    action_partners_add,
    action_progress_recompute,
    action_status_set,
    expected_direction,
    milestone_add,
    milestone_complete,
)
from dugnad.actions.vocab import ActionStatus, FollowUpStatus, PartnerRole
from dugnad.analytics.report import InputError
from dugnad.catalogue.selectors import goals_list, indicator_get, targets_by_codes
from dugnad.units.selectors import unit_current
from dugnad.web.effect_figures import effect_panels, effects_reason
from dugnad.web.params import int_param
from dugnad.web.views.action_forms import (
    ActionForm,
    AgreementForm,
    MilestoneForm,
    PartUpdateForm,
    StatusForm,
    commitment_rows,
    form_errors_add,
)
from dugnad.web.views.lookup import found
from dugnad.web.views.party_picker import party_label, party_options, party_resolve, party_rows

LEVEL_FILTERS = (("country", gettext_lazy("Landet")), ("county", gettext_lazy("Fylker")),
                 ("municipality", gettext_lazy("Kommuner")), ("organisation", gettext_lazy("Organisasjoner")))


def action_list(request: HttpRequest) -> HttpResponse:
    """Actions the visitor can see, filterable by goal, status, the lead's level and partner (unknown values ignored)."""
    status = request.GET.get("status", "")
    if status and status not in ActionStatus.values:
        status = ""
    goal = int_param(request.GET, "mal", minimum=1, maximum=17)
    level = request.GET.get("niva", "")
    if level not in dict(LEVEL_FILTERS):
        level = ""
    options = party_options()
    partner_text, partner, partner_error = request.GET.get("partner", "").strip(), None, ""
    if partner_text:
        try:
            partner = party_resolve(partner_text, options)
        except ValidationError as exc:
            partner_error = " ".join(exc.messages)
    actions = actions_visible(request.user, status=status, goal=goal, level=level, partner=partner).order_by("title")
    today = dt.date.today()
    overdue = set(actions_with_overdue_milestones(actions, today))
    can_create = request.user.is_authenticated and units_acting_for(request.user).exists()
    return render(request, "web/actions/list.html", {
        "actions": actions, "statuses": ActionStatus.choices, "status": status, "can_create": can_create,
        "goals": goals_list(), "goal": goal, "levels": LEVEL_FILTERS, "level": level, "options": options,
        "partner_text": partner_text, "partner_error": partner_error, "overdue": overdue,
        "filtered": bool(status or goal or level or partner_text)})


def _row_errors_add(form, rows, exc: InputError) -> None:
    """Put the service's problems on the form: row 1 is the lead, row n + 1 the n-th filled partner row."""
    filled = [f for f in rows.forms if f.cleaned_data.get("resolved") is not None]
    for problem in exc.report.errors:
        column = {"partner": "party", "role": "role", "budget_share": "budget_share"}.get(problem.column or "")
        if problem.row and problem.row >= 2 and column and problem.row - 2 < len(filled):
            filled[problem.row - 2].add_error(column, problem.reason)
        elif problem.row == 1 and column:
            form.add_error("lead_budget_share" if column == "budget_share" else "lead", problem.reason)
        else:
            name = {"budget_share": "lead_budget_share"}.get(problem.column or "", problem.column)
            form.add_error(name if name in form.fields else None, problem.reason)


def _partner_specs(rows) -> list[PartnerSpec]:
    """The filled rows of a valid partner formset as the services' partner specs."""
    return [PartnerSpec(unit=None if isinstance(r["resolved"], Organisation) else r["resolved"],
                        organisation=r["resolved"] if isinstance(r["resolved"], Organisation) else None,
                        role=r.get("role") or PartnerRole.PARTNER, budget_share=r.get("budget_share"))
            for r in (f.cleaned_data for f in rows.forms) if r.get("resolved") is not None]


def _prefill(request: HttpRequest, options) -> tuple[dict, list[dict]]:
    """Initial values from a link («Foreslå tiltak» from a shared gap): ``?indikator=<id>&kommuner=4601,4602``."""
    initial: dict = {}
    indicator = indicator_get(request.GET.get("indikator"))
    if indicator is not None:
        initial["indicator"] = indicator.pk
        initial["target_codes"] = ", ".join(t.code for t in indicator.targets.all())
    codes = [c for c in request.GET.get("kommuner", "").replace(" ", ",").split(",") if c]
    by_code = {o.party.code: o.label for o in options if not isinstance(o.party, Organisation)}
    rows = [{"party": by_code[c], "role": PartnerRole.PARTNER} for c in codes if c in by_code]
    return initial, rows


@login_required
def action_new(request: HttpRequest) -> HttpResponse:
    """Create an action led by one of the user's units (403 for users who act for no unit).

    Partners are picked in a searchable list of units and organisations, each with role and budget share;
    targets are ticked under their goal or typed as codes. A link from a shared gap pre-fills partners and indicator.
    """
    leads = list(units_acting_for(request.user).current().select_related("level").order_by("code")[:500])
    if not leads:
        raise PermissionDenied(_("Du kan ikke opprette tiltak."))
    options = party_options()
    initial, initial_rows = _prefill(request, options) if request.method == "GET" else ({}, [])
    form = ActionForm(request.POST or None, initial=initial, leads=leads, goals=goals_list().prefetch_related("targets"))
    rows = party_rows(request.POST or None, options=options, initial=initial_rows or None,
                      extra=max(2, 4 - len(initial_rows)))
    if request.method == "POST" and form.is_valid() & rows.is_valid():  # & validates both, to show every error
        data = form.cleaned_data
        lead = next(u for u in leads if str(u.pk) == data["lead"])
        indicator = indicator_get(data.get("indicator"))
        partners = _partner_specs(rows)
        try:
            action = action_create(
                user=request.user, title=data["title"], description=data["description"], lead_unit=lead,
                status=data["status"], start=data["start"], end=data["end"],
                targets=targets_by_codes(data["target_code_list"]), visibility=data["visibility"],
                indicators=[(indicator, expected_direction(indicator))] if indicator else [],
                partners=[p for p in partners if p.unit is None or p.unit.pk != lead.pk],
                lead_budget_share=data.get("lead_budget_share"),
            )
        except InputError as exc:
            _row_errors_add(form, rows, exc)
        else:
            messages.success(request, _("Tiltaket er opprettet."))
            return redirect("action-detail", action_id=action.pk)
    return render(request, "web/actions/new.html", {"form": form, "rows": rows, "options": options,
                                                    "indicator": indicator_get(form["indicator"].value())})


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
    today = dt.date.today()
    milestones = [{"m": m, "overdue": not m.done_on and m.due < today, "can_complete": not m.done_on and (
        manage or (m.partner is not None and can_update_part(request.user, m.partner)))} for m in action.milestones.all()]
    options = party_options() if manage else []
    effects = action_effects(action)
    return render(request, "web/actions/detail.html", {
        "effects": effects, "effect_panels": effect_panels(effects), "effects_reason": effects_reason(effects),
        "action": action, "parts": _parts(request, action), "can_manage": manage, "milestones": milestones,
        "status_form": StatusForm(initial={"status": action.status}) if manage else None,
        "milestone_form": MilestoneForm(parts=action.partners.all()) if manage else None,
        "partner_rows": party_rows(None, options=options, extra=2, prefix="nye") if manage else None, "options": options,
    })


@login_required
@require_POST
def action_partners_new(request: HttpRequest, action_id: int) -> HttpResponse:
    """The lead adds partners or funders (picked in the searchable list) with role and budget share."""
    action = found(action_get(action_id), _("Tiltaket finnes ikke."))
    if not can_manage_action(request.user, action):
        raise PermissionDenied(_("Bare den ansvarlige kan legge til partnere."))
    rows = party_rows(request.POST, options=party_options(), prefix="nye")
    if not rows.is_valid():
        problems = [f"{f['party'].value() or '–'}: {' '.join(e for errs in f.errors.values() for e in errs)}"
                    for f in rows.forms if f.errors]
        messages.error(request, _("Partnerne ble ikke lagt til. %(problems)s") % {"problems": " ".join(problems)})
        return redirect("action-detail", action_id=action.pk)
    specs = _partner_specs(rows)
    if not specs:
        messages.error(request, _("Velg minst én partner."))
        return redirect("action-detail", action_id=action.pk)
    try:
        action_partners_add(user=request.user, action=action, partners=specs)
    except InputError as exc:
        messages.error(request, _("Partnerne ble ikke lagt til. %(problems)s") % {
            "problems": " ".join(p.reason for p in exc.report.errors)})
    else:
        action_progress_recompute(action)
        messages.success(request, _("Partnerne er lagt til."))
    return redirect("action-detail", action_id=action.pk)


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
    can_create = request.user.is_authenticated and units_acting_for(request.user).exists()
    return render(request, "web/actions/agreements.html", {"agreements": agreements, "statuses": FollowUpStatus.choices,
                                                           "can_create": can_create})


def agreement_detail(request: HttpRequest, agreement_id: int) -> HttpResponse:
    """One agreement: parties, commitments with due dates (overdue flagged) and follow-up, linked actions."""
    agreement = found(agreements_with_details().filter(pk=agreement_id).first(), _("Avtalen finnes ikke."))
    for c in agreement.commitments.all():
        c.editable = can_follow_up(request.user, c)
    can_link = request.user.is_authenticated and can_link_actions(request.user, agreement)
    linked, choices = agreement_actions_for(request.user, agreement, can_link=can_link)
    return render(request, "web/actions/agreement_detail.html", {
        "agreement": agreement, "statuses": FollowUpStatus.choices, "linked": linked, "can_link": can_link,
        "link_choices": choices,
        "can_edit": request.user.is_authenticated and can_manage_agreement(request.user, agreement)})


@login_required
@require_POST
def agreement_actions_link(request: HttpRequest, agreement_id: int) -> HttpResponse:
    """Attach an action to the agreement (coordinators of a party unit; the service checks it)."""
    agreement = found(agreements_with_details().filter(pk=agreement_id).first(), _("Avtalen finnes ikke."))
    action_id = int_param(request.POST, "tiltak")
    action = action_get(action_id) if action_id is not None else None
    if action is None:
        if not can_link_actions(request.user, agreement):
            raise PermissionDenied(_("Bare koordinatorer for en av partene kan knytte tiltak til avtalen."))
        messages.error(request, _("Velg et tiltak å knytte til avtalen."))
        return redirect("agreement-detail", agreement_id=agreement.pk)
    agreement_action_link(user=request.user, agreement=agreement, action=action)
    messages.success(request, _("«%(action)s» er knyttet til avtalen.") % {"action": action.title})
    return redirect("agreement-detail", agreement_id=agreement.pk)


@login_required
@require_POST
def agreement_actions_unlink(request: HttpRequest, agreement_id: int, action_id: int) -> HttpResponse:
    """Detach an action from the agreement (coordinators of a party unit; the service checks it)."""
    agreement = found(agreements_with_details().filter(pk=agreement_id).first(), _("Avtalen finnes ikke."))
    action = found(action_get(action_id), _("Tiltaket finnes ikke."))
    agreement_action_unlink(user=request.user, agreement=agreement, action=action)
    messages.success(request, _("«%(action)s» er ikke lenger knyttet til avtalen.") % {"action": action.title})
    return redirect("agreement-detail", agreement_id=agreement.pk)


def _agreement_form_save(request: HttpRequest, agreement=None) -> HttpResponse:
    """The agreement form (new when ``agreement`` is None): fields, party rows and commitment rows, all or nothing."""
    options = party_options()
    if agreement is None:
        initial, party_initial, commitment_initial = {}, None, None
        own = units_acting_for(request.user).current().select_related("level").order_by("code").first()
        if own is not None:  # the user's own unit as the first party
            party_initial = [{"party": party_label(own)}]
    else:
        initial = {"title": agreement.title, "description": agreement.description, "signed_on": agreement.signed_on,
                   "valid_to": agreement.valid_to, "status": agreement.status}
        party_initial = [{"party": party_label(p.unit or p.organisation)} for p in agreement.parties.all()]
        commitment_initial = [{"pk": c.pk, "party": party_label(c.party.unit or c.party.organisation), "text": c.text,
                               "due": c.due, "status": c.status} for c in agreement.commitments.all()]
    data = request.POST if request.method == "POST" else None
    form = AgreementForm(data, initial=initial)
    parties = party_rows(data, options=options, initial=party_initial, extra=3, prefix="parter")
    commitments = commitment_rows(data, options=options, initial=commitment_initial, extra=3)
    if data is not None and form.is_valid() & parties.is_valid() & commitments.is_valid():
        chosen = [f.cleaned_data["resolved"] for f in parties.forms if f.cleaned_data.get("resolved") is not None]
        keys = [(type(p).__name__, p.pk) for p in chosen]
        specs = []
        for f in commitments.forms:
            row = f.cleaned_data
            if row.get("resolved") is None:
                continue
            key = (type(row["resolved"]).__name__, row["resolved"].pk)
            if key not in keys:  # a party named only in a commitment becomes a party of the agreement
                chosen.append(row["resolved"])
                keys.append(key)
            specs.append(CommitmentSpec(party=keys.index(key), text=row["text"], due=row.get("due"), pk=row.get("pk"),
                                        status=row.get("status") or None))
        fields = form.cleaned_data
        try:
            if agreement is None:
                agreement = agreement_create(user=request.user, title=fields["title"], description=fields["description"],
                                             signed_on=fields["signed_on"], valid_to=fields["valid_to"], parties=chosen,
                                             commitments=specs)
                if fields["status"] != agreement.status:
                    agreement_status_set(user=request.user, agreement=agreement, status=fields["status"])
                messages.success(request, _("Avtalen er opprettet."))
            else:
                agreement_update(user=request.user, agreement=agreement, title=fields["title"],
                                 description=fields["description"], signed_on=fields["signed_on"],
                                 valid_to=fields["valid_to"], status=fields["status"], parties=chosen, commitments=specs)
                messages.success(request, _("Avtalen er lagret."))
        except InputError as exc:
            form_errors_add(form, exc, {"parties": "__all__", "party": "__all__", "text": "__all__"})
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            return redirect("agreement-detail", agreement_id=agreement.pk)
    return render(request, "web/actions/agreement_form.html", {
        "form": form, "parties": parties, "commitments": commitments, "options": options, "agreement": agreement})


@login_required
def agreement_new(request: HttpRequest) -> HttpResponse:
    """Create an agreement in the web (anyone acting for a unit; that unit, or another of theirs, must be a party)."""
    if not units_acting_for(request.user).exists():
        raise PermissionDenied(_("Du representerer ingen enhet og kan ikke opprette avtaler."))
    return _agreement_form_save(request)


@login_required
def agreement_edit(request: HttpRequest, agreement_id: int) -> HttpResponse:
    """Change an agreement: fields, parties, commitments and their dates and status (people of its unit parties)."""
    agreement = found(agreements_with_details().filter(pk=agreement_id).first(), _("Avtalen finnes ikke."))
    if not can_manage_agreement(request.user, agreement):
        raise PermissionDenied(_("Bare de som representerer en av partene kan endre avtalen."))
    return _agreement_form_save(request, agreement)


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
    return redirect("agreement-detail", agreement_id=commitment.agreement_id)


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

"""Web view of a unit's local 2030 targets: the ambition gap against its members' targets, distance to target, each
target's version history, and the form to set a target or publish a new version of it (people acting for the unit)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dugnad.targets.permissions import can_set_target
from dugnad.targets.selectors import ambition_gaps, distances_to_target, target_histories, target_indicators
from dugnad.targets.services import target_set
from dugnad.targets.vocab import DEFAULT_TARGET_YEAR, CommitmentSource
from dugnad.units.selectors import unit_current
from dugnad.web.views.lookup import found

#: Sources a person can choose in the form (``demo`` is for the demo data only).
FORM_SOURCES = [(c.value, c.label) for c in CommitmentSource if c is not CommitmentSource.DEMO]


class TargetForm(forms.Form):
    """A target for one indicator and year; setting one that exists publishes a new version of it."""

    indicator = forms.TypedChoiceField(label=gettext_lazy("Indikator"), coerce=int)
    value = forms.CharField(label=gettext_lazy("Målverdi"), max_length=40,
                            help_text=gettext_lazy("I indikatorens enhet, f.eks. 2,5 eller 65."))
    year = forms.IntegerField(label=gettext_lazy("Målår"), initial=DEFAULT_TARGET_YEAR, min_value=2000, max_value=2100)
    rationale = forms.CharField(label=gettext_lazy("Begrunnelse"), required=False, max_length=5000,
                                widget=forms.Textarea(attrs={"rows": 3}))
    source = forms.ChoiceField(label=gettext_lazy("Forankring"), choices=FORM_SOURCES, initial=CommitmentSource.PLAN)
    reference = forms.CharField(label=gettext_lazy("Referanse"), required=False, max_length=300,
                                help_text=gettext_lazy("Plan, saksnummer eller vedtak som forplikter enheten."))

    def __init__(self, *args, indicators, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators = {i.pk: i for i in indicators}
        self.fields["indicator"].choices = [("", _("Velg indikator"))] + [
            (i.pk, f"{i.code} {i.name_nb}"[:120]) for i in indicators]

    def clean_value(self) -> float:
        """A number, with a decimal comma or point («2,5», «2.5»)."""
        text = self.cleaned_data["value"].strip().replace("\u2212", "-").replace(" ", "").replace(",", ".")
        try:
            number = float(text)
        except ValueError:
            raise ValidationError(_("Målverdien må være et tall.")) from None
        if number != number or number in (float("inf"), float("-inf")):
            raise ValidationError(_("Målverdien må være et tall."))
        return number


def _initial(request: HttpRequest, histories) -> dict:
    """The form prefilled from «Ny versjon» (``?indikator=<id>&ar=<year>``): the version in force's values."""
    wanted, year = request.GET.get("indikator", ""), request.GET.get("ar", str(DEFAULT_TARGET_YEAR))
    for h in histories:
        if str(h.indicator.pk) == wanted and str(h.year) == year and h.current is not None:
            c = h.current
            return {"indicator": c.indicator_id, "value": f"{c.value:g}".replace(".", ","), "year": c.year,
                    "rationale": c.rationale, "reference": c.reference,
                    "source": c.source if c.source != CommitmentSource.DEMO else CommitmentSource.PLAN}
    return {}


def unit_targets_view(request: HttpRequest, code: str) -> HttpResponse:
    """The unit's own targets with their versions, the roll-up of its members' targets (the ambition gap) and
    distance to target; people acting for the unit set a target (or a new version of one) in the form."""
    unit = found(unit_current(code), _("Ukjent enhet"))
    if request.method == "POST" and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    may_set = request.user.is_authenticated and can_set_target(request.user, unit)
    histories = target_histories(unit)
    if request.method == "POST" and not may_set:
        raise PermissionDenied(_("Du kan bare sette mål for en enhet der du er redaktør eller koordinator."))
    form = None
    if may_set:
        form = TargetForm(request.POST if request.method == "POST" else None, indicators=target_indicators(unit),
                          initial=_initial(request, histories))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            target = target_set(user=request.user, unit=unit, indicator=form.indicators[data["indicator"]],
                                value=data["value"], year=data["year"], rationale=data["rationale"],
                                source=data["source"], reference=data["reference"])
        except ValidationError as exc:  # the service's errors name their field (value, year)
            form.add_error(None, exc)
        else:
            messages.success(request, _("Målet er lagret som versjon %(version)s.") % {"version": target.version})
            return redirect("unit-targets", code=unit.code)
    return render(request, "web/targets/unit.html", {
        "unit": unit, "gaps": ambition_gaps(unit), "distances": distances_to_target(unit), "histories": histories,
        "form": form, "may_set": may_set})

"""Forms of the action, network and library pages, and mapping of service validation errors onto form fields."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from dugnad.actions.vocab import ActionStatus, ExpectedDirection, FollowUpStatus, Visibility
from dugnad.analytics.report import InputError
from dugnad.networks.vocab import NetworkDocumentKind, NetworkKind
from dugnad.units.vocab import SizeBand
from dugnad.web.views.party_picker import party_resolve


def form_errors_add(form: forms.Form, exc: InputError, fields: dict[str, str] | None = None) -> None:
    """Put each problem of a service's report on the form field it names (``fields`` maps report columns to fields)."""
    fields = fields or {}
    for problem in exc.report.errors:
        name = fields.get(problem.column or "", problem.column)
        reason = problem.reason + (f" (rad {problem.row})" if problem.row else "")
        form.add_error(name if name in form.fields else None, reason)


def _unit_choices(units) -> list[tuple[str, str]]:
    return [(str(u.pk), f"{u.name} ({u.code})") for u in units]


TARGET_CODES_HINT = _("Skriv koder som 13.2, 11.6 (målnummer, punktum, delmål), skilt med komma eller mellomrom "
                      "– eller kryss av i lista over.")


def target_codes_split(text: str) -> list[str]:
    """The target codes in a typed list («13.2, 11.6», «13.2 11.6;4.a»), without duplicates, in order."""
    codes = [c.strip().rstrip(".").lower() for c in re.split(r"[,;\s]+", text or "")]
    return list(dict.fromkeys(c for c in codes if c))


def goal_target_choices(goals) -> list[tuple[str, list[tuple[str, str]]]]:
    """Targets grouped by goal, with titles («13.2 Innarbeide klimatiltak …»), for the target picker."""
    return [(f"{g.number}. {g.name_nb}", [(t.code, f"{t.code} {t.title_nb}".strip()) for t in g.targets.all()])
            for g in goals]


class ActionForm(forms.Form):
    """A new action led by one of the user's units; partners come in ``party_rows``, targets picked by goal."""

    title = forms.CharField(label=_("Tittel"), max_length=300)
    description = forms.CharField(label=_("Beskrivelse"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    lead = forms.ChoiceField(label=_("Ansvarlig enhet"))
    lead_budget_share = forms.DecimalField(label=_("Ansvarlig enhets budsjettandel (%)"), required=False, min_value=0,
                                           max_value=100, decimal_places=2)
    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices, initial=ActionStatus.PLANNED)
    start = forms.DateField(label=_("Start"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("Slutt"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    targets = forms.MultipleChoiceField(label=_("Delmål (SDG)"), required=False, widget=forms.CheckboxSelectMultiple)
    target_codes = forms.CharField(label=_("Eller skriv delmålskoder"), required=False, help_text=TARGET_CODES_HINT)
    indicator = forms.IntegerField(required=False, widget=forms.HiddenInput)
    visibility = forms.ChoiceField(label=_("Synlighet"), choices=Visibility.choices, initial=Visibility.PUBLIC)

    def __init__(self, *args, leads, goals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead"].choices = _unit_choices(leads)
        self.goal_targets = goal_target_choices(goals)
        self.fields["targets"].choices = [c for _goal, rows in self.goal_targets for c in rows]

    def clean(self):
        data = super().clean()
        known = {code for code, _label in self.fields["targets"].choices}
        typed = target_codes_split(data.get("target_codes", ""))
        unknown = [c for c in typed if c not in known]
        if unknown:
            self.add_error("target_codes", _("Ukjente delmål: %(codes)s. %(hint)s") % {
                "codes": ", ".join(unknown), "hint": TARGET_CODES_HINT})
        data["target_code_list"] = list(dict.fromkeys([*data.get("targets", []), *(c for c in typed if c in known)]))
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("Sluttdatoen er før startdatoen."))
        return data


class PartUpdateForm(forms.Form):
    """A partner's own progress and status note."""

    progress = forms.IntegerField(label=_("Framdrift (%)"), min_value=0, max_value=100)
    note = forms.CharField(label=_("Statusnotat"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class StatusForm(forms.Form):
    """The lead's status change with a log text."""

    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices)
    text = forms.CharField(label=_("Kommentar"), required=False)


class MilestoneForm(forms.Form):
    """A new milestone, optionally owned by one party."""

    title = forms.CharField(label=_("Milepæl"), max_length=300)
    due = forms.DateField(label=_("Frist"), widget=forms.DateInput(attrs={"type": "date"}))
    partner = forms.ChoiceField(label=_("Ansvarlig part"), required=False)

    def __init__(self, *args, parts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].choices = [("", "—"), *((str(p.pk), p.party_name) for p in parts)]


class NetworkForm(forms.Form):
    """A new network: name, kind, lead unit, description and first members."""

    name = forms.CharField(label=_("Navn"), max_length=200)
    kind = forms.ChoiceField(label=_("Type"), choices=NetworkKind.choices)
    lead = forms.ChoiceField(label=_("Ledende enhet"))
    description = forms.CharField(label=_("Beskrivelse"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    members = forms.MultipleChoiceField(label=_("Medlemskommuner"), required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, leads, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead"].choices = _unit_choices(leads)
        self.fields["members"].choices = _unit_choices(members)


class JointActionForm(forms.Form):
    """A joint action proposed in a network, towards one indicator, with member municipalities as partners."""

    title = forms.CharField(label=_("Tittel"), max_length=300)
    description = forms.CharField(label=_("Beskrivelse"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    indicator = forms.ChoiceField(label=_("Indikator tiltaket skal påvirke"), required=False)
    direction = forms.ChoiceField(label=_("Forventet retning"), choices=ExpectedDirection.choices)
    partners = forms.MultipleChoiceField(label=_("Partnerkommuner"), widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, indicators, partners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = [("", "—"), *((str(i.pk), f"{i.code} {i.name_nb}") for i in indicators)]
        self.fields["partners"].choices = _unit_choices(partners)


class NoteForm(forms.Form):
    """A meeting note or document link for a network's workspace."""

    kind = forms.ChoiceField(label=_("Type"), choices=NetworkDocumentKind.choices)
    title = forms.CharField(label=_("Tittel"), max_length=300)
    meeting_on = forms.DateField(label=_("Møtedato"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    url = forms.CharField(label=_("Adresse (for dokumenter)"), required=False)
    body = forms.CharField(label=_("Tekst"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class InviteForm(forms.Form):
    """Units to invite to a network."""

    units = forms.MultipleChoiceField(label=_("Inviter kommuner"), widget=forms.SelectMultiple(attrs={"size": 8}))
    message = forms.CharField(label=_("Melding"), required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].choices = _unit_choices(units)


class SearchForm(forms.Form):
    """The library search: words and facet filters."""

    q = forms.CharField(label=_("Søk i gode eksempler"), required=False)
    goal = forms.IntegerField(label=_("Mål"), required=False, min_value=1, max_value=17)
    county = forms.CharField(label=_("Fylke"), required=False)
    size = forms.ChoiceField(label=_("Kommunestørrelse"), required=False, choices=[("", "—"), *SizeBand.choices])


class AgreementForm(forms.Form):
    """A cooperation agreement's own fields (parties and commitments come in their own rows)."""

    title = forms.CharField(label=_("Tittel"), max_length=300)
    description = forms.CharField(label=_("Beskrivelse"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    signed_on = forms.DateField(label=_("Inngått"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    valid_to = forms.DateField(label=_("Gjelder til"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    status = forms.ChoiceField(label=_("Oppfølging"), choices=FollowUpStatus.choices, initial=FollowUpStatus.NOT_STARTED)

    def clean(self):
        data = super().clean()
        if data.get("signed_on") and data.get("valid_to") and data["valid_to"] < data["signed_on"]:
            self.add_error("valid_to", _("Avtalen kan ikke gjelde til en dato før den er inngått."))
        return data


class CommitmentRowForm(forms.Form):
    """One commitment: which party promises what, by when, and how far it has come."""

    pk = forms.IntegerField(required=False, widget=forms.HiddenInput)
    party = forms.CharField(label=_("Part"), required=False, max_length=300)
    text = forms.CharField(label=_("Forpliktelse"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    due = forms.DateField(label=_("Frist"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    status = forms.ChoiceField(label=_("Status"), choices=FollowUpStatus.choices, initial=FollowUpStatus.NOT_STARTED)

    def __init__(self, *args, options, **kwargs):
        super().__init__(*args, **kwargs)
        self.options = options

    def clean(self):
        data = super().clean()
        data["resolved"] = None
        filled = bool(data.get("party") or (data.get("text") or "").strip() or data.get("due"))
        if not filled:
            return data
        if not data.get("party"):
            self.add_error("party", _("Velg hvilken part som forplikter seg."))
        else:
            try:
                data["resolved"] = party_resolve(data["party"], self.options)
            except forms.ValidationError as exc:
                self.add_error("party", exc)
        if not (data.get("text") or "").strip():
            self.add_error("text", _("Skriv hva parten forplikter seg til."))
        return data


def commitment_rows(data, *, options, initial=None, extra: int = 3):
    """The formset of commitment rows (``extra`` empty rows after the initial ones)."""
    formset = forms.formset_factory(CommitmentRowForm, extra=extra, max_num=100, absolute_max=100)
    return formset(data, initial=initial, prefix="forpliktelser", form_kwargs={"options": options})

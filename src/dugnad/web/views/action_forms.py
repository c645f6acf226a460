"""Forms of the action, network and library pages, and mapping of service validation errors onto form fields."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from dugnad.actions.vocab import ActionStatus, ExpectedDirection, Visibility
from dugnad.analytics.report import InputError
from dugnad.networks.vocab import NetworkDocumentKind, NetworkKind
from dugnad.units.vocab import SizeBand


def form_errors_add(form: forms.Form, exc: InputError, fields: dict[str, str] | None = None) -> None:
    """Put each problem of a service's report on the form field it names (``fields`` maps report columns to fields)."""
    fields = fields or {}
    for problem in exc.report.errors:
        name = fields.get(problem.column or "", problem.column)
        reason = problem.reason + (f" (rad {problem.row})" if problem.row else "")
        form.add_error(name if name in form.fields else None, reason)


def _unit_choices(units) -> list[tuple[str, str]]:
    return [(str(u.pk), f"{u.name} ({u.code})") for u in units]


class ActionForm(forms.Form):
    """A new action led by one of the user's units, with partner units."""

    title = forms.CharField(label=_("Tittel"), max_length=300)
    description = forms.CharField(label=_("Beskrivelse"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    lead = forms.ChoiceField(label=_("Ansvarlig enhet"))
    partners = forms.MultipleChoiceField(label=_("Partnere"), required=False,
                                         help_text=_("Hold Ctrl eller Cmd nede for å velge flere."))
    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices, initial=ActionStatus.PLANNED)
    start = forms.DateField(label=_("Start"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("Slutt"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    targets = forms.CharField(label=_("Delmål (SDG)"), required=False,
                              help_text=_("Koder skilt med mellomrom, f.eks. 11.2 13.2."))
    visibility = forms.ChoiceField(label=_("Synlighet"), choices=Visibility.choices, initial=Visibility.PUBLIC)

    def __init__(self, *args, leads, partners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead"].choices = _unit_choices(leads)
        self.fields["partners"].choices = _unit_choices(partners)
        self.fields["partners"].widget.attrs["size"] = 10


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

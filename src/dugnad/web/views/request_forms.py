"""Forms of the request pages: send a request to another level, and move it along with an answer."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from dugnad.catalogue.selectors import targets_by_codes
from dugnad.requests.selectors import indicators_by_codes
from dugnad.requests.vocab import RequestLevel
from dugnad.units.selectors import unit_current
from dugnad.web.views.action_forms import target_codes_split

_LAST_CODE = re.compile(r"\(([\w.-]+)\)\s*$")
INDICATOR_CODES_HINT = _("Indikatorkoder skilt med komma, for eksempel «D06.3, D11.4» (rammeverk:kode når flere "
                         "rammeverk bruker samme kode).")
TARGETS_HINT = _("Delmålskoder skilt med komma, for eksempel «11.6, 13.2».")


class RequestForm(forms.Form):
    """A new request from one of the user's units to a level (and, for a municipality, the one it names)."""

    from_unit = forms.ChoiceField(label=_("Fra enhet"))
    to_level = forms.ChoiceField(label=_("Til nivå"), choices=RequestLevel.choices, initial=RequestLevel.STATE,
                                 help_text=_("Staten svares av den nasjonale koordinatoren, fylket av "
                                             "fylkeskoordinatoren."))
    to_unit = forms.CharField(label=_("Kommune (bare for henvendelser til en kommune)"), required=False,
                              max_length=200, help_text=_("Kommunenummer eller navn fra lista, for eksempel «Bergen (4601)»."),
                              widget=forms.TextInput(attrs={"list": "municipality-options", "autocomplete": "off"}))
    to_body = forms.CharField(label=_("Organ"), required=False, max_length=200,
                              help_text=_("Hvem henvendelsen gjelder, for eksempel «Kommunal- og distriktsdepartementet»."))
    title = forms.CharField(label=_("Tittel"), max_length=300)
    text = forms.CharField(label=_("Hva ber dere om, og hvorfor?"), required=False,
                           widget=forms.Textarea(attrs={"rows": 5}))
    target_codes = forms.CharField(label=_("Delmål"), required=False, help_text=TARGETS_HINT)
    indicator_codes = forms.CharField(label=_("Indikatorer"), required=False, help_text=INDICATOR_CODES_HINT)

    def __init__(self, *args, senders, **kwargs):
        super().__init__(*args, **kwargs)
        self.senders = {str(u.pk): u for u in senders}
        self.fields["from_unit"].choices = [(pk, f"{u.name} ({u.code})") for pk, u in self.senders.items()]

    def clean(self):
        """Resolve the sender, the named municipality, targets and indicators; each unknown one is named."""
        data = super().clean()
        data["sender"] = self.senders.get(data.get("from_unit", ""))
        typed = (data.get("to_unit") or "").strip()
        data["receiver"] = None
        if typed:
            match = _LAST_CODE.search(typed)
            unit = unit_current(match.group(1) if match else typed)
            if unit is None:
                self.add_error("to_unit", _("Fant ingen kommune med koden %(code)s.") % {"code": typed})
            elif data.get("to_level") != RequestLevel.MUNICIPALITY:
                self.add_error("to_unit", _("Velg «Kommune» som nivå for å sende til en bestemt kommune."))
            else:
                data["receiver"] = unit
        codes = target_codes_split(data.get("target_codes", ""))
        targets = {t.code: t for t in targets_by_codes(codes)}
        unknown = [c for c in codes if c not in targets]
        if unknown:
            self.add_error("target_codes", _("Ukjente delmål: %(codes)s.") % {"codes": ", ".join(unknown)})
        data["target_list"] = [targets[c] for c in codes if c in targets]
        indicator_codes = [c.strip() for c in re.split(r"[,;\s]+", data.get("indicator_codes", "")) if c.strip()]
        indicators, missing = indicators_by_codes(indicator_codes)
        if missing:
            self.add_error("indicator_codes", _("Ukjente indikatorer: %(codes)s.") % {"codes": ", ".join(missing)})
        data["indicator_list"] = indicators
        return data


class RequestStatusForm(forms.Form):
    """The receiver's answer; the next status comes from the button pressed (``status``)."""

    answer = forms.CharField(label=_("Svar"), required=False, widget=forms.Textarea(attrs={"rows": 5}),
                             help_text=_("Kreves for «Besvart» og «Avvist»."))

"""The searchable party picker of action and agreement forms: units and organisations with their level, one Oslo.

The picker is a text field with a shared ``<datalist>``: the browser filters the options as you type, and the
server reads the code in the last parentheses («Bergen – kommune (4601)», «KS – KS (org 3)»), a bare code or a
unique name. A county of one municipality (Oslo, 03 and 0301) is offered once, as the municipality.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dugnad.actions.models import Organisation
from dugnad.actions.selectors import organisations_all
from dugnad.actions.vocab import PartnerRole
from dugnad.units.models import Unit
from dugnad.units.selectors import unit_current, units_current
from dugnad.web.vocab import localized

PARTY_LEVELS = ("country", "county", "municipality")
_CODE = re.compile(r"\((?:(org)\s*)?([\w.-]+)\)\s*$")


@dataclass(frozen=True)
class PartyOption:
    """One entry of the picker: the text shown and typed, and the unit or organisation it stands for."""

    label: str
    party: Unit | Organisation


def _level_name(unit: Unit) -> str:
    return localized(unit.level, "name").lower()


def party_options(*, organisations: bool = True) -> list[PartyOption]:
    """Current countries, counties and municipalities, then organisations; a county that is one municipality once."""
    units = list(units_current(levels=PARTY_LEVELS))
    children: dict[int, int] = {}
    for u in units:
        if u.parent_id and u.level.code == "municipality":
            children[u.parent_id] = children.get(u.parent_id, 0) + 1
    twins = {u.pk for u in units if u.level.code == "county" and children.get(u.pk) == 1}
    out = []
    for u in units:
        if u.pk in twins:
            continue
        level = _("kommune og fylke") if u.parent_id in twins else _level_name(u)
        out.append(PartyOption(f"{u.name} – {level} ({u.code})", u))
    if organisations:
        out += [PartyOption(f"{o.name} – {o.get_kind_display().lower()} (org {o.pk})", o)
                for o in organisations_all()]
    return out


def party_label(party: Unit | Organisation) -> str:
    """The picker text of a unit or organisation (for initial values of edit forms)."""
    if isinstance(party, Organisation):
        return f"{party.name} – {party.get_kind_display().lower()} (org {party.pk})"
    return f"{party.name} – {_level_name(party)} ({party.code})"


def party_resolve(text: str, options: list[PartyOption]) -> Unit | Organisation:
    """The party a picker text names; ``forms.ValidationError`` with a hint when none or several match."""
    text = (text or "").strip()
    match = _CODE.search(text)
    if match:
        is_org, code = match.groups()
    else:
        is_org, code = None, text
    for option in options:
        p = option.party
        if (is_org and isinstance(p, Organisation) and str(p.pk) == code) or (
                not is_org and isinstance(p, Unit) and p.code == code):
            return p
    if not is_org and code and not match:  # a code not offered (e.g. Oslo county 03) or a name
        unit = unit_current(code)
        if unit is not None and unit.level.code in PARTY_LEVELS:
            return unit
        named = [o.party for o in options if o.label.split(" – ")[0].casefold() == text.casefold()]
        if len(named) == 1:
            return named[0]
        if len(named) > 1:
            raise forms.ValidationError(_("Flere parter heter «%(text)s»: velg en fra lista, med kode.") % {"text": text})
    raise forms.ValidationError(_("Fant ingen enhet eller organisasjon «%(text)s». Skriv noen bokstaver og velg fra lista.")
                                % {"text": text})


class PartyRowForm(forms.Form):
    """One partner of an action: who, in which role, and their share of the budget."""

    party = forms.CharField(label=gettext_lazy("Partner"), required=False, max_length=300)
    role = forms.ChoiceField(label=gettext_lazy("Rolle"), required=False, initial=PartnerRole.PARTNER,
                             choices=[(PartnerRole.PARTNER, PartnerRole.PARTNER.label),
                                      (PartnerRole.FUNDER, PartnerRole.FUNDER.label)])
    budget_share = forms.DecimalField(label=gettext_lazy("Budsjettandel (%)"), required=False, min_value=0,
                                      max_value=100, decimal_places=2)

    def __init__(self, *args, options: list[PartyOption], **kwargs):
        super().__init__(*args, **kwargs)
        self.options = options

    def clean(self):
        data = super().clean()
        data["resolved"] = None
        if data.get("party"):
            try:
                data["resolved"] = party_resolve(data["party"], self.options)
            except forms.ValidationError as exc:
                self.add_error("party", exc)
        elif data.get("budget_share") is not None:
            self.add_error("party", _("Velg hvem budsjettandelen gjelder."))
        return data


def party_rows(data, *, options: list[PartyOption], initial=None, extra: int = 4, prefix: str = "parter"):
    """The formset of partner rows (``extra`` empty rows after the initial ones)."""
    formset = forms.formset_factory(PartyRowForm, extra=extra, max_num=60, absolute_max=60)
    return formset(data, initial=initial, prefix=prefix, form_kwargs={"options": options})

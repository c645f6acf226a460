"""Forms of the rounds pages: opening a round (with the survey written as lines) and filtering the overview."""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.utils.translation import gettext_lazy as _

from dugnad.catalogue.models import Framework
from dugnad.catalogue.selectors import indicators_of_framework
from dugnad.rounds.vocab import Chapter, QuestionKind, SubmissionState
from dugnad.units.vocab import SizeBand

DEFAULT_QUESTIONS = "\n".join([
    "ja/nei: Er bærekraftsmålene en del av kommuneplanens samfunnsdel?",
    "skala 1-5: Hvor godt er bærekraftsmålene forankret i økonomiplan og budsjett?",
    "valg: Hvem har ansvaret for arbeidet med bærekraftsmålene? | Kommunedirektøren | Ordføreren | En egen enhet | Annet",
    "tekst: Beskriv samarbeidet med fylkeskommunen og nabokommunene.",
])

_QUESTION_LINE = re.compile(r"^\s*(ja/nei|skala(?:\s+(\d+)\s*-\s*(\d+))?|valg|tekst)\s*:\s*(.+)$", re.IGNORECASE)


def questions_parse(text: str) -> tuple[list[dict], list[str]]:
    """Survey questions from lines like ``ja/nei: …``, ``skala 1-5: …``, ``valg: … | A | B``, ``tekst: …``.

    Returns the questions and a list of errors naming the line.
    """
    questions, errors = [], []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        match = _QUESTION_LINE.match(line)
        if not match:
            message = _("Linje %(n)d: skriv «ja/nei:», «skala 1-5:», «valg:» eller «tekst:» foran spørsmålet.")
            errors.append(message % {"n": number})
            continue
        kind_word, low, high, rest = match.groups()
        kind_word = kind_word.lower()
        if kind_word.startswith("skala"):
            questions.append({"kind": QuestionKind.SCALE, "text": rest.strip(),
                              "scale_min": int(low or 1), "scale_max": int(high or 5)})
        elif kind_word == "valg":
            text_part, *options = [p.strip() for p in rest.split("|")]
            options = [o for o in options if o]
            if len(options) < 2:
                errors.append(_("Linje %(n)d: et valgspørsmål trenger minst to alternativer skilt med |.") % {"n": number})
                continue
            questions.append({"kind": QuestionKind.CHOICE, "text": text_part, "choices": options})
        else:
            kind = QuestionKind.YES_NO if kind_word == "ja/nei" else QuestionKind.TEXT
            questions.append({"kind": kind, "text": rest.strip()})
    return questions, errors


class RoundOpenForm(forms.Form):
    """The settings of a new round."""

    title = forms.CharField(label=_("Tittel"), max_length=200)
    scope = forms.ChoiceField(label=_("Hvem runden gjelder"))
    year = forms.IntegerField(label=_("Rapporteringsår"), min_value=2000, max_value=2100)
    deadline = forms.DateField(label=_("Frist"), widget=forms.DateInput(attrs={"type": "date"}))
    indicators = forms.ModelMultipleChoiceField(
        label=_("Indikatorer"), queryset=indicators_of_framework(None), widget=forms.CheckboxSelectMultiple
    )
    chapters = forms.MultipleChoiceField(
        label=_("Kapitler i rapporten"), choices=Chapter.choices, widget=forms.CheckboxSelectMultiple,
        initial=[c.value for c in Chapter],
    )
    questions = forms.CharField(
        label=_("Egenvurdering (ett spørsmål per linje)"), widget=forms.Textarea(attrs={"rows": 6}), required=False,
        initial=DEFAULT_QUESTIONS,
        help_text=_("Start hver linje med «ja/nei:», «skala 1-5:», «valg:» (alternativer skilt med |) eller «tekst:»."),
    )

    def __init__(self, *args, scopes, framework: Framework | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scope"].choices = [(u.pk, f"{u.code} {u.name}") for u in scopes]
        if framework is not None:
            self.fields["indicators"].queryset = indicators_of_framework(framework)
            self.fields["indicators"].initial = [i.pk for i in indicators_of_framework(framework)]
        self.fields["year"].initial = dt.date.today().year - 1
        self.fields["deadline"].initial = dt.date.today() + dt.timedelta(days=60)

    def clean_questions(self):
        """The survey as question dicts; a bad line is an error naming the line."""
        questions, errors = questions_parse(self.cleaned_data.get("questions", ""))
        if errors:
            raise forms.ValidationError(errors)
        return questions


class OverviewFilterForm(forms.Form):
    """Filters of the coordinator's overview."""

    fylke = forms.ChoiceField(label=_("Fylke"), required=False)
    storrelse = forms.ChoiceField(
        label=_("Størrelse"), required=False,
        choices=[("", _("Alle")), *((band.value, band.label) for band in SizeBand.known())],
    )
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("Alle")), *SubmissionState.choices])
    forsinket = forms.BooleanField(label=_("Bare forsinkede"), required=False)

    def __init__(self, *args, counties, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fylke"].choices = [("", _("Alle")), *((code, f"{code} {name}") for code, name in counties)]

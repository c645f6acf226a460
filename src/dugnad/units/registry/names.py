"""Official multilingual unit names: splitting "Troms - Romsa - Tromssa" into its Norwegian, Sámi and Kven forms."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

NAME_FORMS_FILE = Path(__file__).resolve().parent.parent / "data" / "name_forms.yaml"

#: Separator SSB uses between the forms of an official name.
SEPARATOR = " - "


@dataclass(frozen=True)
class NameForms:
    """An official name split into its forms: the Norwegian form and the other forms by language code."""

    official: str
    norwegian: str
    others: dict[str, str]
    unknown: tuple[str, ...] = ()


@cache
def known_forms(path: Path = NAME_FORMS_FILE) -> dict[str, str]:
    """Sámi/Kven name form → language code, from the project's name-forms table."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {form: language for language, forms in data.items() for form in forms}


def name_forms(official: str, *, forms: dict[str, str] | None = None) -> NameForms:
    """The forms of an official name; a form not in the table is Norwegian (several unknown forms are reported)."""
    table = known_forms() if forms is None else forms
    parts = [p.strip() for p in official.split(SEPARATOR) if p.strip()]
    others: dict[str, str] = {}
    rest: list[str] = []
    for part in parts:
        language = table.get(part)
        if language and language not in others:
            others[language] = part
        else:
            rest.append(part)
    norwegian = rest[0] if rest else official
    return NameForms(official=official, norwegian=norwegian, others=others, unknown=tuple(rest[1:]))

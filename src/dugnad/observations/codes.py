"""Code books that turn the unit and indicator codes of an import into database ids, in memory."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from dugnad.catalogue.models import Indicator
from dugnad.units.models import Unit


@dataclass(frozen=True)
class Resolved:
    """The id a code resolves to, or the reason it does not (``id`` None), plus an optional warning."""

    id: int | None
    reason: str = ""
    warning: str = ""


class UnitCodeBook:
    """All units by code; a code used by several units over time resolves to the one valid in a year.

    ``harmonised``: the codes are today's codes used for earlier years too (a harmonised series: the demo, SSB's
    ``agg_KommSummer``), so a year before a code's first version goes on its latest version instead of being
    refused.
    """

    def __init__(self, *, harmonised: bool = False) -> None:
        self.harmonised = harmonised
        self._by_code: dict[str, list[tuple[dt.date, dt.date | None, int]]] = defaultdict(list)
        for pk, code, valid_from, valid_to in Unit.objects.values_list("id", "code", "valid_from", "valid_to"):
            self._by_code[code].append((valid_from, valid_to, pk))
        for versions in self._by_code.values():
            versions.sort(key=lambda v: v[0])

    def resolve(self, code: str, year: int) -> Resolved:
        """The unit with this code valid on 1 January of ``year``, else valid in that year, else the latest (a year after
        the code ended); a year before the code's first version is refused."""
        versions = self._by_code.get(code)
        warning = ""
        if not versions and code.isdigit() and len(code) in (1, 3) and code != "0":
            padded = code.zfill(len(code) + 1)
            versions = self._by_code.get(padded)
            if versions:
                warning = f"unit code {code} read as {padded} (leading zero restored)"
        if not versions:
            return Resolved(None, "unknown unit code")
        jan1, dec31 = dt.date(year, 1, 1), dt.date(year, 12, 31)
        for valid_from, valid_to, pk in versions:
            if valid_from <= jan1 and (valid_to is None or valid_to > jan1):
                return Resolved(pk, warning=warning)
        in_year = [pk for valid_from, valid_to, pk in versions if valid_from <= dec31 and (valid_to is None or valid_to > jan1)]
        if not in_year and dec31 < versions[0][0] and not self.harmonised:
            return Resolved(None, "the unit did not exist in the period's year (this code is in the registry from "
                                  f"{versions[0][0].isoformat()})")
        return Resolved(in_year[-1] if in_year else versions[-1][2], warning=warning)


class IndicatorCodeBook:
    """All indicators by code across frameworks; ``framework:code`` picks one framework."""

    def __init__(self) -> None:
        self._by_code: dict[str, list[tuple[str, int]]] = defaultdict(list)
        self._by_framework: dict[tuple[str, str], int] = {}
        for pk, code, framework in Indicator.objects.values_list("id", "code", "framework__code"):
            self._by_code[code].append((framework, pk))
            self._by_framework[(framework, code)] = pk
        self._frameworks = {framework for framework, _ in self._by_framework}

    def resolve(self, text: str) -> Resolved:
        """The indicator a code (or ``framework:code``) names, or why it names none or several."""
        prefix, sep, code = text.partition(":")
        if sep and prefix in self._frameworks:
            pk = self._by_framework.get((prefix, code))
            return Resolved(pk) if pk else Resolved(None, f"unknown indicator code in framework {prefix}")
        matches = self._by_code.get(text, [])
        if len(matches) == 1:
            return Resolved(matches[0][1])
        if not matches:
            return Resolved(None, "unknown indicator code")
        frameworks = ", ".join(sorted(f for f, _ in matches))
        return Resolved(None, f"ambiguous indicator code: it exists in frameworks {frameworks}; write framework:code")

    def labels(self) -> dict[int, str]:
        """The shortest unambiguous code of every indicator, by id."""
        return {pk: code if len(self._by_code[code]) == 1 else f"{framework}:{code}"
                for (framework, code), pk in self._by_framework.items()}

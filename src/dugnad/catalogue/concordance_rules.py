"""Rules that derive concordance links between indicators from what the taxonomy states (Django-free).

Each rule takes the whole :class:`~dugnad.catalogue.taxonomy.Taxonomy` and yields links; the rules are
registered in :data:`CONCORDANCE_RULES` and run in that order (the first rule to link a pair wins).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from dugnad.catalogue.taxonomy import UN_SCHEME_SLUG, Taxonomy, TaxonomyIndicator

IndicatorKey = tuple[str, str]  # (framework code, indicator code)

#: Concordance relation stated by each SKOS mapping property (``broadMatch``: the target is broader).
SKOS_RELATION = {
    "exactMatch": "same",
    "closeMatch": "close",
    "broadMatch": "broader",
    "narrowMatch": "narrower",
    "relatedMatch": "related",
    "related": "related",
}
_UN_NOTATION_URI = re.compile(r"^https?://metadata\.un\.org/sdg/(C\d{2}[0-9a-z]{2}\d{2})$")
_SERIES_NOTATION = re.compile(r"^(C\d{2}[0-9a-z]{2}\d{2})[a-z]?$")


@dataclass(frozen=True)
class ConcordanceLink:
    """A derived link from one indicator to another, with the rule (basis) that made it."""

    source: IndicatorKey
    target: IndicatorKey
    relation: str
    basis: str


def _index(taxonomy: Taxonomy) -> tuple[dict[str, IndicatorKey], dict[str, list[IndicatorKey]]]:
    """Indicator keys by URI, and UN indicator keys by UNSD series notation (``C030201`` → 3.2.1)."""
    by_uri: dict[str, IndicatorKey] = {}
    un_by_notation: dict[str, list[IndicatorKey]] = defaultdict(list)
    for scheme in taxonomy.schemes:
        for ind in scheme.indicators:
            by_uri[ind.uri] = (scheme.slug, ind.code)
            if scheme.slug == UN_SCHEME_SLUG and ind.metadata.get("notation"):
                un_by_notation[ind.metadata["notation"]].append((scheme.slug, ind.code))
    return by_uri, un_by_notation


def _pairs(taxonomy: Taxonomy) -> Iterator[tuple[str, TaxonomyIndicator]]:
    for scheme in taxonomy.schemes:
        for ind in scheme.indicators:
            yield scheme.slug, ind


def rule_skos_match(taxonomy: Taxonomy) -> Iterator[ConcordanceLink]:
    """SKOS mappings (closeMatch, relatedMatch, …) to an indicator of another framework, by URI or by UN series URI."""
    by_uri, un_by_notation = _index(taxonomy)
    for slug, ind in _pairs(taxonomy):
        for prop, obj in ind.matches:
            relation = SKOS_RELATION[prop]
            if obj in by_uri:
                targets = [by_uri[obj]]
            elif match := _UN_NOTATION_URI.match(obj):
                targets = un_by_notation.get(match.group(1), [])
            else:
                targets = []
            for target in targets:
                if target[0] != slug:
                    yield ConcordanceLink((slug, ind.code), target, relation, f"skos:{prop}")


def rule_un_repeated(taxonomy: Taxonomy) -> Iterator[ConcordanceLink]:
    """UN indicators repeated under several targets share one UNSD series code (1.5.1 = 11.5.1 = 13.1.1): same."""
    _, un_by_notation = _index(taxonomy)
    for keys in un_by_notation.values():
        keys = sorted(keys)
        for other in keys[1:]:
            yield ConcordanceLink(keys[0], other, "same", "un:repeated-indicator")


def rule_series_notation(taxonomy: Taxonomy) -> Iterator[ConcordanceLink]:
    """A notation built on a UN series code (OECD ``C010201`` or ``C010101a``) links to that UN indicator: close."""
    _, un_by_notation = _index(taxonomy)
    for slug, ind in _pairs(taxonomy):
        match = _SERIES_NOTATION.match(ind.metadata.get("notation", ""))
        if slug == UN_SCHEME_SLUG or not match:
            continue
        for target in un_by_notation.get(match.group(1), []):
            yield ConcordanceLink((slug, ind.code), target, "close", "notation:un-series")


def _normal_title(text: str) -> str:
    return re.sub(r"\W+", " ", text.lower()).strip()


def rule_same_title(taxonomy: Taxonomy) -> Iterator[ConcordanceLink]:
    """Indicators of different frameworks with the same title: same when unit and source URL agree too, else close."""
    groups: dict[str, list[tuple[str, TaxonomyIndicator]]] = defaultdict(list)
    for slug, ind in _pairs(taxonomy):
        groups[_normal_title(ind.name_nb)].append((slug, ind))
    for members in groups.values():
        members.sort(key=lambda m: (m[0], m[1].code))
        for i, (slug_a, a) in enumerate(members):
            for slug_b, b in members[i + 1 :]:
                if slug_a == slug_b:
                    continue
                same = a.unit_of_measure == b.unit_of_measure and a.source == b.source and a.source.startswith("http")
                yield ConcordanceLink((slug_a, a.code), (slug_b, b.code), "same" if same else "close", "title")


#: The rules, in priority order.
CONCORDANCE_RULES: dict[str, Callable[[Taxonomy], Iterator[ConcordanceLink]]] = {
    "skos-match": rule_skos_match,
    "un-repeated": rule_un_repeated,
    "series-notation": rule_series_notation,
    "same-title": rule_same_title,
}


def concordance_links(taxonomy: Taxonomy) -> list[ConcordanceLink]:
    """All derived links, one per unordered pair (first rule wins), sorted by source and target."""
    chosen: dict[frozenset, ConcordanceLink] = {}
    for rule in CONCORDANCE_RULES.values():
        for link in rule(taxonomy):
            if link.source == link.target:
                continue
            chosen.setdefault(frozenset((link.source, link.target)), link)
    return sorted(chosen.values(), key=lambda link: (link.source, link.target))

"""Reader of the KS/SSB SDG taxonomy (RDF Turtle): schemes with their indicators as plain records.

Django-free: it reads a directory of ``.ttl`` files, one file or an http(s) URL and returns
:class:`Taxonomy`; the catalogue services turn that into database rows.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import rdflib
from rdflib.namespace import RDF, SKOS
from rdflib.plugins.parsers.notation3 import BadSyntax

from dugnad.analytics.report import InputError, ValidationReport
from dugnad.catalogue.facts import goal_facts, is_indicator_code, is_target_code

SDGO = rdflib.Namespace("http://metadata.un.org/sdg/ontology#")
DC = rdflib.Namespace("http://purl.org/dc/")  # the taxonomy uses this (non-standard) prefix for title/identifier
DCTERMS = rdflib.Namespace("http://purl.org/dc/terms/")
DQV = rdflib.Namespace("http://www.w3.org/ns/dqv#")
KS = rdflib.Namespace("https://metadata.ks.no/sdg-taxonomi/#")
VCARD = rdflib.Namespace("http://www.w3.org/2006/vcard/ns#")
UN_SDG = "http://metadata.un.org/sdg/"

#: Marker in file names of alternate copies of a scheme (sub-folder variants); skipped in directories.
DUPLICATE_MARKER = "__"
#: Slug of the scheme that holds the UN global indicators.
UN_SCHEME_SLUG = "un-sdg-indicators"
#: SKOS mapping properties between indicators, and the concordance relation each one states.
MATCH_PROPERTIES: dict[str, rdflib.URIRef] = {
    "exactMatch": SKOS.exactMatch,
    "closeMatch": SKOS.closeMatch,
    "broadMatch": SKOS.broadMatch,
    "narrowMatch": SKOS.narrowMatch,
    "relatedMatch": SKOS.relatedMatch,
    "related": SKOS.related,
}
_NORWEGIAN_WORDS = frozenset(
    [
        "og", "av", "i", "som", "med", "på", "til", "fra", "etter", "ved", "uten", "eller", "andel", "antall", "per",
        "innbyggere", "kommunen", "kommunale", "kommunalt", "barn", "elever", "personer", "år", "har", "er", "ikke",
        "det", "den",
    ]
)
_UN_CODE_RE = re.compile(r"^\s*(\d{1,2}\.(?:\d{1,2}|[a-z])\.\d{1,2})\s+")
_LIST_LITERAL_RE = re.compile(r"^\[\s*'(.*)'\s*\]$", re.S)


@dataclass
class TaxonomyIndicator:
    """One indicator of a scheme, with its SDG links and descriptive metadata."""

    uri: str
    code: str
    name_nb: str
    name_en: str
    unit_of_measure: str
    source: str
    goals: tuple[int, ...]
    targets: tuple[str, ...]
    metadata: dict
    matches: tuple[tuple[str, str], ...] = ()  # (SKOS property name, object URI)


@dataclass
class TaxonomyScheme:
    """One concept scheme of the taxonomy: becomes one framework."""

    uri: str
    slug: str
    name: str
    file: str
    modified: str
    publisher: str
    language: str
    indicators: list[TaxonomyIndicator] = field(default_factory=list)


@dataclass
class Taxonomy:
    """All schemes read from a source, plus the problems found (warnings only when reading succeeded)."""

    source: str
    schemes: list[TaxonomyScheme] = field(default_factory=list)
    report: ValidationReport = field(default_factory=ValidationReport)

    @property
    def indicator_count(self) -> int:
        """Number of indicators over all schemes."""
        return sum(len(s.indicators) for s in self.schemes)


def slugify_code(text: str) -> str:
    """ASCII slug of a scheme name: Norwegian letters transliterated (æ→ae, ø→o, å→a), runs of other signs → ``-``."""
    text = text.lower().replace("æ", "ae").replace("ø", "o").replace("å", "a")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def local_id(uri: str) -> str:
    """Last segment of a URI (after ``#`` or the last ``/``), e.g. ``2261``."""
    return re.split(r"[#/]", uri.rstrip("/#"))[-1]


def taxonomy_files(path: Path) -> list[Path]:
    """The ``.ttl`` files to read from a directory, sorted, without the ``__`` alternate copies."""
    return sorted(p for p in path.glob("*.ttl") if DUPLICATE_MARKER not in p.stem)


def read_taxonomy(source: str | Path, *, on_file: Callable[[str, int, int], None] | None = None) -> Taxonomy:
    """Read a directory of ``.ttl`` files, one ``.ttl`` file or an http(s) URL; raises InputError on bad input.

    ``on_file(name, done, total)`` is called after each file (for progress bars).
    A scheme URI met a second time is skipped with a warning (each scheme is imported once).
    """
    text = str(source)
    taxonomy = Taxonomy(source=text)
    taxonomy.report.source = text
    if text.startswith(("http://", "https://")):
        inputs: list[tuple[str, Callable[[rdflib.Graph], None]]] = [(text, _url_loader(text, taxonomy.report))]
    else:
        path = Path(source)
        if path.is_dir():
            files = taxonomy_files(path)
            if not files:
                taxonomy.report.add("no .ttl files in the directory", file=str(path))
        elif path.is_file():
            files = [path]
        else:
            files = []
            taxonomy.report.add("no such file or directory", file=str(path))
        inputs = [(p.name, _file_loader(p)) for p in files]
    if not taxonomy.report.ok:
        raise InputError(taxonomy.report)
    seen: dict[str, str] = {}
    for done, (name, load) in enumerate(inputs, start=1):
        graph = rdflib.Graph()
        try:
            load(graph)
        except BadSyntax as exc:
            line = getattr(exc, "lines", None)
            why = getattr(exc, "_why", None) or str(exc).splitlines()[0]
            taxonomy.report.add(
                f"malformed Turtle on line {line + 1 if line is not None else '?'}: {why}",
                file=name, row=None if line is None else line + 1,
            )
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            taxonomy.report.add(f"cannot read Turtle: {exc}", file=name)
        else:
            for scheme in _schemes_of(graph, name, taxonomy.report):
                if scheme.uri in seen:
                    taxonomy.report.warn(f"scheme {scheme.uri} already read from {seen[scheme.uri]}; skipped", file=name)
                    continue
                seen[scheme.uri] = name
                taxonomy.schemes.append(scheme)
        if on_file:
            on_file(name, done, len(inputs))
    if not taxonomy.report.ok:
        raise InputError(taxonomy.report)
    return taxonomy


def _file_loader(path: Path) -> Callable[[rdflib.Graph], None]:
    def load(graph: rdflib.Graph) -> None:
        graph.parse(data=path.read_text(encoding="utf-8"), format="turtle", publicID=path.resolve().as_uri())

    return load


def _url_loader(url: str, report: ValidationReport) -> Callable[[rdflib.Graph], None]:
    def load(graph: rdflib.Graph) -> None:
        try:
            response = httpx.get(url, follow_redirects=True, timeout=60.0)
            response.raise_for_status()
        except httpx.HTTPError as exc:
            raise OSError(f"download failed: {exc}") from exc
        graph.parse(data=response.text, format="turtle", publicID=url)

    return load


def _text(value: object) -> str:
    """A literal as clean text (unwraps the ``['…']`` list form some copies use)."""
    text = str(value).strip()
    match = _LIST_LITERAL_RE.match(text)
    return match.group(1).strip() if match else text


def _first(graph: rdflib.Graph, subject: rdflib.term.Node, *predicates: rdflib.URIRef) -> str:
    """The smallest value of the first predicate that has any (deterministic when there are several)."""
    for predicate in predicates:
        values = sorted(_text(v) for v in graph.objects(subject, predicate))
        if values:
            return values[0]
    return ""


def _ids(graph: rdflib.Graph, subject: rdflib.term.Node, predicate: rdflib.URIRef) -> list[str]:
    return sorted(local_id(str(o)) for o in graph.objects(subject, predicate))


def _publisher_name(graph: rdflib.Graph, scheme: rdflib.term.Node) -> str:
    for org in graph.objects(scheme, DC.publisher):
        name = graph.value(org, VCARD.hasOrganizationName)
        number = local_id(str(org))
        return f"{name} (org.nr. {number})" if name else str(org)
    return ""


def looks_norwegian(texts: Iterable[str]) -> bool:
    """Whether most of the titles are Norwegian (æ/ø/å or common Norwegian words), whatever their language tag."""
    texts = list(texts)
    hits = 0
    for text in texts:
        words = set(re.findall(r"\w+", text.lower()))
        if re.search(r"[æøå]", text.lower()) or words & _NORWEGIAN_WORDS:
            hits += 1
    return bool(texts) and hits * 2 > len(texts)


def _schemes_of(graph: rdflib.Graph, file: str, report: ValidationReport) -> list[TaxonomyScheme]:
    """The schemes of one file that contain sdgo:Indicator concepts (label vocabularies are skipped)."""
    members: dict[str, list[rdflib.term.Node]] = {}
    for indicator in set(graph.subjects(RDF.type, SDGO.Indicator)):
        scheme_uris = sorted(str(s) for s in graph.objects(indicator, SKOS.inScheme))
        if not scheme_uris:
            report.warn(f"indicator {indicator} has no skos:inScheme; skipped", file=file)
        for scheme_uri in scheme_uris:
            members.setdefault(scheme_uri, []).append(indicator)
    schemes = []
    for scheme_uri in sorted(members):
        node = rdflib.URIRef(scheme_uri)
        titles = [t for s in members[scheme_uri] for t in graph.objects(s, DC.title)]
        tagged_norwegian = any(t.language in ("no", "nb", "nn") for t in titles)
        name = _first(graph, node, DC.title, SKOS.prefLabel) or re.sub(r"\s+", " ", local_id(scheme_uri).replace("-", " "))
        scheme = TaxonomyScheme(
            uri=scheme_uri,
            slug=slugify_code(local_id(scheme_uri)),
            name=name,
            file=file,
            modified=_first(graph, node, DC.modified, DCTERMS.modified),
            publisher=_publisher_name(graph, node),
            language="nb" if tagged_norwegian or looks_norwegian(_text(t) for t in titles) else "en",
        )
        for subject in sorted(members[scheme_uri], key=str):
            indicator = _indicator(graph, subject, scheme, report)
            if indicator is not None:
                scheme.indicators.append(indicator)
        _assign_codes(scheme, report)
        schemes.append(scheme)
    return schemes


def _sdg_links(graph: rdflib.Graph, subject: rdflib.term.Node) -> tuple[set[int], set[str]]:
    """Goals and targets an indicator points to (hasGoal/isIndicatorOf may name either a goal or a target)."""
    goals: set[int] = set()
    targets: set[str] = set()
    for predicate in (SDGO.hasGoal, SDGO.isIndicatorOf):
        for obj in graph.objects(subject, predicate):
            code = str(obj).removeprefix(UN_SDG)
            if code.isdigit():
                goals.add(int(code))
            elif is_target_code(code):
                targets.add(code)
                goals.add(int(code.split(".")[0]))
    return goals, targets


def _indicator(graph: rdflib.Graph, subject: rdflib.term.Node, scheme: TaxonomyScheme, report: ValidationReport):
    uri = str(subject)
    titles = {}
    for title in sorted(graph.objects(subject, DC.title), key=lambda t: (t.language or "", _text(t)), reverse=True):
        titles[title.language or ""] = _text(title)  # reverse order: the smallest title per language wins
    if not titles:
        report.warn(f"indicator {uri} has no title; skipped", file=scheme.file)
        return None
    norwegian = titles.get("no") or titles.get("nb") or (titles.get("en") if scheme.language == "nb" else "")
    english = titles.get("en", "") if scheme.language == "en" else ""
    any_title = next(iter(titles.values()))
    goals, targets = _sdg_links(graph, subject)
    valid_goals = {g.number for g in goal_facts()}
    metadata = {
        "notation": _first(graph, subject, SKOS.notation),
        "periodicity": _first(graph, subject, DCTERMS.accrualPeriodicity),
        "level": _ids(graph, subject, DCTERMS.coverage),
        "quality": _ids(graph, subject, DQV.hasQualityMeasurement),
        "evaluation": _ids(graph, subject, KS.hasEvaluation),
        "impact": _ids(graph, subject, KS.hasImpact),
        "subjects": _ids(graph, subject, DCTERMS.subject),
        "depth": _first(graph, subject, rdflib.URIRef("http://rdf-vocabulary.ddialliance.org/xkos#depth")),
        "title_language": "nb" if norwegian else "en",
    }
    matches = tuple(
        sorted((name, str(obj)) for name, prop in MATCH_PROPERTIES.items() for obj in graph.objects(subject, prop))
    )
    if matches:
        metadata["matches"] = [list(m) for m in matches]
    sources = sorted(_text(s) for s in graph.objects(subject, DCTERMS.source))
    source = " | ".join(sources)
    if len(source) > 500:
        metadata["source_full"] = source
        source = source[:499] + "…"
    return TaxonomyIndicator(
        uri=uri,
        code=local_id(uri),
        name_nb=norwegian or any_title,
        name_en=english,
        unit_of_measure=_first(graph, subject, DCTERMS.type)[:200],
        source=source,
        goals=tuple(sorted(goals & valid_goals)),
        targets=tuple(sorted(targets)),
        metadata={k: v for k, v in metadata.items() if v not in ("", [])},
        matches=matches,
    )


def _assign_codes(scheme: TaxonomyScheme, report: ValidationReport) -> None:
    """Give each indicator its code within the framework (registry of per-scheme rules; default: URI's last segment)."""
    CODE_RULES.get(scheme.slug, _codes_from_uri)(scheme, report)
    seen: dict[str, str] = {}
    for indicator in scheme.indicators:
        if indicator.code in seen:
            report.add(f"code {indicator.code!r} used twice ({seen[indicator.code]}, {indicator.uri})", file=scheme.file)
        seen[indicator.code] = indicator.uri


def _codes_from_uri(scheme: TaxonomyScheme, report: ValidationReport) -> None:
    """Default rule: the code is the indicator URI's last segment (already set when reading)."""


def _codes_un(scheme: TaxonomyScheme, report: ValidationReport) -> None:
    """UN scheme: the official code opens the title (``3.2.1 Neonatal …``); the target follows from the code.

    An entry whose title carries no code gets ``<target>.1`` when it links exactly one target that has no
    other indicator (the taxonomy's entries for 1.b.1 and the deleted 11.c.1); otherwise the URI's last segment.
    """
    by_code = {}
    for indicator in scheme.indicators:
        match = _UN_CODE_RE.match(indicator.name_en or indicator.name_nb)
        if match:
            by_code[indicator.uri] = match.group(1)
    taken_targets = {code.rsplit(".", 1)[0] for code in by_code.values()}
    for indicator in scheme.indicators:
        code = by_code.get(indicator.uri)
        if code is None and len(indicator.targets) == 1 and indicator.targets[0] not in taken_targets:
            code = f"{indicator.targets[0]}.1"
            indicator.metadata["code_rule"] = "single target without indicator code in title"
            report.warn(f"UN indicator {indicator.uri} has no code in its title; given {code}", file=scheme.file)
        if code is None or not is_indicator_code(code):
            continue
        indicator.code = code
        indicator.name_en = _UN_CODE_RE.sub("", indicator.name_en, count=1)
        indicator.name_nb = _UN_CODE_RE.sub("", indicator.name_nb, count=1)
        target = code.rsplit(".", 1)[0]
        if indicator.targets != (target,):
            indicator.metadata["taxonomy_targets"] = list(indicator.targets)
            report.warn(f"UN indicator {code}: taxonomy links {list(indicator.targets)}, code says {target}", file=scheme.file)
            indicator.targets = (target,)
            indicator.goals = (int(target.split(".")[0]),)


#: Per-scheme code rules, keyed by scheme slug.
CODE_RULES: dict[str, Callable[[TaxonomyScheme, ValidationReport], None]] = {UN_SCHEME_SLUG: _codes_un}

"""The document model: plain dataclasses (sections of typed blocks with references) that every renderer reads."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import ClassVar

from django.utils.translation import get_language
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Reference:
    """Where a number or quoted statement comes from: unit, indicator, period, round, submission, revision."""

    key: str
    unit: str = ""
    indicator: str = ""
    period: str = ""
    round: int | None = None
    submission: int | None = None
    revision: int | None = None
    source: str = ""
    #: A value carried across a reform: its origin as people read it («videreført fra 3001 Halden»).
    carried: str = ""

    @property
    def label(self) -> str:
        """One line naming every part of the reference that is set (a carried value's origin last)."""
        values = (self.unit, self.indicator, self.period, self.round, self.submission, self.revision, self.source)
        named = [f"{name} {value}" for name, value in zip(_part_names(), values, strict=True)
                 if value not in ("", None)]
        return ", ".join(named + ([self.carried] if self.carried else []))


#: The names of a reference's parts by language (a document has hundreds of references).
_PART_NAMES: dict[str, tuple[str, ...]] = {}


def _part_names() -> tuple[str, ...]:
    lang = get_language() or ""
    if lang not in _PART_NAMES:
        _PART_NAMES[lang] = (_("enhet"), _("indikator"), _("periode"), _("runde"), _("innlevering"), _("revisjon"),
                             _("kilde"))
    return _PART_NAMES[lang]


def _plain(value):
    """A field's value for :meth:`Document.as_dict`: lists copied (blocks hold only text, numbers and lists)."""
    return [_plain(v) for v in value] if isinstance(value, list) else value


@dataclass
class Block:
    """A piece of a section; ``kind`` tells renderers which template to use."""

    kind: ClassVar[str] = "block"


@dataclass
class Paragraph(Block):
    """A fixed or generated paragraph of plain text."""

    kind: ClassVar[str] = "paragraph"
    text: str = ""
    refs: list[str] = field(default_factory=list)


@dataclass
class Narrative(Block):
    """A unit's own Markdown text, shown in the language it was written in, with its reference."""

    kind: ClassVar[str] = "narrative"
    text: str = ""
    lang: str = "nb"
    ref: str = ""


@dataclass
class BulletList(Block):
    """A list of short items."""

    kind: ClassVar[str] = "list"
    items: list[str] = field(default_factory=list)


@dataclass
class Table(Block):
    """A data table with a caption, header and rows of text cells; ``refs`` gives each row's reference key."""

    kind: ClassVar[str] = "table"
    caption: str = ""
    header: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    refs: list[str] = field(default_factory=list)


@dataclass
class Chart(Block):
    """A Vega-Lite chart with the alternative text that describes it for readers who cannot see it."""

    kind: ClassVar[str] = "chart"
    id: str = ""
    title: str = ""
    alt: str = ""
    spec: dict = field(default_factory=dict)


@dataclass
class GoalStatus(Block):
    """The headline of one goal: number, name, colour, score, status and trend."""

    kind: ClassVar[str] = "goal"
    number: int = 0
    name: str = ""
    colour: str = "#888888"
    score: str = ""
    status: str = ""
    trend: str = ""


@dataclass
class Section:
    """A chapter or sub-chapter: a heading (level 1 or 2) and its blocks."""

    key: str
    title: str
    level: int = 1
    blocks: list[Block] = field(default_factory=list)


@dataclass
class Document:
    """A whole publication in one language, ready to render."""

    kind: str
    lang: str
    title: str
    subtitle: str
    is_demo: bool
    demo_label: str
    generated: str
    sections: list[Section] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)

    def charts(self) -> list[Chart]:
        """Every chart of the document, in reading order."""
        return [b for s in self.sections for b in s.blocks if isinstance(b, Chart)]

    def as_dict(self) -> dict:
        """The document as JSON-ready data (blocks carry their ``kind``), for snapshots and the PDF template."""

        fields = dataclasses.fields(Reference)

        def block(b: Block) -> dict:
            if isinstance(b, Chart):  # the spec (a map's boundaries) is shared, not deep-copied; renderers only read it
                return {"kind": b.kind, **{f.name: getattr(b, f.name) for f in dataclasses.fields(b)}}
            return {"kind": b.kind, **{f.name: _plain(getattr(b, f.name)) for f in dataclasses.fields(b)}}

        return {
            "kind": self.kind, "lang": self.lang, "title": self.title, "subtitle": self.subtitle,
            "is_demo": self.is_demo, "demo_label": self.demo_label, "generated": self.generated,
            "sections": [{"key": s.key, "title": s.title, "level": s.level, "blocks": [block(b) for b in s.blocks]}
                         for s in self.sections],
            "references": [{**{f.name: getattr(r, f.name) for f in fields}, "label": r.label}
                           for r in self.references],
        }


class References:
    """Collects references while a document is built and hands out stable keys R1, R2 …"""

    def __init__(self) -> None:
        self._by_content: dict[tuple, Reference] = {}

    def add(self, **parts) -> str:
        """The key of a reference with these parts (the same parts give the same key)."""
        content = tuple(sorted(parts.items()))
        if content not in self._by_content:
            self._by_content[content] = Reference(key=f"R{len(self._by_content) + 1}", **parts)
        return self._by_content[content].key

    def all(self) -> list[Reference]:
        """Every reference, in order of first use."""
        return list(self._by_content.values())

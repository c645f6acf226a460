"""Where a value comes from, decided once: generated demo data, a real published source, or entered by the unit.

Every place that labels values (web pages, portal snapshot, ``dugnad export``, the open-data API, publications)
asks this module, so the rule is written once:

* **demo** — the value's import run is a demo load (``ImportRun.is_demo`` or ``kind == "demo"``, which is what
  ``dugnad demo load`` writes). Labelled «Demodata – ikke ekte tall» (nn «Demodata – ikkje ekte tal»,
  en "Demo data – not real figures").
* **entered** — no import run, or one from the data grid (``web``) or a unit's own file upload (``upload``)
  without a named source: «Registrert av kommunen». Never demo.
* **real** — any other run (SSB sync, a loader of published statistics, a CLI file import): labelled with its
  source (``provenance["name"]``, for SSB «Statistisk sentralbyrå (SSB), tabell 12345») and licence
  (``provenance["licence"]``; SSB data are CC BY 4.0).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from dugnad.common.labels import (
    LICENCE_WORDS,
    SOURCE_WORDS,
    demo_label,
    demo_share_label,
    entered_label,
    lang_key,
    mixed_label,
)

DEMO, REAL, ENTERED = "demo", "real", "entered"
#: Run kinds written by a unit's own hands (the data grid, the upload page).
ENTERED_KINDS = frozenset({"web", "upload", "grid", "round"})
#: The licence of SSB's open data (https://www.ssb.no/en/diverse/lisens).
SSB_LICENCE = "CC BY 4.0"


@dataclass(frozen=True)
class Provenance:
    """The origin of a value: ``kind`` (demo, real, entered), ``source`` name, ``url`` and ``licence``."""

    kind: str
    source: str = ""
    url: str = ""
    licence: str = ""

    @property
    def is_demo(self) -> bool:
        return self.kind == DEMO

    def label(self, lang: str = "nb") -> str:
        """The short label shown beside a value: the demo label, «Kilde: …» or «Registrert av kommunen»."""
        if self.kind == DEMO:
            return demo_label(lang)
        if self.kind == ENTERED:
            return entered_label(lang)
        return f"{SOURCE_WORDS[lang_key(lang)]}: {self.source}" if self.source else ""

    def note(self, lang: str = "nb") -> str:
        """The label with the licence (the ``note`` column of exports, references in publications)."""
        text = self.label(lang)
        if self.kind == REAL and self.licence:
            text = f"{text} ({LICENCE_WORDS[lang_key(lang)]} {self.licence})" if text else self.licence
        return text

    def reference(self, lang: str = "nb") -> str:
        """The note without the «Kilde:» word (for reference lists that name the source themselves)."""
        if self.kind != REAL:
            return self.label(lang)
        return f"{self.source} ({LICENCE_WORDS[lang_key(lang)]} {self.licence})" if self.licence else self.source


ENTERED_VALUE = Provenance(ENTERED)
DEMO_VALUE = Provenance(DEMO)


def is_demo_run(kind: str | None, is_demo: bool | None) -> bool:
    """The demo rule on an import run's columns (for queries that read them without the model)."""
    return bool(is_demo) or kind == "demo"


def provenance_from(kind: str | None, is_demo: bool | None, source: str | None, provenance: dict | None) -> Provenance:
    """The provenance of values from an import run given by its columns (``None`` kind: no run, entered)."""
    if kind is None:
        return ENTERED_VALUE
    if is_demo_run(kind, is_demo):
        return DEMO_VALUE
    meta = provenance if isinstance(provenance, dict) else {}
    declared = meta.get("source")
    if isinstance(declared, dict):  # a mapping import keeps the mapping's ``source`` block as it was declared
        meta = {**meta, **{k: v for k, v in declared.items() if v}}
    name = str(meta.get("name") or meta.get("attribution") or "")
    if kind in ENTERED_KINDS and not name:
        return ENTERED_VALUE
    licence = str(meta.get("licence") or meta.get("license") or "")
    url = str(meta.get("url") or "")
    if not name and kind == "ssb":
        table = meta.get("table")
        name = f"Statistisk sentralbyrå (SSB), tabell {table}" if table else "Statistisk sentralbyrå (SSB)"
        licence = licence or SSB_LICENCE
    return Provenance(REAL, source=name or str(source or kind), url=url, licence=licence)


def provenance_of(import_run) -> Provenance:
    """The provenance of the values an :class:`~dugnad.observations.models.ImportRun` wrote (``None``: entered)."""
    if import_run is None:
        return ENTERED_VALUE
    return provenance_from(import_run.kind, import_run.is_demo, import_run.source, import_run.provenance)


def provenances(run_ids: Iterable[int | None]) -> dict[int | None, Provenance]:
    """The provenance of each import run id (one query; ``None`` maps to entered)."""
    from dugnad.observations.models import ImportRun

    ids = {i for i in run_ids if i is not None}
    out: dict[int | None, Provenance] = {None: ENTERED_VALUE}
    for pk, kind, is_demo, source, meta in ImportRun.objects.filter(pk__in=ids).values_list(
            "pk", "kind", "is_demo", "source", "provenance"):
        out[pk] = provenance_from(kind, is_demo, source, meta)
    return out


def mix_of(items: Iterable[Provenance]) -> str:
    """``demo`` when every value is demo, ``mixed`` when demo and other values meet, ``real`` otherwise ('' for none)."""
    kinds = {p.kind for p in items}
    if not kinds:
        return ""
    if kinds == {DEMO}:
        return DEMO
    return "mixed" if DEMO in kinds else REAL


def banner_text(mix: str, lang: str) -> str:
    """The page banner for a mix: the demo label when every value is demo, «Noen tall er demodata – merket
    «Demodata – ikke ekte tall»» when demo and real values meet, '' otherwise."""
    if mix == DEMO:
        return demo_label(lang)
    if mix == "mixed":
        marked = {"nb": "merket", "nn": "merkte", "en": "marked"}[lang_key(lang)]
        return f"{mixed_label(lang)} – {marked} «{demo_label(lang)}»"
    return ""


def demo_share_text(demo: int, total: int, lang: str = "nb") -> str:
    """«3 av 40 verdier er demodata» (nn, en alike) for a table whose values are partly demo; '' when none is."""
    return demo_share_label(demo, total, lang) if demo else ""


def mix_of_counts(demo: int, total: int) -> str:
    """``demo``, ``mixed`` or ``real`` from counts of demo values among ``total`` ('' for no values)."""
    if not total:
        return ""
    return DEMO if demo == total else "mixed" if demo else REAL

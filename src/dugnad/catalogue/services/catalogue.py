"""Writing the catalogue: apply a catalogue document (snapshot or fresh taxonomy import) with bulk operations."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from dugnad.catalogue.document import SNAPSHOT_FILE, build_document, document_read
from dugnad.catalogue.models import Concordance, Framework, Goal, Indicator, Target
from dugnad.catalogue.taxonomy import read_taxonomy

GOAL_FIELDS = ("colour", "name_nb", "name_nn", "name_en", "title_nb", "title_en")
TARGET_FIELDS = ("goal_id", "title_nb", "title_en", "sort_key")
FRAMEWORK_FIELDS = ("name", "publisher", "source_url", "licence", "description")
INDICATOR_FIELDS = ("name_nb", "name_nn", "name_en", "uri", "unit_of_measure", "source", "metadata")
Progress = Callable[[str], None]


@dataclass
class EntityCount:
    """Created / updated / unchanged rows of one entity."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def total(self) -> int:
        """Rows present in the document."""
        return self.created + self.updated + self.unchanged


@dataclass
class CatalogueLoadResult:
    """What applying a catalogue document did, entity by entity."""

    goals: EntityCount = field(default_factory=EntityCount)
    targets: EntityCount = field(default_factory=EntityCount)
    frameworks: EntityCount = field(default_factory=EntityCount)
    indicators: EntityCount = field(default_factory=EntityCount)
    links_added: int = 0
    links_removed: int = 0
    concordances: EntityCount = field(default_factory=EntityCount)
    concordances_removed: int = 0
    warnings: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        """Whether anything was written."""
        counts = (self.goals, self.targets, self.frameworks, self.indicators, self.concordances)
        return any(c.created or c.updated for c in counts) or bool(
            self.links_added or self.links_removed or self.concordances_removed
        )

    def summary(self) -> str:
        """One line for the CLI (Norwegian)."""
        def part(label: str, c: EntityCount) -> str:
            return f"{c.total} {label} ({c.created} nye, {c.updated} endret)"

        state = "endringer lagret" if self.changed else "ingen endringer"
        return (
            f"{part('mål', self.goals)}, {part('delmål', self.targets)}, {part('rammeverk', self.frameworks)}, "
            f"{part('indikatorer', self.indicators)}, {part('konkordanser', self.concordances)}; "
            f"koblinger +{self.links_added}/-{self.links_removed}; {state}."
        )


def _sync(model, rows: dict, existing: dict, fields: tuple[str, ...], count: EntityCount, make) -> None:
    """Create missing rows and update changed ones (bulk); ``rows`` and ``existing`` share keys."""
    to_create, to_update = [], []
    for key, values in rows.items():
        obj = existing.get(key)
        if obj is None:
            to_create.append(make(key, values))
            continue
        if any(getattr(obj, f) != values[f] for f in fields):
            for f in fields:
                setattr(obj, f, values[f])
            to_update.append(obj)
        else:
            count.unchanged += 1
    model.objects.bulk_create(to_create, batch_size=500)
    if to_update:
        model.objects.bulk_update(to_update, list(fields), batch_size=500)
    count.created += len(to_create)
    count.updated += len(to_update)


def _sync_links(
    through, owner_field: str, other_field: str, owner_ids: set[int], wanted: set[tuple[int, object]]
) -> tuple[int, int]:
    """Make the M2M rows of the given owners exactly ``wanted``; returns (added, removed)."""
    existing = {}
    for row in through.objects.filter(**{f"{owner_field}__in": owner_ids}).values_list("id", owner_field, other_field):
        existing[(row[1], row[2])] = row[0]
    add = [through(**{owner_field: a, other_field: b}) for a, b in sorted(wanted - existing.keys(), key=str)]
    remove = [existing[k] for k in existing.keys() - wanted]
    through.objects.bulk_create(add, batch_size=1000)
    if remove:
        through.objects.filter(id__in=remove).delete()
    return len(add), len(remove)


@transaction.atomic
def catalogue_apply(*, document: dict, progress: Progress | None = None) -> CatalogueLoadResult:
    """Bring the database in line with a catalogue document (all-or-nothing, idempotent).

    Indicators missing from the document are kept (observations may refer to them); goal/target links of
    the document's indicators and the concordance links derived by rules (non-empty ``basis``) are synced exactly.
    """
    result = CatalogueLoadResult()
    step = progress or (lambda _label: None)
    step("mål og delmål")
    goals = {g["number"]: g for g in document["goals"]}
    _sync(Goal, goals, Goal.objects.in_bulk(), GOAL_FIELDS, result.goals,
          lambda key, v: Goal(number=key, **{f: v[f] for f in GOAL_FIELDS}))
    targets = {t["code"]: {**t, "goal_id": t["goal"]} for t in document["targets"]}
    _sync(Target, targets, {t.code: t for t in Target.objects.all()}, TARGET_FIELDS, result.targets,
          lambda key, v: Target(code=key, **{f: v[f] for f in TARGET_FIELDS}))
    step("rammeverk")
    frameworks = {f["code"]: f for f in document["frameworks"]}
    _sync(Framework, frameworks, {f.code: f for f in Framework.objects.all()}, FRAMEWORK_FIELDS, result.frameworks,
          lambda key, v: Framework(code=key, **{f: v[f] for f in FRAMEWORK_FIELDS}))
    framework_ids = dict(Framework.objects.filter(code__in=frameworks).values_list("code", "id"))
    step("indikatorer")
    indicators = {(framework_ids[i["framework"]], i["code"]): i for i in document["indicators"]}
    existing = {(i.framework_id, i.code): i for i in Indicator.objects.filter(framework_id__in=framework_ids.values())}
    _sync(Indicator, indicators, existing, INDICATOR_FIELDS, result.indicators,
          lambda key, v: Indicator(framework_id=key[0], code=key[1], **{f: v[f] for f in INDICATOR_FIELDS}))
    rows = Indicator.objects.filter(framework_id__in=framework_ids.values()).values_list("id", "framework_id", "code")
    ids = {(fid, code): pk for pk, fid, code in rows}
    step("koblinger til mål og delmål")
    owners = {ids[k] for k in indicators}
    target_ids = dict(Target.objects.values_list("code", "id"))
    wanted_goals = {(ids[k], g) for k, v in indicators.items() for g in v["goals"]}
    wanted_targets = {(ids[k], target_ids[t]) for k, v in indicators.items() for t in v["targets"]}
    for through, other, wanted in (
        (Indicator.goals.through, "goal_id", wanted_goals),
        (Indicator.targets.through, "target_id", wanted_targets),
    ):
        added, removed = _sync_links(through, "indicator_id", other, owners, wanted)
        result.links_added += added
        result.links_removed += removed
    step("konkordanse")
    _sync_concordance(document, framework_ids, ids, owners, result)
    return result


def _sync_concordance(document: dict, framework_ids: dict, ids: dict, owners: set[int], result: CatalogueLoadResult) -> None:
    def key(ref: list) -> int:
        return ids[(framework_ids[ref[0]], ref[1])]

    wanted = {(key(c["source"]), key(c["target"])): c for c in document["concordances"]}
    existing = {
        (c.source_id, c.target_id): c
        for c in Concordance.objects.filter(source_id__in=owners, target_id__in=owners)
    }
    to_create, to_update = [], []
    for pair, c in wanted.items():
        row = existing.get(pair)
        if row is None:
            to_create.append(Concordance(source_id=pair[0], target_id=pair[1], relation=c["relation"], basis=c["basis"]))
        elif not row.basis:
            result.concordances.unchanged += 1  # entered by hand: the hand-made relation wins
        elif (row.relation, row.basis) != (c["relation"], c["basis"]):
            row.relation, row.basis = c["relation"], c["basis"]
            to_update.append(row)
        else:
            result.concordances.unchanged += 1
    stale = [row.id for pair, row in existing.items() if row.basis and pair not in wanted]
    Concordance.objects.bulk_create(to_create, batch_size=500)
    if to_update:
        Concordance.objects.bulk_update(to_update, ["relation", "basis"])
    if stale:
        Concordance.objects.filter(id__in=stale).delete()
    result.concordances.created += len(to_create)
    result.concordances.updated += len(to_update)
    result.concordances_removed = len(stale)


def catalogue_load_snapshot(*, path: Path = SNAPSHOT_FILE, progress: Progress | None = None) -> CatalogueLoadResult:
    """Load the shipped catalogue snapshot (goals, targets, KS frameworks, indicators, concordance); idempotent."""
    return catalogue_apply(document=document_read(path), progress=progress)


def catalogue_import_taxonomy(
    *, source: str | Path, on_file: Callable[[str, int, int], None] | None = None, progress: Progress | None = None
) -> CatalogueLoadResult:
    """Import the KS SDG taxonomy from a directory, a ``.ttl`` file or a URL (raises InputError on bad input)."""
    taxonomy = read_taxonomy(source, on_file=on_file)
    result = catalogue_apply(document=build_document(taxonomy), progress=progress)
    result.warnings = [str(p) for p in taxonomy.report.warnings]
    return result

"""The catalogue supplement: indicator specs with their reasoning, and the few indicators the KS taxonomy lacks.

The data live in ``catalogue/data/specs_telemark.yaml`` (never in code). ``dugnad init`` loads them after the KS
snapshot. Idempotent: an unchanged spec stays, a changed one becomes a new version; a spec that someone else has
since changed (its ``source`` is not this file) is left alone, so an analyst's edit in the admin wins.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.db import transaction

from dugnad.catalogue.models import Concordance, Framework, Goal, Indicator, Target
from dugnad.catalogue.services.specs import indicator_spec_current, indicator_spec_save

SUPPLEMENT_FILE = Path(__file__).resolve().parent.parent / "data" / "specs_telemark.yaml"
#: ``IndicatorSpec.source`` of the specs written from the file (and ``Concordance.basis`` of its links).
SUPPLEMENT_SOURCE = "Dugnad: catalogue/data/specs_telemark.yaml (begrunnelse per felt)"
SUPPLEMENT_BASIS = "dugnad:specs_telemark"
#: The county-level indicators (issue #11): same format, plus ``level: county`` and ``applies_to`` per spec.
COUNTY_FILE = Path(__file__).resolve().parent.parent / "data" / "indicators_county.yaml"
COUNTY_SOURCE = "Dugnad: catalogue/data/indicators_county.yaml (begrunnelse per felt)"
COUNTY_BASIS = "dugnad:indicators_county"


@dataclass
class SupplementLoadResult:
    """What loading the supplement did."""

    indicators_created: int = 0
    specs_created: int = 0
    specs_unchanged: int = 0
    specs_kept: list[str] = field(default_factory=list)
    concordances: int = 0
    label: str = "Telemark"

    def summary(self) -> str:
        """One line for the CLI (Norwegian)."""
        kept = f", {len(self.specs_kept)} endret av andre beholdt" if self.specs_kept else ""
        return (
            f"Spesifikasjoner ({self.label}): {self.indicators_created} nye indikatorer, {self.specs_created} nye "
            f"versjoner, {self.specs_unchanged} uendret{kept}; {self.concordances} koblinger."
        )


def supplement_read(path: Path = SUPPLEMENT_FILE) -> dict:
    """The supplement file as a dict (raises ValueError on a file without ``framework``/``specs``)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or "framework" not in data or "specs" not in data:
        raise ValueError(f"{path.name}: expected the keys 'framework', 'indicators' and 'specs'")
    return data


def _indicator(ref: str, frameworks: dict[str, Framework], file: str = "specs_telemark.yaml") -> Indicator:
    framework_code, _, code = ref.partition(":")
    try:
        return Indicator.objects.get(framework=frameworks.get(framework_code) or Framework.objects.get(code=framework_code),
                                     code=code)
    except (Indicator.DoesNotExist, Framework.DoesNotExist) as exc:
        raise ValueError(f"{file}: unknown indicator {ref!r}") from exc


def catalogue_load_county_indicators(*, path: Path = COUNTY_FILE) -> SupplementLoadResult:
    """Create the county-level indicators (framework ``fylke``, plus the reused KS indicator) and their specs,
    each with ``applies_to: county`` (idempotent; ``dugnad init`` calls it after the Telemark supplement)."""
    return catalogue_load_supplement(path=path, source=COUNTY_SOURCE, basis=COUNTY_BASIS, label="fylker")


@transaction.atomic
def catalogue_load_supplement(*, path: Path = SUPPLEMENT_FILE, source: str = SUPPLEMENT_SOURCE,
                              basis: str = SUPPLEMENT_BASIS, label: str = "Telemark") -> SupplementLoadResult:
    """Create the supplement's framework and indicators, their concordance and every spec (idempotent).

    ``source`` is written on the specs (a spec whose current ``source`` differs was changed by someone else and
    is kept), ``basis`` on the concordance links (links of that basis missing from the file are removed)."""
    data = supplement_read(path)
    result = SupplementLoadResult(label=label)
    file = path.name
    fw = data["framework"]
    framework, _ = Framework.objects.update_or_create(
        code=fw["code"], defaults={k: fw.get(k, "") for k in ("name", "publisher", "source_url", "licence", "description")}
    )
    frameworks = {framework.code: framework}
    goals = {g.number: g for g in Goal.objects.all()}
    targets = {t.code: t for t in Target.objects.all()}
    reasoning = {s["indicator"]: s.get("why", {}) for s in data["specs"]}
    wanted_links: set[tuple[int, int]] = set()
    for row in data.get("indicators", []):
        indicator, created = Indicator.objects.update_or_create(
            framework=framework, code=row["code"],
            defaults={
                "name_nb": row["name_nb"], "name_nn": row.get("name_nn", ""), "name_en": row.get("name_en", ""),
                "unit_of_measure": row.get("unit", ""), "source": row.get("source", ""),
                "metadata": {"spec_reasoning": reasoning.get(f"{framework.code}:{row['code']}", {}),
                             "defined_in": f"catalogue/data/{file}",
                             **({"reporting_level": data["level"]} if data.get("level") else {})},
            },
        )
        result.indicators_created += created
        indicator.goals.set([goals[g] for g in row.get("goals", []) if g in goals])
        indicator.targets.set([targets[t] for t in row.get("targets", []) if t in targets])
        for link in row.get("concordance", []):
            other = _indicator(link["target"], frameworks, file)
            concordance, _ = Concordance.objects.get_or_create(
                source=indicator, target=other, defaults={"relation": link["relation"], "basis": basis}
            )
            if concordance.basis and (concordance.relation, concordance.basis) != (link["relation"], basis):
                concordance.relation, concordance.basis = link["relation"], basis
                concordance.save(update_fields=["relation", "basis"])
            wanted_links.add((indicator.pk, other.pk))
    stale = [c.pk for c in Concordance.objects.filter(basis=basis) if (c.source_id, c.target_id) not in wanted_links]
    Concordance.objects.filter(pk__in=stale).delete()
    result.concordances = len(wanted_links)
    for spec in data["specs"]:
        indicator = _indicator(spec["indicator"], frameworks, file)
        current = indicator_spec_current(indicator)
        if current is not None and current.source != source:
            result.specs_kept.append(spec["indicator"])
            continue
        trend = spec.get("trend") or [None, None]
        saved = indicator_spec_save(
            indicator=indicator,
            label=spec.get("label") or indicator.name_nb,
            unit_of_measure=spec["unit"],
            direction=spec["direction"],
            goal=goals.get(spec["goal"]),
            upper_bound=spec["upper_bound"],
            lower_bound=spec["lower_bound"],
            green=spec["green"],
            red=spec["red"],
            trend_from=trend[0],
            trend_to=trend[1],
            in_index=spec.get("in_index", True),
            applies_to=spec.get("applies_to", ""),
            dimensions=list(spec.get("dimensions", [])),
            source=source,
        )
        if saved.created:
            result.specs_created += 1
        else:
            result.specs_unchanged += 1
    return result

"""The demo indicator set: a framework of generated indicators with goal and target links and specifications."""

from __future__ import annotations

from django.db import transaction

from dugnad.catalogue.models import Framework, Goal, Indicator, Target
from dugnad.catalogue.services.specs import indicator_spec_save
from dugnad.common.labels import DEMO_LABEL_NB
from dugnad.demo.generator import GENERATOR_VERSION, DemoIndicator

#: Code of the demo framework (``data/indicators.yaml``); the other demo providers look indicators up in it.
DEMO_FRAMEWORK = "dugnad-demo"


@transaction.atomic
def demo_catalogue_ensure(indicators: list[DemoIndicator], framework_data: dict) -> Framework:
    """Create (or keep) the demo framework, its indicators with goal/target links and their specifications."""
    framework, _ = Framework.objects.get_or_create(
        code=framework_data["code"],
        defaults={k: framework_data.get(k, "") for k in ("name", "publisher", "description")},
    )
    goals = {g.number: g for g in Goal.objects.all()}
    targets = {t.code: t for t in Target.objects.all()}
    for ind in indicators:
        indicator, created = Indicator.objects.get_or_create(
            framework=framework,
            code=ind.code,
            defaults={"name_nb": ind.name_nb, "name_en": ind.name_en, "unit_of_measure": ind.unit, "source": "Dugnad demo"},
        )
        if created:
            if ind.goal in goals:
                indicator.goals.add(goals[ind.goal])
            if ind.target in targets:
                indicator.targets.add(targets[ind.target])
        indicator_spec_save(
            indicator=indicator,
            label=ind.name_nb,
            unit_of_measure=ind.unit,
            direction=ind.direction,
            goal=goals.get(ind.goal),
            upper_bound=ind.upper,
            lower_bound=ind.lower,
            green=ind.green,
            red=ind.red,
            trend_from=2019,
            trend_to=2024,
            source=f"{DEMO_LABEL_NB} ({GENERATOR_VERSION})",
        )
    return framework

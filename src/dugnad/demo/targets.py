"""Demo local 2030 targets for Vestland (46) and some of its municipalities, labelled demo (source ``demo``)."""

from __future__ import annotations

from django.db import transaction

from dugnad.catalogue.models import Indicator
from dugnad.common.labels import DEMO_LABEL_NB
from dugnad.demo.catalogue import DEMO_FRAMEWORK
from dugnad.targets.models import LocalTarget
from dugnad.targets.vocab import CommitmentSource
from dugnad.units.selectors import units_current

#: (unit, indicator, 2030 target, rationale). Made up for the demo, in the spirit of regional climate and waste plans.
DEMO_TARGETS: tuple[tuple[str, str, float, str], ...] = (
    ("46", "D13.1", 3.0, "Regional plan for klima: utsleppa per innbyggjar skal ned mot 3 tonn innan 2030."),
    ("46", "D12.1", 65.0, "Regional avfallsplan: 65 % materialgjenvinning i tråd med EU-målet."),
    ("46", "D07.1", 60.0, "Fylkestingsvedtak om elbilandel i personbilparken."),
    ("4601", "D13.1", 2.5, "Klimastrategi for Bergen: lavere utslipp per innbygger enn fylket."),
    ("4601", "D12.1", 60.0, "Avfallsplan for Bergen."),
    ("4601", "D07.1", 65.0, "Grønn strategi: elbilandel over 65 %."),
    ("4602", "D13.1", 5.0, "Kommuneplanens samfunnsdel: fiskeri og industri gjer kuttet tyngre."),
    ("4602", "D12.1", 50.0, "Avfallsplan for Kinn."),
    ("4624", "D13.1", 3.5, "Klimaplan for Bjørnafjorden."),
    ("4640", "D12.1", 55.0, "Kommunestyrevedtak om kjeldesortering."),
)


@transaction.atomic
def demo_targets_ensure() -> str:
    """Create the demo targets once (idempotent: skipped when demo targets exist); a summary."""
    made = 0
    if not LocalTarget.objects.filter(is_demo=True).exists():
        units = {u.code: u for u in units_current(codes=sorted({row[0] for row in DEMO_TARGETS}))}
        indicators = {i.code: i for i in Indicator.objects.filter(framework__code=DEMO_FRAMEWORK)}
        for unit, indicator, value, rationale in DEMO_TARGETS:
            if unit in units and indicator in indicators:
                LocalTarget.objects.create(unit=units[unit], indicator=indicators[indicator], value=value, year=2030,
                                           rationale=rationale, source=CommitmentSource.DEMO, reference=DEMO_LABEL_NB,
                                           is_demo=True)
                made += 1
    return f"{DEMO_LABEL_NB}: {made} nye lokale mål ({LocalTarget.objects.filter(is_demo=True).count()} i alt)."

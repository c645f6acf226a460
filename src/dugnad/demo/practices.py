"""Demo good-practice cases for the library (written for Dugnad; labelled demo data)."""

from __future__ import annotations

from pathlib import Path

import yaml

from dugnad.catalogue.models import Indicator, Target
from dugnad.common.labels import DEMO_LABEL_NB
from dugnad.demo.accounts import demo_user
from dugnad.demo.catalogue import DEMO_FRAMEWORK
from dugnad.practices.models import PracticeCase
from dugnad.practices.services import case_create
from dugnad.units.selectors import units_current

CASES_FILE = Path(__file__).parent / "data" / "practice_cases.yaml"


def demo_cases_load() -> list[dict]:
    """The demo good-practice cases as written in ``data/practice_cases.yaml``."""
    return yaml.safe_load(CASES_FILE.read_text(encoding="utf-8"))["cases"]


def demo_cases_ensure(*, user=None) -> int:
    """Add the demo cases missing from the library (by title); units and targets that do not exist are left out."""
    user = user or demo_user("admin")
    units = {u.code: u for u in units_current()}
    targets = {t.code: t for t in Target.objects.all()}
    indicators = {i.code: i for i in Indicator.objects.filter(framework__code=DEMO_FRAMEWORK)}
    existing = set(PracticeCase.objects.values_list("title", flat=True))
    made = 0
    for item in demo_cases_load():
        if item["title"] in existing:
            continue
        evidence = [{"indicator": indicators[e["indicator"]], "before_period": e["before"][0], "before_value": e["before"][1],
                     "after_period": e["after"][0], "after_value": e["after"][1], "note": DEMO_LABEL_NB}
                    for e in item.get("evidence", []) if e["indicator"] in indicators]
        case_create(
            user=user, title=item["title"], summary=item["summary"], results=item["results"], unit=units.get(item["unit"]),
            year=item.get("year"), contact_name=item["contact"]["name"], contact_email=item["contact"]["email"],
            targets=[targets[c] for c in item["targets"] if c in targets], tags=item["tags"], evidence=evidence, is_demo=True,
        )
        made += 1
    return made

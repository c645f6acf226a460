"""The VSR and the county review say what municipalities ask of the state and the county (requests across levels)."""

from __future__ import annotations

from dugnad.catalogue.models import Goal
from dugnad.publications.builders.county import county_review_build
from dugnad.publications.builders.vsr import vsr_build
from dugnad.requests.services import request_send
from tests.factories import TargetFactory


def _section(document, key: str):
    return next(s for s in document.sections if s.key == key)


def _texts(section) -> str:
    return " ".join(getattr(b, "text", "") or " ".join(getattr(b, "items", [])) for b in section.blocks)


def test_vsr_and_county_review_count_requests_per_level_and_goal_with_examples(published):
    w = published.world
    t116 = TargetFactory(code="11.6", goal=Goal.objects.get(number=11))
    t34 = TargetFactory(code="3.4", goal=Goal.objects.get(number=3))
    request_send(user=w.users["bergen"], from_unit=w.units["4601"], to_level="stat", title="Midler til overvann",
                 to_body="Kommunal- og distriktsdepartementet", targets=[t116, t34])
    request_send(user=w.users["oslo"], from_unit=w.units["0301"], to_level="stat", title="Bedre luftmålinger",
                 targets=[t116])
    request_send(user=w.users["bergen"], from_unit=w.units["4601"], to_level="fylke", title="Felles busstilbud")
    request_send(user=w.users["bergen"], from_unit=w.units["4601"], to_level="stat", title="Demo", is_demo=True)

    vsr = _section(vsr_build(round_=published.round, lang="nb"), "requests")
    assert vsr.title == "Hva kommunene ber staten om"
    text = _texts(vsr)
    assert text.startswith("2 henvendelser (stat: 2).")  # the demo request stays out of a real round
    assert "Midler til overvann (Bergen, Kommunal- og distriktsdepartementet)" in text and "Felles busstilbud" not in text
    assert vsr.blocks[1].rows == [["3", "1"], ["11", "2"]]

    county = _section(county_review_build(unit=w.units["46"], round_=published.round, lang="nb"), "requests")
    text = _texts(county)
    assert text.startswith("2 henvendelser (fylke: 1; stat: 1).")
    assert "Felles busstilbud" in text and "Bedre luftmålinger" not in text

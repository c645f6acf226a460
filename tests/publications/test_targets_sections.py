"""Local 2030 targets in the publications: distance to target in the VLR, the ambition gap and who carries how much
in the county review and the VSR (checked against a hand computation), demo targets labelled, nb/nn/en."""

from __future__ import annotations

import pytest

from dugnad.publications.builders.county import county_review_build
from dugnad.publications.builders.vlr import vlr_build
from dugnad.publications.builders.vsr import vsr_build
from dugnad.targets.models import LocalTarget
from dugnad.targets.services import target_set
from dugnad.targets.vocab import CommitmentSource

# Bergen 291 000 residents, target 80; Kinn 17 000, target 60 (demo): rolled up (291 000·80 + 17 000·60) / 308 000
MEMBERS = (291_000 * 80 + 17_000 * 60) / 308_000  # 78.896…
BERGEN_SHARE = 291_000 * 80 / 308_000 / MEMBERS  # 0.958…


@pytest.fixture
def with_targets(published):
    w = published.world
    rate = w.indicators[0]
    target_set(user=w.users["bergen"], unit=w.units["4601"], indicator=rate, value=80)
    LocalTarget.objects.create(unit=w.units["4602"], indicator=rate, value=60, source=CommitmentSource.DEMO,
                               is_demo=True)
    target_set(user=w.users["vestland"], unit=w.units["46"], indicator=rate, value=85)
    target_set(user=w.users["ks"], unit=w.units["0"], indicator=rate, value=75)
    target_set(user=w.users["vestland"], unit=w.units["46"], indicator=w.indicators[1], value=20)  # reached: 29,5
    return published


def _section(document, key="targets"):
    return next((s for s in document.sections if s.key == key), None)


def _rows(section, caption_start):
    return next(b for b in section.blocks if getattr(b, "caption", "").startswith(caption_start)).rows


def test_the_vlr_shows_the_municipalitys_own_target_and_the_distance(with_targets):
    w = with_targets.world
    section = _section(vlr_build(unit=w.units["4601"], round_=with_targets.round, lang="nb"))
    assert section.title == "Mål for 2030 og avstand til mål"
    (row,) = _rows(section, "Egne mål")
    assert row[1:] == ["80,0", "71,5 (2025)", "8,5"]  # the 2025 value 71.5 is 8.5 short of 80
    assert _section(vlr_build(unit=w.units["0301"], round_=with_targets.round, lang="nb")) is None  # no target


def test_the_county_review_has_the_ambition_gap_and_who_carries_it(with_targets):
    w = with_targets.world
    section = _section(county_review_build(unit=w.units["46"], round_=with_targets.round, lang="nb"))
    gap = _rows(section, "Ambisjonsgap")
    assert len(gap) == 1
    assert gap[0][1:] == ["85,0", f"{MEMBERS:.1f}".replace(".", ","), f"{85 - MEMBERS:.1f}".replace(".", ","), "2 / 2",
                          "100,0 %"]
    carriers = next(b for b in section.blocks if hasattr(b, "items")).items
    assert f"Bergen {BERGEN_SHARE * 100:.1f} %".replace(".", ",") in carriers[0]
    own = {r[1]: r for r in _rows(section, "Egne mål")}
    assert own["20,0"][3] == "nådd"  # T-B of Vestland: 29.5 in 2025 is past 20
    assert any("Demodata" in getattr(b, "text", "") for b in section.blocks)


@pytest.mark.parametrize(("lang", "title"), [
    ("nn", "Mål for 2030: fylket sitt mål og kommunane sine mål (ambisjonsgap)"),
    ("en", "Targets for 2030: the county's target and the municipalities' targets (ambition gap)"),
])
def test_the_county_review_section_is_translated(with_targets, lang, title):
    section = _section(county_review_build(unit=with_targets.world.units["46"], round_=with_targets.round, lang=lang))
    assert section.title == title


def test_the_vsr_compares_the_national_target_with_every_municipalitys(with_targets):
    section = _section(vsr_build(round_=with_targets.round, lang="en"))
    assert section.title == "Targets for 2030: national targets and the municipalities' targets (ambition gap)"
    (gap,) = _rows(section, "Ambition gap")
    assert gap[1:5] == ["75.0", f"{MEMBERS:.1f}", f"{75 - MEMBERS:.1f}", "2 / 3"]  # Oslo has no target


def test_publications_leave_the_section_out_without_targets(published):
    assert _section(county_review_build(unit=published.world.units["46"], round_=published.round, lang="nb")) is None
    assert _section(vsr_build(round_=published.round, lang="nb")) is None

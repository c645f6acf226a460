"""The VLR, the county review and the VSR carry the agreed shared readings of their unit's level, with citations."""

from __future__ import annotations

from dugnad.catalogue.models import Goal
from dugnad.publications.builders.county import county_review_build
from dugnad.publications.builders.vlr import vlr_build
from dugnad.publications.builders.vsr import vsr_build
from dugnad.readings.services import reading_agree, reading_propose
from tests.factories import TargetFactory


def _texts(document) -> str:
    section = next((s for s in document.sections if s.key == "readings"), None)
    return "" if section is None else " ".join(getattr(b, "text", "") for b in section.blocks)


def test_each_publication_carries_the_agreed_readings_of_its_own_level(published):
    w, round_ = published.world, published.round
    target = TargetFactory(code="11.6", goal=Goal.objects.get_or_create(number=11, defaults={"colour": "#FD9D24"})[0])
    assert _texts(vlr_build(unit=w.units["4601"], round_=round_, lang="nb")) == ""  # nothing agreed: no section
    for unit, user, text in (("0", "ks", "Nasjonal lesning."), ("46", "vestland", "Vestlands lesning."),
                             ("4601", "bergen", "Bergens lesning.")):
        version = reading_propose(user=w.users[user], target=target, unit=w.units[unit], text=text)
        reading_agree(user=w.users[user], reading=version.reading)
    reading_propose(user=w.users["bergen"], target=TargetFactory(code="3.4", goal=Goal.objects.get(number=3)),
                    unit=w.units["4601"], text="Bare et forslag.")

    vlr = _texts(vlr_build(unit=w.units["4601"], round_=round_, lang="nb"))
    assert "Bergens lesning." in vlr and "Felles lesning av delmål 11.6, Bergen kommune, versjon 1," in vlr
    assert "Vestlands lesning." not in vlr and "Bare et forslag." not in vlr
    county = _texts(county_review_build(unit=w.units["46"], round_=round_, lang="en"))
    assert "Vestlands lesning." in county and "Shared reading of target 11.6, Vestland County Council, version 1," in county
    vsr = _texts(vsr_build(round_=round_, lang="nn"))
    assert "Nasjonal lesning." in vsr and "Felles lesing av delmål 11.6, Noreg, versjon 1," in vsr

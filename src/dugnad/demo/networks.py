"""Demo networks: two county-led and one thematic, with joint actions and workspace notes (and the case library)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from dugnad.actions.models import Action
from dugnad.catalogue.models import Indicator, Target
from dugnad.common.labels import DEMO_LABEL_NB
from dugnad.demo.accounts import demo_user
from dugnad.demo.actions import demo_organisations_ensure
from dugnad.demo.catalogue import DEMO_FRAMEWORK
from dugnad.demo.practices import demo_cases_ensure
from dugnad.networks.models import Network
from dugnad.networks.services import (
    network_action_propose,
    network_create,
    network_document_add,
    network_invite,
    network_members_add,
)
from dugnad.practices.models import PracticeCase
from dugnad.units.models import Unit
from dugnad.units.selectors import units_current


def _units(*codes: str) -> list[Unit]:
    found = {u.code: u for u in units_current(codes=codes)}
    return [found[c] for c in codes if c in found]


def _vestland() -> bool:
    if Network.objects.filter(name="Bærekraftsnettverket i Vestland").exists():
        return False
    county = _units("46")
    if not county:
        return False
    coordinator = demo_user("vestland")
    members = _units("4601", "4602", "4624", "4640", "4627", "4631", "4621", "4647")
    network = network_create(
        user=coordinator, name="Bærekraftsnettverket i Vestland", kind="county", lead_unit=county[0], members=members,
        description="Fylkeskommunen samler kommunene i Vestland om felles indikatorer og felles tiltak. " + DEMO_LABEL_NB,
        indicators=Indicator.objects.filter(framework__code=DEMO_FRAMEWORK, code__in=["D04.1", "D08.2", "D11.4", "D12.1",
                                                                                   "D13.1", "D06.3"]),
        is_demo=True,
    )
    network_invite(user=coordinator, network=network, units=_units("4617", "4644", "4651"),
                   message="Velkommen med i bærekraftsnettverket!")
    network_members_add(user=coordinator, network=network, parties=[demo_organisations_ensure()["Høgskulen på Vestlandet"]])
    network.actions.add(*Action.objects.filter(title="Trygg skolevei i Vestland"))
    partners = _units("4602", "4624", "4640")
    if len(partners) == 3:
        network_action_propose(
            user=coordinator, network=network, title="Felles lekkasjesøk i vannledningsnettet", partner_units=partners,
            description="Kommunene deler utstyr og kompetanse til lekkasjesøk. " + DEMO_LABEL_NB,
            targets=Target.objects.filter(code="6.4"),
            indicators=[(i, "down") for i in Indicator.objects.filter(framework__code=DEMO_FRAMEWORK, code="D06.3")],
            start=dt.date(2026, 1, 1), end=dt.date(2027, 6, 30), is_demo=True,
        )
    network_document_add(user=coordinator, network=network, title="Samling i Førde", meeting_on=dt.date(2025, 10, 14),
                         body="Tema: felles gap på gjennomføring og vanntap. Kinn, Bjørnafjorden og Sogndal vil "
                              "samarbeide om lekkasjesøk. Neste samling i mars.")
    network_document_add(user=coordinator, network=network, title="Handlingsplan 2026", kind="document",
                         url="https://example.org/vestland/handlingsplan-2026.pdf")
    return True


def _trondelag() -> bool:
    name = "Trøndelag bærekraftsnettverk"
    county = _units("50")
    if Network.objects.filter(name=name).exists() or not county:
        return False
    coordinator = demo_user("ks")
    network = network_create(
        user=coordinator, name=name, kind="county", lead_unit=county[0], members=_units("5001", "5006", "5035", "5007", "5053"),
        description="Kommunene i Trøndelag deler erfaringer om klima, energi og landbruk. " + DEMO_LABEL_NB, is_demo=True,
    )
    network_document_add(user=coordinator, network=network, title="Oppstartsmøte", meeting_on=dt.date(2025, 9, 2),
                         body="Nettverket valgte klimabudsjett og energisparing i bygg som første tema.")
    return True


def _thematic() -> bool:
    name = "Klimatilpasning i kystkommuner"
    lead = _units("4601")
    if Network.objects.filter(name=name).exists() or not lead:
        return False
    coordinator = demo_user("bergen")
    orgs = demo_organisations_ensure()
    network = network_create(
        user=coordinator, name=name, kind="thematic", lead_unit=lead[0],
        members=[*_units("4601", "1103", "1804", "5501", "4204", "4617"), orgs["Miljødirektoratet"],
                 orgs["Universitetet i Bergen"]],
        description="Tematisk nettverk for kommuner som møter mer overvann, flom og stormflo. " + DEMO_LABEL_NB,
        indicators=Indicator.objects.filter(framework__code=DEMO_FRAMEWORK, code__in=["D13.2", "D06.2", "D14.1"]),
        is_demo=True,
    )
    network.actions.add(*Action.objects.filter(title="Regnbed og åpne bekker mot overvann"))
    network_document_add(user=coordinator, network=network, title="Erfaringsmøte om overvann", meeting_on=dt.date(2025, 11, 20),
                         body="Bergen viste regnbed i Årstad; Stavanger delte erfaringer med flomveier.")
    return True


@transaction.atomic
def demo_networks_ensure() -> str:
    """Create the demo networks, their joint actions and workspace notes, and the case library (idempotent); a summary."""
    made = sum([_vestland(), _trondelag(), _thematic()])
    cases = demo_cases_ensure()
    return (f"{DEMO_LABEL_NB}: {made} nye nettverk ({Network.objects.count()} i alt), {cases} nye gode eksempler "
            f"({PracticeCase.objects.count()} i alt).")

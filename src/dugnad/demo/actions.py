"""Demo joint action: organisations, the action catalogue, joint actions at several levels, agreements."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from dugnad.actions.agreements import CommitmentSpec, agreement_create
from dugnad.actions.models import Action, ActionTemplate, Agreement, Organisation
from dugnad.actions.services import PartnerSpec, action_create, action_part_update, action_status_set, milestone_add
from dugnad.actions.vocab import OrganisationKind, PartnerRole
from dugnad.catalogue.models import Indicator, Target
from dugnad.common.labels import DEMO_LABEL_NB
from dugnad.demo.accounts import demo_user
from dugnad.demo.catalogue import DEMO_FRAMEWORK
from dugnad.units.models import Unit
from dugnad.units.selectors import units_current

ORGANISATIONS = (
    ("KS", OrganisationKind.KS, "971032146"),
    ("Kommunal- og distriktsdepartementet", OrganisationKind.MINISTRY, ""),
    ("Miljødirektoratet", OrganisationKind.STATE_AGENCY, ""),
    ("Statens vegvesen", OrganisationKind.STATE_AGENCY, ""),
    ("Universitetet i Bergen", OrganisationKind.UNIVERSITY, ""),
    ("Høgskulen på Vestlandet", OrganisationKind.UNIVERSITY, ""),
    ("Naturvernforbundet i Vestland", OrganisationKind.NGO, ""),
    ("Vestlandsk Energi AS (demo)", OrganisationKind.BUSINESS, ""),
)

#: Catalogue templates: target, title, description, demo indicator codes, typical partners.
TEMPLATES = (
    ("4.2", "Barnehageplass til alle barn", "Oppsøk familier som ikke har søkt barnehageplass, og tilby gratis kjernetid.",
     ["D04.2"], "Helsestasjon, frivillige organisasjoner"),
    ("11.2", "Trygg skolevei", "Kartlegg skoleveiene med elevene, bygg fortau og sykkelfelt der det er utrygt.",
     ["D11.4"], "Fylkeskommunen, Statens vegvesen, FAU"),
    ("12.5", "Kildesortering av matavfall og plast", "Innfør egne beholdere og informer på flere språk.",
     ["D12.1", "D12.2"], "Interkommunalt renovasjonsselskap"),
    ("13.2", "Klimabudsjett", "Knytt utslippsmål til hver sektor i budsjettet og rapporter i årsmeldingen.",
     ["D13.1"], "Miljødirektoratet (Klimasats)"),
    ("6.4", "Lekkasjekontroll i vannledningsnettet", "Del nettet i soner med målere og forny de verste ledningene først.",
     ["D06.3"], "Nabokommuner, Norsk Vann"),
    ("8.6", "Ungdomslos", "Følg opp unge utenfor skole og arbeid med en fast voksen som samarbeider med NAV og skolen.",
     ["D08.2"], "NAV, fylkeskommunen"),
    ("7.3", "Energisentral for kommunale bygg", "Styr varme, ventilasjon og lys samlet, og bytt til varmepumper og LED.",
     ["D07.2"], "Enova, energiselskap"),
    ("15.5", "Naturregnskap og arealnøytralitet", "Tell opp nedbygd natur hvert år og ta ut byggeområder i myr og skog.",
     ["D15.2"], "Statsforvalteren, universitet"),
)


def _units(*codes: str) -> dict[str, Unit]:
    return {u.code: u for u in units_current(codes=codes)}


def _indicators(*codes: str) -> list[Indicator]:
    return list(Indicator.objects.filter(framework__code=DEMO_FRAMEWORK, code__in=codes).order_by("code"))


def _targets(*codes: str) -> list[Target]:
    return list(Target.objects.filter(code__in=codes))


def demo_organisations_ensure() -> dict[str, Organisation]:
    """The demo organisations by name (created when missing)."""
    out = {}
    for name, kind, number in ORGANISATIONS:
        out[name], _ = Organisation.objects.get_or_create(name=name, defaults={"kind": kind, "org_number": number,
                                                                                "is_demo": True})
    return out


def demo_templates_ensure() -> int:
    """The demo action catalogue (templates whose target exists); returns how many templates exist."""
    for target_code, title, description, indicators, partners in TEMPLATES:
        target = Target.objects.filter(code=target_code).first()
        if target is None or ActionTemplate.objects.filter(title=title, target=target).exists():
            continue
        template = ActionTemplate.objects.create(target=target, title=title, description=description,
                                                 suggested_partners=partners, is_demo=True)
        template.indicators.set(_indicators(*indicators))
    return ActionTemplate.objects.count()


def _joint_actions(orgs: dict[str, Organisation]) -> int:
    made = 0
    u = _units("0", "46", "4601", "4602", "4624", "4640", "4627", "5001")
    skolevei = Action.objects.filter(title="Trygg skolevei i Vestland").exists()
    if all(c in u for c in ("46", "4601", "4602", "4624")) and not skolevei:
        action = action_create(
            user=demo_user("vestland"), title="Trygg skolevei i Vestland", lead_unit=u["46"], lead_budget_share=40,
            description="Fylket, kommunene og Statens vegvesen kartlegger skoleveiene sammen med elevene og bygger "
                        "fortau og sykkelfelt der barna føler seg utrygge. " + DEMO_LABEL_NB,
            status="ongoing", start=dt.date(2025, 1, 1), end=dt.date(2027, 12, 31),
            targets=_targets("11.2", "3.6"), indicators=[(i, "up") for i in _indicators("D11.4")],
            partners=[PartnerSpec(unit=u["4601"], budget_share=20, contribution="Skoleveikartlegging i fem bydeler"),
                      PartnerSpec(unit=u["4602"], budget_share=10, contribution="Fortau langs fylkesveien ved skolen"),
                      PartnerSpec(unit=u["4624"], budget_share=10, contribution="Kampanjen «Gå til skolen»"),
                      PartnerSpec(organisation=orgs["Statens vegvesen"], role=PartnerRole.FUNDER, budget_share=20)],
            is_demo=True,
        )
        parts = {p.party_code: p for p in action.partners.all()}
        action_part_update(user=demo_user("bergen"), partner=parts["4601"], progress=60, note="Tre av fem bydeler er kartlagt.")
        action_part_update(user=demo_user("admin"), partner=parts["4602"], progress=30, note="Reguleringsplanen er vedtatt.")
        milestone_add(user=demo_user("vestland"), action=action, title="Kartlegging ferdig i alle kommuner",
                      due=dt.date(2026, 6, 1), partner=parts["4601"])
        milestone_add(user=demo_user("vestland"), action=action, title="Første fortau ferdig", due=dt.date(2026, 10, 1),
                      partner=parts["4602"])
        made += 1
    if all(c in u for c in ("0", "4601", "5001")) and not Action.objects.filter(title="Klimabudsjett i storbyene").exists():
        action = action_create(
            user=demo_user("ks"), title="Klimabudsjett i storbyene", lead_unit=u["0"],
            description="KS og storbyene utvikler en felles mal for klimabudsjett med utslippstak per sektor. " + DEMO_LABEL_NB,
            status="ongoing", start=dt.date(2024, 9, 1), end=dt.date(2026, 12, 31), targets=_targets("13.2", "17.14"),
            indicators=[(i, "down") for i in _indicators("D13.1")],
            partners=[PartnerSpec(unit=u["4601"]), PartnerSpec(unit=u["5001"]),
                      PartnerSpec(organisation=orgs["KS"], contribution="Sekretariat og veileder"),
                      PartnerSpec(organisation=orgs["Miljødirektoratet"], role=PartnerRole.FUNDER)],
            is_demo=True,
        )
        action_part_update(user=demo_user("bergen"), partner=action.partners.get(unit__code="4601"), progress=50,
                           note="Klimabudsjettet er lagt fram sammen med økonomiplanen.")
        made += 1
    title = "Lekkasjekontroll i vannledningsnettet i Vestland"
    if all(c in u for c in ("46", "4601", "4624", "4627", "4640")) and not Action.objects.filter(title=title).exists():
        # started early enough that the demo's series (2015–2025) have years before and after for the effect follow-up
        action = action_create(
            user=demo_user("vestland"), title=title, lead_unit=u["46"],
            description="Fylket og fire kommuner deler nettet i soner med målere og fornyer de verste ledningene "
                        "først, for å få ned vanntapet. " + DEMO_LABEL_NB,
            status="ongoing", start=dt.date(2021, 1, 1), end=dt.date(2026, 12, 31), targets=_targets("6.4"),
            indicators=[(i, "down") for i in _indicators("D06.3")],
            partners=[PartnerSpec(unit=u[c], contribution=text) for c, text in (
                ("4601", "Soneinndeling og målere i hele byen"), ("4624", "Fornyelse av de eldste ledningene"),
                ("4627", "Lekkasjesøk med lyttestaver"), ("4640", "Felles innkjøp av målere"))]
            + [PartnerSpec(organisation=orgs["Høgskulen på Vestlandet"], contribution="Evaluering")],
            is_demo=True,
        )
        action_part_update(user=demo_user("bergen"), partner=action.partners.get(unit__code="4601"), progress=70,
                           note="Alle soner har målere.")
        made += 1
    if "4601" in u and not Action.objects.filter(title="Regnbed og åpne bekker mot overvann").exists():
        action = action_create(
            user=demo_user("bergen"), title="Regnbed og åpne bekker mot overvann", lead_unit=u["4601"],
            description="Blågrønne løsninger i bydeler med mye overvann. " + DEMO_LABEL_NB, status="planned",
            start=dt.date(2026, 3, 1), targets=_targets("13.1", "11.5"),
            partners=[PartnerSpec(organisation=orgs["Universitetet i Bergen"], contribution="Måling av effekt")],
            is_demo=True,
        )
        action_status_set(user=demo_user("bergen"), action=action, status="planned", text="Planen er vedtatt i bystyret.")
        made += 1
    return made


def _agreements(orgs: dict[str, Organisation]) -> int:
    made = 0
    u = _units("0", "46", "4601", "4602", "4624", "4640")
    title = "Samarbeidsavtale mellom staten og KS om bærekraftsmålene (demo)"
    if "0" in u and not Agreement.objects.filter(title=title).exists():
        agreement_create(
            user=demo_user("ks"), title=title, parties=[orgs["Kommunal- og distriktsdepartementet"], orgs["KS"], u["0"]],
            description="Staten og KS samarbeider om felles indikatorer og støtte til kommunenes arbeid. " + DEMO_LABEL_NB,
            signed_on=dt.date(2024, 6, 1), valid_to=dt.date(2027, 12, 31),
            commitments=[CommitmentSpec(0, "Finansiere utvikling av felles indikatorsett", dt.date(2025, 12, 31)),
                         CommitmentSpec(1, "Drive kommunenettverk for bærekraft i alle fylker", dt.date(2026, 12, 31))],
            actions=Action.objects.filter(title="Klimabudsjett i storbyene"), is_demo=True,
        )
        made += 1
    title = "Partnerskapsavtale om bærekraft i Vestland (demo)"
    members = [u[c] for c in ("46", "4601", "4602", "4624", "4640") if c in u]
    if len(members) >= 2 and not Agreement.objects.filter(title=title).exists():
        agreement_create(
            user=demo_user("vestland"), title=title, parties=members, signed_on=dt.date(2025, 2, 1),
            description="Fylket og kommunene i Vestland forplikter seg til felles mål og tiltak. " + DEMO_LABEL_NB,
            commitments=[CommitmentSpec(0, "Lede bærekraftsnettverket og holde fire samlinger i året"),
                         CommitmentSpec(1, "Dele data og erfaringer fra klimabudsjettet")],
            actions=Action.objects.filter(title="Trygg skolevei i Vestland"), is_demo=True,
        )
        made += 1
    return made


@transaction.atomic
def demo_actions_ensure() -> str:
    """Create the demo organisations, action catalogue, joint actions and agreements (idempotent); a summary line."""
    orgs = demo_organisations_ensure()
    templates = demo_templates_ensure()
    actions = _joint_actions(orgs)
    agreements = _agreements(orgs)
    return (f"{DEMO_LABEL_NB}: {len(orgs)} organisasjoner, {templates} tiltaksmaler, {actions} nye tiltak "
            f"({Action.objects.filter(is_demo=True).count()} i alt), {agreements} nye avtaler.")

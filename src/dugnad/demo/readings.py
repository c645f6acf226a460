"""Demo shared readings of the SDG targets: national readings agreed by KS, Vestland's agreed by the county
coordinator, Bergen's agreed by its editor, and some still under discussion (labelled demo)."""

from __future__ import annotations

from django.db import transaction

from dugnad.actions.models import Action
from dugnad.catalogue.models import Target
from dugnad.common.labels import DEMO_LABEL_NB
from dugnad.demo.accounts import demo_user
from dugnad.readings.models import Reading
from dugnad.readings.services import reading_agree, reading_comment, reading_propose
from dugnad.units.selectors import units_current

#: (unit code, target, author, text, comments as (user, text), agree: the agreeing user or "")
DEMO_READINGS: tuple[tuple[str, str, str, str, tuple[tuple[str, str], ...], str], ...] = (
    ("0", "11.6", "ks",
     "I Norge handler delmålet om lokal luftkvalitet i byer og tettsteder og om avfall fra husholdninger: "
     "færre dager med høy svevestøv- og NO2-forurensning, og mer materialgjenvinning. Kommunene har virkemidlene "
     "gjennom arealplaner, parkering, kollektiv og renovasjon.",
     (("departement", "Husk at fylkeskommunene eier kollektivtrafikken; det bør stå med."),), "ks"),
    ("0", "13.2", "ks",
     "Delmålet leses som at klimahensyn skal være en del av planer og budsjetter på alle nivåer. For kommunene "
     "betyr det klimabudsjett, klimagassregnskap og mål for egne utslipp, fulgt opp i årsmeldingen.", (), "ks"),
    ("0", "4.2", "ks",
     "I Norge betyr delmålet at alle barn får tilbud om barnehageplass med god kvalitet, og at de som ikke søker "
     "blir oppsøkt. Andelen barn i barnehage og bemanningsnormen er de viktigste indikatorene.", (), "ks"),
    ("0", "6.4", "ks",
     "Delmålet handler her om lekkasjer og fornyelse av vannledningsnettet mer enn om vannmangel. Lekkasjeandel "
     "og fornyelsestakt er de viktigste indikatorene.",
     (("departement", "Tørkesomrene viser at vannmangel også blir et spørsmål i mange kommuner."),), ""),
    ("46", "13.2", "vestland",
     "For Vestland fylkeskommune betyr delmålet at regional plan for klima følges opp i alle sektorer, og at fylket "
     "hjelper de små kommunene med klimagassregnskap gjennom et felles nettverk.", (), "vestland"),
    ("46", "11.2", "vestland",
     "I Vestland handler delmålet om kollektivtilbud som følger bo- og arbeidsmarkedsregionene over "
     "kommunegrensene, og om trygg skolevei langs fylkesveiene.",
     (("vestland-leser", "Bybanen og bussnettet i Bergen bør nevnes som ryggraden."),), "vestland"),
    ("46", "6.4", "vestland-redaktor",
     "For Vestland betyr delmålet felles planlegging av vannforsyning i en region med lekkasjer og tørkesomre.",
     (), ""),
    ("4601", "11.6", "bergen",
     "I Bergen betyr delmålet færre dager med dårlig luft i sentrum om vinteren (svevestøv og NO2), og mer "
     "utsortert matavfall og plast fra husholdningene.", (("bergen-leser", "Ta med piggdekkgebyret som tiltak."),),
     "bergen"),
    ("4601", "11.2", "bergen",
     "For Bergen handler delmålet om Bybanen, trygg skolevei og et busstilbud som henger sammen med nabokommunene.",
     (("vestland", "Fint – knytt det til fylkets kollektivstrategi."),), ""),
)


@transaction.atomic
def demo_readings_ensure() -> str:
    """Create the demo readings (idempotent: none when any demo reading exists); a summary."""
    made = 0
    if not Reading.objects.filter(is_demo=True).exists():
        units = {u.code: u for u in units_current(codes=sorted({r[0] for r in DEMO_READINGS}))}
        targets = {t.code: t for t in Target.objects.filter(code__in={r[1] for r in DEMO_READINGS})
                   .prefetch_related("indicators")}
        for code, target_code, author, text, comments, agree in DEMO_READINGS:
            unit, target = units.get(code), targets.get(target_code)
            if unit is None or target is None:
                continue
            actions = Action.objects.filter(targets=target, is_demo=True).order_by("pk")[:2]
            version = reading_propose(user=demo_user(author), target=target, unit=unit,
                                      text=f"{text} ({DEMO_LABEL_NB}.)", indicators=list(target.indicators.all())[:3],
                                      actions=list(actions), is_demo=True)
            for commenter, comment in comments:
                reading_comment(user=demo_user(commenter), reading=version.reading, text=comment)
            if agree:
                reading_agree(user=demo_user(agree), reading=version.reading, version_number=version.number)
            made += 1
    return f"{DEMO_LABEL_NB}: {made} nye felles lesninger ({Reading.objects.count()} i alt)."

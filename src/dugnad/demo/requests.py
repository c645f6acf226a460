"""Demo requests across levels: what Vestland municipalities ask of the state and of the county (labelled demo)."""

from __future__ import annotations

from django.db import transaction

from dugnad.catalogue.models import Target
from dugnad.common.labels import DEMO_LABEL_NB
from dugnad.demo.accounts import demo_user
from dugnad.requests.models import LevelRequest
from dugnad.requests.services import request_send, request_status_set
from dugnad.requests.vocab import RequestLevel, RequestStatus
from dugnad.units.selectors import units_current

#: (from unit, to level, body, title, text, targets, status, answer)
DEMO_REQUESTS: tuple[tuple[str, str, str, str, str, tuple[str, ...], str, str], ...] = (
    ("4601", "stat", "Kommunal- og distriktsdepartementet", "Statlig medfinansiering av overvannstiltak",
     "Klimatilpasning i eldre bydeler koster mer enn gebyrene dekker.", ("13.1", "11.5"), "answered",
     "Departementet vurderer en tilskuddsordning i neste budsjett."),
    ("4601", "stat", "Statistisk sentralbyrå", "Indikatorer for fattigdom på bydelsnivå",
     "Vi trenger tall under kommunenivå for å se hvem som faller utenfor.", ("1.2", "10.2"), "received", ""),
    ("4602", "stat", "Samferdselsdepartementet", "Bedre fergetilbud for pendlere",
     "Fergeavgangene passer ikke med arbeidstidene.", ("9.1", "11.2"), "submitted", ""),
    ("4624", "stat", "Klima- og miljødepartementet", "Klare regler for massehåndtering",
     "Overskuddsmasser fra utbygging mangler gode løsninger.", ("12.5",), "submitted", ""),
    ("4640", "stat", "Helse- og omsorgsdepartementet", "Rekruttering av helsepersonell i distriktet",
     "Vi mister sykepleiere til byene.", ("3.8",), "declined", "Saken hører inn under den nasjonale bemanningsplanen."),
    ("4627", "stat", "Kunnskapsdepartementet", "Fleksibel finansiering av fagskoleplasser",
     "Lokalt næringsliv trenger fagarbeidere.", ("4.3", "8.6"), "submitted", ""),
    ("4601", "fylke", "Vestland fylkeskommune", "Samordnet kollektivtilbud over kommunegrensene",
     "Busstilbudet følger ikke bo- og arbeidsmarkedsregionen.", ("11.2",), "answered",
     "Fylket tar det med i neste kollektivstrategi."),
    ("4602", "fylke", "Vestland fylkeskommune", "Felles kompetanse på klimagassregnskap",
     "Små kommuner har ikke egne folk til klimaregnskap.", ("13.2",), "followed_up",
     "Fylket tilbyr et felles nettverk fra høsten."),
    ("4624", "fylke", "Vestland fylkeskommune", "Regional plan for vannforsyning",
     "Lekkasjer og tørkesomre krever felles planlegging.", ("6.4",), "received", ""),
    ("4640", "fylke", "Vestland fylkeskommune", "Trygg skolevei langs fylkesveiene",
     "Flere skoleveier går langs fylkesvei uten fortau.", ("11.2", "3.6"), "submitted", ""),
)


@transaction.atomic
def demo_requests_ensure() -> str:
    """Create the demo requests (idempotent: none when any demo request exists); a summary."""
    made = 0
    if not LevelRequest.objects.filter(is_demo=True).exists():
        units = {u.code: u for u in units_current(codes=sorted({r[0] for r in DEMO_REQUESTS}))}
        targets = {t.code: t for t in Target.objects.all()}
        for code, level, body, title, text, codes, status, answer in DEMO_REQUESTS:
            if code not in units:
                continue
            request = request_send(
                user=demo_user("bergen" if code == "4601" else "admin"), from_unit=units[code], to_level=level,
                to_body=body, title=title, text=f"{text} {DEMO_LABEL_NB}",
                targets=[targets[c] for c in codes if c in targets], is_demo=True)
            answerer = demo_user("ks" if level == RequestLevel.STATE else "vestland")
            path = {"received": ["received"], "answered": ["answered"], "declined": ["declined"],
                    "followed_up": ["answered", "followed_up"]}.get(status, [])
            for step in path:
                request_status_set(user=answerer, request=request, status=RequestStatus(step),
                                   answer=answer if step in ("answered", "declined") else None)
            made += 1
    return f"{DEMO_LABEL_NB}: {made} nye henvendelser ({LevelRequest.objects.count()} i alt)."

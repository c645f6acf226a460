"""The county review builder: the county's own chapters plus its municipalities' status, roll-ups, gaps and actions."""

from __future__ import annotations

from collections import Counter

from django.apps import apps
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import override

from dugnad.common.labels import demo_label
from dugnad.observations.provenance import banner_text, demo_share_text, mix_of_counts
from dugnad.observations.selectors import value_demo_counts
from dugnad.publications.builders import builder
from dugnad.publications.builders.actions import actions_block, unit_actions
from dugnad.publications.builders.county_values import own_values_section
from dugnad.publications.builders.effects import effects_section
from dugnad.publications.builders.errors import check_language, input_error
from dugnad.publications.builders.labels import generated_on
from dugnad.publications.builders.levelrequests import requests_section
from dugnad.publications.builders.names import goals, indicator_label, indicator_names, number, unit_name
from dugnad.publications.builders.targets import targets_section
from dugnad.publications.document import BulletList, Document, Narrative, Paragraph, References, Section, Table
from dugnad.publications.maps import MUNICIPALITIES, status_map, weakest_goal_status
from dugnad.publications.mobilisation import STAGE_LABELS, STALLED_DAYS, county_funnel, funnel_counts
from dugnad.publications.vocab import DocumentKind
from dugnad.rounds.models import Round, Submission
from dugnad.rounds.selectors import submission_narratives
from dugnad.rounds.vocab import CountyChapter, SubmissionState
from dugnad.scores.models import GoalScore
from dugnad.scores.selectors import latest_score_run, rollups_for, shared_gaps_for
from dugnad.units.models import Unit
from dugnad.units.selectors import units_current


def _own_chapters(county: Unit, round_: Round, refs: References) -> dict[str, Section]:
    """The county's own chapters from its submission in the round, each in the language it was written in."""
    sub = Submission.objects.filter(round=round_, unit=county).first()
    narratives = submission_narratives(sub) if sub else {}
    sections = {}
    for chapter in CountyChapter:
        n = narratives.get(f"chapter:{chapter.value}")
        if n is not None and n.text.strip():
            ref = refs.add(unit=county.code, round=round_.pk, submission=sub.pk, revision=n.version,
                           source=f"chapter:{chapter.value}")
            block = Narrative(text=n.text, lang=n.language, ref=ref)
        else:
            block = Paragraph(text=_("Fylket har ikke skrevet tekst til denne delen."))
        sections[chapter.value] = Section(key=chapter.value, title=str(chapter.label), blocks=[block])
    return sections


def _participation(municipalities: list[Unit], round_: Round, lang: str) -> Section:
    """How many of the county's municipalities delivered, and how many are in each state."""
    states = dict(Submission.objects.filter(round=round_, unit__in=municipalities).values_list("unit_id", "state"))
    counts = Counter(states.values())
    delivered = sum(counts.get(s, 0) for s in (SubmissionState.SUBMITTED, SubmissionState.APPROVED))
    rows = [[str(s.label), str(counts.get(s.value, 0))] for s in SubmissionState]
    missing = len(municipalities) - len(states)
    if missing:
        rows.append([_("Deltar ikke"), str(missing)])
    return Section(key="participation", title=_("Kommunenes deltakelse"), blocks=[
        Paragraph(text=_("%(delivered)s av %(total)s kommuner har levert.") % {"delivered": delivered,
                                                                             "total": len(municipalities)}),
        Table(caption=_("Kommunenes innleveringer etter status"), header=[_("Status"), _("Antall")], rows=rows)])


def _mobilisation(county: Unit, lang: str) -> Section:
    """The mobilisation funnel summarised: municipalities per stage and the stalled ones by name."""
    entries = county_funnel(county)
    counts = funnel_counts(entries)
    rows = [[str(STAGE_LABELS[stage]), str(n)] for stage, n in counts.items()]
    stalled = [e for e in entries if e.stalled]
    if stalled:
        names = ", ".join(
            _("%(name)s (%(stage)s siden %(since)s)") % {"name": unit_name(e.unit, lang), "stage": e.stage_label,
                                                      "since": e.since.isoformat()} if e.since
            else _("%(name)s (ikke startet)") % {"name": unit_name(e.unit, lang)} for e in stalled)
        text = _("Står stille (ingen framgang på %(days)s dager): %(names)s.") % {"days": STALLED_DAYS, "names": names}
    else:
        text = _("Ingen kommune står stille.")
    return Section(key="mobilisation", title=_("Mobilisering av kommunene"), blocks=[
        Table(caption=_("Kommunene etter hvor langt de har kommet"), header=[_("Steg"), _("Antall")], rows=rows),
        Paragraph(text=text)])


def _demo_share(counts: dict, keys, lang: str) -> list:
    """«X av Y verdier er demodata» over the values behind a table (``counts`` of ``value_demo_counts``), or none."""
    demo = sum(counts.get(k, (0, 0))[0] for k in keys)
    total = sum(counts.get(k, (0, 0))[1] for k in keys)
    text = demo_share_text(demo, total, lang)
    return [Paragraph(text=text)] if text else []


def _matrix(county: Unit, municipalities: list[Unit], round_: Round, run, lang: str, counts: dict) -> Section:
    subs = {s.unit_id: s for s in Submission.objects.filter(round=round_, unit__in=municipalities)}
    scores: dict[tuple[int, int], GoalScore] = {}
    if run is not None:
        scores = {(g.unit_id, g.goal): g for g in GoalScore.objects.filter(run=run, unit__in=municipalities)}
    rows = []
    for m in municipalities:
        sub = subs.get(m.pk)
        state = sub.get_state_display() if sub else _("deltar ikke")
        cells = [number(s.score, lang).split(",")[0].split(".")[0] if (s := scores.get((m.pk, n))) else "–"
                 for n in range(1, 18)]
        rows.append([unit_name(m, lang), str(state), *cells])
    header = [_("Kommune"), _("Innlevering"), *[str(n) for n in range(1, 18)]]
    blocks = [Paragraph(text=_("Målskår 0–100 per kommune og mål (kolonnene er målnumrene).")),
              Table(caption=_("Statusmatrise"), header=header, rows=rows),
              *_demo_share(counts, [(m.pk,) for m in municipalities], lang),
              *_municipality_map(county, municipalities, scores, run, round_, lang)]
    return Section(key="matrix", title=_("Statusmatrise for kommunene"), blocks=blocks)


def _municipality_map(county: Unit, municipalities: list[Unit], scores: dict, run, round_: Round, lang: str) -> list:
    """The county's municipalities on a map in the four SDG colours of the goal the county scores lowest on."""
    if run is None or not municipalities:
        return []
    found = weakest_goal_status(GoalScore.objects.filter(run=run, unit=county), municipalities, scores, lang)
    if found is None:
        return []
    weakest, goal_name, rows, summary = found
    name = unit_name(county, lang)
    title = _("Kommunene i %(county)s: status på mål %(n)s %(name)s") % {"county": name, "n": weakest,
                                                                          "name": goal_name}
    alt = _("Kart over kommunene i %(county)s farget etter status på mål %(n)s %(name)s, målet der fylket skårer "
            "lavest. Antall kommuner: %(summary)s. Tabellen under gir status og skår per kommune.") % {
        "county": name, "n": weakest, "name": goal_name, "summary": summary}
    return status_map(id="county-municipality-map", title=title, alt=alt, year=round_.year, layer=MUNICIPALITIES,
                      rows=rows, unit_label=_("Kommune"), value_label=_("Skår"), lang=lang,
                      table_caption=_("Kommunenes skår og status på mål %(n)s") % {"n": weakest})


def _rollups(county: Unit, round_: Round, run, lang: str, refs: References, municipalities: list[Unit]) -> Section:
    rows, row_refs, shown = [], [], []
    names = {u.code: unit_name(u, lang) for u in units_current(parents=[county])}
    indicators = list(round_.indicators.order_by("code"))
    rollups = rollups_for(county, indicators, run)  # one batched read for every indicator
    for ind in indicators:
        r = rollups.get(ind.pk)
        if r is None:
            continue
        top = sorted((c for c in r.contributions if c.contribution), key=lambda c: -c.contribution)[:3]
        biggest = ", ".join(f"{names.get(c.member, c.member)} ({number(100 * c.share, lang)} %)" for c in top
                            if c.share is not None)
        rows.append([indicator_label(ind, lang), number(r.value, lang), number(r.published, lang),
                     f"{r.members_with_data}/{r.members}", number(r.gap, lang), biggest or "–"])
        row_refs.append(refs.add(unit=county.code, indicator=ind.code, period=r.period, round=round_.pk,
                                 source=f"score run {run.pk}" if run else ""))
        shown.append((ind.pk, str(r.period)))
    # per value: the municipalities' values each rolled-up figure is made of
    counts = value_demo_counts(units=municipalities, indicators=[i for i, _p in shown],
                               periods={p for _i, p in shown}, by=("indicator_id", "period")) if shown else {}
    table = Table(caption=_("Rullerte verdier med kommunenes bidrag til gapet"),
                  header=[_("Indikator"), _("Rullert"), _("Publisert"), _("Dekning"), _("Gap"), _("Største bidrag")],
                  rows=rows, refs=row_refs)
    return Section(key="rollups", title=_("Rullering fra kommunene"), blocks=[table, *_demo_share(counts, shown, lang)])


def _gaps(county: Unit, run, lang: str, counts: dict, municipalities: list[Unit]) -> Section:
    gaps = shared_gaps_for(county, run)
    names = indicator_names([g.indicator for g in gaps], lang)
    rows = [[names.get(g.indicator, g.indicator), f"{number(100 * g.share, lang)} %", str(g.red), str(g.orange),
             f"{g.assessed}/{g.members}", number(g.population_affected, lang)] for g in gaps]
    block = (Table(caption=_("Felles utfordringer"), header=[_("Indikator"), _("Andel"), _("Røde"), _("Oransje"),
                                                             _("Vurdert"), _("Befolkning berørt")], rows=rows)
             if rows else Paragraph(text=_("Ingen indikator er rød eller oransje for minst halvparten av kommunene.")))
    share = _demo_share(counts, [(m.pk,) for m in municipalities], lang) if rows else []
    return Section(key="shared_gaps", title=_("Felles utfordringer"), blocks=[block, *share])


def _networks(county: Unit, municipalities: list[Unit], lang: str) -> list:
    """The networks the county or its municipalities take part in, described: members, meetings, joint actions."""
    if not apps.is_installed("dugnad.networks"):
        return [Paragraph(text=_("Nettverksmodulen er ikke tatt i bruk."))]
    from dugnad.actions.vocab import ActionStatus
    from dugnad.networks.models import Network
    from dugnad.networks.vocab import NetworkDocumentKind

    ids = {county.pk, *(m.pk for m in municipalities)}
    networks = (Network.objects.filter(Q(lead_unit_id__in=ids) | Q(members__unit_id__in=ids)).distinct()
                .select_related("lead_unit").prefetch_related("members__unit", "members__organisation", "documents",
                                                              "actions__partners__unit",
                                                              "actions__partners__organisation")
                .order_by("name"))
    blocks: list = []
    for n in networks:
        members = sorted(unit_name(m.unit, lang) if m.unit_id else m.organisation.name for m in n.members.all())
        meetings = sorted((d for d in n.documents.all() if d.kind == NetworkDocumentKind.MEETING_NOTE),
                          key=lambda d: (d.meeting_on or d.created_at.date()), reverse=True)
        lead = unit_name(n.lead_unit, lang) if n.lead_unit_id else _("ingen")
        blocks.append(Paragraph(text=_("%(name)s (%(kind)s, ledes av %(lead)s): %(n)s medlemmer – %(members)s.") % {
            "name": n.name, "kind": str(n.get_kind_display()).lower(), "lead": lead, "n": len(members),
            "members": ", ".join(members) or "–"}))
        items = [_("Møte %(date)s: %(title)s") % {"date": (d.meeting_on or d.created_at.date()).isoformat(),
                                                  "title": d.title} for d in meetings[:5]]
        for a in n.actions.all():
            partners = ", ".join(p.party_name for p in a.partners.all())
            status = str(ActionStatus(a.status).label).lower() if a.status in ActionStatus.values else a.status
            items.append(_("Felles tiltak: %(title)s (%(status)s, %(progress)s %%; partnere: %(partners)s)") % {
                "title": a.title, "status": status, "progress": a.progress, "partners": partners or "–"})
        if items:
            blocks.append(BulletList(items=items))
    if not blocks:
        return [Paragraph(text=_("Fylket og kommunene er ikke med i noe nettverk."))]
    return blocks


@builder("county-review")
def county_review_build(*, unit: Unit, round_: Round, lang: str = "nb") -> Document:
    """The county review of a county for a round, in the language."""
    check_language(lang)
    if unit.level.code != "county":
        raise input_error("publish", "fylkesgjennomgang krever et fylke", column="--unit", value=unit.code)
    with override(lang):
        run = latest_score_run()
        refs = References()
        municipalities = list(units_current(parents=[unit]))
        # per value (observations.provenance): which of the values behind the tables are demo, and the banner
        counts = value_demo_counts(units=[unit, *municipalities], indicators=round_.indicators.all(),
                                   periods=round_.periods)
        mix = mix_of_counts(sum(d for d, _t in counts.values()), sum(t for _d, t in counts.values()))
        own = _own_chapters(unit, round_, refs)
        # the county's own text about its networks opens the section that describes them
        actions = Section(key="actions", title=_("Nettverk og felles tiltak"),
                          blocks=[*own.pop(CountyChapter.COUNTY_NETWORKS.value).blocks,
                                  *_networks(unit, municipalities, lang), actions_block(unit_actions(unit))])
        closing = own.pop(CountyChapter.COUNTY_NEXT_STEPS.value)
        goal_list = Section(key="goals", title=_("Bærekraftsmålene"), level=2,
                            blocks=[Table(caption=_("Målnumre og navn"), header=[_("Mål"), _("Navn")],
                                          rows=[[str(g.number), n] for g, n in goals(lang)])])
        sections = [*own.values(), own_values_section(unit, round_, lang, refs),
                    _participation(municipalities, round_, lang), _mobilisation(unit, lang),
                    _matrix(unit, municipalities, round_, run, lang, counts), goal_list,
                    _rollups(unit, round_, run, lang, refs, municipalities),
                    _gaps(unit, run, lang, counts, municipalities),
                    *filter(None, [targets_section(unit, lang, members=True, title=_(
                        "Mål for 2030: fylkets mål og kommunenes mål (ambisjonsgap)"))]),
                    actions,
                    effects_section(key="effects", title=_("Effekten av felles tiltak"), lang=lang,
                                    include_demo=round_.is_demo, units=[unit, *municipalities]),
                    requests_section(key="requests", title=_("Hva kommunene ber fylket og staten om"), lang=lang,
                                     include_demo=round_.is_demo, to_levels=("fylke", "stat"),
                                     from_units=[unit, *municipalities]),
                    closing]
        name = unit_name(unit, lang)
        return Document(kind=DocumentKind.COUNTY_REVIEW.value, lang=lang,
                        title=_("Fylkesgjennomgang %(year)s: %(unit)s") % {"year": round_.year, "unit": name},
                        subtitle=round_.title, is_demo=round_.is_demo or mix in ("demo", "mixed"),
                        demo_label=banner_text(mix, lang) or demo_label(lang),
                        generated=generated_on(lang), sections=sections, references=refs.all())

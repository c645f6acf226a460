"""The section on requests across levels shared by the VSR and the county review: counts per level and goal, examples."""

from __future__ import annotations

from django.apps import apps
from django.utils.translation import gettext as _

from dugnad.publications.builders.names import unit_name
from dugnad.publications.document import BulletList, Paragraph, Section, Table


def requests_section(*, key: str, title: str, lang: str, include_demo: bool, to_levels: tuple[str, ...],
                     from_units=None) -> Section:
    """Requests to ``to_levels`` (from ``from_units`` when given): how many per level and goal, three examples."""
    if not apps.is_installed("dugnad.requests"):
        return Section(key=key, title=title, blocks=[Paragraph(text=_("Henvendelsesmodulen er ikke tatt i bruk."))])
    from dugnad.requests.models import LevelRequest
    from dugnad.requests.selectors import request_counts_by_goal, request_counts_by_level
    from dugnad.requests.vocab import RequestLevel

    qs = LevelRequest.objects.filter(to_level__in=to_levels)
    if from_units is not None:
        qs = qs.filter(from_unit__in=from_units)
    if not include_demo:
        qs = qs.filter(is_demo=False)
    by_level = request_counts_by_level(qs)
    if not by_level:
        return Section(key=key, title=title, blocks=[Paragraph(text=_("Ingen henvendelser er registrert."))])
    counts = "; ".join(f"{str(RequestLevel(level).label).lower()}: {by_level[level]}"
                       for level in to_levels if level in by_level)
    blocks = [Paragraph(text=_("%(n)s henvendelser (%(counts)s).") % {"n": sum(by_level.values()), "counts": counts})]
    by_goal = request_counts_by_goal(qs)
    if by_goal:
        blocks.append(Table(caption=_("Henvendelser per mål"), header=[_("Mål"), _("Henvendelser")],
                            rows=[[str(goal), str(n)] for goal, n in by_goal.items()]))
    examples = qs.select_related("from_unit").order_by("-created_at", "-pk")[:3]
    blocks.append(BulletList(items=[f"{r.title} ({unit_name(r.from_unit, lang)}{', ' + r.to_body if r.to_body else ''})"
                                    for r in examples]))
    return Section(key=key, title=title, blocks=blocks)

"""The section with a unit's agreed shared readings of the SDG targets (VLR, county review, VSR), each with its
citation."""

from __future__ import annotations

from django.apps import apps
from django.utils.translation import gettext as _

from dugnad.publications.document import Narrative, Paragraph, Section


def readings_sections(*, unit, lang: str, include_demo: bool, key: str = "readings",
                      title: str | None = None) -> list[Section]:
    """The section of the agreed readings of ``unit`` (the municipality, the county or the country), in official
    target order: the agreed text as written and its citation. No section (an empty list) when there are none."""
    title = title or _("Felles lesninger av delmålene")
    if unit is None or not apps.is_installed("dugnad.readings"):
        return []
    from dugnad.catalogue.titles import target_title
    from dugnad.readings.citation import citation
    from dugnad.readings.selectors import agreed_readings_of_unit

    readings = agreed_readings_of_unit(unit, include_demo=include_demo)
    if not readings:
        return []
    blocks = [Paragraph(text=_("Hva delmålene betyr her, slik de er omforent (%(n)s delmål). Hver lesning kan siteres "
                               "med versjonsnummeret.") % {"n": len(readings)})]
    for reading in readings:
        version = reading.agreed_version
        blocks.append(Paragraph(text=f"{reading.target.code} {target_title(reading.target.code, lang) or ''}".strip()))
        blocks.append(Narrative(text=version.text, lang=version.language))
        blocks.append(Paragraph(text=citation(version, lang)))
    return [Section(key=key, title=title, blocks=blocks)]

"""Template context shared by every page."""

from __future__ import annotations

from django.utils.translation import get_language

from dugnad.common.labels import demo_label
from dugnad.observations.provenance import banner_text
from dugnad.observations.selectors import data_mix


def demo_flag(request) -> dict:
    """The demo label in the page's language and the banner of the installation's data mix: the demo label when
    every imported value is demo, «Noen tall er demodata …» when real sources are loaded beside demo data, nothing
    without demo data. A view that knows its own values sets ``demo_banner`` itself (a page of real values only
    shows no banner; ``observations.provenance``)."""
    lang = get_language() or "nb"
    mix = data_mix()
    return {"has_demo_data": mix in ("demo", "mixed"), "demo_label": demo_label(lang),
            "demo_banner": banner_text(mix, lang)}

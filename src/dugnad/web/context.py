"""Template context shared by every page."""

from __future__ import annotations

import functools

from django.utils.translation import get_language

from dugnad.common.labels import demo_label
from dugnad.observations.provenance import banner_text
from dugnad.observations.selectors import data_mix


def demo_flag(request) -> dict:
    """The demo label in the page's language and the banner of the installation's data mix: the demo label when
    every imported value is demo, «Noen tall er demodata …» when real sources are loaded beside demo data, nothing
    without demo data. A view that knows its own values sets ``demo_banner`` itself (a page of real values only
    shows no banner; ``observations.provenance``).

    The data mix (two queries over the import runs) is read only when a template shows the banner: the values are
    callables the template calls, so a fragment such as a saved grid cell costs no query.
    """
    lang = get_language() or "nb"
    mix = functools.cache(data_mix)
    return {"has_demo_data": lambda: mix() in ("demo", "mixed"), "demo_label": demo_label(lang),
            "demo_banner": lambda: banner_text(mix(), lang)}

"""Fixed labels shown wherever generated demo values appear, in one place."""

from __future__ import annotations

#: The label on every generated demo value (bokmål; nynorsk uses the same words).
DEMO_LABEL_NB = "Demodata – ikke ekte tall"
#: The English form of the demo label.
DEMO_LABEL_EN = "Demo data – not real figures"


def demo_label(lang: str) -> str:
    """The demo label in a language (English for ``en*``, else the Norwegian form)."""
    return DEMO_LABEL_EN if lang.startswith("en") else DEMO_LABEL_NB

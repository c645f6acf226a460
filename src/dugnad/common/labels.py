"""Fixed labels shown wherever generated demo values appear, in one place.

The per-value rule (which value is demo, real or entered) is ``dugnad.observations.provenance``; the words it
shows are here, in bokmål, nynorsk and English, so the CLI, the API and the publications (which do not run with
a Django language active) show the same texts as the web.
"""

from __future__ import annotations

#: The label on every generated demo value (bokmål).
DEMO_LABEL_NB = "Demodata – ikke ekte tall"
#: The nynorsk form of the demo label.
DEMO_LABEL_NN = "Demodata – ikkje ekte tal"
#: The English form of the demo label.
DEMO_LABEL_EN = "Demo data – not real figures"

DEMO_LABELS = {"nb": DEMO_LABEL_NB, "nn": DEMO_LABEL_NN, "en": DEMO_LABEL_EN}
#: Values typed or uploaded by the unit itself (no published source behind them).
ENTERED_LABELS = {"nb": "Registrert av kommunen", "nn": "Registrert av kommunen", "en": "Entered by the municipality"}
#: A page or document where demo values and real values stand side by side.
MIXED_LABELS = {"nb": "Noen tall er demodata", "nn": "Nokre tal er demodata", "en": "Some figures are demo data"}
#: How many of a table's values are demo: «3 av 40 verdier er demodata».
DEMO_SHARE_LABELS = {"nb": "{demo} av {total} verdier er demodata", "nn": "{demo} av {total} verdiar er demodata",
                     "en": "{demo} of {total} values are demo data"}
#: The word before a real value's source.
SOURCE_WORDS = {"nb": "Kilde", "nn": "Kjelde", "en": "Source"}
#: The word before a real value's licence.
LICENCE_WORDS = {"nb": "lisens", "nn": "lisens", "en": "licence"}


def lang_key(lang: str | None) -> str:
    """``nb``, ``nn`` or ``en`` for a language code (``en-gb`` → ``en``, ``no``/unknown → ``nb``)."""
    lang = (lang or "nb").lower()
    return "en" if lang.startswith("en") else "nn" if lang.startswith("nn") else "nb"


def demo_label(lang: str) -> str:
    """The demo label in a language (``nb``, ``nn`` or ``en*``; anything else gets bokmål)."""
    return DEMO_LABELS[lang_key(lang)]


def mixed_label(lang: str) -> str:
    """«Noen tall er demodata» in a language."""
    return MIXED_LABELS[lang_key(lang)]


def demo_share_label(demo: int, total: int, lang: str) -> str:
    """«3 av 40 verdier er demodata» in a language."""
    return DEMO_SHARE_LABELS[lang_key(lang)].format(demo=demo, total=total)


def entered_label(lang: str) -> str:
    """«Registrert av kommunen» in a language."""
    return ENTERED_LABELS[lang_key(lang)]

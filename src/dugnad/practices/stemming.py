"""Norwegian text for search: tokens in lower case, common stop words removed, Snowball-stemmed (bokmål)."""

from __future__ import annotations

import re
from functools import lru_cache

import snowballstemmer

_WORD = re.compile(r"[0-9a-zæøåéèêóòôüäö]+", re.IGNORECASE)

#: Frequent bokmål function words that carry no meaning in a search (a subset of PostgreSQL's norwegian list).
_STOP_TEXT = """
og i jeg det at en et den til er som på de med han av ikke der så var meg seg men ett har om vi min mitt ha hadde
hun nå over da ved fra du ut sin dem oss opp man kan hans hvor eller hva skal selv sjøl her alle vil bli ble blitt
kunne inn når være kom noen noe ville dere deres kun ja etter ned skulle denne for deg si sine sitt mot å meget
hvorfor dette disse uten hvordan ingen din ditt blir samme hvilken hvilke sånn inni mellom vår hver hvem vors
dei der eit fordi også enn mer mye mange andre annet
"""
STOP_WORDS = frozenset(_STOP_TEXT.split())


@lru_cache(maxsize=1)
def _stemmer():
    return snowballstemmer.stemmer("norwegian")


def words(text: str) -> list[str]:
    """The lower-case words of a text, without stop words."""
    return [w for w in (m.group(0).lower() for m in _WORD.finditer(text or "")) if w not in STOP_WORDS]


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The Snowball stem of one lower-case word (cached: texts repeat words a lot)."""
    return _stemmer().stemWord(word)


def stems(text: str) -> list[str]:
    """The Snowball stems of a text's words (``barnehager`` and ``barnehagen`` both give ``barnehag``)."""
    return [stem(w) for w in words(text)]


def stemmed(text: str) -> str:
    """A text as space-separated stems, for the SQLite FTS5 index."""
    return " ".join(stems(text))

"""Titles of the 169 SDG targets in bokmål, nynorsk and English, shipped as ``data/target_titles.json``.

The shipped file is built by ``dugnad catalogue build-target-titles``: English from the UN's official target texts
(read from Open SDG's public translation file ``translations/en/global_targets.yml``, keys ``1-1-title``), bokmål
and nynorsk from the project's own short titles in ``data/target_titles_no.tsv``. Plain Python: no Django.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import yaml

from dugnad.catalogue.facts import DATA_DIR, target_codes

NORWEGIAN_FILE = DATA_DIR / "target_titles_no.tsv"
SHIPPED_FILE = DATA_DIR / "target_titles.json"
LANGUAGES = ("nb", "nn", "en")


class TitlesError(ValueError):
    """A problem in an input file, located by file and line or key."""


def read_norwegian(path: Path = NORWEGIAN_FILE) -> dict[str, tuple[str, str]]:
    """``code → (nb, nn)`` from the project's tab-separated file (``#`` lines are comments)."""
    titles: dict[str, tuple[str, str]] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 3 or not all(p.strip() for p in parts):
            raise TitlesError(f"{path}:{number}: expected 'code<TAB>bokmål<TAB>nynorsk', got {line!r}")
        code = parts[0].strip()
        if code in titles:
            raise TitlesError(f"{path}:{number}: target {code} is listed twice")
        titles[code] = (" ".join(parts[1].split()), " ".join(parts[2].split()))
    return titles


def read_english(path: Path) -> dict[str, str]:
    """``code → title`` from Open SDG's ``global_targets.yml`` (keys ``1-1-title``, ``17-19-title``)."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise TitlesError(f"{path}: not YAML: {error}") from error
    if not isinstance(raw, dict):
        raise TitlesError(f"{path}: expected a mapping of '<goal>-<target>-title' keys")
    titles = {}
    for key, value in raw.items():
        if not str(key).endswith("-title"):
            continue
        if not isinstance(value, str) or not value.strip():
            raise TitlesError(f"{path}: key {key}: empty title")
        titles[str(key)[: -len("-title")].replace("-", ".")] = " ".join(value.split())
    return titles


def build_target_titles(english: Path, norwegian: Path = NORWEGIAN_FILE) -> dict[str, dict[str, str]]:
    """The 169 targets' titles in official order; every target must have all three languages and no other code."""
    en, no = read_english(english), read_norwegian(norwegian)
    codes = target_codes()
    for source, found in ((english, set(en)), (norwegian, set(no))):
        missing = [c for c in codes if c not in found]
        extra = sorted(found - set(codes))
        if missing or extra:
            raise TitlesError(f"{source}: targets missing: {missing or 'none'}; not SDG targets: {extra or 'none'}")
    return {c: {"nb": no[c][0], "nn": no[c][1], "en": en[c]} for c in codes}


def titles_json(titles: dict[str, dict[str, str]]) -> str:
    """The shipped file's text (stable: same titles, same bytes)."""
    return json.dumps(titles, ensure_ascii=False, indent=1) + "\n"


@cache
def target_titles() -> dict[str, dict[str, str]]:
    """``code → {"nb", "nn", "en"}`` for the 169 targets, from the shipped file."""
    return json.loads(SHIPPED_FILE.read_text(encoding="utf-8"))


GOAL_TEXTS_NN_FILE = DATA_DIR / "goal_texts_nn.tsv"


@cache
def goal_texts_nn() -> dict[int, str]:
    """The 17 goals' full texts in nynorsk (``goals.yaml`` holds bokmål and English)."""
    texts = {}
    for number, line in enumerate(GOAL_TEXTS_NN_FILE.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip() and not line.startswith("#"):
            goal, _, text = line.partition("\t")
            if not goal.isdigit() or not text.strip():
                raise TitlesError(f"{GOAL_TEXTS_NN_FILE}:{number}: expected 'number<TAB>text'")
            texts[int(goal)] = text.strip()
    return texts


def target_title(code: str, lang: str) -> str:
    """A target's title in the language (bokmål when the language is unknown; '' for an unknown code)."""
    titles = target_titles().get(code, {})
    return titles.get(lang) or titles.get("nb", "")

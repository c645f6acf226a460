"""SDG facts written by the project: the 17 goals (colours, names) and the 169 target codes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

DATA_DIR = Path(__file__).resolve().parent / "data"
GOALS_FILE = DATA_DIR / "goals.yaml"

_TARGET_RE = re.compile(r"^(\d{1,2})\.(\d{1,2}|[a-z])$")
_INDICATOR_RE = re.compile(r"^(\d{1,2})\.(\d{1,2}|[a-z])\.(\d{1,2})$")


@dataclass(frozen=True)
class GoalFact:
    """One goal as written in ``goals.yaml``."""

    number: int
    colour: str
    name_nb: str
    name_nn: str
    name_en: str
    title_nb: str
    title_en: str
    target_codes: tuple[str, ...]


@cache
def goal_facts() -> tuple[GoalFact, ...]:
    """The 17 goals with their target codes, read from the project's ``goals.yaml``."""
    raw = yaml.safe_load(GOALS_FILE.read_text(encoding="utf-8"))
    goals = []
    for item in raw["goals"]:
        number = int(item["number"])
        spec = item["targets"]
        codes = [f"{number}.{i}" for i in range(1, int(spec["numbered"]) + 1)]
        codes += [f"{number}.{letter}" for letter in spec.get("lettered") or ""]
        goals.append(
            GoalFact(
                number=number,
                colour=item["colour"],
                name_nb=item["name_nb"],
                name_nn=item["name_nn"],
                name_en=item["name_en"],
                title_nb=" ".join(str(item["title_nb"]).split()),
                title_en=" ".join(str(item["title_en"]).split()),
                target_codes=tuple(codes),
            )
        )
    return tuple(goals)


def target_codes() -> tuple[str, ...]:
    """All 169 target codes in official order (1.1 … 1.5, 1.a, 1.b, 2.1 …)."""
    return tuple(code for goal in goal_facts() for code in goal.target_codes)


def target_sort_key(code: str) -> str:
    """Sort key of a target code that orders 1.9 < 1.10 < 1.a and 2.1 after 1.b (e.g. ``01.010``, ``01.a``)."""
    match = _TARGET_RE.match(code)
    if not match:
        raise ValueError(f"not an SDG target code: {code!r}")
    goal, part = match.groups()
    return f"{int(goal):02d}.{int(part):03d}" if part.isdigit() else f"{int(goal):02d}.{part}"


def indicator_sort_key(code: str) -> str:
    """Sort key of an indicator code: UN ``3.2.1`` → target key plus padded number; digits zero-padded; else the code."""
    match = _INDICATOR_RE.match(code)
    if not match:
        return code.zfill(12) if code.isdigit() else code
    goal, part, number = match.groups()
    return f"{target_sort_key(f'{goal}.{part}')}.{int(number):03d}"


def is_target_code(code: str) -> bool:
    """Whether the text has the shape of a target code (``3.2``, ``17.19``, ``4.a``)."""
    return bool(_TARGET_RE.match(code))


def is_indicator_code(code: str) -> bool:
    """Whether the text has the shape of a UN indicator code (``3.2.1``, ``4.a.1``)."""
    return bool(_INDICATOR_RE.match(code))

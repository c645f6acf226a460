"""Fixtures of publication tests: the published world (reporting World, 17 goals, values, round, score run), a PDF reader."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass

import pytest

from dugnad.catalogue.facts import goal_facts
from dugnad.catalogue.models import Goal
from dugnad.rounds.editing import submission_answer_save, submission_narrative_save
from dugnad.rounds.models import Round
from dugnad.rounds.services import submission_approve, submission_submit
from dugnad.scores.services import score_run_create
from tests.factories import GoalFactory, ObservationFactory, World, round_national, submission_of, world_build

#: Values of indicator T-A by unit and year (the figures the PDF tests look for).
VALUES_A = {
    "4601": {"2021": 61.0, "2022": 63.5, "2023": 66.0, "2024": 68.25, "2025": 71.5},
    "4602": {"2021": 40.0, "2022": 42.0, "2023": 41.0, "2024": 45.0, "2025": 47.0},
    "0301": {"2021": 80.0, "2022": 81.0, "2023": 82.0, "2024": 83.0, "2025": 84.0},
    "46": {"2021": 55.0, "2022": 56.0, "2023": 57.0, "2024": 58.0, "2025": 59.0},
    "0": {"2021": 65.0, "2022": 66.0, "2023": 67.0, "2024": 68.0, "2025": 69.0},
}
#: Survey answers (yes/no, scale, choice) of the units that deliver; the VSR tests count these by hand.
ANSWERS = {"4601": ("ja", 4, "Rådmann"), "4602": ("nei", 2, "Ordfører"), "0301": ("ja", 5, "Rådmann")}
OPENING = "Vi bruker **bærekraftsmålene** i all planlegging."


@dataclass
class Published:
    """The test world with its round."""

    world: World
    round: Round


def goals_ensure() -> list[Goal]:
    """All 17 goals with their real names in nb, nn and en (from the catalogue's goals.yaml)."""
    goals = []
    for fact in goal_facts():
        goal = GoalFactory(number=fact.number)
        goal.colour, goal.name_nb, goal.name_nn, goal.name_en = fact.colour, fact.name_nb, fact.name_nn, fact.name_en
        goal.save()
        goals.append(goal)
    return goals


def published_world(*, demo: bool = False, deliver: bool = True) -> Published:
    """World, values 2021–2025, a national round with narratives and answers, delivered submissions and a score run."""
    goals_ensure()
    w = world_build()
    a, b, c = w.indicators
    for code, series in VALUES_A.items():
        for period, value in series.items():
            ObservationFactory(unit=w.units[code], indicator=a, period=period, value=value)
            ObservationFactory(unit=w.units[code], indicator=b, period=period, value=value / 2)
            ObservationFactory(unit=w.units[code], indicator=c, period=period, value=100 - value)
    round_ = round_national(w, is_demo=demo)
    admin = w.users["admin"]
    if deliver:
        for code, (yes, scale, choice) in ANSWERS.items():
            sub = submission_of(round_, code)
            submission_narrative_save(user=admin, submission=sub, key="chapter:opening", text=OPENING, version=0)
            submission_narrative_save(user=admin, submission=sub, key="goal:3", text=f"Helse i {code}.", version=0)
            answers = dict(zip(("yes_no", "scale", "choice"), (yes, scale, choice), strict=True))
            for question in round_.questions.all():
                if question.kind in answers:
                    submission_answer_save(user=admin, submission=sub, question=question, raw=answers[question.kind],
                                           version=0)
            sub = submission_submit(user=admin, submission=sub, confirm_incomplete=True)
            if code == "0301":
                submission_approve(user=w.users["ks"], submission=sub)
    score_run_create(year=2025)
    return Published(world=w, round=round_)


@pytest.fixture
def published(db):
    """The published test world (three delivered submissions, a score run)."""
    return published_world()


def pdf_text(content: bytes, tmp_path) -> list[str]:
    """The text of each page of a PDF (pdftotext), whitespace collapsed."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    path = tmp_path / "doc.pdf"
    path.write_bytes(content)
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True).stdout.decode()
    return [" ".join(page.split()) for page in text.split("\f") if page.strip()]

"""The demo's score run: the generated values scored with the demo specifications (reused when unchanged)."""

from __future__ import annotations

from dugnad.scores.services import score_run_create


def demo_scores_ensure() -> str:
    """Score the demo values (a new run, or the unchanged one reused); its summary line."""
    return score_run_create().summary()

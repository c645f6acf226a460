"""The demo providers, one per domain, in the order ``demo_load`` walks them (after values and users exist)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from dugnad.demo.actions import demo_actions_ensure
from dugnad.demo.networks import demo_networks_ensure
from dugnad.demo.readings import demo_readings_ensure
from dugnad.demo.requests import demo_requests_ensure
from dugnad.demo.rounds import demo_round_ensure
from dugnad.demo.scores import demo_scores_ensure
from dugnad.demo.targets import demo_targets_ensure


@dataclass(frozen=True)
class DemoProvider:
    """One domain's demo content: the label of its summary line and an idempotent function that ensures it."""

    label: str
    ensure: Callable[[], str]


#: Walked in order: scores first (the networks' shared gaps read them), the round last.
PROVIDERS: tuple[DemoProvider, ...] = (
    DemoProvider("Poengberegning", demo_scores_ensure),
    DemoProvider("Tiltak", demo_actions_ensure),
    DemoProvider("Nettverk", demo_networks_ensure),
    DemoProvider("Henvendelser", demo_requests_ensure),
    DemoProvider("Lokale mål", demo_targets_ensure),
    DemoProvider("Felles lesninger", demo_readings_ensure),
    DemoProvider("Rapporteringsrunde", demo_round_ensure),
)

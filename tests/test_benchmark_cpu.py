"""``benchmarks/rounds_load.py`` counts PostgreSQL's CPU per backend (``CpuLedger``): a backend that worked before the
run and ended during it no longer makes the figure negative."""

from __future__ import annotations

import os
import subprocess
import sys

from benchmarks.rounds_load import CpuLedger, _process_times


def test_backends_that_end_or_start_during_the_run_count_only_their_own_cpu():
    # (pid, start) → CPU seconds: A worked 10 s before the run, 0.5 s more, then ended; B went on (5 → 7);
    # C started during the run (2 s). The run used 0.5 + 2 + 2 = 4.5 s.
    samples = iter([{("A", 1): 10.0, ("B", 1): 5.0}, {("A", 1): 10.5, ("B", 1): 6.0, ("C", 9): 1.0},
                    {("B", 1): 7.0, ("C", 9): 2.0}])
    ledger = CpuLedger(lambda: next(samples), every=3600).start()
    ledger.sample()
    assert ledger.stop() == 4.5
    # The old figure, totals at each end: (7 + 2) − (10 + 5) = −6.


def test_a_reused_pid_is_a_new_process():
    samples = iter([{(42, 100): 8.0}, {(42, 700): 1.5}])
    assert CpuLedger(lambda: next(samples), every=3600).start().stop() == 8.0 - 8.0 + 1.5


def test_process_times_read_a_live_process_and_none_for_an_ended_one():
    start, cpu = _process_times(os.getpid())
    assert start > 0 and cpu > 0
    child = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True,
                           check=True)
    assert _process_times(int(child.stdout)) is None

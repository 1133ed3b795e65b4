"""The limits of a code group's runs, here so the CLI can show their defaults without importing the runner."""

from __future__ import annotations

# Mirror steps (statements and loop heads the interpreter counts: models.machine.Machine.step) one code group (one
# piece of code over the scenarios of an entry point and translation unit) may take in all; the runs past it are cut
# short (limit ``time``: unknown, never a pass). A count, not seconds: where a runaway loop stops, and so a verdict,
# is the same on a loaded host and an idle one. The corpus' longest group takes 944 steps over its 70 scenarios (its
# longest run 36): a million is a thousand times that, and some 5 s of mirror on this project's machine idle (one
# runaway run takes the per-run budget, 100,000 steps a loop, about half a second), as the wall-clock budget was.
STEP_BUDGET = 1_000_000

# Wall-clock seconds one code group may run: a backstop well above what STEP_BUDGET takes idle, for a host so loaded
# (or a step so slow) that the steps alone would take minutes. What it cuts short depends on the host: never kept.
TIME_BUDGET = 60.0

"""Wall-clock limits of a run, here so the CLI can show their defaults without importing the runner."""

from __future__ import annotations

# Seconds one code group (one piece of code over the scenarios of an entry point and translation unit)
# may run. The corpus's groups take milliseconds; a runaway loop takes ~0.4 s per scenario (the step
# budget), so without this a patch that loops forever costs minutes per entry point.
TIME_BUDGET = 5.0

"""The worker's outcome cache, shared by the gate tests whose subject is the mail read, not the code run."""

from __future__ import annotations

from pathlib import Path


def shared_outcomes() -> Path:
    """The folder ``seamharness gate`` itself caches in: under the session's private XDG_CACHE_HOME
    (tests/conftest.py), one per xdist worker. Tests of what a reply says run the same generated code over and
    over (some 600 mirror runs a gate, 0.5 s of CPU); with this cache only a worker's first run of that code runs
    it and the rest read its outcomes, keyed by the code and matrix (harness.outcome_cache), as a user's second
    gate would. That a gate from the cache gives the same verdicts as one that ran is tested on its own
    (test_gate.py::test_gate_verdicts_are_the_same_from_the_outcome_cache)."""
    from harness.outcome_cache import default_cache_dir

    return default_cache_dir()

"""A run's per-CPU and once state: the fields (and their one method) models.machine.Machine takes from its base."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

_U64 = (1 << 64) - 1


# A base of Machine, not a member of it: its fields stay the machine's own attributes (m.percpu, m.once), read as
# fast as its other slots. One class: a slotted class takes one slotted base, and each class made costs every run's
# import. State made fresh by Machine's __init__, none of it a parameter: what a run is given (its CPU, the
# compiler's once sites, the noinline functions) is Machine's (a keyword-only parameter with a default costs each
# call a dict lookup).
@dataclass(slots=True)
class PercpuOnceState:
    """The code's per-CPU variables as this_cpu_*() and the SEAMCALL records see them, and the run's once statics."""

    percpu: dict[str, int] = field(default_factory=dict, init=False)
    # Per-CPU variables the code declares live in their objects (this_cpu_ptr() reaches them too): how to read
    # each one a this_cpu_*() op wrote, for the value a SEAMCALL sees (models.kernel).
    percpu_live: dict[str, Callable[[], Any]] = field(default_factory=dict, init=False)
    # A per-CPU bool's byte where an instruction-built this_cpu_write() left it 2 to 255 (the C-assignment build
    # holds 1): models.percpuops.percpu_byte() refuses a byte operation on it
    percpu_bytes: dict[str, int] = field(default_factory=dict, init=False)
    # The code's per-CPU objects watched for stores made otherwise than by this_cpu_*() (models.percpuwatch.Watch)
    percpu_watch: Any = field(default=None, init=False)

    # The statics behind the run's _once and ratelimited calls, and the copies of the code a WARN_ON_ONCE() warned in
    # (models.onceunits).
    once: dict[str, int] = field(default_factory=dict, init=False)  # per call site: WARN_ONCE, pr_*_once, ratelimit
    once_copies: dict[str, tuple[str, ...]] = field(default_factory=dict, init=False)  # onceunits.warned_before
    once_units: dict[str, str] = field(default_factory=dict, init=False)  # a header's site -> first unit (onceunits)

    def percpu_listed(self) -> None:
        """``percpu`` holding each per-CPU variable's value now where a store other than this_cpu_*() changed it
        (``percpu_live``: models.percpuwatch), as a SEAMCALL record lists them."""
        for name, get in self.percpu_live.items():
            self.percpu[name] = int(get()) & _U64

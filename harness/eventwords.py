"""A run's recorded events (models.locking, models.percpuops, WARN) in a kernel maintainer's words."""

from __future__ import annotations

from models.machine import Event

# Each kind of event, as a list of kinds names it (what the runs record of it).
KIND_WORDS = {
    "preempt": "preempt count changes",
    "percpu-write": "per-CPU writes",
    "lock": "lock operations",
    "irq": "interrupt disables and enables",
    "warning": "warnings",
    "violation": "context violations",
}


def event_text(e: Event) -> str:
    """``preempt count becomes 1``, ``per-CPU write x = 1``, ``lock l released``, ``interrupts disabled``."""
    if e.kind == "preempt" and e.detail.startswith("count "):  # models.locking: the count after the change
        return f"preempt count becomes {e.detail.removeprefix('count ')}"
    lead = {"percpu-write": "per-CPU write", "lock": "lock", "irq": "interrupts", "warning": "warning"}.get(e.kind)
    return f"{lead} {e.detail}" if lead else f"{e.kind}: {e.detail}"


def kinds_text(kinds: list[str]) -> str:
    """The kinds of event a run recorded, or ``none``."""
    return ", ".join(KIND_WORDS.get(k, k) for k in kinds) or "none"


def first_change_text(a: tuple[Event, ...], b: tuple[Event, ...]) -> str:
    """The first event two runs record differently, numbered from 1; a run with fewer events says where it ended:
    ``event 4 differs first: none (the run ended after 3 events) -> preempt count becomes 1``."""
    i = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if (x.kind, x.detail) != (y.kind, y.detail)),
             min(len(a), len(b)))

    def show(events: tuple[Event, ...]) -> str:
        if i < len(events):
            return event_text(events[i])
        return f"none (the run ended after {len(events)} event{'s' if len(events) != 1 else ''})"

    return f"event {i + 1} differs first: {show(a)} -> {show(b)}"

"""A run's recorded events (models.locking, models.percpuops, WARN) in a kernel maintainer's words."""

from __future__ import annotations

from models.machine import Event
from models.preemptleak import PREEMPT_LEAK

# Each kind of event, as a list of kinds names it (what the runs record of it).
KIND_WORDS = {
    "preempt": "preempt count changes",
    "percpu-write": "per-CPU writes",
    "lock": "lock operations",
    "irq": "interrupt disables and enables",
    "rcu": "RCU read-side nesting changes",
    "migrate": "migrate-disable nesting changes",
    "warning": "warnings",
    "violation": "context violations",
}


class TraceNote(str):
    """A comparison note that is the event trace's detail (which events, in what order), not a count or a value:
    what a fact told before it (one more SEAMCALL, another return) mostly says already (harness.explain.trace_detail).
    A str, so it is counted, shown and written as any note; pickled (workers) it stays one."""

    __slots__ = ()


def event_text(e: Event) -> str:
    """``preempt count becomes 1``, ``per-CPU write x = 1``, ``lock l released``, ``interrupts disabled``,
    ``RCU read-side depth becomes 1``."""
    # models.locking records the count or depth after the change: "count 1", "depth 1".
    if e.kind == "preempt" and e.detail.startswith("count "):
        return f"preempt count becomes {e.detail.removeprefix('count ')}"
    if e.kind in _DEPTHS and e.detail.startswith("depth "):
        return f"{_DEPTHS[e.kind]} becomes {e.detail.removeprefix('depth ')}"
    if e.kind == "violation" and PREEMPT_LEAK in e.detail and ":" in e.where:  # the disable not undone (native: none)
        return f"violation: {e.detail}, disabled at {e.where}"
    lead = {"percpu-write": "per-CPU write", "lock": "lock", "irq": "interrupts", "warning": "warning"}.get(e.kind)
    return f"{lead} {e.detail}" if lead else f"{e.kind}: {e.detail}"


_DEPTHS = {"rcu": "RCU read-side depth", "migrate": "migrate-disable depth"}


def kinds_text(kinds: list[str]) -> str:
    """The kinds of event a run recorded, or ``none``."""
    return ", ".join(KIND_WORDS.get(k, k) for k in kinds) or "none"


def first_change(a: tuple[Event, ...], b: tuple[Event, ...]) -> int | None:
    """Where two runs' recorded events first differ (a run that ended earlier differs where it ended), or None."""
    i = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if (x.kind, x.detail) != (y.kind, y.detail)),
             min(len(a), len(b)))
    return i if i < max(len(a), len(b)) else None


def event_at(events: tuple[Event, ...], i: int) -> str:
    """A run's event ``i`` (from 0) in words, or where the run ended before it: ``none (the run ended after 3
    events)``. Of two runs, the one that ended earlier recorded fewer than the cap, so it did end there."""
    if i < len(events):
        return event_text(events[i])
    return f"none (the run ended after {len(events)} event{'s' if len(events) != 1 else ''})"


def first_change_text(a: tuple[Event, ...], b: tuple[Event, ...]) -> TraceNote:
    """The first event two runs record differently, numbered from 1; a run with fewer events says where it ended:
    ``event 4 differs first: none (the run ended after 3 events) -> preempt count becomes 1``."""
    i = first_change(a, b)
    i = min(len(a), len(b)) if i is None else i
    return TraceNote(f"event {i + 1} differs first: {event_at(a, i)} -> {event_at(b, i)}")


def repeats(events: tuple[Event, ...]) -> list[tuple[tuple[str, ...], int]]:
    """A run's events in words, a block that recurs back to back once with its count: ten retries' ``preempt count
    becomes 1, per-CPU write x = 1, preempt count becomes 0`` are that block and 10, not thirty items to count."""
    words = [event_text(e) for e in events]
    out: list[tuple[tuple[str, ...], int]] = []
    i = 0
    while i < len(words):
        best: tuple[int, int] = (1, 1)  # size, times: the block at i that covers the most events, the shortest of those
        for size in range(1, (len(words) - i) // 2 + 1):
            n = 1
            while words[i + n * size:i + (n + 1) * size] == words[i:i + size]:
                n += 1
            # Two single events in a row read as they are: a count pays off from three events covered.
            if n > 1 and size * n >= 3 and size * n > best[0] * best[1]:
                best = (size, n)
        out.append((tuple(words[i:i + best[0]]), best[1]))
        i += best[0] * best[1]
    return out

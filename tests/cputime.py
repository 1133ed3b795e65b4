"""CPU seconds for the tests' complexity guards: what this process and its finished children used, which a
loaded host does not inflate as it does wall-clock time (a guard then fails on the code, not on the host)."""

from __future__ import annotations

import resource
import time


def cpu_seconds() -> float:
    """User and system CPU seconds of this process and of its children that have been waited for."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime

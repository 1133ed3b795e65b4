"""CPU seconds for the tests' complexity guards, which a loaded host inflates less than wall time.

CPU seconds for the tests' complexity guards: what this process and its finished children used, which a
loaded host inflates less than wall-clock time (a guard then fails on the code, not on the host).

Less, not nothing: with two xdist workers on a loaded 2-core host CPU seconds grow up to some 2.6x (test_spans: 2.1 s
quiet, 5.4 s once in .ci/run). A guard's line is at least three times the cost measured with ``-n 2`` beside another
run (the worst seen, or CI's), and below what the quadratic code it guards against costs on a quiet host, shown by
running that code (the commit before the fix). Where no line fits both at a size, the size grows (test_spans) or the
guard counts operations instead (tests/models/native/test_run.py counts the children started)."""

from __future__ import annotations

import resource
import time


def cpu_seconds() -> float:
    """User and system CPU seconds of this process and of its children that have been waited for."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime

"""CPU seconds for the few complexity guards no operation count sees: a regex match's own backtracking.

The tests count operations, not seconds (tests/linesrun.py: lines run, the inputs patterns are handed; a
subclass of the input counting its copies; calls of the costly function). What is left here guards work done
inside one call of re's C engine (the backtracking of a pattern on one long line), which no count made in this
process sees: line events stop at the call, the input handed is the same for the linear and the exponential
pattern, and sre's periodic signal check cannot be re-armed from a Python handler (the handler's own check takes
the signal at once). CPU seconds, which a loaded host inflates less than wall time: what this process and its
finished children used. A guard's line is at least three times the cost measured with ``-n 2`` beside another run,
and far below what the backtracking code it guards against costs (the inputs are sized so that it runs for hours).
The way to retire these: a benchmark outside pytest that counts instructions (valgrind's callgrind) at two
sizes."""

from __future__ import annotations

import resource
import time


def cpu_seconds() -> float:
    """User and system CPU seconds of this process and of its children that have been waited for."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime

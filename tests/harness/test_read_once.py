"""Per-object results the judge and the report ask for again and again are worked out once.

Per-object results the judge and the report ask for again and again are worked out once: an outcome's one-line
description, and where a file defines DEBUG (files no patch changes are shared by every state)."""

from __future__ import annotations

from harness.explain import describe
from harness.filestate import FileState
from harness.prfmt import _debug_line
from models.machine import LogLine
from models.outcome import Outcome, OutcomeStatus


def test_an_outcome_described_once() -> None:
    o = Outcome(OutcomeStatus.OK, ret=-5, errno="EIO", log=(LogLine("err", "failed"),))
    first = describe(o)
    assert first == "0 SEAMCALLs, returns -EIO, logs 'failed'"
    assert describe(o) is first and describe(Outcome(OutcomeStatus.OK, ret=-5, errno="EIO",
                                                     log=(LogLine("err", "failed"),))) is first  # equal: one line


def test_debug_line_read_once_per_file() -> None:
    lines = {1: ("#include <linux/printk.h>", "base"), 7: ("#define DEBUG 1", "base"), 3: ("  # define DEBUG", "base"),
             4: ("#define DEBUGGING", "base"), 9: ("/* DEBUG */", "base")}
    lines.update({n: ("", "base") for n in range(1, 10) if n not in lines})  # whole: every line known
    f = FileState("a.c", True, lines, 9, ("base",))
    assert _debug_line(f) == 3  # the first line that defines it, not the first in the dict
    f.lines.clear()
    assert _debug_line(f) == 3  # read once: a file object's lines do not change
    other = FileState("b.c", True, {1: ("", "base"), 2: ("#define DEBUGGING", "base")}, 2, ("base",))
    assert _debug_line(other) is None

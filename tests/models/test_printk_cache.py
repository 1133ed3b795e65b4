"""printk output kept per format and typed arguments: the same text as vsnprintf() each time, warnings per run."""

from __future__ import annotations

import pytest

from models import printkargs
from models.errors import UnsupportedConstruct
from models.machine import Machine, StrVal
from models.printk import NarrowInt, vsnprintf


def test_kept_output_is_vsnprintfs_and_warns_in_every_run() -> None:
    printkargs._FORMATTED.clear()
    fmt = StrVal(b"%x %p %s %y")
    args = [NarrowInt(-1), None, StrVal(b"ab")]
    want = vsnprintf(fmt.data, printkargs.printk_args(args))
    assert want.warnings
    for _ in range(2):  # the second from what was kept
        m = Machine(())
        assert printkargs.formatted(m, [fmt, *args], "a.c:3") == want.text
        assert [e.detail for e in m.events] == want.warnings  # the WARN_ONCE is each run's own


def test_an_int_and_a_narrow_int_are_kept_apart() -> None:
    printkargs._FORMATTED.clear()
    fmt = StrVal(b"%lx")
    assert printkargs.formatted(Machine(()), [fmt, 5], "a.c:4") == b"5"
    with pytest.raises(UnsupportedConstruct, match="32-bit int"):  # %lx of an int: its upper half is undefined
        printkargs.formatted(Machine(()), [fmt, NarrowInt(5)], "a.c:4")

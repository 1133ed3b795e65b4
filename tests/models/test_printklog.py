"""The kernel log as vprintk_store() leaves it: KERN_<level> prefixes, records cut at their size, pr_cont()."""

from __future__ import annotations

import pytest

from models.capped import Record
from models.machine import LogLine
from models.printklog import add_log, level_prefix, printk_level, stored_length
from tests.models.cprog import run


@pytest.mark.parametrize(("text", "level", "rest"), [
    (b"\x013failed", "err", b"failed"),
    # printk_parse_prefix(): every leading prefix comes off, the first level counts, KERN_CONT anywhere among
    # them makes a continuation (with a level of its own for when nothing is open).
    (b"\x013\x016x", "err", b"x"),
    (b"\x01c\x013x", "cont:err", b"x"),
    (b"\x014\x01cx", "cont:warning", b"x"),
    (b"\x01cx", "cont", b"x"),
    # printk_get_level(): KERN_SOH followed by anything but 0-7 or c is no prefix: it stays in the text.
    (b"\x01x hello", "default", b"\x01x hello"),
    (b"\x01", "default", b"\x01"),
    (b"\x013\x01d", "err", b"\x01d"),
    (b"a\x013", "default", b"a\x013"),
])
def test_printk_level_prefixes(text: bytes, level: str, rest: bytes) -> None:
    assert printk_level(text) == (level, rest)


def _store(log: Record[LogLine], text: bytes, is_open: int) -> int:
    level, rest = printk_level(text)
    return add_log(log, level, rest, b"", is_open, len(text) - len(rest))


def test_continuations() -> None:
    log: Record[LogLine] = Record()
    is_open = _store(log, level_prefix("err") + b"a", 0)
    is_open = _store(log, level_prefix("cont") + level_prefix("info") + b"b", is_open)
    assert [tuple(x) for x in log] == [("err", "ab")] and is_open == 3
    is_open = _store(log, level_prefix("cont") + b"c\n", is_open)
    # Nothing open: KERN_CONT with a level starts a record at that level, without one at the default level.
    is_open = _store(log, level_prefix("cont") + level_prefix("info") + b"d\n", is_open)
    is_open = _store(log, level_prefix("cont") + b"e", is_open)
    assert [tuple(x) for x in log] == [("err", "abc"), ("info", "d"), ("default", "e")] and is_open == 2


def test_a_continuation_that_does_not_fit_the_open_record_starts_its_own() -> None:
    # prb_reserve_in_last() fails when the open record's length plus vprintk_store()'s reserve_size (the
    # formatted text with its prefix, + 1) passes PRINTKRB_RECORD_MAX (1024): the text becomes a record of
    # its own, at the default level.
    log: Record[LogLine] = Record()
    is_open = _store(log, level_prefix("err") + b"x" * 1000 + b" ", 0)
    assert is_open == 1002
    fits = _store(log, level_prefix("cont") + b"y" * 21, is_open)  # 1001 + 2 + 21 + 1 = 1025 > 1024
    assert [x.text for x in log] == ["x" * 1000 + " ", "y" * 21] and log[1].level == "default"
    log = Record()
    is_open = _store(log, level_prefix("err") + b"x" * 1001, 0)
    fits = _store(log, level_prefix("cont") + b"y" * 20, is_open)  # 1001 + 2 + 20 + 1 = 1024: appended
    assert [x.text for x in log] == ["x" * 1001 + "y" * 20] and fits == 1022
    assert stored_length(b"x" * 2000, 2) == 1021


def test_a_level_an_argument_brings_and_kern_cont_in_pr_err() -> None:
    # vprintk_store() reads the prefixes at the start of the formatted text: a "%s" of KERN_INFO gives printk()
    # its level; pr_err(KERN_CONT "...") continues the open line when no pr_fmt prefix comes between
    # KERN_ERR and KERN_CONT, and with one the KERN_CONT is text; a lone KERN_SOH stays in the text.
    code = ('long f(u64 fn, struct tdx_module_args *args)\n{\n'
            '\tprintk("%sstart ", KERN_INFO);\n\tpr_err(KERN_CONT "more");\n\tpr_cont(" end\\n");\n'
            '\tprintk("\\001x odd\\n");\n\treturn 0;\n}\n')
    out = run(code)
    assert out.status == "ok", out.error
    assert [tuple(x) for x in out.log] == [("info", "start more end"), ("default", "\x01x odd")]
    out = run(code, pr_fmt="tdx: ")
    assert [tuple(x) for x in out.log] == [("info", "start "), ("err", "tdx: \x01cmore end"), ("default", "\x01x odd")]

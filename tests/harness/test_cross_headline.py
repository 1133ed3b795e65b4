"""The cross-check's headline when gcc compared nothing (harness.crossview.headline): never '0 of 0 outcomes agree'."""

from __future__ import annotations

from harness.crossview import CrossRow, counted, headline

WHY = "seamcall: its struct tdx_module_args is not the 13 u64 registers rcx ... rsi in the order the native " \
      "harness passes them"


def test_nothing_compared_says_so_with_the_first_reason() -> None:
    # eval --crosscheck of a series of my own (a tree whose struct has 4 registers) printed
    # 'crosscheck (cc): 0 of 0 outcomes agree: 0 of 0 built from the variants' own text (an independent check)'.
    rows = (CrossRow("v1", 0, 0, (counted(WHY, 66), counted("seamcall_ret: the same", 66)), ()),
            CrossRow("v2", 0, 0, (counted(WHY, 66),), ()))
    assert headline(rows) == f"nothing compared: {WHY} (and 1 other reason: below)"
    assert headline((CrossRow("v1", 0, 0, (counted(WHY, 66),), ()),)) == f"nothing compared: {WHY}"
    assert headline(()) == "nothing compared"


def test_something_compared_is_counted_as_before() -> None:
    rows = (CrossRow("v1", 3, 3, (counted(WHY, 66),), (), text_compared=3, text_agreed=3),)
    assert headline(rows).startswith("3 of 3 outcomes agree: 3 of 3 built from the variants' own text")

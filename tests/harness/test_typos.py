"""harness.typos: a likely typo is a slip of a letter or two, not another word of a name."""

from __future__ import annotations

import pytest

from harness.typos import distance, likely_typo, typo_of


@pytest.mark.parametrize(("a", "b", "edits"), [
    ("seamcall", "seamcall", 0), ("seamcal", "seamcall", 1), ("seamcall_perrr", "seamcall_prerr", 1),
    ("ab", "ba", 1), ("install", "shutdown", 7), ("", "abc", 3), ("ca", "abc", 3),
])
def test_distance(a: str, b: str, edits: int) -> None:
    assert distance(a, b) == edits == distance(b, a)


@pytest.mark.parametrize(("name", "other"), [
    ("seamcall_prer", "seamcall_prerr"), ("seamcall_perrr", "seamcall_prerr"), ("seamcalll_prerr", "seamcall_prerr"),
    ("SEAMCALL_PRERR", "seamcall_prerr"), ("seamcall-prerr", "seamcall_prerr"), ("seamcallprerr", "seamcall_prerr"),
    ("__seamcall", "_seamcall"), ("tdx_sys_ini", "tdx_sys_init"), ("demo_prer", "demo_prerr"), ("fo", "foo"),
])
def test_a_slip_is_a_typo(name: str, other: str) -> None:
    assert likely_typo(name, other)


@pytest.mark.parametrize(("name", "other"), [
    ("seamldr_install", "seamldr_shutdown"), ("tdx_sys_init", "tdx_sys_exit"), ("seamldr_info", "seamldr_init"),
    ("seamcall_ret", "seamcall_saved_ret"), ("seamcall_prerr", "seamcall_prerr"), ("seamldr_install", "seamcall"),
    ("ab", "cd"), ("seamcall_pre", "seamcall_prerr"),
])
def test_another_word_is_no_typo(name: str, other: str) -> None:
    assert not likely_typo(name, other)


def test_typo_of_names_the_nearest() -> None:
    assert typo_of("seamcall_pret", ["seamcall_prerr", "seamcall_pre", "seamcall_ret"]) == "seamcall_pre"
    assert typo_of("seamldr_install", ["seamldr_shutdown", "seamcall"]) is None

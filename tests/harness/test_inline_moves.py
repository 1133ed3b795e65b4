"""A helper inlined into its callers, said as what moved: the helper, into which callers, how much of it the same."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from harness.inlined import _in_every_lcs
from tests.harness.test_helper_split import _eval, _inlined, _split
from tests.harness.test_own_series_notes import BASE

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git (format-patch, the mails' maker) is missing")


def test_an_inlined_helper_is_the_move_not_its_callers(tmp_path: Path) -> None:
    """Before: 'moves tdx_sys_init (body 0% the same: changed in the move), tdx_sys_lp_init (body 0% the same: changed
    in the move)', of two functions that stayed where they were (git's hunks paired their first lines with the gone
    helper's); the body of tdx_call_checked(), its parameters put as the arguments, is 92% of what each caller gains
    (the '(u64)' cast before TDH_SYS_INIT is the rest)."""
    out = _eval(tmp_path, _inlined())
    [line] = [ln for ln in out.splitlines() if ln.startswith("code-move")]
    assert "moves tdx_sys_init" not in line and "body 0% the same" not in line, line
    assert ("inlines tdx_call_checked into tdx_sys_init, tdx_sys_lp_init (its body 92%, 92% the same as the code "
            "each gains in its place) (arch/x86/virt/vmx/tdx/tdx.c) without changing behaviour (94 scenarios of "
            "tdx_sys_init, tdx_sys_lp_init ran on both sides)") in line, line


def test_a_helper_dropped_for_other_code_is_no_inline(tmp_path: Path) -> None:
    """The callers now call tdx_call_again() and return its status as it is: nothing of the helper's test and message
    came with it, so nothing moved (and nothing is said as a move)."""
    text = _inlined()
    for leaf in ("TDH_SYS_INIT", "TDH_SYS_LP_INIT"):
        head = f"\tu64 ret = tdx_call_again(__seamcall, {leaf}, &args);"
        start = text.index(head)
        text = text[:start] + f"\treturn tdx_call_again(__seamcall, {leaf}, &args) ? -EIO : 0;" + \
            text[text.index("\treturn -EIO;", start) + len("\treturn -EIO;"):]
    out = _eval(tmp_path, text)
    assert "inlines tdx_call_checked" not in out and "moves tdx_sys_init" not in out, out


def test_two_helpers_merged_into_one_is_no_inline(tmp_path: Path) -> None:
    """The split undone: tdx_seamcall() and tdx_status_to_errno() merged into tdx_call_checked(), which the callers
    call. tdx_seamcall()'s one line, its arguments put in, is 90% of the call each caller now makes of the merged
    helper; that is no inline (its call of tdx_call_again() went into tdx_call_checked(), not into them)."""
    out = _eval(tmp_path, BASE, _split())
    [line] = [ln for ln in out.splitlines() if ln.startswith("code-move")]
    assert "inlines tdx_seamcall" not in line, line
    assert "renames tdx_status_to_errno -> tdx_call_checked" in line and "without changing behaviour" in line, line


def test_the_order_of_what_both_files_define_tells_a_move() -> None:
    """A function moved past another leaves some longest common order; one rewritten in place is in every one."""
    assert _in_every_lcs(["a", "h", "f", "g"], ["a", "f", "g"]) == {"a", "f", "g"}
    assert _in_every_lcs(["a", "f", "b"], ["a", "b", "f"]) == {"a"}
    assert _in_every_lcs(["f", "b"], ["b", "f"]) == set()

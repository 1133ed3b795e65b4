"""A helper that gains a parameter every caller passes as a constant: compared through the callers, not 'not known'."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.harness.test_helper_split import _eval, _patch_section
from tests.harness.test_own_series_notes import BASE

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git (format-patch, the mails' maker) is missing")
HEAD = "static u64 tdx_call_again(tdx_call_t call, u64 fn, struct tdx_module_args *args)\n{\n\tint left = 5;"


def _added(tries: str) -> str:
    """BASE with tdx_call_again()'s counter 'int left = 5;' made its parameter, its one caller passing ``tries``."""
    text = BASE.replace(HEAD, "static u64 tdx_call_again(tdx_call_t call, u64 fn, struct tdx_module_args *args, "
                              "int left)\n{")
    return text.replace("tdx_call_again(call, fn, args);", f"tdx_call_again(call, fn, args, {tries});")


def test_a_constant_local_made_a_parameter_its_caller_passes_is_no_change(tmp_path: Path) -> None:
    """Before: 'no behaviour change in the 94 of 658 scenarios that ran on both sides, but the patch changes a
    condition that none of them tells apart' and 'not compared: a condition of tdx_call_checked(), 'if (ret ==
    TDX_SUCCESS)' ... reads a name whose value changed: ret, set by 'u64 ret = tdx_call_again(call, fn, args);' ->
    'u64 ret = tdx_call_again(call, fn, args, 5);' ...: the value it reads is not worked out'."""
    out = _eval(tmp_path, _added("5"))
    section = _patch_section(out)
    assert section == ["no behaviour change in the 94 of 658 scenarios that ran on both sides"], section
    assert "v1: 0 of 1 patch changes behaviour" in out


def test_another_constant_is_a_change_said_with_its_value(tmp_path: Path) -> None:
    """The caller passes 7 where the local held 5: not the same call, and the runs show it (7 tries, not 5)."""
    out = _eval(tmp_path, _added("7"))
    assert "v1: 1 of 1 patch changes behaviour" in out, _patch_section(out)
    assert "TDX module SEAMCALLs 5 -> 7" in out, _patch_section(out)

"""A file-scope variable ending in an attribute with arguments is a variable, not a prototype.

A file-scope variable whose declaration ends in an attribute with arguments and has no initializer
(``static u64 buf[4] __aligned(64);``, ``static u32 w __attribute__((aligned(16)));``) is a variable, not a
prototype: the slicer took the attribute's "(" for a function's and the variable was unknown. Pinned to gcc."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from models.slicer import Kind, slice_fragment
from tests.harness.variantgen import agrees_with_gcc

pytestmark = pytest.mark.skipif(shutil.which("cc") is None and shutil.which("gcc") is None,
                                reason="needs a C compiler, the oracle")

ALIGNED_H = """\
static u64 da_buf[4] __aligned(64);
static u64 da_last __aligned(8);
static u32 da_words[2] __attribute__((aligned(16)));
static int da_init __attribute__((unused)) = 4;
u64 da_seamcall(u64 fn, struct tdx_module_args *args) __attribute__((warn_unused_result));

static long long busy(u64 fn, struct tdx_module_args *args)
{
	da_last = __seamcall(fn, args);
	da_buf[1] = da_last >> 60;
	da_words[1] = 7;
	return (long long)da_buf[1] + da_words[1] * 10 + da_words[0] * 100 + da_buf[3] * 1000 + da_init * 10000;
}
"""


def test_a_variable_with_an_attribute_is_a_variable() -> None:
    kinds = {d.name: d.kind for d in slice_fragment(ALIGNED_H.split("\n"), "demo/da.h", 1)}
    assert {n: kinds.get(n) for n in ("da_buf", "da_last", "da_words", "da_init")} == \
        dict.fromkeys(("da_buf", "da_last", "da_words", "da_init"), Kind.VARIABLE)
    assert kinds.get("da_seamcall") == Kind.PROTOTYPE  # a prototype's attribute leaves it a prototype


def test_variables_with_attributes_run_as_gcc_runs_them(tmp_path: Path) -> None:
    agrees_with_gcc(tmp_path, "da", "demo/da.h", ALIGNED_H, 0x8000020300000043, (40070, 40078))  # gcc's

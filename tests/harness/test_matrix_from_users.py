"""A patch that changes only a printk format macro a logging helper uses picks the matrix of the code that uses it.

``#define SC_LEAF_FMT "%llu"`` -> ``"%#llx"``, the macro spliced into seamcall_err()'s pr_err() format: the hunk names
no helper, so ``eval --tree`` stopped with "no matrix for this code ... pass --matrix" (found with a git
format-patch series of a small tree of our own). The users of what a hunk changes are found in the parsed code
(harness.changeusers), never by their names. The printed leaf is checked against lib/vsprintf.c: ``%#llx`` of a
non-zero value is "0x" and its lower-case hex digits (number(): SPECIAL, base 16), as C's printf prints it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.errors import UsageError
from harness.pipeline import EvalRequest, evaluate
from tests.gitoracle import init_repo
from tests.harness.seriesgen import OLD_HOME, PREAMBLE, RETRY_SAFE, Step, helpers, revision
from tests.mailgen import write_mbox

UNIT = "arch/x86/virt/vmx/tdx/tdx.c"
TDX_C = """\
// SPDX-License-Identifier: GPL-2.0
#include <asm/tdx.h>

int tdx_probe(void)
{
	struct tdx_module_args args = {};

	return seamcall_prerr(33, &args);
}
"""


def _header(fmt: str) -> str:
    """The helper header with the leaf's conversion in a macro of its own, spliced into seamcall_err()'s format."""
    text = helpers(RETRY_SAFE).replace('"SEAMCALL (%llu) failed', '"SEAMCALL (" SC_LEAF_FMT ") failed')
    return text.replace(PREAMBLE, PREAMBLE + f'#define SC_LEAF_FMT\t"{fmt}"\n\n')


def _eval(tmp_path: Path, tree: bool) -> list[str]:
    init_repo(tmp_path / "linux", {OLD_HOME: _header("%llu"), UNIT: TDX_C})
    step = Step("x86/virt/tdx: Print the leaf in hex", ((OLD_HOME, _header("%llu"), _header("%#llx")),))
    mbox = write_mbox(tmp_path / "s.mbox", revision(4, [step]))
    ev = evaluate(EvalRequest((mbox,), tree=tmp_path / "linux" if tree else None, jobs=1, time_budget=0))
    (cmp,) = [c for c in ev.comparison.per_patch if c.label.startswith("v4 01/1")]
    return [str(d) for d in cmp.differences] + list(cmp.summary())


def test_a_changed_format_macro_runs_the_code_that_prints_with_it(tmp_path: Path) -> None:
    lines = " ".join(_eval(tmp_path, tree=True))
    # lib/vsprintf.c: %llu of 33 is "33"; %#llx of 33 is "0x21" (C's printf agrees for a value that is not 0)
    assert f"printed with '%llu' -> '%#llx' ({33} -> {hex(33)})" in lines, lines  # cfd6ade names the conversions


def test_mail_alone_shows_no_user_and_says_so(tmp_path: Path) -> None:
    # The hunk's lines hold no code that uses the macro: from mail alone nothing can pick a matrix.
    with pytest.raises(UsageError, match="no matrix for this code"):
        _eval(tmp_path, tree=False)

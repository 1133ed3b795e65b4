"""A patch that edits only a caller of a SEAM helper picks the matrix of the code it runs.

The hunk changes what ``hostx_probe()`` returns; the helper it calls, defined in lines no hunk shows, makes the
SEAMCALL through ``seamcall_prerr()``. The hunk names no matrix identifier and issues nothing itself, so ``eval
--tree`` stopped with "no matrix for this code ... pass --matrix" though the file the patch changes holds SEAMCALL
code. What a changed definition calls is followed in the states' parsed code (harness.changeusers.callees_of),
never found by a file name or a title: the same series whose helper reads an I2C register gets no matrix.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.errors import UsageError
from harness.matrix import bundled_matrices
from harness.pipeline import EvalRequest, evaluate
from tests.gitoracle import init_repo
from tests.harness.seriesgen import OLD_HOME, RETRY_SAFE, Step, helpers, revision
from tests.mailgen import write_mbox

DRIVER = "drivers/misc/hostx/hostx.c"  # a name that says nothing of the TDX module
FILLER = "".join(f"/* register {n} of the device's bank, read at probe time */\n" for n in range(8))


def _driver(call: str, errno: str) -> str:
    return f"""\
// SPDX-License-Identifier: GPL-2.0
#include <asm/tdx.h>

static u64 hostx_issue(u64 fn)
{{
	struct tdx_module_args args = {{}};

	return {call};
}}

{FILLER}
int hostx_probe(void)
{{
	u64 err;

	err = hostx_issue(33);
	if (err)
		return {errno};
	return 0;
}}
"""


def _eval(tmp_path: Path, call: str, tree: bool) -> str:
    before, after = _driver(call, "-EIO"), _driver(call, "-ENODEV")
    init_repo(tmp_path / "linux", {OLD_HOME: helpers(RETRY_SAFE), DRIVER: before})
    mbox = write_mbox(tmp_path / "s.mbox", revision(4, [Step("hostx: Say no device", ((DRIVER, before, after),))]))
    ev = evaluate(EvalRequest((mbox,), tree=tmp_path / "linux" if tree else None, jobs=1, time_budget=0))
    return str(ev.matrix.path)


def test_a_patch_to_a_caller_alone_runs_the_seamcall_code_it_calls(tmp_path: Path) -> None:
    assert _eval(tmp_path, "seamcall_prerr(fn, &args)", tree=True) in {str(p) for p in bundled_matrices()}


def test_a_caller_of_a_helper_issuing_the_instruction_itself_too(tmp_path: Path) -> None:
    # No name of the matrix at all: the helper hands the leaf to __seamcall(), what the mirror records.
    assert _eval(tmp_path, "__seamcall(fn, &args)", tree=True) in {str(p) for p in bundled_matrices()}


@pytest.mark.parametrize("tree", [True, False])
def test_a_caller_of_other_code_or_of_code_not_shown_gets_none(tmp_path: Path, tree: bool) -> None:
    # Another call behind the helper is no SEAM code; from mail alone the helper's lines are not known.
    call = "i2c_read_reg(fn, &args)" if tree else "seamcall_prerr(fn, &args)"
    with pytest.raises(UsageError, match="no matrix for this code"):
        _eval(tmp_path, call, tree)

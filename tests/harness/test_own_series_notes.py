"""A series of one's own under the bundled matrix: the matrix's names it lacks, and a call through an ops table."""

from __future__ import annotations

import shutil

import pytest
from typer.testing import CliRunner

from harness.cli import app
from tests.gitoracle import git, init_repo

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git (format-patch, the mails' maker) is missing")
HEADER = "arch/x86/include/asm/tdx.h"
SOURCE = "arch/x86/virt/vmx/tdx/tdx.c"
HEADER_TEXT = """\
/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_X86_TDX_H
#define _ASM_X86_TDX_H

#include <linux/types.h>

#define TDX_SUCCESS		0ULL
#define TDX_RND_NO_ENTROPY	0x8000020300000000ULL
#define TDX_OPERAND_BUSY	0x8000020000000000ULL

#define TDH_SYS_INIT		33
#define TDH_SYS_LP_INIT		35

struct tdx_module_args {
	u64 rcx;
	u64 rdx;
	u64 r8;
	u64 r9;
	u64 r10;
	u64 r11;
};

u64 __seamcall(u64 fn, struct tdx_module_args *args);

#endif
"""
BASE = """\
// SPDX-License-Identifier: GPL-2.0
#define pr_fmt(fmt)	"virt/tdx: " fmt

#include <linux/printk.h>
#include <asm/tdx.h>

typedef u64 (*tdx_call_t)(u64 fn, struct tdx_module_args *args);

static u64 tdx_call_again(tdx_call_t call, u64 fn, struct tdx_module_args *args)
{
	int left = 5;
	u64 ret;

	do {
		ret = call(fn, args);
	} while (ret == TDX_RND_NO_ENTROPY && --left);

	return ret;
}

static int tdx_call_checked(tdx_call_t call, u64 fn, struct tdx_module_args *args)
{
	u64 ret = tdx_call_again(call, fn, args);

	if (ret == TDX_SUCCESS)
		return 0;

	pr_err("TDX call %llu failed: 0x%016llx\\n", fn, ret);
	return -EIO;
}

int tdx_sys_init(void)
{
	struct tdx_module_args args = {};

	return tdx_call_checked(__seamcall, TDH_SYS_INIT, &args);
}

int tdx_sys_lp_init(void)
{
	struct tdx_module_args args = {};

	return tdx_call_checked(__seamcall, TDH_SYS_LP_INIT, &args);
}
"""
OLD_CALL = """\
int tdx_sys_init(void)
{
\tstruct tdx_module_args args = {};

\treturn tdx_call_checked(__seamcall, TDH_SYS_INIT, &args);
}"""
OPS_CALL = """\
struct tdx_ops {
\ttdx_call_t call;
\tint (*check)(tdx_call_t call, u64 fn, struct tdx_module_args *args);
};

static const struct tdx_ops tdx_ops_table[] = {
\t{ .call = __seamcall, .check = tdx_call_checked },
};

int tdx_sys_init(void)
{
\tconst struct tdx_ops *ops = &tdx_ops_table[0];
\tstruct tdx_module_args args = {};

\treturn ops->check(ops->call, TDH_SYS_INIT, &args);
}"""


@pytest.fixture(scope="module")
def own_eval(tmp_path_factory: pytest.TempPathFactory) -> str:
    """eval --tree of two patches (ten tries, then the ops table) on a tree of our own."""
    tmp = tmp_path_factory.mktemp("own-series")
    tree = init_repo(tmp / "linux", {HEADER: HEADER_TEXT, SOURCE: BASE})
    git(tree, "tag", "base")
    for title, text in (("x86/virt/tdx: Retry ten times", BASE.replace("int left = 5;", "int left = 10;")),
                        ("x86/virt/tdx: Call through an ops table",
                         BASE.replace("int left = 5;", "int left = 10;").replace(OLD_CALL, OPS_CALL))):
        (tree / SOURCE).write_text(text)
        git(tree, "commit", "-q", "-a", "-m", title)
    git(tree, "format-patch", "-q", "--cover-letter", "--thread", "--base=base", "-o", str(tmp / "out"), "base")
    res = CliRunner().invoke(app, ["eval", str(tmp / "out"), "--tree", str(tree)], env={"COLUMNS": "1000"})
    assert res.exit_code == 0, res.output
    return res.output


def test_the_matrix_names_the_series_lacks_are_said_once(own_eval: str) -> None:
    """Before, under every patch: 'not compared: seamcall, seamcall_ret, ... (470 scenarios): neither v1:00 nor v1:01
    defines seamcall(), ...' and 'not compared: seamldr_prerr (94 scenarios): seamldr_prerr() runs in ...seamldr.c,
    which neither v1:00 nor v1:01 has', the P-SEAMLDR series' names on a series that never had them."""
    assert own_eval.count("the matrix's own entry points seamcall(), seamcall_ret(), seamcall_saved_ret(), "
                          "seamcall_prerr(), seamcall_prerr_ret(), seamldr_prerr() are in no state of this series") == 1
    assert "not compared: seamcall," not in own_eval and "not compared: seamldr_prerr" not in own_eval
    assert "tdx_sys_init (10 scenarios differ)" in own_eval  # its own entry points still compared


def test_an_ops_table_refactor_calling_the_same_functions_changes_nothing(own_eval: str) -> None:
    """``ops`` points at entry 0 of a static const table: ``ops->check(ops->call, ...)`` is the very
    ``tdx_call_checked(__seamcall, ...)`` it replaces (models.consttables). Before: 'but the patch changes a value that
    none of them tells apart' and 'not compared: a value of tdx_sys_init() changed ... what the two compute is not
    worked out (it reads or stores through a pointer, a member or a call) ...: whether it changes behaviour for others
    is not known'."""
    assert "'return ops->check(ops->call, TDH_SYS_INIT, &args);'" not in own_eval
    line = next(ln for ln in own_eval.splitlines() if "scenarios that ran on both sides" in ln
                and ln.strip().startswith("no behaviour change"))
    assert line.strip() == "no behaviour change in the 94 of 658 scenarios that ran on both sides", line

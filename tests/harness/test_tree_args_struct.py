"""A tree's own struct tdx_module_args is the one the mirror runs the code with.

A tree's own struct tdx_module_args (in a <...> header) is the one the mirror runs the code with, as gcc builds it:
the prelude's mainline layout stands only where no header defines one (harness.sysheaders.TREE_LAID_OUT)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from harness.crosscheck import crosscheck_result
from harness.pipeline import EvalRequest, evaluate
from harness.runner import definitions_used
from models.native.run import find_compiler
from tests.gitoracle import init_repo
from tests.mailgen import diff, message, patch_body, write_mbox

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

MATRIX = ('[codes]\nOK = 0\nBAD = 7\n[leaves]\nONE = 1\n[[unit]]\nname = "probe.c"\npath = "drivers/demo/probe.c"\n'
          '[[entry]]\nname = "probe"\n[[script]]\nname = "bad"\nanswers = ["BAD"]\n'
          '[[script]]\nname = "set"\nanswers = ["BAD"]\n[script.inputs]\nrdx = 0x20\nr12 = 0x30\n')
# Three registers, not mainline's thirteen, and in another order.
ARGS_H = ("/* SPDX-License-Identifier: GPL-2.0 */\n#ifndef _ASM_X86_SEAMARGS_H\n#define _ASM_X86_SEAMARGS_H\n\n"
          "struct tdx_module_args {\n\tu64 rdx;\n\tu64 rcx;\n\tu64 r8;\n};\n\n#endif\n")
UNIT = ("// SPDX-License-Identifier: GPL-2.0\n#include <linux/kernel.h>\n#include <asm/seamargs.h>\n\n"
        "int probe(u64 fn, struct tdx_module_args *args)\n{{\n\tu64 r = __seamcall(fn, args);\n\n"
        "\treturn r ? (int)(args->{reg} + 1) : 0;\n}}\n")


def _series(tmp_path: Path, reg: str) -> Path:
    """A tree with the header and probe.c reading args->rdx, and a patch making it read args->``reg``."""
    old, new = UNIT.format(reg="rdx"), UNIT.format(reg=reg)
    init_repo(tmp_path / "linux", {"arch/x86/include/asm/seamargs.h": ARGS_H, "drivers/demo/probe.c": old})
    (tmp_path / "m.toml").write_text(MATRIX)
    body = patch_body("Read another register.", diff("drivers/demo/probe.c", old, new))
    return write_mbox(tmp_path / "p.mbox", [message("[PATCH] demo: another register", "p1@example.org", body)])


def _gcc_refuses(tmp_path: Path, reg: str) -> bool:
    """Whether gcc refuses probe() reading args->``reg`` with the tree's header (the oracle)."""
    if shutil.which("gcc") is None:
        pytest.skip("gcc is not installed")
    src = tmp_path / "oracle.c"
    src.write_text("typedef unsigned long long u64;\n" + ARGS_H + "u64 __seamcall(u64 fn, struct tdx_module_args *a);\n"
                   + UNIT.format(reg=reg).split("#include <asm/seamargs.h>\n", 1)[1])
    done = subprocess.run(["gcc", "-fsyntax-only", str(src)], capture_output=True, text=True, timeout=60)
    return done.returncode != 0


def test_a_member_the_tree_s_struct_lacks_is_refused_as_gcc_refuses_it(tmp_path: Path) -> None:
    # Before: the prelude's struct (r12 among its thirteen members) was the mirror's, the tree's header never read
    # for it: 'args->r12' ran, its value compared, where gcc stops at "has no member named 'r12'".
    assert _gcc_refuses(tmp_path, "r12") and not _gcc_refuses(tmp_path, "r8")
    mbox = _series(tmp_path, "r12")
    ev = evaluate(EvalRequest((mbox,), tree=tmp_path / "linux", matrix=tmp_path / "m.toml", jobs=1, cache=None))
    before, after = (ev.result.outcome(v, "probe/ONE/bad/probe.c") for v in ("v1:00", "v1"))
    assert before.status == "ok" and before.ret == 1, before.error
    assert after.status != "ok" and "no member 'r12'" in (after.error or ""), after
    where = {name: w for name, _, w in definitions_used(ev.result, ev.result.variant("v1:00"))}
    assert where["tdx_module_args"] == "arch/x86/include/asm/seamargs.h:5", where


def test_crosscheck_builds_the_tree_s_layout_from_its_own_text(tmp_path: Path) -> None:
    # gcc builds the unit from its own text with the tree's three registers, and agrees. Before, the mirror's
    # struct was the prelude's thirteen: a script's r12 was left in a member the kernel's struct does not have.
    mbox = _series(tmp_path, "r8")
    ev = evaluate(EvalRequest((mbox,), tree=tmp_path / "linux", matrix=tmp_path / "m.toml", jobs=1, cache=None))
    assert ev.result.outcome("v1", "probe/ONE/bad/probe.c").ret == 1
    if shutil.which("gcc") is None and shutil.which("cc") is None:
        pytest.skip("no C compiler")
    r = crosscheck_result(ev.result, find_compiler(None))
    assert not r.disagreements and not r.fallback.get("v1"), r.fallback
    assert r.raw_agreed["v1"] == r.raw_compared["v1"] == 2
    # A script's input in a register the tree's struct lacks is handed nowhere (it was left in the prelude's r12).
    got = ev.result.outcome("v1:00", "probe/ONE/set/probe.c")
    assert got.ret == 0x21 and got.regs_out == (("rdx", 0x20),), got

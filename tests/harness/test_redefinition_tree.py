"""A helper copied into a new header while the tree's header keeps it does not build.

A helper copied into a new header while the tree's own header keeps it (one the patch does not touch, read from
the tree: ``#include <...>`` on kbuild's include path, or ``#include "..."`` beside the unit) does not build when one
unit includes both: gcc refuses the redefinition. It was 'no behaviour change'. gcc is the oracle of every case."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from harness.pipeline import EvalRequest, evaluate
from tests.gitoracle import init_repo
from tests.mailgen import diff, message, patch_body, write_mbox

pytestmark = [pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed"),
              pytest.mark.skipif(shutil.which("gcc") is None, reason="gcc, the oracle, is not installed")]

MATRIX = ('[codes]\nOK = 0\nBAD = 7\n[leaves]\nONE = 1\n[[unit]]\nname = "probe.c"\npath = "drivers/demo/probe.c"\n'
          '[[entry]]\nname = "probe"\n[[script]]\nname = "bad"\nanswers = ["BAD"]\n')
HELPER = ("static inline u64 seam_retry(u64 fn, struct tdx_module_args *args)\n{\n\tint left = SEAM_TRIES;\n"
          "\tu64 status;\n\n\tdo {\n\t\tstatus = __seamcall(fn, args);\n\t} while (status == 7 && --left);\n\n"
          "\treturn status;\n}\n")
# Where the tree keeps the helper: on the include path, or beside the unit.
HOMES = {"<asm/seam.h>": "arch/x86/include/asm/seam.h", '"seam.h"': "drivers/demo/seam.h"}
UNIT = ("// SPDX-License-Identifier: GPL-2.0\n#include <linux/kernel.h>\n#include {home}\n{copy}\n"
        "int probe(u64 fn, struct tdx_module_args *args)\n{{\n\treturn seam_retry(fn, args) ? -5 : 0;\n}}\n")
COPY = "drivers/demo/seam_copy.h"
# What the kernel's headers give the unit, for gcc (the mirror's prelude has them).
PRE = ("typedef unsigned long long u64;\nstruct tdx_module_args { u64 rcx; };\n"
       "u64 __seamcall(u64 fn, struct tdx_module_args *args);\n")


def _guarded(guard: str, body: str) -> str:
    return f"/* SPDX-License-Identifier: GPL-2.0 */\n#ifndef {guard}\n#define {guard}\n\n{body}\n#endif\n"


def _gcc_refusal(tmp_path: Path, files: dict[str, str]) -> tuple[str, str] | None:
    """Where gcc finds seam_retry defined first and again when it refuses the unit for the redefinition (kbuild's -I,
    the kernel's types pre-included), FILE:LINE each; None when it builds."""
    root = tmp_path / "gcc"
    for path, text in {**files, "fake/linux/kernel.h": "", "pre.h": PRE}.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text)
    done = subprocess.run(["gcc", "-fsyntax-only", "-include", "pre.h", "-Iarch/x86/include", "-Iinclude", "-Ifake",
                           "drivers/demo/probe.c"], cwd=root, capture_output=True, text=True, timeout=60)
    said = done.stderr.replace("\u2018", "'").replace("\u2019", "'")
    if done.returncode == 0:
        return None
    again = re.search(r"^(\S+?):(\d+):\d+: error: redefinition of 'seam_retry'", said, re.MULTILINE)
    first = re.search(r"^(\S+?):(\d+):\d+: note: previous definition of 'seam_retry'", said, re.MULTILINE)
    assert again and first, said  # no other error
    return f"{first[1]}:{first[2]}", f"{again[1]}:{again[2]}"


@pytest.mark.parametrize("home", sorted(HOMES))
@pytest.mark.parametrize("guard", ["SEAM_COPY_H", "SEAM_H"])
def test_a_copy_of_a_tree_headers_helper_in_one_unit(tmp_path: Path, home: str, guard: str) -> None:
    old_header = _guarded("SEAM_H", f"#define SEAM_TRIES\t3\n\n{HELPER}")
    copy = _guarded(guard, HELPER)
    before = UNIT.format(home=home, copy="")
    after = UNIT.format(home=home, copy=f'#include "{Path(COPY).name}"\n')
    tree = {HOMES[home]: old_header, "drivers/demo/probe.c": before}
    init_repo(tmp_path / "linux", tree)
    body = patch_body("Add a local copy of the retry helper.",
                      diff(COPY, None, copy) + diff("drivers/demo/probe.c", before, after))
    mbox = write_mbox(tmp_path / "p.mbox", [message("[PATCH] demo: copy the helper", "p1@example.org", body)])
    (tmp_path / "m.toml").write_text(MATRIX)
    ev = evaluate(EvalRequest((mbox,), tree=tmp_path / "linux", matrix=tmp_path / "m.toml", jobs=1, cache=None))
    old = ev.result.outcome("v1:00", "probe/ONE/bad/probe.c")
    new = ev.result.outcome("v1", "probe/ONE/bad/probe.c")
    assert old.status == "ok" and old.ret == -5, old
    gcc = _gcc_refusal(tmp_path, {**tree, COPY: copy, "drivers/demo/probe.c": after})
    if gcc is not None:
        assert new.status == "error" and new.error == (
            f"{gcc[1]}: redefinition of 'seam_retry' (defined before at {gcc[0]})"), new
        assert gcc == (f"{HOMES[home]}:7", f"{COPY}:5")  # the tree's header, read first
    else:  # the copy keeps the tree header's guard: gcc reads nothing of it
        assert new.status == "ok" and new.ret == -5, new

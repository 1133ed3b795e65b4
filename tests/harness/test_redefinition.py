"""A unit reading two definitions of one function does not build.

A translation unit that reads two definitions of one function (a helper copied into a new header the unit includes
while the old header keeps it) does not build: gcc refuses the redefinition, even of two equal static inline bodies.
It was 'no behaviour change', the mirror reading the copy as the same definition."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from harness.pipeline import EvalRequest, evaluate
from tests.harness.seriesgen import BUILD_WRAPPER, NEW_HOME, RETRY_SAFE, WRAPPER, WRAPPER_C, Step, helpers, revision
from tests.mailgen import write_mbox

COPY = "arch/x86/virt/vmx/tdx/seamcall_copy.h"


@pytest.mark.parametrize("guard", ["SH_TEST_COPY_H", "SH_TEST_TDX_H"])
def test_a_helper_defined_twice_in_a_unit_does_not_build(tmp_path: Path, guard: str) -> None:
    base = helpers(RETRY_SAFE)
    both = WRAPPER_C.replace('#include "seamcall_internal.h"\n',
                             '#include "seamcall_internal.h"\n#include "seamcall_copy.h"\n')
    msgs = revision(1, [
        Step("x86/virt/tdx: Add an internal SEAMCALL helper header and a P-SEAMLDR user",
             ((NEW_HOME, None, base), (WRAPPER, None, WRAPPER_C), BUILD_WRAPPER)),
        Step("x86/virt/tdx: Add a copy of the helpers", ((COPY, None, base.replace("SH_TEST_TDX_H", guard)),
                                                          (WRAPPER, WRAPPER_C, both)))])
    ev = evaluate(EvalRequest((write_mbox(tmp_path / "v1.mbox", msgs),), jobs=1))
    (copied,) = [c for c in ev.comparison.per_patch if c.b == "v1:02"]
    text = " ".join(" ".join(copied.summary(limit=50)).split())
    if guard == "SH_TEST_TDX_H":  # the copy keeps the guard: gcc reads nothing of it, the unit builds as before
        assert "redefinition" not in text and "no behaviour change" in text, text
    else:
        # gcc's FILE:LINE and words: the copy's name, the header's before it (harness.tuorder.static_conflict)
        assert re.search(rf"error: {re.escape(COPY)}:\d+: redefinition of '\w+' \(defined before at "
                         rf"{re.escape(NEW_HOME)}:\d+\)", text) and "no behaviour change" not in text, text


@pytest.mark.skipif(shutil.which("gcc") is None, reason="gcc, the oracle, is not installed")
@pytest.mark.parametrize(("guards", "refused"), [(("A_H", "B_H"), True), (("A_H", "A_H"), False)])
def test_gcc_refuses_the_same_static_inline_twice(tmp_path: Path, guards: tuple[str, str], refused: bool) -> None:
    for name, guard in zip(("a.h", "b.h"), guards, strict=True):
        (tmp_path / name).write_text(f"#ifndef {guard}\n#define {guard}\nstatic inline int f(void)\n{{\n"
                                     "\treturn 1;\n}\n#endif\n")
    (tmp_path / "u.c").write_text('#include "a.h"\n#include "b.h"\nint g(void) { return f(); }\n')
    done = subprocess.run(["gcc", "-fsyntax-only", str(tmp_path / "u.c")], capture_output=True, text=True)
    assert (done.returncode != 0 and "redefinition of 'f'" in done.stderr.replace("\u2018", "'").replace(
        "\u2019", "'")) is refused, done.stderr

"""With --tree: a patch that adds ``#include "x.h"`` of a header nobody has (a file its author forgot to git add).

Neither the state nor the tree holds it, next to the file or in an include folder: gcc stops there (fatal error: no
such file). The patch read "no behaviour change in the 264 of 462 scenarios that ran on both sides" (found with a
git format-patch series of a small tree of our own; gcc -E of the tree at that commit is the oracle).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from harness.pipeline import EvalRequest, evaluate
from tests.gitoracle import init_repo
from tests.harness.seriesgen import OLD_HOME, RETRY_SAFE, Step, helpers, revision
from tests.mailgen import write_mbox

UNIT = "arch/x86/virt/vmx/tdx/tdx.c"
TDX_C = """\
// SPDX-License-Identifier: GPL-2.0
#define pr_fmt(fmt) "virt/tdx: " fmt

#include <asm/tdx.h>
{extra}
int tdx_probe(void)
{{
	struct tdx_module_args args = {{}};

	return seamcall_prerr(33, &args);
}}
"""


def _base(extra: str = "") -> str:
    return TDX_C.format(extra=extra)


def _run(tmp_path: Path, header: str | None) -> list[str]:
    """The comparison lines of the patch adding ``#include "local.h"`` to the unit; ``header``: where a local.h is
    in the tree, if anywhere."""
    return _lines(tmp_path, "", '#include "local.h"\n', header)


def test_an_include_nobody_has_stops_the_build(tmp_path: Path) -> None:
    lines = " ".join(_run(tmp_path, None))
    assert 'build error: arch/x86/virt/vmx/tdx/tdx.c:5 includes "local.h", which neither the state nor the tree ' \
           "has, next to it or in an include folder: gcc stops there (no such file)" in lines, lines
    assert "no behaviour change" not in lines


@pytest.mark.parametrize("where", ["arch/x86/virt/vmx/tdx/local.h", "include/local.h"], ids=["beside", "include"])
def test_a_header_the_tree_has_is_found(tmp_path: Path, where: str) -> None:
    # Next to the unit, or in an include folder (gcc searches those for a quoted name too): it builds.
    lines = " ".join(_run(tmp_path, where))
    assert "build error" not in lines, lines


@pytest.mark.skipif(shutil.which("gcc") is None, reason="gcc, the oracle, is not installed")
def test_gcc_stops_there_too(tmp_path: Path) -> None:
    unit = tmp_path / "tdx.c"
    unit.write_text('#include "local.h"\nint x;\n')
    run = subprocess.run(["gcc", "-E", "-Iinclude", str(unit)], cwd=tmp_path, capture_output=True, text=True)
    assert run.returncode != 0 and "local.h: No such file or directory" in run.stderr


def _lines(tmp_path: Path, before: str, after: str, header: str | None = None) -> list[str]:
    """The comparison lines of a patch taking the unit from ``_base(before)`` to ``_base(after)`` (sc_retry()'s
    header changed beside it, so that the bundled matrix runs), on a tree whose unit is ``_base(before)`` and which
    holds a header of our own at ``header``, if given."""
    files = {OLD_HOME: helpers(RETRY_SAFE), UNIT: _base(before)}
    if header is not None:
        files[header] = "/* a header of our own */\n"
    init_repo(tmp_path / "linux", files)
    step = Step("x86/virt/tdx: Touch the unit",
                ((UNIT, _base(before), _base(after)),
                 (OLD_HOME, helpers(RETRY_SAFE), helpers(RETRY_SAFE.replace("left = RDRAND_RETRY_LOOPS",
                                                                             "left = RDRAND_RETRY_LOOPS + 0")))))
    mbox = write_mbox(tmp_path / "s.mbox", revision(4, [step]))
    ev = evaluate(EvalRequest((mbox,), tree=tmp_path / "linux", jobs=1, time_budget=0))
    (cmp,) = [c for c in ev.comparison.per_patch if c.label.startswith("v4 01/1")]
    return [n for d in cmp.differences for n in d.notes] + list(cmp.summary())


INACTIVE = {"if0": '#if 0\n#include "local.h"\n#endif\n',
            "else": '#if 1\n#define SH_LOCAL 1\n#else\n#include "local.h"\n#endif\n',
            "comment": '/* #include "local.h" */\n'}


@pytest.mark.parametrize("added", INACTIVE.values(), ids=INACTIVE.keys())
def test_an_include_gcc_does_not_reach_stops_nothing(tmp_path: Path, added: str) -> None:
    # gcc -E skips a group whose #if is false (C11 6.10.1p6): the missing header is never opened.
    lines = " ".join(_lines(tmp_path, "", added))
    assert "build error" not in lines and "local.h" not in lines, lines


@pytest.mark.skipif(shutil.which("gcc") is None, reason="gcc, the oracle, is not installed")
@pytest.mark.parametrize("added", INACTIVE.values(), ids=INACTIVE.keys())
def test_gcc_does_not_open_it(tmp_path: Path, added: str) -> None:
    unit = tmp_path / "tdx.c"
    unit.write_text(added + "int x;\n")
    assert subprocess.run(["gcc", "-E", str(unit)], cwd=tmp_path, capture_output=True).returncode == 0


def test_a_base_that_does_not_build_is_not_the_patchs_doing(tmp_path: Path) -> None:
    # The base's unit already includes the header nobody has: gcc stops at it before the patch and after it.
    lines = " ".join(_lines(tmp_path, '#include "local.h"\n', '#include "local.h"\n/* touched */\n'))
    assert "which neither the state nor the tree has" not in lines, lines
    assert "the base does not build" in lines, lines


UNDECIDED = '#ifdef SH_NOT_DEFINED_HERE\n#include "local.h"\n#endif\n'


def test_an_include_under_a_condition_not_decided_is_taken_as_built_saying_so(tmp_path: Path) -> None:
    # SH_NOT_DEFINED_HERE comes from no file shown: it may be defined where gcc builds the unit (a -D, a header of
    # the build), and then gcc stops at the missing header; taken as built, naming the condition (never a silent pass,
    # as for a header the patches take away, 49d2232).
    lines = " ".join(_lines(tmp_path, "", UNDECIDED))
    assert f'build error: {UNIT}:6 includes "local.h" (#ifdef SH_NOT_DEFINED_HERE ({UNIT}:5) taken as built), which ' \
           "neither the state nor the tree has, next to it or in an include folder: gcc stops there (no such file)" \
           in lines, lines
    assert "no behaviour change" not in lines


def test_an_include_under_a_condition_not_decided_the_base_has_too_is_the_bases(tmp_path: Path) -> None:
    lines = " ".join(_lines(tmp_path, UNDECIDED, UNDECIDED + "/* touched */\n"))
    assert "which neither the state nor the tree has" not in lines, lines
    assert f'{UNIT}:6 includes "local.h" (#ifdef SH_NOT_DEFINED_HERE ({UNIT}:5) taken as built), which the tree ' \
           "lacks" in lines and "the base does not build" in lines, lines


DECIDED_BUILT = '#define SH_LOCAL_ON 1\n#if SH_LOCAL_ON\n#include "local.h"\n#endif\n'


def test_an_include_under_a_condition_decided_built_stops_the_build(tmp_path: Path) -> None:
    # Decided from the text (a macro defined above it): said plainly, no condition taken.
    if shutil.which("gcc") is not None:
        unit = tmp_path / "tdx.c"
        unit.write_text(DECIDED_BUILT + "int x;\n")
        run = subprocess.run(["gcc", "-E", str(unit)], cwd=tmp_path, capture_output=True, text=True)
        assert run.returncode != 0 and "local.h: No such file or directory" in run.stderr
    lines = " ".join(_lines(tmp_path, "", DECIDED_BUILT))
    assert f'build error: {UNIT}:7 includes "local.h", which neither the state nor the tree has' in lines, lines

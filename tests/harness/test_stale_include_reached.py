"""A header the patches take away stops the build only where gcc opens an include of it (oracle: gcc -E)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from harness.filestate import absent_file, full_file
from harness.linking import Link, stale_includes

UNIT = "drivers/demo/unit.c"
GONE = "drivers/demo/gone.h"
HEADER = "drivers/demo/mid.h"

# What surrounds the include of the removed header, and whether gcc -E opens it (C11 6.10.1p6: a skipped
# group's #include is not opened; a comment is no directive).
CASES = {
    "plain": ('#include "gone.h"\n', True),
    "if-0": ('#if 0\n#include "gone.h"\n#endif\n', False),
    "else-not-taken": ('#if 1\nint a;\n#else\n#include "gone.h"\n#endif\n', False),
    "ifdef-assembly": ('#ifdef __ASSEMBLY__\n#include "gone.h"\n#endif\n', False),
    "block-comment": ('/*\n#include "gone.h"\n */\n', False),
    "elif-taken": ('#if 0\nint a;\n#elif 1\n#include "gone.h"\n#endif\n', True),
}


def _gcc_opens(tmp_path: Path, text: str) -> bool:
    """Whether gcc -E of the unit stops at the missing header."""
    (tmp_path / "unit.c").write_text(text + "int main(void) { return 0; }\n")
    run = subprocess.run(["gcc", "-E", "-o", "/dev/null", str(tmp_path / "unit.c")], capture_output=True, text=True,
                         timeout=60, env={**os.environ, "LC_ALL": "C"})
    return run.returncode != 0 and "gone.h: No such file or directory" in run.stderr


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("through", [False, True])
def test_a_removed_header_is_a_build_error_only_where_gcc_opens_its_include(tmp_path: Path, case: str,
                                                                           through: bool) -> None:
    # The include sits in the unit, or in a header of the state the unit includes (gcc reads that one too).
    text, opened = CASES[case]
    if shutil.which("gcc") is not None:
        assert _gcc_opens(tmp_path, text) is opened
    files = [full_file(UNIT, text + "int f(void) { return 0; }\n", "v1:02"), absent_file(GONE, "v1:02")]
    if through:
        files = [full_file(UNIT, '#include "mid.h"\nint f(void) { return 0; }\n', "v1:02"),
                 full_file(HEADER, text, "v1:01"), absent_file(GONE, "v1:02")]
    got = stale_includes({f.path: f for f in files}, {GONE}, ())
    assert [u.status for u in got] == ([Link.GONE] if opened else []), got
    if opened:
        assert f'includes "gone.h", and the patches take {GONE} away: gcc stops there' in got[0].why, got[0].why


def test_an_include_under_a_condition_not_decided_is_taken_as_built_saying_so() -> None:
    # NOT_KNOWN_HERE comes from no file shown: whether gcc opens the include is not known; the gone header may stop
    # the build, so it is said to, naming the condition taken (never a silent pass).
    text = '#ifdef NOT_KNOWN_HERE\n#include "gone.h"\n#endif\n'
    state = {f.path: f for f in (full_file(UNIT, text, "v1:02"), absent_file(GONE, "v1:02"))}
    (got,) = stale_includes(state, {GONE}, ())
    assert got.status is Link.GONE
    assert got.why.startswith(f'{UNIT}:2 includes "gone.h" (#ifdef NOT_KNOWN_HERE ({UNIT}:1) taken as built), '), got


@pytest.mark.parametrize("case", ["plain", "if-0", "block-comment"])
def test_a_header_a_later_patch_creates_is_a_build_error_only_where_gcc_opens_its_include(case: str) -> None:
    text, opened = CASES[case]
    state = {UNIT: full_file(UNIT, text + "int f(void) { return 0; }\n", "v1:01")}
    got = stale_includes(state, set(), (), lambda p: "v1 02/2" if p == GONE else None)
    assert [u.why for u in got] == ([f'{UNIT}:1 includes "gone.h", which v1 02/2 creates later: gcc stops there '
                                     "(no such file)"] if opened else []), got

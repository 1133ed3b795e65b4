"""An #include spelt as gcc reads it but not on one plain line (split, digraph, comment) is read by every reader."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from harness.pipeline import EvalRequest, evaluate
from harness.verdict import VerdictStatus
from tests.harness.test_sysheaders import FOO_BITS_H, FOO_H, GCC_PROGRAM, UNIT, _series

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

# Ways to write '#include "foo.h"' that gcc reads as it (C11 5.1.1.2p1 phases 2 and 3, 6.4.6p3), each with the
# last line of the directive.
SPELLINGS = ['#inc\\\nlude "{name}"', '%:include "{name}"', '# /* c */ include "{name}"',
             '#include /* two\n lines */ "{name}"', '  \\\n#include \\ \n"{name}"']
# The header pair of test_sysheaders beside the unit, included with quotes: harness.statefiles reads such a header
# from the tree (a file beside the includer), and what it includes the same way.
LOCAL = {"drivers/demo/foo.h": FOO_H.replace("#include <asm/foo_bits.h>", '#include "foo_bits.h"'),
         "drivers/demo/foo_bits.h": FOO_BITS_H}


def _gcc_value(tmp_path: Path, spelling: str) -> int:
    """What gcc computes for the new body under the script, with the headers beside a program including foo.h as
    ``spelling`` writes it."""
    if shutil.which("gcc") is None:
        pytest.skip("gcc is not installed")
    home = tmp_path / "gcc"
    home.mkdir()
    for path, text in LOCAL.items():
        (home / Path(path).name).write_text(text)
    program = GCC_PROGRAM.format(after="").replace("#include <asm/foo.h>", spelling.format(name="foo.h"))
    (home / "main.c").write_text(program)
    subprocess.run(["gcc", "-o", str(home / "a.out"), str(home / "main.c")], check=True, timeout=60)
    return int(subprocess.run([str(home / "a.out")], capture_output=True, check=True, timeout=10).stdout)


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_a_quoted_header_beside_the_unit_is_read_from_the_tree(tmp_path: Path, spelling: str) -> None:
    # Before, harness.statefiles read one plain line: foo.h was not read, 'foo_word_t' unknown, probe() not run.
    unit = UNIT.replace("#include <asm/{header}.h>", spelling.replace("{name}", "{header}.h"))
    mbox = _series(tmp_path, LOCAL, unit=unit)
    ev = evaluate(EvalRequest((mbox,), tree=tmp_path / "linux", matrix=tmp_path / "m.toml", jobs=1, cache=None))
    out = ev.result.outcome("v1", "probe/ONE/bad/probe.c")
    assert out.status == "ok" and out.ret == _gcc_value(tmp_path, spelling), out.error


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_from_mail_a_name_a_header_the_mail_lacks_may_define_is_not_absent(tmp_path: Path, spelling: str,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    # test_unread_include's wrapper, its include spelt otherwise: gcc reads the header, which the mail lacks and may
    # define seamcall(). Before, a split or commented include was not seen: the rule passed on the wrapper alone
    # ('every C file it touches is known whole: the name is not in this code'), a false PASS.
    from tests.harness import test_unread_include as unread

    wrapper = unread.WRAPPER.replace("#include {header}", spelling.replace("{name}", "seamldr_local.h"))
    monkeypatch.setattr(unread, "WRAPPER", wrapper)
    status, note = unread._gate(tmp_path, False)
    assert status is VerdictStatus.INCONCLUSIVE, note
    assert "give --tree" in note and "the name is not in this code" not in note
    (tmp_path / "held").mkdir()
    status, note = unread._gate(tmp_path / "held", True)  # the same patch creates the header: the absence is known
    assert status is VerdictStatus.PASS, note


@pytest.mark.parametrize("spelling", ["# /* c */ include <asm/{header}.h>",
                                      "#include /* two\n lines */ <asm/{header}.h>"])
def test_an_angled_header_of_the_tree_is_read(tmp_path: Path, spelling: str) -> None:
    # harness.sysheaders: before, a comment in the directive hid it ('foo_word_t' unknown, probe() not run).
    from tests.harness import test_sysheaders

    mbox = _series(tmp_path, test_sysheaders.TREE, unit=UNIT.replace("#include <asm/{header}.h>", spelling))
    ev = evaluate(EvalRequest((mbox,), tree=tmp_path / "linux", matrix=tmp_path / "m.toml", jobs=1, cache=None))
    out = ev.result.outcome("v1", "probe/ONE/bad/probe.c")
    assert out.status == "ok" and out.ret == test_sysheaders._gcc_value(tmp_path), out.error

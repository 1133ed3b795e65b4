"""--matrix-add FILE: one more script for the bundled matrix (harness.matrixadd).

--matrix-add FILE (harness.matrixadd): one more script for the bundled matrix without copying it; what it may hold
typed as the matrix file is, anything else refused at its line."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from harness.cli import app
from harness.pipeline import EvalRequest, evaluate
from tests.harness.seriesgen import NEW_HOME, RETRY_SAFE, Step, helpers, revision
from tests.mailgen import write_mbox

BUSY_LOOP = """
#define TDX_OPERAND_BUSY\t0x8000020000000000ULL
#define SC_BUSY_RETRIES\t%d

static inline u64 sc_busy_retry(u64 fn, struct tdx_module_args *args)
{
\tint retry = SC_BUSY_RETRIES;
\tu64 err;

\tdo {
\t\terr = __seamcall(fn, args);
\t} while (err == TDX_OPERAND_BUSY && retry--);
\treturn err;
}
"""
ADD = ('[codes]\nTDX_OPERAND_BUSY = 0x8000020000000000\n\n[[script]]\nname = "operand-busy"\n'
       'answers = ["TDX_OPERAND_BUSY", "SUCCESS"]\nrepeat_first = [1]\n')


TDX_C = "arch/x86/virt/vmx/tdx/tdx.c"
TDX_TOP = "#include <linux/types.h>\n\nint tdx_ready;\n"  # the part of tdx.c the hunk shows


def _mbox(tmp_path: Path) -> Path:
    """v4 retries 'operand busy' 3 more times, v5 5: no script of the bundled matrix answers it. tdx.c includes the
    header (one no unit includes is compiled by no build: its code is not run)."""
    title = "x86/virt/tdx: Add an internal SEAMCALL helper header"
    included = (TDX_C, TDX_TOP, TDX_TOP.replace("types.h>\n", 'types.h>\n#include "seamcall_internal.h"\n'))
    return write_mbox(tmp_path / "s.mbox", [
        *revision(4, [Step(title, ((NEW_HOME, None, helpers(RETRY_SAFE + BUSY_LOOP % 3)), included))],
                  cover="demo: busy"),
        *revision(5, [Step(title, ((NEW_HOME, None, helpers(RETRY_SAFE + BUSY_LOOP % 5)), included))],
                  cover="demo: busy")])


def test_a_script_added_to_the_bundled_matrix_runs_the_untested_retries(tmp_path: Path) -> None:
    # Before: the only way to run a script of one's own was a copy of the whole bundled matrix.toml for --matrix; the
    # bundled one said the busy retries untested, and v4 -> v5 (3 retries -> 5) was no behaviour change in what ran.
    mbox = _mbox(tmp_path)
    (tmp_path / "busy.toml").write_text(ADD)
    ev = evaluate(EvalRequest((mbox,), matrix_add=(tmp_path / "busy.toml",), jobs=1, cache=None, time_budget=0))
    names = [s.name for s in ev.result.matrix.scripts]
    assert "operand-busy-x1" in names and "tdx-no-entropy-x10" in names, names  # the bundled scripts kept
    assert {"operand-busy-x4", "operand-busy-x6"} <= set(names), names  # run at the loops' bounds, as the file's own
    assert not [n for _, n in ev.result.matrix.notes if "0x8000020000000000" in n], ev.result.matrix.notes
    (cmp,) = [c for c in ev.comparison.across if (c.a, c.b) == ("v4", "v5")]
    assert cmp.changed and any(d.scenario.entry.name == "sc_busy_retry" and "operand-busy" in d.scenario.script.name
                               for d in cmp.differences), cmp.summary()


@pytest.mark.parametrize(("text", "said"), [
    ('[[entry]]\nname = "x"\n', "busy.toml:1: unknown key 'entry'; known: codes, script"),
    ('[[script]]\nname = "success"\nanswers = ["SUCCESS"]\n', "busy.toml:2: script success is in "),
    ('\n[[script]]\nname = "busy"\nanswers = ["TDX_OPERAND_BUSSY"]\n', "busy.toml:4: unknown code 'TDX_OPERAND_BUSSY'"),
    ('[codes]\nSUCCESS = 5\n[[script]]\nname = "x"\nanswers = ["SUCCESS"]\n', "busy.toml:2: code SUCCESS is 0x0 in "),
    ('[codes]\nBUSY = 1\n', "busy.toml:1: --matrix-add: the file adds no [[script]] table"),
    ('[[script]]\nname = "a/b"\nanswers = ["SUCCESS"]\n', "busy.toml:2: script name 'a/b': letters, digits"),
])
def test_what_the_file_may_not_hold_is_refused_at_its_line(tmp_path: Path, text: str, said: str) -> None:
    mbox = _mbox(tmp_path)
    (tmp_path / "busy.toml").write_text(text)
    r = CliRunner().invoke(app, ["eval", str(mbox), "--matrix-add", str(tmp_path / "busy.toml")])
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert r.exit_code == 2 and len(lines) == 1 and f"{tmp_path}/{said}" in lines[0], r.output
    assert r.stdout == "", r.stdout


GONE = ('[codes]\nTDX_OPERAND_INVALID_X = 0xC000010000000001\n\n[[script]]\nname = "operand-invalid-x"\n'
        'answers = ["TDX_OPERAND_INVALID_X"]\n')


def test_the_option_repeated_adds_every_file(tmp_path: Path) -> None:
    # Before: --matrix-add took one file; given twice, typer kept the last one, and the first file's scripts never ran.
    mbox = _mbox(tmp_path)
    (tmp_path / "busy.toml").write_text(ADD)
    (tmp_path / "gone.toml").write_text(GONE)
    r = CliRunner().invoke(app, ["eval", str(mbox), "--matrix-add", str(tmp_path / "busy.toml"), "--matrix-add",
                                 str(tmp_path / "gone.toml"), "--matrix-add", str(tmp_path / "busy.toml"),
                                 "--no-cache", "--time-budget", "0", "--json", str(tmp_path / "r.json")])
    assert r.exit_code == 0, r.output
    import json
    scripts = {s["name"] for s in json.loads((tmp_path / "r.json").read_text())["scripts"]}
    assert {"operand-busy-x1", "operand-invalid-x", "tdx-no-entropy-x10"} <= scripts, scripts


@pytest.mark.parametrize(("second", "said"), [
    ('[[script]]\nname = "operand-busy"\nanswers = ["SUCCESS"]\n', "b.toml:2: script operand-busy is in {a} already"),
    ('[codes]\nTDX_OPERAND_BUSY = 1\n[[script]]\nname = "x"\nanswers = ["SUCCESS"]\n',
     "b.toml:2: code TDX_OPERAND_BUSY is 0x8000020000000000 in {a}: give it another name"),
])
def test_a_clash_with_an_earlier_file_names_that_file(tmp_path: Path, second: str, said: str) -> None:
    # Before: the refusal named the matrix (series/p-seamldr/matrix.toml), which has no such script or code.
    mbox = _mbox(tmp_path)
    (tmp_path / "a.toml").write_text(ADD)
    (tmp_path / "b.toml").write_text(second)
    r = CliRunner().invoke(app, ["eval", str(mbox), "--matrix-add", str(tmp_path / "a.toml"), "--matrix-add",
                                 str(tmp_path / "b.toml")])
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert r.exit_code == 2 and len(lines) == 1, r.output
    assert f"{tmp_path}/" + said.format(a=tmp_path / "a.toml") in lines[0], lines


def test_help_says_what_the_file_may_hold() -> None:
    import re
    r = CliRunner().invoke(app, ["eval", "--help"], env={"COLUMNS": "200"})
    text = " ".join(re.sub(r"[│╭╮╰╯─]", " ", r.stdout).split())
    assert "(repeatable" in text and "[[script]] tables (name, answers; optional leaves, repeat_first, cpu, inputs)" \
        in text and "[codes]" in text, text

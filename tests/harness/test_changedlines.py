"""harness.changedlines: a code line as a diff sees it, comments and spacing aside, read once per text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

import harness.changedlines as changedlines
from harness.cli import app

runner = CliRunner()


def test_a_line_is_normalised_once_whatever_reads_it_again(monkeypatch: pytest.MonkeyPatch) -> None:
    # Every variant's known lines are read (_known_lines), and variants share most of their lines: each line was
    # read again for each variant, and again by harness.linecover.
    read: list[str] = []
    plain = changedlines.CODE_TOKEN

    class Counted:
        def sub(self, repl: object, text: str) -> str:
            read.append(text)
            return plain.sub(repl, text)  # type: ignore[call-overload,no-any-return]

    monkeypatch.setattr(changedlines, "CODE_TOKEN", Counted())
    text = '\tonce_test_ret  =  f(a, "x  /* y */")  /* why */ ; // more'
    assert changedlines.normalised(text) == 'once_test_ret = f(a, "x /* y */") ;'
    assert changedlines.normalised(text) == 'once_test_ret = f(a, "x /* y */") ;'
    assert changedlines.normalised(text + " ") == 'once_test_ret = f(a, "x /* y */") ;'
    assert read == [text, text + " "]
    assert re.fullmatch(r"\S+( \S+)*", changedlines.normalised("once_test  (b)\t")) is not None


_BUSY_H = "arch/x86/include/asm/demo_busy.h"
_UNIT = "drivers/demo/busy.c"
_HEADER = ("#ifndef DEMO_BUSY_H\n#define DEMO_BUSY_H\n\n#define DEMO_BUSY_CODE 0x8000020000000000ULL\n"
           "#define DEMO_OTHER 7\n\nstruct demo_regs {\n\tu64 a;\n\tu64 b;\n};\n\n#endif\n")
_C = ("#include <asm/demo_busy.h>\n\nint demo_busy_call(u64 fn, struct tdx_module_args *args)\n{\n\tint left = 3;\n"
      "\tu64 ret;\n\n\tdo {\n\t\tret = __seamcall(fn, args);\n\t} while (ret == DEMO_BUSY_CODE && --left);\n\n"
      "\treturn ret ? -EIO : 0;\n}\n")


def test_a_tree_header_one_revision_no_longer_reads_is_no_changed_line(tmp_path: Path) -> None:
    # v2 spells the header's constant out, so its code needs no name of <asm/demo_busy.h> and does not read it; the
    # header is the same file at the same base commit. 'v1 -> v2' listed every line of it as changed code no entry
    # point reaches ('not compared: arch/x86/include/asm/demo_busy.h:2 (file scope), which no entry point reaches').
    import shutil

    from tests.gitoracle import git, init_repo
    from tests.mailgen import diff, message, patch_body, write_mbox

    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    tree = init_repo(tmp_path / "linux", {_BUSY_H: _HEADER, _UNIT: _C})
    head = git(tree, "rev-parse", "HEAD").stdout.decode().strip()
    msgs = []
    for v, new in ((1, _C.replace("-EIO", "-EBUSY")), (2, _C.replace("DEMO_BUSY_CODE", "0x8000020000000000ULL"))):
        cover = f"c{v}@example.org"
        msgs.append(message(f"[PATCH v{v} 0/1] demo", cover, f"Cover.\n\nbase-commit: {head}\n"))
        msgs.append(message(f"[PATCH v{v} 1/1] demo: change {v}", f"p{v}@example.org",
                            patch_body("Change.", diff(_UNIT, _C, new)), parent=cover, refs=(cover,)))
    r = runner.invoke(app, ["eval", str(write_mbox(tmp_path / "s.mbox", msgs)), "--tree", str(tree)],
                      env={"COLUMNS": "300"})
    assert r.exit_code == 0, r.output
    across = r.output.split("Revisions and proposals", 1)[1]
    assert "v1 -> v2" in across and _BUSY_H not in across, across

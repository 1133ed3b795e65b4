"""A helper moved into a header its translation unit does not include does not build: never 'no behaviour change'."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from harness.filestate import FileState
from harness.pipeline import EvalRequest, evaluate
from harness.visibility import included_files
from tests.gitoracle import init_repo
from tests.mailgen import diff, message, patch_body, write_mbox

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

MATRIX = ('[codes]\nOK = 0\nBAD = 7\n[leaves]\nONE = 1\n[[unit]]\nname = "probe.c"\npath = "drivers/demo/probe.c"\n'
          '[[entry]]\nname = "probe"\n[[script]]\nname = "bad"\nanswers = ["BAD"]\n')
HELPER = ("static inline int demo_call(u64 fn, struct tdx_module_args *args)\n{\n"
          "\treturn __seamcall(fn, args) ? -5 : 0;\n}\n")
PROBE = ("// SPDX-License-Identifier: GPL-2.0\n#include <linux/types.h>\n{includes}\n{helper}\n"
         "int probe(u64 fn, struct tdx_module_args *args)\n{{\n\treturn demo_call(fn, args);\n}}\n")
CALL_H = f"/* SPDX-License-Identifier: GPL-2.0 */\n#ifndef _DEMO_CALL_H\n#define _DEMO_CALL_H\n\n{HELPER}\n#endif\n"
# The kernel's types the unit needs, for gcc (the mirror's prelude has them).
STUB = ("typedef unsigned long long u64;\nstruct tdx_module_args { u64 rcx; };\n"
        "u64 __seamcall(u64 fn, struct tdx_module_args *args);\n")


def _move(tmp_path: Path, includes: str, extra: dict[str, str] | None = None) -> Path:
    """A tree whose probe.c defines demo_call(), and a patch moving it into a new drivers/demo/call.h, with
    probe.c's include lines then ``includes``."""
    old = PROBE.format(includes="", helper=HELPER)
    new = PROBE.format(includes=includes, helper="")
    init_repo(tmp_path / "linux", {"drivers/demo/probe.c": old, **(extra or {})})
    body = patch_body("Move the helper.", diff("drivers/demo/call.h", None, CALL_H)
                      + diff("drivers/demo/probe.c", old, new))
    (tmp_path / "m.toml").write_text(MATRIX)
    return write_mbox(tmp_path / "p.mbox", [message("[PATCH] demo: move demo_call()", "p1@example.org", body)])


def _gcc_builds(tmp_path: Path, includes: str, extra: dict[str, str] | None = None) -> bool:
    """Whether gcc builds the patched probe.c (implicit declarations are errors, as in a kernel build)."""
    if shutil.which("gcc") is None:
        pytest.skip("gcc is not installed")
    root = tmp_path / "gcc"
    for path, text in {"drivers/demo/call.h": CALL_H, "include/linux/types.h": STUB, **(extra or {}),
                       "drivers/demo/probe.c": PROBE.format(includes=includes, helper="")}.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text)
    run = subprocess.run(["gcc", "-fsyntax-only", "-Werror=implicit-function-declaration", "-I", str(root / "include"),
                          str(root / "drivers/demo/probe.c")], capture_output=True, timeout=60)
    return run.returncode == 0


def _probe(tmp_path: Path, mbox: Path, variant: str, tree: bool = True) -> tuple[str, str | None, str | None]:
    ev = evaluate(EvalRequest((mbox,), tree=tmp_path / "linux" if tree else None, matrix=tmp_path / "m.toml",
                              jobs=1, cache=None))
    out = ev.result.outcome(variant, "probe/ONE/bad/probe.c")
    return out.status, out.error_kind, out.error


def test_a_helper_moved_into_a_header_the_unit_does_not_include_does_not_build(tmp_path: Path) -> None:
    mbox = _move(tmp_path, includes="")
    assert not _gcc_builds(tmp_path, includes="")
    assert _probe(tmp_path, mbox, "base")[0] == "ok"
    status, kind, error = _probe(tmp_path, mbox, "v1")
    assert (status, kind) == ("error", "build")
    assert error == ("drivers/demo/probe.c does not build probe(): demo_call is defined in drivers/demo/call.h, "
                     "which drivers/demo/probe.c does not include (directly or through the headers it includes)")


@pytest.mark.parametrize("includes, extra", [
    ('#include "call.h"', None),
    ('#include "../demo/call.h"', None),
    ('#include "wrap.h"', {"drivers/demo/wrap.h": '#include "call.h"\n'}),  # through a tree header
])
def test_the_helper_included_directly_or_through_a_header_runs(tmp_path: Path, includes: str,
                                                               extra: dict[str, str] | None) -> None:
    mbox = _move(tmp_path, includes, extra)
    assert _gcc_builds(tmp_path, includes, extra)
    assert _probe(tmp_path, mbox, "v1")[0] == "ok"


def test_mail_alone_does_not_judge_what_it_cannot_see(tmp_path: Path) -> None:
    # Without the tree probe.c is known only from hunks: its other include lines are unknown.
    mbox = _move(tmp_path, includes="")
    assert _probe(tmp_path, mbox, "v1", tree=False)[1] != "build"


def _file(path: str, text: str | None) -> FileState:
    lines = {} if text is None else {n: (ln, "t") for n, ln in enumerate(text.splitlines(), start=1)}
    return FileState(path, text is not None, lines, None if text is None else len(lines), ())


def test_included_files_follows_gccs_search_and_says_when_it_cannot_know() -> None:
    unit = _file("drivers/demo/a.c", '#include <asm/x.h>\n#include "b.h"\n#include <linux/types.h>\n')
    files = [unit, _file("drivers/demo/b.h", '#include "c.h"\n'), _file("drivers/demo/c.h", ""),
             _file("arch/x86/include/asm/x.h", ""), _file("drivers/demo/d.h", "")]
    assert included_files(files, "drivers/demo/a.c") == {"drivers/demo/a.c", "drivers/demo/b.h", "drivers/demo/c.h",
                                                         "arch/x86/include/asm/x.h"}
    # A quoted header next to the unit that the variant lacks may include anything: unknown.
    assert included_files([unit, files[3]], "drivers/demo/a.c") is None
    # A unit known only from hunks: its other include lines are unknown.
    assert included_files([_file("drivers/demo/a.c", None)], "drivers/demo/a.c") is None


def test_a_headers_entry_point_in_a_unit_that_does_not_include_the_header_runs_as_placed(tmp_path: Path) -> None:
    # Such a unit does not use it: no build failure of the unit (a header's helper found in the code is run in
    # every unit of the matrix), so a patch adding that unit changes nothing of it.
    from harness.matrix import load_matrix
    from harness.runner import MatrixRequest, run_matrix
    from harness.variants import Variant

    other = _file("drivers/demo/other.c", "#include <linux/types.h>\nint other(void)\n{\n\treturn 0;\n}\n")
    header = _file("drivers/demo/call.h", CALL_H)
    (tmp_path / "m.toml").write_text(MATRIX.replace("probe.c", "other.c").replace('"probe"', '"demo_call"'))
    v = Variant("v", "v", (header, other), (), (), (), "t")
    r = run_matrix(MatrixRequest((v,), load_matrix(tmp_path / "m.toml"), jobs=1))
    assert r.outcome("v", "demo_call/ONE/bad/other.c").status == "ok"


def test_crosscheck_counts_the_missing_include_as_refused_alike(tmp_path: Path) -> None:
    """gcc refuses the unit at the helper's first use (implicit declaration), the mirror refuses it for the
    same name: agreement on refusal, not "not compared" (the expansion, one unit of everything, builds)."""
    from harness.crosspipeline import CrossRequest, cross_check

    mbox = _move(tmp_path, includes="")
    assert not _gcc_builds(tmp_path, includes="")
    r = cross_check(CrossRequest((mbox,), tree=tmp_path / "linux", matrix=tmp_path / "m.toml", jobs=1)).result
    assert r.not_compared["v1"] == [], r.not_compared
    (alike,) = r.refused_alike["v1"]
    assert alike.startswith("probe: both refuse to build it; gcc refuses it: drivers/demo/probe.c:7: error: "
                            "implicit declaration of function"), alike
    assert r.exit_status == 0 and not r.disagreements


@pytest.mark.parametrize("gcc, alike", [
    ("gcc refuses it: a.c:7: error: implicit declaration of function ‘demo_call’ [-Werror=implicit-function-"
     "declaration]", True),
    ("gcc refuses it: a.c:7: error: 'demo_call' undeclared (first use in this function)", True),
    ("gcc refuses it: a.c:7: error: unknown type name ‘demo_call’", True),
    ("gcc refuses it: a.c:7: error: implicit declaration of function ‘other’", False),  # another name: not alike
    ("gcc refuses it: a.c:7: error: expected ‘;’ before ‘demo_call’", False),  # not an undeclared name
])
def test_a_hidden_name_is_alike_only_with_gccs_undeclared_name(gcc: str, alike: bool) -> None:
    from harness.crossrefuse import refused_alike
    from harness.visibility import hidden_names
    from models.outcome import ErrorKind, Outcome, OutcomeStatus

    why = ("a.c does not build probe(): demo_call is defined in b.h, which a.c does not include (directly or "
           "through the headers it includes)")
    assert hidden_names(why) == {"demo_call"}
    assert refused_alike(Outcome(OutcomeStatus.ERROR, error=why, error_kind=ErrorKind.BUILD), gcc) is alike
    # An unsupported outcome is never a refusal alike, whatever it says.
    assert not refused_alike(Outcome(OutcomeStatus.ERROR, error=why, error_kind=ErrorKind.UNSUPPORTED), gcc)


def test_what_a_unit_includes_is_followed_once_for_all_its_entry_points(monkeypatch: pytest.MonkeyPatch) -> None:
    # Planning asks for every entry point a unit runs; the unit's #include lines are the same each time.
    import harness.visibility as visibility
    from models.loader import Source

    unit = _file("drivers/demo/a.c", '#include "b.h"\nint demo_a(int x)\n{\n\treturn demo_h(x);\n}\n')
    header = "static inline int demo_h(int x)\n{\n\treturn x;\n}\n"
    files = (unit, _file("drivers/demo/b.h", ""), _file("drivers/demo/h.h", header))
    sources = tuple(Source(f.path, ((1, tuple(ln for ln, _ in f.lines.values())),), True) for f in files)
    followed: list[str] = []
    real = visibility.included_files
    monkeypatch.setattr(visibility, "included_files", lambda fs, u: followed.append(u) or real(fs, u))
    reached = frozenset({"drivers/demo/a.c", "drivers/demo/h.h"})
    got = [visibility._hidden(files, sources, e, "drivers/demo/a.c", reached) for e in ("demo_a", "demo_a", "demo_h")]
    assert got[0] == got[1] and got[0] is not None and "demo_h is defined in drivers/demo/h.h" in got[0], got
    assert followed == ["drivers/demo/a.c"]

"""With --tree, a function the patched code calls that another .c file beside its unit defines (harness.unitdefs)."""

from __future__ import annotations

import shutil
from pathlib import Path

import git
import pytest

from harness.coverage import missing_reason
from harness.pipeline import EvalRequest, evaluate
from harness.runner import definitions_used
from tests.mailgen import diff, message, patch_body, write_mbox

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

MATRIX = ('[codes]\nOK = 0\nBAD = 7\n[leaves]\nONE = 1\n[[unit]]\nname = "tdx.c"\npath = "x/tdx.c"\n'
          '[[entry]]\nname = "probe"\n[[script]]\nname = "bad"\nanswers = ["BAD"]\n')
SEAM_H = "u64 seam_retry(u64 fn, struct tdx_module_args *args);\n"
# The body kbuild links in: x/seamcall.c, which no patch touches.
SEAMCALL_C = ('#include "seam.h"\n\n{static}u64 seam_retry(u64 fn, struct tdx_module_args *args)\n{{\n'
              "\tu64 err = __seamcall(fn, args);\n\n\treturn err == 7 ? 70 : err;\n}}\n")
UNIT_C = ('#include "seam.h"\n\nstatic int probe(u64 fn, struct tdx_module_args *args)\n{{\n'
          "\treturn (int)seam_retry(fn, args){tail};\n}}\n")


def _eval(tmp_path: Path, where: str, static: str = "", body: str = SEAMCALL_C, unit: str = UNIT_C
          ) -> tuple[object, str]:
    """The probe's outcome and the program's provenance of seam_retry(), the body in ``where`` at the base."""
    repo = git.Repo.init(tmp_path / "linux")
    with repo.config_writer() as cfg:
        cfg.set_value("user", "name", "T").set_value("user", "email", "t@example.org")
    old, new = unit.format(tail=""), unit.format(tail=" + 1")
    for path, text in (("x/seam.h", SEAM_H), (where, body.format(static=static)), ("x/tdx.c", old)):
        (tmp_path / "linux" / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "linux" / path).write_text(text)
    repo.index.add(["x/seam.h", where, "x/tdx.c"])
    repo.index.commit("base")
    mbox = write_mbox(tmp_path / "p.mbox", [message("[PATCH] x: one more", "p1@example.org",
                                                    patch_body("One more.", diff("x/tdx.c", old, new)))])
    (tmp_path / "m.toml").write_text(MATRIX)
    ev = evaluate(EvalRequest((mbox,), tree=tmp_path / "linux", matrix=tmp_path / "m.toml", jobs=1, cache=None))
    v = ev.result.variant("v1")
    via = "; ".join(h.via for h in v.headers.headers)
    # The report's definitions (eval: where each definition the entry points reach is) name the file.
    used = [f"{w} ({k} {n})" for n, k, w in definitions_used(ev.result, v) if n == "seam_retry"]
    why = missing_reason(v, "seam_retry") if not used else ""  # what a rule reaching it says
    return ev.result.outcome("v1", "probe/ONE/bad/tdx.c"), " | ".join([via, v.headers.searched, *used, why])


def test_a_function_another_c_file_beside_the_unit_defines_is_read_from_the_tree(tmp_path: Path) -> None:
    # Before: not run, seam_retry() 'declared but defined in none of them'; kbuild links x/seamcall.c's copy.
    out, via = _eval(tmp_path, "x/seamcall.c")
    assert out.status == "ok" and out.ret == 71, (out.status, out.error)  # type: ignore[attr-defined]
    assert "defined out of line in x/seamcall.c" in via and "git grep at the base commit" in via, via
    assert "x/seamcall.c:3 (function seam_retry)" in via, via


def test_a_function_of_another_c_file_prints_with_that_files_pr_fmt(tmp_path: Path) -> None:
    # Compiled in its own unit: its pr_err() has x/seamcall.c's prefix, not the scenario's unit's (none here).
    body = '#define pr_fmt(fmt) "seamcall: " fmt\n' + SEAMCALL_C.replace(
        "\treturn err", '\tpr_err("failed %llu\\n", err);\n\treturn err')
    out, _ = _eval(tmp_path, "x/seamcall.c", body=body)
    assert out.status == "ok" and [x.text for x in out.log] == ["seamcall: failed 7"], out  # type: ignore[attr-defined]


@pytest.mark.parametrize(("where", "static", "said", "why"), [
    ("x/seamcall.c", "static ", "seam_retry() is static in x/seamcall.c:3: no other file links it",
     "seam_retry() is named there but defined in none of them: seam_retry() is static in x/seamcall.c:3: no other "
     "file links it"),
    # Another folder: not searched. Before, 'a .c file no patch touches', false of those beside the unit.
    ("x/sub/seamcall.c", "", "nor in the .c files of x/*.c at the base commit",
     "its body is in a file not read (a header no line read includes, a .c file other than those of x/*.c at the "
     "base commit)"),
], ids=["static", "subfolder"])
def test_a_static_function_or_one_of_another_folder_is_not_taken(tmp_path: Path, where: str, static: str,
                                                                  said: str, why: str) -> None:
    out, via = _eval(tmp_path, where, static)
    assert out.status != "ok", out  # type: ignore[attr-defined]
    assert said in via and "defined out of line" not in via, via
    assert why in via, via


HELPED = "static u64 helper(u64 e)\n{{\n\treturn e + 1;\n}}\n\n" + SEAMCALL_C.replace(
    "\treturn err == 7 ? 70 : err;", "\treturn helper(err);")


def test_what_the_function_uses_from_its_own_file_comes_with_it(tmp_path: Path) -> None:
    # Its file's static helper is compiled with it (x/seamcall.c's unit): before, 'call to unknown function helper()'.
    out, _ = _eval(tmp_path, "x/seamcall.c", body=HELPED)
    assert out.status == "ok" and out.ret == 9, (out.status, out.error)  # type: ignore[attr-defined]


def test_a_static_of_that_file_is_not_the_states_own_call(tmp_path: Path) -> None:
    # The unit calls helper() too, which nothing of it defines: x/seamcall.c's static helper() is not the unit's (gcc:
    # implicit declaration, then an undefined reference), so that call stays unknown.
    unit = UNIT_C.replace("(int)seam_retry(fn, args)", "(int)seam_retry(fn, args) + (int)helper(0)")
    out, _ = _eval(tmp_path, "x/seamcall.c", body=HELPED, unit=unit)
    assert out.status == "error" and "helper()" in (out.error or ""), out  # type: ignore[attr-defined]


def test_a_search_that_failed_is_never_said_done() -> None:
    # git grep failing (a damaged repository, a timeout) leaves the name unknown, saying the files were not searched;
    # before, nothing found and 'nor in the .c files of x/*.c' said of files never searched.
    from harness.filestate import FileState, full_file
    from harness.sysheaders import Lookup
    from harness.unitdefs import unit_definitions

    class Failing:
        def __call__(self, path: str) -> FileState | None:
            return None

        def grep(self, words: tuple[str, ...], folders: tuple[str, ...]) -> list[str] | None:
            return None

    unit = full_file("x/tdx.c", UNIT_C.format(tail=""), "test")
    got = unit_definitions({"x/tdx.c": unit}, Failing(), {}, Lookup((), frozenset({"seam_retry"}), "not defined"))
    assert got.unknown == {"seam_retry"} and "nor in the .c files" not in got.searched, got
    assert got.searched == "not defined; the .c files of x/*.c could not be searched (git grep failed)", got


def test_a_git_grep_that_times_out_is_a_failed_search(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Before: subprocess.TimeoutExpired went up as a traceback.
    import subprocess

    from harness import gitbase

    def slow(*args: object, **kw: object) -> None:
        raise subprocess.TimeoutExpired("git", 120)

    repo = git.Repo.init(tmp_path / "linux")
    monkeypatch.setattr(gitbase, "_git", slow)
    assert gitbase._grep(repo, "0" * 40, ("seam_retry",), ("x",)) is None

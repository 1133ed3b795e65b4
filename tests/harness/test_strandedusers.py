"""A helper moved or renamed out of a header that another file of the tree, touched by no patch, still calls.

The moves rule passed on the runs of the files the state reads, and eval said the move changed no behaviour, while gcc
no longer built the tree's other caller (an implicit declaration): with --tree that caller makes the move not known,
from mail alone the tree's other users are said not checked."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from harness.cli import app
from tests.gitoracle import git, init_repo
from tests.harness.movesgate import moves_gate

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")  # the oracle

HELPER = "static inline int demo_errno(u64 err)\n{\n\treturn err == 0x10 ? -EBUSY : -EIO;\n}\n"
STUB = ("typedef unsigned long long u64;\nstruct tdx_module_args { u64 rcx; };\n"
        "u64 __seamcall(u64 fn, struct tdx_module_args *args);\n#define EIO 5\n#define EBUSY 16\n")


def header(guard: str, body: str) -> str:
    return f"/* demo */\n#ifndef {guard}\n#define {guard}\n\n{body}\n#endif\n"


def unit(include: str, call: str = "demo_errno") -> str:
    return (f"#include <demo/h.h>\n{include}\nint demo_prerr(u64 fn, struct tdx_module_args *args)\n{{\n"
            f"\tu64 err = __seamcall(fn, args);\n\n\treturn err ? {call}(err) : 0;\n}}\n")


def other(mention: str) -> str:
    return f"#include <demo/h.h>\n\nint kvm_demo(u64 err)\n{{\n{mention}\n\treturn 0;\n}}\n"


CALLS = "\tif (err)\n\t\treturn demo_errno(err);"
MATRIX = ('[codes]\nOK = 0\nBUSY = 0x10\nBAD = 0x20\n[leaves]\nONE = 1\n[[unit]]\nname = "a.c"\npath = "d/a.c"\n'
          '[[entry]]\nname = "demo_prerr"\n[[script]]\nname = "bad"\nanswers = ["BAD"]\n[[script]]\nname = "busy"\n'
          'answers = ["BUSY"]\n')
OLD = header("DEMO_H", "#define DEMO_TRIES 3\n" + HELPER)
CASES = {  # name: (the other file's code, include/demo/h.h after, d/err.h after, d/a.c after)
    "moved-other-caller": (CALLS, header("DEMO_H", "#define DEMO_TRIES 3\n"), header("DEMO_ERR_H", HELPER),
                           unit('#include "err.h"\n')),
    "moved-old-header-includes-new": (CALLS, header("DEMO_H", '#define DEMO_TRIES 3\n#include "../../d/err.h"\n'),
                                      header("DEMO_ERR_H", HELPER), unit("")),
    "moved-named-in-comment": ("\t/* demo_errno() is not for kvm */", header("DEMO_H", "#define DEMO_TRIES 3\n"),
                               header("DEMO_ERR_H", HELPER), unit('#include "err.h"\n')),
    "renamed-other-caller": (CALLS, header("DEMO_H", "#define DEMO_TRIES 3\n" + HELPER.replace(
        "demo_errno", "demo_err_to_errno")), None, unit("", "demo_err_to_errno")),
}


def _series(tmp_path: Path, case: str, files: dict[str, str] | None = None) -> tuple[Path, Path]:
    """A tree whose include/demo/h.h defines demo_errno(), called by d/a.c (the matrix's unit) and by k/b.c, which
    no patch touches (``files`` in the tree too, and over its first ones); and ``git format-patch`` of the change
    ``case`` makes."""
    mention, h, err, a = CASES[case]
    repo = init_repo(tmp_path / "linux", {"include/demo/h.h": OLD, "d/a.c": unit(""), "k/b.c": other(mention),
                                          **(files or {})})
    (repo / "include/demo/h.h").write_text(h)
    (repo / "d/a.c").write_text(a)
    if err is not None:
        (repo / "d/err.h").write_text(err)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "demo: take demo_errno() out of the shared header")
    mail = tmp_path / "p.patch"
    mail.write_bytes(git(repo, "format-patch", "-1", "--stdout", "HEAD").stdout)
    return repo, mail


def _gate(tmp_path: Path, mail: Path, *tree: str) -> tuple[int, dict[str, Any]]:
    code, rule, _ = moves_gate(tmp_path, mail, MATRIX, *tree, severity="error", cache=tmp_path / "cache")
    return code, rule


def _gcc_builds(repo: Path, path: str) -> bool:
    """Whether gcc builds ``path`` of the tree as the patch leaves it (the kernel's types declared first)."""
    if shutil.which("gcc") is None:
        pytest.skip("gcc is not installed")
    stub = repo.parent / "stub.h"
    stub.write_text(STUB)
    r = subprocess.run(["gcc", "-fsyntax-only", "-Werror=implicit-function-declaration", "-include", str(stub),
                        "-I", str(repo / "include"), str(repo / path)], capture_output=True, text=True, timeout=60)
    return r.returncode == 0


@pytest.mark.parametrize("case", sorted(CASES))
def test_with_the_tree_another_caller_the_patch_leaves_makes_the_move_not_known(tmp_path: Path, case: str) -> None:
    # Before: the rule passed all four (exit 0): d/a.c's own runs were alike, and k/b.c was never read.
    repo, mail = _series(tmp_path, case)
    assert _gcc_builds(repo, "d/a.c")
    builds = _gcc_builds(repo, "k/b.c")
    assert builds == (case in ("moved-old-header-includes-new", "moved-named-in-comment"))
    code, rule = _gate(tmp_path, mail, "--tree", str(repo), "--base", "HEAD~1")
    if builds:
        assert (code, rule["verdict"]) == (0, "pass"), rule
        assert "k/b.c" not in rule["note"], rule
        return
    assert (code, rule["verdict"]) == (1, "inconclusive"), rule
    assert "k/b.c:6 uses demo_errno, which include/demo/h.h no longer defines" in rule["note"], rule
    assert "no #include line of it leads to a file that does, and k/b.c was not built" in rule["note"], rule


def test_eval_says_the_move_is_not_compared(tmp_path: Path) -> None:
    repo, mail = _series(tmp_path, "moved-other-caller")
    (tmp_path / "m.toml").write_text(MATRIX)
    out = tmp_path / "e.json"
    r = CliRunner().invoke(app, ["eval", str(mail), "--matrix", str(tmp_path / "m.toml"), "--tree", str(repo),
                                 "--base", "HEAD~1", "--jobs", "1", "--json", str(out)],
                           env={"XDG_CACHE_HOME": str(tmp_path / "cache")})
    assert r.exit_code == 0, r.output
    moves = [f for f in json.loads(out.read_text())["findings"] if f["kind"].startswith("code-move")]
    assert [f["kind"] for f in moves] == ["code-move-not-compared"], moves
    assert "k/b.c:6 uses demo_errno" in moves[0]["text"], moves
    assert "without changing behaviour" not in moves[0]["text"], moves


def test_from_mail_alone_the_tree_s_other_users_are_said_not_checked(tmp_path: Path) -> None:
    # From mail alone the pass rests on the files the mail shows: it says so (before: nothing of the tree's users).
    _repo, mail = _series(tmp_path, "moved-old-header-includes-new")
    code, rule = _gate(tmp_path, mail)
    assert (code, rule["verdict"]) == (0, "pass"), rule
    assert "demo_errno, which include/demo/h.h no longer defines (d/err.h does): the tree's files that no patch " \
           "touches and that use it were not checked (give --tree)" in rule["note"], rule


def _kernel_shaped(fanout: int = 40, leaves: int = 48) -> dict[str, str]:
    """About 2,000 headers as a kernel's <linux/kernel.h> brings in: it includes ``fanout`` headers, each of them
    ``leaves`` more (include guards, prototypes)."""
    files = {"include/linux/kernel.h": header("_LINUX_KERNEL_H", "".join(
        f"#include <linux/l{i}.h>\n" for i in range(fanout)))}
    for i in range(fanout):
        files[f"include/linux/l{i}.h"] = header(f"_L{i}_H", "".join(
            f"#include <linux/m{i}_{j}.h>\n" for j in range(leaves)))
        for j in range(leaves):
            files[f"include/linux/m{i}_{j}.h"] = header(f"_M{i}_{j}_H", f"int m{i}_{j}(void);\n")
    return files


def _kernel_series(tmp_path: Path, case: str) -> tuple[Path, Path]:
    """_series on a tree where k/b.c includes <linux/kernel.h> (about 2,000 headers), then <demo/api.h>, which
    includes <demo/h.h>."""
    b = other(CASES[case][0]).replace("#include <demo/h.h>\n", "#include <linux/kernel.h>\n#include <demo/api.h>\n")
    api = header("_DEMO_API_H", "#include <demo/h.h>\n")
    return _series(tmp_path, case, {"include/demo/api.h": api, "k/b.c": b, **_kernel_shaped()})


@pytest.mark.parametrize("case", ["moved-old-header-includes-new", "moved-other-caller"])
def test_on_a_kernel_shaped_tree_the_other_caller_s_includes_are_known(tmp_path: Path, case: str) -> None:
    # k/b.c's #include lines bring in about 2,000 headers: followed forward, the answer was "not known (followed
    # through 5 files)" for both, the clean move inconclusive (exit 1). Found from the new home back (the files
    # naming err.h that include it, then those naming and including those): gcc's answer, each known.
    repo, mail = _kernel_series(tmp_path, case)
    builds = _gcc_builds(repo, "k/b.c")
    assert builds is (case == "moved-old-header-includes-new")
    code, rule = _gate(tmp_path, mail, "--tree", str(repo), "--base", "HEAD~1")
    assert "lead to one is not known" not in rule["note"], rule
    if builds:
        assert (code, rule["verdict"]) == (0, "pass"), rule
        return
    assert (code, rule["verdict"]) == (1, "inconclusive"), rule
    assert "k/b.c:7 uses demo_errno, which include/demo/h.h no longer defines" in rule["note"], rule
    assert "no #include line of it leads to a file that does, and k/b.c was not built" in rule["note"], rule

"""A call to another .c file's function that its unit does not declare: gcc's build error, said as one.

harness.undeclaredcall: an implicit declaration, a name handed on as a value undeclared, a static function of another
unit (gcc -Werror=implicit-function-declaration and nm the oracles); not known to build where a header the state
does not hold may declare it; what a unit reads worked out once per state and unit."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from harness.pipeline import EvalRequest, evaluate
from tests.gitoracle import init_repo
from tests.harness.test_tuorder import KEEPS_LOADER, LOADER_STUB
from tests.mailgen import write_mbox


def _moved_builds(tmp_path: Path, mbox: Path) -> tuple[bool, str]:
    """The oracle for moving_undeclared: git am the series, gcc -c the loader's two files as a kernel build does
    (implicit declarations are errors), their header replaced by LOADER_STUB; then whether each name the loader's
    object needs from the series' objects is one the other defines globally (nm: what ld would link)."""
    from tests.gitoracle import am, mailsplit
    from tests.harness.linkgen import CALL, OPS
    from tests.harness.seriesgen import MAKEFILE, MAKEFILE_BASE, NEW_HOME

    if shutil.which("gcc") is None or shutil.which("nm") is None:
        pytest.skip("gcc or nm is not installed")
    repo = init_repo(tmp_path / "oracle", {MAKEFILE: MAKEFILE_BASE})
    mails = mailsplit(tmp_path, mbox)[1:]
    for n, raw in enumerate(mails):
        (tmp_path / f"mail-{n}").write_bytes(raw)
    assert am(repo, [tmp_path / f"mail-{n}" for n in range(len(mails))])[1] == ""
    (repo / NEW_HOME).write_text(f"#ifndef LOADER_STUB\n#define LOADER_STUB\n{LOADER_STUB}#endif\n")  # read twice
    env = {**os.environ, "LC_ALL": "C"}
    objs = []
    for path in (OPS, CALL):
        objs.append(str(repo / path) + ".o")
        run = subprocess.run(["gcc", "-std=gnu11", "-c", "-Werror=implicit-function-declaration", "-o", objs[-1],
                              str(repo / path)], capture_output=True, text=True, timeout=60, env=env)
        if run.returncode != 0:
            return False, run.stderr
    nm = [subprocess.run(["nm", o], capture_output=True, text=True, check=True).stdout for o in objs]
    needed = {line.split()[-1] for line in nm[0].splitlines() if line.split()[-2:-1] == ["U"]}
    linked = {line.split()[-1] for line in nm[1].splitlines() if line.split()[-2:-1] == ["T"]}
    return "ldr_call" not in needed or "ldr_call" in linked, nm[0] + nm[1]


@pytest.mark.parametrize("keep, builds", [("none", False), ("static", False), ("prototype", True), ("header", True)])
def test_a_call_to_another_files_function_its_unit_does_not_declare_does_not_build(tmp_path: Path, keep: str,
                                                                                    builds: bool) -> None:
    # Patch 2 moves ldr_call() into ldr_call.c and leaves ldr_query() calling it: with nothing of ldr_ops.c
    # declaring it gcc stops, and a static one no other unit links. The mirror found it in the other file and ran
    # it: "no behaviour change", the rule passing.
    from harness.gate import GateRequest, evaluate_gate
    from harness.verdict import VerdictStatus
    from tests.harness.linkgen import CALL, OPS, moving_undeclared
    from tests.harness.seriesgen import MAKEFILE, MAKEFILE_BASE

    mbox = write_mbox(tmp_path / "v5.mbox", moving_undeclared(keep))
    assert _moved_builds(tmp_path, mbox)[0] is builds
    tree = init_repo(tmp_path / "linux", {MAKEFILE: MAKEFILE_BASE})
    (tmp_path / "r.toml").write_text(KEEPS_LOADER)
    for given in (None, tree):  # mail alone knows both files whole (the series creates them), as the tree does
        ev = evaluate(EvalRequest((mbox,), tree=given, jobs=1, cache=None))
        out = ev.result.outcome("v5:02", "ldr_query/TDH_SYS_INIT/success/ldr_ops.c")
        g = evaluate_gate(GateRequest((mbox,), "v5", tree=given, jobs=1, rules=tmp_path / "r.toml"))
        [verdict] = g.verdicts
        if builds:
            assert out.status == "ok" and verdict.status is not VerdictStatus.FAIL, (out, verdict.note)
            continue
        assert out.status == "error" and out.error_kind == "build", out
        why = {"none": f"ldr_call() is defined only in {CALL}:6 and nothing {OPS} reads declares it before the call: "
                       "gcc: implicit declaration of function 'ldr_call' (an error in a kernel build)",
               "static": f"ldr_call() is static in {CALL}:6: no other unit links it (ld: undefined reference to "
                         "'ldr_call')"}[keep]
        assert out.error == f"build error: ldr_query() calls ldr_call() at {OPS}:{9 if keep == 'none' else 11}; {why}"
        assert verdict.status is VerdictStatus.FAIL, (verdict.status, verdict.note)


def test_a_call_its_unit_may_declare_in_a_header_not_known_is_not_known_to_build(tmp_path: Path) -> None:
    # ldr_ops.c also includes "tdx.h", which mail does not show: it may declare ldr_call(). Not an error that cannot
    # be shown, never a pass either.
    from tests.harness.linkgen import OPS, moving_undeclared

    mbox = write_mbox(tmp_path / "v5.mbox", moving_undeclared("none", include='#include "tdx.h"\n'))
    out = evaluate(EvalRequest((mbox,), jobs=1, cache=None)).result.outcome(
        "v5:02", "ldr_query/TDH_SYS_INIT/success/ldr_ops.c")
    assert out.error_kind == "unsupported" and out.error is not None, out
    assert out.error.startswith("not known to build: ldr_query() calls ldr_call() at ") and out.error.endswith(
        f", unless a header not known declares it ({OPS}:5 includes \"tdx.h\", which the state does not hold)"), out


@pytest.mark.parametrize("call, error", [
    ("return demo_put(x);", True),  # its own name: gcc stops on it
    ("return ops->demo_put(x) + ops . demo_put(x);", False),  # a member of the same name: no call of b.c's
    ('pr_info("demo_put(%d)", x);\n\treturn 0;', False),  # a string
])
def test_only_a_call_by_the_functions_own_name_is_judged(call: str, error: bool) -> None:
    from harness.filestate import full_file
    from harness.undeclaredcall import undeclared_call
    from models.loader import Source

    texts = {"drivers/demo/a.c": "struct demo_ops { int (*demo_put)(int); };\nstatic struct demo_ops *ops;\n\n"
                                 f"int demo_get(int x)\n{{\n\t{call}\n}}\n",
             "drivers/demo/b.c": "int demo_put(int x)\n{\n\treturn x;\n}\n"}
    files = tuple(full_file(p, t, "test") for p, t in texts.items())
    sources = tuple(Source(p, ((1, tuple(t.splitlines())),), True) for p, t in texts.items())
    got = undeclared_call(files, sources, "demo_get", "drivers/demo/a.c")
    assert (got is not None) is error, got
    assert not error or got == ("build", "build error: demo_get() calls demo_put() at drivers/demo/a.c:6; demo_put() "
                                "is defined only in drivers/demo/b.c:1 and nothing drivers/demo/a.c reads declares it "
                                "before the call: gcc: implicit declaration of function 'demo_put' (an error in a "
                                "kernel build)")


@pytest.mark.parametrize(("static", "declared", "error"), [
    ("", "", "build error: demo_get() uses demo_put() at drivers/demo/a.c:7; demo_put() is defined only in "
             "drivers/demo/b.c:1 and nothing drivers/demo/a.c reads declares it before the use: gcc: 'demo_put' "
             "undeclared (first use in this function)"),
    ("static ", "", "build error: demo_get() uses demo_put() at drivers/demo/a.c:7; demo_put() is static in "
                    "drivers/demo/b.c:1 and nothing drivers/demo/a.c reads declares it: gcc: 'demo_put' undeclared "
                    "(first use in this function)"),
    ("static ", "int demo_put(int x);\n", "build error: demo_get() uses demo_put() at drivers/demo/a.c:8; "
                                          "demo_put() is static in drivers/demo/b.c:1: no other unit links it (ld: "
                                          "undefined reference to 'demo_put')"),
    ("", "int demo_put(int x);\n", None),
])
def test_a_function_of_another_unit_handed_on_as_a_value_is_judged_as_a_call(static: str, declared: str,
                                                                            error: str | None) -> None:
    # seamldr_prerr() hands seamldr_err(), moved into tdx.c as a static function, to the retry helper as its error
    # callback: gcc refuses seamldr.c ('seamldr_err' undeclared), but only calls were read, and the mirror ran
    # tdx.c's copy and printed its pr_fmt, a behaviour of code that does not build.
    from harness.filestate import full_file
    from harness.undeclaredcall import undeclared_call
    from models.loader import Source

    texts = {"drivers/demo/a.c": f"static int demo_run(int (*f)(int), int x)\n{{\n\treturn f(x);\n}}\n{declared}"
                                 "int demo_get(int x)\n{\n\treturn demo_run(demo_put, x);\n}\n",
             "drivers/demo/b.c": f"{static}int demo_put(int x)\n{{\n\treturn x;\n}}\n"}
    files = tuple(full_file(p, t, "test") for p, t in texts.items())
    sources = tuple(Source(p, ((1, tuple(t.splitlines())),), True) for p, t in texts.items())
    got = undeclared_call(files, sources, "demo_get", "drivers/demo/a.c")
    assert got == (None if error is None else ("build", error)), got


def test_what_a_unit_reads_is_worked_out_once_per_state_and_unit(monkeypatch: pytest.MonkeyPatch) -> None:
    # Planning asks for every entry point a unit runs: the unit's files, read and sliced, are the same each time. A
    # header's code run in a unit the state does not show says which unit, each time its own.
    import harness.undeclaredcall as undeclaredcall
    from harness.filestate import full_file
    from models.loader import Source

    made: list[str] = []
    real = undeclaredcall._Unit

    def counting(files: Any, by_path: Any, unit: str) -> Any:
        made.append(unit)
        return real(files, by_path, unit)

    monkeypatch.setattr(undeclaredcall, "_Unit", counting)
    texts = {"drivers/demo/a.c": "int demo_get(int x)\n{\n\treturn demo_put(x);\n}\n"
                                 "int demo_set(int x)\n{\n\treturn demo_put(x);\n}\n",
             "drivers/demo/b.c": "int demo_put(int x)\n{\n\treturn x;\n}\n",
             "drivers/demo/demo.h": "static inline int demo_peek(int x)\n{\n\treturn demo_put(x);\n}\n"}
    files = tuple(full_file(p, t, "test") for p, t in texts.items())
    sources = tuple(Source(p, ((1, tuple(t.splitlines())),), True) for p, t in texts.items())
    got = [undeclaredcall.undeclared_call(files, sources, e, "drivers/demo/a.c") for e in ("demo_get", "demo_set")]
    assert [g[0] for g in got if g] == ["build", "build"]
    assert made == ["drivers/demo/a.c", "drivers/demo/b.c"]  # demo_set reaches demo_put, whose unit is b.c
    for unit in ("drivers/demo/u1.c", "drivers/demo/u2.c"):
        kind, why = undeclaredcall.undeclared_call(files, sources, "demo_peek", unit) or ("", "")
        assert kind == "unsupported" and why.endswith(f"({unit} is not known)"), why
    assert made == ["drivers/demo/a.c", "drivers/demo/b.c", "drivers/demo/demo.h"]

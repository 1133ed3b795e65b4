"""Code moved into a header the unit includes before what that code uses does not build: never 'no change'."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from harness.pipeline import EvalRequest, evaluate
from harness.visibility import hidden_names
from models.outcome import ErrorKind
from tests.gitoracle import init_repo
from tests.harness.linkgen import keeps_loader_rule
from tests.mailgen import diff, message, patch_body, write_mbox

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

MATRIX = ('[codes]\nOK = 0\nBAD = 7\n[leaves]\nONE = 1\n[[unit]]\nname = "probe.c"\npath = "drivers/demo/probe.c"\n'
          '[[entry]]\nname = "probe"\n[[script]]\nname = "bad"\nanswers = ["BAD"]\n')
# demo_call() uses a macro and calls a function that probe.c has: where probe.c includes call.h decides
# whether gcc has seen them by then.
HELPER = ("static inline int demo_call(u64 fn, struct tdx_module_args *args)\n{\n"
          "\treturn __seamcall(fn, args) ? demo_fail(DEMO_EIO) : 0;\n}\n")
CALL_H = f"/* SPDX-License-Identifier: GPL-2.0 */\n#ifndef _DEMO_CALL_H\n#define _DEMO_CALL_H\n\n{HELPER}\n#endif\n"
MACRO = "#define DEMO_EIO 5\n"
FAIL = "static inline int demo_fail(int err)\n{\n\treturn -err;\n}\n"
PROTO = "static inline int demo_fail(int err);\n"
# demo.h held demo_call() after what it uses; the patch moves it into call.h, which demo.h includes between
# ``before`` and ``after``. probe.c includes demo.h.
DEMO_H = "/* SPDX-License-Identifier: GPL-2.0 */\n#include <linux/types.h>\n{before}{include}{after}"
PROBE = ('// SPDX-License-Identifier: GPL-2.0\n#include "demo.h"\n\n'
         "int probe(u64 fn, struct tdx_module_args *args)\n{\n\treturn demo_call(fn, args);\n}\n")
STUB = ("typedef unsigned long long u64;\nstruct tdx_module_args { u64 rcx; };\n"
        "u64 __seamcall(u64 fn, struct tdx_module_args *args);\n")


def _demo_h(before: str, after: str, include: str = '#include "call.h"\n') -> str:
    return DEMO_H.format(before=before, include=include, after=after)


def _move(tmp_path: Path, before: str, after: str, helper: str = HELPER, include: str = '#include "call.h"\n'
          ) -> Path:
    """A tree whose demo.h has demo_call() after what it uses, and a patch moving demo_call() into a new
    call.h, which demo.h then includes between ``before`` and ``after``."""
    old = _demo_h(before + after, helper, include="")
    new = _demo_h(before, after, include)
    init_repo(tmp_path / "linux", {"drivers/demo/demo.h": old, "drivers/demo/probe.c": PROBE})
    body = patch_body("Move the helper.", diff("drivers/demo/call.h", None, CALL_H.replace(HELPER, helper))
                      + diff("drivers/demo/demo.h", old, new))
    (tmp_path / "m.toml").write_text(MATRIX)
    return write_mbox(tmp_path / "p.mbox", [message("[PATCH] demo: move demo_call()", "p1@example.org", body)])


def _gcc_builds(tmp_path: Path, before: str, after: str, helper: str = HELPER,
                include: str = '#include "call.h"\n') -> bool:
    """Whether gcc builds probe.c with the patched demo.h (implicit declarations are errors, as in a kernel
    build)."""
    if shutil.which("gcc") is None:
        pytest.skip("gcc is not installed")
    root = tmp_path / "gcc"
    for path, text in {"drivers/demo/call.h": CALL_H.replace(HELPER, helper), "include/linux/types.h": STUB,
                       "drivers/demo/probe.c": PROBE,
                       "drivers/demo/demo.h": _demo_h(before, after, include)}.items():
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


def test_a_macro_the_unit_defines_after_the_header_that_uses_it_does_not_build(tmp_path: Path) -> None:
    mbox = _move(tmp_path, before=FAIL, after=MACRO)
    assert not _gcc_builds(tmp_path, before=FAIL, after=MACRO)
    assert _probe(tmp_path, mbox, "base") == ("ok", None, None)
    status, kind, error = _probe(tmp_path, mbox, "v1")
    assert (status, kind) == ("error", "build")
    assert error == ("drivers/demo/probe.c does not build probe(): DEMO_EIO (drivers/demo/demo.h:8) is defined in "
                     "drivers/demo/probe.c only after the code that uses it (demo_call() at drivers/demo/call.h:5), in "
                     "the order drivers/demo/probe.c reads its headers")
    assert hidden_names(error) == {"DEMO_EIO"}


# '%:' is '#' (C11 6.4.6p3): gcc enters call.h where the digraph include stands. Before, no include was read there:
# the unit ran (ok) where gcc does not build it. A backslash-newline is removed first (phase 2): the split include
# was none, 'demo_call is defined in drivers/demo/call.h, which drivers/demo/probe.c does not include'.
@pytest.mark.parametrize("include", ['#include "call.h"\n', '%:include "call.h"\n', '%: include "call.h"\n',
                                     '#include \\\n"call.h"\n', '#inc\\\nlude "call.h"\n'])
def test_a_function_defined_after_the_header_that_calls_it_does_not_build(tmp_path: Path, include: str) -> None:
    mbox = _move(tmp_path, before=MACRO, after=FAIL, include=include)
    assert not _gcc_builds(tmp_path, before=MACRO, after=FAIL, include=include)
    status, kind, error = _probe(tmp_path, mbox, "v1")
    assert (status, kind) == ("error", "build")
    at = 4 + include.count("\n")  # demo_fail's line: after the include's lines
    assert error is not None and error.startswith("drivers/demo/probe.c does not build probe(): demo_fail "
                                                  f"(drivers/demo/demo.h:{at}) is defined in"), error


@pytest.mark.parametrize("before, after", [
    (MACRO + FAIL, ""),  # both before the include
    (MACRO + PROTO, FAIL),  # the function declared before, defined after
])
def test_what_the_unit_has_before_the_header_runs(tmp_path: Path, before: str, after: str) -> None:
    mbox = _move(tmp_path, before=before, after=after)
    assert _gcc_builds(tmp_path, before=before, after=after)
    assert _probe(tmp_path, mbox, "v1") == ("ok", None, None)


def test_from_mail_alone_a_unit_known_in_hunks_is_not_judged(tmp_path: Path) -> None:
    # demo.h is known only from the patch's hunks: what lies between them may define the macro earlier.
    mbox = _move(tmp_path, before=FAIL, after=MACRO)
    _, kind, _ = _probe(tmp_path, mbox, "v1", tree=False)
    assert kind != "build"


@pytest.mark.parametrize("before, after", [
    # not static: its prototype may be in a header the variant does not hold (a kernel header, declared there)
    (MACRO, FAIL.replace("static inline ", "")),
    # a fallback under #ifndef: a header the variant lacks may define the macro first
    (FAIL, "#ifndef DEMO_EIO\n" + MACRO + "#endif\n"),
])
def test_what_a_header_the_variant_lacks_may_declare_first_is_not_judged(tmp_path: Path, before: str,
                                                                            after: str) -> None:
    mbox = _move(tmp_path, before=before, after=after)
    _, kind, _ = _probe(tmp_path, mbox, "v1")
    assert kind != "build"


TYPED = HELPER.replace("static inline int demo_call(u64 fn,", "static inline demo_ret_t demo_call(u64 fn,")
TYPEDEF = "typedef int demo_ret_t;\n"


def test_a_typedef_the_unit_has_after_the_header_that_uses_it_does_not_build(tmp_path: Path) -> None:
    mbox = _move(tmp_path, before=MACRO + FAIL, after=TYPEDEF, helper=TYPED)
    assert not _gcc_builds(tmp_path, before=MACRO + FAIL, after=TYPEDEF, helper=TYPED)
    status, kind, error = _probe(tmp_path, mbox, "v1")
    assert (status, kind) == ("error", "build")
    assert error is not None and "demo_ret_t (drivers/demo/demo.h:" in error
    assert _gcc_builds(tmp_path, before=MACRO + FAIL + TYPEDEF, after="", helper=TYPED)
    ok = tmp_path / "ok"
    assert _probe(ok, _move(ok, before=MACRO + FAIL + TYPEDEF, after="", helper=TYPED), "v1")[0] == "ok"


# What the loader's file needs of its header, for gcc: the types, a guard() and the printer it calls.
LOADER_STUB = ("typedef unsigned long long u64;\nstruct tdx_module_args { u64 rcx; };\n"
               "static inline void guard_on(void) { }\n#define guard(x) guard_on\n"
               "int seamldr_prerr(u64 fn, struct tdx_module_args *args);\n")
KEEPS_LOADER = keeps_loader_rule("before:2")


def _loader_builds(tmp_path: Path, mbox: Path, flags: tuple[str, ...] = ()) -> tuple[bool, str]:
    """The oracle: git am the series on a tree with the directory's Makefile, then gcc the loader's file as a kernel
    build does (implicit declarations are errors), its header replaced by LOADER_STUB."""
    from tests.gitoracle import am, mailsplit
    from tests.harness.linkgen import OPS
    from tests.harness.seriesgen import MAKEFILE, MAKEFILE_BASE, NEW_HOME

    if shutil.which("gcc") is None:
        pytest.skip("gcc is not installed")
    repo = init_repo(tmp_path / "oracle", {MAKEFILE: MAKEFILE_BASE})
    mails = mailsplit(tmp_path, mbox)[1:]
    for n, raw in enumerate(mails):
        (tmp_path / f"mail-{n}").write_bytes(raw)
    _, err = am(repo, [tmp_path / f"mail-{n}" for n in range(len(mails))])
    assert err == ""
    (repo / NEW_HOME).write_text(LOADER_STUB)
    run = subprocess.run(["gcc", "-fsyntax-only", "-Werror=implicit-function-declaration", *flags, str(repo / OPS)],
                         capture_output=True, text=True, timeout=60, env={**os.environ, "LC_ALL": "C"})
    return run.returncode == 0, run.stderr


@pytest.mark.parametrize("fix_caller", [True, False])
def test_a_caller_left_calling_a_renamed_function_does_not_build(tmp_path: Path, fix_caller: bool) -> None:
    # Patch 2 renames ldr_call() to ldr_invoke() and leaves ldr_query() calling ldr_call(): gcc stops. It was a
    # run the mirror could not do (unknown function), not compared: the rule inconclusive, as for a name mail hides.
    from harness.gate import GateRequest, evaluate_gate
    from harness.verdict import VerdictStatus
    from tests.harness.linkgen import OPS, renaming_call

    mbox = write_mbox(tmp_path / "v5.mbox", renaming_call(fix_caller))
    builds, said = _loader_builds(tmp_path, mbox)
    assert builds is fix_caller and (fix_caller or f"{OPS}:14:16: error: implicit declaration of function 'ldr_call'"
                                     in said), said  # the line the outcome names
    ev = evaluate(EvalRequest((mbox,), jobs=1, cache=None))
    out = ev.result.outcome("v5:02", "ldr_query/TDH_SYS_INIT/success/ldr_ops.c")
    (tmp_path / "r.toml").write_text(KEEPS_LOADER)
    g = evaluate_gate(GateRequest((mbox,), "v5", jobs=1, rules=tmp_path / "r.toml"))
    [verdict] = g.verdicts
    if fix_caller:
        # ldr_call() is gone (a discovered entry point, not paired with its new name): inconclusive, never a fail
        assert out.status == "ok" and verdict.status is not VerdictStatus.FAIL, (out, verdict.note)
        return
    assert out.status == "error" and out.error_kind == "build", out
    assert out.error == (f"build error: ldr_query() calls ldr_call() at {OPS}:14, which a patch of the series removed "
                         "and nothing of the state defines or declares: gcc: implicit declaration of function "
                         "'ldr_call' (an error in a kernel build)")
    move = ev.comparison.per_patch[1]
    assert any(d.scenario.entry.name == "ldr_query" and d.notes[0].startswith("status ok -> error: build error: ")
               for d in move.differences), move.summary()
    assert verdict.status is VerdictStatus.FAIL, (verdict.status, verdict.note)


@pytest.mark.parametrize("keep_prototype", [True, False])
def test_a_function_made_static_after_a_prototype_without_static_does_not_build(tmp_path: Path,
                                                                                 keep_prototype: bool) -> None:
    # Patch 2 makes ldr_call() static and leaves its prototype above without: gcc refuses the unit. It ran as
    # before: "no behaviour change".
    from tests.harness.linkgen import OPS, making_static

    mbox = write_mbox(tmp_path / "v5.mbox", making_static(keep_prototype))
    builds, said = _loader_builds(tmp_path, mbox)
    assert builds is not keep_prototype, said
    assert not keep_prototype or f"{OPS}:14:12: error: static declaration of 'ldr_call' follows non-static" in said
    ev = evaluate(EvalRequest((mbox,), jobs=1, cache=None))
    out = ev.result.outcome("v5:02", "ldr_query/TDH_SYS_INIT/success/ldr_ops.c")
    move = ev.comparison.per_patch[1]
    if not keep_prototype:
        assert out.status == "ok" and not move.changed, move.summary()
        return
    assert out.error_kind == "build" and out.error == (
        f"{OPS}:14: static declaration of 'ldr_call' follows non-static declaration (declared before at {OPS}:6)"), out
    assert move.changed and not move.unchanged, move.summary()


@pytest.mark.parametrize("keep", ["prototype", "macro"])
def test_a_caller_of_a_removed_name_still_declared_is_no_build_error(tmp_path: Path, keep: str) -> None:
    # ldr_call() is renamed and ldr_query() left calling it, but ldr.h, which the unit includes, still declares it
    # (gcc compiles the call: whether another object file defines it, a __weak default or any other, decides the
    # link, which the state does not show) or defines a macro of that name. The prototype case was a build error.
    from harness.gate import GateRequest, evaluate_gate
    from harness.verdict import VerdictStatus
    from tests.harness.linkgen import LDR_H, OPS, renaming_declared

    mbox = write_mbox(tmp_path / "v5.mbox", renaming_declared(keep))
    builds, said = _loader_builds(tmp_path, mbox)
    assert builds, said
    ev = evaluate(EvalRequest((mbox,), jobs=1, cache=None))
    out = ev.result.outcome("v5:02", "ldr_query/TDH_SYS_INIT/success/ldr_ops.c")
    (tmp_path / "r.toml").write_text(KEEPS_LOADER)
    g = evaluate_gate(GateRequest((mbox,), "v5", jobs=1, rules=tmp_path / "r.toml"))
    [verdict] = g.verdicts
    assert out.error_kind != "build" and verdict.status is not VerdictStatus.FAIL, (out, verdict.note)
    if keep == "prototype":
        assert out.error_kind == "unsupported" and out.error == (
            f"not known to build: ldr_query() calls ldr_call() at {OPS}:15, which a patch of the series removed; "
            f"nothing of the state defines it, but {LDR_H}:3 declares it: gcc compiles the call, and whether "
            "another object file defines it (a __weak default or any other) decides the link"), out
        assert verdict.status is VerdictStatus.INCONCLUSIVE, verdict.note


_BODY = "int f(void)\n{{\n\tint n = 1;\n\n{test}\n\tn = 2;\n#endif\n\treturn n;\n}}\n"


@pytest.mark.parametrize(("body", "builds"), [
    # C11 6.10.1: an #ifdef, #ifndef or #if reads a name not yet defined as undefined (0): it builds.
    (_BODY.format(test="#ifdef LATE"), True),
    (_BODY.format(test="#if LATE > 3"), True),
    (_BODY.format(test="#if defined(LATE) && \\\n    LATE > 3"), True),
    # A use of it outside a directive is an undeclared name there: it does not.
    ("int f(void)\n{\n\treturn LATE;\n}\n", False),
])
def test_a_body_that_only_tests_a_macro_defined_later_builds(tmp_path: Path, body: str, builds: bool) -> None:
    from harness.filestate import full_file
    from harness.tuorder import used_before_defined
    from models.loader import Source

    text = body + "#define LATE 5\n"
    files = (full_file("demo/x.c", text, "test"),)
    got = used_before_defined(files, (Source("demo/x.c", ((1, tuple(text.split("\n"))),), True),), "f", "demo/x.c")
    assert (got is None) is builds, got
    cc = shutil.which("gcc")
    if cc is None:
        pytest.skip("gcc (the C oracle) is not installed")
    (tmp_path / "x.c").write_text(text)
    built = subprocess.run([cc, "-c", "-o", str(tmp_path / "x.o"), str(tmp_path / "x.c")], capture_output=True,
                           check=False)
    assert (built.returncode == 0) is builds, built.stderr


def test_a_run_of_a_body_testing_a_macro_defined_later_takes_it_as_undefined_not_a_build_failure(tmp_path: Path
                                                                                                 ) -> None:
    # gcc builds it and takes the #ifdef as false, printing n=1; so does the mirror (models.macroat: before, it was
    # refused as "defined only below")
    from tests.harness.test_prfmt_sites import _logs, _run

    text = ("int f_one(u64 fn, struct tdx_module_args *args)\n{\n\tint n = 1;\n\n#ifdef LATE\n\tn = 2;\n#endif\n"
            "\tpr_err(\"n=%d\\n\", n);\n\treturn 0;\n}\n#define LATE\n")
    result = _run(tmp_path, {"demo/x.c": text}, {"x.c": "demo/x.c"}, "f_one")
    got = _logs(result, "f_one")["x.c"]
    assert got == ["n=1"], got
    assert result.outcome("v", result.matrix.scenarios[0].id).error_kind is not ErrorKind.BUILD


_DEV_ERR_F = "int f(void)\n{\n\tdev_err(NULL, \"x %d\\n\", 1);\n\treturn 0;\n}\n"
_FMT_CALLS = '#define dev_fmt(fmt) "%s: " fmt, late_name()\n'
_LATE_NAME = 'static const char *late_name(void)\n{\n\treturn "n";\n}\n'
_NAMED_F = _DEV_ERR_F.replace('dev_err(NULL, "x %d\\n", 1)', 'printk(dev_fmt("x %d\\n"), 1)')


@pytest.mark.parametrize(("text", "builds"), [
    # dev_err() expands the file's dev_fmt above f, which calls late_name(), declared only below: gcc stops
    (_FMT_CALLS + _DEV_ERR_F + _LATE_NAME, False),
    # below f: gcc expands the header's fallback there (include/linux/dev_printk.h), which calls nothing
    (_DEV_ERR_F + _FMT_CALLS + _LATE_NAME, True),
    # the same with f naming dev_fmt itself
    (_FMT_CALLS + _NAMED_F + _LATE_NAME, False), (_NAMED_F + _FMT_CALLS + _LATE_NAME, True),
])
def test_a_dev_fmt_dev_err_expands_is_read_where_it_is_in_force(tmp_path: Path, text: str, builds: bool) -> None:
    # Before, the dev_fmt that dev_err() reaches (through the prelude) was not followed: both were said to build
    from harness.filestate import full_file
    from harness.tuorder import used_before_defined
    from models.loader import Source

    files = (full_file("demo/x.c", text, "test"),)
    got = used_before_defined(files, (Source("demo/x.c", ((1, tuple(text.split("\n"))),), True),), "f", "demo/x.c")
    assert (got is None) is builds, got
    assert builds or "late_name" in (got or "")
    cc = shutil.which("gcc")
    if cc is None:
        pytest.skip("gcc (the C oracle) is not installed")
    header = ("#include <stdio.h>\n#define NULL ((void *)0)\n#ifndef dev_fmt\n#define dev_fmt(fmt) fmt\n#endif\n"
              "#define dev_err(dev, fmt, ...) printf(\"(NULL device *): \" dev_fmt(fmt), ##__VA_ARGS__)\n"
              "#define printk printf\n")
    (tmp_path / "x.c").write_text(header + text)
    built = subprocess.run([cc, "-w", "-Werror=implicit-function-declaration", "-c", "-o", str(tmp_path / "x.o"),
                            str(tmp_path / "x.c")], capture_output=True, check=False)
    assert (built.returncode == 0) is builds, built.stderr

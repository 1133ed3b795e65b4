"""A macro a patch makes evaluate an argument another number of times is never "no behaviour change"."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from harness.cppscan import MacroTable, logical_lines, parse_define, tokens
from harness.gate import GateRequest, evaluate_gate
from harness.macroargs import Paths, _macro_counts, count_changes, function_params, path_counts
from harness.pipeline import EvalRequest, evaluate
from harness.verdict import VerdictStatus
from models.loader import Source, definitions
from tests.harness.seriesgen import (
    BUILD_WRAPPER,
    NEW_HOME,
    OLD_HOME,
    PREAMBLE,
    PREPARE,
    PREPARE_KEEPS_RULES,
    RETRY_SAFE,
    TAIL,
    WRAPPER,
    WRAPPER_C,
    Step,
    helpers,
    preparing_series,
    revision,
)
from tests.mailgen import write_mbox

RULES = PREPARE_KEEPS_RULES

OLD = "#define seamldr_prerr(_fn, _args)\tsc_retry_prerr(__seamcall, (_fn), (_args))\n"
# _fn evaluated twice (the comma sequences the two: gcc's build of 'seamldr_prerr(i++, args)' leaves i two up).
TWICE = "#define seamldr_prerr(_fn, _args)\t((void)(_fn), sc_retry_prerr(__seamcall, (_fn), (_args)))\n"
# _fn evaluated once, its type read by typeof (not evaluated: C11 6.7.2.4 as gcc implements it).
TYPED = "#define seamldr_prerr(_fn, _args)\t({ typeof(_fn) __f = (_fn); sc_retry_prerr(__seamcall, __f, (_args)); })\n"


@pytest.mark.parametrize(("text", "params", "want"), [
    (OLD, ("_fn", "_args"), (1, 1)),
    (TWICE, ("_fn", "_args"), (2, 1)),
    (TYPED, ("_fn", "_args"), (1, 1)),
    ("#define f(x, y)\tsizeof(x) + __builtin_constant_p(y) + #x", ("x", "y"), (0, 0)),
    ("#define f(x, y)\tx ## _name(y) + y", ("x", "y"), (0, 2)),
    ("#define f(x, ...)\tg(x, \\\n\t  __VA_ARGS__, __VA_ARGS__)", ("x", "..."), (1, 2)),
    # gcc's ', ## __VA_ARGS__' drops a comma, it pastes nothing: the variable arguments are evaluated (before: 0).
    ("#define f(x, ...)\tg(x, ##__VA_ARGS__) + h(0, ## __VA_ARGS__)", ("x", "..."), (1, 2)),
    ("#define f(x, args...)\tg(x, ## args)", ("x", "args..."), (1, 1)),
    ("#define f(x, ...)\tg(x ## __VA_ARGS__)", ("x", "..."), (0, 0)),
])
def test_evaluations_count_what_is_evaluated(text: str, params: tuple[str, str], want: tuple[int, int]) -> None:
    assert path_counts(text, params) == tuple(frozenset({n}) for n in want)


def _gcc_after_call(tmp_path: Path, macro: str, start: int = 5, call: str = "seamldr_prerr(i++, 0)") -> str:
    """gcc's build of ``macro`` called as ``call`` from i = ``start``: 'i r calls' after it."""
    if shutil.which("gcc") is None:
        pytest.skip("gcc (the C oracle) is not installed")
    src, exe = tmp_path / "oracle.c", tmp_path / "oracle"
    src.write_text("#include <stdio.h>\ntypedef unsigned long long u64;\nstruct tdx_module_args;\nstatic int calls;\n"
                   "#define EINVAL 22\nstatic int sc_retry_prerr(int op, u64 fn, struct tdx_module_args *args)\n"
                   "{\n\tcalls++;\n\treturn (int)fn + op + !!args;\n}\n#define __seamcall 0\n" + macro +
                   f"int main(void)\n{{\n\tu64 i = {start};\n\tint r = {call};\n\n"
                   "\tprintf(\"%llu %d %d\\n\", i, r, calls);\n\treturn 0;\n}\n")
    subprocess.run(["gcc", "-O1", "-Wall", "-Werror", "-o", str(exe), str(src)], check=True)
    return subprocess.run([str(exe)], check=True, capture_output=True, text=True).stdout.strip()


def _prepare(tmp_path: Path, macro: str) -> tuple[VerdictStatus, str, str]:
    """The equivalence rule's verdict and note on the 'Prepare' patch making seamldr_prerr() ``macro``, and eval's
    words for the patch."""
    mbox = write_mbox(tmp_path / "v2.mbox", preparing_series(helpers(RETRY_SAFE).replace(OLD, macro)))
    (tmp_path / "r.toml").write_text(RULES)
    (v,) = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=tmp_path / "r.toml")).verdicts
    cmp = evaluate(EvalRequest((mbox,), cache=None, jobs=1)).comparison.per_patch[1]
    assert not cmp.changed
    return v.status, v.note, cmp.verdict()


def test_an_argument_evaluated_twice_is_not_the_same(tmp_path: Path) -> None:
    assert _gcc_after_call(tmp_path, OLD) == "6 5 1" and _gcc_after_call(tmp_path, TWICE) == "7 6 1"
    status, note, said = _prepare(tmp_path, TWICE)
    # Before: PASS, and eval 'no behaviour change in the 280 of 490 scenarios that ran on both sides': every run
    # passes a plain leaf, which the comma evaluates twice to no effect.
    assert status is VerdictStatus.INCONCLUSIVE, (status, note)
    assert "seamldr_prerr() evaluates its argument _fn twice in v2 (" in note and ", once in v2:01" in note, note
    assert said.endswith("but the patch changes a macro argument's evaluation count that none of them tells apart"), \
        said


def test_an_argument_whose_type_alone_is_read_again_stays_the_same(tmp_path: Path) -> None:
    assert _gcc_after_call(tmp_path, OLD) == _gcc_after_call(tmp_path, TYPED) == "6 5 1"
    status, note, said = _prepare(tmp_path, TYPED)
    assert status is VerdictStatus.PASS, (status, note)
    assert "macro argument" not in said, said


@pytest.mark.parametrize("name", ["seamldr_prerr", "seamldr_call_prerr"], ids=["moved", "moved-and-renamed"])
def test_a_move_that_evaluates_an_argument_twice_is_not_a_clean_move(tmp_path: Path, name: str) -> None:
    moved = helpers(RETRY_SAFE).replace(OLD, TWICE.replace("seamldr_prerr", name))
    moved = moved.replace("SH_TEST_TDX_H", "SH_TEST_INTERNAL_H")
    msgs = revision(4, [
        Step("x86/virt/tdx: Move SEAMCALL helpers to an internal header",
             ((OLD_HOME, helpers(RETRY_SAFE), PREAMBLE + TAIL), (NEW_HOME, None, moved))),
        Step("x86/virt/seamldr: Add a P-SEAMLDR query wrapper",
             ((WRAPPER, None, WRAPPER_C.replace("seamldr_prerr", name)), BUILD_WRAPPER)),
    ])
    said = f"{name}() evaluates" if name == "seamldr_prerr" else f"{name}() (was seamldr_prerr()) evaluates"
    mbox = write_mbox(tmp_path / "v4.mbox", msgs)
    (move,) = [v for v in evaluate_gate(GateRequest((mbox,), "v4", jobs=1)).verdicts
               if v.rule.id == "move-preserves-behaviour"]
    # Before: PASS ('moves ... seamldr_prerr (body 71% the same: changed in the move) ...: 280 scenarios ... ran').
    # Renamed on the way, the macro is found by its body (harness.renames), not by its name.
    assert move.status is VerdictStatus.INCONCLUSIVE, (move.status, move.note)
    assert f"{said} its argument _fn twice in v4:01" in move.note, move.note
    findings = [f for f in evaluate(EvalRequest((mbox,), cache=None, jobs=1)).comparison.findings
                if f.kind.name.startswith("CODE_MOVE")]
    # Before: CODE_MOVE '... without changing behaviour (280 scenarios ...)'.
    assert [f.kind.name for f in findings] == ["CODE_MOVE_NOT_COMPARED"], findings
    assert f"{said} its argument _fn twice" in findings[0].text, findings[0].text


@pytest.mark.parametrize(("text", "want"), [
    ("static inline int f(sc_func_t op, u64 fn, struct tdx_module_args *args)\n{\n}\n", ("op", "fn", "args")),
    ("int f(void)\n{\n}\n", ()),
    ("int f(const char *fmt, ...)\n{\n}\n", ("fmt", "...")),
    ("int f(int (*cb)(int, ...), ...)\n{\n}\n", ("cb", "...")),
])
def test_function_params_read_the_declaration(text: str, want: tuple[str, ...] | None) -> None:
    assert function_params(text, "f") == want


FUNCTION = "static __always_inline int sc_retry_prerr(sc_func_t op, u64 fn, struct tdx_module_args *args)\n{\n" \
    "\tu64 err = sc_retry(op, fn, args);\n\n\tif (err == TDX_SUCCESS)\n\t\treturn 0;\n" \
    "\tseamcall_err(fn, err, args);\n\treturn -EIO;\n}\n"
MACRO = "#define sc_retry_prerr(op, fn, args)\t({\t\t\t\t\t\\\n\tu64 __err = sc_retry(op, fn, args);\t\t\t\\\n" \
    "\t__err == TDX_SUCCESS ? 0 : (seamcall_err(fn, __err, args), -EIO); \\\n})\n"


def _gcc_failing(tmp_path: Path, helper: str) -> str:
    """gcc's build of ``helper`` (sc_retry_prerr()) called as 'sc_retry_prerr(fail, i++, 0)' from i = 5, every
    SEAMCALL failing: 'i ret' after it."""
    if shutil.which("gcc") is None:
        pytest.skip("gcc (the C oracle) is not installed")
    src, exe = tmp_path / "failing.c", tmp_path / "failing"
    src.write_text("#include <stdio.h>\ntypedef unsigned long long u64;\nstruct tdx_module_args;\n"
                   "typedef u64 (*sc_func_t)(u64 fn, struct tdx_module_args *args);\n#define TDX_SUCCESS 0ULL\n"
                   "#define EIO 5\n"
                   "static u64 fail(u64 fn, struct tdx_module_args *args)\n{\n\treturn fn | 1 | !!args;\n}\n"
                   "static u64 sc_retry(sc_func_t op, u64 fn, struct tdx_module_args *args)\n{\n"
                   "\treturn op(fn, args);\n}\nstatic void seamcall_err(u64 fn, u64 err, struct tdx_module_args *a)\n"
                   "{\n\t(void)fn, (void)err, (void)a;\n}\n" + helper +
                   "int main(void)\n{\n\tu64 i = 5;\n\tint r = sc_retry_prerr(fail, i++, 0);\n\n"
                   "\tprintf(\"%llu %d\\n\", i, r);\n\treturn 0;\n}\n")
    subprocess.run(["gcc", "-O1", "-Wall", "-Werror", "-o", str(exe), str(src)], check=True)
    return subprocess.run([str(exe)], check=True, capture_output=True, text=True).stdout.strip()


def test_a_function_made_a_macro_evaluating_an_argument_twice_is_not_the_same(tmp_path: Path) -> None:
    # gcc: a failing call of the macro with 'i++' for fn leaves i two up (the function's, one); a succeeding one, one
    # up: once or twice, by the path.
    assert FUNCTION in helpers(RETRY_SAFE)
    assert _gcc_failing(tmp_path, FUNCTION) == "6 -5" and _gcc_failing(tmp_path, MACRO) == "7 -5"
    mbox = write_mbox(tmp_path / "v2.mbox", preparing_series(helpers(RETRY_SAFE).replace(FUNCTION, MACRO)))
    (tmp_path / "r.toml").write_text(RULES)
    (v,) = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=tmp_path / "r.toml")).verdicts
    # Before: INCONCLUSIVE only as 'sc_retry_prerr (...:35-38) never ran in v2' (a macro's lines): not for this.
    assert v.status is VerdictStatus.INCONCLUSIVE, (v.status, v.note)
    assert "sc_retry_prerr() evaluates its argument fn once or twice in v2 (" in v.note, v.note
    assert ", once in v2:01" in v.note, v.note
    said = evaluate(EvalRequest((mbox,), cache=None, jobs=1)).comparison.per_patch[1].verdict()
    # Before: '..., but some of the code the patch changes never ran' (the macro's lines), the count unsaid.
    assert said.endswith(", but the patch changes a macro argument's evaluation count that none of them tells apart, "
                         "and some of the code it changes never ran"), said


def test_a_macro_renamed_by_the_patch_is_followed_by_the_equivalence_rule(tmp_path: Path) -> None:
    base, renamed = helpers(RETRY_SAFE), TWICE.replace("seamldr_prerr", "seamldr_call_prerr")
    mbox = write_mbox(tmp_path / "v2.mbox", revision(2, [
        Step("x86/virt/tdx: Add an internal SEAMCALL helper header", ((NEW_HOME, None, base),)),
        Step(PREPARE, ((NEW_HOME, base, base.replace(OLD, renamed)),)),
        Step("x86/virt/seamldr: Add a P-SEAMLDR query wrapper",
             ((WRAPPER, None, WRAPPER_C.replace("seamldr_prerr(", "seamldr_call_prerr(")), BUILD_WRAPPER))]))
    (tmp_path / "r.toml").write_text(RULES)
    (v,) = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=tmp_path / "r.toml")).verdicts
    # Before: PASS ('followed seamldr_prerr -> seamldr_call_prerr, ... all the same'): the names alone were compared.
    assert v.status is VerdictStatus.INCONCLUSIVE, (v.status, v.note)
    assert "seamldr_call_prerr() (was seamldr_prerr()) evaluates its argument _fn twice in v2 (" in v.note, v.note


ONCE, TWICE_ALWAYS, ONE_OR_TWO = frozenset({1}), frozenset({2}), frozenset({1, 2})


@pytest.mark.parametrize(("was", "now", "want"), [
    ((("fmt", "..."), (ONCE, ONCE)), (("fmt", "..."), (ONCE, TWICE_ALWAYS)),
     (("variable arguments (...)", ONCE, TWICE_ALWAYS),)),
    # A call 'f(a, b, c)' fits both: b and c are the macro's variable arguments, the function's b a named one.
    ((("a", "b", "..."), (ONCE,) * 3), (("a", "..."), (ONCE, ONCE)), ()),
    ((("a", "b", "..."), (ONCE,) * 3), (("a", "rest..."), (ONCE, frozenset({0}))),
     (("variable arguments (rest...)", ONCE, frozenset({0})),)),
    ((("a", "b"), (ONCE, ONCE)), (("a", "b", "c"), (ONCE, TWICE_ALWAYS, TWICE_ALWAYS)), ()),  # no call fits both
    ((("a", "b"), (ONCE, ONCE)), (("a", "..."), (ONCE, TWICE_ALWAYS)), (("variable arguments (...)", ONCE,
                                                                          TWICE_ALWAYS),)),
    # Once or twice on both sides is not 'the same': which path evaluates it twice may have changed.
    ((("a",), (ONE_OR_TWO,)), (("a",), (ONE_OR_TWO,)), (("argument a", ONE_OR_TWO, ONE_OR_TWO),)),
    ((("a",), (ONE_OR_TWO,)), (("a",), (TWICE_ALWAYS,)), (("argument a", ONE_OR_TWO, TWICE_ALWAYS),)),
    ((("a",), (ONCE,)), (("a",), (None,)), (("argument a", ONCE, None),)),
])
def test_count_changes_match_arguments_by_position(was: tuple[tuple[str, ...], tuple[Paths, ...]],
                                                   now: tuple[tuple[str, ...], tuple[Paths, ...]],
                                                   want: tuple[tuple[str, Paths, Paths], ...]) -> None:
    assert count_changes(was, now) == want


@pytest.mark.parametrize(("body", "want"), [
    ("c ? f(x) : g(x)", (ONCE, ONCE)),  # one branch or the other: once on each path
    ("(x) ? a : b(x)", (ONE_OR_TWO, frozenset({0}))),
    ("(x) && g(x) || c", (ONE_OR_TWO, frozenset({0, 1}))),
    ("do { g(x); (void)(x); } while (0)", (TWICE_ALWAYS, frozenset({0}))),
    ("({ u64 __f = (x); (void)(x); __f ? s(__f) : c; })", (TWICE_ALWAYS, frozenset({0, 1}))),
    ("a ? b ? x : 0 : x", (frozenset({0, 1}), frozenset({0}))),
    ("do { if (c) g(x); } while (0)", (frozenset({0, 1}), ONCE)),  # C11 6.8.4.1: a branch or none
    ("do { if (x) g(x); else if (c) h(0); else k(x, x); (void)(c); } while (0)", (frozenset({1, 2, 3}), ONE_OR_TWO)),
    ("({ if (c) { g(x); k(x); } else h(x); 0; })", (ONE_OR_TWO, ONCE)),
    ("do { for (;;) g(x); } while (0)", (None, frozenset({0}))),  # a loop: not followed
    ("do { g(x); } while (c)", (None, None)),
    ("sizeof(x) + (x | c & x)", (TWICE_ALWAYS, ONCE)),
])
def test_path_counts_follow_the_operators_that_skip_operands(body: str, want: tuple[Paths, ...]) -> None:
    assert path_counts(f"#define f(x, c)\t{body}\n", ("x", "c")) == want


VARIADIC = "static inline void seamcall_err(u64 fn, u64 err, ...)\n{\n" \
    "\tpr_err(\"SEAMCALL (%llu) failed: %#016llx\\n\", fn, err);\n}\n"
# The variable arguments evaluated twice (a second, silent, use of them; not no_printk(), whose 'if (0)' gcc never
# runs).
VA_TWICE = "#define seamcall_err(fn, err, ...)\tdo {\t\t\t\t\\\n" \
    "\tpr_err(\"SEAMCALL (%llu) failed: %#016llx\\n\", (fn), (err), ##__VA_ARGS__); \\\n" \
    "\t(void)(__VA_ARGS__);\t\t\t\t\\\n} while (0)\n"
VA_ONCE = "#define seamcall_err(fn, ...)\tpr_err(\"SEAMCALL (%llu) failed: %#016llx\\n\", (fn), __VA_ARGS__)\n"


def _gcc_variadic(tmp_path: Path, helper: str) -> str:
    """gcc's build of ``helper`` (seamcall_err()) called as 'seamcall_err(1, 2, i++)' from i = 5: 'i' after it."""
    if shutil.which("gcc") is None:
        pytest.skip("gcc (the C oracle) is not installed")
    src, exe = tmp_path / "variadic.c", tmp_path / "variadic"
    src.write_text("#include <stdio.h>\ntypedef unsigned long long u64;\n#define pr_err(fmt, ...) "
                   "fprintf(stderr, fmt, ##__VA_ARGS__)\n" + helper +
                   "int main(void)\n{\n\tu64 i = 5;\n\n\tseamcall_err(1, 2, i++);\n"
                   "\tprintf(\"%llu\\n\", i);\n\treturn 0;\n}\n")
    subprocess.run(["gcc", "-O1", "-Wall", "-Wno-format-extra-args", "-o", str(exe), str(src)], check=True)
    return subprocess.run([str(exe)], check=True, capture_output=True, text=True).stdout.strip()


@pytest.mark.parametrize(("macro", "gcc_says", "status"), [
    (VA_TWICE, "7", VerdictStatus.INCONCLUSIVE),
    (VA_ONCE, "6", VerdictStatus.PASS),
], ids=["variable-arguments-twice", "variable-arguments-once"])
def test_a_variadic_function_made_a_macro_is_checked(tmp_path: Path, macro: str, gcc_says: str,
                                                      status: VerdictStatus) -> None:
    assert _gcc_variadic(tmp_path, VARIADIC) == "6" and _gcc_variadic(tmp_path, macro) == gcc_says
    base = helpers(RETRY_SAFE).replace(
        "static inline void seamcall_err(u64 fn, u64 err, struct tdx_module_args *args)\n{\n"
        "\tpr_err(\"SEAMCALL (%llu) failed: %#016llx\\n\", fn, err);\n}\n", VARIADIC)
    assert VARIADIC in base
    mbox = write_mbox(tmp_path / "v2.mbox", preparing_series(base.replace(VARIADIC, macro), base=base))
    (tmp_path / "r.toml").write_text(RULES)
    (v,) = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=tmp_path / "r.toml")).verdicts
    said = evaluate(EvalRequest((mbox,), cache=None, jobs=1)).comparison.per_patch[1].verdict()
    # Before (twice): PASS and eval 'no behaviour change in the 280 of 490 scenarios that ran on both sides': a
    # variadic function's parameters were not read, so the macro was never compared with it.
    assert v.status is status, (v.status, v.note)
    twice = "seamcall_err() evaluates its variable arguments (...) twice in v2 ("
    assert (twice in v.note) is (status is VerdictStatus.INCONCLUSIVE), v.note
    assert ("macro argument" in said) is (status is VerdictStatus.INCONCLUSIVE), said


# _fn evaluated once or twice (twice when it is not 0) ...
GUARDED = "#define seamldr_prerr(_fn, _args)\t((_fn) ? sc_retry_prerr(__seamcall, (_fn), (_args)) : -EINVAL)\n"
# ... made twice always: as many occurrences, as the same plain values print.
GUARDED_TWICE = "#define seamldr_prerr(_fn, _args)\t({ u64 __f = (_fn); (void)(_fn);\t\\\n" \
    "\t__f ? sc_retry_prerr(__seamcall, __f, (_args)) : -EINVAL; })\n"
# _fn evaluated once on either path (its width picks the branch; sizeof evaluates none).
EITHER = "#define seamldr_prerr(_fn, _args)\t(sizeof(_fn) == 8 ?\t\t\\\n" \
    "\tsc_retry_prerr(__seamcall, (_fn), (_args)) : sc_retry_prerr(__seamcall, (u64)(_fn), (_args)))\n"


def test_an_argument_evaluated_as_often_but_on_other_paths_is_not_the_same(tmp_path: Path) -> None:
    assert _gcc_after_call(tmp_path, GUARDED, 0) == "1 -22 0" and _gcc_after_call(tmp_path, GUARDED_TWICE, 0) == \
        "2 -22 0"
    mbox = write_mbox(tmp_path / "v2.mbox", preparing_series(helpers(RETRY_SAFE).replace(OLD, GUARDED_TWICE),
                                                             base=helpers(RETRY_SAFE).replace(OLD, GUARDED)))
    (tmp_path / "r.toml").write_text(RULES)
    (v,) = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=tmp_path / "r.toml")).verdicts
    # Before: PASS (two occurrences of _fn on each side, counted as 'the same').
    assert v.status is VerdictStatus.INCONCLUSIVE, (v.status, v.note)
    assert "seamldr_prerr() evaluates its argument _fn twice in v2 (" in v.note, v.note
    assert ", once or twice in v2:01" in v.note, v.note

# The same by statements: C11 6.8.4.1 runs one branch.
EITHER_IF = "#define seamldr_prerr(_fn, _args)\t({ int __r;\t\t\t\\\n" \
    "\tif (sizeof(_fn) == 8)\t\t\t\t\t\\\n\t\t__r = sc_retry_prerr(__seamcall, (_fn), (_args));\t\\\n" \
    "\telse\t\t\t\t\t\t\\\n\t\t__r = sc_retry_prerr(__seamcall, (u64)(_fn), (_args)); \\\n\t__r; })\n"


@pytest.mark.parametrize("macro", [EITHER, EITHER_IF], ids=["conditional-operator", "if-else"])
def test_an_argument_evaluated_once_on_each_branch_is_the_same(tmp_path: Path, macro: str) -> None:
    assert _gcc_after_call(tmp_path, OLD) == _gcc_after_call(tmp_path, macro) == "6 5 1"
    status, note, said = _prepare(tmp_path, macro)
    # Before: INCONCLUSIVE ('evaluates its argument _fn twice'): two occurrences, one on each path.
    assert "macro argument" not in note and "macro argument" not in said, (note, said)
    assert status is VerdictStatus.PASS, (status, note)


# seamldr_prerr() stops calling the function sc_retry_prerr() and calls a macro of its files that evaluates _fn
# twice: seamldr_prerr()'s own body holds _fn once, as before.
NESTED_TWICE = "#define __seamldr_twice(_fn, _args)\t((void)(_fn), sc_retry_prerr(__seamcall, (_fn), (_args)))\n"
NESTED_ONCE = "#define __seamldr_once(_fn, _args)\tsc_retry_prerr(__seamcall, (_fn), (_args))\n"
CALLS_TWICE = "#define seamldr_prerr(_fn, _args)\t__seamldr_twice(_fn, _args)\n"
# Two macros deep: seamldr_prerr() -> __seamldr_by() -> __seamldr_twice().
BY = "#define __seamldr_by(_fn, _args)\t__seamldr_twice(_fn, _args)\n"
CALLS_BY = "#define seamldr_prerr(_fn, _args)\t__seamldr_by(_fn, _args)\n"


@pytest.mark.parametrize(("base", "new", "gcc_says", "through"), [
    (OLD, NESTED_TWICE + CALLS_TWICE, "7 6 1", "through __seamldr_twice()"),
    (NESTED_TWICE + OLD, NESTED_TWICE + CALLS_TWICE, "7 6 1", "through __seamldr_twice()"),
    (OLD, NESTED_TWICE + BY + CALLS_BY, "7 6 1", "through __seamldr_by(), __seamldr_twice()"),
    (OLD, NESTED_ONCE + CALLS_TWICE.replace("twice", "once"), "6 5 1", ""),
], ids=["new-macro", "macro-of-both-sides", "two-macros-deep", "new-macro-once"])
def test_an_argument_handed_to_a_macro_is_counted_through_its_expansion(tmp_path: Path, base: str, new: str,
                                                                       gcc_says: str, through: str) -> None:
    assert _gcc_after_call(tmp_path, OLD) == "6 5 1" and _gcc_after_call(tmp_path, new) == gcc_says
    mbox = write_mbox(tmp_path / "v2.mbox", preparing_series(helpers(RETRY_SAFE).replace(OLD, new),
                                                             base=helpers(RETRY_SAFE).replace(OLD, base)))
    (tmp_path / "r.toml").write_text(RULES)
    (v,) = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=tmp_path / "r.toml")).verdicts
    # Before: PASS for all four (seamldr_prerr() names _fn once on each side; the macro it calls was not looked into).
    if not through:
        assert v.status is VerdictStatus.PASS and "macro argument" not in v.note, (v.status, v.note)
        return
    assert v.status is VerdictStatus.INCONCLUSIVE, (v.status, v.note)
    assert "seamldr_prerr() evaluates its argument _fn twice in v2 (" in v.note, v.note
    assert f", {through}), once in v2:01" in v.note, v.note
    # eval: where the macro called is new, its runs differ ('__seamldr_twice() is new'); the caller's count is still
    # said (before: only the new macro's runs, as if the patch changed nothing else).
    cmp = evaluate(EvalRequest((mbox,), cache=None, jobs=1)).comparison.per_patch[1]
    assert [u for u in cmp.undecided if "seamldr_prerr() evaluates its argument _fn twice in v2:02 (" in u], \
        cmp.undecided


# A string literal that spells a parameter's name is no evaluation of it (C11 6.4.5: one token).
SPELLED = "#define seamldr_prerr(_fn, _args)\t((void)\"_fn\", sc_retry_prerr(__seamcall, (_fn), (_args)))\n"


def test_a_parameter_spelled_in_a_string_is_not_counted(tmp_path: Path) -> None:
    assert path_counts(SPELLED, ("_fn", "_args")) == (frozenset({1}), frozenset({1}))
    assert _gcc_after_call(tmp_path, SPELLED) == "6 5 1" and _gcc_after_call(tmp_path, TWICE) == "7 6 1"
    mbox = write_mbox(tmp_path / "v2.mbox", preparing_series(helpers(RETRY_SAFE).replace(OLD, TWICE),
                                                             base=helpers(RETRY_SAFE).replace(OLD, SPELLED)))
    (tmp_path / "r.toml").write_text(RULES)
    (v,) = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=tmp_path / "r.toml")).verdicts
    # Before: PASS ('"_fn"' was read as a use of _fn: twice on both sides).
    assert v.status is VerdictStatus.INCONCLUSIVE, (v.status, v.note)
    assert "seamldr_prerr() evaluates its argument _fn twice in v2 (" in v.note, v.note


def test_path_counts_expand_the_macros_given() -> None:
    macros = MacroTable()
    for text in (NESTED_TWICE, "#define PICK\t__seamldr_twice\n", "#define paste(x, y)\tx ## y\n"):
        for line in logical_lines(tokens(text)):
            made = parse_define(line[2:], kernel=False, where="")
            assert made is not None
            macros.define(made, conditional=False)
    assert path_counts(CALLS_TWICE, ("_fn", "_args"), macros) == (TWICE_ALWAYS, ONCE)
    assert path_counts(CALLS_TWICE, ("_fn", "_args")) == (ONCE, ONCE)  # no table: a call like a function's
    # An object-like macro naming the macro (rescanned, C11 6.10.3.4), a name pasted out of an argument (not evaluated).
    assert path_counts("#define f(x, y)\tPICK(x, y) + paste(x, _end)\n", ("x", "y"), macros) == (TWICE_ALWAYS, ONCE)


def test_an_expansion_past_the_budget_is_undecided_but_the_same_text_is_the_same_macro() -> None:
    # E6(x) makes 10**6 tokens: undecided, in a fraction of a second (the budget: harness.macroargs._BUDGET).
    grown = "".join(f"#define E{k}(x)\t" + " ".join([f"E{k - 1}(x)"] * 10) + "\n" for k in range(2, 7))
    text = "#define E1(x)\t" + " ".join(["x"] * 10) + "\n" + grown + "#define A(x)\tE6(x)\n"
    tables = [definitions((Source(f"a/{n}.h", ((1, tuple(text.split("\n"))),), True),)) for n in "ab"]
    counted = [_macro_counts(t)["A"] for t in tables]
    assert counted[0][1] == (None,) and counted[0][3] == counted[1][3] and counted[0][3], counted[0]
    assert _macro_counts(tables[0])["E4"][1] == (frozenset({10_000}),)  # within the budget: counted


# __seamldr_b() as an #if the slicer cannot decide defines it: twice in one configuration, once in the other.
EITHER_CONFIG = "#if defined(SH_TEST_UNDECIDED)\n" + NESTED_TWICE.replace("twice", "b") + "#else\n" + \
    NESTED_ONCE.replace("once", "b") + "#endif\n" + CALLS_TWICE.replace("twice", "b")


def test_a_macro_an_undecided_if_defines_twice_counts_each_configuration(tmp_path: Path) -> None:
    assert _gcc_after_call(tmp_path, EITHER_CONFIG) == "6 5 1"
    assert _gcc_after_call(tmp_path, "#define SH_TEST_UNDECIDED\n" + EITHER_CONFIG) == "7 6 1"
    table = definitions((Source("a/h.h", ((1, tuple(EITHER_CONFIG.split("\n"))),), True),))
    assert table["__seamldr_b"][0].condition is not None  # undecided: both are kept
    counted = _macro_counts(table)
    # Before: once (the first alternative alone was read); now once or twice, as each configuration builds it.
    assert counted["seamldr_prerr"][1] == (ONE_OR_TWO, ONCE) and counted["__seamldr_b"][1] == (ONE_OR_TWO, ONCE)


# no_printk()'s way: an 'if (0)' branch is compiled (its format checked) and never run (C11 6.8.4.1).
DEAD = "#define seamldr_prerr(_fn, _args)\t({ int __r = sc_retry_prerr(__seamcall, 0, (_args));\t\\\n" \
    "\tif (0)\t\t\t\t\t\t\t\\\n\t\t__r = sc_retry_prerr(__seamcall, (_fn), (_args));\t\\\n\t__r; })\n"


def test_an_if_0_branch_evaluates_nothing(tmp_path: Path) -> None:
    assert _gcc_after_call(tmp_path, DEAD) == "5 0 1"  # _fn never evaluated
    assert path_counts(DEAD, ("_fn", "_args")) == (frozenset({0}), ONCE)  # before: never or once
    assert path_counts(DEAD.replace("(0)", "((1))"), ("_fn", "_args")) == (ONCE, TWICE_ALWAYS)
    # An unevaluated operand is no constant: 'if (sizeof(_fn))' is not 'if (0)'.
    assert path_counts(DEAD.replace("(0)", "(sizeof(_fn))"), ("_fn", "_args")) == (frozenset({0, 1}), ONE_OR_TWO)


def test_a_macro_spliced_before_crlf_is_read_whole(tmp_path: Path) -> None:
    # gcc splices a backslash before CR LF as before LF: the macro evaluates x twice.
    if shutil.which("gcc") is None:
        pytest.skip("gcc (the C oracle) is not installed")
    spliced = "#define A(x)\t\\\r\n\t((void)(x), (x))\r\n"
    program = "#include <stdio.h>\r\n" + spliced + "int main(void)\r\n{\r\n\tint i = 5;\r\n\r\n" \
        "\t(void)A(i++);\r\n\tprintf(\"%d\\n\", i);\r\n\treturn 0;\r\n}\r\n"
    (tmp_path / "crlf.c").write_bytes(program.encode())
    subprocess.run(["gcc", "-Wall", "-Werror", "-o", str(tmp_path / "crlf"), str(tmp_path / "crlf.c")], check=True)
    assert subprocess.run([str(tmp_path / "crlf")], check=True, capture_output=True, text=True).stdout == "7\n"
    # Before: never (the body was cut at the first line end: the definition read as '#define A(x)' alone).
    assert path_counts(spliced, ("x",)) == (TWICE_ALWAYS,)



def test_a_macro_text_is_read_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two definitions tables holding the same #define (two variants sharing a file): its text is tokenized once,
    read as the same macro."""
    import harness.macroargs as macroargs

    text = "#define SC_TWICE(x) ((x) + (x))"
    macroargs._define.cache_clear()
    seen: list[str] = []

    def counted(t: str, first_line: int = 1) -> list[Any]:
        seen.append(t)
        return tokens(t, first_line)

    monkeypatch.setattr(macroargs, "tokens", counted)
    first = macroargs._define(text)
    assert first is not None and first.params == ("x",)
    assert macroargs._define(text) == first and seen == [text]
    assert macroargs._define(text.replace("+", "-")) != first and len(seen) == 2

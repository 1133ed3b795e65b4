"""Statement coverage of changed lines (harness.linecover).

Statement coverage of changed lines (harness.linecover): no "no behaviour change" over a line no run
executed, and no "never ran" over one that did or over a change that is no code."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.pipeline import EvalRequest, Evaluation, evaluate
from tests.harness.variantgen import MATRIX
from tests.mailgen import diff, message, patch_body, write_mbox

# demo_prerr() runs in every scenario; the answer 0x8000020000000000 is not among the matrix's codes, so the
# branch on it never runs; 0x8000000000000010 (BUSY) and 0x8000000000000001 (FAIL) are scripted.
HEAD = "#define DEMO_EBUSY 16\n\nenum demo_err {\n\tDEMO_EIO = 5,\n\tDEMO_ENOSPC = 28,\n};\n\n"
BODY = ("static inline int demo_other(u64 fn)\n{\n\treturn 7;\n}\n\n"
        "static inline int demo_prerr(u64 fn, struct tdx_module_args *args)\n{\n"
        "\tu64 ret = __seamcall(fn, args);\n\n"
        "\tif (ret == 0x8000020000000000ULL)\n\t\treturn -DEMO_EBUSY - DEMO_ENOSPC + demo_other(fn);\n"
        "\tswitch (ret) {\n\tcase 0x8000000000000001ULL:\n\t\treturn -DEMO_EIO;\n"
        "\tcase 0x8000000000000002ULL:\n\t\treturn -1;\n\t}\n"
        "\treturn 0; /* done */\n}\n")
BEFORE = HEAD + BODY


@pytest.fixture(autouse=True)
def _statement_coverage_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """What linecover says, without harness.valuecover's runs of the answers next to a changed condition (they take
    the branch on 0x8000020000000000 these patches change, and say the change: tests/harness/test_value_cover.py),
    nor harness.retrycounts' at a loop's bound."""
    monkeypatch.setattr("harness.compare.with_values", lambda res, cmp: cmp)
    # Nor the scripts' runs at the retry loops' bounds (harness.retrycounts: they use a bound up, and say a changed
    # bound as a difference, tests/harness/test_retrycounts.py): what is said of a test that ran one way.
    monkeypatch.setattr("harness.retrycounts.with_bounds", lambda matrix, variants, cache: matrix)


def _eval(tmp_path: Path, after: str, before: str = BEFORE) -> Evaluation:
    assert after != before
    msgs = [message("[PATCH 1/2] demo: add helpers", "l1@x", patch_body("Add.", diff("demo/h.h", None, before))),
            message("[PATCH 2/2] demo: rework", "l2@x", patch_body("Rework.", diff("demo/h.h", before, after)))]
    (tmp_path / "m.toml").write_text(MATRIX.replace('name = "demo_retry"', 'name = "demo_prerr"', 1)
                                     .replace('[[entry]]\nname = "demo_prerr"\n\n', "", 1))
    return evaluate(EvalRequest((write_mbox(tmp_path / "l.mbox", msgs),), matrix=tmp_path / "m.toml", cache=None))


ONE_WAY = "ran in v1:02, but a test on it always came out false, so what it decides the other way never ran"
UNUSED = "no line that reads the value it stores ran both ways"


def _not_run(ev: Evaluation) -> tuple[str, ...]:
    cmp = next(c for c in ev.comparison.per_patch if c.b == "v1:02")
    assert not cmp.changed, cmp.summary()
    return cmp.not_run


@pytest.mark.parametrize(("old", "new", "said"), [
    # A return of a call: a statement, not a prototype.
    ("+ demo_other(fn);", "+ demo_other(fn + 1);", "demo_prerr() (demo/h.h:18) never ran in v1:02"),
    # A macro and an enumerator used only in the branch no script takes.
    ("#define DEMO_EBUSY 16", "#define DEMO_EBUSY 17",
     "DEMO_EBUSY (demo/h.h:1) never ran in v1:01 or v1:02: no line that uses it ran"),
    ("DEMO_ENOSPC = 28,", "DEMO_ENOSPC = 29,",
     "DEMO_ENOSPC (demo/h.h:5) never ran in v1:01 or v1:02: no line that uses it ran"),
    # A condition that never came out true: it runs, but what it decides never did (it ran: that is said, with
    # what it did not show; "never ran" misled a reader whose runs executed the line).
    ("if (ret == 0x8000020000000000ULL)", "if (ret == 0x8000020000000001ULL)",
     f"demo_prerr() (demo/h.h:17) {ONE_WAY}"),
    # A case label no answer selects.
    ("case 0x8000000000000002ULL:", "case 0x8000000000000003ULL:", "demo_prerr() (demo/h.h:22) never ran in v1:02"),
])
def test_a_changed_line_no_run_executed_is_said(tmp_path: Path, old: str, new: str, said: str) -> None:
    assert said in _not_run(_eval(tmp_path, BEFORE.replace(old, new)))


def test_the_places_left_out_are_counted_in_english(tmp_path: Path) -> None:
    # Two constants no line that ran uses, one place said: '1 more places' was said of the other.
    from harness.linecover import unrun_changes

    after = BEFORE.replace("#define DEMO_EBUSY 16", "#define DEMO_EBUSY 17").replace("DEMO_ENOSPC = 28,",
                                                                                      "DEMO_ENOSPC = 29,")
    ev = _eval(tmp_path, after)
    a, b = ev.result.variant("v1:01"), ev.result.variant("v1:02")
    assert len(unrun_changes(a, b, ev.result)) == 2
    assert unrun_changes(a, b, ev.result, limit=1)[1:] == ("1 more place",)


def test_the_second_statement_of_a_line_is_its_own(tmp_path: Path) -> None:
    # "if (c) return X;" on one line: the if ran, the return did not; a change to X is not covered.
    before = BEFORE.replace("\tif (ret == 0x8000020000000000ULL)\n\t\treturn",
                            "\tif (ret == 0x8000020000000000ULL) return")
    assert "demo_prerr() (demo/h.h:17) never ran in v1:02" in \
        _not_run(_eval(tmp_path, before.replace("demo_other(fn);", "demo_other(2);"), before))


@pytest.mark.parametrize(("old", "new"), [
    ("case 0x8000000000000001ULL:", "case 0x8000000000000001ULL: /* FAIL */"),  # a comment
    ("return 0; /* done */", "return 0;   /* all done */"),  # spacing and a comment
    ("\t\treturn -DEMO_EIO;", "\t\treturn  -DEMO_EIO;"),
    ("DEMO_EIO = 5,", "DEMO_EIO = 5, /* EIO */"),
])
def test_a_change_that_is_no_code_is_no_change(tmp_path: Path, old: str, new: str) -> None:
    ev = _eval(tmp_path, BEFORE.replace(old, new))
    cmp = next(c for c in ev.comparison.per_patch if c.b == "v1:02")
    assert cmp.unchanged and cmp.summary() == ["no behaviour change"]


def test_a_case_label_a_run_matches_ran(tmp_path: Path) -> None:
    # The same value written otherwise: the FAIL answer matches it, so the changed label was tested.
    ev = _eval(tmp_path, BEFORE.replace("case 0x8000000000000001ULL:", "case 0x8000000000000001UL:"))
    assert _not_run(ev) == ()


def test_revisions_and_proposals_are_held_to_the_same_coverage(tmp_path: Path) -> None:
    # v1 -> v2 changes only the branch no script takes: the revision view does not call it no change.
    from harness.compare import CompareRequest, compare_outcomes

    after = BEFORE.replace("+ demo_other(fn);", "+ demo_other(fn + 1);")
    msgs = [message(f"[PATCH v{n} 1/1] demo: add helpers", f"r{n}@x", patch_body("Add.", diff("demo/h.h", None, text)))
            for n, text in ((1, BEFORE), (2, after))]
    (tmp_path / "m.toml").write_text(MATRIX)
    ev = evaluate(EvalRequest((write_mbox(tmp_path / "r.mbox", msgs),), matrix=tmp_path / "m.toml", cache=None))
    across = compare_outcomes(CompareRequest(ev.result, ev.series)).across
    rev = next(c for c in across if c.view == "revision")
    assert not rev.changed and not rev.unchanged
    assert rev.not_run == ("demo_prerr() (demo/h.h:18) never ran in v1", "demo_prerr() (demo/h.h:18) never ran in v2")


def test_a_macro_entry_point_that_ran_is_not_said_never_to_have_run_for_its_callers(tmp_path: Path) -> None:
    # demo_prerr() is the matrix's entry point, a macro, and runs in every scenario; demo_user(), an entry point found
    # in the code, also uses it, on a path no leaf of the matrix takes. A change to the macro was "demo_prerr
    # (demo/h.h:6) never ran in v1:02: no line that uses it ran" (the corpus's gao-answer against v3 would say it of
    # seamldr_prerr(), which seamldr_call() uses past a check no scenario passes).
    before = ("static inline int demo_call(u64 fn, struct tdx_module_args *args)\n{\n"
              "\treturn __seamcall(fn, args) ? -5 : 0;\n}\n\n#define demo_prerr(fn, args) demo_call((fn), (args))\n\n"
              "static inline int demo_user(u64 fn, struct tdx_module_args *args)\n{\n"
              "\tif (fn)\n\t\treturn -1;\n\treturn demo_prerr(fn, args);\n}\n")
    after = before.replace("demo_call((fn), (args))\n", "(demo_call((fn), (args)) + 0)\n")
    assert _not_run(_eval(tmp_path, after, before)) == ()


# A helper macro with a parameter the matrix cannot feed (the SEAMCALL function), so no entry point of its own: the
# matrix's entry point demo_prerr() is a macro that expands to it.
_OP = ("typedef u64 (*demo_op_t)(u64 fn, struct tdx_module_args *args);\n\n"
       "static inline int demo_call(demo_op_t op, u64 fn, struct tdx_module_args *args)\n{\n"
       "\treturn op(fn, args) ? -5 : 0;\n}\n\n#define DEMO_CALL(op, fn, args) \\\n\tdemo_call((op), (fn), (args))\n\n")


@pytest.mark.parametrize(("entry", "said"), [
    # Every use of demo_prerr() expands DEMO_CALL(): it ran in every scenario. Before: "DEMO_CALL (demo/h.h:9) never
    # ran in v1:02: no line of the code the entry points reach can be found that uses it" (SEAMCALL_RETRY() of a
    # '#define seamcall(fn, args) SEAMCALL_RETRY(__seamcall, fn, args)', found on a series of our own).
    ("DEMO_CALL(__seamcall, fn, args)", ()),
    # Behind a test no leaf passes it never ran, though demo_call() did: still said.
    ("((fn) == 12345 ? DEMO_CALL(__seamcall, fn, args) : demo_call(__seamcall, fn, args))",
     ("DEMO_CALL (demo/h.h:9) never ran in v1:01 or v1:02: no line of the code the entry points reach can be found "
      "that uses it",)),
])
def test_a_macro_an_entry_macro_expands_to_ran_with_it(tmp_path: Path, entry: str, said: tuple[str, ...]) -> None:
    before = _OP + f"#define demo_prerr(fn, args) {entry}\n"
    after = before.replace("demo_call((op), (fn), (args))\n", "(demo_call((op), (fn), (args)) + 0)\n")
    assert _not_run(_eval(tmp_path, after, before)) == said


@pytest.mark.parametrize(("entry", "said"), [
    # A helper that is a pure expression (it calls no function) every use of demo_prerr() expands ran where the
    # entry point's expansion did. Before: "DEMO_FN (demo/h.h:11) never ran in v1:01 or v1:02: no line of the code
    # the entry points reach can be found that uses it" (sc_div_up() of '#define seamldr_prerr(_fn, _args)
    # sc_retry_prerr(__seamcall, sc_div_up(_fn, 1), (_args))').
    ("DEMO_CALL(__seamcall, DEMO_FN(fn), args)", ()),
    # Behind a test no leaf passes no run expanded it: still said.
    ("((fn) == 12345 ? demo_call(__seamcall, DEMO_FN(fn), args) : demo_call(__seamcall, fn, args))",
     ("DEMO_FN (demo/h.h:11) never ran in v1:01 or v1:02: no line of the code the entry points reach can be found "
      "that uses it",)),
])
def test_a_pure_expression_an_entry_macro_expands_ran_with_it(tmp_path: Path, entry: str, said: tuple[str, ...]
                                                              ) -> None:
    before = _OP + f"#define DEMO_FN(fn) ((fn) + 1 - 1)\n#define demo_prerr(fn, args) {entry}\n"
    after = before.replace("((fn) + 1 - 1)", "((fn) - 1 + 1)")
    assert _not_run(_eval(tmp_path, after, before)) == said


# The entry macro calls through a const ops struct of the helpers' own (a next revision's shape of seamcall()): the
# struct and its type are named by no function line, only by the macro every scenario expands.
_OPS = (_OP + "struct demo_ops {\n\tdemo_op_t call;\n\tint id;\n};\n\n"
        "static const struct demo_ops demo_plain = { .call = __seamcall, .id = 1 };\n\n")


@pytest.mark.parametrize(("entry", "said"), [
    # Was "demo_ops (demo/h.h:11-13) never ran in v1:02: no line of the code the entry points reach can be found that
    # uses it", and the same of demo_plain, though every run called through it.
    ("DEMO_CALL(demo_plain.call, fn, args)", ()),
    # Behind a test no leaf passes the struct is never read: still said.
    ("((fn) == 12345 ? DEMO_CALL(demo_plain.call, fn, args) : demo_call(__seamcall, fn, args))",
     ("demo_ops (demo/h.h:11-13) never ran in v1:02: no line of the code the entry points reach can be found that uses "
      "it", "demo_plain (demo/h.h:16) never ran in v1:02: no line of the code the entry points reach can be found "
      "that uses it")),
])
def test_a_struct_an_entry_macro_calls_through_ran_with_it(tmp_path: Path, entry: str, said: tuple[str, ...]) -> None:
    before = _OP + f"#define demo_prerr(fn, args) {entry}\n"
    after = _OPS + f"#define demo_prerr(fn, args) {entry}\n"
    before = before.replace("demo_plain.call", "__seamcall")
    assert _not_run(_eval(tmp_path, after, before)) == said


def test_a_change_behind_a_test_in_the_expanded_macro_itself_is_still_said(tmp_path: Path) -> None:
    # demo_call() runs through DEMO_CALL() in every scenario, but the branch of its own test that changes (fn == 12345)
    # never does: the entry point's run does not show it.
    before = (_OP.replace("demo_call((op), (fn), (args))", "((fn) == 12345 ? -7 : demo_call((op), (fn), (args)))")
              + "#define demo_prerr(fn, args) DEMO_CALL(__seamcall, fn, args)\n")
    said = _not_run(_eval(tmp_path, before.replace("-7 :", "-8 :"), before))
    assert said and all(s.startswith("DEMO_CALL (demo/h.h:9) never ran in v1:0") for s in said), said


def test_a_comparison_that_differs_still_says_what_changed_and_never_ran(tmp_path: Path) -> None:
    # v1 -> v2 changes what the FAIL answer returns (every FAIL scenario shows it) and the branch no script takes.
    # Before, a comparison with differences listed them alone: the change no run showed went unsaid, as if the
    # differences were all v2 changes (with --tree, a revision's hidden retry change behind a log change).
    from harness.compare import CompareRequest, compare_outcomes

    after = BEFORE.replace("+ demo_other(fn);", "+ demo_other(fn + 1);").replace("return -DEMO_EIO;", "return -1;")
    msgs = [message(f"[PATCH v{n} 1/1] demo: add helpers", f"r{n}@x", patch_body("Add.", diff("demo/h.h", None, text)))
            for n, text in ((1, BEFORE), (2, after))]
    (tmp_path / "m.toml").write_text(MATRIX)
    ev = evaluate(EvalRequest((write_mbox(tmp_path / "r.mbox", msgs),), matrix=tmp_path / "m.toml", cache=None))
    rev = next(c for c in compare_outcomes(CompareRequest(ev.result, ev.series)).across if c.view == "revision")
    assert rev.changed
    assert rev.not_run == ("demo_prerr() (demo/h.h:18) never ran in v1", "demo_prerr() (demo/h.h:18) never ran in v2")
    assert "not compared: demo_prerr() (demo/h.h:18) never ran in v2" in rev.summary()
    # A patch's comparison too: the same change as patch 2 of one revision.
    patch = next(c for c in _eval_changed(tmp_path, after).comparison.per_patch if c.b == "v1:02")
    assert patch.changed and "demo_prerr() (demo/h.h:18) never ran in v1:02" in patch.not_run, patch.not_run


def _eval_changed(tmp_path: Path, after: str) -> Evaluation:
    msgs = [message("[PATCH 1/2] demo: add helpers", "c1@x", patch_body("Add.", diff("demo/h.h", None, BEFORE))),
            message("[PATCH 2/2] demo: rework", "c2@x", patch_body("Rework.", diff("demo/h.h", BEFORE, after)))]
    return evaluate(EvalRequest((write_mbox(tmp_path / "c.mbox", msgs),), matrix=tmp_path / "m.toml", cache=None))


def test_a_move_that_changes_code_no_entry_point_reaches_is_not_a_clean_move(tmp_path: Path) -> None:
    from harness.findings import FindingKind

    unused = "static inline int demo_unused(u64 fn)\n{\n\treturn 1;\n}\n"
    before = BEFORE + "\n" + unused
    moved = BEFORE + "\n" + unused.replace("return 1;", "return 2;")
    msgs = [message("[PATCH 1/2] demo: add helpers", "m1@x", patch_body("Add.", diff("demo/h.h", None, before))),
            message("[PATCH 2/2] demo: move helpers", "m2@x",
                    patch_body("Move.", diff("demo/h.h", before, "") + diff("demo/moved.h", None, moved)))]
    (tmp_path / "m.toml").write_text(MATRIX)
    ev = evaluate(EvalRequest((write_mbox(tmp_path / "m.mbox", msgs),), matrix=tmp_path / "m.toml", cache=None))
    kinds = [f.kind for f in ev.comparison.findings]
    assert FindingKind.CODE_MOVE_NOT_COMPARED in kinds and FindingKind.CODE_MOVE not in kinds
    found = next(f for f in ev.comparison.findings if f.kind is FindingKind.CODE_MOVE_NOT_COMPARED)
    # each side's place: the move took it to another file (it was the first side's alone, unnamed)
    assert "demo_unused() (demo/h.h:28 in v1:01, demo/moved.h:28 in v1:02), which no entry point reaches" in found.text


# Decisions: each changed part below is on a line whose condition (or operand) always came out the same.
DECIDE = ("static inline int demo_prerr(u64 fn, struct tdx_module_args *args)\n{\n"
          "\tu64 ret = __seamcall(fn, args);\n\tint n = 0;\n\n"
          "\tif (ret == 0x8000000000000001ULL ||\n\t    ret == 0x8000020000000000ULL)\n\t\tn = 1;\n"
          "\tn += ret == 0x8000020000000000ULL ? 7 : 3;\n"
          "\twhile (ret == 0x8000020000000000ULL)\n\t\tret = 0;\n"
          "\tswitch (ret) {\n\tcase 0x8000000000000001ULL:\n\tcase 0x8000020000000000ULL:\n"
          "\t\tn += 10;\n\t\tbreak;\n\t}\n"
          "\treturn n;\n}\n")


@pytest.mark.parametrize(("old", "new", "line", "how"), [
    ("\t    ret == 0x8000020000000000ULL)", "\t    ret == 0x8000020000000001ULL)", 7, ONE_WAY),  # || operand never true
    ("? 7 : 3", "? 8 : 3", 9, ONE_WAY),  # a ?: operand never selected
    ("while (ret == 0x8000020000000000ULL)", "while (ret == 0x8000020000000001ULL)", 10, ONE_WAY),  # never true
    ("case 0x8000020000000000ULL:", "case 0x8000020000000001ULL:", 14, "never ran in v1:02"),  # fallen into only
])
def test_a_decision_that_always_came_out_the_same_shows_nothing(tmp_path: Path, old: str, new: str, line: int,
                                                                 how: str) -> None:
    assert f"demo_prerr() (demo/h.h:{line}) {how}" in _not_run(_eval(tmp_path, DECIDE.replace(old, new), DECIDE))


def test_an_operand_that_starts_where_its_condition_starts_is_its_own_decision(tmp_path: Path) -> None:
    # pycparser places "a || b" where "a" starts: the condition came out true and false, its first operand (changed,
    # never true) only false. Both were one coverage site, so the changed line was called run (a pass of every
    # equivalence rule over it).
    one = DECIDE.replace("\tif (ret == 0x8000000000000001ULL ||\n\t    ret == 0x8000020000000000ULL)",
                         "\tif (ret == 0x8000020000000000ULL || ret == 0x8000000000000001ULL)")
    assert one != DECIDE
    assert f"demo_prerr() (demo/h.h:6) {ONE_WAY}" in \
        _not_run(_eval(tmp_path, one.replace("0x8000020000000000ULL ||", "0x8000020000000001ULL ||"), one))


def test_a_constant_used_through_a_paste_is_not_called_run(tmp_path: Path) -> None:
    # DEMO_ERR(BUSY) makes DEMO_ERR_BUSY with ##: no line names it, so no line can show it ran.
    before = "#define DEMO_ERR_BUSY 16\n#define DEMO_ERR(x) DEMO_ERR_##x\n\n" + BEFORE.replace(
        "return -DEMO_EBUSY - DEMO_ENOSPC + demo_other(fn);", "return -DEMO_ERR(BUSY);")
    said = _not_run(_eval(tmp_path, before.replace("DEMO_ERR_BUSY 16", "DEMO_ERR_BUSY 17"), before))
    assert any(x.startswith("DEMO_ERR_BUSY (demo/h.h:1) never ran in v1:01 or v1:02") for x in said), said


def test_a_continuation_line_is_no_prototype() -> None:
    from harness.reach import _COMMENT

    assert _COMMENT.match("u64 __seamcall(u64 fn, struct tdx_module_args *args);")
    assert not _COMMENT.match("\t\t\t 3 * demo_backoff(1));") and not _COMMENT.match("\treturn demo_busy(fn);")


def test_a_changed_member_of_an_initializer_is_judged_by_the_lines_that_read_that_member(tmp_path: Path) -> None:
    # .busy is read only in the branch no script takes; .tries is read on every run: the change to .busy
    # is not shown by the runs, whatever reads the rest of the variable.
    policy = ("struct demo_policy {\n\tint tries;\n\tint busy;\n};\n\n"
              "static const struct demo_policy demo_policy = {\n\t.tries = 3,\n\t.busy = -16,\n};\n\n")
    before = policy + BEFORE.replace("return -DEMO_EBUSY - DEMO_ENOSPC + demo_other(fn);",
                                     "return demo_policy.busy;").replace(
        "\tu64 ret = __seamcall(fn, args);\n", "\tu64 ret = __seamcall(fn, args) + demo_policy.tries - 3;\n")
    said = _not_run(_eval(tmp_path, before.replace(".busy = -16,", ".busy = -17,"), before))
    want = "demo_policy (demo/h.h:8) never ran in v1:01 or v1:02: no line that uses it ran"
    assert any(x.startswith(want) for x in said), said


# A retry bound: the busy script answers BUSY once or five times, then OK. A bound of 8 is never used up, so
# "--left" never comes out false: what the bound decides never showed, however many runs read it.
LOOP = ("#define DEMO_TRIES 8\n\n"
        "static inline int demo_prerr(u64 fn, struct tdx_module_args *args)\n{\n"
        "\tint left = DEMO_TRIES;\n\tu64 ret;\n\n"
        "\tdo {\n\t\tret = __seamcall(fn, args);\n\t} while (ret == 0x8000000000000010ULL && --left);\n\n"
        "\treturn ret ? -5 : 0;\n}\n")


# Which reading line fell short, and how: the loop's test, whose '--left' never came out false (before: the first
# sentence alone, which left the reader to find the loop the matrix never drove to its end).
LEFT_UNUSED = f"{UNUSED} (left, read at h.h:10, where a test on it always came out true)"


@pytest.mark.parametrize(("old", "new", "said"), [
    # The line that uses the bound ran: what is said is that no run used it up, not that it never ran.
    ("DEMO_TRIES 8", "DEMO_TRIES 16",
     f"DEMO_TRIES (demo/h.h:1) was used in v1:01 and v1:02 (demo/h.h:5), but {LEFT_UNUSED}"),
    ("int left = DEMO_TRIES;", "int left = DEMO_TRIES * 2;",
     f"demo_prerr() (demo/h.h:5) ran in v1:02, but {LEFT_UNUSED}"),
    ("int left = DEMO_TRIES;", "u8 left = DEMO_TRIES;", f"demo_prerr() (demo/h.h:5) ran in v1:02, but {LEFT_UNUSED}"),
])
def test_a_value_is_shown_by_what_it_decides(tmp_path: Path, old: str, new: str, said: str) -> None:
    assert said in _not_run(_eval(tmp_path, LOOP.replace(old, new), LOOP))


def test_a_loop_test_that_ran_one_way_is_not_said_never_to_have_run(tmp_path: Path) -> None:
    # '--left' turned into 'left--' (one more try): the do-while's test ran in every scenario, but the bound was never
    # used up, so its '--left' never came out false. Before: "demo_prerr() (demo/h.h:10) never ran in v1:02", which a
    # maintainer whose runs made the call several times reads as false.
    said = _not_run(_eval(tmp_path, LOOP.replace("&& --left)", "&& left--)"), LOOP))
    assert said == ("demo_prerr() (demo/h.h:10) ran in v1:01, but a test on it always came out true, so what it "
                    "decides the other way never ran",
                    "demo_prerr() (demo/h.h:10) ran in v1:02, but a test on it always came out true, so what it "
                    "decides the other way never ran"), said


def test_a_bound_the_runs_use_up_is_shown(tmp_path: Path) -> None:
    # With a bound of 3, five BUSY answers use it up: "--left" came out both ways, so the same bound spelt
    # otherwise is covered by the runs (and a smaller one is a behaviour change).
    loop = LOOP.replace("DEMO_TRIES 8", "DEMO_TRIES 3")
    assert _not_run(_eval(tmp_path, loop.replace("int left = DEMO_TRIES;", "int left = DEMO_TRIES + 0;"), loop)) == ()
    ev = _eval(tmp_path, loop.replace("DEMO_TRIES 3", "DEMO_TRIES 2"), loop)
    assert next(c for c in ev.comparison.per_patch if c.b == "v1:02").changed


def _renamed(tmp_path: Path, after: str) -> Evaluation:
    msgs = [message("[PATCH 1/2] demo: add helpers", "n1@x", patch_body("Add.", diff("demo/h.h", None, BEFORE))),
            message("[PATCH 2/2] demo: rename the header", "n2@x",
                    patch_body("Rename.", diff("demo/h.h", BEFORE, None) + diff("demo/helpers.h", None, after)))]
    (tmp_path / "m.toml").write_text(MATRIX.replace('name = "demo_retry"', 'name = "demo_prerr"', 1)
                                     .replace('[[entry]]\nname = "demo_prerr"\n\n', "", 1))
    return evaluate(EvalRequest((write_mbox(tmp_path / "n.mbox", msgs),), matrix=tmp_path / "m.toml", cache=None))


def test_a_renamed_file_is_diffed_with_its_old_self(tmp_path: Path) -> None:
    # git mv: the branch no script takes did not change, so it is not "never ran" (every line was, before);
    # a line the rename does change is still said, under the new name.
    assert _not_run(_renamed(tmp_path, BEFORE)) == ()
    said = _not_run(_renamed(tmp_path, BEFORE.replace("+ demo_other(fn);", "+ demo_other(fn + 1);")))
    assert set(said) == {"demo_prerr() (demo/h.h:18) never ran in v1:01",
                         "demo_prerr() (demo/helpers.h:18) never ran in v1:02"}


def test_a_move_that_adds_an_operand_no_run_makes_true_is_not_a_clean_move(tmp_path: Path) -> None:
    # The moved sc_retry_prerr() also returns 0 for an answer no script gives, in an operand that starts where its
    # condition starts: before, the condition's true and false stood for the operand, and the move passed. The moves
    # rule runs the answers next to the changed condition too (as eval does): that answer shows it, a failure.
    from harness.gate import GateRequest, evaluate_gate
    from harness.verdict import VerdictStatus
    from tests.harness import seriesgen as sg

    old = "\tif (err == TDX_SUCCESS)\n\t\treturn 0;\n"
    assert old in sg.PRINTERS
    moved = (sg.PREAMBLE + sg.RETRY_SAFE + "\n" + sg.PRINTERS.replace(old, old.replace(
        "(err ==", "(err == 0x8000000000099999ULL || err ==")) + sg.TAIL).replace("SH_TEST_TDX_H", "SH_TEST_INTERNAL_H")
    msgs = sg.revision(4, [
        sg.Step("x86/virt/tdx: Move SEAMCALL helpers to an internal header",
                ((sg.OLD_HOME, sg.helpers(sg.RETRY_SAFE), sg.PREAMBLE + sg.TAIL), (sg.NEW_HOME, None, moved))),
        sg.Step("x86/virt/seamldr: Add a P-SEAMLDR query wrapper", ((sg.WRAPPER, None, sg.WRAPPER_C),)),
    ])
    g = evaluate_gate(GateRequest((write_mbox(tmp_path / "v4.mbox", msgs),), "v4", jobs=1))
    found = next(v for v in g.verdicts if v.rule.id == "move-preserves-behaviour")
    assert found.status is VerdictStatus.FAIL, found
    assert "return -EIO -> 0" in found.evidence[0].actual, found.evidence
    assert found.evidence[0].scenario is not None and "/neighbour-0x8000000000099999/" in found.evidence[0].scenario.id


# Changes to the safe loop (seriesgen.RETRY_SAFE) that the rule's runs (TDX-module leaves) all see come out false.
_CHECK = "\t\tif (err != TDX_RND_NO_ENTROPY || !--left)"
_PICK = "static inline bool pick_part(u64 leaf)\n{\n\treturn leaf & SEAMLDR_LEAF_BIT;\n}\n\n"


def _stops(test: str) -> str:
    from tests.harness.seriesgen import RETRY_SAFE

    return RETRY_SAFE.replace(_CHECK, f"\t\tif ({test} && err == TDX_RND_NO_ENTROPY)\n\t\t\tbreak;\n" + _CHECK)


def _calls_unchanged(tmp_path: Path, retry: str) -> tuple[object, str]:
    """tdx-module-calls-unchanged on the 'Prepare' patch turning the safe loop into ``retry``."""
    from harness.gate import GateRequest, evaluate_gate
    from tests.harness.seriesgen import RETRY_SAFE, helpers, preparing_series

    assert retry != RETRY_SAFE
    g = evaluate_gate(GateRequest((write_mbox(tmp_path / "in.mbox", preparing_series(helpers(retry))),), "v2",
                                  jobs=1))
    found = next(v for v in g.verdicts if v.rule.id == "tdx-module-calls-unchanged")
    return found.status, found.note


@pytest.mark.parametrize("test", ["(fn >> 16)", "(fn & 0xff0000)"])
def test_a_change_only_leaves_the_rule_does_not_compare_ran_is_not_shown(tmp_path: Path, test: str) -> None:
    # tdx-module-calls-unchanged compares TDX-module leaves only; the test is true for the P-SEAMLDR leaves of the
    # matrix alone, so the break ran only in scenarios the rule does not compare, yet a versioned TDX-module leaf
    # (bits 16-23 set, as a version 1 leaf is) stops retrying: no compared run showed that behaviour. Bit 63 is
    # the only bit the ABI fixes for a component (models.leafbits): a test of other bits is not proven either way.
    from harness.verdict import VerdictStatus

    status, note = _calls_unchanged(tmp_path, _stops(test))
    assert status is VerdictStatus.INCONCLUSIVE, (status, note)
    assert "sc_retry() (arch/x86/virt/vmx/tdx/seamcall_internal.h:24-25) never ran in v2" in note


@pytest.mark.parametrize("retry", [
    _stops("(fn & BIT_ULL(63))"),  # bit 63 is clear for every TDX-module leaf: the break cannot run for one
    _PICK + _stops("unlikely(pick_part(fn))"),  # the same through a helper of any name
], ids=["bit-63", "helper"])
def test_a_change_bit_63_keeps_from_every_compared_leaf_is_shown(tmp_path: Path, retry: str) -> None:
    from harness.verdict import VerdictStatus

    assert _calls_unchanged(tmp_path, retry)[0] is VerdictStatus.PASS


def test_bit_63_is_judged_on_the_compared_entry_points_own_runs(tmp_path: Path) -> None:
    # Another function of the header (an entry point of its own, taking nothing) calls sc_retry() with a P-SEAMLDR
    # constant: over every entry point together bit 63 of sc_retry()'s leaf is unknown, yet in the runs the rule
    # compares (the TDX-module entry points, their own leaf passed down) it is clear, and the break cannot run.
    from harness.verdict import VerdictStatus

    probe = ("static inline u64 ldr_probe(void)\n{\n\tstruct tdx_module_args args = {};\n\n"
             "\treturn sc_retry(__seamcall, SEAMLDR_LEAF_BIT | 7, &args);\n}\n\n")
    status, note = _calls_unchanged(tmp_path, _stops("(fn & BIT_ULL(63))") + "\n" + probe)
    assert status is VerdictStatus.PASS, note
    # A break on a bit of the leaf that no component fixes stays unshown whoever calls the helper.
    (tmp_path / "other").mkdir()
    status, note = _calls_unchanged(tmp_path / "other", _stops("(fn & BIT_ULL(62))") + "\n" + probe)
    assert status is VerdictStatus.INCONCLUSIVE, note


def test_a_retry_code_chosen_by_component_keeps_tdx_module_calls_unchanged(tmp_path: Path) -> None:
    # The corpus's choice (is_seamldr_call(fn) picks the P-SEAMLDR code), by a helper of another name: the changed
    # test is false and its assignment unreachable for every TDX-module leaf, so the compared runs show all of it.
    from harness.verdict import VerdictStatus
    from tests.harness.seriesgen import RETRY_BY_LEAF

    retry = _PICK + RETRY_BY_LEAF.replace("fn & SEAMLDR_LEAF_BIT", "pick_part(fn)")
    assert "pick_part(fn)" in retry
    assert _calls_unchanged(tmp_path, retry)[0] is VerdictStatus.PASS


@pytest.mark.parametrize(("ran", "fixed", "shown"), [
    ({"d.h:3:2", "?d.h:3:6~4:F"}, {}, False),  # the test ran, always false: what it decides never showed
    ({"d.h:3:2", "?d.h:3:6~4:F"}, {"?d.h:3:6~4": "F"}, True),  # it cannot come out true for the compared leaves
    ({"d.h:3:2"}, {"?d.h:3:6~4": "F"}, False),  # fixed, but it never ran: its one value showed nothing
    ({"d.h:3:2", "?d.h:3:6~4:F"}, {"?d.h:3:6~4": "T"}, False),  # an answer the runs contradict counts for nothing
    ({"d.h:3:2", "?d.h:3:6~4:F", "?d.h:3:6~4:T"}, {}, True),
])
def test_a_decision_the_compared_leaves_fix_is_shown_only_where_it_ran(ran: set[str], fixed: dict[str, str],
                                                                       shown: bool) -> None:
    from harness.runcover import Runs
    from models.outcome import Coverage
    from models.slicer import Definition, Kind

    d = Definition(Kind.FUNCTION, "f", "int f(u64 fn)\n{\n\tif (pick(fn))\n\t\treturn 1;\n\treturn 0;\n}", "d.h", 1)
    starts = frozenset({"d.h:3:2", "d.h:4:3", "d.h:5:2", "?d.h:3:6~4:D"})
    assert Runs(Coverage(frozenset(ran), starts), fixed).exercised(d, 3) is shown
    # A statement none of the compared leaves can reach cannot change what they do.
    dead = Runs(Coverage(frozenset(ran), starts), {**fixed, "d.h:4:3": "dead"})
    assert dead.line_ran(d, 4) and not Runs(Coverage(frozenset(ran), starts), fixed).line_ran(d, 4)


@pytest.mark.parametrize(("before", "after"), [
    # scoped_guard(preempt): its 'ok' test of a guard that cannot fail is the constant 1.
    ("\tscoped_guard(preempt)\n\t\tret = __seamcall(fn, args);\n",
     "\tscoped_guard(preempt) ret = __seamcall(fn, args);\n"),
    # A macro's do { } while (0): the 0 cannot come out true.
    ("\tret = __seamcall(fn, args);\n", "\tdo { ret = __seamcall(fn, args); } while (0);\n"),
])
def test_a_constant_condition_is_no_decision_left_unshown(tmp_path: Path, before: str, after: str) -> None:
    # A changed line holding one was 'ran in v1:02, but a test on it always came out true' (or false): there is no
    # other way, and a clean move of a function under scoped_guard() was never called one.
    text = ("static inline int demo_prerr(u64 fn, struct tdx_module_args *args)\n{\n\tu64 ret;\n\n" + before
            + "\treturn ret ? -5 : 0;\n}\n")
    assert _not_run(_eval(tmp_path, text.replace(before, after), text)) == ()


def test_the_definition_holding_each_line_of_a_long_function_is_found_in_linear_time() -> None:
    """The innermost definition holding a changed line was chosen by counting each holder's lines anew for every
    line asked about (quadratic: a 60,000-line function with every line changed took 11 s). Counted, not timed:
    the definitions' texts are read for their lines once each, not once per line asked about."""
    from harness.linecover import _holder, _spans
    from models.slicer import Definition, Kind

    counted: list[int] = []

    class Text(str):
        """A definition's text that counts how often its lines are counted."""

        def count(self, *args: object) -> int:
            counted.append(1)
            return super().count(*args)  # type: ignore[arg-type]

    n = 6_000
    big = Definition(Kind.FUNCTION, "big", Text("u64 big(u64 x)\n{\n" + "\tx += 1;\n" * n + "\treturn x;\n}"), "big.c",
                     1)
    after = Definition(Kind.VARIABLE, "after", Text("int after;"), "big.c", n + 5)
    spans = _spans({"big": [big], "after": [after]})
    got = [_holder(spans, "big.c", k) for k in range(1, n + 7)]
    assert len(counted) <= 2, len(counted)  # once a definition (3cee42cd^: once a line asked about, 6,000)
    assert got == [big] * (n + 4) + [after, None]


@pytest.mark.parametrize("warn", ["WARN_ON(ret == 0x8000020000000000ULL);",
                                  'WARN_ONCE(ret == 0x8000020000000000ULL, "busy %llx\\n", ret);'])
def test_a_warning_whose_condition_never_held_is_a_decision_said(tmp_path: Path, warn: str) -> None:
    # include/asm-generic/bug.h's WARN_ON(c) is an if (c): added where no run makes it true, the runs show nothing of
    # what it does (it was "no behaviour change" with nothing said).
    after = DECIDE.replace("\treturn n;\n}\n", f"\t{warn}\n\treturn n;\n}}\n")
    line = after.splitlines().index(f"\t{warn}") + 1
    assert f"demo_prerr() (demo/h.h:{line}) {ONE_WAY}" in _not_run(_eval(tmp_path, after, DECIDE))


_SAME = """[[rule]]
id = "same"
reviewer = "Rita Reviewer"
summary = "No behaviour change"
patch = "raise the limit"
[rule.check]
kind = "equivalence"
reference = "before:patch"
"""


def _limit_patch(tmp_path: Path, context: int, form: str = "") -> Path:
    """One patch, from mail alone, changing '#define DEMO_LIMIT 3 -> 4', which only demo_limit() uses, twelve lines
    below the retry helpers: the hunk shows the helpers whole with ``context`` 22, neither them nor demo_limit()
    with 3; with ``form`` ('static const int DEMO_LIMIT = 3;', an enumerator, a variable), that line instead. The
    matrix and an equivalence rule on the patch beside it."""
    from tests.harness.variantgen import RETRY_C

    tmp_path.mkdir()
    pad = "".join(f"/* pad {i} */\n" for i in range(12))
    old = "#define DEMO_LIMIT 3\n" + RETRY_C.replace("TRIES", "3").replace("FMT", "%llu") + pad + \
        "static inline int demo_limit(void)\n{\n\treturn DEMO_LIMIT;\n}\n"
    if form:
        old = old.replace("#define DEMO_LIMIT 3", form)
    new = old.replace("LIMIT 3", "LIMIT 4").replace("LIMIT = 3", "LIMIT = 4")
    (tmp_path / "m.toml").write_text(MATRIX)
    (tmp_path / "r.toml").write_text(_SAME)
    body = patch_body("More.", diff("demo/h.h", old, new, context))
    return write_mbox(tmp_path / "l.mbox", [message("[PATCH] demo: raise the limit", "l1@x", body)])


def test_a_constant_whose_users_the_hunks_do_not_show_is_not_compared(tmp_path: Path) -> None:
    # From mail alone the hunk shows the #define and the helpers that run, not demo_limit(): the patch read 'no
    # behaviour change' and the equivalence rule passed (exit 0); with nothing run, only the entry points were
    # named, as if nothing used DEMO_LIMIT.
    from harness.gate import GateRequest, evaluate_gate

    # Both sides' one definition, said once.
    said = ["not compared: DEMO_LIMIT (demo/h.h:1) never ran in v1:00 or v1:01: its users are not in the lines the "
            "mail shows: give --tree"]
    for context, verdict in ((22, "no behaviour change in the 16 of 16 scenarios that ran on both sides, but some of "
                                  "the code the patch changes never ran"),
                             (3, "nothing compared: no scenario ran on both sides")):
        mbox = _limit_patch(tmp_path / str(context), context)
        ev = evaluate(EvalRequest((mbox,), matrix=mbox.parent / "m.toml", cache=None))
        summary = next(c for c in ev.comparison.per_patch if c.b == "v1:01").summary()
        assert summary[0] == verdict and summary[-1:] == said and sum("DEMO_LIMIT" in s for s in summary) == 1, summary
    g = evaluate_gate(GateRequest((_limit_patch(tmp_path / "g", 22),), "v1", jobs=1, matrix=tmp_path / "22" / "m.toml",
                                  rules=tmp_path / "22" / "r.toml"))
    assert [v.status.value for v in g.verdicts] == ["inconclusive"] and g.exit_status == 1


@pytest.mark.parametrize("form", ["static const int DEMO_LIMIT = 3;", "enum { DEMO_LIMIT = 3 };",
                                  "enum demo_limits {\n\tDEMO_FLOOR = 1,\n\tDEMO_LIMIT = 3,\n};",
                                  "enum demo_limits {\n\tDEMO_FLOOR = 1,\n\tDEMO_LIMIT = 3,\n};\n"
                                  "static inline int demo_floor(void)\n{\n\treturn DEMO_FLOOR;\n}",
                                  "enum demo_limits {\n\tDEMO_LIMIT = 3,\n\tDEMO_FLOOR = 1,\n};\n"
                                  "static inline int demo_floor(void)\n{\n\treturn DEMO_FLOOR;\n}",
                                  "static int DEMO_LIMIT = 3;", "u32 DEMO_LIMIT = 3;"])
def test_a_constant_variable_whose_users_the_hunks_do_not_show_is_not_compared(tmp_path: Path, form: str) -> None:
    # 'static const int DEMO_LIMIT = 3 -> 4' read 'no behaviour change' from mail alone, as the #define did; so did
    # an enumerator's value and a variable's initializer (not const: it still starts each boot at the value), and the
    # equivalence rule on them passed.
    from harness.gate import GateRequest, evaluate_gate

    mbox = _limit_patch(tmp_path / "v", 22, form)
    line = form[:form.index("DEMO_LIMIT")].count("\n") + 1
    ev = evaluate(EvalRequest((mbox,), matrix=mbox.parent / "m.toml", cache=None))
    summary = next(c for c in ev.comparison.per_patch if c.b == "v1:01").summary()
    assert summary[-1] == f"not compared: DEMO_LIMIT (demo/h.h:{line}) never ran in v1:00 or v1:01: its users are " \
                          "not in the lines the mail shows: give --tree", summary
    g = evaluate_gate(GateRequest((mbox,), "v1", jobs=1, matrix=mbox.parent / "m.toml", rules=mbox.parent / "r.toml"))
    assert [v.status.value for v in g.verdicts] == ["inconclusive"] and g.exit_status == 1


# A declaration's type or size, a struct's or union's member, a typedef, a table's entries: each changed from mail alone
# where its user, demo_limit(), is twelve lines below the hunk's end (before, line, after, the user).
_UNSEEN = [
    ("static int DEMO_LIMIT;", 1, "static long DEMO_LIMIT;", "return DEMO_LIMIT;"),
    ("static u8 DEMO_LIMIT[16];", 1, "static u8 DEMO_LIMIT[8];", "return sizeof(DEMO_LIMIT);"),
    ("struct demo_lim {\n\tint n;\n};", 2, "struct demo_lim {\n\tu8 n;\n};",
     "struct demo_lim l = { .n = 300 };\n\n\treturn l.n;"),
    ("union demo_lim {\n\tint n;\n\tu8 b;\n};", 2, "union demo_lim {\n\tu8 n;\n\tu8 b;\n};",
     "union demo_lim l = { .n = 300 };\n\n\treturn l.n;"),
    ("typedef int demo_lim;", 1, "typedef u8 demo_lim;", "demo_lim n = 300;\n\n\treturn n;"),
    ("static const int *demo_lim[] = {\n\t&demo_a,\n\tNULL,\n};", 3,
     "static const int *demo_lim[] = {\n\t&demo_a,\n\t&demo_b,\n\tNULL,\n};", "return demo_lim[1] != NULL;"),
]


@pytest.mark.parametrize(("before", "line", "after", "user"), _UNSEEN)
def test_a_declaration_type_or_table_whose_users_the_hunks_do_not_show_is_not_compared(
        tmp_path: Path, before: str, line: int, after: str, user: str) -> None:
    # Only an initializer's value was said (794fcf9): a variable's type or size, a member's type, a typedef and a table
    # pointers fill read 'no behaviour change' from mail alone and the equivalence rule passed (gate exit 0).
    from harness.gate import GateRequest, evaluate_gate

    mbox = _declaration_patch(tmp_path, before, after, user)
    ev = evaluate(EvalRequest((mbox,), matrix=mbox.parent / "m.toml", cache=None))
    summary = next(c for c in ev.comparison.per_patch if c.b == "v1:01").summary()
    name = "DEMO_LIMIT" if "DEMO_LIMIT" in before else "demo_lim"
    sides = "v1:01" if before.count("\n") != after.count("\n") else "v1:00 or v1:01"  # a line added, none removed
    assert summary[-1] == f"not compared: {name} (demo/h.h:{line}) never ran in {sides}: its users are not in the " \
                          "lines the mail shows: give --tree", summary
    g = evaluate_gate(GateRequest((mbox,), "v1", jobs=1, matrix=mbox.parent / "m.toml", rules=mbox.parent / "r.toml"))
    assert [v.status.value for v in g.verdicts] == ["inconclusive"] and g.exit_status == 1


def test_an_enumerator_counting_on_from_a_changed_one_is_judged_by_its_own_users(tmp_path: Path) -> None:
    # 'DEMO_LIMIT = 3 -> 4' moves DEMO_NEXT, which counts on from it and which only demo_limit(), not shown, reads; the
    # hunk shows demo_floor() reading DEMO_LIMIT. Only DEMO_LIMIT was judged: a user shown, nothing said, the gate
    # passed.
    from harness.gate import GateRequest, evaluate_gate

    floor = "\nstatic inline int demo_floor(void)\n{\n\treturn DEMO_LIMIT;\n}"
    mbox = _declaration_patch(tmp_path, "enum demo_codes {\n\tDEMO_LIMIT = 3,\n\tDEMO_NEXT,\n};" + floor,
                              "enum demo_codes {\n\tDEMO_LIMIT = 4,\n\tDEMO_NEXT,\n};" + floor, "return DEMO_NEXT;")
    ev = evaluate(EvalRequest((mbox,), matrix=mbox.parent / "m.toml", cache=None))
    summary = next(c for c in ev.comparison.per_patch if c.b == "v1:01").summary()
    assert "not compared: DEMO_LIMIT and the 1 enumerator counting on from it (demo/h.h:2) never ran in v1:00 or " \
           "v1:01: its users are not in the lines the mail shows: give --tree" in summary, summary
    g = evaluate_gate(GateRequest((mbox,), "v1", jobs=1, matrix=mbox.parent / "m.toml", rules=mbox.parent / "r.toml"))
    assert [v.status.value for v in g.verdicts] == ["inconclusive"] and g.exit_status == 1


def test_a_table_a_patch_adds_has_its_users_in_the_lines_it_adds(tmp_path: Path) -> None:
    # A table added with the paste that names it ('DEMO_GROUPS(demo)' makes demo_attrs of demo), from mail alone: every
    # user it has is in the lines added with it, which the mail shows. Said 'its users are not in the lines the mail
    # shows' once tables were read as the other declarations are (the corpus' v3 05/07 tdx_host_attrs).
    table = "static const int *demo_attrs[] = {\n\t&demo_a,\n\tNULL,\n};\nDEMO_GROUPS(demo);\n"
    mbox = _declaration_patch(tmp_path, "", table, "return 0;")
    ev = evaluate(EvalRequest((mbox,), matrix=mbox.parent / "m.toml", cache=None))
    summary = next(c for c in ev.comparison.per_patch if c.b == "v1:01").summary()
    assert not any("demo_attrs" in s for s in summary), summary


def _declaration_patch(tmp_path: Path, before: str, after: str, user: str) -> Path:
    """One patch from mail alone making ``before`` (the file's first lines) ``after``; the hunk's context shows the
    retry helpers whole, not demo_limit() (``user`` its body) twelve lines further on. The matrix and an equivalence
    rule on the patch beside it."""
    from tests.harness.variantgen import RETRY_C

    pad = "".join(f"/* pad {i} */\n" for i in range(12))
    rest = "\n" + RETRY_C.replace("TRIES", "3").replace("FMT", "%llu") + pad + \
        f"static inline int demo_limit(void)\n{{\n\t{user}\n}}\n"
    (tmp_path / "m.toml").write_text(MATRIX)
    (tmp_path / "r.toml").write_text(_SAME)
    body = patch_body("More.", diff("demo/h.h", before + rest, after + rest, 22))
    return write_mbox(tmp_path / "l.mbox", [message("[PATCH] demo: raise the limit", "l1@x", body)])


def test_a_table_entry_changed_in_place_is_not_shown_by_a_use_that_ran(tmp_path: Path) -> None:
    # 'demo_codes[] = { 0x11, 0x12, 0x40 }' made '0x41': the loop reading it ran, its test both ways, and no answer is
    # 0x40 or 0x41: eval said "no behaviour change" (which entry a run read is not told by its line having run).
    from tests.harness.test_movecarried import MATRIX as DATA_MATRIX
    from tests.harness.test_movecarried import REGION

    after = REGION.replace("0x12, 0x40 }", "0x12, 0x41 }")
    msgs = [message("[PATCH 0/2] demo", "c@x", "cover\n"),
            message("[PATCH 1/2] demo: add", "p1@x", patch_body("add", diff("d/Makefile", "obj-y += y.o\n",
                                                                             "obj-y += b.o y.o\n")
                                                              + diff("d/b.c", None, REGION)), parent="c@x"),
            message("[PATCH 2/2] demo: tidy", "p2@x", patch_body("tidy", diff("d/b.c", REGION, after)), parent="c@x")]
    (tmp_path / "m.toml").write_text(DATA_MATRIX)
    ev = evaluate(EvalRequest((write_mbox(tmp_path / "s.mbox", msgs),), matrix=tmp_path / "m.toml", jobs=1,
                              cache=None))
    (cmp,) = [c for c in ev.comparison.per_patch if c.b == "v1:02"]
    assert not cmp.differences and not cmp.unchanged, cmp
    assert cmp.not_run == ("demo_codes (d/b.c:4) was used in v1:01 and v1:02 (d/b.c:17), but a run shows a table's "
                           "changed entry only where it reads that entry, which is not told",), cmp.not_run

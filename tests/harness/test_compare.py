"""Comparisons: every difference class, token explanations, per-patch view and code-move findings."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.compare import CompareRequest, compare_outcomes, compare_pair
from harness.explain import DiffClass, classify, explain, explain_tokens
from harness.ingest import IngestRequest, parse_series
from harness.moves import moved_definitions
from harness.runner import MatrixRequest, run_matrix
from models.machine import Event, LogLine, SeamCall
from models.mirror import Outcome
from tests.harness.variantgen import MATRIX, matrix, variant
from tests.mailgen import diff, message, patch_body, write_mbox

MATRIX_ASM = MATRIX + '\n[[entry]]\nname = "demo_asm"\n'

CALL = SeamCall("__seamcall", 1, "TDX module", 0, 0, False, (), "x.h:1")
BASE = Outcome("ok", (CALL,), 0, "int", None, (LogLine("err", "A (1) failed"),), (), (), None)


@pytest.mark.parametrize(("other", "classes"), [
    (Outcome("not-provided"), (DiffClass.PROVIDED,)),
    (Outcome("error", error="y.h:9: division by zero", error_kind="runtime"),
     (DiffClass.ERROR, DiffClass.CALLS, DiffClass.RETURN, DiffClass.LOG)),
    (Outcome("ok", (CALL, CALL), 0, "int", None, BASE.log), (DiffClass.CALLS,)),
    (Outcome("ok", (CALL,), -5, "int", "EIO", BASE.log), (DiffClass.RETURN, DiffClass.ERRNO)),
    (Outcome("ok", (CALL,), 0, "int", None, (LogLine("err", "A (0x1) failed"),)), (DiffClass.LOG,)),
    (Outcome("ok", (CALL,), 0, "int", None, BASE.log, (Event("warning", "WARN_ON", "z:1"),)),
     (DiffClass.SIDE_EFFECTS,)),
    (Outcome("ok", (SeamCall("__seamcall", 1, "TDX module", 0, 1, False, (("c", 1),), "other.h:7"),), 0, "int",
             None, BASE.log), (DiffClass.SIDE_EFFECTS,)),
])
def test_each_difference_class(other: Outcome, classes: tuple[DiffClass, ...]) -> None:
    assert classify(BASE, other) == classes
    assert explain(BASE, other, classes)


def test_locations_never_count() -> None:
    moved = Outcome("ok", (SeamCall("__seamcall", 1, "TDX module", 0, 0, False, (), "elsewhere.h:99"),), 0, "int",
                    None, BASE.log)
    assert classify(BASE, moved) == ()


@pytest.mark.parametrize(("a", "b", "note"), [
    ("SEAMCALL (0x0000000000000021) failed", "SEAMCALL (33) failed", "hex with 0x, 16 digits -> decimal"),
    ("x 0x0000000000001234", "x 0x00000000001234", "'%#' counts the 0x inside the width"),
    # 0x%016llx -> %#llx: the field width is gone, the 0x has nothing to do with it.
    ("x 0x0000000000000021", "x 0x21",
     "hex with 0x, 16 digits -> hex with 0x, 2 digits (another field width, or none)"),
    ("P (-9223372036854775807)", "P (8000000000000001)", "signed decimal -> hex without 0x, 16 digits"),
    # %#llX prints 0X (lib/vsprintf.c: SMALL unset): said as written, not as "hex with 0x"
    ("SEAMCALL (0X21) failed", "SEAMCALL (33) failed", "'0X21' -> '33' (hex with 0X, 2 digits -> decimal)"),
    ("x 0X0000000000000021", "x 0x21", "hex with 0X, 16 digits -> hex with 0x, 2 digits (another field width"),
    ("x 0X000000000000ABCD", "x 0X0000000000ABCD", "'%#' counts the 0x inside the width"),
    ("SEAMCALL (35) failed", "SEAMCALL (33) failed", "value '35' -> '33'"),
    ("P-SEAMLDR (1)", "SEAMCALL (1)", "text 'P-SEAMLDR' -> 'SEAMCALL'"),
])
def test_token_explanations(a: str, b: str, note: str) -> None:
    assert any(note in n for n in explain_tokens(a, b))


def test_pair_and_outcome_groups(tmp_path: Path) -> None:
    m = matrix(tmp_path)
    vs = (variant("a", revision=1, prefix=0), variant("b", tries=5, revision=1, prefix=1),
          variant("c", fmt="%#llx", start="b"))
    r = run_matrix(MatrixRequest(vs, m, jobs=1))
    cmp = compare_pair(r, "a", "b", "patch", "x")
    assert {d.scenario.id for d in cmp.differences} == {
        "demo_retry/ONE/busy-x5/demo.c", "demo_retry/BIG/busy-x5/demo.c", "demo_prerr/ONE/busy-x5/demo.c",
        "demo_prerr/BIG/busy-x5/demo.c"}
    assert any("TDX module SEAMCALLs 3 -> 5" in line for line in cmp.summary())
    series = parse_series(IngestRequest(()))
    out = compare_outcomes(CompareRequest(r, series, (("a", "c"),)))
    assert [c.view for c in out.across] == ["proposal", "against"]
    assert out.groups["demo_prerr/ONE/fail/demo.c"] == [["a", "b"], ["c"]]


def test_against_a_proposals_own_start_is_not_compared_twice(tmp_path: Path) -> None:
    # c is a proposal on top of b: "--against b" asks for the comparison the proposal's own view already is.
    m = matrix(tmp_path)
    vs = (variant("b", tries=5, revision=1, prefix=1), variant("c", fmt="%#llx", start="b"), variant("d", tries=2))
    r = run_matrix(MatrixRequest(vs, m, jobs=1))
    out = compare_outcomes(CompareRequest(r, parse_series(IngestRequest(())), (("b", "c"), ("b", "d"))))
    assert [(c.view, c.a, c.b) for c in out.across] == [("proposal", "b", "c"), ("against", "b", "d")]


def test_both_sides_stopped_by_one_error_is_said_once_naming_both(tmp_path: Path) -> None:
    # The same construct the mirror does not model on both sides: one sentence, not the long reason twice.
    asm = "static inline int demo_asm(u64 fn)\n{\n\tasm volatile(\"nop\");\n\treturn 0;\n}\n"
    m = matrix(tmp_path, MATRIX_ASM)
    vs = (variant("a", extra=asm, revision=1, prefix=0), variant("b", tries=5, extra=asm, revision=1, prefix=1))
    cmp = compare_pair(run_matrix(MatrixRequest(vs, m, jobs=1)), "a", "b", "patch", "x")
    [gap] = [g for g in cmp.gaps if "demo_asm" in g.entries]
    assert gap.reason.startswith("the mirror cannot run demo_asm() in a or b: "), gap.reason
    assert gap.reason.count("cannot run") == 1


def _patch(tmp_path: Path, diff_text: str):  # type: ignore[no-untyped-def]
    write_mbox(tmp_path / "p.mbox", [message("[PATCH] move", "m@x", patch_body("Move it.", diff_text))])
    return parse_series(IngestRequest((tmp_path / "p.mbox",))).all_patches()[0]


def test_moved_definitions(tmp_path: Path) -> None:
    diff = """\
diff --git a/a.h b/a.h
--- a/a.h
+++ b/a.h
@@ -1,4 +1,1 @@
 int keep;
-static inline int helper(int x)
-{
-\treturn x;
-}
diff --git a/b.h b/b.h
--- a/b.h
+++ b/b.h
@@ -1,1 +1,5 @@
 int other;
+static inline int helper(int x)
+{
+\treturn x + 1;
+}
"""
    assert moved_definitions(_patch(tmp_path, diff)) == {"helper": ("a.h", "b.h")}


def _seen(pairs: list[tuple[str, str]]) -> list[object]:
    from types import SimpleNamespace

    return [SimpleNamespace(leaf_name=leaf, script=SimpleNamespace(name=script), leafless=False, stands_for=())
            for leaf, script in pairs]


LEAVES, SCRIPTS = frozenset({"A", "B"}), frozenset({"x", "y"})


@pytest.mark.parametrize(("pairs", "want"), [
    # A true product: one part, "all" where it covers every leaf / script.
    ([("A", "x"), ("A", "y"), ("B", "x"), ("B", "y")], "all leaves x all scripts"),
    ([("A", "x"), ("B", "x")], "all leaves x x"),
    # Not a product: A saw x only, B saw y only. "all leaves x all scripts" would claim A x y and B x x.
    ([("A", "x"), ("B", "y")], "A x x; B x y"),
    ([("A", "x"), ("A", "y"), ("B", "y")], "A x all scripts; B x y"),
    ([("A", "no-entropy-x1"), ("A", "no-entropy-x9"), ("B", "other")], "A x no-entropy-x1/9; B x other"),
    ([(f"L{i}", f"s{i}") for i in range(6)], "L0 x s0; L1 x s1; L2 x s2; L3 x s3; 2 more leaf x script pairs"),
])
def test_where_seen_names_exactly_the_pairs_that_differ(pairs: list[tuple[str, str]], want: str) -> None:
    from harness.comparison import where_seen

    assert where_seen(_seen(pairs), (LEAVES, SCRIPTS)) == want  # type: ignore[arg-type]


def test_a_definition_edited_in_place_is_not_a_move(tmp_path: Path) -> None:
    # A rename of what a macro calls rewrites the macro's line: an edit, not a move; a function cut and
    # pasted lower in the same file (first line unchanged) is a move.
    diff = """\
diff --git a/a.h b/a.h
--- a/a.h
+++ b/a.h
@@ -1,6 +1,6 @@
-#define seamcall(fn, args) sc_retry(__seamcall, (fn), (args))
+#define seamcall(fn, args) seamcall_retry(__seamcall, (fn), (args))
-static inline int helper(int x)
-{
-\\treturn x;
-}
 int keep;
+static inline int helper(int x)
+{
+\\treturn x;
+}
"""
    assert moved_definitions(_patch(tmp_path, diff)) == {"helper": ("a.h", "a.h")}


def test_against_two_states_of_a_revision_knows_what_the_patches_between_define(corpus: Path) -> None:
    # v3 06/26 defines seamldr_prerr(): comparing v3:06 against v3:05 says so, as the patch's own view does,
    # rather than "not compared ... give --tree".
    from harness.pipeline import EvalRequest, evaluate

    ev = evaluate(EvalRequest((corpus,), variants=("v3:05", "v3:06"), against="v3:05"))
    patch = next(c for c in ev.comparison.per_patch if c.b == "v3:06")
    against = next(c for c in ev.comparison.across if c.view == "against")
    assert (against.compared, [g.reason for g in against.gaps]) == (patch.compared, [g.reason for g in patch.gaps])
    assert against.summary() == patch.summary()


def test_a_change_no_entry_point_reaches_is_never_no_behaviour_change(tmp_path: Path) -> None:
    # Patch 2 changes the leaf of a helper a file-scope macro generates; no entry point of the matrix reaches
    # it, so nothing ran its code: the patch is not "no behaviour change", and the place is named.
    from harness.pipeline import EvalRequest, evaluate
    from tests.harness.test_checks import header_and_unit
    from tests.harness.variantgen import MATRIX
    from tests.mailgen import HELPER_PATH, HELPER_V1, diff

    gen = ("#define DEFINE_SC(name, leaf) static inline int demo_##name(u64 x) { return (int)demo_call(leaf); }\n"
           "DEFINE_SC(probe, 33)\n\n#endif\n")
    one = HELPER_V1.replace("#endif\n", gen)
    two = one.replace("DEFINE_SC(probe, 33)", "DEFINE_SC(probe, 35)")
    msgs = [message("[PATCH 1/2] demo: add helper", "g1@x", patch_body("Add.", header_and_unit(one, HELPER_PATH))),
            message("[PATCH 2/2] demo: probe another leaf", "g2@x", patch_body("No functional change.",
                                                                                diff(HELPER_PATH, one, two)))]
    (tmp_path / "m.toml").write_text(MATRIX)
    ev = evaluate(EvalRequest((write_mbox(tmp_path / "g.mbox", msgs),), matrix=tmp_path / "m.toml"))
    cmp = next(c for c in ev.comparison.per_patch if c.b == "v1:02")
    assert not cmp.unchanged and not cmp.changed
    assert cmp.unreached == (f"demo_probe() ({HELPER_PATH}:25)",)  # the function the macro generates
    assert "the patch also changes code no entry point reaches" in cmp.summary()[0]
    # A change to the generating macro's body is code no entry point reaches too.
    three = two.replace("return (int)demo_call(leaf);", "return (int)demo_call(leaf) + 1;")
    msgs.append(message("[PATCH 3/3] demo: reword", "g3@x", patch_body("Reword.", diff(HELPER_PATH, two, three))))
    for m in msgs:
        m.replace_header("Subject", m["Subject"].replace("/2]", "/3]"))
    ev = evaluate(EvalRequest((write_mbox(tmp_path / "g3.mbox", msgs),), matrix=tmp_path / "m.toml"))
    cmp = next(c for c in ev.comparison.per_patch if c.b == "v1:03")
    assert cmp.unreached and cmp.unreached[0].startswith("DEFINE_SC() ")


def test_no_behaviour_change_is_never_said_of_code_no_scenario_that_ran_reaches(tmp_path: Path) -> None:
    # demo_retry() calls a function the mail does not show, so none of its scenarios runs; patch 2 changes only
    # demo_retry(). demo_prerr() runs on both sides and does not change: that says nothing of the patch.
    from harness.pipeline import EvalRequest, evaluate
    from tests.harness.variantgen import MATRIX

    one = ("static inline u64 demo_retry(u64 fn, struct tdx_module_args *args)\n{\n"
           "\treturn demo_mystery(fn) + 1;\n}\n\nstatic inline int demo_prerr(u64 fn, struct tdx_module_args *args)\n"
           "{\n\treturn __seamcall(fn, args) ? -5 : 0;\n}\n")
    two = one.replace("demo_mystery(fn) + 1", "demo_mystery(fn) + 2")
    msgs = [message("[PATCH 1/2] demo: add helpers", "n1@x", patch_body("Add.", diff("demo/h.h", None, one))),
            message("[PATCH 2/2] demo: retry differently", "n2@x", patch_body("Change.", diff("demo/h.h", one, two)))]
    (tmp_path / "m.toml").write_text(MATRIX)
    ev = evaluate(EvalRequest((write_mbox(tmp_path / "n.mbox", msgs),), matrix=tmp_path / "m.toml"))
    cmp = next(c for c in ev.comparison.per_patch if c.b == "v1:02")
    assert cmp.compared and not cmp.changed and not cmp.unchanged
    assert cmp.not_run == ("demo_retry() (demo/h.h:3), which no scenario that ran on both sides reaches",)
    assert "but some of the code the patch changes never ran" in cmp.summary()[0]


_HELPERS = ("static inline u64 demo_retry(u64 fn, struct tdx_module_args *args)\n{\n"
            "\tu64 ret = __seamcall(fn, args);\n\n\treturn ret;\n}\n\n"
            "static inline int demo_prerr(u64 fn, struct tdx_module_args *args)\n"
            "{\n\treturn demo_retry(fn, args) ? -5 : 0;\n}\n")
# A branch no script reaches: the answer 0x8000020000000000 is not among the matrix's codes.
_BRANCH = "\tif (ret == 0x8000020000000000ULL)\n\t\treturn 16;\n"


def _two_patches(tmp_path: Path, second: str, subject: str, first: str | None = None) -> Path:
    """An mbox of two patches (the first adds _HELPERS unless ``first`` is given) and the test matrix beside it."""
    from tests.harness.variantgen import MATRIX

    first = first if first is not None else diff("demo/h.h", None, _HELPERS)
    msgs = [message("[PATCH 1/2] demo: add helpers", "c1@x", patch_body("Add.", first)),
            message(f"[PATCH 2/2] demo: {subject}", "c2@x", patch_body("No functional change intended.", second))]
    (tmp_path / "m.toml").write_text(MATRIX)
    return write_mbox(tmp_path / "c.mbox", msgs)


def _no_value_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    """Comparisons without harness.valuecover's runs of the answers next to a changed condition (which take the
    branch on 0x8000020000000000 _BRANCH adds): what statement coverage alone says."""
    monkeypatch.setattr("harness.compare.with_values", lambda res, cmp: cmp)


def test_a_changed_line_no_run_executed_is_never_called_unchanged(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    # demo_retry() runs in every scenario, but the branch the patch adds is taken by none: the scenarios that
    # ran say nothing of it, so "no behaviour change" is not claimed (statement coverage, harness.reach).
    from harness.pipeline import EvalRequest, evaluate

    after = _HELPERS.replace("\n\treturn ret;", "\n" + _BRANCH + "\treturn ret;")
    mbox = _two_patches(tmp_path, diff("demo/h.h", _HELPERS, after), "handle busy")
    # The answer the branch tests, run on both sides as the added condition's neighbour, takes it: a change.
    ev = evaluate(EvalRequest((mbox,), matrix=tmp_path / "m.toml", cache=None))
    cmp = next(c for c in ev.comparison.per_patch if c.b == "v1:02")
    assert cmp.changed and "return 0x8000020000000000 -> 0x10" in cmp.summary()[0]
    assert "neighbour-0x8000020000000000" in cmp.summary()[0]
    _no_value_runs(monkeypatch)
    ev = evaluate(EvalRequest((mbox,), matrix=tmp_path / "m.toml", cache=None))
    cmp = next(c for c in ev.comparison.per_patch if c.b == "v1:02")
    assert not cmp.changed and cmp.compared == cmp.total and not cmp.unchanged
    assert cmp.not_run == ("demo_retry() (demo/h.h:5-6) never ran in v1:02",)
    assert "some of the code the patch changes never ran" in cmp.summary()[0]
    # A branch a script does take is covered: the same patch with the busy answer is "changed" instead.
    taken = after.replace("0x8000020000000000ULL", "0x8000000000000010ULL")
    mbox = _two_patches(tmp_path, diff("demo/h.h", _HELPERS, taken), "handle busy")
    ev = evaluate(EvalRequest((mbox,), matrix=tmp_path / "m.toml", cache=None))
    assert next(c for c in ev.comparison.per_patch if c.b == "v1:02").changed


def test_a_move_with_a_branch_no_run_takes_is_not_called_a_clean_move(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    # The helpers move to another file, and the move adds a branch no scenario takes: never "without changing
    # behaviour", and the coverage read back from the outcome cache says the same.
    from harness.findings import FindingKind
    from harness.pipeline import EvalRequest, evaluate

    moved = _HELPERS.replace("\n\treturn ret;", "\n" + _BRANCH + "\treturn ret;")
    move = diff("demo/h.h", _HELPERS, "") + diff("demo/moved.h", None, moved)
    mbox = _two_patches(tmp_path, move, "move helpers to moved.h")
    # The answer the added branch tests takes it (harness.valuecover): the move changes behaviour.
    ev = evaluate(EvalRequest((mbox,), matrix=tmp_path / "m.toml", cache=None))
    assert FindingKind.CODE_MOVE_CHANGED in {f.kind for f in ev.comparison.findings}
    _no_value_runs(monkeypatch)
    for _ in range(2):
        ev = evaluate(EvalRequest((mbox,), matrix=tmp_path / "m.toml", cache=tmp_path / "cache"))
        kinds = {f.kind for f in ev.comparison.findings}
        assert FindingKind.CODE_MOVE_NOT_COMPARED in kinds and FindingKind.CODE_MOVE not in kinds
        found = next(f for f in ev.comparison.findings if f.kind is FindingKind.CODE_MOVE_NOT_COMPARED)
        assert "demo_retry() (demo/moved.h:5-6) never ran in v1:02" in found.text
    assert ev.result.cached


def test_the_gate_does_not_pass_sameness_resting_on_a_line_no_run_executed(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    import json

    from typer.testing import CliRunner

    from harness.cli import app
    from harness.valuecover import ValueRuns

    after = _HELPERS.replace("\n\treturn ret;", "\n" + _BRANCH + "\treturn ret;")
    mbox = _two_patches(tmp_path, diff("demo/h.h", _HELPERS, after), "handle busy")
    (tmp_path / "rules.toml").write_text('[[rule]]\nid = "same"\nreviewer = "Rev"\nsummary = "s"\n'
                                         'patch = "handle busy"\n[rule.check]\nkind = "equivalence"\n'
                                         'reference = "before:patch"\n')
    args = ["gate", str(mbox), "--variant", "v1", "--matrix", str(tmp_path / "m.toml"),
            "--rules", str(tmp_path / "rules.toml"), "--json", str(tmp_path / "g.json"), "--no-cache"]
    # The answer the added branch tests, run on both sides as its neighbour (harness.valuecover), takes it: the
    # rule fails with that run as evidence.
    r = CliRunner().invoke(app, args)
    (rule,) = json.loads((tmp_path / "g.json").read_text())["rules"]
    assert r.exit_code == 1 and rule["verdict"] == "fail", r.output
    assert any("neighbour-0x8000020000000000" in e["scenario"] for e in rule["evidence"]), rule["evidence"]
    # Without those runs, statement coverage alone keeps the rule from passing on what never ran.
    _no_value_runs(monkeypatch)
    monkeypatch.setattr("harness.equivalence.value_runs", lambda *a, **k: ValueRuns())
    r = CliRunner().invoke(app, args)
    (rule,) = json.loads((tmp_path / "g.json").read_text())["rules"]
    assert r.exit_code == 1 and rule["verdict"] == "inconclusive", r.output
    assert "demo_retry() (demo/h.h:5-6) never ran in v1" in rule["note"]


def test_a_log_line_at_another_level_is_explained() -> None:
    warn = Outcome("ok", (CALL,), 0, "int", None, (LogLine("warning", "A (1) failed"),), (), (), None)
    classes = classify(BASE, warn)
    assert classes == (DiffClass.LOG,)
    assert explain(BASE, warn, classes) == ["log: level err -> warning: A (1) failed"]


def test_nothing_compared_is_never_called_no_behaviour_change() -> None:
    from harness.comparison import Comparison

    c = Comparison("patch", "v3:01", "v3:02", "v3 02/26", None, (), 448, unreached=("f() (a.c:3)",))
    assert c.summary()[0] == "nothing compared: no scenario ran on both sides"
    assert "not compared: f() (a.c:3), which no entry point reaches" in c.summary()


def test_the_pr_fmt_of_a_file_code_moves_into_is_not_code_no_entry_point_reaches(tmp_path: Path) -> None:
    # Every pr_*() of the file prints it: when code of the file ran, the runs compared what it makes.
    from harness.findings import FindingKind
    from harness.pipeline import EvalRequest, evaluate

    moved = '#define pr_fmt(fmt) "demo: " fmt\n\n' + _HELPERS
    build = diff("demo/Makefile", "obj-y += h.o\n", "obj-y += h.o demo.o\n")  # a new .c file kbuild builds
    mbox = _two_patches(tmp_path, diff("demo/h.h", _HELPERS, "") + diff("demo/demo.c", None, moved) + build,
                        "move to demo.c")
    ev = evaluate(EvalRequest((mbox,), matrix=tmp_path / "m.toml", cache=None))
    cmp = next(c for c in ev.comparison.per_patch if c.b == "v1:02")
    assert not any("demo/demo.c:1" in u for u in cmp.unreached), cmp.unreached
    assert [f.kind for f in ev.comparison.findings if f.kind.startswith("code-move")] == [FindingKind.CODE_MOVE]


def test_an_entry_point_the_code_nearly_has_is_named(tmp_path: Path) -> None:
    from harness.pipeline import EvalRequest, evaluate
    from tests.harness.variantgen import MATRIX

    after = _HELPERS.replace("return ret;", "return ret + 0;")
    mbox = _two_patches(tmp_path, diff("demo/h.h", _HELPERS, after), "tweak")
    (tmp_path / "m.toml").write_text(MATRIX.replace('name = "demo_prerr"', 'name = "demo_prer"'))
    ev = evaluate(EvalRequest((mbox,), matrix=tmp_path / "m.toml", cache=None))
    cmp = next(c for c in ev.comparison.per_patch if c.b == "v1:02")
    assert any("demo_prer()" in g.reason and "(did you mean 'demo_prerr'?)" in g.reason for g in cmp.gaps), cmp.gaps


def test_an_entry_point_of_another_name_is_no_misspelling(tmp_path: Path) -> None:
    # The bundled matrix's seamcall_saved_ret() on a user's code that has seamcall_ret() read "(did you mean
    # 'seamcall_ret'?)": a helper of another name, not a slip of the pen.
    from harness.pipeline import EvalRequest, evaluate
    from tests.harness.variantgen import MATRIX

    after = _HELPERS.replace("return ret;", "return ret + 0;")
    mbox = _two_patches(tmp_path, diff("demo/h.h", _HELPERS, after), "tweak")
    (tmp_path / "m.toml").write_text(MATRIX.replace('name = "demo_prerr"', 'name = "demo_prerr_ret"'))
    ev = evaluate(EvalRequest((mbox,), matrix=tmp_path / "m.toml", cache=None))
    cmp = next(c for c in ev.comparison.per_patch if c.b == "v1:02")
    gap = next(g for g in cmp.gaps if "demo_prerr_ret()" in g.reason)
    assert "did you mean" not in gap.reason and gap.reason.endswith("the name is not in this code"), gap.reason


def test_pr_err_once_in_place_of_pr_err_is_a_behaviour_change(tmp_path: Path) -> None:
    # A run is one call, where both print; the static pr_err_once() leaves silences the next call, and is state.
    from harness.filestate import full_file
    from harness.variants import Variant
    from tests.harness.variantgen import HELPER, RETRY_C

    once = RETRY_C.replace("TRIES", "3").replace("FMT", "%llu").replace("pr_err(", "pr_err_once(")
    vs = (variant("a", revision=1, prefix=0),
          Variant("b", "test variant b", (full_file(HELPER, once, "b"),), (), (), (), "test", 1, 1, None))
    r = run_matrix(MatrixRequest(vs, matrix(tmp_path), jobs=1))
    cmp = compare_pair(r, "a", "b", "patch", "x")
    changed = {d.scenario.id for d in cmp.differences}
    assert "demo_prerr/ONE/fail/demo.c" in changed and "demo_prerr/ONE/ok/demo.c" not in changed
    assert any("demo_prerr::pr_err_once()" in line for line in cmp.summary()), cmp.summary()


def test_a_changed_wrapper_macro_no_entry_point_runs_is_named_not_passed_over(tmp_path: Path) -> None:
    # A function-like macro whose expansion calls code (a wrapper: new API whose callers are elsewhere) runs
    # only where it is invoked; one that no entry point reaches, and that the matrix cannot feed (``cb`` is
    # no argument it knows), changed by a patch, is code that no comparison covered, never "no change".
    from harness.pipeline import EvalRequest, evaluate
    from tests.mailgen import HELPER_PATH, HELPER_V1

    wrap = "#define demo_retry_cb(cb, fn) demo_retry(fn)\n\n#endif\n"
    one = HELPER_V1.replace("#endif\n", wrap)
    two = one.replace("demo_retry(fn)\n\n#endif", "demo_retry((fn) | 1)\n\n#endif")
    mbox = _two_patches(tmp_path, diff(HELPER_PATH, one, two), "set the low bit", diff(HELPER_PATH, None, one))
    ev = evaluate(EvalRequest((mbox,), matrix=tmp_path / "m.toml"))
    cmp = next(c for c in ev.comparison.per_patch if c.b == "v1:02")
    assert not cmp.unchanged, cmp.summary()
    assert any(u.startswith("demo_retry_cb() ") for u in cmp.unreached), cmp.unreached


def test_two_states_patches_apart_are_not_one_patchs_comparison(tmp_path: Path) -> None:
    # --variant v2:01 --variant v2: the comparison spans patches 2 and 3, but was labelled "v2 03/3: demo: try five
    # times" with 3/3's Message-ID, so patch 2's log change was put down to patch 3 (a probe: eval --variant
    # v3:05 --variant v3 called the 06/26 retry change "v3 07/26").
    from harness.pipeline import EvalRequest, evaluate
    from tests.mailgen import demo_series

    (tmp_path / "m.toml").write_text(MATRIX)
    mbox = write_mbox(tmp_path / "s.mbox", demo_series())
    ev = evaluate(EvalRequest((mbox,), variants=("v2:01", "v2"), matrix=tmp_path / "m.toml"))
    [cmp] = ev.comparison.per_patch
    assert cmp.label.startswith("v2 02-03/3: "), cmp.label
    assert cmp.msgid is None and "demo: print fn in decimal" in cmp.label and "demo: try five times" in cmp.label
    ev = evaluate(EvalRequest((mbox,), variants=("v2:02", "v2"), matrix=tmp_path / "m.toml"))
    [cmp] = ev.comparison.per_patch
    assert cmp.label == "v2 03/3: demo: try five times" and cmp.msgid == "p3-v2@example.org", (cmp.label, cmp.msgid)


@pytest.mark.parametrize("option", ["CONFIG_TDX_LDR", None])
def test_a_comparison_of_code_a_guarded_makefile_line_builds_says_the_option_is_assumed(tmp_path: Path,
                                                                                         option: str | None) -> None:
    # Patch 2 moves ldr_call() to ldr_call.c; both files are built by obj-$(CONFIG_TDX_LDR) lines, the option taken
    # as set. "no behaviour change" said nothing of it (tests/harness/test_configonly.py: make's reading).
    import shutil

    from harness.pipeline import EvalRequest, evaluate
    from tests.harness.linkgen import CALL, OPS, guarded_loader
    from tests.harness.seriesgen import MAKEFILE

    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    ev = evaluate(EvalRequest((write_mbox(tmp_path / "v5.mbox", guarded_loader(option)),), jobs=1, cache=None))
    move = ev.comparison.per_patch[1]
    assert not move.changed, move.summary()
    said = [f"assumed built (the harness reads no .config): {OPS}: {MAKEFILE}:3 names ldr_ops.o ({option} taken "
            "as set)", f"assumed built (the harness reads no .config): {CALL}: {MAKEFILE}:4 names ldr_call.o ({option} "
            "taken as set)"]
    assert move.assumptions() == (said if option else []), move.summary()
    assert all(s in move.summary() for s in move.assumptions())


def test_a_fact_across_several_patches_names_the_patch(tmp_path: Path) -> None:
    # v1:01 against v1 spans patches 2 and 3, and patch 3 adds demo_err(): the fact read "this patch defines it".
    from tests.harness.test_equivalence import _later_patch_adds

    (e,) = _later_patch_adds(tmp_path)["evidence"]  # type: ignore[misc]
    assert e["actual"] == "demo_err() is new: v1 03/3 defines it", e


def test_a_patch_that_does_not_apply_is_said_so_not_code_no_entry_point_reaches(tmp_path: Path) -> None:
    # Patch 2's hunk on demo/p.h has context git apply refuses: its change is in no state, so the lines it would
    # change are not "code no entry point reaches" (demo_prerr() reaches them before it), and the verdict says
    # first that the patch does not apply, not only that the scenarios that ran are alike.
    from harness.pipeline import EvalRequest, evaluate
    from tests.harness.variantgen import MATRIX

    h = "static inline u64 demo_retry(u64 fn, struct tdx_module_args *args)\n{\n\treturn __seamcall(fn, args);\n}\n"
    p = ("static inline int demo_prerr(u64 fn, struct tdx_module_args *args)\n"
         "{\n\treturn __seamcall(fn, args) ? -5 : 0;\n}\n")
    refused = diff("demo/p.h", p, p.replace("-5", "-22")).replace(" static inline int demo_prerr(",
                                                                  " static inline int demo_prerr_x(")
    msgs = [message("[PATCH 1/2] demo: add helpers", "u1@x",
                    patch_body("Add.", diff("demo/h.h", None, h) + diff("demo/p.h", None, p))),
            message("[PATCH 2/2] demo: another errno", "u2@x", patch_body("Change.", refused))]
    (tmp_path / "m.toml").write_text(MATRIX)
    ev = evaluate(EvalRequest((write_mbox(tmp_path / "u.mbox", msgs),), matrix=tmp_path / "m.toml", cache=None))
    cmp = next(c for c in ev.comparison.per_patch if c.b == "v1:02")
    assert cmp.compared and not cmp.changed and not cmp.unchanged and cmp.unreached == ()
    head = cmp.summary()[0]
    assert head.startswith("the patch does not apply in v1:02 (demo/p.h @@ -1,4 +1,4 @@: hunk does not apply: "
                           "context differs at line 1; the file is the pre-image blob its index line names (") \
        and "no entry point reaches" not in head, head
    assert "), so the diff was edited or mangled after git made it): " in head  # its context line was, here
    assert "no behaviour change in the 8 of 16 scenarios that ran on both sides" in head


def test_a_log_line_at_another_level_with_other_text_says_both() -> None:
    # pr_err("...") -> WARN_ONCE(1, "..."): no pr_fmt, and vprintk()'s default level: the text note alone hid that.
    warned = Outcome("ok", (CALL,), 0, "int", None, (LogLine("default", "A (2) failed"),), (), (), None)
    notes = explain(BASE, warned, classify(BASE, warned))
    assert "log: level err -> default: line 1 of the log, whose text changed too" in notes, notes
    assert any(n.startswith("log: value '1' -> '2'") for n in notes), notes
    # Lines only one side has are not paired with each other's levels.
    other = Outcome("ok", (CALL,), 0, "int", None, (LogLine("default", "x"), LogLine("warning", "y z")), (), (), None)
    assert not [n for n in explain(BASE, other, classify(BASE, other)) if "level" in n]


def test_a_printer_turned_into_warn_once_says_its_level_changed(tmp_path: Path) -> None:
    from harness.pipeline import EvalRequest, evaluate
    from tests.harness.seriesgen import NEW_HOME, RETRY_SAFE, Step, helpers, revision

    base = helpers(RETRY_SAFE)
    warned = base.replace('\tpr_err("SEAMCALL (%llu) failed: %#016llx\\n", fn, err);\n',
                          '\tWARN_ONCE(1, "SEAMCALL (%llu) failed: %#016llx\\n", fn, err);\n')
    assert warned != base
    msgs = revision(5, [Step("x86/virt/tdx: Add an internal SEAMCALL helper header", ((NEW_HOME, None, base),)),
                        Step("x86/virt/tdx: Warn once on SEAMCALL errors", ((NEW_HOME, base, warned),))])
    ev = evaluate(EvalRequest((write_mbox(tmp_path / "v5.mbox", msgs),), jobs=1, time_budget=0))
    (cmp,) = [c for c in ev.comparison.per_patch if c.b == "v5:02"]
    notes = [n for d in cmp.differences for n in d.notes]
    assert "log: level err -> default: line 1 of the log, whose text changed too" in notes, notes


def test_a_return_value_of_another_type_names_both_types(tmp_path: Path) -> None:
    # seamldr_prerr() made a function returning bool: its 0 is still 0, of another type; "return 0 -> 0" read as none.
    from harness.pipeline import EvalRequest, evaluate
    from tests.harness.seriesgen import NEW_HOME, RETRY_SAFE, Step, helpers, revision

    base = helpers(RETRY_SAFE)
    macro = "#define seamldr_prerr(_fn, _args)\tsc_retry_prerr(__seamcall, (_fn), (_args))\n"
    made = base.replace(macro, "static inline bool seamldr_prerr(u64 fn, struct tdx_module_args *args)\n{\n"
                               "\treturn sc_retry_prerr(__seamcall, fn, args);\n}\n")
    assert made != base
    msgs = revision(5, [Step("x86/virt/tdx: Add an internal SEAMCALL helper header", ((NEW_HOME, None, base),)),
                        Step("x86/virt/tdx: Make seamldr_prerr() a function", ((NEW_HOME, base, made),))])
    ev = evaluate(EvalRequest((write_mbox(tmp_path / "v5.mbox", msgs),), jobs=1, time_budget=0))
    (cmp,) = [c for c in ev.comparison.per_patch if c.b == "v5:02"]
    notes = [n for d in cmp.differences for n in d.notes]
    assert "return 0 (int) -> false (_Bool)" in notes and "return -EIO -> true" in notes, notes
    assert "return 0 -> 0" not in notes, notes


def test_code_no_scenario_that_ran_reaches_is_placed_on_each_side(tmp_path: Path) -> None:
    # v4 and v5 each add the helpers; v5 has a line more above demo_retry(), whose body differs: the comparison of
    # the revisions named v4's line alone ('demo/h.h:3'), which in v5 is line 4. Each side's place is said.
    from harness.pipeline import EvalRequest, evaluate
    from tests.harness.variantgen import MATRIX

    four = ("static inline u64 demo_retry(u64 fn, struct tdx_module_args *args)\n{\n"
            "\treturn demo_mystery(fn) + 1;\n}\n\nstatic inline int demo_prerr(u64 fn, struct tdx_module_args *args)\n"
            "{\n\treturn __seamcall(fn, args) ? -5 : 0;\n}\n")
    five = "#define DEMO_SHIFT 1\n" + four.replace("demo_mystery(fn) + 1", "demo_mystery(fn) + 2")
    msgs = [message(f"[PATCH v{v}] demo: add helpers", f"r{v}@x", patch_body("Add.", diff("demo/h.h", None, text)))
            for v, text in ((4, four), (5, five))]
    (tmp_path / "m.toml").write_text(MATRIX)
    ev = evaluate(EvalRequest((write_mbox(tmp_path / "r.mbox", msgs),), matrix=tmp_path / "m.toml", time_budget=0))
    (across,) = [c for c in ev.comparison.across if (c.a, c.b) == ("v4", "v5")]
    assert "demo_retry() (demo/h.h:3 in v4, line 4 in v5), which no scenario that ran on both sides " \
        "reaches" in across.not_run, across.not_run


@pytest.mark.parametrize(("pairs", "want"), [
    # z runs under B alone (a script's leaves): A seeing x and y saw all it takes; was 'A x x, y; B x x, y, z', then
    # 'A x all scripts; B x all scripts': every leaf under every script it takes is all of them.
    ([("A", "x"), ("A", "y"), ("B", "x"), ("B", "y"), ("B", "z")], "all leaves x all scripts"),
    ([("A", "x"), ("B", "x"), ("B", "y"), ("B", "z")], "A x x; B x all scripts"),  # A lacks y: not all
    ([("A", "x"), ("A", "y"), ("B", "x"), ("B", "y")], "all leaves x x, y"),  # B takes z too: not all of its scripts
])
def test_all_scripts_of_a_leaf_are_those_it_takes(pairs: list[tuple[str, str]], want: str) -> None:
    from harness.comparison import where_seen

    universe = (LEAVES, {"A": frozenset({"x", "y"}), "B": frozenset({"x", "y", "z"})})
    assert where_seen(_seen(pairs), universe) == want  # type: ignore[arg-type]


def test_the_matrix_universe_is_one_object_for_every_comparison(tmp_path: Path) -> None:
    # 08868d9 built the per-leaf scripts anew for each comparison: the scale case's 640 variants took 250 MB more.
    m = matrix(tmp_path)
    vs = (variant("a", revision=1, prefix=0), variant("b", tries=5, revision=1, prefix=1),
          variant("c", fmt="%#llx", start="b"))
    r = run_matrix(MatrixRequest(vs, m, jobs=1))
    first, second = compare_pair(r, "a", "b", "patch", "x"), compare_pair(r, "b", "c", "patch", "y")
    assert first.universe is second.universe or (
        first.universe[0] is second.universe[0] and first.universe[1] is second.universe[1])
    assert first.universe[1] == frozenset(s.name for s in m.scripts)  # no script names leaves: one set for all

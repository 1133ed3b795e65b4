"""Helpers renamed in a patch or a revision: found by content, moves that rename, rules that follow the new name."""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

import pytest

from harness.findings import FindingKind
from harness.gate import GateRequest, evaluate_gate
from harness.matrix import EntryKind
from harness.pipeline import EvalRequest, Evaluation, evaluate
from harness.renames import find_renames
from harness.renamescore import THRESHOLD, similarity
from harness.verdict import VerdictStatus
from models.loader import Source, definitions
from tests.harness.renamegen import (
    CREATE,
    KEPT_WRAPPER,
    RENAME,
    RETRY_DROPPED,
    REVIEW,
    aliased,
    macro_rename,
    move_and_rename,
    old_name_reused,
    prepared,
    rename_first,
    rename_in_place,
    renamed,
    renamed_next_revision,
    swapped_names,
    two_candidates,
    wrapper_rename,
)
from tests.harness.seriesgen import NEW_HOME, PREPARE, RETRY_BY_LEAF, RETRY_SAFE, Step, helpers, revision
from tests.mailgen import write_mbox

# A pass whose rule cites a review this input does not hold says it was not shown to fail (harness.witness).
_NOT_SHOWN = "not shown to fail on the code its cited message reviewed"


def _eval(tmp_path: Path, msgs: list[EmailMessage]) -> Evaluation:
    return evaluate(EvalRequest((write_mbox(tmp_path / "s.mbox", msgs),), jobs=1))


def _gate(tmp_path: Path, msgs: list[EmailMessage], variant: str = "v4") -> dict[str, tuple[VerdictStatus, str]]:
    g = evaluate_gate(GateRequest((write_mbox(tmp_path / "g.mbox", msgs),), variant, jobs=1))
    return {v.rule.id: (v.status, v.note) for v in g.verdicts}


def _moves(ev: Evaluation) -> list[tuple[FindingKind, str]]:
    return [(f.kind, f.text) for f in ev.comparison.findings if f.kind.startswith("code-move")]


# -- the measure ---------------------------------------------------------------------------------------------

def test_similarity_counts_tokens_after_the_rename() -> None:
    old = "static int f(int a)\n{\n\treturn g(a) + 1;\n}\n"
    assert similarity(old, old.replace("f(", "h("), {"f": "h"}) == 100
    assert similarity(old, old.replace("f(", "h("), {}) < 100  # the name itself is a token that differs
    # One token of 17 changed ("static int f ( int a ) { return g ( a ) + 1 ; }"): 16 of 17 the same, in order.
    assert similarity(old, old.replace("+ 1", "+ 2").replace("f(", "h("), {"f": "h"}) == 100 * 16 // 17
    assert similarity(old, "#define BUSY 0x10\n", {"f": "h"}) < THRESHOLD == 50


def _table(text: str) -> dict[str, list]:  # type: ignore[type-arg]
    return definitions((Source("a.h", ((1, tuple(text.splitlines())),), True),))


def test_callers_left_calling_the_old_name_make_it_no_rename() -> None:
    helper = "static int f(int a)\n{\n\treturn a + 1;\n}\n"
    before = _table(helper + "static int u(int a)\n{\n\treturn f(a);\n}\n")
    moved = _table(helper.replace("f(", "h(") + "static int u(int a)\n{\n\treturn h(a);\n}\n")
    found = find_renames(before, moved, "in v4 02/2")
    assert [(r.old, r.new, r.similarity, r.callers) for r in found.found] == [("f", "h", 100, ("u",))]
    stuck = find_renames(before, _table(helper.replace("f(", "h(") + "static int u(int a)\n{\n\treturn f(a);\n}\n"),
                         "in v4 02/2")
    assert not stuck.found and "u() still calls f()" in stuck.undecided[0].describe()


def test_an_include_guard_renamed_with_its_file_is_no_helper_rename() -> None:
    # git mv asm/tdx.h .../seamcall.h with its guard renamed said "moves sc_retry, _ASM_X86_TDX_H ->
    # _X86_VIRT_SEAMCALL_H (body 100% the same)": a macro with no tokens has nothing to be the same by.
    body = "static int f(int a)\n{\n\treturn a + 1;\n}\n"
    before = _table("#ifndef _ASM_X86_TDX_H\n#define _ASM_X86_TDX_H\n" + body + "#endif\n")
    after = _table("#ifndef _X86_VIRT_SEAMCALL_H\n#define _X86_VIRT_SEAMCALL_H\n" + body + "#endif\n")
    assert not find_renames(before, after, "in v1 01/1").found
    # A macro with a value is still followed by it.
    flag = _table("#define TRIES_A 10\n" + body)
    assert [(r.old, r.new) for r in find_renames(flag, _table("#define TRIES_B 10\n" + body), "x").found] == [
        ("TRIES_A", "TRIES_B")]


# -- a rename in the same file -------------------------------------------------------------------------------

def test_a_rename_in_place_is_a_code_move_and_rules_follow_it(tmp_path: Path) -> None:
    ev = _eval(tmp_path, rename_in_place())
    assert _moves(ev) == [(FindingKind.CODE_MOVE, f"renames sc_retry -> seamcall_retry (body 100% the same) "
                           f"({NEW_HOME}) without changing behaviour (280 scenarios of seamcall, seamcall_prerr, "
                           f"seamcall_ret, seamldr_prerr ran on both sides); sc_retry, which {NEW_HOME} no longer "
                           "defines: the tree's files that no patch touches and that use it were not checked (give "
                           "--tree); it rests on what the runs assumed: on "
                           "both sides, RDRAND_RETRY_LOOPS is not defined in the variant's files: the prelude's copy "
                           "of mainline's arch/x86/include/asm/archrandom.h is used; give --tree for the tree's "
                           "values; on both sides, TDX_RND_NO_ENTROPY, TDX_SUCCESS are not defined in the variant's "
                           "files: the prelude's copy of mainline's arch/x86/include/asm/tdx.h is used; give --tree "
                           "for the tree's values")]  # the constants the move's code reads from the prelude (cedd4a5)
    verdicts = _gate(tmp_path, rename_in_place())
    status, note = verdicts["no-unlikely-in-sc-retry"]
    assert status is VerdictStatus.PASS
    assert note.startswith("followed sc_retry -> seamcall_retry, renamed in v4 03/3, body 100% the same; ")
    assert _NOT_SHOWN in note  # the rule's cited review is not in this input: its code was not judged (bb4fbcc)
    assert verdicts["move-preserves-behaviour"][0] is VerdictStatus.PASS


def test_a_followed_rule_judges_the_new_code(tmp_path: Path) -> None:
    # The Prepare patch, after the rename, puts an unlikely() into seamcall_retry(): the rule written about
    # sc_retry() fails on it, the evidence naming the new function.
    base = helpers(RETRY_SAFE)
    series = revision(4, [Step(CREATE, ((NEW_HOME, None, base),)),
                          Step(RENAME, ((NEW_HOME, base, renamed(base)),)),
                          Step(PREPARE, ((NEW_HOME, renamed(base), renamed(helpers(RETRY_BY_LEAF))),))])
    # One gate for the note and the evidence (the same gate of the same mbox was run twice).
    g = evaluate_gate(GateRequest((write_mbox(tmp_path / "g.mbox", series),), "v4", jobs=1))
    failed = next(v for v in g.verdicts if v.rule.id == "no-unlikely-in-sc-retry")
    status, note = failed.status, failed.note
    assert status is VerdictStatus.FAIL and note.startswith("followed sc_retry -> seamcall_retry, renamed in v4 02/3")
    assert "in seamcall_retry() and what it calls" in failed.evidence[0].expected


def test_a_followed_rule_whose_new_code_did_not_run_is_inconclusive(tmp_path: Path) -> None:
    # seamcall_retry() holds floating point, which the mirror does not run: nothing of it ran, so the rule,
    # followed to it, is never a pass.
    base = helpers(RETRY_SAFE)
    odd = renamed(base).replace("\tu64 err;\n", "\tu64 err;\n\tdouble spent = 0.5;\n", 1)
    series = revision(4, [Step(CREATE, ((NEW_HOME, None, base),)),
                          Step(PREPARE, ((NEW_HOME, base, prepared(base)),)),
                          Step(RENAME, ((NEW_HOME, prepared(base), prepared(odd)),))])
    status, note = _gate(tmp_path, series)["no-unlikely-in-sc-retry"]
    assert status is VerdictStatus.INCONCLUSIVE, note
    assert "followed sc_retry -> seamcall_retry" in note and "seamcall_retry()" in note


def test_the_rename_before_the_rule_patch_is_followed_too(tmp_path: Path) -> None:
    status, note = _gate(tmp_path, rename_first())["no-unlikely-in-sc-retry"]
    assert status is VerdictStatus.PASS and note.startswith("followed sc_retry -> seamcall_retry, renamed in v4 02/3")


# -- a move and a rename in one patch ------------------------------------------------------------------------

def test_a_move_and_rename_keeping_behaviour_is_a_clean_move(tmp_path: Path) -> None:
    ev = _eval(tmp_path, move_and_rename())
    ((kind, text),) = _moves(ev)
    assert kind is FindingKind.CODE_MOVE and "sc_retry -> seamcall_retry (body 100% the same)" in text
    assert "arch/x86/include/asm/tdx.h -> arch/x86/virt/vmx/tdx/seamcall_internal.h" in text
    verdicts = _gate(tmp_path, move_and_rename())
    assert verdicts["move-preserves-behaviour"][0] is VerdictStatus.PASS
    status, note = verdicts["no-unlikely-in-sc-retry"]
    assert status is VerdictStatus.PASS and _NOT_SHOWN in note
    assert note.startswith("followed sc_retry -> seamcall_retry, renamed in v4 01/2, body 100% the same; ")


def test_a_move_and_rename_that_loses_preemption_changes_behaviour(tmp_path: Path) -> None:
    ev = _eval(tmp_path, move_and_rename(faithful=False))
    ((kind, text),) = _moves(ev)
    assert kind is FindingKind.CODE_MOVE_CHANGED and "sc_retry -> seamcall_retry" in text
    assert "preempt count at SEAMCALL 1 -> 0" in text
    assert "no behaviour change" not in " ".join(ev.comparison.per_patch[0].summary())
    status, note = _gate(tmp_path, move_and_rename(faithful=False))["move-preserves-behaviour"]
    assert status is VerdictStatus.FAIL, note


# -- two candidates: not followed ---------------------------------------------------------------------------

def test_two_candidate_renames_are_not_followed(tmp_path: Path) -> None:
    ev = _eval(tmp_path, two_candidates())
    assert _moves(ev) == []
    status, note = _gate(tmp_path, two_candidates())["no-unlikely-in-sc-retry"]
    assert status is VerdictStatus.INCONCLUSIVE
    assert "sc_retry() may have become seamcall_retry() (100% the same) or sc_retry_once() (98% the same) in v4 " \
           "03/3: not followed (two candidates)" in note


# -- a macro ------------------------------------------------------------------------------------------------

def test_a_renamed_macro_entry_point_is_run_under_its_new_name_and_followed(tmp_path: Path) -> None:
    ev = _eval(tmp_path, macro_rename())
    entry = next(e for e in ev.matrix.entries if e.name == "seamldr_call_prerr")
    old = next(e for e in ev.matrix.entries if e.name == "seamldr_prerr")
    assert entry.kind is EntryKind.RENAMED and (entry.units, entry.args) == (old.units, old.args)
    ((kind, text),) = _moves(ev)
    # Its old scenarios before the patch against its new ones after: the same, so a clean rename.
    assert kind is FindingKind.CODE_MOVE and text.startswith(
        "renames seamldr_prerr -> seamldr_call_prerr (body 100% the same)")
    g = evaluate_gate(GateRequest((write_mbox(tmp_path / "g.mbox", macro_rename()),), "v4", jobs=1))
    found = next(v for v in g.verdicts if v.rule.id == "leaf-in-hex-for-both")
    assert found.note.startswith("followed seamldr_prerr -> seamldr_call_prerr, renamed in v4 04/4, body 100% the "
                                 "same")
    # Judged on what the new macro printed: its decimal leaf is the failure's evidence (9d1136c: the note holds
    # only the components that met the rule, not the failing line again).
    shown = " ".join(f"{e.place} {e.actual}" for e in found.evidence)
    assert found.status is VerdictStatus.FAIL and "P-SEAMLDR decimal" in shown, shown


# -- across revisions ----------------------------------------------------------------------------------------

def test_a_revision_that_has_the_new_name_from_the_start_is_followed(tmp_path: Path) -> None:
    status, note = _gate(tmp_path, renamed_next_revision(), "v5")["no-unlikely-in-sc-retry"]
    assert status is VerdictStatus.PASS
    assert note.startswith("followed sc_retry -> seamcall_retry, renamed between v4 and v5 (v5 01/2 defines "
                           "seamcall_retry()), body 100% the same; ") and _NOT_SHOWN in note


def test_a_rename_not_shown_stays_inconclusive(tmp_path: Path) -> None:
    # Only v5 is given: nothing shows where seamcall_retry() came from, so nothing is followed.
    v5_only = renamed_next_revision()[3:]
    status, note = _gate(tmp_path, v5_only, "v5")["no-unlikely-in-sc-retry"]
    assert status is VerdictStatus.INCONCLUSIVE and "followed" not in note
    assert "nothing in v5's code names sc_retry()" in note


def test_the_schema_names_every_entry_kind_and_a_rename_report_validates(tmp_path: Path) -> None:
    import json

    import jsonschema

    from harness.cli import app
    from tests.harness.test_eval import SCHEMA, runner

    schema = json.loads(SCHEMA.read_text())
    kinds = schema["properties"]["entries"]["items"]["properties"]["kind"]["enum"]
    assert set(kinds) == {k.value for k in EntryKind}
    mbox = write_mbox(tmp_path / "m.mbox", macro_rename())
    res = runner.invoke(app, ["eval", str(mbox), "--json", str(tmp_path / "r.json"), "--jobs", "1"])
    assert res.exit_code == 0, res.output
    report = json.loads((tmp_path / "r.json").read_text())
    jsonschema.validate(report, schema)
    assert {"name": "seamldr_call_prerr", "kind": "renamed"}.items() <= next(
        e for e in report["entries"] if e["name"] == "seamldr_call_prerr").items()


# -- a name that stays while its body goes: swaps, a new helper under the old name, an alias ------------------

def test_two_helpers_swapping_names_are_followed_by_body(tmp_path: Path) -> None:
    # sc_retry() and sc_mark_dirty() swap names; the unlikely() then goes into the loop, now sc_mark_dirty().
    # Judging the name sc_retry() (now the one-line helper) passed: the rule follows the loop (git diff -B -M).
    status, note = _gate(tmp_path, swapped_names())["no-unlikely-in-sc-retry"]
    assert status is VerdictStatus.FAIL, note
    assert note.startswith("followed sc_retry -> sc_mark_dirty, renamed in v4 02/3, body "), note
    assert "sc_retry() is now another helper" in note
    # The swap itself keeps behaviour, callers swapped with the names: the moves rule says so from runs.
    assert _gate(tmp_path, swapped_names())["move-preserves-behaviour"][0] is VerdictStatus.PASS


def test_a_new_helper_under_the_old_name_is_not_judged_for_the_old_one(tmp_path: Path) -> None:
    status, note = _gate(tmp_path, old_name_reused())["no-unlikely-in-sc-retry"]
    assert status is VerdictStatus.FAIL, note
    assert note.startswith("followed sc_retry -> seamcall_retry, renamed in v4 02/3, body 100% the same; "
                           "sc_retry() is now another helper"), note


def test_a_helper_rewritten_as_a_wrapper_of_its_old_body_is_no_rename() -> None:
    # sc_retry() now calls __sc_retry(), which holds its old loop: judging sc_retry() judges both.
    loop = "static int f(int a)\n{\n\tint n = 3;\n\twhile (g(a) && --n)\n\t\t;\n\treturn n;\n}\n"
    wrapped = loop.replace("f(", "__f(") + "static int f(int a)\n{\n\treturn __f(a);\n}\n"
    assert not find_renames(_table(loop), _table(wrapped), "in v4 02/2", rewritten=["f"]).found
    other = loop.replace("f(", "__f(") + "static int f(int a)\n{\n\treturn a;\n}\n"
    found = find_renames(_table(loop), _table(other), "in v4 02/2", rewritten=["f"]).found
    assert [(r.old, r.new, r.kept) for r in found] == [("f", "__f", True)]


@pytest.mark.parametrize("alias", ["#define sc_retry seamcall_retry\n",
                                   "#define sc_retry(op, fn, args) seamcall_retry(op, fn, args)\n"])
def test_an_old_name_kept_as_an_alias_is_judged_on_what_it_stands_for(tmp_path: Path, alias: str) -> None:
    # It said "v4 does not define sc_retry() ... (did you mean 'sc_retry'?)", inconclusive, of a name v4 defines.
    status, note = _gate(tmp_path, aliased(alias))["no-unlikely-in-sc-retry"]
    assert status is VerdictStatus.FAIL, note
    assert note.startswith(f"sc_retry is #define'd to seamcall_retry ({NEW_HOME}:"), note


def test_an_old_name_kept_as_a_wrapper_its_callers_left_is_a_rename() -> None:
    # f() now calls h(), which holds its body, and u() calls h(): the call sites moved, f() stays behind.
    loop = "static int f(int a)\n{\n\tint n = 3;\n\twhile (g(a) && --n)\n\t\t;\n\treturn n;\n}\n"
    caller = "static int u(int a)\n{\n\treturn f(a);\n}\n"
    wrapped = loop.replace("f(", "h(") + "static int f(int a)\n{\n\treturn h(a);\n}\n"
    found = find_renames(_table(loop + caller), _table(wrapped + caller.replace("f(", "h(")), "in v4 02/2").found
    assert [(r.old, r.new, r.wrapper, r.kept, r.callers) for r in found] == [("f", "h", True, False, ("u",))]
    assert found[0].describe().endswith("; f() stays as a wrapper of h() that no code read calls")
    # u() still calling f(), or another helper naming f(), or nothing calling f() before: no rename shown.
    assert not find_renames(_table(loop + caller), _table(wrapped + caller), "in v4 02/2").found
    used = "static int w(int a)\n{\n\treturn f(a) + 1;\n}\n"
    assert not find_renames(_table(loop + caller), _table(wrapped + caller.replace("f(", "h(") + used), "x").found
    assert not find_renames(_table(loop), _table(wrapped), "in v4 02/2").found


def test_an_old_name_kept_as_a_wrapper_no_code_calls_is_followed(tmp_path: Path) -> None:
    # 'Prepare' renames sc_retry() to seamcall_retry() (adding unlikely() to it), every caller moving to it, and
    # keeps sc_retry() as a wrapper nothing calls: the rule on sc_retry() was inconclusive ("no entry point
    # reaches it"); the call sites show the rename, and the rule fails on seamcall_retry().
    def prepare(retry: str) -> str:
        return helpers(retry).replace("sc_retry(", "seamcall_retry(").replace(
            "#define seamcall(_fn", KEPT_WRAPPER + "#define seamcall(_fn")

    base = helpers(RETRY_SAFE)
    mbox = write_mbox(tmp_path / "v2.mbox", revision(2, [
        Step("x86/virt/tdx: Add an internal SEAMCALL helper header", ((NEW_HOME, None, base),)),
        Step(PREPARE, ((NEW_HOME, base, prepare(RETRY_BY_LEAF)),)),
    ]))
    found = {v.rule.id: v for v in evaluate_gate(GateRequest((mbox,), "v2", jobs=1)).verdicts}
    rule = found["no-unlikely-in-sc-retry"]
    assert rule.status is VerdictStatus.FAIL, (rule.status, rule.note)
    assert rule.note.startswith("followed sc_retry -> seamcall_retry, renamed in v2 02/2, body "), rule.note
    assert "sc_retry() stays as a wrapper of seamcall_retry() that no code read calls" in rule.note
    assert "in seamcall_retry() and what it calls" in rule.evidence[0].expected
    # A new seamcall_retry() with little of sc_retry()'s body (one try under a guard) is no rename of it:
    # sc_retry() is defined, reached by nothing, and stays inconclusive, saying so.
    one_try = ("static __always_inline u64 seamcall_retry(sc_func_t op, u64 fn, struct tdx_module_args *args)\n{\n"
               "\tguard(preempt)();\n\treturn sc_mark_dirty(op, fn, args);\n}\n")
    other = prepare(RETRY_SAFE).replace(renamed(RETRY_SAFE).split("\n\n", 1)[1], one_try)
    mbox = write_mbox(tmp_path / "other.mbox", revision(2, [
        Step("x86/virt/tdx: Add an internal SEAMCALL helper header", ((NEW_HOME, None, base),)),
        Step(PREPARE, ((NEW_HOME, base, other),)),
    ]))
    rule = next(v for v in evaluate_gate(GateRequest((mbox,), "v2", jobs=1)).verdicts
                if v.rule.id == "no-unlikely-in-sc-retry")
    assert rule.status is VerdictStatus.INCONCLUSIVE, (rule.status, rule.note)
    assert f"sc_retry() ({NEW_HOME}:" in rule.note and "no entry point reaches it" in rule.note, rule.note


def test_a_wrapper_rename_that_drops_the_retry_fails_the_gate(tmp_path: Path) -> None:
    # v4 03/3 renames sc_retry() to seamcall_retry(), leaves sc_retry() as a wrapper nothing calls, and the new
    # helper no longer retries "no entropy". The rename is found from the call sites: the moves rule judges it
    # (it said "no patch of this variant moves code") and fails on the dropped retry, as the equivalence rule
    # the review mail is cited for does; the rules on sc_retry() judge seamcall_retry().
    g = evaluate_gate(GateRequest((write_mbox(tmp_path / "drop.mbox", wrapper_rename(RETRY_DROPPED)),), "v4",
                                  jobs=1))
    found = {v.rule.id: v for v in g.verdicts}
    assert g.exit_status == 1
    moved = found["move-preserves-behaviour"]
    assert moved.status is VerdictStatus.FAIL, (moved.status, moved.note)
    assert moved.evidence[0].expected.startswith("03/3 renames sc_retry -> seamcall_retry (body ")
    assert "TDX module SEAMCALLs 2 -> 1" in moved.evidence[0].actual
    unchanged = found["tdx-module-calls-unchanged"]
    assert unchanged.status is VerdictStatus.FAIL
    assert "TDX module SEAMCALLs 2 -> 1" in unchanged.evidence[0].actual
    assert g.quotes["tdx-module-calls-unchanged"] == REVIEW.strip()
    assert found["no-unlikely-in-sc-retry"].note.startswith("followed sc_retry -> seamcall_retry, renamed in v4 03/3")
    # The control: the same rename keeping the loop passes both, on runs of seamcall_retry().
    g = evaluate_gate(GateRequest((write_mbox(tmp_path / "keep.mbox", wrapper_rename(RETRY_SAFE)),), "v4", jobs=1))
    found = {v.rule.id: v for v in g.verdicts}
    assert found["move-preserves-behaviour"].status is VerdictStatus.PASS, found["move-preserves-behaviour"].note
    assert found["move-preserves-behaviour"].note.startswith("03/3 renames sc_retry -> seamcall_retry (body 100% ")
    assert found["tdx-module-calls-unchanged"].status is VerdictStatus.PASS
    status, note = found["no-unlikely-in-sc-retry"].status, found["no-unlikely-in-sc-retry"].note
    assert status is VerdictStatus.PASS and "sc_retry() stays as a wrapper of seamcall_retry()" in note, note


def test_similarity_is_the_same_whatever_the_order_of_the_names_given() -> None:
    # scored once per texts and names (a pair met again by renames, moves and local renames): the names' order
    # is no part of the score
    old = "static int f(int x)\n{\n\treturn g(x) + 1;\n}\n"
    new = old.replace("f(", "h(").replace("g(", "k(")
    one = similarity(old, new, {"f": "h", "g": "k"})
    assert one == similarity(old, new, {"g": "k", "f": "h"}) == 100
    assert similarity(old, new, {"f": "h"}) < one


def _rename_between_hunks(tmp_path: Path, context: int) -> tuple[int, dict[str, object], str]:
    """The moves gate on a lone patch renaming demo_retry() in d/a.h, a file the series does not create, with
    ``context`` lines around each change: with 3, its loop lies between the two hunks, unseen from mail alone."""
    from tests.harness.movesgate import moves_gate
    from tests.mailgen import diff, message, patch_body

    pad = "".join(f"\tu64 pad{i} = {i};\n" for i in range(6))
    a0 = ("/* a */\nu64 __seamcall(u64 fn, struct tdx_module_args *args);\n\n"
          "static inline u64 demo_retry(u64 fn)\n{\n\tint tries = 3;\n\tu64 ret;\n" + pad
          + "\n\tdo {\n\t\tret = __seamcall(fn, NULL);\n\t} while (ret == 0x10 && --tries);\n\n\treturn ret;\n}\n\n"
          "#define demo_call(fn)\tdemo_retry(fn)\n")
    a1 = a0.replace("demo_retry(", "demo_retry_busy(")
    write_mbox(tmp_path / "s.mbox", [message("[PATCH 1/1] demo: rename demo_retry", "p1@x",
                                             patch_body("rename", diff("d/a.h", a0, a1, context)))])
    return moves_gate(tmp_path, tmp_path / "s.mbox", (
        '[codes]\nOK = 0\nBUSY = 0x10\n[leaves]\nONE = 1\n[[unit]]\nname = "u"\n[[entry]]\nname = "demo_call"\n'
        'args = ["fn"]\n[[script]]\nname = "busy"\nanswers = ["BUSY", "OK"]\n'))


def test_a_rename_whose_body_lies_between_hunks_is_not_taken_for_no_move(tmp_path: Path) -> None:
    # The hunks show demo_retry()'s first line made demo_retry_busy()'s and its last lines, not its loop: neither
    # definition is known whole, so no rename was found and the moves rule was n/a, the gate READY (exit 0), on a
    # patch that renames a helper (git am and gcc: the same loop under the new name; with --tree a rename).
    code, rule, output = _rename_between_hunks(tmp_path, 3)
    assert rule["verdict"] == "inconclusive" and code == 1, (rule, output)
    assert rule["note"] == ("01/1: demo_retry() may have become demo_retry_busy() (how much the same not known) in v1 "
                            "01/1: not followed (demo_retry(), demo_retry_busy() known only in part from the hunks: "
                            "give --tree)"), rule["note"]
    # The control: hunks wide enough to show the whole helper make it a rename the runs judge.
    code, rule, output = _rename_between_hunks(tmp_path, 30)
    assert rule["verdict"] == "pass" and code == 0, (rule, output)
    assert str(rule["note"]).startswith("01/1 renames demo_retry -> demo_retry_busy (body 100% the same)"), rule

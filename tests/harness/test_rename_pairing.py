"""Comparisons across a rename: a renamed entry point against its old self (harness.renamepair).

Comparisons across a rename: a renamed entry point against its old self, in eval, in equivalence rules, for a
reviewer's proposal, and a static local's state under its function's new name (harness.renamepair)."""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

from harness.comparison import Comparison
from harness.gate import GateRequest, evaluate_gate
from harness.matrix import EntryKind
from harness.pipeline import EvalRequest, Evaluation, evaluate
from harness.verdict import Verdict, VerdictStatus
from tests.harness.renamegen import (
    MASKED,
    OLD_MACRO,
    RENAME,
    RETRY_COUNTED,
    TWIN,
    counted_rename,
    macro_rename,
    macro_renamed_next_revision,
    prepared,
    proposal_base,
    proposed_rename,
    renamed,
)
from tests.harness.seriesgen import NEW_HOME, PREPARE, Step, helpers, revision
from tests.mailgen import write_mbox

RENAMED = "renamed seamldr_prerr -> seamldr_call_prerr"


def _eval(tmp_path: Path, msgs: list[EmailMessage], **kw: object) -> Evaluation:
    return evaluate(EvalRequest((write_mbox(tmp_path / "s.mbox", msgs),), jobs=1, **kw))  # type: ignore[arg-type]


def _verdict(tmp_path: Path, msgs: list[EmailMessage], rule: str, variant: str = "v4", **kw: object) -> Verdict:
    g = evaluate_gate(GateRequest((write_mbox(tmp_path / "g.mbox", msgs),), variant, jobs=1, **kw))  # type: ignore[arg-type]
    return next(v for v in g.verdicts if v.rule.id == rule)


MASKED_CALL = "SEAMCALL 1: leaf 0x8000000000000000 -> 0x0, P-SEAMLDR -> TDX module"  # the mask took bit 63 away


def _last_patch(ev: Evaluation) -> Comparison:
    return ev.comparison.per_patch[-1]


# -- eval: the per-patch comparison -------------------------------------------------------------------------

def test_a_patch_that_only_renames_an_entry_point_changes_no_behaviour(tmp_path: Path) -> None:
    # It listed seamldr_prerr() as gone and seamldr_call_prerr() as new: 140 'provided' differences.
    cmp = _last_patch(_eval(tmp_path, macro_rename()))
    assert not cmp.changed
    # 8 entry points x 70 scenarios; the pair counts once: 490. Two entry points no side defines: 350 compared.
    assert (cmp.total, cmp.compared) == (490, 350)
    assert cmp.verdict() == f"no behaviour change in the 350 of 490 scenarios that ran on both sides ({RENAMED})"
    assert cmp.ran_both["seamldr_call_prerr"] == cmp.ran_both["seamldr_prerr"] == 70
    assert not any("is gone" in line or "is new" in line for line in cmp.summary())
    provided = sum(g.scenarios for g in cmp.gaps)
    assert cmp.compared + provided == cmp.total  # compared + not compared (+ provided, none here) = total


def test_a_rename_that_changes_behaviour_shows_the_differences_under_the_pairing(tmp_path: Path) -> None:
    cmp = _last_patch(_eval(tmp_path, macro_rename(MASKED)))
    renamed_diffs = [d for d in cmp.differences if d.scenario.entry.name == "seamldr_call_prerr"]
    assert renamed_diffs and all("provided" not in d.classes for d in cmp.differences)
    assert any(MASKED_CALL in n for d in renamed_diffs for n in d.notes)
    assert cmp.summary()[0] == ("seamldr_call_prerr: renamed from seamldr_prerr, compared with its old self "
                                "(70 scenarios ran on both sides)")


def test_a_rename_not_decided_is_not_paired(tmp_path: Path) -> None:
    # Two candidates for seamldr_prerr(): nothing is followed, and the comparison says what it said before.
    ev = _eval(tmp_path, macro_rename(OLD_MACRO + TWIN))
    cmp = _last_patch(ev)
    assert not cmp.renamed and cmp.total == len(ev.matrix.scenarios)
    assert any(d.notes == ("seamldr_prerr() is gone: this patch removes it",) for d in cmp.differences)


# -- equivalence rules --------------------------------------------------------------------------------------

def test_an_equivalence_rule_compares_the_renamed_entry_point_with_its_old_self(tmp_path: Path) -> None:
    # nak-no-kernel-change compares v4 with the state before Prepare (v4:02); 04/4 renames seamldr_prerr().
    # It failed: "as v4:02: seamldr_prerr() provided; seamldr_prerr() is gone: this patch removes it".
    v = _verdict(tmp_path, macro_rename(), "nak-no-kernel-change")
    assert v.status is VerdictStatus.PASS, v.note
    # 280 of the matrix's entry points, and 70 of seamldr_query(), found in the code, which both states provide
    # (harness.equivalence._equivalence_rows: an equivalence over every entry point compares those found in the
    # code too).
    assert v.note.startswith("350 scenarios compared with v4:02; followed seamldr_prerr -> seamldr_call_prerr, "
                             "renamed in v4 04/4, body 100% the same"), v.note


def test_an_equivalence_rule_fails_on_what_the_renamed_entry_point_does_differently(tmp_path: Path) -> None:
    v = _verdict(tmp_path, macro_rename(MASKED), "nak-no-kernel-change")
    assert v.status is VerdictStatus.FAIL, v.note
    renamed_evidence = [e for e in v.evidence if e.scenario is not None
                        and e.scenario.entry.name == "seamldr_call_prerr"]
    assert renamed_evidence and MASKED_CALL in renamed_evidence[0].actual
    assert not any("is gone" in e.actual for e in v.evidence)
    assert "followed seamldr_prerr -> seamldr_call_prerr, renamed in v4 04/4" in v.note


def test_an_equivalence_rule_keeps_a_rename_not_shown_as_a_difference(tmp_path: Path) -> None:
    v = _verdict(tmp_path, macro_rename(OLD_MACRO + TWIN), "nak-no-kernel-change")
    assert v.status is VerdictStatus.FAIL and "followed" not in v.note
    assert any(e.actual == "seamldr_prerr() is gone: v4 04/4 removes it" for e in v.evidence)


# -- a reviewer's proposal ----------------------------------------------------------------------------------

def _manifest(tmp_path: Path) -> Path:
    (tmp_path / "rename.patch").write_text("Rename seamldr_prerr().\n---\n" + proposed_rename())
    manifest = tmp_path / "manifest.toml"
    manifest.write_text('[series]\nname = "ours"\nmsgids = ["gen-cover-v4@example.org"]\n\n[[variant]]\n'
                        'name = "rv-rename"\nstart = "v4"\npatches = ["rename.patch"]\n'
                        'msgid = "gen-review@example.org"\nauthor = "A. Reviewer"\ndescription = "rename it"\n')
    (tmp_path / "rules.toml").write_text(
        '[[rule]]\nid = "same-as-v4"\nreviewer = "R"\nsummary = "s"\n[rule.check]\nkind = "equivalence"\n'
        'reference = "v4"\n\n'
        '[[rule]]\nid = "seamldr-prerr-logs"\nreviewer = "R"\nsummary = "s"\n[rule.check]\nkind = "behaviour"\n'
        'scenarios = { entry = "seamldr_prerr", leaf = "SEAMLDR_INFO", script = "gp" }\n'
        'expect = { log_match = ["SEAMCALL"] }\n')
    return manifest


def test_a_reviewer_proposal_that_renames_an_entry_point_is_compared_with_it(tmp_path: Path) -> None:
    manifest = _manifest(tmp_path)
    ev = _eval(tmp_path, proposal_base(), manifest=manifest, rules=tmp_path / "rules.toml")
    entry = next(e for e in ev.matrix.entries if e.name == "seamldr_call_prerr")
    assert entry.kind is EntryKind.RENAMED  # run with seamldr_prerr()'s units and arguments
    proposal = next(c for c in ev.comparison.across if c.view == "proposal")
    assert not proposal.changed and proposal.verdict().endswith(f"({RENAMED})"), proposal.summary()
    shown = "renamed in rv-rename (rename.patch), body 100% the same"
    for rule in ("same-as-v4", "seamldr-prerr-logs"):
        v = _verdict(tmp_path, proposal_base(), rule, "rv-rename", manifest=manifest, rules=tmp_path / "rules.toml")
        assert v.status is VerdictStatus.PASS, v.note
        assert f"followed seamldr_prerr -> seamldr_call_prerr, {shown}" in v.note, v.note


# -- a static local of a renamed function -------------------------------------------------------------------

def test_a_static_local_follows_its_function_s_rename(tmp_path: Path) -> None:
    # sc_retry() counts its retries in a static local: the runs leave sc_retry::retried before the rename and
    # seamcall_retry::retried after. It was "state left behind sc_retry::retried 1 -> initial, ...".
    ev = _eval(tmp_path, counted_rename())
    cmp = _last_patch(ev)
    state = ev.result.outcome(cmp.b, "seamcall/TDH_SYS_INIT/tdx-no-entropy-x1/tdx.c").state
    assert state == (("seamcall_retry::retried", "1"),)
    assert not cmp.changed and cmp.verdict().startswith("no behaviour change"), cmp.summary()
    moves = [f.kind for f in ev.comparison.findings if f.kind.startswith("code-move")]
    assert moves == ["code-move"]


def test_a_static_local_that_counts_differently_after_the_rename_is_a_difference(tmp_path: Path) -> None:
    base = prepared(helpers(RETRY_COUNTED))
    double = renamed(base).replace("retried++;", "retried += 2;")
    msgs = revision(4, [Step("x86/virt/tdx: Add an internal SEAMCALL helper header",
                             ((NEW_HOME, None, helpers(RETRY_COUNTED)),)),
                        Step(PREPARE, ((NEW_HOME, helpers(RETRY_COUNTED), base),)),
                        Step(RENAME, ((NEW_HOME, base, double),))])
    cmp = _last_patch(_eval(tmp_path, msgs))
    notes = {n for d in cmp.differences for n in d.notes}
    assert "state left behind seamcall_retry::retried 1 -> 2" in notes, notes


def test_an_entry_point_renamed_between_two_revisions_is_compared_with_its_old_self(tmp_path: Path) -> None:
    # No patch renames it: v5 has seamldr_call_prerr() from its first patch. It was found in the code as a new entry
    # point of its own (both units), never paired: v4 -> v5 read "seamldr_prerr() ... not compared with it".
    ev = _eval(tmp_path, macro_renamed_next_revision(), time_budget=0)
    (entry,) = [e for e in ev.result.matrix.entries if e.name == "seamldr_call_prerr"]
    assert entry.kind is EntryKind.RENAMED
    (across,) = [c for c in ev.comparison.across if (c.a, c.b) == ("v4", "v5")]
    assert not across.changed and across.ran_both["seamldr_call_prerr"] == 70, across.summary()
    assert across.verdict().endswith(f"({RENAMED})"), across.verdict()
    # The leaf masked on the way: a difference under that pairing, never "no behaviour change".
    (tmp_path / "m").mkdir()
    masked = _eval(tmp_path / "m", macro_renamed_next_revision(MASKED), time_budget=0)
    (across,) = [c for c in masked.comparison.across if (c.a, c.b) == ("v4", "v5")]
    assert across.changed, across.summary()

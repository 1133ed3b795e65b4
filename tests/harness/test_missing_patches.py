"""A revision whose mails the input lacks in part: no rule reads 'dropped' into a missing patch.

A revision whose mails the input lacks in part: a rule never reads "dropped" into a patch that is only not
given, and a state built across a missing patch is no state of the series (harness.checks.state_gap)."""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

from harness.gate import GateRequest, evaluate_gate
from harness.pipeline import SeriesRequest, build_variants, read_inputs
from harness.verdict import VerdictStatus
from reports.gate_report import gate_dict
from tests.harness.seriesgen import (
    NEW_HOME,
    PREPARE,
    RETRY_BY_LEAF,
    RETRY_SAFE,
    WRAPPER,
    WRAPPER_C,
    Step,
    helpers,
    revision,
)
from tests.mailgen import write_mbox

CREATE = Step("x86/virt/tdx: Add an internal SEAMCALL helper header", ((NEW_HOME, None, helpers(RETRY_SAFE)),))
PREPARING = Step(PREPARE, ((NEW_HOME, helpers(RETRY_SAFE), helpers(RETRY_BY_LEAF)),))
WRAPPING = Step("x86/virt/seamldr: Add a P-SEAMLDR query wrapper", ((WRAPPER, None, WRAPPER_C),))


def _without_prepare(tmp_path: Path, shortlog: bool | None) -> Path:
    """v2 and v3 with the same three patches; the input lacks v3 2/3 (the Prepare patch). ``shortlog``: the v3
    cover letter lists every title (True), lists the others only (False), or has no list (None)."""
    msgs = revision(2, [CREATE, PREPARING, WRAPPING]) + revision(3, [CREATE, PREPARING, WRAPPING])
    v3 = [m for m in msgs if "v3" in str(m["Subject"])]
    msgs.remove(next(m for m in v3 if "2/3" in str(m["Subject"])))
    if shortlog is not None:
        titles = [s.title for s in (CREATE, PREPARING, WRAPPING) if shortlog or s is not PREPARING]
        cover: EmailMessage = next(m for m in v3 if "0/3" in str(m["Subject"]))
        cover.set_content(f"Our own cover.\n\nA Developer ({len(titles)}):\n" + "".join(f"  {t}\n" for t in titles))
    return write_mbox(tmp_path / "v2v3.mbox", msgs)


def _verdicts(mbox: Path, variant: str) -> dict[str, tuple[VerdictStatus, str]]:
    g = evaluate_gate(GateRequest((mbox,), variant, jobs=1))
    return {v.rule.id: (v.status, v.note) for v in g.verdicts}


def test_a_patch_the_cover_letter_lists_is_missing_not_dropped(tmp_path: Path) -> None:
    v3 = _verdicts(_without_prepare(tmp_path, shortlog=True), "v3")
    assert all(status is VerdictStatus.INCONCLUSIVE and "dropped" not in note for status, note in v3.values())
    assert "is a patch of v3 (its cover letter lists it)" in v3["no-unlikely-in-sc-retry"][1]
    # A rule about no one patch: v3 is built across the gap, so its code is not the series' v3.
    assert "v3 is built without v3 patch 2 (of 3), which the input lacks" in v3["leaf-base-consistent"][1]
    # Before the gap: wherever the rule's patch is among those not given, v3:01 stops before it (n/a), as with
    # the whole input; the state just before it names the same code.
    status, note = _verdicts(tmp_path / "v2v3.mbox", "v3:01")["no-unlikely-in-sc-retry"]
    assert status is VerdictStatus.NOT_APPLICABLE and "the variant stops before v3 2, one of which" in note


def test_without_a_shortlog_a_missing_patch_may_be_the_rules(tmp_path: Path) -> None:
    _, note = _verdicts(_without_prepare(tmp_path, shortlog=None), "v3")["no-unlikely-in-sc-retry"]
    assert "is not among the patches of v3 the input has, and the input lacks v3 2 (of 3), which may hold it" in note


def test_a_shortlog_that_does_not_list_it_says_dropped(tmp_path: Path) -> None:
    # git format-patch's cover letter lists every patch of the revision: one it does not list is not in it.
    status, note = _verdicts(_without_prepare(tmp_path, shortlog=False), "v3:01")["no-unlikely-in-sc-retry"]
    assert "dropped" in note and status is not VerdictStatus.INCONCLUSIVE


def test_the_whole_revision_says_which_patches_it_lacks(tmp_path: Path) -> None:
    req = SeriesRequest((_without_prepare(tmp_path, shortlog=True),))
    variants = build_variants(req, read_inputs(req))
    desc = {v.name: v.description for v in variants.variants}
    assert desc["v3"] == "v3 with the 2 of its 3 patches the input has (not given: 2)"
    assert desc["v2"] == "v2 with all 3 patches"


def test_a_patch_after_a_missing_one_is_compared_as_applied_without_it(tmp_path: Path) -> None:
    from harness.pipeline import EvalRequest, evaluate

    ev = evaluate(EvalRequest((_without_prepare(tmp_path, shortlog=True),), variants=("v3:01", "v3"), jobs=1))
    cmp = next(c for c in ev.comparison.per_patch if c.b in ("v3", "v3:03"))
    assert not cmp.unchanged
    assert "not compared: v3 patch 2 (of 3), which the input lacks: this patch is applied without it, not to the " \
           "series' own state before it" in cmp.summary()


def test_a_revision_built_across_a_missing_patch_is_compared_saying_so(tmp_path: Path) -> None:
    from harness.pipeline import EvalRequest, evaluate

    ev = evaluate(EvalRequest((_without_prepare(tmp_path, shortlog=True),), variants=("v2", "v3"), jobs=1))
    cmp = next(c for c in ev.comparison.across if c.view == "revision")
    assert not cmp.unchanged and any(n.startswith("v3 is built without v3 patch 2 (of 3)") for n in cmp.not_run)


def test_apply_says_a_state_it_builds_across_a_missing_patch(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from harness.cli import app

    r = CliRunner().invoke(app, ["apply", str(_without_prepare(tmp_path, shortlog=True)), "--variant", "v3",
                                 "--out", str(tmp_path / "out")])
    assert "seamharness: note: v3 is built without v3 patch 2 (of 3), which the input lacks" in r.stderr, r.output


def test_a_whole_revision_whose_last_patches_are_not_given_does_not_pass(tmp_path: Path) -> None:
    # v4 01-02 of 3 given, 03/3 (a retry of the P-SEAMLDR's "no entropy") not: the gate judged the two patches given
    # and said READY (exit 0) of v4. Now the lack blocks as a base problem, and the state of the patches given passes.
    loader = RETRY_SAFE.replace("err != TDX_RND_NO_ENTROPY",
                                "(err != TDX_RND_NO_ENTROPY && err != 0x8000000000030001ULL)")
    commented = helpers(RETRY_SAFE).replace("\tu64 err;\n", "\tu64 err;\t/* the last answer */\n", 1)
    msgs = revision(4, [CREATE, Step(PREPARE, ((NEW_HOME, helpers(RETRY_SAFE), commented),)),
                        Step("x86/virt/tdx: Retry the loader too", ((NEW_HOME, commented, helpers(loader)),))])
    mbox = write_mbox(tmp_path / "v4.mbox", [m for m in msgs if "3/3" not in str(m["Subject"])])
    whole = evaluate_gate(GateRequest((mbox,), "v4", jobs=1))
    assert whole.exit_status == 1
    assert whole.base_problems == ("the input lacks v4 patch 3 (of 3), which v4 holds: the verdicts below are v4:02's, "
                                   "the patches given; give every patch, or gate v4:02",)
    given = evaluate_gate(GateRequest((mbox,), "v4:02", jobs=1))
    assert given.base_problems == () and given.exit_status == 0, given.headline()
    # The CI records: no rule posted green where the revision was not all built, and the lack a failed check of
    # its own (before: every passing rule's patchwork state 'success', nothing saying the lack).
    whole_json, given_json = gate_dict(whole), gate_dict(given)
    states = {r["patchwork"]["state"] for r in whole_json["rules"] if r["patchwork"]}
    assert "success" not in states and "warning" in states, states
    assert whole_json["base_check"]["patchwork"]["state"] == "fail", whole_json["base_check"]
    assert "the input lacks v4 patch 3" in whole_json["base_check"]["b4"]["details"]
    assert given_json["base_check"] is None
    assert "success" in {r["patchwork"]["state"] for r in given_json["rules"] if r["patchwork"]}

"""A rule's requires_entry taken away by the change (harness.entrygone): inconclusive, never n/a."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.harness.test_checks import UNREACHED_MATRIX, UNREACHED_PRINT, UNREACHED_RULES

GONE_RULES = UNREACHED_RULES.replace('severity = "error"\n', 'severity = "error"\nrequires_entry = "demo_call"\n')


def _verdicts(tmp_path: Path, msgs: list[Any], variants: tuple[str, ...]) -> dict[str, Any]:
    """The GONE_RULES rule's verdicts on ``variants`` of the series ``msgs`` (evaluated with UNREACHED_MATRIX)."""
    from harness.pipeline import EvalRequest, evaluate
    from tests.mailgen import write_mbox

    box = write_mbox(tmp_path / "c.mbox", msgs)
    (tmp_path / "m.toml").write_text(UNREACHED_MATRIX)
    (tmp_path / "rules.toml").write_text(GONE_RULES)
    ev = evaluate(EvalRequest((box,), variants=variants, rules=tmp_path / "rules.toml", matrix=tmp_path / "m.toml"))
    assert ev.judgement is not None
    return dict(ev.judgement.rows[0].verdicts)


def test_an_entry_point_a_patch_of_the_variant_removes_is_not_absent_by_design(tmp_path: Path) -> None:
    # 02/2 deletes demo_call() (its callers now open-code the SEAMCALL and print the leaf in decimal), no rename:
    # the rule on demo_call() was n/a, "the variant does not provide demo_call", and the gate passed a revision that
    # took away what the review judged. Before the patch that adds it, the entry point is absent by design: n/a.
    from harness.verdict import VerdictStatus
    from tests.mailgen import diff, message, patch_body

    later = "#define demo_issue(fn, args) ({ u64 __e = __seamcall(fn, args); if (__e) pr_err(\"DEMO %llu\\n\", fn); " \
            "__e; })\n"
    found = _verdicts(tmp_path, [
        message("[PATCH 1/2] demo: add", "c1@x", patch_body("Add.", diff("demo/h.h", None, UNREACHED_PRINT))),
        message("[PATCH 2/2] demo: open-code", "c2@x", patch_body("Open-code.", diff("demo/h.h", UNREACHED_PRINT,
                                                                                      later)))], ("v1:00", "v1"))
    assert found["v1"].status is VerdictStatus.INCONCLUSIVE, found["v1"]
    assert "demo_call is gone: v1 02/2 removes it" in found["v1"].note, found["v1"].note
    assert found["v1:00"].status is VerdictStatus.NOT_APPLICABLE, found["v1:00"]


def test_an_entry_point_an_earlier_revision_added_and_this_one_does_not_is_not_absent_by_design(tmp_path: Path
                                                                                                 ) -> None:
    # v1 adds demo_call(); v2 adds a macro in its place, no rename between the two: the rule on demo_call() was n/a
    # on v2, and the gate passed the revision that replaced what the review judged.
    from harness.verdict import VerdictStatus
    from tests.mailgen import diff, message, patch_body

    other = "#define demo_issue(fn, args) ({ u64 __e = __seamcall(fn, args); if (__e) pr_err(\"DEMO %llu\\n\", fn); " \
            "__e; })\n"
    found = _verdicts(tmp_path, [
        message("[PATCH v1] demo: add", "c1@x", patch_body("Add.", diff("demo/h.h", None, UNREACHED_PRINT))),
        message("[PATCH v2] demo: add", "c2@x", patch_body("Add.", diff("demo/h.h", None, other)))], ("v2:00", "v2"))
    assert found["v2"].status is VerdictStatus.INCONCLUSIVE, found["v2"]
    assert "demo_call is gone: v1 01/1 adds it, no patch of v2 does" in found["v2"].note, found["v2"].note



def test_an_entry_point_mail_alone_may_hide_is_not_absent_by_design(tmp_path: Path) -> None:
    # The patch changes a line far from demo_call() in a header the series does not create: mail alone shows its
    # hunk only, and demo_call() may be in lines no hunk shows. The rule was n/a ('the variant does not provide
    # demo_call') while the reason said 'give --tree'.
    from harness.verdict import VerdictStatus
    from tests.mailgen import diff, message, patch_body

    pad = "".join(f"/* filler {i} */\n" for i in range(12))
    old = UNREACHED_PRINT + pad + "#define DEMO_LIMIT 3\n"
    found = _verdicts(tmp_path, [message("[PATCH] demo: raise the limit", "c1@x", patch_body(
        "Raise.", diff("demo/h.h", old, old.replace("DEMO_LIMIT 3", "DEMO_LIMIT 4"))))], ("v1",))["v1"]
    assert found.status is VerdictStatus.INCONCLUSIVE, found
    assert "give --tree" in found.note, found.note

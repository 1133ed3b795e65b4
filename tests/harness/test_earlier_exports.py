"""An export rule's pass against the state before its patch, where a patch before it exports.

An export rule's pass against the state before its patch, where a patch before it exports: v1 alone, no earlier
revision to find a part of the patch's change by its title (harness.earlierchange, harness.earliernew)."""

from __future__ import annotations

from pathlib import Path

from harness.gate import GateRequest, evaluate_gate
from harness.verdict import VerdictStatus
from tests.harness.exportgen import EXP_C, EXP_H, MATRIX, OTHER_C, rule
from tests.mailgen import diff, message, patch_body, write_mbox

TITLE = "demo: count the other calls"
DEMO_B = "\nint demo_b(void)\n{\n\treturn 2;\n}\n"
NEW_C = "// SPDX-License-Identifier: GPL-2.0\n#include <linux/export.h>\n\nint demo_n(void)\n{\n\treturn 7;\n}\n" \
    "EXPORT_SYMBOL_GPL(demo_n);\n"
Change = tuple[str, str | None, str]


def _verdict(tmp: Path, second: tuple[Change, ...], third: tuple[Change, ...]) -> tuple[VerdictStatus, str]:
    """no_new_exports on the titled third patch of three: 01 creates demo/ (demo_a exported, demo_b not), then
    ``second`` and ``third`` (path, old, new)."""
    first = (("demo/exp.c", None, EXP_C + DEMO_B), ("demo/exp.h", None, EXP_H), ("demo/other.c", None, OTHER_C))
    titles = ("demo: add the exporting code", "demo: tidy", TITLE)
    mails = [message("[PATCH 0/3] demo", "c@x", "cover\n")]
    for n, (title, changes) in enumerate(zip(titles, (first, second, third), strict=True), 1):
        text = "".join(diff(path, old, new) for path, old, new in changes)
        mails.append(message(f"[PATCH {n}/3] {title}", f"e{n}@x", patch_body("Change.", text), parent="c@x"))
    box = write_mbox(tmp / "s.mbox", mails)
    (tmp / "m.toml").write_text(MATRIX)
    (tmp / "r.toml").write_text(rule('no_new_exports = true\nreference = "before:patch"', TITLE))
    got = evaluate_gate(GateRequest((box,), "v1", jobs=1, matrix=tmp / "m.toml", rules=tmp / "r.toml")).verdicts
    return next((v.status, v.note) for v in got if v.rule.id == "exports")


OTHER_COUNTED = OTHER_C.replace("return 0;", "return 1;")


def test_an_export_an_earlier_patch_adds_to_existing_code_is_not_passed_unseen(tmp_path: Path) -> None:
    # 02/3 exports demo_b, which 01/3 defined; 03/3 (the titled patch) changes another file. Before: PASS against
    # v1:02, which already exports it.
    exported = EXP_C + DEMO_B + "EXPORT_SYMBOL(demo_b);\n"
    status, note = _verdict(tmp_path, (("demo/exp.c", EXP_C + DEMO_B, exported),),
                            (("demo/other.c", OTHER_C, OTHER_COUNTED),))
    assert status is VerdictStatus.INCONCLUSIVE and "1 02/3" in note and "demo_b exported" in note, (status, note)


def test_an_export_of_new_code_an_earlier_patch_creates_keeps_the_pass(tmp_path: Path) -> None:
    # 02/3 creates demo/new.c, demo_n() and its export together; the titled patch does not name demo_n: the pass
    # stands, as 01/3's own export of demo_a (a file created whole) keeps it.
    status, note = _verdict(tmp_path, (("demo/new.c", None, NEW_C),), (("demo/other.c", OTHER_C, OTHER_COUNTED),))
    assert status is VerdictStatus.PASS, (status, note)


def test_an_export_of_new_code_the_titled_patch_takes_up_is_not_passed_unseen(tmp_path: Path) -> None:
    # The same new file, the titled patch now calling demo_n(): its export may be a part of that patch's change.
    uses = OTHER_C.replace("return 0;", "return demo_n();")
    status, note = _verdict(tmp_path, (("demo/new.c", None, NEW_C),), (("demo/other.c", OTHER_C, uses),))
    assert status is VerdictStatus.INCONCLUSIVE and "1 02/3" in note and "demo_n exported" in note, (status, note)

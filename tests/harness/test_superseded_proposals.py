"""A reply's proposal below a patch a point update replaced is said as no variant.

A reply's diff or C code below a patch a point update replaced (v2 3/3, then [PATCH v2.1 3/3] in its place) is
said as no variant: the variants are built on the newer posting, and the replies to the old one had been dropped
unsaid (no variant of the diff, no note; the series tree no longer lists the old posting's replies)."""

from __future__ import annotations

from pathlib import Path

from harness.pipeline import SeriesRequest, read_inputs
from tests.mailgen import (
    HELPER_PATH,
    HELPER_V1,
    HELPER_V2,
    demo_reply,
    demo_series,
    diff,
    message,
    patch_body,
    write_eml,
)

CHANGE = diff(HELPER_PATH, HELPER_V2, HELPER_V2.replace("int tries = 5;", "int tries = 7;"))
CODE = "Something like:\n\nstatic int demo_call(u64 fn)\n{\n\treturn demo_try(fn, 4);\n}\n"


def _notes(tmp_path: Path, update: bool) -> list[str]:
    folder = tmp_path / "in"
    folder.mkdir()
    for i, m in enumerate(demo_series()):
        write_eml(folder / f"{i}.eml", m)
    (folder / "9a.eml").write_bytes(demo_reply("d@x", "Dee Diff", 1, "How about:\n\n" + CHANGE))
    (folder / "9b.eml").write_bytes(demo_reply("c@x", "Carl Code", 2, CODE))
    if update:  # the author's point update of 3/3, sent in reply to it
        newer = HELPER_V2.replace("int tries = 5;", "int tries = 6;")
        write_eml(folder / "9c.eml", message(
            "[PATCH v2.1 3/3] demo: try six times", "p3-v2.1@example.org",
            patch_body("Change number 3, take two.", diff(HELPER_PATH, HELPER_V1, newer)), parent="p3-v2@example.org",
            refs=("cover-v2@example.org", "p3-v2@example.org"), date="Mon, 05 Jan 2026 11:00:00 +0000"))
    series = read_inputs(SeriesRequest((folder,)))
    return [n.reason for n in series.notes if "d@x" in n.reason or "c@x" in n.reason]


def test_proposals_below_a_replaced_posting_are_said(tmp_path: Path) -> None:
    notes = _notes(tmp_path, update=True)
    assert notes == [
        "diff in the reply of Dee Diff <d@x> to v2 03/3 <p3-v2@example.org> is tried on no state ([PATCH v2.1 3/3] "
        "demo: try six times replaced it): no variant (a manifest variant names its start)",
        "code in the reply of Carl Code <c@x> to v2 03/3 <p3-v2@example.org> (a later posting replaced it) (line 17) "
        "is no variant: it has no diff lines ('-'/'+' under an '@@' header) for git apply to apply (a manifest "
        "variant builds it from a patch file, --manifest FILE)"], notes


def test_without_the_update_the_diff_is_a_variant(tmp_path: Path) -> None:
    assert [n for n in _notes(tmp_path, update=False) if n.startswith("diff")] == []

"""A cover letter that says a patch was dropped is no sign that it was retitled (harness.patchplace)."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.pipeline import EvalRequest, evaluate
from tests.harness.variantgen import MATRIX
from tests.mailgen import demo_series, diff, message, patch_body, write_mbox

_BASE = "\n\nbase-commit: 0123456789abcdef0123456789abcdef01234567\n"


@pytest.mark.parametrize(("changes", "want"), [
    # The usual notes of a next revision: the patch went. The rule on it is n/a there, as with no note at all.
    ("Changes since v1:\n - dropped \"demo: print fn in decimal\" (Rae)", None),
    ("v1 -> v2:\n - Dropped patch 2 (\"demo: print fn in\n   decimal\"), as Rae asked", None),
    ("Removed 'print fn in decimal'.", None),
    ("\"demo: print fn in decimal\" is dropped.", None),
    # Words that name it otherwise keep the doubt: it may live on under another title.
    ("Changes since v1:\n - retitled \"demo: print fn in decimal\" to \"demo: add other\"", "cover letter names it"),
    ("Changes since v1:\n - dropped the Fixes tag of \"demo: print fn in decimal\"", "cover letter names it"),
    ("Changes since v1:\n - dropped \"demo: print fn in decimal\", folded into 2/3", "cover letter names it"),
    ("dropped \"demo: print fn in decimal\"; \"demo: print fn in decimal\" became 2/3", "cover letter names it"),
])
def test_a_cover_letter_that_says_dropped(tmp_path: Path, changes: str, want: str | None) -> None:
    v2 = demo_series(2)
    del v2[0]["Subject"]
    v2[0] = message("[PATCH v2 0/3] demo: helper rework", "cover-v2@example.org", changes + "\n" + _BASE)
    body = patch_body("Something else entirely.", diff("demo/other.c", None, "int unrelated;\n"), notes="")
    v2[2] = message("[PATCH v2 2/3] demo: add other", "p2-v2@example.org", body, parent="cover-v2@example.org",
                    refs=("cover-v2@example.org",))
    rules = tmp_path / "rules.toml"
    rules.write_text('[[rule]]\nid = "r"\nreviewer = "r"\nsummary = "s"\npatch = "print fn in decimal"\n'
                     '[rule.check]\nkind = "changelog"\nmust_not_match = "zzz"\n')
    (tmp_path / "m.toml").write_text(MATRIX)
    ev = evaluate(EvalRequest((write_mbox(tmp_path / "s.mbox", demo_series(1) + v2),), variants=("v2",),
                              rules=rules, matrix=tmp_path / "m.toml"))
    assert ev.judgement is not None
    got = ev.judgement.rows[0].verdicts["v2"]
    if want is None:
        assert got.status == "n/a" and "(it was v1 02/3: dropped)" in got.note, got.note
    else:
        assert got.status == "inconclusive" and want in got.note, got.note

"""harness.diffspan: what git apply says of a hunk the empty lines below a reply's diff complete."""

from __future__ import annotations

import pytest

from harness.diffspan import read_on
from harness.errors import Where
from harness.model import Mail
from harness.subject import parse_subject

MAIL = Mail("r@x", parse_subject("Re: [PATCH] demo"), "Rita", "rita@example.org", "", None, (),
            Where("r.eml", 1, "r@x"))


@pytest.mark.parametrize(("empty", "said"), [
    (1, "made up only by the empty line below the diff, which git apply reads as a context line"),
    (2, "made up only by the 2 empty lines below the diff, which git apply reads as context lines"),
])
def test_the_empty_lines_that_complete_a_hunk_are_counted(empty: int, said: str) -> None:
    # A hunk of 2 + empty context lines whose blank context lines lost their space: git apply reads the empty lines
    # below the block as those lines. It said 'the empty line(s)', whatever their number.
    head = [" a", "-b", "+c"]
    text = ["--- a/f.c", "+++ b/f.c", f"@@ -1,{2 + empty} +1,{2 + empty} @@", *head, *[""] * empty, "", "Thanks."]
    own = list(enumerate(text, start=10))
    block = own[:3 + len(head)]
    skipped = read_on(own, block, "diff", MAIL)
    assert skipped is not None and said in skipped.reason and "(s)" not in skipped.reason, skipped

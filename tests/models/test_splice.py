"""models.splice's readers of logical lines: a backslash-newline removed as gcc's phase 2 removes it."""

from __future__ import annotations

from models.splice import spliced_lines


def test_a_line_ending_in_a_backslash_is_joined_with_the_next_known_one() -> None:
    numbered = [(1, "#pragma weak \\"), (2, "f"), (3, "int x; \\  "), (4, "int y;"), (7, "#if A\\"), (9, "B")]
    # Line 8 is not known (a fragment's gap): line 7 stays alone rather than joined with another line.
    assert list(spliced_lines(numbered)) == [(1, "#pragma weak f"), (3, "int x; int y;"), (7, "#if A\\"), (9, "B")]

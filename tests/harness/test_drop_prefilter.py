"""numbered_drop compiles its pattern only for a text that may ask to drop a patch by number: the same answers."""

from __future__ import annotations

import pytest

from harness import droprequest
from harness.droprequest import numbered_drop


def _alternatives(pattern: str) -> list[str]:
    """The top-level alternatives of a pattern's source: split at each '|' outside groups and classes."""
    out, depth, start, i, in_class = [], 0, 0, 0, False
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
            if pattern[i + 1:i + 2] == "]":
                i += 1  # a ']' first in a class is itself
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            out.append(pattern[start:i])
            start = i + 1
        i += 1
    return [*out, pattern[start:]]


def test_every_alternative_of_the_pattern_holds_a_verb_the_test_looks_for() -> None:
    # Else a text without those words would be refused a request the pattern finds.
    alternatives = _alternatives(droprequest._NUMBERED().pattern)
    # "Leave 2/3 out" the second, "Dropped 2/3" the fifth, "Reverted 2/3 from tip" sixth, "... and it boots" seventh
    assert len(alternatives) == 10
    for alt in alternatives:
        # the verbs as they stand in the pattern's own alternations, or "dropped" written out
        assert any(verb in alt.lower() for verb in droprequest._NUMBERED_VERBS), alt


def test_a_text_without_the_verbs_never_compiles_the_pattern(monkeypatch: pytest.MonkeyPatch) -> None:
    def refused() -> None:
        raise AssertionError("compiled")

    monkeypatch.setattr(droprequest, "_NUMBERED", refused)
    assert numbered_drop("Looks good to me. Patch 3 needs a better changelog.\n") is None


@pytest.mark.parametrize(("text", "want"), [
    ("Please DROP patch 3.", (3,)),
    ("Patches 2 and 3/5 should be dropped.", (2, 3)),
    ("Please Discard the second patch.", (2,)),
    ("Patch 6: please REMOVE it... no: abandon it.", None),
    ("Patch 4: please revert it.", None),
    ("Please diſcard patch 2.", (2,)),  # not ASCII: re.IGNORECASE reads U+017F as 's', lowercasing does not
])
def test_requests_are_read_as_before(text: str, want: tuple[int, ...] | None) -> None:
    found = numbered_drop(text)
    assert (found[0] if found else None) == want

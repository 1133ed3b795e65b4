"""The diff reader: any diff difflib writes parses and applies back to its target; junk is refused cleanly."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from harness.diffparse import parse_diff
from harness.errors import InputError, Where
from harness.filestate import full_file
from harness.patching import apply_file
from tests.mailgen import diff

_LINE = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=30).map(lambda s: s + "\n")
_FILE = st.lists(_LINE, max_size=25).map("".join)


@settings(max_examples=150, deadline=None)
@given(_FILE, _FILE, st.integers(1, 4))
def test_difflib_diffs_round_trip(old: str, new: str, context: int) -> None:
    # At least one line of context: git apply refuses or misplaces -U0 hunks without --unidiff-zero.
    if old == new:
        return
    text = diff("d/f.h", old, new, context=context)
    (pf,) = parse_diff(text, Where("t.patch", 1))
    state, findings = apply_file(full_file("d/f.h", old, "base"), pf, "test")
    assert not [f for f in findings if "offset" not in f.reason]
    assert state is not None and state.text == new


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_junk_is_refused_cleanly(junk: str) -> None:
    try:
        parse_diff(junk, Where("t.patch", 1))
    except InputError as exc:
        assert str(exc).startswith("t.patch:")

"""Which macro names ``##`` can make from a piece of code's tokens (models.pasting._joined).

Which macro names ``##`` can make from a piece of code's tokens (models.pasting._joined): a name that is two or
more of them joined, as a plain search over every split finds."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from models.pasting import _joined, pasted_macros


def _splits(name: str, tokens: frozenset[str]) -> bool:
    """Every way to cut ``name`` into tokens, tried one by one."""
    return not name or any(name[:i] in tokens and _splits(name[i:], tokens) for i in range(1, len(name) + 1))


_PIECES = st.sampled_from(["SEAM", "_", "RETRY", "_LOOPS", "S", "EAM", "TDX", "X", "A", "AB", "B"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=4).map("".join), st.frozensets(_PIECES, max_size=6))
def test_joined_is_every_split_tried(name: str, tokens: frozenset[str]) -> None:
    assert _joined(name, tokens) == _splits(name, tokens)


def test_a_pasted_name_is_found_and_a_name_no_token_starts_or_ends_is_not() -> None:
    tokens = {"SEAM", "_RETRY_LOOPS", "kind", "CAT"}
    assert pasted_macros(["SEAM_RETRY_LOOPS", "TDX_RETRY_LOOPS", "SEAM_RETRY", "CAT"], tokens) == {"SEAM_RETRY_LOOPS"}


@settings(max_examples=300, deadline=None)
@given(st.frozensets(st.lists(_PIECES, max_size=4).map("".join), max_size=8), st.frozensets(_PIECES, max_size=6))
def test_pasted_macros_are_the_names_joined_from_the_tokens(names: frozenset[str], tokens: frozenset[str]) -> None:
    """The names a token starts and one ends, tried with _joined(), are every name the tokens join, but a token."""
    assert pasted_macros(names, tokens) == {n for n in names if n not in tokens and _splits(n, tokens)}


def test_equal_names_handed_again_are_kept_once() -> None:
    """A variant's macro names come with every piece of its code, as a new list: the cache keeps one set of them,
    not one per piece."""
    import gc

    names = [f"CAT_{i}_MARK" for i in range(200)] + ["SEAM_RETRY_LOOPS"]
    for tokens in ({"SEAM", "_RETRY_LOOPS"}, {"SEAM_RETRY", "_LOOPS"}, {"CAT_", "7_MARK"}, {"CAT_7", "_MARK"}):
        assert pasted_macros(list(names), tokens)  # a new list each time, as the callers build it
    target = frozenset(names)
    kept = [o for o in gc.get_objects() if type(o) is frozenset and o is not target and o == target]
    assert len(kept) == 1


@settings(max_examples=300, deadline=None)
@given(st.frozensets(st.lists(_PIECES, max_size=4).map("".join), max_size=40),
       st.frozensets(_PIECES | st.just(""), max_size=3))
def test_many_names_few_tokens_are_looked_up_by_token(names: frozenset[str], tokens: frozenset[str]) -> None:
    """More names than tokens (a variant's and the prelude's macros against one piece of code): each token looked up
    among the names in order, the empty name and token too, gives what every split tried gives."""
    assert pasted_macros(names, set(tokens)) == {n for n in names if n not in tokens and _splits(n, tokens)}


class _Counted(str):
    """A name that counts the startswith() calls made on it."""

    calls = 0

    def startswith(self, *args: object) -> bool:
        _Counted.calls += 1
        return super().startswith(*args)  # type: ignore[arg-type]


def test_a_name_no_token_starts_is_not_compared_with_each_token() -> None:
    """Some 900 macro names against each piece's tokens: testing every name (the corpus: 26,000 of them against up to
    150 tokens, some 80 M instructions) is left to the names a token starts."""
    names = [_Counted(f"MACRO_{i}") for i in range(2000)] + [_Counted("SEAM_RETRY_LOOPS")]
    tokens = {"SEAM", "_RETRY_LOOPS", *(f"word{i}" for i in range(50))}
    _Counted.calls = 0
    assert pasted_macros(names, tokens) == {"SEAM_RETRY_LOOPS"}
    assert _Counted.calls < 50

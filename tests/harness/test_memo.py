"""harness.memo: by_identity and among once per object identity and extra key, bounded; known reads what it keeps."""

from __future__ import annotations

import pytest

from harness import memo
from harness.memo import Watched, by_identity, known


def test_worked_out_once_per_identity_and_extra() -> None:
    calls: list[str] = []
    a, b = [1], [1]  # equal, not the same object

    def make(tag: str) -> str:
        calls.append(tag)
        return tag

    assert by_identity("t", (a,), ("x",), lambda: make("a")) == "a"
    assert by_identity("t", (a,), ("x",), lambda: make("again")) == "a"
    assert by_identity("t", (b,), ("x",), lambda: make("b")) == "b"
    assert by_identity("t", (a,), ("y",), lambda: make("a-y")) == "a-y"
    assert by_identity("u", (a,), ("x",), lambda: make("u")) == "u"
    assert by_identity("t", (a, b), (), lambda: make("pair")) == "pair"
    assert by_identity("t", (b, a), (), lambda: make("swapped")) == "swapped"
    assert calls == ["a", "b", "a-y", "u", "pair", "swapped"]


def test_an_entry_keeps_its_objects_so_their_ids_are_not_reused() -> None:
    by_identity("keep", (object(),), (), lambda: 1)
    key = next(k for k in memo._KEPT if k[0] == "keep")
    held = memo._KEPT[key][0][0]
    assert id(held) == key[1]  # alive while the entry lives: no other object can take its id


def test_bounded() -> None:
    memo._KEPT.clear()
    objs = [object() for _ in range(memo.MAX_ENTRIES + 5)]
    for o in objs:
        by_identity("n", (o,), (), lambda: 0)
    assert len(memo._KEPT) <= memo.MAX_ENTRIES


def test_a_table_of_its_own_is_bounded_apart_and_leaves_the_shared_one_as_it_was() -> None:
    # A kind with an entry per reply (harness.replyobjections._one) filled the shared table for each variant of a long
    # thread, which then started again, every other kind's entries lost with it.
    memo._KEPT.clear()
    by_identity("shared", (), (), lambda: "kept")
    own: memo.Table = {}
    objs = [object() for _ in range(memo.MAX_ENTRIES + 5)]
    assert [by_identity("n", (o,), (), lambda: 0, own) for o in objs] == [0] * len(objs)
    assert len(own) <= memo.MAX_ENTRIES and list(memo._KEPT) == [("shared",)]
    assert by_identity("n", (objs[-1],), (), lambda: 1, own) == 0  # kept there


def test_known_reads_what_is_kept_and_makes_nothing() -> None:
    a, b = [1], [1]
    assert known("known", (a,), ("x",)) == (False, None)  # nothing made by asking
    assert known("known", (a,), ("x",)) == (False, None)
    by_identity("known", (a,), ("x",), lambda: None)
    assert known("known", (a,), ("x",)) == (True, None)  # a kept None is told from none kept
    assert known("known", (b,), ("x",)) == (False, None) and known("known", (a,), ("y",)) == (False, None)


def test_among_once_per_identity_under_a_value_key() -> None:
    calls: list[str] = []
    a, b = [1], [1]  # equal, not the same object
    table: memo.Buckets = {}

    def make(tag: str) -> str:
        calls.append(tag)
        return tag

    assert memo.among(("k",), (a, b), lambda: make("ab"), table) == "ab"
    assert memo.among(("k",), (a, b), lambda: make("again"), table) == "ab"
    assert memo.among(("k",), (b, a), lambda: make("ba"), table) == "ba"  # equal lists, other objects
    assert memo.among(("k",), (a,), lambda: make("a"), table) == "a"  # a prefix of a kept tuple is another one
    assert memo.among(("j",), (a, b), lambda: make("j"), table) == "j"
    assert memo.among(("k",), (a, b), lambda: make("late"), table) == "ab"
    assert calls == ["ab", "ba", "a", "j"]


def test_among_calls_no_id(monkeypatch: pytest.MonkeyPatch) -> None:
    # id() raises the audit event builtins.id, which the run recording's Python hook reads: among must not call it.
    import builtins

    def refused(obj: object) -> int:
        raise AssertionError("id() called")
    monkeypatch.setattr(builtins, "id", refused)
    table: memo.Buckets = {}
    objs = (object(), object())
    assert memo.among(("k",), objs, lambda: 1, table) == 1
    assert memo.among(("k",), objs, lambda: 2, table) == 1


def test_among_bounded() -> None:
    table: memo.Buckets = {}
    objs = [object() for _ in range(memo.MAX_BUCKET + 5)]
    for o in objs:
        memo.among(("k",), (o,), lambda: 0, table)
    assert len(table[("k",)]) <= memo.MAX_BUCKET
    for n in range(memo.MAX_ENTRIES + 5):
        memo.among((n,), (), lambda: 0, table)
    assert len(table) <= memo.MAX_ENTRIES


def test_watched_notes_each_way_its_items_are_read() -> None:
    # harness.replyobjections keeps a reading made from a Watched never read for any items: each way of reading them
    # must be noted, or a reading that depends on them would be given for other items.
    reads = [lambda w: w[0], len, list, lambda w: 2 in w, tuple, bool, reversed, lambda w: w.index(1),
             lambda w: w.count(1), lambda w: w[:1]]
    for read in reads:
        w = Watched([1, 2])
        assert not w.read
        list(read(w)) if read is reversed else read(w)
        assert w.read, read
    w = Watched([1, 2])
    assert w is not None and w == w and not w.read  # identity alone reads nothing

"""harness.language's word lists: asked as the sets of their files' words would answer, kept in less memory."""

from __future__ import annotations

import tracemalloc
from pathlib import Path
from typing import Any

import pytest

from harness import language

DATA = Path(language.__file__).parent / "data"


@pytest.mark.parametrize(("name", "read"), [("english-words.txt", language._vocabulary),
                                            ("other-words.txt", language._other_words)])
def test_a_word_list_holds_exactly_its_files_words(name: str, read: object) -> None:
    words = (DATA / name).read_text(encoding="utf-8").split()
    kept = set(words)
    found = read()  # type: ignore[operator]
    # Each word, and strings next to it in sort order (a letter more, one less, another case): as the set says.
    near = [x for w in words[::7] for x in (w, w[:-1], w + "a", w + "z", w.upper(), "", "~" + w)]
    assert [x in found for x in near] == [x in kept for x in near]
    assert "zzzzqq" not in found and all(w in found for w in words)


def test_the_vocabulary_takes_no_table_beside_its_words() -> None:
    """english-words.txt read as a set took 3.5 MB (a 2 MB hash table beside its 27,000 words) until the report was
    written; as a sorted list, the words and 0.2 MB."""
    text = (DATA / "english-words.txt").read_text(encoding="utf-8")
    tracemalloc.start()
    try:
        words = language._Words(text.split())
        size = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    assert "the" in words and size < 2_500_000


def test_a_word_of_200000_letters_is_judged_in_linear_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """A reply line of one 10 MB word (generated; no space in it) kept eval running past 240 s: _compound asked the
    vocabulary of each of its splits, a copy of up to the whole word each (quadratic). No word longer than two of the
    vocabulary's longest parts (an affix and "'s" on) is a compound of two; 200,000 letters: under a second of CPU,
    18 s before, twice (10 MB: hours). Counted, not timed: the characters of the words asked of the vocabulary,
    some the word's once, not its square."""
    word = "ab" * 100_000
    asked: list[int] = []
    real = language._in_vocabulary

    def in_vocabulary(part: str, *args: Any) -> bool:
        asked.append(len(part))
        assert sum(asked) <= 2 * len(word), f"{len(asked):,} words asked, {sum(asked):,} characters"  # fails at once
        return real(part, *args)

    monkeypatch.setattr(language, "_in_vocabulary", in_vocabulary)
    assert language.unread_language(f"Looks fine to me {word} thanks.") is None  # five words of six English's
    assert not language._compound(word) and language._compound("selftests")
    assert asked  # the vocabulary asked: 8 words, 200,028 characters


def test_forgotten_word_lists_are_read_again_with_the_same_answers() -> None:
    text = "I retested it on the selftests; the loop looks fine to me.\nSieht gut aus, nicht wahr?\n"
    before = language.unread_language.__wrapped__(text)
    assert language._vocabulary.cache_info().currsize == 1
    language.forget_words()
    assert language._vocabulary.cache_info().currsize == language._other_words.cache_info().currsize == 0
    assert language._in_vocabulary.cache_info().currsize == 0
    assert language.unread_language.__wrapped__(text) == before and before is not None


def test_an_eval_reads_the_word_lists_before_it_drops_them_and_never_after(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Read again after forget_words, they would take their 2.2 MB back while report.json is written (the peak).
    from email import message_from_bytes

    from tests.harness.test_comparecache import _eval, _series

    events: list[str] = []
    made, forget = language._Words, language.forget_words

    class Counted(made):  # type: ignore[misc, valid-type]
        def __init__(self, words: list[str]) -> None:
            events.append("read")
            super().__init__(words)

    language.forget_words()  # read by this eval, not kept from another test
    monkeypatch.setattr(language, "_Words", Counted)
    monkeypatch.setattr(language, "forget_words", lambda: (events.append("forget"), forget())[1])
    monkeypatch.setenv("XDG_CACHE_HOME", "")
    tree, mail = _series(tmp_path)
    [patch] = mail.glob("*.patch")
    head = message_from_bytes(patch.read_bytes())
    (mail / "reply.eml").write_bytes(
        f"From: Rev Iewer <rev@example.net>\nSubject: Re: {head['Subject']}\nMessage-ID: <r1@example.net>\n"
        f"In-Reply-To: {head['Message-ID']}\nReferences: {head['Message-ID']}\n"
        "Date: Mon, 5 Jan 2026 10:05:00 +0000\n\nNAK, das ist nicht gut.\n".encode())
    assert _eval(tmp_path, tmp_path / "cache", mail, tree)["variants"]
    assert "read" in events and events[-1] == "forget", events

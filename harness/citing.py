"""Which objections of a message the rules citing it judge: all of them, or only those in the sentences they quote."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from models.wordfind import NO_WORD_AFTER, NOT_AFTER_LETTER, has_name


def cited_by(rules: Iterable[tuple[str | None, str, str | None]]) -> tuple[frozenset[str], dict[str, tuple[str, ...]]]:
    """From each rule's (msgid, quote, the sentence its quote finds), the messages rules cite and, of those that every
    citing rule points into with a quote, the sentences (review_objections). A quote that finds no sentence (the
    message is not in the input, or does not hold it: a slip) points at none: it judges no objection of the message,
    where taken as citing the message whole it judged every one (a NAK beside it no longer blocked the gate)."""
    cited: set[str] = set()
    said: dict[str, list[str]] = {}
    whole: set[str] = set()
    for msgid, quote, sentence in rules:
        if not msgid:
            continue
        cited.add(msgid)
        if quote:
            said.setdefault(msgid, []).extend((quote, sentence) if sentence else ())
        else:
            whole.add(msgid)
    return frozenset(cited), {m: tuple(v) for m, v in said.items() if m not in whole}


def judged(msgid: str, sentence: str, quoted: Mapping[str, tuple[str, ...]]) -> bool:
    """Whether a rule's quoted sentence of ``msgid`` is an objection's ``sentence`` (the one holds the other, whitespace
    and case aside)."""
    if msgid not in quoted:
        return False
    own = " ".join(sentence.split()).lower()
    return any(_holds(q, own) or _holds(own, q) for q in (" ".join(t.split()).lower() for t in quoted[msgid]))


def _holds(text: str, words: str) -> bool:
    """Whether ``words`` are in ``text`` as words ("NAK" is not in "snake")."""
    return bool(words) and has_name(text, words, NOT_AFTER_LETTER, NO_WORD_AFTER)  # no pattern per sentence

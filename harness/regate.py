"""Large reply patterns compiled only for a text that holds the words every match of them holds (their gates).

Why: compiling a pattern is parsing and code generation in Python (re._parser, re._compiler), some 14,000
instructions a character; the review-reply patterns are up to 6,000 characters each, and with an empty cache
(harness.recache keeps no code yet) an eval of the corpus compiled 20 of them (some 45,000 characters) for sentences
none of them can match ("Reviewed-by: ...", code quoted in a reply).

A gate is read from re's own parse of the pattern (derive): a tree whose words (lowercased ASCII) every match holds,
all of an "&" node's in their order, one after another (the parts of a sequence match one after another), one of a
"|" node's, and a "*" node's anywhere in the text (what a lookahead or lookbehind reads takes no place in its
sequence). A pattern matching a whole text (``^`` ... ``$``) from letters of its own only (no ``\\w``, ``.``,
``[^...]``) adds an "=" node: each run of letters of the text is made of the pattern's runs of letters ("pieces"),
so a sentence holding its words but another ("I know it is not ...": "no", "not") fails it. A sentence (ASCII:
re.IGNORECASE matches some letters that are not ASCII with ASCII ones, "ſ" with "s") whose lowercased text fails
it holds no match anywhere, so search and match give None without the pattern; any other text, and any text once
the pattern is compiled, is searched by the pattern itself.
Deriving costs a parse, so the gates are kept in harness/data/regex-gates.json under a digest of each pattern and its
flags (``python -m harness.regate`` writes them; tests/harness/test_regate.py fails when one is missing or stale); a
pattern whose digest the file lacks (edited since) is compiled for every text, as before: never gated by another's.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from re import _constants as _sre  # type: ignore[attr-defined]
from re import _parser  # type: ignore[attr-defined]
from typing import Any

Gate = str | list[Any]  # a word, or ["&" | "|" | "*", gate, ...]; True (no condition) is None
_FILE = Path(__file__).with_name("data") / "regex-gates.json"
# Each kept gate's firsts, under the same key, written with the gates: working them out walked every node of each
# gate a run asks (8 M instructions of a `series` of the corpus, 1% of it).
_FIRSTS_FILE = _FILE.with_name("regex-firsts.json")
_REPEATS = (_sre.MAX_REPEAT, _sre.MIN_REPEAT, _sre.POSSESSIVE_REPEAT)
_ASCII_DIGITS = "0123456789"


def key(pattern: str, flags: int) -> str:
    """What a pattern's gate is kept under: its text and flags, so an edited pattern finds no gate of its old text."""
    return hashlib.sha256(f"{flags}\0{pattern}".encode()).hexdigest()[:24]


def derive(pattern: str, flags: int) -> Gate | None:
    """The gate of ``pattern`` (None: none found, every text is searched): its words, and for a pattern matching a
    whole text from no letters but its own (_vocabulary) the "=" node of those letters' pieces, asked last."""
    parsed = list(_parser.parse(pattern, flags))
    gate, pieces = _sequence(parsed), _vocabulary(parsed, flags)
    if pieces is None:
        return gate
    whole: list[Any] = ["=", *pieces]
    if gate is None:
        return whole
    return [*gate, whole] if isinstance(gate, list) and gate[0] == "&" else ["&", gate, whole]


def holds(gate: Gate | None, text: str, some: tuple[str, ...] | None = None) -> bool:
    """Whether ``text`` may hold a match of a pattern with this gate. ``some``: the gate's firsts, asked first."""
    if gate is None or not text.isascii():
        return True
    low = text.lower()
    if some:  # most texts hold none of them: told by a loop over words, not _held's calls of itself
        for w in some:
            if w in low:
                break
        else:
            return False
    gate, whole = _words_and_whole(gate)
    return (gate is None or (_held(gate, low) and _end(gate, low, 0) >= 0)) \
        and (whole is None or _pieced(whole, low))  # most texts lack a word: told by _held's first miss


def _words_and_whole(gate: Gate) -> tuple[Gate | None, Gate | None]:
    """A gate's words and its "=" node (None: none), which derive puts last in its "&" or is the whole gate: asked
    apart, _held and _end, which walk some 20,000 nodes in a series run, ask no node whether it is one."""
    if gate.__class__ is str:
        return gate, None
    if gate[0] == "=":
        return None, gate
    last = gate[-1]
    return (gate[:-1], last) if gate[0] == "&" and last.__class__ is list and last[0] == "=" else (gate, None)


def firsts(gate: Gate) -> tuple[str, ...]:
    """Words one of which every text _held lets through holds: a word itself, each part's of an "|", of an "&" (every
    part is held) its longest word part (the rarest, likely), else the part with the fewest, a "*"'s part's; none
    (empty: every text is asked of the gate) where a part has none, as an "=" node. In a
    series run of the corpus 609 texts were asked of the gates, _held called 9,919 times, a gate held by 4 texts."""
    if gate.__class__ is str:
        return (gate,)
    if gate[0] == "=":
        return ()  # none: no word is sure to be among a text's pieces (an empty text is made of none)
    if gate[0] == "|":
        each = [firsts(g) for g in gate[1:]]
        return () if not all(each) else tuple(dict.fromkeys(w for some in each for w in some))
    words = [g for g in gate[1:] if g.__class__ is str]
    known = [some for g in gate[1:] if (some := firsts(g))]
    return (max(words, key=len),) if words else min(known, key=len) if known else ()


def _held(gate: Gate, low: str) -> bool:
    """Whether every word of each "&" and "*" node and one of each "|" node's parts is in ``low``, anywhere: what
    _end asks, in no order (so a text failing it fails _end). Loops, not all()/any() over generators: a reply's
    sentences ask some 20,000 nodes in a series run."""
    if gate.__class__ is str:
        return gate in low
    every = gate[0] != "|"
    for i in range(1, len(gate)):
        g = gate[i]
        if (g in low if g.__class__ is str else _held(g, low)) is not every:
            return not every
    return every


def _end(gate: Gate, low: str, at: int) -> int:
    """The least end of a place of ``gate`` in ``low`` starting at ``at`` or after (-1: none). The least end leaves
    the most text to the parts after it, so an "&" takes each part's least end in turn: it finds a place wherever
    there is one. Asked only of a text _held let through."""
    if gate.__class__ is str:
        i = low.find(gate, at)
        return i if i < 0 else i + len(gate)
    kind = gate[0]
    if kind == "&":
        for i in range(1, len(gate)):
            at = _end(gate[i], low, at)
            if at < 0:
                return -1
        return at
    if kind == "|":
        least = -1
        for i in range(1, len(gate)):
            end = _end(gate[i], low, at)
            if end >= 0 and (least < 0 or end < least):
                least = end
        return least
    return at if _end(gate[1], low, 0) >= 0 else -1  # "*": anywhere in the text, taking no place


def _node(op: str, parts: list[Gate | None]) -> Gate | None:
    """An "&" or "|" of ``parts`` (None: no condition), nested ones of the same kind flattened (an "&" inside an "&"
    is a sequence inside a sequence: its parts keep their order); a part met again is left out (an "&" asking for
    fewer words in order still holds wherever a match is)."""
    if op == "|" and any(p is None for p in parts):
        return None  # one way through holds nothing
    flat: list[Gate] = []
    for p in parts:
        if p is None:
            continue
        more = p[1:] if isinstance(p, list) and p[0] == op else [p]
        flat.extend(g for g in more if g not in flat)
    if not flat:
        return None
    return flat[0] if len(flat) == 1 else [op, *flat]


def _sequence(items: list[tuple[Any, Any]]) -> Gate | None:
    """Every item of a sequence matches in turn: each run of ASCII literal characters is a word its match holds. A
    run before alternatives is read as the start of each (re's parser takes a prefix they share out of them: "this"
    and "that" are "th" and "is" or "at"). A literal that may be left out between two runs ("un-?ack") makes two
    words, one with it and one without ("unack", "un-ack"), not two words apart ("un", "ack", held by "hunk ...
    thwack"); each such literal doubles the words asked, so a sequence of more than _JOINED of them is read apart."""
    parts: list[Gate | None] = []
    run: list[tuple[Any, Any]] = []
    joined = sum(_optional(op, av) is not None for op, av in items) <= _JOINED
    for i, (op, av) in enumerate(items):
        if op is _sre.LITERAL and chr(av).isascii():
            run.append((op, av))
            continue
        left_out = _optional(op, av) if run and joined else None
        if left_out is not None and i + 1 < len(items) and _literal(*items[i + 1]):
            rest = items[i + 1:]
            parts.append(_node("|", [_sequence(run + left_out + rest), _sequence(run + rest)]))
            return _node("&", parts)
        if op is _sre.BRANCH and run:
            parts.append(_node("|", [_sequence(run + list(alt)) for alt in av[1]]))
            run = []
            continue
        if run:
            parts.append("".join(chr(c).lower() for _, c in run))
            run = []
        parts.append(_item(op, av))
    if run:
        parts.append("".join(chr(c).lower() for _, c in run))
    return _node("&", parts)


_JOINED = 3  # literals left out of one sequence read as words with and without them: up to 8 words a sequence


def _literal(op: Any, av: Any) -> bool:
    """Whether an item is one ASCII character of the pattern's own (a letter of a gate's word)."""
    return op is _sre.LITERAL and chr(av).isascii()


def _optional(op: Any, av: Any) -> list[tuple[Any, Any]] | None:
    """The literals of an item matching them or nothing (``-?``, ``(?:ed)?``); None for any other item."""
    if op in _REPEATS and av[0] == 0 and av[1] == 1 and av[2] and all(_literal(*x) for x in av[2]):
        return list(av[2])
    return None


def _item(op: Any, av: Any) -> Gate | None:
    """What every match of one parsed item holds; None for what may match without a word (optional, negative
    lookaround, back-reference, a class with a character not ASCII: re.IGNORECASE matches "K" with "k")."""
    if op is _sre.BRANCH:
        return _node("|", [_sequence(list(alt)) for alt in av[1]])
    if op is _sre.SUBPATTERN:
        return _sequence(list(av[3]))
    if op is _sre.ATOMIC_GROUP:
        return _sequence(list(av))
    if op in _REPEATS:
        return _sequence(list(av[2])) if av[0] >= 1 else None
    if op is _sre.ASSERT:  # what a lookahead or lookbehind reads is in the text too, at no place of the sequence's own
        inner = _sequence(list(av[1]))
        return None if inner is None else ["*", inner]
    if op is _sre.IN:
        return _class(av)
    return None


def _class(items: list[tuple[Any, Any]]) -> Gate | None:
    """A character class (not negated) of ASCII characters: one of them, lowercased."""
    chars: list[str] = []
    for op, av in items:
        if op is _sre.LITERAL and chr(av).isascii():
            chars.append(chr(av))
        elif op is _sre.RANGE and av[1] < 128:
            chars.extend(chr(c) for c in range(av[0], av[1] + 1))
        elif op is _sre.CATEGORY and av is _sre.CATEGORY_DIGIT:
            chars.extend(_ASCII_DIGITS)  # a digit that is not ASCII is in a text never gated
        else:
            return None
    return _node("|", list(dict.fromkeys(c.lower() for c in chars)))


_STARTS = (_sre.AT_BEGINNING, _sre.AT_BEGINNING_STRING)
_ENDS = (_sre.AT_END, _sre.AT_END_STRING)
_NO_LETTER = (_sre.CATEGORY_DIGIT, _sre.CATEGORY_SPACE, _sre.CATEGORY_NOT_WORD, _sre.CATEGORY_LINEBREAK)
_LETTERS = re.compile(r"[a-z]+")


def _vocabulary(items: list[tuple[Any, Any]], flags: int) -> list[str] | None:
    """The pieces (runs of ASCII letters, lowercased) of a pattern that matches a whole text (``^`` ... ``$``, not
    re.MULTILINE) and takes each letter of it from a letter of its own: each run of letters of such a text is made of
    its pieces, one after another ("unacked" of "un" and "acked"). None for any other pattern: one that may match
    part of a text, or a letter from anything but itself (a word class, ``.``, ``[^...]``, a letter not ASCII, which
    re.IGNORECASE matches with an ASCII one)."""
    if flags & re.MULTILINE or len(items) < 2 or items[0] not in [(_sre.AT, a) for a in _STARTS] \
            or items[-1] not in [(_sre.AT, a) for a in _ENDS]:
        return None
    pieces: set[str] = set()
    return sorted(pieces) if _pieces(items, pieces) else None


def _pieces(items: list[tuple[Any, Any]], found: set[str]) -> bool:
    """Add the pieces of a sequence to ``found``; False when an item may match a letter not its own."""
    run: list[str] = []
    for op, av in items:
        if op is _sre.LITERAL and chr(av).isascii() and chr(av).isalpha():
            run.append(chr(av).lower())
            continue
        if run:
            found.add("".join(run))
            run = []
        if op is _sre.LITERAL:
            if not (chr(av).isascii() or not chr(av).isalnum()):
                return False
        elif op is _sre.IN:
            if not _class_pieces(av, found):
                return False
        elif op is _sre.BRANCH:
            if not all(_pieces(list(alt), found) for alt in av[1]):
                return False
        elif op in _REPEATS or op is _sre.SUBPATTERN or op is _sre.ATOMIC_GROUP:
            if not _pieces(list(av[2] if op in _REPEATS else av[3] if op is _sre.SUBPATTERN else av), found):
                return False
        elif op is _sre.CATEGORY:
            if av not in _NO_LETTER:
                return False
        elif op not in (_sre.AT, _sre.ASSERT, _sre.ASSERT_NOT):  # what a lookaround reads is no part of the match
            return False
    if run:
        found.add("".join(run))
    return True


def _class_pieces(items: list[tuple[Any, Any]], found: set[str]) -> bool:
    """A class's letters, each a piece of its own; False for a class that may match a letter otherwise."""
    for op, av in items:
        if op is _sre.LITERAL:
            if not _pieces([(op, av)], found):
                return False
        elif op is _sre.RANGE and av[1] < 128:
            found.update(chr(c).lower() for c in range(av[0], av[1] + 1) if chr(c).isalpha())
        elif not (op is _sre.CATEGORY and av in _NO_LETTER):
            return False
    return True


_PIECES: dict[int, tuple[Gate, frozenset[str], int]] = {}  # an "=" node's pieces as a set, by the node


def _pieced(gate: Gate, low: str) -> bool:
    """Whether each run of letters of ``low`` is made of the pieces of an "=" node, one after another."""
    kept = _PIECES.get(id(gate))
    if kept is None or kept[0] is not gate:
        pieces = frozenset(gate[1:])
        kept = _PIECES[id(gate)] = (gate, pieces, max(map(len, pieces), default=0))
    _, pieces, longest = kept
    for word in _LETTERS.findall(low):
        if word not in pieces:
            ends = {0}  # where the pieces read so far can end
            for i in range(len(word)):
                if i in ends:
                    ends.update(j for j in range(i + 1, min(len(word), i + longest) + 1) if word[i:j] in pieces)
            if len(word) not in ends:
                return False
    return True


@functools.cache
def _kept() -> _Table:
    return _Table(_FILE)


@functools.cache
def _kept_firsts() -> _Table:
    return _Table(_FIRSTS_FILE)


class _Table:
    """A file's table (written by write()), each value read from its text when first asked for: the whole of the
    gates' file read at once made some 17,600 objects (0.9 MB) that every command kept to its end, for the few hundred
    patterns a run asks of. A key is found by its text followed by a colon, which only a key of the table is (its
    values are lists of strings and strings); an unreadable file or value is no entry."""

    def __init__(self, path: Path) -> None:
        try:
            self._text = path.read_text(encoding="utf-8")
        except (OSError, ValueError):
            self._text = ""
        if not self._text.startswith("{"):
            self._text = ""
        self._read: dict[str, Any] = {}

    def get(self, digest: str, default: Any = None) -> Any:
        value = self._read.get(digest, _MISSING)
        if value is _MISSING:
            at = self._text.find(f'"{digest}":') if digest.isalnum() else -1
            if at >= 0:
                with contextlib.suppress(ValueError):
                    value = _DECODER.raw_decode(self._text, at + len(digest) + 3)[0]
            self._read[digest] = value
        return default if value is _MISSING else value

    def __getitem__(self, digest: str) -> Any:
        value = self.get(digest, _MISSING)
        if value is _MISSING:
            raise KeyError(digest)
        return value


_MISSING = object()
_DECODER = json.JSONDecoder()


def _firsts_of(digest: str, gate: Gate) -> tuple[str, ...]:
    """The gate's firsts as kept under its pattern's key (a list of words), else worked out (firsts)."""
    kept = _kept_firsts().get(digest)
    if isinstance(kept, list) and kept and all(isinstance(w, str) for w in kept):
        return tuple(kept)
    return firsts(gate)


class Gated:
    """A pattern searched only where its gate holds, compiled at the first text that may match it (then kept, and
    every text searched by it). Its search, match, finditer and sub are re.Pattern's, as where nothing matches where the
    gate fails."""

    def __init__(self, pattern: str, flags: int) -> None:
        self.pattern = pattern
        self.flags = flags
        self._compiled: re.Pattern[str] | None = None
        self._gate: Gate | None = None
        self._read = False  # whether _gate is the kept one (read at the first text: a digest of the pattern)
        self._some: tuple[str, ...] | None = None  # the gate's firsts

    def compiled(self) -> re.Pattern[str]:
        if self._compiled is None:
            self._compiled = re.compile(self.pattern, self.flags)
        return self._compiled

    def may_match(self, text: str) -> bool:
        """Whether ``text`` may hold a match (the kept gate holds, or none is kept for this pattern)."""
        if self._compiled is not None:
            return True
        if not self._read:
            # None when the file has no gate for this very pattern: every text may match it.
            digest = key(self.pattern, self.flags)
            self._gate, self._read = _kept().get(digest), True
            self._some = None if self._gate is None else _firsts_of(digest, self._gate)
        return holds(self._gate, text, self._some)

    def found(self, m: re.Match[str]) -> bool:
        """Whether ``m`` is a match of this pattern (as ``m.re is pattern`` of a compiled one)."""
        return m.re is self._compiled

    def search(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.compiled().search(string, pos, endpos) if self.may_match(_upto(string, endpos)) else None

    def match(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.compiled().match(string, pos, endpos) if self.may_match(_upto(string, endpos)) else None

    def finditer(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> Iterator[re.Match[str]]:
        return self.compiled().finditer(string, pos, endpos) if self.may_match(_upto(string, endpos)) else iter(())

    def sub(self, repl: str | Callable[[re.Match[str]], str], string: str) -> str:
        """re.Pattern.sub; ``string`` itself where the gate fails (no match: nothing replaced)."""
        return self.compiled().sub(repl, string) if self.may_match(string) else string


def _upto(string: str, endpos: int) -> str:
    """The text a search up to ``endpos`` reads: its ``$`` matches there."""
    return string if endpos >= len(string) else string[:max(endpos, 0)]


_ALL: list[Gated] = []  # every gated pattern made (the modules' own, at import): the file's entries


def gated(pattern: str, flags: int = 0) -> Callable[[], Gated]:
    """As models.lazyre.lazy, a function giving the pattern, here as a Gated (the same one at every call)."""
    made = Gated(pattern, flags)
    _ALL.append(made)
    return lambda: made


def table() -> dict[str, Gate | None]:
    """The gates of every gated pattern of the loaded modules, by key: what the file is to hold."""
    return {key(g.pattern, g.flags): derive(g.pattern, g.flags) for g in _ALL}


def firsts_table(gates: dict[str, Gate | None]) -> dict[str, list[str]]:
    """The firsts of each gate of ``gates`` (a table()), by its key: what harness/data/regex-firsts.json is to hold."""
    return {k: list(firsts(g)) for k, g in gates.items() if g is not None}


def write() -> int:
    """Write the gates of every gated pattern loaded (table) to harness/data/regex-gates.json, and their firsts to
    harness/data/regex-firsts.json; how many."""
    gates = dict(sorted(table().items()))
    for path, data in ((_FILE, gates), (_FIRSTS_FILE, firsts_table(gates))):
        path.write_text(json.dumps(data, separators=(",", ":")) + "\n", encoding="utf-8")
    return len(_ALL)


def main() -> None:
    """``python -m harness.regate``: the file for the gated patterns of the reply readers."""
    import importlib

    for name in ("harness.replies", "harness.replyobjections"):  # every module reading replies, its patterns gated
        importlib.import_module(name)
    from harness import regate  # this file run as __main__ is another module than the one they loaded

    print(f"{_FILE}: {regate.write()} patterns")


if __name__ == "__main__":
    main()

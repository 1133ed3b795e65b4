"""#if, #ifdef and #ifndef decided only where the preprocessor's answer is certain (C11 6.10.1), else "maybe".

The export scan (harness.exports) reads every configuration at once: a branch is *maybe* built unless its
condition is certain whatever the configuration, the command line (``-D``) or the headers no one read. What
is certain: integer constants (``#if 0``, ``#if 1``), and the names the text read ``#define``\\ s or
``#undef``\\ s outside every undecided branch, with no unread header or unseen line between (an ``#include``
of a file not read, or a gap in a file known only from hunks, forgets them: either could ``#undef`` them).
``!``, ``&&``, ``||`` and parentheses combine those in three values: ``0 && X`` is false whatever X is. Any
other condition (``CONFIG_*``, ``IS_ENABLED()``, comparisons, a name never defined nor undefined) is maybe.

Shapes: ``Known`` maps a name to its certain definition, or None when certainly undefined; a name not in it
is unknown. ``Conditions`` is one file's stack of open ``#if``\\ s.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum

from harness.cppscan import Macro, Tok

Known = dict[str, Macro | None]

_INT = re.compile(r"(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)[uUlL]*")


class Built(Enum):
    """Whether a branch is built: in every configuration, in none, or in some."""

    YES = "yes"
    NO = "no"
    MAYBE = "maybe"


@dataclass
class _Open:
    """One open #if: the branch being read, whether an earlier branch is certainly built (every later one then
    certainly is not) or maybe built; ``real`` is False for an include guard (``#ifndef X`` + ``#define X``)."""

    now: Built
    taken: bool
    maybe: bool
    real: bool = True
    guard: str | None = None


@dataclass
class Conditions:
    """One file's open conditionals. ``skipping``: the lines now read are certainly not built; ``undecided``:
    they are built in some configurations only (a #define there is one alternative, harness.cppscan.MacroTable)."""

    stack: list[_Open] = field(default_factory=list)

    @property
    def skipping(self) -> bool:
        return any(o.now is Built.NO for o in self.stack)

    @property
    def undecided(self) -> bool:
        return any(o.real and o.now is Built.MAYBE for o in self.stack)

    def directive(self, word: str, rest: list[Tok], known: Known) -> bool:
        """Carry out a conditional directive (``if``, ``ifdef``, ``ifndef``, ``elif``, ``else``, ``endif``);
        False when it is not one. One that closes or continues an #if the text read does not show (a fragment
        starting inside it) makes what is known of definitions unknown."""
        if word in ("if", "ifdef", "ifndef", "elif", "else", "endif"):
            self.no_guard()
        if word in ("if", "ifdef", "ifndef"):
            if self.skipping:
                self.stack.append(_Open(Built.NO, True, False))
                return True
            value = decide(word, rest, known)
            guard = rest[0].text if word == "ifndef" and rest and rest[0].kind == "id" else None
            self.stack.append(_Open(_built(value), value is True, value is None, guard=guard))
        elif word in ("elif", "else", "endif"):
            if not self.stack:
                known.clear()  # the #if is in lines not read: which branch the next lines are in is unknown
            elif word == "endif":
                self.stack.pop()
            else:
                self._next_branch(word, rest, known)
        else:
            return False
        return True

    def defined(self, name: str) -> None:
        """A #define of ``name`` right after ``#ifndef name``: an include guard, no configuration choice."""
        if self.stack and self.stack[-1].guard == name:
            self.stack[-1].real = False

    def no_guard(self) -> None:
        """Anything but that #define after ``#ifndef name``: the #if is a real one."""
        if self.stack:
            self.stack[-1].guard = None

    def _next_branch(self, word: str, rest: list[Tok], known: Known) -> None:
        top = self.stack.pop()
        outer = self.skipping
        top.maybe = top.maybe or top.now is Built.MAYBE
        top.guard = None
        if outer or top.taken:
            top.now = Built.NO
        else:
            value = True if word == "else" else decide("if", rest, known)
            top.now = Built.NO if value is False else Built.YES if value and not top.maybe else Built.MAYBE
            top.taken = value is True
        self.stack.append(top)


def _built(value: bool | None) -> Built:
    return Built.MAYBE if value is None else Built.YES if value else Built.NO


def decide(word: str, rest: list[Tok], known: Known) -> bool | None:
    """The value of ``#word rest`` (if, ifdef, ifndef) when certain, else None."""
    if word in ("ifdef", "ifndef"):
        if len(rest) != 1 or rest[0].kind != "id" or rest[0].text not in known:
            return None
        there = known[rest[0].text] is not None
        return there if word == "ifdef" else not there
    parser = _Parser(rest, known)
    try:
        value = parser.expr()
    except _Unknown:
        return None
    return None if parser.at < len(rest) or value is None else value != 0


class _Unknown(Exception):
    """A condition this reader does not decide (a form it does not evaluate, or a malformed one)."""


@dataclass
class _Parser:
    """``||`` over ``&&`` over ``!`` over primaries, each value an int or None (unknown)."""

    toks: list[Tok]
    known: Known
    at: int = 0

    def _peek(self) -> str:
        return self.toks[self.at].text if self.at < len(self.toks) else ""

    def expr(self) -> int | None:
        values = [self._and()]
        while self._peek() == "||":
            self.at += 1
            values.append(self._and())
        if len(values) == 1:
            return values[0]
        return 1 if any(v for v in values if v is not None) else None if None in values else 0

    def _and(self) -> int | None:
        values = [self._not()]
        while self._peek() == "&&":
            self.at += 1
            values.append(self._not())
        if len(values) == 1:
            return values[0]
        return 0 if any(v == 0 for v in values) else None if None in values else 1

    def _not(self) -> int | None:
        if self._peek() == "!":
            self.at += 1
            v = self._not()
            return None if v is None else int(not v)
        return self._primary()

    def _primary(self) -> int | None:
        if self.at >= len(self.toks):
            raise _Unknown
        t = self.toks[self.at]
        self.at += 1
        if t.text == "(":
            v = self.expr()
            if self._peek() != ")":
                raise _Unknown
            self.at += 1
            return v
        if t.kind == "num":
            m = _INT.fullmatch(t.text)
            if m is None:
                raise _Unknown
            digits = m.group(1)
            return int(digits, 16 if digits[:2] in ("0x", "0X") else 8 if digits.startswith("0") else 10)
        if t.text == "defined":
            return self._defined()
        if t.kind == "id":
            return self._name(t)
        raise _Unknown

    def _defined(self) -> int | None:
        paren = self._peek() == "("
        self.at += paren
        if self.at >= len(self.toks) or self.toks[self.at].kind != "id":
            raise _Unknown
        name = self.toks[self.at].text
        self.at += 1
        if paren:
            if self._peek() != ")":
                raise _Unknown
            self.at += 1
        if name not in self.known:
            return None
        return int(self.known[name] is not None)

    def _name(self, t: Tok) -> int | None:
        if self._peek() == "(":  # a function-like macro (IS_ENABLED(CONFIG_X)): not decided, but skipped over
            depth = 0
            while self.at < len(self.toks):
                depth += {"(": 1, ")": -1}.get(self.toks[self.at].text, 0)
                self.at += 1
                if depth == 0:
                    return None
            raise _Unknown
        if t.text not in self.known:
            return None
        m = self.known[t.text]
        if m is None:
            return 0  # certainly undefined: an identifier left in #if is 0 (C11 6.10.1p4)
        if m.params is None and len(m.body) == 1 and m.body[0].kind == "num" and _INT.fullmatch(m.body[0].text):
            return _Parser(list(m.body), {}).expr()
        return None

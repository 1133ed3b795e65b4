"""A bounded C preprocessor for file-scope macro invocations: tokens, #define tables, expansion (C11 6.10.3).

It does what gcc's preprocessor does to the macros it is given, and no more: no #include is opened (the
caller hands in the definitions of the files it knows), no #if is decided here (harness.cppcond decides the
certain ones for the export scan). Where the mirror's preprocessor
(models.cpp) builds the one configuration it runs, this one answers "what could this file do in some
configuration": every #if branch is read, and a macro #defined in two branches keeps both definitions
(``MacroTable``), each used by one pass over the file (harness.exports).

Shapes: a ``Tok`` knows its line, its hide set (C11 6.10.3.4: the macros it came out of, which it may not
invoke again) and ``chain``, the macros whose expansion produced it, outermost first, each with whether it
is the kernel's (harness.kernelmacros' prelude) or the file's own.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace

from models.record import record

MAX_TOKENS = 200_000  # tokens one file's expansion may produce (an exponential macro is refused, as the mirror does)
MAX_DEPTH = 200  # invocations nested in arguments (W(W(W(...)))): past it, refused rather than Python's stack

# Runs of characters possessive ('*+'), not one alternative per character: re kept a record per character of a long
# literal (1 MB: over 100 MB at once; tests/harness/test_literal_regexes.py).
_TOKEN = re.compile(r"""
    (?P<nl>\n)
  | (?P<ws>(?:[ \t\f\v\r]|\\\r?\n)+)
  | (?P<comment>/\*(?s:.)*?(?:\*/|\Z)|//[^\n\\]*+(?:\\(?s:.)[^\n\\]*+)*+)
  | (?P<str>(?:u8|[LuU])?"[^"\\\n]*+(?:\\.[^"\\\n]*+)*+"?)
  | (?P<chr>[LuU]?'[^'\\\n]*+(?:\\.[^'\\\n]*+)*+'?)
  | (?P<num>\.?\d(?:[eEpP][+-]|[\w.])*)
  | (?P<id>[A-Za-z_$][\w$]*)
  | (?P<punct>\#\#|\.\.\.|<<=|>>=|->|\+\+|--|<<|>>|<=|>=|==|!=|&&|\|\||[-+*/%&|^]=|.)
""", re.VERBOSE)


class ExpansionLimit(Exception):
    """An expansion past MAX_TOKENS: the macro at ``line`` is not expanded further (said, never guessed)."""

    def __init__(self, line: int, what: str = f"a macro expanding past {MAX_TOKENS:,} tokens") -> None:
        super().__init__(f"line {line}: {what}")
        self.line = line


@dataclass(frozen=True, slots=True)
class Tok:
    """One preprocessing token: ``kind`` is id, num, str, chr, punct or nl."""

    text: str
    kind: str
    line: int
    space: bool = False  # white space before it (what # keeps of the spelling, C11 6.10.3.2)
    hide: frozenset[str] = frozenset()
    chain: tuple[tuple[str, bool], ...] = ()


@record
class Macro:
    """A #define: ``params`` None for an object-like macro; ``variadic`` names the parameter that takes the rest
    (``__VA_ARGS__``, or GNU's ``args...``); ``kernel``: the prelude's, not the file's; ``where``: file:line."""

    name: str
    params: tuple[str, ...] | None
    body: tuple[Tok, ...]
    variadic: str | None = None
    kernel: bool = False
    where: str = ""

    def same(self, other: Macro) -> bool:
        return (self.params, self.variadic, [t.text for t in self.body]) == \
            (other.params, other.variadic, [t.text for t in other.body])


@dataclass
class MacroTable:
    """The definitions in force at a point of a file: name -> the alternatives some configuration builds.

    A #define outside every #if replaces a name's definitions (as gcc's would); one inside an #if adds an
    alternative, since another configuration may take the other branch; #undef outside every #if removes them.
    """

    defs: dict[str, list[Macro]] = field(default_factory=dict)

    def define(self, m: Macro, conditional: bool) -> None:
        alts = self.defs.setdefault(m.name, [])
        if not conditional:
            alts[:] = [m]
        elif not any(m.same(a) for a in alts):
            alts.append(m)

    def undef(self, name: str, conditional: bool) -> None:
        if not conditional:
            self.defs.pop(name, None)

    def copy(self) -> MacroTable:
        return MacroTable({k: list(v) for k, v in self.defs.items()})


def tokens(text: str, first_line: int = 1) -> list[Tok]:
    """The preprocessing tokens of ``text`` (its first line numbered ``first_line``), comments and spliced
    line ends as white space (a backslash before CR LF splices too, as gcc's), real line ends as ``nl`` tokens. An
    unterminated comment runs to the end."""
    out: list[Tok] = []
    append = out.append
    line, space = first_line, False
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        if kind == "ws" or kind == "comment":
            space = True
            line += m.group().count("\n")
        elif kind == "nl":
            append(Tok("\n", "nl", line))
            line += 1
            space = False
        else:
            append(Tok(m.group(), kind or "punct", line, space))
            space = False
    return out


def logical_lines(toks: list[Tok]) -> Iterator[list[Tok]]:
    """Tokens line by line (a spliced line is one line), empty lines left out."""
    line: list[Tok] = []
    for t in toks:
        if t.kind == "nl":
            if line:
                yield line
            line = []
        else:
            line.append(t)
    if line:
        yield line


def parse_define(rest: list[Tok], kernel: bool, where: str) -> Macro | None:
    """A #define's tokens after the word ``define`` as a Macro; None when malformed (gcc would refuse it)."""
    if not rest or rest[0].kind != "id":
        return None
    name, body = rest[0].text, rest[1:]
    if not body or body[0].text != "(" or body[0].space:
        return Macro(name, None, tuple(body), None, kernel, where)
    params: list[str] = []
    variadic: str | None = None
    i = 1
    while i < len(body) and body[i].text != ")":
        t = body[i]
        if t.text == "...":
            variadic = "__VA_ARGS__"
            params.append(variadic)
        elif t.kind == "id" and i + 1 < len(body) and body[i + 1].text == "...":
            variadic = t.text
            params.append(t.text)
            i += 1
        elif t.kind == "id":
            params.append(t.text)
        elif t.text != ",":
            return None
        i += 1
    if i >= len(body):
        return None
    return Macro(name, tuple(params), tuple(body[i + 1:]), variadic, kernel, where)


def spell(toks: list[Tok] | tuple[Tok, ...]) -> str:
    """Tokens as text, one space where the source had white space."""
    return "".join((" " if t.space and n else "") + t.text for n, t in enumerate(toks))


def _stringize(arg: list[Tok], line: int) -> Tok:
    """``#arg`` (C11 6.10.3.2): the spelling, with ``"`` and ``\\`` escaped inside string and character literals."""
    text = "".join((" " if t.space and n else "")
                   + (t.text.replace("\\", "\\\\").replace('"', '\\"') if t.kind in ("str", "chr") else t.text)
                   for n, t in enumerate(arg))
    return Tok(f'"{text}"', "str", line)


def _paste(left: Tok, right: Tok) -> list[Tok]:
    """``left ## right`` (C11 6.10.3.3): one token when the spelling makes one, else both (gcc refuses it)."""
    joined = tokens(left.text + right.text, left.line)
    if len(joined) == 1:
        return [replace(joined[0], space=left.space, hide=left.hide, chain=left.chain)]
    return [left, right]


@dataclass
class Expander:
    """Expands token lists with a table. ``pick`` chooses one definition among alternatives (a pass of the
    file); ``wanted`` says which macros to expand at all (None: every one), so that a scan for exports leaves
    the file's other macros alone; ``budget`` counts the tokens produced (ExpansionLimit past MAX_TOKENS)."""

    table: MacroTable
    pick: Callable[[list[Macro]], Macro]
    wanted: Callable[[str], bool] | None = None
    budget: int = MAX_TOKENS
    depth: int = 0

    def expand(self, toks: list[Tok]) -> list[Tok]:
        """C11 6.10.3.4: every invocation replaced and rescanned with what follows it."""
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                raise ExpansionLimit(toks[0].line if toks else 0, f"macro invocations nested past {MAX_DEPTH} deep")
            return self._expand(toks)
        finally:
            self.depth -= 1

    def _expand(self, toks: list[Tok]) -> list[Tok]:
        stack = list(reversed(toks))
        out: list[Tok] = []
        while stack:
            t = stack.pop()
            alts = self.table.defs.get(t.text) if t.kind == "id" and t.text not in t.hide else None
            if not alts or (self.wanted is not None and not self.wanted(t.text)):
                out.append(t)
                continue
            m = self.pick(alts)
            if m.params is None:
                repl = self._substitute(m, t, [], [])
            else:
                args = self._arguments(stack)
                if args is None or not self._fits(m, args):
                    out.append(t)  # a function-like macro's name without '(' is no invocation
                    continue
                repl = self._substitute(m, t, args, [self.expand(a) for a in args])
            self.budget -= len(repl)
            if self.budget < 0:
                raise ExpansionLimit(t.line)
            stack.extend(reversed(repl))
        return out

    @staticmethod
    def _fits(m: Macro, args: list[list[Tok]]) -> bool:
        assert m.params is not None
        n = len(m.params)
        if n == 0:
            return args == [[]]
        return len(args) == n or (m.variadic is not None and len(args) >= n - 1)

    @staticmethod
    def _arguments(stack: list[Tok]) -> list[list[Tok]] | None:
        """Pop ``( a, b )`` off the stack (its top is the next token); None, stack untouched, when not there."""
        found = split_arguments(reversed(stack))
        if found is None:
            return None
        args, used = found
        del stack[len(stack) - used:]
        return args

    def _substitute(self, m: Macro, at: Tok, raw: list[list[Tok]], done: list[list[Tok]]) -> list[Tok]:
        """The body with arguments put in (# and ## on the raw ones, C11 6.10.3.1-3) and ## pastes made; every
        token marked as coming from ``m`` at ``at``'s line."""
        params = m.params or ()
        if m.variadic is not None and len(raw) >= len(params):  # the rest, commas and all, is one argument
            k = len(params) - 1
            comma = Tok(",", "punct", at.line)
            merged = [t for n, a in enumerate(raw[k:]) for t in ([comma] if n else []) + a]
            raw = [*raw[:k], merged]
            done = [*done[:k], self.expand(merged)]
        elif m.variadic is not None:
            raw, done = [*raw, []], [*done, []]
        index = {p: n for n, p in enumerate(params)}
        body = m.body
        pieces: list[list[Tok] | str] = []  # lists of tokens, or "##"
        i = 0
        while i < len(body):
            t = body[i]
            if t.text == "#" and m.params is not None and i + 1 < len(body) and body[i + 1].text in index:
                pieces.append([_stringize(raw[index[body[i + 1].text]], at.line)])
                i += 2
                continue
            if t.text == "##":
                pieces.append("##")
            elif t.text in index:
                near = (i > 0 and body[i - 1].text == "##") or (i + 1 < len(body) and body[i + 1].text == "##")
                pieces.append(list(raw[index[t.text]] if near else done[index[t.text]]))
            else:
                pieces.append([t])
            i += 1
        flat = self._pastes(pieces, m, raw)
        mark = at.hide | {m.name}
        chain = (*at.chain, (m.name, m.kernel))
        return [replace(t, line=at.line, hide=t.hide | mark, space=(at.space if n == 0 else t.space), chain=chain)
                for n, t in enumerate(flat)]

    @staticmethod
    def _pastes(pieces: list[list[Tok] | str], m: Macro, raw: list[list[Tok]]) -> list[Tok]:
        """Join the pieces, pasting across each ``##``; an empty argument is a placemarker (C11 6.10.3.3p2)."""
        out: list[Tok] = []
        paste = empty = False
        for piece in pieces:
            if piece == "##":
                paste = True
                continue
            assert isinstance(piece, list)
            if paste and piece and out and not empty:
                out[-1:] = _paste(out[-1], piece[0])
                out.extend(piece[1:])
            elif paste and not piece and out and out[-1].text == "," and m.variadic is not None and not raw[-1]:
                out.pop()  # GNU ", ## __VA_ARGS__" with no variable arguments drops the comma
            else:
                out.extend(piece)
            empty = not piece and (empty if paste else True)
            paste = False
        return out


def split_arguments(tokens: Iterable[Tok]) -> tuple[list[list[Tok]], int] | None:
    """The arguments of a parenthesised list that ``tokens`` start with (``( a, (b, c) )``: ``[[a], [(, b, ,, c,
    )]]``, commas inside nested parentheses kept) and how many tokens it took; None when the first token is not
    ``(`` or the list is not closed."""
    args: list[list[Tok]] = [[]]
    depth = 0
    for used, t in enumerate(tokens, start=1):
        if t.text == "(":
            depth += 1
            if depth == 1:
                if used != 1:
                    return None
                continue
        elif depth == 0:
            return None  # the list must open first
        elif t.text == ")":
            depth -= 1
            if depth == 0:
                return args, used
        elif t.text == "," and depth == 1:
            args.append([])
            continue
        args[-1].append(t)
    return None

"""C2x ``__VA_OPT__`` in a variadic macro's body, which pcpp leaves as written: substituted as gcc 12 does."""

# C23 6.10.5.1 (gcc 8 on, in every -std; the P1042R1 form since gcc 12): ``__VA_OPT__(content)`` is ``content``,
# substituted as a replacement list of its own (its parameters expanded first unless an operand of # or ## inside
# it), when the variable argument has a token once macro-expanded (``F(EMPTY)`` has none), and a placemarker
# otherwise (or when ``content`` comes to nothing); ``# __VA_OPT__(content)`` is the string of that. pcpp's own
# substitution (patch lists made at #define, no placemarkers: an empty operand of ## pastes whatever is beside it) is
# not made for this, so a macro whose body holds __VA_OPT__ is substituted here, placemarkers and all.

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from models.errors import LoadError
from models.ppnumber import PP_NUMBER
from models.standins import refuse_standin_tokens

VA_OPT = "__VA_OPT__"
_MARK = object()  # a placemarker (C11 6.10.3.3p2)
_PASTE = object()  # a ## of the body: one that comes from an argument pastes nothing


def _next(seq: list[Any] | tuple[Any, ...], i: int, spaces: tuple[str, ...]) -> int | None:
    """The index of the first token from ``i`` on that is not white space."""
    while i < len(seq) and seq[i].type in spaces:
        i += 1
    return i if i < len(seq) else None


def _close(seq: list[Any] | tuple[Any, ...], i: int, spaces: tuple[str, ...]) -> tuple[int, int] | None:
    """(the index of the ``(``, of its ``)``) of the __VA_OPT__ at ``i``; None when it has none."""
    start = _next(seq, i + 1, spaces)
    if start is None or seq[start].value != "(":
        return None
    depth = 0
    for j in range(start, len(seq)):
        depth += {"(": 1, ")": -1}.get(seq[j].value, 0)
        if depth == 0:
            return start, j
    return None


def va_opt_body(pp: Any, macro: Any) -> tuple[Any, ...] | None:
    """The body of a variadic macro that holds __VA_OPT__, as written (pcpp's prescan rewrites ``#x``); None for any
    other. What gcc refuses at the #define (an unterminated or nested __VA_OPT__, ## at either end of one) is refused
    there. In a macro that is not variadic gcc leaves the name as it is (a warning), and so does pcpp."""
    if not macro.variadic or not any(t.value == VA_OPT for t in macro.value):
        return None
    body, spaces = tuple(copy.copy(t) for t in macro.value), tuple(pp.t_WS)
    for i, tok in enumerate(body):
        if tok.value != VA_OPT:
            continue
        group = _close(body, i, spaces)
        if group is None:
            pp.on_error(tok.source, tok.lineno, "unterminated __VA_OPT__")
            return None
        content = body[group[0] + 1:group[1]]
        if any(t.value == VA_OPT for t in content):
            pp.on_error(tok.source, tok.lineno, "__VA_OPT__ may not appear in a __VA_OPT__")
        solid = [t for t in content if t.type not in spaces]
        if solid and "##" in (solid[0].value, solid[-1].value):
            pp.on_error(tok.source, tok.lineno, "'##' cannot appear at either end of __VA_OPT__")
    return body


def pasting_body(pp: Any, macro: Any) -> tuple[Any, ...] | None:
    """va_opt_body(), or else the body of a function-like macro that holds a ``##`` other than GNU's
    ``, ## __VA_ARGS__`` (which pcpp's own substitution gets right): pcpp pastes whatever is beside an empty operand
    (no placemarkers) and splits a pair that is no token, which gcc refuses; substitute() does neither."""
    body = va_opt_body(pp, macro)
    if body is not None or not any(t.type == pp.t_DPOUND for t in macro.value):
        return body
    spaces = tuple(pp.t_WS)
    solid = [t for t in macro.value if t.type not in spaces]
    for i, tok in enumerate(solid):
        comma = macro.variadic and 0 < i < len(solid) - 1 and solid[i - 1].value == "," \
            and solid[i + 1].value == macro.vararg
        if tok.type == pp.t_DPOUND and not comma:
            return tuple(copy.copy(t) for t in macro.value)
    return None


def pasted_object(pp: Any, macro: Any, refused: str) -> None:
    """An object-like macro's body with its ``##`` pasted (pcpp pastes none: ``#define X a ## b`` gave ``a ## b``).
    A paste gcc refuses makes the body one token named ``refused``, holding the refusal, as gcc refuses the macro
    where it is expanded (models.cpp)."""
    if not any(t.type == pp.t_DPOUND for t in macro.value) or any(t.value == VA_OPT for t in macro.value):
        return
    call = _Call(pp, macro, [], 0, "")
    try:
        macro.value = [t for t in _paste(call, _substitute(call, list(macro.value))) if t is not _MARK]
    except LoadError as exc:
        made = copy.copy(macro.value[0])
        made.value, made.refusal = refused, exc
        macro.value = [made]


@dataclass(frozen=True)
class _Call:
    """One invocation being substituted: the preprocessor, the macro, its arguments (the variable one last) and how
    many the invocation gave (models.vacomma); each argument is expanded once, as gcc does (``__COUNTER__``)."""

    pp: Any
    macro: Any
    args: list[list[Any]]
    given: int
    where: str  # the name of the text parsed, which a refusal's line is in
    expanded: dict[int, list[Any]] = field(default_factory=dict)

    @property
    def spaces(self) -> tuple[str, ...]:
        return tuple(self.pp.t_WS)

    def expand(self, n: int) -> list[Any]:
        if n not in self.expanded:
            self.expanded[n] = self.pp.expand_macros(copy.copy(self.args[n]))
        return self.expanded[n]

    def present(self) -> bool:
        """Whether the variable argument has a token once macro-expanded (gcc 12's test, P1042R1)."""
        return any(t.type not in self.spaces for t in self.expand(len(self.args) - 1))


def substitute(pp: Any, macro: Any, args: list[list[Any]], given: int, where: str) -> list[Any]:
    """The replacement list of ``macro`` (va_opt_body()) with ``args``, before rescanning."""
    call = _Call(pp, macro, args, given, where)
    return [t for t in _paste(call, _substitute(call, list(macro.va_opt))) if t is not _MARK]


def _substitute(call: _Call, seq: list[Any]) -> list[Any]:
    """``seq`` with its parameters and __VA_OPT__ groups replaced, ``##`` left as _PASTE (placemarkers stay)."""
    out: list[Any] = []
    params, i = call.macro.arglist or (), 0
    while i < len(seq):
        tok = seq[i]
        after = _next(seq, i + 1, call.spaces)
        if tok.value == "#" and after is not None and seq[after].value in (*params, VA_OPT):
            if seq[after].value == VA_OPT:
                tokens, i = _group(call, seq, after)
            else:
                tokens, i = call.args[params.index(seq[after].value)], after + 1
            out.append(_string(call, tokens, tok))
            continue
        if tok.value == VA_OPT:
            tokens, i = _group(call, seq, i)
            out.extend(tokens or [_MARK])
            continue
        if tok.type == call.pp.t_DPOUND:
            out.append(_PASTE)
        elif tok.type == call.pp.t_ID and tok.value in params:
            out.extend(_argument(call, params.index(tok.value), seq, i, out))
        else:
            out.append(copy.copy(tok))
        i += 1
    return out


def _group(call: _Call, seq: list[Any], i: int) -> tuple[list[Any], int]:
    """The tokens the __VA_OPT__ at ``i`` stands for (none: a placemarker), and the index past its ``)``."""
    start, end = _close(seq, i, call.spaces) or (i, i)
    if not call.present():
        return [], end + 1
    inner = [t for t in _paste(call, _substitute(call, seq[start + 1:end])) if t is not _MARK]
    first, last = _next(inner, 0, call.spaces), _next(inner[::-1], 0, call.spaces)
    return ([] if first is None or last is None else inner[first:len(inner) - last]), end + 1


def _argument(call: _Call, n: int, seq: list[Any], i: int, out: list[Any]) -> list[Any]:
    """What the parameter at ``seq[i]`` (argument ``n``) is replaced by: the argument as written when it is an
    operand of ``##`` (a placemarker when empty), expanded first otherwise. ``, ## __VA_ARGS__`` is gcc's comma
    (models.vacomma): the ``##`` pastes nothing, and the comma goes where the variable argument was left out."""
    before = next((j for j in range(len(out) - 1, -1, -1) if not _blank(call, out[j])), -1)
    pasted = before >= 0 and out[before] is _PASTE
    after = _next(seq, i + 1, call.spaces)
    if not pasted and (after is None or seq[after].type != call.pp.t_DPOUND):
        return list(call.expand(n))
    raw = [copy.copy(t) for t in call.args[n]]
    comma = before >= 1 and call.macro.variadic and n == len(call.args) - 1 and out[before - 1] is not _PASTE \
        and out[before - 1] is not _MARK and out[before - 1].value == ","
    if not (pasted and comma):
        return raw or [_MARK]
    del out[before:]
    single = len(call.macro.arglist) == 1 and all(t.type in call.spaces for t in raw)
    if call.given == len(call.macro.arglist) - 1 or single:
        out.pop()  # the comma
    return raw


def _paste(call: _Call, elems: list[Any]) -> list[Any]:
    """``elems`` with each _PASTE's operands made one token (a placemarker gives the other operand)."""
    out: list[Any] = []
    i = 0
    while i < len(elems):
        if elems[i] is not _PASTE:
            out.append(elems[i])
            i += 1
            continue
        while out and _blank(call, out[-1]):
            out.pop()
        j = i + 1
        while j < len(elems) and (elems[j] is _PASTE or _blank(call, elems[j])):
            j += 1
        left, right = (out.pop() if out else _MARK), (elems[j] if j < len(elems) else _MARK)
        out.append(_joined(call, left, right))
        i = j + 1
    return out


def _blank(call: _Call, elem: Any) -> bool:
    """Whether an element is a white-space token (not a placemarker, not a ##)."""
    return elem is not _MARK and elem is not _PASTE and elem.type in call.spaces


def _joined(call: _Call, left: Any, right: Any) -> Any:
    """One token of two (C11 6.10.3.3p3); gcc refuses a pair that is not one token."""
    if left is _MARK or right is _MARK:
        return right if left is _MARK else left
    text, tok = left.value + right.value, copy.copy(left)
    if PP_NUMBER.fullmatch(text):  # one token to cpp (1 ## y is 1y), which pcpp's lexer of C numbers splits
        tok.value, tok.type = text, call.pp.t_INTEGER
        return tok
    lexer = call.pp.lexer.clone()
    lexer.input(text)
    made = list(iter(lexer.token, None))
    if len(made) != 1 or made[0].type in call.spaces or made[0].type in call.pp.t_COMMENT:
        call.pp.on_error(call.macro.source, call.macro.lineno,  # gcc's line: the #define's
                         f'pasting "{left.value}" and "{right.value}" does not give a valid preprocessing token')
    tok.value, tok.type = made[0].value, made[0].type
    return tok


def _string(call: _Call, tokens: list[Any], at: Any) -> Any:
    """The string ``#`` makes of ``tokens`` (C11 6.10.3.2p2, as pcpp spells it: white space one blank, none at
    either end, ``\\`` and ``"`` escaped)."""
    refuse_standin_tokens(call.macro, tokens, call.where)
    text, blank = "", False
    for tok in tokens:
        if tok.type in call.spaces:
            blank = bool(text)
            continue
        text += (" " if blank else "") + tok.value
        blank = False
    made = copy.copy(at)
    made.type, made.value = call.pp.t_STRING, '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return made

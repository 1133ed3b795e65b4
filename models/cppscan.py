"""pcpp's reading of tokens made gcc's: encoding prefixes, and which names a rescan may still take as invocations."""

from __future__ import annotations

import copy
import re
from typing import Any

# An encoding prefix and the string or character constant it is written against (C11 6.4.5, 6.4.4.4): one token,
# whose prefix is no macro. pcpp's lexer has only L'c' as one: L"s", u8"s", u'c' are a name and a literal to it.
PREFIXED = re.compile(r"(?<![\w])(?:L|u8|u|U)[\"']")


def prefixed(pp: Any, tokens: list[Any]) -> list[Any]:
    """A line's tokens, each encoding prefix and the literal right after it made one literal (PREFIXED)."""
    out: list[Any] = []
    for tok in tokens:
        prev = out[-1] if out else None
        if (prev is not None and tok.type in (pp.t_STRING, pp.t_CHAR) and prev.type == pp.t_ID
                and prev.value in ("L", "u8", "u", "U") and prev.lexpos + len(prev.value) == tok.lexpos):
            prev.type, prev.value = tok.type, prev.value + tok.value
            continue
        out.append(tok)
    return out


def final(pp: Any, tokens: list[Any], expanding: list[str], open_at: Any) -> None:
    """A rescanned expansion's names of macros, but its last token, marked as not to expand again (each a copy:
    pcpp shares tokens between uses of an argument). pcpp looks at an expansion's tokens again once it is put in
    place of the invocation, so that a name at its end takes the ``(`` after it (C11 6.10.3.4p1); it took one that
    a later macro of the expansion made too (``F H`` with ``H`` ``(1)``), which gcc does not: a name is an
    invocation only if ``(`` is the next token when it is read. ``open_at`` is the token after a name whose
    argument list pcpp found no ``)`` for in the expansion: from that name on, nothing was looked at."""
    last = len(tokens) - 1 if open_at is None else next(k for k, tok in enumerate(tokens) if tok is open_at) - 1
    while last >= 0 and tokens[last].type in pp.t_WS:
        last -= 1
    for k in range(last):
        tok = tokens[k]
        if tok.type == pp.t_ID and tok.value in pp.macros and tok.value not in tok.expanded_from \
                and tok.value not in expanding:  # pcpp marks those itself
            tok = tokens[k] = copy.copy(tok)
            tok.mark_at, tok.expanded_from = len(tok.expanded_from), [*tok.expanded_from, tok.value]


def unmarked(tokens: list[Any]) -> None:
    """An expanded argument's tokens without final()'s marks: that scan of them is over, and the expansion they
    are substituted into is scanned anew (``I(G(2))``, ``G`` giving ``F H``, ``H`` giving ``(``: the argument is
    ``F (``, whose ``F`` the rescan of I's expansion takes as an invocation, as gcc does)."""
    for k, tok in enumerate(tokens):
        if hasattr(tok, "mark_at"):  # the names pcpp put after the mark (the macros the token came out of) stay
            tok = tokens[k] = copy.copy(tok)
            tok.expanded_from = tok.expanded_from[:tok.mark_at] + tok.expanded_from[tok.mark_at + 1:]
            del tok.mark_at


def keep_defined_operands(pp: Any, tokens: list[Any]) -> None:
    """The name after each ``defined`` (or inside its parentheses) of an #if being expanded marked as not to expand:
    gcc reads ``defined X`` that a macro's expansion gives as the operator on X, as written (``#define D
    defined(X)``, ``#if D``); pcpp expanded X first (an empty X left ``defined()``, read as 0)."""
    for k, tok in enumerate(tokens):
        if tok.value != "defined":
            continue
        j = _solid(pp, tokens, k + 1)
        if j is not None and tokens[j].value == "(":
            j = _solid(pp, tokens, j + 1)
        if j is not None and tokens[j].type == pp.t_ID:
            name = tokens[j] = copy.copy(tokens[j])
            name.expanded_from = [*getattr(name, "expanded_from", []), name.value]


def _solid(pp: Any, tokens: list[Any], i: int) -> int | None:
    """The index of the first token from ``i`` on that is not white space."""
    while i < len(tokens) and tokens[i].type in pp.t_WS:
        i += 1
    return i if i < len(tokens) else None


def refuse_bare_defined(pp: Any, tokens: list[Any]) -> None:
    """An #if's expanded expression with a ``defined`` that has no name after it (``defined()`` of an empty argument,
    ``defined 1``) refused, as gcc refuses it ("operator defined requires an identifier"); pcpp read it as 0."""
    for k, tok in enumerate(tokens):
        if tok.value != "defined":
            continue
        j = _solid(pp, tokens, k + 1)
        paren = j is not None and tokens[j].value == "("
        if paren:
            j = _solid(pp, tokens, j + 1)  # type: ignore[operator]
        close = _solid(pp, tokens, j + 1) if paren and j is not None else None
        if j is None or tokens[j].type != pp.t_ID or (paren and (close is None or tokens[close].value != ")")):
            pp.on_error(tok.source, tok.lineno, 'operator "defined" requires an identifier')


def invoked_at(pp: Any, read: list[Any], out: list[Any]) -> None:
    """Marks each token a macro's expansion gave in ``out`` (an argument of the file's own, expanded: ``read`` its
    tokens before) with ``invoked_at``, the name of the invocation in ``read`` it came out of, whose line pcpp gave
    it and whose column models.cpp gives it: gcc locates such a token at the invocation (with
    -ftrack-macro-expansion=0; by default at the #define, noting the invocation). It had the column of its place in
    the #define, on the invocation's line. pcpp leaves a token it does not expand in place, and gives an expansion's
    tokens the outermost name's (the last of ``expanded_from``); two invocations of one name with no token of the
    file between them are not told apart (both at the first)."""
    where = {id(tok): k for k, tok in enumerate(read)}
    start, name = 0, None
    for tok in out:
        k = where.get(id(tok))
        if k is not None:
            start, name = k + 1, None
            continue
        made = getattr(tok, "expanded_from", None)
        if not made or hasattr(tok, "invoked_at") or getattr(tok, "in_text", False):
            continue  # white space pcpp adds, or a nested argument's own token (its own place)
        if name is None or name.value != made[-1]:
            k = next((j for j in range(start, len(read)) if read[j].type == pp.t_ID and read[j].value == made[-1]),
                     None)
            if k is None:
                continue
            start, name = k + 1, read[k]
        tok.invoked_at = name

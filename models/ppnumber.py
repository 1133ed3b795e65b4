"""Preprocessing numbers (C11 6.4.8) as one token each, which pcpp's lexer of C's numbers splits."""

from __future__ import annotations

import copy
import re
from typing import Any

from models.lazyre import lazy

PP_NUMBER = re.compile(r"\.?[0-9](?:[eEpP][+-]|[0-9A-Za-z_.])*")


def whole_numbers(tokens: list[Any], pp: Any) -> list[Any]:
    """``tokens``, a line ``pp`` lexed from the text its ``_lexed()`` gives, with the pieces of each
    preprocessing number made one token.

    pcpp reads ``0x1ULL`` as ``0x1UL`` ``L``, ``1e+5`` as four tokens and ``1F`` as ``1`` ``F``: written side
    by side they read as the number again, but a piece named as a macro was expanded (gcc: one pp-number, no
    name in it), ``#if`` refused ``0x1ULL``, and a piece after a line continuation was placed on its own line."""
    out: list[Any] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        i += 1
        after = tokens[i] if i < len(tokens) else None  # a number whose next token is not beside it is whole
        if (tok.type != pp.t_INTEGER and tok.value != ".") or after is None \
                or after.lexpos != tok.lexpos + len(tok.value) or after.type in pp.t_WS:
            out.append(tok)
            continue
        number = PP_NUMBER.match(pp._lexed(), tok.lexpos)  # None: a . not before a digit
        end = tok.lexpos + len(tok.value) if number is None else number.end()
        if end == tok.lexpos + len(tok.value):
            out.append(tok)
            continue
        while i < len(tokens) and tokens[i].lexpos < end:
            i += 1
        last = tokens[i - 1]
        whole = copy.copy(tok)
        whole.type, whole.value = pp.t_INTEGER, pp._lexed()[tok.lexpos:end]
        out.append(whole)
        if last.lexpos + len(last.value) > end:  # the number ends inside a token pcpp read (1e+= is 1e+ and =)
            out.extend(_relexed(pp, last, last.value[end - last.lexpos:], end))
    return out


def _relexed(pp: Any, tok: Any, rest: str, at: int) -> list[Any]:
    """The tokens of ``rest``, the end of ``tok`` after a number, at offset ``at``."""
    lexer = pp.lexer.clone()
    lexer.input(rest)
    made = []
    for piece in iter(lexer.token, None):
        new = copy.copy(tok)
        new.type, new.value, new.lexpos = piece.type, piece.value, at + piece.lexpos
        made.append(new)
    return made


# C11 6.4.4.1's integer constants, and gcc's 0b binary ones (-std=gnu11): the numbers an #if reads.
_INTEGER = lazy(r"(?:0[xX][0-9a-fA-F]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)"
                      r"(?:[uU](?:ll|LL|[lL])?|(?:ll|LL|[lL])[uU]?)?")


def refuse_non_integers(pp: Any, tokens: list[Any]) -> None:
    """An #if's expanded expression with a number that is not an integer constant (``1.5``, ``1e5``, ``12ab``,
    ``08``) refused, as gcc refuses it; pcpp's evaluator cut whatever ends it that is not a digit and read the
    rest (``#if 12ab`` as 12)."""
    for tok in tokens:
        if tok.type == pp.t_INTEGER and isinstance(tok.value, str) and not _INTEGER().fullmatch(tok.value):
            pp.on_error(tok.source, tok.lineno, f'"{tok.value}" is not an integer constant, which #if needs')

"""Tokens gcc stops a build at in code it compiles, which pcpp reads on: refused where they are met."""

from __future__ import annotations

import copy
import re
from typing import Any

from models.errors import LoadError

# The kernel builds with -Werror=date-time (top-level Makefile): gcc refuses these there, and what they would
# print is the build's moment, not anything the code decides. pcpp would give the mirror's own clock.
_DATE_TIME = frozenset({"__DATE__", "__TIME__", "__TIMESTAMP__"})
REFUSED_PASTE = "__sh_refused_paste__"  # no name of C: the body of a macro whose ## gcc refuses
# The values expand_macros() looks at every token it is given for: one set lookup per token.
STOPS = frozenset({REFUSED_PASTE, *_DATE_TIME})
# A quote no literal closes (what the lexer reads first at each place: a literal, a comment, or a lone quote).
_LONE_QUOTE = re.compile(r'"(?:\\.|[^"\\\n])*"' r"|'(?:\\.|[^'\\\n])*'|//[^\n]*|/\*.*?\*/|/\*|([\"'])", re.DOTALL)
ODD = "CPP_ODD"  # the type of the token odd_tokens() makes
# C's digraphs (C11 6.4.6p3): gcc reads <: as [ and so on; pcpp and pycparser know none of them.
_DIGRAPH = re.compile(r"<:|:>|<%|%>|%:")
_DIGRAPH_PAIRS = frozenset({("<", ":"), (":", ">"), ("<", "%"), ("%", ">"), ("%", ":")})


def stop(tok: Any, tu_name: str) -> None:
    """Refuse ``tok``, one of STOPS, at its line of the text ``tu_name``."""
    if tok.value == REFUSED_PASTE:  # an object-like macro's paste gcc refuses (models.vaopt.pasted_object)
        raise tok.refusal
    raise LoadError(f"{tu_name}:{tok.lineno}", f"{tok.value}: the kernel builds with -Werror=date-time (its "
                                               "top-level Makefile), so gcc refuses it there")


def refuse_counted(out: list[Any], tu_name: str) -> None:
    """Refuse a ``__COUNTER__`` that reaches the compiler as a number (``out``: an expansion's tokens). gcc counts
    its uses over the whole translation unit, the headers' ``__UNIQUE_ID()`` included, and the mirror expands
    each definition on its own: the number is not known. Pasted into a name (``__UNIQUE_ID``) it is only a name,
    whatever its value, and ``##`` made a new token."""
    for tok in out:
        if getattr(tok, "counted", False) and tok.value != "__COUNTER__":
            raise LoadError(f"{tu_name}:{tok.lineno}", "__COUNTER__ used as a number: gcc counts its uses over the "
                                                       "whole translation unit, headers included, which the mirror "
                                                       "does not read")


def has_odd_tokens(text: str) -> bool:
    """Whether ``text`` may have a digraph or has a quote that no literal closes on its line (outside comments):
    what odd_tokens() looks for, which costs a look at every token."""
    if _DIGRAPH.search(text) is not None:
        return True
    if "'" not in text and '"' not in text:
        return False
    return any(found.group(1) for found in _LONE_QUOTE.finditer(text))


def odd_tokens(pp: Any, tokens: list[Any]) -> list[Any]:
    """A line's tokens, of a text that has_odd_tokens(), with each digraph and each lone quote made one token of
    type ODD, as gcc lexes them; refuse_odd() refuses one given to the compiler.

    - A quote pcpp's lexer gave alone, and the rest of its line: gcc reads them as one token and warns ("missing
      terminating ' character"; C11 6.4p3 leaves it undefined). So ``S(')`` does not close its argument list.
    - Two punctuators side by side that make a digraph (C11 6.4.6p3: ``a<:1:>`` is ``a[1]``), a line continuation
      between them too (the offsets are in the spliced text). One that starts a line is ``%:``, a directive's
      ``#`` to gcc, also in a group #if skips (``%:endif``): it is made a ``#``, which pcpp reads so."""
    out: list[Any] = []
    for k, tok in enumerate(tokens):
        before = out[-1] if out else None
        if tok.type in ("CPP_DQUOTE", "CPP_SQUOTE"):
            end = len(tokens) - 1 if tokens[-1].type in pp.t_WS and "\n" in tokens[-1].value else len(tokens)
            return [*out, _odd(tokens[k:end], "".join(str(t.value) for t in tokens[k:end]).rstrip()),
                    *tokens[end:]]
        if before is not None and (before.value, tok.value) in _DIGRAPH_PAIRS and before.lexpos + 1 == tok.lexpos:
            out[-1] = _odd([before], before.value + tok.value)
            if out[-1].value == "%:" and all(t.type in pp.t_WS for t in out[:-1]):  # a directive: its '#'
                out[-1].type, out[-1].value = "CPP_POUND", "#"
            continue
        out.append(tok)
    return out


def _odd(tokens: list[Any], value: str) -> Any:
    whole = copy.copy(tokens[0])
    whole.type, whole.value = ODD, value
    return whole


def refuse_odd(tokens: list[Any], tu_name: str) -> None:
    """What a text that has_odd_tokens() gives the compiler (or an #if) refused at a lone quote or a digraph: gcc
    stops at a lone quote ("missing terminating ' character"; pycparser said "Illegal character"), and the mirror
    does not read digraphs (pycparser said "before: <"). In a group #if skips, a #define no one uses, or an
    argument a macro drops, gcc only warns, and pcpp never gives them."""
    for tok in tokens:
        if tok.type == ODD and tok.value[0] in "'\"":
            raise LoadError(f"{tu_name}:{tok.lineno}", f"missing terminating {tok.value[0]} character: gcc stops the "
                                                       "build here")
        if tok.type == ODD:
            raise LoadError(f"{tu_name}:{tok.lineno}", f"the digraph {tok.value} (C11 6.4.6p3) is not read by the "
                                                       "mirror")


def refuse_odd_string(macro: Any, args: list[list[Any]], tu_name: str) -> None:
    """A ``#`` of ``macro`` refused where it makes a string of an argument holding a lone quote and a ``"`` or
    ``\\`` (the quote's own or after it): gcc escapes those in literals only, so ``S(" x)`` is ``"" x"``, which it
    stops at; pcpp escaped them (``"\\" x"``). ``S(')`` is ``"'"`` to both."""
    for argnum, _ in macro.str_patch:
        refuse_odd([tok for tok in args[argnum] if tok.type == ODD and tok.value[0] in "'\""
                    and ('"' in tok.value or "\\" in tok.value)], tu_name)

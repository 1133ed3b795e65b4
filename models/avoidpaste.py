"""Whether two preprocessing tokens written side by side read again as other tokens (gcc -E's avoid-paste)."""

# pcpp writes an expansion's tokens as they come: an empty argument or macro between two tokens leaves them side
# by side (``-E-`` with an empty E gave ``--``), and pycparser reads the text again as its own tokens, a decrement
# where gcc has two minus signs. gcc -E writes a blank there (c-ppoutput.c, cpp_avoid_paste()); so does
# models.cpp._NoIncludes.token(), for tokens that were not side by side in the text they were read from.

from __future__ import annotations

import re
from functools import lru_cache

from models.lazyre import lazy

# C11 6.4.6 punctuators of more than one character (and the comment openers): a pair of characters that starts
# or ends inside one of them may glue two punctuators.
_LONG = ("%:%:", "...", "<<=", ">>=", "->", "++", "--", "<<", ">>", "<=", ">=", "==", "!=", "&&", "||", "*=", "/=",
         "%=", "+=", "-=", "&=", "^=", "|=", "##", "<:", ":>", "<%", "%>", "%:", "//", "/*")
_PAIRS = frozenset(p[i:i + 2] for p in _LONG for i in range(len(p) - 1))
_WORD = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
_PP_TOKEN = lazy(
    r"""(?:u8|[uUL])?"(?:\\.|[^"\\\n])*"|[uUL]?'(?:\\.|[^'\\\n])*'|\.?[0-9](?:[eEpP][+-]|[0-9A-Za-z_.])*"""
    r"|[A-Za-z_]\w*|//|/\*|" + "|".join(map(re.escape, sorted(_LONG, key=len, reverse=True))) + r"|\S")


def may_glue(left: str, right: str) -> bool:
    """A cheap test that ``left`` then ``right`` (two non-empty tokens' spellings) might read as other tokens; false
    for nearly every pair a C text holds side by side (``f(``, ``);``, ``x.y``), which glues() need not lex."""
    last, first = left[-1], right[0]
    if last in _WORD:
        return first in _WORD or first in "\"'" or (first in ".+-" and (left[0].isdigit() or left[0] == "."))
    return last + first in _PAIRS or (last == "." and first.isdigit())


@lru_cache(maxsize=1024)
def glues(left: str, right: str) -> bool:
    """Whether ``left`` and ``right`` written with nothing between read as other preprocessing tokens than these
    two (``-`` ``-``, ``x`` ``1``, ``1`` ``.5``, ``L`` ``"s"``, ``/`` ``*``)."""
    return may_glue(left, right) and _PP_TOKEN().findall(left + right) != [left, right]

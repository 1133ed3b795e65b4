"""``#pragma`` and ``_Pragma("...")`` in a function body: what gcc does with each, as far as a run can tell."""

# gcc (doc/gcc "Pragmas", "Diagnostic Pragmas", "Loop-Specific Pragmas"; kbuild builds without -Werror by default,
# so a warning is no failure, as for models.directives' #warning):
# - GCC diagnostic push / pop / ignored "-W..." / warning "-W...", message "...", GCC warning "...": a build's
#   messages only; nothing of what runs. (GCC diagnostic error "-W..." may fail a build the mirror cannot tell.)
# - GCC error "...": gcc stops the build where the pragma is read (C11 6.10.9 _Pragma is the same directive).
# - GCC unroll N (0 <= N < 65535), GCC ivdep: how gcc builds the loop that must follow, which runs the same; gcc
#   refuses them before anything else, and an unroll before a 'for' without a condition.
# Any other pragma in a body (pack, optimize, push_options, target, visibility, weak, omp, STDC ...) is refused:
# it changes how the code is laid out or built, or gcc refuses it inside a function.

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from pycparser import c_ast

from models.errors import BuildFailure, UnsupportedConstruct
from models.lazyre import lazy
from models.literals import string_value

_MESSAGES = lazy(r"GCC\s+diagnostic\s+(?:(?:push|pop)\s*$|(?:ignored|warning)\s+\"[^\"]*\"\s*$)"
                       r"|message\b|GCC\s+warning\b")
_ERROR = lazy(r"GCC\s+error\b\s*(.*)", re.DOTALL)
_LOOP = lazy(r"GCC\s+(?:unroll|ivdep)\b")
_LOOP_OK = lazy(r"GCC\s+(?:unroll\s+([0-9]+)|ivdep)\s*$")


def pragma_text(node: c_ast.Pragma) -> str:
    """The pragma's text: a ``#pragma`` line's after the word (pycparser's str), a ``_Pragma()``'s string literal
    destringized (C11 6.10.9: the quotes dropped, ``\\"`` and ``\\\\`` made ``"`` and ``\\``)."""
    text = node.string
    return string_value(text.value) if isinstance(text, c_ast.Constant) else str(text).strip()


def pragma_statement(node: c_ast.Pragma, where: str) -> None:
    """Check a pragma of a body where it is compiled (see the module's comment); raises BuildFailure at a
    ``GCC error`` and UnsupportedConstruct at a pragma not modelled. A loop pragma is checked by loop_pragmas()."""
    text = pragma_text(node)
    if _MESSAGES().match(text) or _LOOP().match(text):
        return
    error = _ERROR().match(text)
    if error is not None:
        raise BuildFailure(where, f"#pragma GCC error {error.group(1).strip()}: gcc stops the build here")
    raise UnsupportedConstruct(where, f"'#pragma {text}' in a function body is not modelled (it may change how gcc "
                                      "builds or lays out the code, or gcc refuses it there)")


def loop_pragmas(items: list[c_ast.Node], where: Callable[[Any], str]) -> None:
    """Check each ``GCC unroll N`` / ``GCC ivdep`` among a block's ``items``: a plain count below 65535, followed
    (past other loop pragmas) by a ``while``, a ``do`` or a ``for`` with a condition, as gcc builds it; else
    UnsupportedConstruct at the pragma (gcc refuses most of those). ``where``: the compiler's coord -> FILE:LINE."""
    for i, item in enumerate(items):
        if not isinstance(item, c_ast.Pragma) or not _LOOP().match(text := pragma_text(item)):
            continue
        following = next((n for n in items[i + 1:] if not (isinstance(n, c_ast.Pragma)
                                                            and _LOOP().match(pragma_text(n)))), None)
        ok = _LOOP_OK().match(text)
        count_ok = ok is not None and (ok.group(1) is None or int(ok.group(1)) < 65535)
        loop_ok = isinstance(following, c_ast.While | c_ast.DoWhile) or (
            isinstance(following, c_ast.For) and following.cond is not None)
        if not (count_ok and loop_ok):
            raise UnsupportedConstruct(where(item.coord), f"'#pragma {text}' not before a while, do or for loop with "
                                       "a condition, or with a count that is not a number below 65535: gcc refuses it")

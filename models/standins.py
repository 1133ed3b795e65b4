"""A string ``#`` makes of the prelude's stand-in for a kernel macro: gcc prints the kernel header's text, not ours."""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from models.errors import LoadError
from models.literals import PR_FMT_MACRO
from models.prelude import KERNEL_CONSTANTS, macro_lines

# The prelude's own macro that stringifies for the code: __stringify()'s, whose string the code prints or sizes.
# The prelude's other macros with # (min(), BUILD_BUG_ON(), container_of(), the per-CPU ops) make strings the
# mirror reads itself (a refusal's words, a member's name), never a value of the code.
_STRINGIFY = "__stringify_1"
_FALLBACK = re.compile(r"^#ifndef (\w+)\n#define \1\b", re.MULTILINE)
_NUMBER = re.compile(r"[0-9][0-9A-Za-z]*")


@lru_cache(maxsize=1)
def _verbatim() -> frozenset[str]:
    """The stand-ins whose text is the kernel's own: the constants whose mainline value the prelude assumes
    (models.prelude.KERNEL_CONSTANTS), each one number (``#define EIO 5``, ``#define TDX_SUCCESS 0ULL``), as
    include/uapi/asm-generic/errno-base.h and arch/x86/include/asm/shared/tdx_errno.h write them."""
    return frozenset(name for name, params, body in macro_lines()
                     if name in KERNEL_CONSTANTS and not params and _NUMBER.fullmatch(body.strip()))


def mark_standins(macros: Mapping[str, Any], block: str) -> None:
    """Marks the macros ``block`` took from the prelude (its ``#ifndef NAME`` fallbacks: the code's own definition,
    before them, wins) and the tokens of their bodies, which every expansion copies: those whose text is not the
    kernel's (_verbatim) carry the macro's name."""
    lines = {block.count("\n", 0, m.start()) + 2 for m in _FALLBACK.finditer(block)}
    verbatim = _verbatim()
    for name, macro in macros.items():
        if getattr(macro, "lineno", None) not in lines or getattr(macro, "name", name) != name:
            continue
        if name == PR_FMT_MACRO:
            continue  # the site's prefix, which models.cload refuses in a string itself (the site is not known here)
        macro.standin = True
        if name not in verbatim:
            for tok in macro.value:
                tok.standin_of = name


def refuse_standin_string(macro: Any, args: list[list[Any]], where: str) -> None:
    """LoadError when a ``#`` of ``macro`` (the code's own, or __stringify()'s) makes a string of tokens a prelude
    stand-in's expansion gave (``__stringify(GENMASK_ULL(47, 40))``, ``#x`` of an argument expanded first): gcc
    writes the kernel header's text there, which the mirror does not read, and the code prints it or sizes it."""
    for argnum, _ in macro.str_patch:
        refuse_standin_tokens(macro, args[argnum], where)


def refuse_standin_tokens(macro: Any, tokens: list[Any], where: str) -> None:
    """LoadError when ``tokens``, which a ``#`` of ``macro`` makes a string, hold a stand-in's (as above)."""
    if getattr(macro, "standin", False) and macro.name != _STRINGIFY:
        return
    tok = next((t for t in tokens if getattr(t, "standin_of", None)), None)
    if tok is not None:
        name = tok.standin_of
        raise LoadError(f"{where}:{tok.lineno}", f"macro {name} is made a string here (#) after expansion: gcc "
                        f"writes the text of the kernel header's {name}, and the mirror's is a stand-in of its "
                        "own (the header is not read): what it prints is not known")

"""The directives pcpp does not know, read as gcc reads them: kept, dropped, or refused at their line."""

from __future__ import annotations

import copy
import re
from typing import Any

from models.errors import LoadError
from models.lazyre import lazy
from models.literals import EscapeError, spells, unescape_bytes

# Passed on as written: pycparser reads a #pragma (the mirror then says whether it models it).
_KEPT = frozenset({"pragma"})
# gcc's operators of #if on whether a header is found, which are defined (#ifdef says so) but no macro.
HAS_INCLUDE = ("__has_include", "__has_include_next")
# gcc's (12) operators on what the compiler has, defined (#ifdef says so) but no macro either: what they give
# depends on the gcc the kernel is built with, which the mirror does not know (models.ifvalues.refuse_calls).
HAS_FEATURE = ("__has_attribute", "__has_cpp_attribute", "__has_c_attribute", "__has_builtin")
# Read by gcc as #include is: the mirror opens no file (patched C is untrusted).
_INCLUDES = frozenset({"include", "include_next", "import"})


def refuse_include(directive: Any) -> None:
    """An #include (#include_next, #import) refused at its line."""
    raise LoadError(f"{directive.source}:{directive.lineno}",
                    f"#{directive.value} is not allowed in the mirror (it opens no file)")


def unknown_directive(pp: Any, directive: Any, toks: list[Any]) -> bool | None:
    """What pcpp's ``on_directive_unknown`` returns for a directive in a group that is read: True to drop it, None
    to pass it on; a directive gcc stops at, or that the mirror does not model, is refused at its line.

    pcpp passed every directive it does not know on as text: ``#unknown`` (gcc: "invalid preprocessing
    directive"), ``#include_next`` and ``#assert`` reached pycparser, which gave an unhelpful reason or none."""
    name, where = directive.value, f"{directive.source}:{directive.lineno}"
    if name == "error":
        # pcpp's own printed '#error' on stderr (a stray line naming <tu>) and went on: a definition gcc stops
        # the build at ran 'ok'.
        said = "".join(tok.value for tok in toks).strip()
        raise LoadError(where, f"#error {said}: gcc stops the build here")
    if name == "warning":  # it builds (kbuild has no -Werror by default): dropped, as gcc -E does
        return True
    if name in _KEPT:
        return None
    if directive.type != pp.t_ID:
        raise LoadError(where, f"invalid preprocessing directive #{name}: gcc stops the build here")
    if name in _INCLUDES:
        refuse_include(directive)
    if name in ("ident", "sccs"):  # a string for the object file's comment section: nothing the code does
        solid = [tok for tok in toks if tok.type not in pp.t_WS]
        if len(solid) == 1 and solid[0].type == pp.t_STRING:
            return True
        raise LoadError(where, f"invalid #{name} directive: gcc wants one string after it")
    if name in ("assert", "unassert"):
        read_assertion(pp, directive, toks)
        return True
    raise LoadError(where, f"invalid preprocessing directive #{name}: gcc stops the build here")


def read_assertion(pp: Any, directive: Any, toks: list[Any]) -> None:
    """An ``#assert pred(answer)`` or ``#unassert pred[(answer)]`` (a deprecated GCC extension) refused where gcc
    refuses it; else dropped, which is exact: only ``#if #pred(answer)`` reads what it says, and the mirror refuses
    that (models.ifvalues.refuse_calls)."""
    solid = [tok for tok in toks if tok.type not in pp.t_WS]
    where = (directive.source, directive.lineno)
    if not solid:
        pp.on_error(*where, "assertion without predicate")
    if solid[0].type != pp.t_ID:
        pp.on_error(*where, "predicate must be an identifier")
    if directive.value == "unassert" and len(solid) == 1:
        return
    if len(solid) == 1 or solid[1].value != "(":
        pp.on_error(*where, "missing '(' after predicate")
    close = next((k for k, tok in enumerate(solid) if tok.value == ")"), None)
    if close is None:
        pp.on_error(*where, "missing ')' to complete answer")
    if close == 2:
        pp.on_error(*where, "predicate's answer is empty")


_ELIFDEF = lazy(r"^([ \t]*#[ \t]*)elif(n?)def\b", re.MULTILINE)


def elifdef_as_elif(text: str) -> tuple[str, frozenset[int]]:
    """``text`` with each ``#elifdef X`` written ``#elif defined X`` and ``#elifndef X`` ``#elif !defined X``, which
    pcpp reads (gcc 12 reads the two in every -std, an extension before C2x; pcpp does not know them, and in a
    group it skips did not even see them, so the text under one was kept or dropped against gcc), and the lines
    (from 1) where it did: what follows the name there is dropped (name_operand()), as gcc drops it with a warning.
    gcc checks the name only when the branch is weighed, as pcpp checks ``defined``'s."""
    if "#" not in text or "elif" not in text:
        return text, frozenset()
    lines = frozenset(text.count("\n", 0, m.start()) + 1 for m in _ELIFDEF().finditer(text))
    return _ELIFDEF().sub(lambda m: m.group(1) + ("elif !defined" if m.group(2) else "elif defined"), text), lines


def name_operand(pp: Any, directive: Any, toks: list[Any], elifdef: bool) -> None:
    """The operand of an ``#ifdef``, ``#ifndef`` or (``elifdef``: written so) ``#elif``, in place, as gcc reads it:
    its first token, what follows dropped (gcc: "extra tokens at end of #ifdef directive", a warning; pcpp read
    ``#elifdef X Y`` as ``defined X Y`` and stopped). No name, or one that is no identifier, is gcc's error where the
    group is read: the operand is then a token no macro has, which on_unknown_macro_in_defined_expr() refuses."""
    solid = [tok for tok in toks if tok.type not in pp.t_WS]
    if elifdef:  # 'defined' or '!' 'defined' (elifdef_as_elif), then the name
        head = 2 if solid[:1] and solid[0].value == "!" else 1
        if len(solid) > head + 1:
            toks[toks.index(solid[head + 1]):] = []
        if len(solid) > head and solid[head].value == "defined":  # no macro's name (gcc refuses defining it)
            zero = copy.copy(solid[head])
            zero.type, zero.value = pp.t_INTEGER, "0"
            toks[toks.index(solid[head - 1]):] = [zero]
        return
    if solid and solid[0].type == pp.t_ID:
        toks[1:] = []
        return
    wrong = copy.copy(directive)
    wrong.value = ""  # no macro's name: pcpp asks on_unknown_macro_in_defined_expr() about it where read
    said = f"no macro name given in #{directive.value} directive" if not solid else "macro names must be identifiers"
    wrong.refusal = LoadError(f"{directive.source}:{directive.lineno}", f"{said}: gcc stops the build here")
    toks[:] = [wrong]


def undef_name(pp: Any, toks: list[Any]) -> str:
    """The name an ``#undef`` (in a group that is read) undefines, or the directive refused as gcc refuses it
    (pcpp undefined ``1`` and ``defined``, and failed on ``#undef`` alone); what follows the name gcc warns of."""
    solid = [tok for tok in toks if tok.type not in pp.t_WS]
    where = pp.lastdirective
    if not solid:
        pp.on_error(where.source, where.lineno, "no macro name given in #undef directive")
    if solid[0].type != pp.t_ID:
        pp.on_error(solid[0].source, solid[0].lineno, "macro names must be identifiers")
    if solid[0].value == "defined":
        pp.on_error(solid[0].source, solid[0].lineno, '"defined" cannot be used as a macro name')
    return str(solid[0].value)


def refuse_unread_conditional(directive: Any) -> None:
    """``#elifdef``/``#elifndef`` that elifdef_as_elif() did not see (a line continuation inside the word) refused:
    pcpp does not know them."""
    if directive.value in ("elifdef", "elifndef"):
        raise LoadError(f"{directive.source}:{directive.lineno}", f"#{directive.value} is not read by the mirror's "
                                                                  "preprocessor")


def read_define(pp: Any, toks: list[Any]) -> list[Any]:
    """A #define's tokens as pcpp's ``define`` should read them, or the directive refused where gcc refuses it.

    gcc reads ``#define X-1`` as an object-like X of ``-1`` (a warning: C99 wants white space after the name);
    pcpp refused it ("Bad macro definition"). A name that is no identifier (``#define 1X``) pcpp defined."""
    solid = [tok for tok in toks if tok.type not in pp.t_WS]
    if not solid:  # pcpp's on_directive_handle() keeps the directive
        pp.on_error(pp.lastdirective.source, pp.lastdirective.lineno, "no macro name given in #define directive")
    if solid[0].type != pp.t_ID or solid[0].value == "defined":
        pp.on_error(solid[0].source, solid[0].lineno, f'"{solid[0].value}": a macro name must be an identifier, '
                                                      'and not "defined"')
    refuse_misplaced_operators(pp, toks)
    if len(toks) > 1 and toks[1].type not in pp.t_WS and toks[1].value != "(":
        blank = copy.copy(toks[1])
        blank.type, blank.value = pp.t_SPACE, " "
        return [toks[0], blank, *toks[1:]]
    return toks


def refuse_misplaced_operators(pp: Any, toks: list[Any]) -> None:
    """A #define whose ``##`` is at either end of the body, or whose ``#`` in a function-like macro is not
    followed by a parameter, refused at the operator's line as gcc refuses it there; pcpp kept them as tokens
    (``#define G(a) ## a`` gave G(1) as 1, ``#define F(a) # b`` wrote ``# b``)."""
    solid = [tok for tok in toks if tok.type not in pp.t_WS]
    body, params = solid[1:], None
    if len(toks) > 1 and toks[1].value == "(":  # a function-like macro: its '(' right after the name
        close = next((k for k, tok in enumerate(solid) if tok.value == ")"), len(solid))
        listed = solid[1:close]
        dots = next((k for k, tok in enumerate(listed) if tok.value == "."), None)
        params = {tok.value for tok in listed if tok.type == pp.t_ID}
        if dots is not None:  # __VA_OPT__ in any variadic macro (gcc 12), __VA_ARGS__ where '...' has no name
            params |= {"__VA_OPT__"} | ({"__VA_ARGS__"} if listed[dots - 1].value in ("(", ",") else set())
        body = solid[close + 1:]
    if body and "##" in (body[0].value, body[-1].value):  # gcc says it at the #define's line
        pp.on_error(solid[0].source, solid[0].lineno, "'##' cannot appear at either end of a macro expansion")
    for k, tok in enumerate(body):
        if params is not None and tok.value == "#" and (k + 1 == len(body) or body[k + 1].value not in params):
            pp.on_error(tok.source, tok.lineno, "'#' is not followed by a macro parameter")


def refuse_has_include(pp: Any, tokens: list[Any]) -> None:
    """An #if's ``__has_include(...)`` refused: which headers the build finds is not known to the mirror. An
    operand of ``defined`` is not one (true, as in gcc)."""
    solid = [tok for tok in tokens if tok.type not in pp.t_WS]
    for k, tok in enumerate(solid):
        before = [t.value for t in solid[max(k - 2, 0):k]]
        if tok.value in HAS_INCLUDE and before[-1:] != ["defined"] and before != ["defined", "("]:
            pp.on_error(tok.source, tok.lineno, f"{tok.value}: which headers the build finds is not known to the "
                                                "mirror")


def line_number(pp: Any, directive: Any, toks: list[Any]) -> int:
    """The number ``#line N ["file"]`` or gcc's line marker ``# N ["file"]`` (``directive`` then N itself) gives the
    line after it, read as gcc reads them: a #line's tokens macro-expanded first when they hold a name (C11
    6.10.4p5), what follows its file name dropped (gcc warns). Refused where gcc stops, where the number is past
    2147483647 (gcc warns and wraps it), where a marker has flags (entering or leaving an included file, a system
    header: what gcc says and warns then is not followed), and where the file is not ``__FILE__``'s (gcc would then
    say that file, which the mirror does not follow)."""
    marker = directive.type == pp.t_INTEGER
    where = f"{directive.source}:{directive.lineno}"
    solid = [tok for tok in toks if tok.type not in pp.t_WS]
    if any(tok.type == pp.t_ID for tok in solid):  # gcc expands a marker's too ('# 1 F', F "file")
        solid = [tok for tok in pp.expand_macros([copy.copy(t) for t in toks]) if tok.type not in pp.t_WS]
    if marker:
        solid = [directive, *solid]
    if not solid:
        raise LoadError(where, "unexpected end of file after #line: gcc stops the build here")
    if not solid[0].value.isdigit():
        said = "#" if marker else "#line"
        raise LoadError(where, f'"{solid[0].value}" after {said} is not a positive integer: gcc stops the build here')
    if int(solid[0].value) > 2147483647:
        raise LoadError(where, "line number out of range (gcc warns and wraps it): not read by the mirror")
    if len(solid) > 1 and solid[1].type != pp.t_STRING:
        raise LoadError(where, f'"{solid[1].value}" is not a valid filename: gcc stops the build here')
    if len(solid) > 1 and not _names_this_file(pp, solid[1].value[1:-1], where):
        raise LoadError(where, f"a line directive naming {solid[1].value}, not this file: gcc would say that file, "
                               "which the mirror does not follow")
    if marker and len(solid) > 2:
        raise LoadError(where, "a line marker's flags (entering or leaving an included file, a system header) are "
                               "not read by the mirror")
    return int(solid[0].value)


def _names_this_file(pp: Any, body: str, where: str) -> bool:
    """Whether a line directive's file name (its literal's body) is ``__FILE__``'s (models.cpp defines it, escaped,
    as the path), both decoded as gcc decodes them (models.literals.spells); an escape gcc refuses stops the build."""
    named = pp.macros.get("__FILE__")
    value = named.value[0].value[1:-1] if named is not None and named.value else ""
    try:
        return spells(body, unescape_bytes(value).decode("utf-8", "surrogateescape"))
    except EscapeError as exc:
        raise LoadError(where, f"{exc}: gcc stops the build here") from exc

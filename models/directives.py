"""The directives pcpp does not know, read as gcc reads them: kept, dropped, or refused at their line."""

from __future__ import annotations

from typing import Any

from models.errors import LoadError

# Passed on as written: pycparser reads a #pragma (the mirror then says whether it models it) and a line marker.
_KEPT = frozenset({"pragma", "line"})
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
    if name in _KEPT or directive.type == pp.t_INTEGER:  # '# 33 "file"', a line marker, starts with a number
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
        raise LoadError(where, f"#{name} (a deprecated GCC extension) is not modelled by the mirror")
    raise LoadError(where, f"invalid preprocessing directive #{name}: gcc stops the build here")


def refuse_unread_conditional(directive: Any) -> None:
    """``#elifdef``/``#elifndef`` refused wherever they are: gcc 12 reads them in every -std (an extension before
    C2x), pcpp does not know them, and in a group that is skipped does not even see them, so the text under one
    would be kept or dropped against gcc."""
    if directive.value in ("elifdef", "elifndef"):
        raise LoadError(f"{directive.source}:{directive.lineno}", f"#{directive.value} is not read by the mirror's "
                                                                  "preprocessor")

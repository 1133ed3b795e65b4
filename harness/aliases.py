"""The aliases a C file makes: ``#pragma weak a = b`` and ``__attribute__((alias("b")))`` (or ``__alias(b)``).

gcc emits the alias as a symbol of its own at ``b``'s code (weak with the pragma or a ``weak`` attribute): a call of
``a`` runs ``b``'s body, unless ld links another object file's strong ``a`` over a weak one. The mirror has no
symbol apart from a definition, so an alias is found and said (harness.unitdefs), never taken for a definition.
"""

from __future__ import annotations

from harness.filestate import FileState
from models.lazyre import POUND, lazy
from models.record import record
from models.slicer import blank_comments
from models.splice import spliced_lines

_PRAGMA = lazy(rf"^\s*{POUND}\s*pragma\s+weak\s+([A-Za-z_]\w*)\s*=\s*([A-Za-z_]\w*)\s*$")
# A declaration (one statement, no body) with an alias attribute: gcc's spelling or the kernel's __alias(sym)
# (include/linux/compiler_attributes.h: __attribute__((__alias__(#symbol)))).
_DECL = lazy(r"[^;{}#]*?(?:\b(?:__)?alias(?:__)?\s*\(\s*\"([A-Za-z_]\w*)\"\s*\)"
                   r"|\b__alias\s*\(\s*([A-Za-z_]\w*)\s*\))[^;{}]*;")
_NAME = lazy(r"\b(?!__attribute__\b|__alias\b)([A-Za-z_]\w*)\s*\(")
_WEAK = lazy(r"\b__weak\b|\b(?:__)?weak(?:__)?\b")


@record
class Alias:
    """``name`` is an alias of ``target`` (``weak``: ld links a strong definition of ``name`` over it), made at
    ``where`` (file:line) by ``how`` ('#pragma weak', 'an alias attribute')."""

    name: str
    target: str
    where: str
    weak: bool
    how: str

    def said(self) -> str:
        """'seam_retry() is a weak alias of __seam_retry() (#pragma weak at k/seam.c:1)'."""
        kind = "a weak alias" if self.weak else "an alias"
        return f"{self.name}() is {kind} of {self.target}() ({self.how} at {self.where})"


def aliases(got: FileState) -> dict[str, Alias]:
    """The aliases ``got`` makes, by name (the first of each), read from its lines outside comments; a
    declaration's alias attribute is read only where the statement has no ``#`` line inside it."""
    text = got.text or ""
    if "alias" not in text and "pragma" not in text:
        return {}
    numbers = sorted(got.lines)
    lines = blank_comments([got.lines[k][0] for k in numbers])
    out: dict[str, Alias] = {}
    for k, line in spliced_lines(list(zip(numbers, lines, strict=True))):  # '#pragma weak a = \' then 'b'
        if (m := _PRAGMA().match(line)) is not None:
            out.setdefault(m.group(1), Alias(m.group(1), m.group(2), f"{got.path}:{k}", True, "#pragma weak"))
    joined = "\n".join("" if ln.lstrip().startswith(("#", "%:")) else ln for ln in lines)
    for m in _DECL().finditer(joined):
        head = m.group(0).split("__attribute__", 1)[0].split("__alias", 1)[0]
        if (name := _NAME().search(head)) is None:
            continue
        at = joined.count("\n", 0, m.start() + len(m.group(0)) - len(m.group(0).lstrip()))
        weak = _WEAK().search(m.group(0)) is not None
        out.setdefault(name.group(1), Alias(name.group(1), m.group(1) or m.group(2), f"{got.path}:{numbers[at]}",
                                            weak, "an alias attribute"))
    return out

"""What makes a function weak for the linker: ``__weak``, the weak attribute, ``#pragma weak``, a weak declaration."""

from __future__ import annotations

from harness.filestate import FileState
from models.lazyre import POUND, lazy
from models.redefinition import WEAK_MARK as _WEAK  # a weak definition's head
from models.slicer import Definition, blank_comments
from models.splice import spliced_lines


def weak(d: Definition) -> bool:
    """Whether a function's head, before its name, says it is weak (``__weak``, ``__attribute__((weak))``): the
    linker takes another object file's strong definition over it (ld; the kernel's arch overrides)."""
    return _WEAK.search(d.text.split(d.name, 1)[0]) is not None


_PRAGMA_WEAK = lazy(rf"^\s*{POUND}\s*pragma\s+weak\s+([A-Za-z_]\w*)\s*$")


def pragma_weak(got: FileState) -> dict[str, int]:
    """The names a file makes weak with ``#pragma weak NAME`` (gcc: the symbol is weak wherever the file defines
    it), each with the line of its first such pragma; ``#pragma weak a = b`` (a weak alias, a is no definition of
    the file's) is not one."""
    out: dict[str, int] = {}
    for n, text in spliced_lines([(k, t) for k, (t, _) in sorted(got.lines.items())]):  # '#pragma weak \' 'f'
        if "pragma" in text and (m := _PRAGMA_WEAK().match(text)) is not None:
            out.setdefault(m.group(1), n)
    return out


# A declaration (no body) whose attributes make the function weak: gcc keeps a prior declaration's attributes for
# the definition that follows in the unit (nm: W), as include/linux/compiler_attributes.h spells __weak.
_WEAK_DECL = lazy(r"[^;{}]*?(?:\b__weak\b|\b__attribute__\s*\(\(\s*(?:__)?weak(?:__)?\s*\)\))[^;{}]*;")
_DECL_NAME = lazy(r"\b(?!__attribute__\b)([A-Za-z_]\w*)\s*\(")


def weak_decls(got: FileState) -> dict[str, str]:
    """The functions a declaration of ``got`` gives a weak attribute, each with its file:line (a definition's head,
    followed by a body, is no declaration)."""
    if not any(m in t for t, _ in got.lines.values() for m in ("__weak", "weak")):
        return {}
    numbers = sorted(got.lines)
    lines = blank_comments([got.lines[k][0] for k in numbers])
    text = "\n".join("" if ln.lstrip().startswith(("#", "%:")) else ln for ln in lines)
    out: dict[str, str] = {}
    for m in _WEAK_DECL().finditer(text):
        if (name := _DECL_NAME().search(m.group(0))) is not None and name.group(1) not in out:
            at = text.count("\n", 0, m.start() + len(m.group(0)) - len(m.group(0).lstrip()))
            out[name.group(1)] = f"{got.path}:{numbers[at] if at < len(numbers) else at + 1}"
    return out

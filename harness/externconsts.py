"""Objects declared ``extern`` with a const type (or a lock's) that no file of the state defines: followed in the tree.

harness.unitdefs takes their definitions from the tree's .c files as it takes a function's (harness.gitbase finds
each name of a declaration list).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from harness.filestate import FileState
from models.lazyre import lazy

# A declaration of an object with ``extern`` and a const type (one name, no initializer): ``extern const struct
# seam_ent seam_tbl[];``. Its definition's initializer is its value whenever code runs (C11 6.7.3p6: writing a
# const object is undefined), so the tree's definition may be followed; a writable one's initial value is not what
# the code reads (other code may have written it), so it is not. A lock is the exception: every run is a fresh boot
# with one task (docs/mirror.md), so a file-scope lock is free when the run starts wherever it is defined, and its
# definition says only whether it was initialised (DEFINE_MUTEX(), or left to an init function: models.locking),
# as for a lock of the state's own files: ``extern struct mutex m;`` (or an array of them), never a pointer.
_EXTERN_CONST = lazy(r"^\s*extern\s+([^;(){}=,]*?)\b([A-Za-z_]\w*)\s*(?:\[[^\]]*\]\s*)*((?:,[^;(){}=,]*)*);")
# A further declarator of its list (``extern struct mutex a, b;``): its own stars and qualifiers, then its name
_MORE = lazy(r"\s*([*\s\w]*?)\b([A-Za-z_]\w*)\s*(?:\[[^\]]*\]\s*)*$")
_LOCK_TYPES = (["struct", "mutex"], ["spinlock_t"], ["raw_spinlock_t"])


def _followed_type(head: str) -> bool:
    """Whether an ``extern`` declaration's type (the text before its name) is a const object's or a lock's."""
    words = re.findall(r"\w+", head.rsplit("*", 1)[-1])
    return "const" in words or ("*" not in head and [w for w in words if w != "volatile"] in _LOCK_TYPES)


def extern_consts(files: Mapping[str, FileState]) -> frozenset[str]:
    """The objects the .c and .h files of ``files`` declare ``extern`` with a const type (the object itself const:
    ``const T x[]``, ``T *const p``; not ``const T *p``) or a lock's (``struct mutex``, ``spinlock_t``,
    ``raw_spinlock_t``) where none of them defines one of that name."""
    out: set[str] = set()
    for f in files.values():
        if not f.path.endswith((".c", ".h")) or f.absent or "extern" not in (f.text or ""):
            continue
        for text, _ in f.lines.values():
            out.update(name for head, name in _extern_declarators(text) if _followed_type(head))
    if not out:
        return frozenset()
    names = "|".join(sorted(out))
    # a definition's line, then each of the names it defines (a list's too: ``struct mutex a, b;``); a name an
    # initializer reads there counts too, which leaves it unfollowed (a run reading it is refused), never misread
    defined = re.compile(rf"^\s*(?!extern\b)(?!typedef\b)[A-Za-z_][\w \t*,\[\]]*?\b({names})"
                         r"\s*(?:\[[^\]]*\]\s*)*[=;{,]")
    each = re.compile(rf"(?:^|[\s*,])({names})\s*(?:\[[^\]]*\]\s*)*(?=[=;{{,])")
    return frozenset(out - {n for f in files.values() if f.path.endswith((".c", ".h")) and not f.absent
                            for text, _ in f.lines.values() if defined.match(text) for n in each.findall(text)})


def _extern_declarators(text: str) -> list[tuple[str, str]]:
    """Each declarator of an ``extern`` object declaration on line ``text`` (no initializer, no function): the type
    as it applies to it (the list's specifiers and its own stars: ``extern const int a, *b;`` is ``const int``
    for ``a`` and ``const int *`` for ``b``, C11 6.7.6) and its name; [] for any other line."""
    m = _EXTERN_CONST().match(text)
    if m is None:
        return []
    out = [(m.group(1), m.group(2))]
    base = m.group(1).split("*", 1)[0]  # the specifiers and qualifiers every declarator of the list shares
    for item in m.group(3).split(",")[1:]:
        more = _MORE().match(item)
        if more is None:
            return out  # a declarator not read: the names before it still are
        out.append((base + more.group(1), more.group(2)))
    return out

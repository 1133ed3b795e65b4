"""With --tree, the variables of external linkage whose every possible setter is in the files the mirror reads.

A variable defined without ``static`` (C11 6.2.2) may be stored to by any file of the kernel that declares it, and,
where it is exported, by a module built elsewhere (harness.outsidewrites says so when nothing else is known). With
the tree at the variant's base commit, ``git grep -w`` of every file of it (harness.gitbase, any kind: .c, .h, .S,
a linker script) lists the files that may name it; where each of those, and each file of the variant naming it, is
a C file the mirror reads whole, and no ``EXPORT_SYMBOL*()`` exports it, the search is complete: the code that may
store to it is code outside_writes reads, and the linkage alone is no reason. A name pasted together by the
preprocessor (``sc_##name``) in a file naming neither is not found by the search, as it is not in the files read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from harness.variants import NO_TREE, Variant

if TYPE_CHECKING:
    from harness.treenames import TreeSearch
    from models.loader import Source


# A macro's definition, its continuation lines too.
_MACRO = re.compile(r"^[ \t]*#[ \t]*define\b(?:[^\\\n]|\\[\s\S])*", re.M)


def settled_externals(v: Variant, sources: tuple[Source, ...], tree: TreeSearch | None, wanted: Iterable[str]
                      ) -> frozenset[str]:
    """The variables of external linkage of ``sources`` (harness.outsidewrites.external_variables) among
    ``wanted`` (the names the code the runs reach uses: a search of a kernel tree takes a second or more) that
    no file but those read whole may store to: the tree at ``v``'s base commit searched (``tree.mentioning``),
    each file it lists and each file of ``v`` naming the variable among ``sources``, complete and read in full (not a
    ``<...>`` header of which only some names are taken), no ``EXPORT_SYMBOL*()`` of it in ``sources``, and no
    macro of ``v``'s files or of those read naming it (``#define sc_alias sc_busy_code``: a file using the macro
    need not name it). Empty without a tree, or for a variant built from hunks alone."""
    from harness.outsidewrites import external_variables

    if tree is None or v.base == NO_TREE:
        return frozenset()
    whole = {s.path for s in sources if s.complete and s.only is None}
    texts = [(f.path, "\n".join(f.lines[n][0] for n in sorted(f.lines))) for f in v.files]
    exported = "\n".join(line for s in sources for _, lines in s.pieces for line in lines if "EXPORT_" in line)
    # The macros of every file read, not only the variant's own: a tree header read whole may alias the name for a
    # file of the tree that never names it.
    read = ["\n".join(line for _, lines in s.pieces for line in lines) for s in sources]
    macros = "\n".join(m.group() for text in (*(t for _, t in texts), *read) for m in _MACRO.finditer(text))
    found = set()
    for name in sorted(set(external_variables(sources)) & set(wanted)):
        word = re.compile(rf"\b{re.escape(name)}\b")
        if re.search(rf"\bEXPORT_\w*\s*\(\s*{re.escape(name)}\s*[,)]", exported) or word.search(macros):
            continue  # a module may store to it; a file naming a macro that names it may, without naming it
        listed = tree.mentioning(v, name)
        if listed is None or not set(listed) <= whole:
            continue
        if all(path in whole for path, text in texts if word.search(text)):
            found.add(name)
    return frozenset(found)

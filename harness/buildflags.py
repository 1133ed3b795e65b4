"""Kbuild flags a variant's patches add or remove that define macros the mirror does not apply.

The lines hand the C preprocessor a macro (-D, -U, -include); a pass on code built with them was never run as built.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from harness.diffmodel import LineKind
from harness.kbuilddefs import build_defines
from harness.kbuildread import PREPROCESSOR_FLAG
from harness.model import Patch, Series
from harness.patchplace import applied_patches
from harness.variants import Variant
from models.lazyre import lazy

if TYPE_CHECKING:
    from harness.verdict import CheckContext


def _kbuild(path: str) -> bool:
    name = posixpath.basename(path)
    return name.startswith(("Makefile", "Kbuild")) or name.endswith(".mk")


def preprocessor_flags(v: Variant, series: Series, applied: frozenset[tuple[str, int]] = frozenset(),
                       states: Sequence[Variant] = ()) -> list[str]:
    """Each Kbuild line with a preprocessor flag (a continued line's part too, whatever variable it sets) that a
    patch the variant applies adds or removes, but an added one whose macros the mirror applied (``applied``: path,
    line: harness.kbuilddefs), said as ``v4 02/3 adds 'ccflags-y += -DSC_TRIES=1' (arch/x86/virt/vmx/tdx/Makefile:3)``.
    A removed line stays (the state before the patch, which the variant is compared with, was built with it) but
    where that state is among ``states`` (the variants run) and the mirror applied the line there too."""
    out = []
    for p in applied_patches(v, series):
        before: frozenset[tuple[str, int]] | None = None
        for pf in p.files:
            if not _kbuild(pf.path):
                continue
            for h in pf.hunks:
                for ln in h.lines:
                    if ln.kind is not LineKind.CONTEXT and PREPROCESSOR_FLAG.search(ln.text):
                        added = ln.kind is LineKind.ADDED
                        if added and (pf.path, ln.target_no) in applied:
                            continue
                        before = _applied_before(p, states) if before is None and not added else before
                        if not added and (pf.source_path or pf.path, ln.source_no) in (before or ()):
                            continue
                        out.append(f"v{p.mail.subject.version} {p.label} {'adds' if added else 'removes'} "
                                   f"'{ln.text.strip()}' ({pf.path}:{ln.target_no if added else ln.source_no})")
    return out


def _applied_before(p: Patch, states: Sequence[Variant]) -> frozenset[tuple[str, int]]:
    """The Kbuild lines (path, line) the mirror applied in the state right before ``p`` (its revision up to the
    patch numbered one less: the files ``p``'s hunks apply to), when it ran; none unless every state of the revision
    run before ``p`` (any may be the reference a variant holding ``p`` is compared with) ran as built, every line
    naming a macro of its code applied (harness.kbuilddefs)."""
    earlier = [s for s in states if s.revision == p.mail.subject.version and s.prefix is not None
               and s.prefix < p.number and s.start is None and s.over is None]
    state = next((s for s in earlier if s.prefix == p.number - 1), None)
    if state is None or any(build_defines(s).why for s in earlier):
        return frozenset()
    return build_defines(state).read


# A -D or -U of one macro in a Kbuild line: its name.
_NAMED_FLAG = lazy(r"(?:^|[\s=\"',(])-[DU]\s*([A-Za-z_]\w*)")
_WORD = re.compile(r"[A-Za-z_]\w*")
# arch/$(SRCARCH)/Makefile: included by the top Makefile for every unit's KBUILD_CFLAGS, the build's own flags as the
# prelude models them (its Kbuild beside it is the descent into the arch's folders, read as any other).
_GLOBAL = lazy(r"arch/[^/]+")


def tree_flags(v: Variant, read: Callable[[Variant, str], str | None],
               applied: frozenset[tuple[str, int]] = frozenset()) -> list[str]:
    """Each line of a Kbuild file of the tree (``read``: harness.treenames.TreeSearch.read; a file the variant holds
    is read from it) in the folder of one of the variant's .c units or a folder above it, up to the tree's top, with a
    -D or -U of a macro the variant's own code names (kbuild's ccflags-y, subdir-ccflags-y, CFLAGS_x.o and KBUILD_CFLAGS
    reach the units below them: Documentation/kbuild/makefiles.rst), but those whose macros the mirror applied
    (``applied``), said as ``'ccflags-y += -DSC_TRIES=1' (arch/x86/virt/vmx/tdx/Makefile:3, in the tree)``."""
    held = {f.path: f for f in v.files}
    words = {w for f in v.files if f.path.endswith((".c", ".h")) and f.text and not f.included
             for w in _WORD.findall(f.text)}
    folders = {posixpath.dirname(p) for p in held if p.endswith(".c")}
    every = {a for d in folders for a in _above(d)}
    out = []
    for folder in sorted(every):
        for name in ("Makefile", "Kbuild"):
            path = posixpath.join(folder, name)
            if name == "Makefile" and _GLOBAL().fullmatch(folder):
                continue
            text = held[path].text if path in held else read(v, path)
            for n, line in enumerate((text or "").splitlines(), 1):
                if any(m in words for m in _NAMED_FLAG().findall(line)) and (path, n) not in applied:
                    out.append(f"'{line.strip()}' ({path}:{n}, {'as patched' if path in held else 'in the tree'})")
    return out


def _above(folder: str) -> list[str]:
    out = []
    while folder:  # the top Makefile's flags (-D__KERNEL__) are the build's own, which the prelude models
        out.append(folder)
        folder = posixpath.dirname(folder)
    return out


def unbuilt_flags_reason(v: Variant, series: Series, read: Callable[[Variant, str], str | None] | None = None,
                         states: Sequence[Variant] = ()) -> str | None:
    """Why a pass on the variant's code does not stand: the build flags above (``states``: the variants run), and
    with a tree (``read``) those its Kbuild files give a macro the code names (None: none)."""
    built = build_defines(v)
    found = preprocessor_flags(v, series, built.read, states)
    found += [f for f in tree_flags(v, read, built.read) if f not in found] if read is not None else []
    if not found and not built.why:
        return None
    said = "; ".join(found) or "a Kbuild line"
    return (f"{said}: a C preprocessor flag of the build, which the mirror does not apply (the code ran as if built "
            "without it)" + (f": {built.why}" if built.why else "") +
            ": give the macro a #define in the code, or judge the variant without that line")


def state_flags_reason(v: Variant, ctx: CheckContext) -> str | None:
    """Why ``v`` did not run as kbuild builds it (unbuilt_flags_reason, with the tree's Kbuild
    files where --tree gave them), None where it did; worked out once per state: each rule comparing with it asks."""
    read = ctx.tree_names.read if ctx.tree_names is not None else None
    return ctx.once(("build flags", v.name), lambda: unbuilt_flags_reason(v, ctx.series, read, ctx.result.variants))

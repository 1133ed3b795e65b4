"""A function of the variant named like a prelude macro: gcc expands its name too, so the prelude's never stands in."""

# The prelude's macros stand for the kernel headers a file includes at its top: a definition or prototype below
# them whose name is one of them (``static int fls(unsigned int x)``) has its name expanded by gcc as well (C11
# 6.10.3p10), which declares another function (``ffs`` -> ``__builtin_ffs``, run as such) or none at all, a build
# error. Before, the mirror dropped the latter as C it does not parse while every call of the name still expanded the
# prelude's macro: the patch's function never ran, nor was a run refused. Now the name is refused (models.cload puts
# it among the dropped names, whose prelude fallback is withheld): a use is a call of what is not available, at its
# file:line, the reason naming the definition's.

from __future__ import annotations

import re
from collections.abc import Collection, Iterable

from models.macroat import ends, prelude_ends
from models.macronames import expanded_name
from models.prelude import PRELUDE_PATH, macro_line, prelude_bodies
from models.primnames import PRIMITIVE_NAMES
from models.slicer import Definition, Kind

_PRIVATE = "__sh_"  # the mirror's own primitives (sh_native.h): what the kernel's header has there is other text
_OWN = (_PRIVATE, "__builtin_")  # no header's: the mirror's own names and gcc's
# a kernel header (include/linux/slab.h, arch/x86/include/asm/processor.h): where the kernel's own definition is
_KERNEL_HEADER = re.compile(r"(?:^|/)include/")


def prelude_clashes(used: Iterable[Definition], undefs: Iterable[Definition], macros: Collection[str]
                    ) -> dict[str, str]:
    """Why each function or prototype of ``used`` whose name is a prelude macro in force where it is defined (no
    macro of the variant of that name, ``macros``, and no ``#undef`` of it above in its file, ``undefs``) is not run:
    gcc's expansion of its head declares no function, or one of the mirror's own; by name, "FILE:LINE: why"."""
    bodies = prelude_bodies()
    kernel = prelude_ends(undefs, macros)
    out: dict[str, str] = {}
    for d in used:
        if d.kind not in (Kind.FUNCTION, Kind.PROTOTYPE) or d.name not in bodies or d.name in macros:
            continue
        told = [ends(u, d.path, d.line) for u in kernel.get(d.name, ())]
        if True in told:
            continue  # #undef'ed above it: no macro there (models.macroat)
        at = f"{PRELUDE_PATH}:{macro_line(d.name)}"
        if None in told:
            out[d.name] = (f"{d.where}: {d.name} is a kernel header's macro (the prelude's, {at}) whose #undef may "
                           "or may not come above this definition: whether gcc expands its name here is not known")
            continue
        name = expanded_name(d)
        if name is None or name.startswith(_PRIVATE):
            said = "declares no function" if name is None else f"declares {name}(), the mirror's own"
            out[d.name] = (f"{d.where}: {d.name} is a kernel header's macro (the prelude's, {at}) in force here: gcc "
                           f"expands the name of this {d.kind.value} too, which then {said} (a build error with the "
                           f"kernel's headers), so neither it nor the macro stands for {d.name} here")
    return out


def primitive_clashes(used: Iterable[Definition], headers: Collection[str]) -> dict[str, str]:
    """Why each function the variant's own files define (not the kernel's headers, ``headers`` the paths of those
    taken from the tree) whose name is a kernel primitive the mirror models (models.primnames: kfree(), kmalloc(),
    memcpy(), cpu_relax() ...) is not run: the kernel's headers declare or define that name, so gcc refuses a static
    definition (a conflict with the declaration, or a redefinition) and the link a second one in vmlinux; the
    primitive does not stand for it either. By name, "FILE:LINE: why"."""
    out: dict[str, str] = {}
    for d in used:
        if d.kind is not Kind.FUNCTION or d.name not in PRIMITIVE_NAMES or d.name.startswith(_OWN) \
                or d.path in headers or _KERNEL_HEADER.search(d.path):
            continue
        out.setdefault(d.name, f"{d.where}: {d.name} is a kernel function the mirror models (models/kernel.py), which "
                       "the kernel's headers declare or define: gcc refuses a static definition of it here (it "
                       "conflicts with the header's), and a second global one fails the link, so neither this "
                       f"definition nor the kernel's stands for {d.name} here")
    return out

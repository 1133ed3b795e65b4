"""Kbuild lines a variant's patches add or remove that hand the C preprocessor a macro (-D, -U, -include), which the
mirror does not apply: a pass on code built with them was never run as built."""

from __future__ import annotations

import posixpath
import re

from harness.codechecks import applied_patches
from harness.model import LineKind, Series
from harness.variants import Variant

# A flag that defines, undefines or includes for every unit it is given to (ccflags-y, CFLAGS_tdx.o, a continued
# line of either: any changed line of a Kbuild file holding one counts, whatever variable it sets).
_PREPROCESSOR_FLAG = re.compile(r"(?:^|[\s=\"'])-(?:[DU]\s*[A-Za-z_]|include\s|imacros\s)")


def _kbuild(path: str) -> bool:
    name = posixpath.basename(path)
    return name.startswith(("Makefile", "Kbuild")) or name.endswith(".mk")


def preprocessor_flags(v: Variant, series: Series) -> list[str]:
    """Each Kbuild line with a preprocessor flag that a patch the variant applies adds or removes, said as
    ``v4 02/3 adds 'ccflags-y += -DSC_TRIES=1' (arch/x86/virt/vmx/tdx/Makefile:3)``."""
    out = []
    for p in applied_patches(v, series):
        for pf in p.files:
            if not _kbuild(pf.path):
                continue
            for h in pf.hunks:
                for ln in h.lines:
                    if ln.kind is not LineKind.CONTEXT and _PREPROCESSOR_FLAG.search(ln.text):
                        added = ln.kind is LineKind.ADDED
                        out.append(f"v{p.mail.subject.version} {p.label} {'adds' if added else 'removes'} "
                                   f"'{ln.text.strip()}' ({pf.path}:{ln.target_no if added else ln.source_no})")
    return out


def unbuilt_flags_reason(v: Variant, series: Series) -> str | None:
    """Why a pass on the variant's code does not stand: the build flags above (None: no patch sets one)."""
    found = preprocessor_flags(v, series)
    if not found:
        return None
    return (f"{'; '.join(found)}: a C preprocessor flag of the build, which the mirror does not apply (the code ran "
            "as if built without it): give the macro a #define in the code, or judge the variant without that line")

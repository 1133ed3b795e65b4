"""refused_alike: whether gcc and the mirror refuse an entry point's build for the same reason."""

from __future__ import annotations

import re

from harness.visibility import hidden_names
from models.mirror import Outcome
from models.outcome import ErrorKind

# Where gcc puts an error, and the macro expansions it names (models.native.rawtu keeps both in its reasons).
_GCC_SITE = re.compile(r"(?P<where>[^\s:;()]+:\d+): (?:error: |in expansion of macro)")
_MIRROR_SITE = re.compile(r"(?P<where>[^\s:;()]+:\d+): ")
# gcc's errors for a name the translation unit declares nowhere (an implicit declaration of a function, which a
# kernel build makes an error, an undeclared identifier, an unknown type name, an incomplete tagged type), in the
# C locale's quotes or a UTF-8 one's.
_GCC_UNDECLARED = re.compile(r": error: (?:implicit declaration of function |unknown type name |invalid use of "
                             r"undefined type [‘']?(?:struct|union|enum) |[‘'](?=\w+[’'] undeclared))"
                             r"[‘']?(?P<name>[A-Za-z_]\w*)[’']")


def refused_alike(mirror: Outcome, gcc: str | None) -> bool:
    """Whether ``gcc``'s refusal of the code an entry point needs ("gcc refuses it: FILE:LINE: error: ...", as
    harness.crossraw says it) and the mirror's outcome are one refusal: the mirror says the build fails
    (ErrorKind.BUILD: a static assertion, a case overlap, an incompatible pointer, ...; never a construct it
    does not model) at a line gcc names for its error or as the macro expansion that led to it, or, for code
    that is in a header the unit does not include, gcc says a name the mirror found hidden is undeclared there.
    Both sides then agree that no such program exists; a refusal of the mirror's alone stays not compared."""
    if gcc is None or mirror.error_kind is not ErrorKind.BUILD or not mirror.error:
        return False
    hidden = hidden_names(mirror.error)
    if hidden:
        # The unit does not include the header that defines them (harness.visibility): gcc refuses the first use
        # of one, at the line of that use, which the mirror does not place; the name is the same refusal.
        return not hidden.isdisjoint(g.group("name") for g in _GCC_UNDECLARED.finditer(gcc))
    m = _MIRROR_SITE.match(mirror.error)
    if m is None:
        return False
    return m.group("where") in {g.group("where") for g in _GCC_SITE.finditer(gcc)}


def gcc_refusals(refused: dict[str, str]) -> dict[str, str]:
    """harness.crossraw's reasons ("entry (unit)" -> why) by entry name, for those where gcc itself refused
    (not a file known only from hunks, nor a call the mirror could not type)."""
    out: dict[str, str] = {}
    for key, why in refused.items():
        if why.startswith(("gcc", "needs ")) and ": error: " in why:
            out.setdefault(key.partition(" (")[0], why)
    return out

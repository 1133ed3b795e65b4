"""Why a call the mirror cannot make is refused: a definition a variant dropped, a guard or cleanup class not
modelled, or a function neither the variant's files nor the kernel primitives (models/kernel.py) define."""

from __future__ import annotations

import re

_GUARD_CALL = re.compile(r"class_(\w+)_(?:constructor|destructor)$")


def unknown_call(name: str, dropped: dict[str, str]) -> str:
    """Why a call cannot be made: the definition was dropped, is a guard class not modelled, or is missing."""
    if name in dropped:
        return f"{name}() is not available: {dropped[name]}"
    m = _GUARD_CALL.match(name)
    if m is not None:
        return f"guard class '{m.group(1)}' is not modelled (models.locking lists the classes that are)"
    if name.startswith("__free_"):
        return f"cleanup class __free({name[7:]}) is not defined (no DEFINE_FREE({name[7:]}, ...) in these files)"
    return f"call to unknown function {name}(): not defined in this variant's files (or only part of it is known " \
           "from hunks), nor a kernel function the mirror models (models/kernel.py lists them)"

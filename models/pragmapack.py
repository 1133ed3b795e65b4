"""gcc's #pragma pack in a file's slices: what is in force after each directive (models.slicer marks what it packs)."""

from __future__ import annotations

import re

_PRAGMA_PACK = re.compile(r"\s*#\s*pragma\s+pack\s*\(\s*(.*?)\s*\)")


def pragma_pack(directive: str, packs: list[str]) -> None:
    """gcc's #pragma pack (push[, n]), (pop), (n), (): what is in force after ``directive`` (``packs``)."""
    m = _PRAGMA_PACK.match(directive)
    if m is None:
        return
    args = [a.strip() for a in m.group(1).split(",") if a.strip()]
    if args[:1] == ["pop"]:
        if packs:
            packs.pop()
    elif args[:1] == ["push"]:
        packs.append(f"#pragma pack({m.group(1)})" if len(args) > 1 else (packs[-1] if packs else ""))
    elif args:
        packs[-1:] = [f"#pragma pack({m.group(1)})"]
    else:
        packs[-1:] = [""]

"""The digest of a package's own source, which cache keys name (the mirror's, the harness's)."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path


def source_digest(root: Path) -> str:
    """sha256 over each ``*.py`` below ``root``, its path from ``root`` then its bytes, in path order.

    The digest sorted(root.rglob("*.py")) with Path.read_bytes gave (order by path parts, not by string): a
    filled-cache eval works out two of these, and a Path per file cost more than the hashing (os.walk here)."""
    found: list[tuple[tuple[str, ...], bytes]] = []
    for folder, _, names in os.walk(root):
        rel = os.path.relpath(folder, root)
        parts = () if rel == os.curdir else tuple(rel.split(os.sep))
        for name in names:
            if name.endswith(".py"):
                with open(os.path.join(folder, name), "rb") as f:
                    found.append(((*parts, name), f.read()))
    found.sort(key=lambda one: one[0])
    h = hashlib.sha256()
    for parts, data in found:
        h.update("/".join(parts).encode() + b"\0" + data)
    return h.hexdigest()

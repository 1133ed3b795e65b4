"""Where seamharness keeps what it can recompute: $XDG_CACHE_HOME/seamharness (fetched threads, outcomes)."""

from __future__ import annotations

import os
from pathlib import Path


def cache_root() -> Path:
    """``$XDG_CACHE_HOME/seamharness``; ``~/.cache/seamharness`` when it is unset, empty or relative (the XDG
    Base Directory spec: a relative path is invalid and is ignored)."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    return (Path(base) if os.path.isabs(base) else Path.home() / ".cache") / "seamharness"


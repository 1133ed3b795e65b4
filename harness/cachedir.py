"""Where seamharness keeps what it can recompute: $XDG_CACHE_HOME/seamharness (fetched threads, outcomes)."""

from __future__ import annotations

import os
from pathlib import Path


def cache_root() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "seamharness"

"""Where seamharness keeps what it can recompute: $XDG_CACHE_HOME/seamharness (fetched threads, outcomes)."""

from __future__ import annotations

import os
from pathlib import Path


def cache_root() -> Path:
    """``$XDG_CACHE_HOME/seamharness``; ``~/.cache/seamharness`` when it is unset, empty or relative (the XDG
    Base Directory spec: a relative path is invalid and is ignored)."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    return (Path(base) if os.path.isabs(base) else Path.home() / ".cache") / "seamharness"


def cache_report(prune: bool = False, clear: bool = False) -> list[str]:
    """``seamharness cache``: the outcome cache's lines (pruned of entries an older mirror wrote, or cleared,
    first), then the fetched threads' (never removed: --offline reads them). Raises UsageError when the cache
    folder cannot be one (XDG_CACHE_HOME naming a file: "0 entries" would hide that no cache can be kept)."""
    import time

    from harness.errors import UsageError
    from harness.lore import default_cache
    from harness.outcome_cache import OutcomeCache, default_cache_dir
    from harness.threadcache import DEFAULT_MAX_AGE, usage

    folder = default_cache_dir()
    above = next(p for p in (folder, *folder.parents) if p.exists())
    if not above.is_dir():
        raise UsageError(None, f"cache folder {folder}: {above} is not a directory")
    store = OutcomeCache(folder)
    lines = [f"removed {store.prune(everything=clear)} entries"] if prune or clear else []
    u = store.usage()
    lines.append(f"{u.folder}: {u.entries} entries, {u.size / 1e6:.1f} MB, {u.stale} stale")
    count, size, expired, oldest = usage(default_cache(), DEFAULT_MAX_AGE, time.time())
    age = f"; the oldest {oldest.origin()}, {oldest.age_text()}" if oldest else ""
    lines.append(f"{default_cache()}: {count} fetched threads, {size / 1e6:.1f} MB, {expired} of them "
                 f"{DEFAULT_MAX_AGE} minutes old or more, or of unknown age: series, eval and gate download those "
                 f"anew (--cache-max-age), --offline reads them as they are{age}; never removed here (remove them "
                 "by hand)")
    return lines

"""``seamharness cache``'s lines: the outcome cache, the whole runs kept and the fetched threads, with sizes."""

from __future__ import annotations

from pathlib import Path

from harness import outcome_cache
from harness.errors import UsageError, os_reason


def _stale_said(stale: int) -> str:
    """What stale entries are and what to do with them: a bare "4223 stale" told neither."""
    return " (written by another version of the mirror: never read, --prune removes them)" if stale else ""


def _size(n: int) -> str:
    """A size for a person, in decimal units: bytes below 1 kB, kB (1,000 bytes) below 1 MB, else MB."""
    if n < 1000:
        return f"{n} B"
    return f"{n / 1e3:.1f} kB" if n < 1_000_000 else f"{n / 1e6:.1f} MB"


def cache_report(prune: bool = False, clear: bool = False, threads: Path | None = None) -> list[str]:
    """``seamharness cache``: the outcome cache's lines (pruned of entries an older mirror wrote, or cleared,
    first), then the fetched threads' in ``threads`` (--cache-dir; default harness.lore.default_cache), never
    removed here (--offline reads them). Raises UsageError when the cache
    folder cannot be one (XDG_CACHE_HOME naming a file: "0 entries" would hide that no cache can be kept)."""
    import time

    from harness.lore import default_cache
    from harness.threadcache import DEFAULT_MAX_AGE, usage

    folder = outcome_cache.default_cache_dir()
    above = next(p for p in (folder, *folder.parents) if p.exists())
    if not above.is_dir():
        raise UsageError(None, f"cache folder {folder}: {above} is not a directory")
    kept = threads or default_cache()
    try:  # before anything is removed: a bad --cache-dir is a bad option
        kept_is_file = kept.exists() and not kept.is_dir()
    except OSError as exc:  # a name longer than the system takes (ENAMETOOLONG): pathlib raises it
        raise UsageError(f"--cache-dir {kept}", os_reason(exc)) from exc
    if kept_is_file:
        raise UsageError(f"--cache-dir {kept}", "not a directory")
    store = outcome_cache.OutcomeCache(folder)
    lines = [f"removed {store.prune(everything=clear)} entries"] if prune or clear else []
    u = store.usage()
    most = _size(outcome_cache.MAX_CACHE_BYTES)  # read at the call: tests set a small one
    lines.append(f"{u.folder}: {u.entries} entries, {_size(u.size)} (at most {most}: a run that writes entries "
                 f"removes the least recently used past it), {u.stale} stale{_stale_said(u.stale)}")
    lines += _runs_lines(clear)
    if threads is not None and not kept.exists():  # a misspelt --cache-dir read as "0 fetched threads" otherwise
        return [*lines, f"{kept}: no such folder (--cache-dir): no thread was fetched there"]
    count, size, expired, oldest = usage(kept, DEFAULT_MAX_AGE, time.time())
    age = f"; the oldest {oldest.origin()}, {oldest.age_text()}" if oldest else ""
    lines.append(f"{kept}: {count} fetched thread{'' if count == 1 else 's'}, {_size(size)}, "
                 f"{expired} of them {DEFAULT_MAX_AGE} minutes old or more, or of unknown age: series, eval, apply, "
                 f"gate and crosscheck download those anew (--cache-max-age), --offline reads them as they are{age}; "
                 "never removed here (remove them by hand)")
    return lines


def _runs_lines(clear: bool) -> list[str]:
    """The whole runs kept (harness.runcache): removed with --clear, as the outcomes they were made of."""
    from harness.runcache import MAX_RUNS_BYTES, clear_runs, runs_folder, runs_kept

    lines = [f"removed {clear_runs()} kept runs"] if clear else []
    count, size = runs_kept()
    return [*lines, f"{runs_folder()}: {count} whole run{'' if count == 1 else 's'} kept, {_size(size)} (at most "
                    f"{_size(MAX_RUNS_BYTES)}): an eval or gate whose inputs are an earlier one's replays its results"]

"""A persistent cache of mirror outcomes, keyed by the code that ran, the scenario inputs and the mirror itself.

Re-running eval or gate on unchanged code (a CI gate on every push) then skips the mirror. Entries are
JSON lines, never pickle; a missing, stale or damaged entry is simply a miss.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
from collections.abc import Callable, Iterator
from functools import lru_cache
from json.scanner import make_scanner
from pathlib import Path
from typing import Any

from harness.atomic import write_entry
from harness.cachedir import cache_root
from harness.errors import UsageError, os_reason
from harness.heldwrites import entry_text, hold_entry, hold_maker, hold_trim, holding
from models.outcome import (
    NO_COVERAGE,
    NO_LOG_SOURCES,
    OUTCOME_KEYS,
    Coverage,
    LogSource,
    LogSources,
    Outcome,
    mirror_version,
    outcome_from_dict,
)
from models.record import record

# The largest outcome (as JSON) the cache keeps; a group holding a bigger one is not written and simply
# reruns next time. With the mirror's record caps an outcome is at most a few tens of KB (100 SEAMCALLs
# are ~17 KB); only very long log lines get past this, and they must not fill the disk.
MAX_OUTCOME_BYTES = 64 * 1024
# The most the cache holds (as ccache's max_size, 5 GB there): a run that ran code and so wrote entries then
# removes the least recently used (by mtime: a hit touches its entry) down to TRIM_TO of it. The corpus' whole
# cache is about 3 MB; a run that ran nothing reads no sizes.
MAX_CACHE_BYTES = 512 * 1000 * 1000
TRIM_TO = 0.8


def default_cache_dir() -> Path:
    return cache_root() / "outcomes"


_ENTRY = re.compile(r"[0-9a-f]{64}\.json")
_SHARD = re.compile(r"[0-9a-f]{2}")  # key[:2]: at most 256 folders of entries per mirror
_MIRROR = re.compile(r"[0-9a-f]{16}")  # the folder of one mirror's entries (mirror_tag)


def mirror_tag() -> str:
    """The folder this mirror's entries are kept in: which mirror wrote an entry is then known from where it is,
    and 'seamharness cache' counts and sizes a cache of any size from directory listings and stat alone."""
    return _tag(mirror_version())


@lru_cache(maxsize=4)
def _tag(version: str) -> str:
    return hashlib.sha256(version.encode()).hexdigest()[:16]


def _sum(data: bytes) -> str:
    """An entry's digest: BLAKE2b (32 bytes, 64 hex digits), never shown; CPython's _blake2 hashes 4x faster than the
    builtin sha256 the command line has (harness.launch.builtin_hashes). Keys too (OutcomeCache.key)."""
    return hashlib.blake2b(data, digest_size=32).hexdigest()


@record
class CacheUsage:
    """What the cache holds: entries, bytes, and entries a different mirror wrote (or unreadable ones)."""

    folder: Path
    entries: int
    size: int
    stale: int


def open_cache(folder: Path | None) -> OutcomeCache | None:
    """The cache in this folder, or none at all."""
    return OutcomeCache(folder) if folder is not None else None


# An entry is a JSON header line ({"key", "mirror", "format", "index", "blake2b", "ran", "starts", "run_sets",
# "runs", "formats", "log_sets", "log_runs"}: the group's outcomes as indexes into the lines that follow, the digest
# of those lines, the group's statement coverage, each distinct set a run executed as indexes into the sorted "ran",
# and each run's set by its index; each distinct [format, call site] a log line came from, each distinct run's
# lines as indexes into them, and each run's by its index: models.outcome.LogSources) and then each distinct outcome
# once, one per line: its fields (models.outcome.outcome_to_dict) as "key":value, compact JSON, separated by tabs
# (Outcome.json_fields: compact JSON holds no tab, a string's is escaped), so that the report writes each value's
# text without cutting the outcome apart again. Facts (put_data) are the header alone.
_FORMAT = "lines-7"  # 6: BLAKE2b digests (_sum); 7: keys too
# One JSON value from an index: (value, the index past it); StopIteration where none starts. What
# JSONDecoder.raw_decode calls, without its Python frame (typeshed types the argument as the scanner class).
_ONCE: Callable[[str, int], tuple[Any, int]] = make_scanner(json.JSONDecoder())  # type: ignore[arg-type]
_QUOTED = {f'"{k}"': k for k in OUTCOME_KEYS}  # each key as the line writes it: the key
# Outcome lines decoded by any cache object of this process, by their text (what an outcome is): the runs of one
# process (a test session's, a library caller's) read the same outcomes again through new cache objects, and decoding
# one is most of reading an entry. Bounded by the characters held: past it the table starts again.
_DECODED: dict[str, Outcome] = {}
MAX_DECODED_CHARS = 8 << 20  # a test session of 130 gate runs held 0.4 M
_decoded_chars = 0


class OutcomeCache:
    """Outcomes of one code group over its scenarios, one file per key."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        # The digest of each group entry this object read or wrote whole (its header, which holds its outcomes'
        # digest): what the group's outcomes are, for the keys of what is worked out from them (harness.comparecache).
        self.digests: dict[str, str] = {}

    def __getstate__(self) -> dict[str, Any]:
        return {"folder": self.folder, "digests": {}}  # a worker gets the folder, not what was read

    def key(self, description: str) -> str:
        """An entry's key (its file's name): _sum of the mirror's version and ``description``, 64 hex digits (the
        corpus' eval hashes some 0.5 MB of descriptions: 4x the builtin sha256's speed, lines-7)."""
        return _sum(f"{mirror_version()}\0{description}".encode())

    def _path(self, key: str) -> Path:
        return self.folder / mirror_tag() / key[:2] / f"{key}.json"

    def _write(self, key: str, data: bytes) -> None:
        """An entry written whole or not at all (harness.atomic.write_entry); UsageError when it cannot be. In a
        command line's process (defer_writes) it is held until start_writes, and read from where it is held."""
        folder, name = os.path.join(self.folder, mirror_tag(), key[:2]), f"{key}.json"
        if holding():
            hold_entry(self._path(key), folder, name, data)
        else:
            write_entry(folder, name, data)

    def get(self, key: str, count: int) -> list[Outcome] | None:
        """A group's ``count`` outcomes, or None (absent, stale, damaged, or of another size)."""
        found = self.get_group(key, count)
        return found[0] if found is not None else None

    def get_group(self, key: str, count: int) -> tuple[list[Outcome], Coverage] | None:
        """get, with the group's statement coverage."""
        try:
            path = self._path(key)
            head, _, body = entry_text(path).partition("\n")
            data = json.loads(head)
            if (data.get("key") != key or data.get("format") != _FORMAT or len(data["index"]) != count
                    or _sum(body.encode()) != data["blake2b"]):
                return None
            _used(path)
            table = [self._decode(line) for line in body.split("\n")] if body else []
            ran = [str(x) for x in data["ran"]]
            sets = [frozenset(ran[i] for i in one) for one in data["run_sets"]]
            runs = tuple(sets[i] for i in data["runs"])
            if len(runs) not in (0, count):  # none: not known (put without them), which rules read as nothing shown
                return None
            starts = frozenset(map(str, data["starts"]))
            log = _log_sources(data, count)
            deps = tuple(tuple((str(a), str(b), str(c), str(d), str(e)) for a, b, c, d, e in run)
                         for run in data.get("lock_deps", ()))
            if len(deps) not in (0, count):
                return None
            found = [table[i] for i in data["index"]], Coverage(frozenset(ran), starts, runs, log, deps)
            self.digests[key] = _sum(head.encode())
            return found
        except (OSError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError):
            return None  # RecursionError: arrays nested past json's depth (a damaged or planted entry)

    def entry_digest(self, key: str) -> str | None:
        """The digest get_group and put record (self.digests), of an entry another process wrote (a worker's)."""
        if key not in self.digests:
            try:
                head, _, body = entry_text(self._path(key)).partition("\n")
                data = json.loads(head)
                if data.get("key") == key and data.get("format") == _FORMAT \
                        and _sum(body.encode()) == data["blake2b"]:
                    self.digests[key] = _sum(head.encode())
            except (OSError, ValueError, KeyError, AttributeError, RecursionError):
                return None
        return self.digests.get(key)

    def _decode(self, line: str) -> Outcome:
        """An outcome line as an Outcome, decoded once per process (code groups and runs share many outcomes);
        its fields' JSON texts are the line's, which the reports then reuse (Outcome.json_fields)."""
        global _decoded_chars
        o = _DECODED.get(line)
        if o is None:
            data, texts = _fields(line)
            o = outcome_from_dict(data)
            o.__dict__["json_fields"] = texts  # the cached_property, already known
            if o.ran:  # one that did not run is the same only as itself (harness.explain.signature)
                if _decoded_chars + len(line) > MAX_DECODED_CHARS:
                    _DECODED.clear()
                    _decoded_chars = 0
                _DECODED[line] = o
                _decoded_chars += len(line)
        return o

    def put(self, key: str, outcomes: list[Outcome], coverage: Coverage = NO_COVERAGE) -> bool:
        """Keep a group's outcomes, each distinct one once; False when one is larger than MAX_OUTCOME_BYTES
        or the write failed."""
        seen: dict[Outcome, int] = {}
        index = [seen.setdefault(o, len(seen)) for o in outcomes]
        encoded = ["\t".join([f'"{k}":{v}' for k, v in o.json_fields]) for o in seen]
        if any(len(e) > MAX_OUTCOME_BYTES for e in encoded):
            return False
        body = "\n".join(encoded).encode()
        # Each distinct set once: a group's runs are a few sets, each held by many runs (the corpus' 90 code groups:
        # 6,300 runs' sets walked, for 499 distinct ones).
        ran = sorted(coverage.ran.union(*dict.fromkeys(coverage.runs)))
        where = {w: i for i, w in enumerate(ran)}
        sets: dict[frozenset[str], int] = {}
        runs = [sets.setdefault(r, len(sets)) for r in coverage.runs]
        log_sets: dict[tuple[int, ...], int] = {}
        log_runs = [log_sets.setdefault(r, len(log_sets)) for r in coverage.log.runs]
        head = json.dumps({"key": key, "mirror": mirror_version(), "format": _FORMAT, "index": index,
                           "blake2b": _sum(body), "ran": ran,
                           "starts": sorted(coverage.starts), "run_sets": [sorted(where[w] for w in r) for r in sets],
                           "runs": runs, "formats": [_format_row(f) for f in coverage.log.formats],
                           "log_sets": list(log_sets), "log_runs": log_runs,
                           # each run's lock-order dependencies (models.lockdep.run_deps()), where any run has some
                           **({"lock_deps": coverage.deps} if coverage.deps else {})}, separators=(",", ":"))
        try:
            self._write(key, b"%s\n%s" % (head.encode(), body))
        except UsageError:  # an unwritable cache only costs speed
            return False
        self.digests[key] = _sum(head.encode())
        return True

    def get_data(self, key: str) -> Any:
        """Other facts kept under a key (code facts of a piece of code); None when absent or damaged."""
        try:
            path = self._path(key)
            data = json.loads(entry_text(path).partition("\n")[0])
            if data.get("key") != key:
                return None
            _used(path)
            return data["data"]
        except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
            return None

    def put_data(self, key: str, value: Any) -> None:
        payload = json.dumps({"key": key, "mirror": mirror_version(), "data": value}, separators=(",", ":"))
        if len(payload) <= MAX_OUTCOME_BYTES * 16:
            with contextlib.suppress(UsageError):  # an unwritable cache only costs speed
                self._write(key, payload.encode())

    def put_data_later(self, key: str, make: Callable[[], Any]) -> None:
        """put_data(key, make()) unless make() gives None; where entries are held (defer_writes), ``make`` is called by
        start_writes' child, off this process' path (until then get_data misses the key), else now."""
        if holding():
            hold_maker(self, key, make)
            return
        value = make()
        if value is not None:
            self.put_data(key, value)

    def _entries(self) -> Iterator[tuple[os.DirEntry[str], bool]]:
        """Every entry as (path, whether this mirror wrote it), folder by folder, never all held at once.
        Only files this cache names itself, so a mistyped folder never loses anything else; the entries of
        the layout before mirror folders (FOLDER/ab/KEY.json) are never read again: another mirror's."""
        current = mirror_tag()
        for top in _listing(self.folder):
            if _MIRROR.fullmatch(top.name):
                for shard in _listing(top.path):
                    if _SHARD.fullmatch(shard.name):
                        yield from ((e, top.name == current) for e in _files(shard.path))
            elif _SHARD.fullmatch(top.name):
                yield from ((e, False) for e in _files(top.path))

    def usage(self) -> CacheUsage:
        """Entries, bytes and entries of another mirror, from the folders and one stat per entry: no entry is
        opened (a damaged entry of this mirror is a miss, rewritten by the run that misses it)."""
        entries = size = stale = 0
        for entry, current in self._entries():
            with contextlib.suppress(OSError):  # removed meanwhile by another run's trim
                size += entry.stat().st_size
                entries += 1
                stale += not current
        return CacheUsage(self.folder, entries, size, stale)

    def trim(self, limit: int | None = None) -> int:
        """When the entries hold more than ``limit`` bytes (default MAX_CACHE_BYTES), remove the least recently
        used (oldest mtime) until they hold TRIM_TO of it; the number removed. One stat per entry; one another
        process is reading or removing is passed over (a reader then misses, as with any absent entry)."""
        if limit is None and holding():
            hold_trim(self)  # once its entries are written (start_writes): they are of its size
            return 0
        limit = MAX_CACHE_BYTES if limit is None else limit
        sized = []
        for entry, _ in self._entries():
            with contextlib.suppress(OSError):
                st = entry.stat()
                sized.append((st.st_mtime_ns, st.st_size, Path(entry.path)))
        total = sum(size for _, size, _ in sized)
        removed = 0
        for _, size, path in sorted(sized) if total > limit else ():
            if total <= limit * TRIM_TO:
                break
            with contextlib.suppress(OSError):
                path.unlink()
                removed += 1
                total -= size
                self._drop_folders(path)
        return removed

    def _drop_folders(self, path: Path) -> None:
        """After ``path`` was removed, its key folder and then its mirror's folder, when they are empty."""
        for folder in (path.parent, path.parent.parent):
            if folder == self.folder:
                return
            try:
                folder.rmdir()  # only succeeds once the folder is empty
            except OSError:
                return

    def prune(self, everything: bool = False) -> int:
        """Remove the entries another mirror wrote (all of them with ``everything``); the number removed."""
        removed = 0
        last: Path | None = None  # the last entry removed: its folders go once the listing has left them
        for entry, current in self._entries():
            if everything or not current:
                path = Path(entry.path)
                try:
                    path.unlink(missing_ok=True)
                except OSError as exc:
                    raise UsageError(str(path), f"cannot remove: {os_reason(exc)}") from exc
                removed += 1
                if last is not None and last.parent != path.parent:
                    self._drop_folders(last)
                last = path
        if last is not None:
            self._drop_folders(last)
        return removed


def _fields(line: str) -> tuple[dict[str, Any], tuple[tuple[str, str], ...]]:
    """An outcome line's fields, decoded, and each key with its value's text; ValueError unless each tab-separated
    field is one key outcome_to_dict writes, once, and one whole JSON value (a damaged entry: a miss)."""
    data: dict[str, Any] = {}
    texts = []
    for piece in line.split("\t"):
        key, _, text = piece.partition(":")
        name = _QUOTED.get(key)
        if name is None:
            raise ValueError(f"not an outcome field: {key[:40]!r}")
        try:
            data[name], end = _ONCE(text, 0)
        except StopIteration as exc:  # what the scanner raises where no JSON value starts
            raise ValueError("no JSON value") from exc
        if end != len(text):
            raise ValueError("more than one JSON value")
        texts.append((name, text))
    if len(data) != len(texts):
        raise ValueError("a field twice")
    return data, tuple(texts)


def _format_row(f: LogSource) -> list[object]:
    """A LogSource as an entry keeps it: [fmt, site], and true after them for a %pV's inner format (LogSource.inner)."""
    return [f.fmt, f.site, True] if f.inner else [f.fmt, f.site]


def _format_of(row: list[object]) -> LogSource:
    """_format_row() read back; ValueError for another shape (a damaged entry: a miss)."""
    if len(row) == 2 or (len(row) == 3 and row[2] is True):
        return LogSource(str(row[0]), str(row[1]), len(row) == 3)
    raise ValueError("a log line's source of another shape")


def _log_sources(data: dict[str, Any], count: int) -> LogSources:
    """An entry's LogSources; ValueError when they do not fit its runs (a damaged entry: a miss)."""
    formats = tuple(_format_of(row) for row in data["formats"])
    sets = [tuple(int(i) for i in one) for one in data["log_sets"]]
    if any(not -1 <= i < len(formats) for one in sets for i in one):
        raise ValueError("a log line's format index out of range")
    runs = tuple(sets[i] for i in data["log_runs"])
    if len(runs) not in (0, count):
        raise ValueError("log sources of another number of runs")
    return LogSources(formats, runs) if formats else NO_LOG_SOURCES


def _listing(folder: str | Path) -> Iterator[os.DirEntry[str]]:
    """The folders in ``folder`` (none when it is not one), as the OS lists them: nothing is sorted or held."""
    try:
        with os.scandir(folder) as it:
            yield from (e for e in it if e.is_dir(follow_symlinks=False))
    except OSError:
        return


def _files(folder: str) -> Iterator[os.DirEntry[str]]:
    """The entries' files in one key folder."""
    try:
        with os.scandir(folder) as it:
            yield from (e for e in it if _ENTRY.fullmatch(e.name) and e.is_file())
    except OSError:
        return


def _used(path: Path) -> None:
    """Mark an entry used now (its mtime), for trim()'s least-recently-used order; a read-only cache keeps its."""
    with contextlib.suppress(OSError):
        os.utime(path)

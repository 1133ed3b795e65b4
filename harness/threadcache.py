"""The lore thread cache's records: when and from where each cached thread was fetched, and how old it is."""

from __future__ import annotations

import errno
import json
import os
import stat
from dataclasses import replace
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from harness.atomic import atomic_write_bytes
from harness.errors import os_reason
from models.lazyre import lazy
from models.record import record

# Minutes a fetched thread is used before it is downloaded again: b4's ``cache-expire`` default (b4's
# DEFAULT_CONFIG; b4 deletes its cached threads older than that when it starts). A thread grows as replies
# come, and a review that lands after the copy was made must reach the next run.
DEFAULT_MAX_AGE = 10
RECORD_SCHEMA = "seamharness-thread/1"
# The largest thread downloaded (harness.lorehttp) and so the largest file of the cache read back.
MAX_DOWNLOAD = 64 * 1024 * 1024


class CopyKind(StrEnum):
    """Which copy of a thread a run rests on."""

    DOWNLOADED = "downloaded"  # downloaded by this run
    CACHED = "cached"  # a cached copy younger than the maximum age
    OFFLINE = "offline"  # --offline: the cached copy, whatever its age
    STALE = "stale"  # older than the maximum age (or of unknown age), and downloading it again failed


@record
class Record:
    """What was written beside a cached thread when it was downloaded: the URL, the UTC time the download
    started (so the copy holds at least what the server had then), and the digest that ties it to the file.
    ``asked`` is the thread URL the download was for, which the cache is keyed by (harness.lore): ``url`` itself,
    unless that answered 404 and a HEAD lookup of the id led to ``url`` (``led`` "head"), or the server redirected
    it there (``led`` "redirect") (harness.lorehttp.download_thread)."""

    url: str
    fetched_at: datetime
    sha256: str
    asked: str
    led: str = ""


@record
class ThreadCopy:
    """The copy of a thread (Message-ID ``msgid``) an input rests on, as the reports describe it.

    ``age`` is in seconds when it was used; None when unknown (``unknown`` says why: no record, a file its
    record does not describe, a record from the future). ``max_age`` is in minutes (None with --offline);
    ``failure`` is why downloading it again failed (kind STALE). ``asked`` is the thread URL the copy answers
    (Record.asked), None without a record.
    """

    msgid: str
    path: Path
    kind: CopyKind
    url: str | None
    fetched_at: datetime | None
    age: float | None
    max_age: int | None
    unknown: str | None = None
    failure: str | None = None
    asked: str | None = None
    led: str = ""  # how ``asked`` led to ``url`` (Record.led)

    @property
    def expired(self) -> bool:
        """Too old to use without downloading again: past the maximum age, or of unknown age."""
        return self.age is None or self.max_age is None or self.age >= self.max_age * 60

    def age_text(self) -> str:
        """``42 minutes old``, ``less than a minute old`` or ``of unknown age (why)``."""
        if self.age is None:
            return f"of unknown age ({self.unknown})"
        minutes = int(self.age // 60)
        if minutes == 0:
            return "less than a minute old"
        days = f" ({self.age / 86400:.1f} days)" if self.age >= 2 * 86400 else ""
        return f"{minutes:,} minute{'s' if minutes != 1 else ''}{days} old"

    def past(self) -> str:
        """``, past --cache-max-age 10`` for a copy of known age past the maximum (else nothing)."""
        return f", past --cache-max-age {self.max_age}" if self.age is not None and self.expired else ""

    def origin(self) -> str:
        """``fetched 2026-11-30 12:00:03 UTC from URL``, or what is known of it."""
        when = f"fetched {self.fetched_at:%Y-%m-%d %H:%M:%S} UTC" if self.fetched_at else "fetched at an unknown time"
        if self.url and self.asked and self.asked != self.url and self.led == "redirect":
            return f"{when} from {self.url} (the server redirected {self.asked} there)"
        if self.url and self.asked and self.asked != self.url:
            return f"{when} from {self.url} (a HEAD lookup led there: {self.asked} answered 404)"
        return f"{when} from {self.url}" if self.url else when

    def describe(self) -> str:
        """One line for a report: which copy, fetched when and from where, how old, and what that means."""
        head = f"thread <{self.msgid}>: "
        if self.kind is CopyKind.DOWNLOADED:
            return head + f"downloaded now, {self.origin()}"
        copy = f"cached copy {self.origin()}, {self.age_text()}"
        if self.kind is CopyKind.CACHED:
            return head + f"{copy} (--cache-max-age {self.max_age} minutes)"
        if self.kind is CopyKind.OFFLINE:
            return head + f"{copy} (--offline: replies sent since are not in it)"
        return head + (f"STALE {copy}{self.past()}: downloading it again failed ({self.failure}); replies sent "
                       "since are not in it")

    def as_dict(self) -> dict[str, Any]:
        """The JSON form (``threads`` of report.json, the gate JSON and ``series --json``)."""
        return {"msgid": self.msgid, "copy": self.kind.value, "url": self.url,
                "fetched_at": self.fetched_at.strftime("%Y-%m-%dT%H:%M:%SZ") if self.fetched_at else None,
                "age_seconds": None if self.age is None else int(self.age), "age_unknown": self.unknown,
                "max_age_minutes": self.max_age, "refresh_failed": self.failure, "asked_url": self.asked}


# What harness.atomic leaves of a write into the cache when the process is killed outright (SIGKILL, the OOM
# killer, a power cut): ".<digest>.mbox.gz.XXXXXXXX" or ".<digest>.json.XXXXXXXX", up to 64 MiB each, seen by nothing.
_LEFTOVER = lazy(r"^\.[0-9a-f]{24}\.(?:mbox\.gz|json)\.\w+$")
LEFTOVER_AGE = 3600  # seconds: a write in progress lasts a moment; one this old was cut off


def sweep_leftovers(folder: Path, now: float) -> int:
    """Remove the temporary files of writes into the thread cache ``folder`` cut off at least LEFTOVER_AGE
    seconds before ``now`` (another run's write in progress is younger); how many were removed."""
    removed = 0
    try:
        entries = list(folder.iterdir())
    except OSError:  # no folder yet, or one the write itself will report
        return 0
    for entry in entries:
        if _LEFTOVER().match(entry.name):
            try:
                if now - entry.lstat().st_mtime >= LEFTOVER_AGE:
                    entry.unlink()
                    removed += 1
            except OSError:  # gone meanwhile, or not ours to remove: it is left
                continue
    return removed


def read_cached(path: Path, limit: int = MAX_DOWNLOAD) -> bytes:
    """The bytes of a file of the thread cache. OSError for what no download wrote there, read no further: not a
    regular file (a FIFO would block for ever, /dev/zero never end) or larger than ``limit`` (any download's cap)."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)  # a FIFO opens at once, to be refused below
    with os.fdopen(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(errno.EINVAL, "not a regular file")
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise OSError(errno.EFBIG, f"larger than any download ({limit:,} bytes)")
    return data


def record_path(mbox: Path) -> Path:
    """``<digest>.json`` beside ``<digest>.mbox.gz``."""
    return mbox.with_name(mbox.name.removesuffix(".mbox.gz") + ".json")


def write_record(mbox: Path, url: str, started: float, data: bytes, asked: str | None = None,
                 led: str = "") -> Record:
    """Record the download of ``data`` (now in ``mbox``) from ``url``, started at ``started`` (Unix time), for
    the thread URL ``asked`` (``url`` when None), which ``led`` there (Record.led)."""
    import hashlib  # here: it loads OpenSSL, 5 ms of a start that reads no fetched thread

    rec = Record(url, datetime.fromtimestamp(int(started), UTC), hashlib.sha256(data).hexdigest(), asked or url,
                 led if (asked or url) != url else "")
    text = json.dumps({"schema": RECORD_SCHEMA, "url": rec.url, "asked_url": rec.asked, "led_by": rec.led, "fetched_at":
                       rec.fetched_at.strftime("%Y-%m-%dT%H:%M:%SZ"), "sha256": rec.sha256, "bytes": len(data)},
                      indent=1) + "\n"
    atomic_write_bytes(record_path(mbox), text.encode(), make_parents=True)
    return rec


def read_record(mbox: Path) -> tuple[Record | None, str | None]:
    """The record of a cached thread, or None and why there is none that describes this very file (the
    file was replaced after its download, by hand or by a seamharness that wrote no records)."""
    try:
        doc = json.loads(read_cached(record_path(mbox), 1 << 16))
        # A record an older seamharness wrote has no asked_url: it asked for the URL it downloaded.
        rec = Record(str(doc["url"]), datetime.fromisoformat(doc["fetched_at"]), str(doc["sha256"]),
                     str(doc.get("asked_url") or doc["url"]), str(doc.get("led_by") or ""))
        if doc.get("schema") != RECORD_SCHEMA or rec.fetched_at.utcoffset() is None:
            raise ValueError("not a record of this format")
    except FileNotFoundError:
        return None, "no record of its download"
    except (OSError, ValueError, TypeError, KeyError, RecursionError) as exc:  # JSONDecodeError is a ValueError
        return None, f"its record {record_path(mbox).name} cannot be read: {os_reason(exc)}"
    import hashlib

    try:
        digest = hashlib.sha256(read_cached(mbox)).hexdigest()
    except OSError as exc:  # reading it for the run would fail too, and say so there
        return None, f"cannot be read: {os_reason(exc)}"
    if digest != rec.sha256:
        return None, "the file changed since its recorded download"
    return rec, None


def cached_copy(msgid: str, mbox: Path, kind: CopyKind, max_age: int | None, now: float) -> ThreadCopy:
    """The cached ``mbox`` of ``msgid`` as of ``now`` (Unix time). A record dated after ``now`` (the clock was
    set back, a copy from a machine whose clock runs ahead) gives no age: it is never "fresh" for ever."""
    rec, why = read_record(mbox)
    if rec is None:
        return ThreadCopy(msgid, mbox, kind, None, None, None, max_age, why)
    age = now - rec.fetched_at.timestamp()
    if age < 0:
        ahead = (f"its record says {rec.fetched_at:%Y-%m-%d %H:%M:%S} UTC, {-age / 60:.0f} minutes after this "
                 "machine's clock now (was the clock set back?)")
        return ThreadCopy(msgid, mbox, kind, rec.url, rec.fetched_at, None, max_age, ahead, asked=rec.asked,
                          led=rec.led)
    return ThreadCopy(msgid, mbox, kind, rec.url, rec.fetched_at, age, max_age, asked=rec.asked, led=rec.led)


def downloaded(msgid: str, mbox: Path, rec: Record, max_age: int | None, now: float) -> ThreadCopy:
    """The copy this run downloaded."""
    return ThreadCopy(msgid, mbox, CopyKind.DOWNLOADED, rec.url, rec.fetched_at,
                      max(0.0, now - rec.fetched_at.timestamp()), max_age, asked=rec.asked, led=rec.led)


def stale(copy: ThreadCopy, failure: str) -> ThreadCopy:
    """``copy`` used although expired, because downloading it again failed (``failure``, one line)."""
    return replace(copy, kind=CopyKind.STALE, failure=" ".join(failure.split()))


def usage(folder: Path, max_age: int, now: float) -> tuple[int, int, int, ThreadCopy | None]:
    """The threads cached in ``folder``: (count, bytes, how many a run would download again at ``max_age``
    minutes, the oldest copy of known age)."""
    threads = sorted(folder.glob("*.mbox.gz")) if folder.is_dir() else []
    copies = [cached_copy("", t, CopyKind.CACHED, max_age, now) for t in threads]
    size = sum(t.stat().st_size + (r.stat().st_size if (r := record_path(t)).exists() else 0) for t in threads)
    known = [c for c in copies if c.age is not None]
    oldest = max(known, key=lambda c: c.age or 0.0) if known else None
    return len(threads), size, sum(c.expired for c in copies), oldest

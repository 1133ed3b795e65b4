"""Fetching a thread from a lore (public-inbox) server by Message-ID, with a local cache."""

from __future__ import annotations

import os
import re
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from harness.atomic import atomic_write_bytes, resolve_output, write_output
from harness.cachedir import cache_root
from harness.errors import InputError, UsageError, os_reason
from harness.threadcache import (
    DEFAULT_MAX_AGE,
    CopyKind,
    ThreadCopy,
    cached_copy,
    downloaded,
    read_cached,
    stale,
    sweep_leftovers,
    write_record,
)
from models.lazyre import lazy
from models.record import record

DEFAULT_LORE = "https://lore.kernel.org"
# A bare id cannot hold "/" (it would be a path that does not exist); in <...> or after "id:" it can (RFC 5322
# atext).
_MSGID = lazy(r"^[^<>\s@]+@[^<>\s]+$")
_BARE = lazy(r"^[^<>\s/@]+@[^<>\s/]+$")
# notmuch's "id:", RFC 2392's "mid:", Gmail's "rfc822msgid:" before an id: b4 parse_msgid drops them.
_ID_PREFIX = lazy(r"^\w*id:")
# The id in a lore URL is percent-encoded ("/" as %2F, and "@" as %40 when a browser copied it).
_LORE_URL = lazy(r"^https?://[^/]+/(?:([^/]+)/)?([^/]+(?:@|%40)[^/]+)/?", re.IGNORECASE)
# Any other URL with an id in its path (a public-inbox under a prefix, https://HOST/PREFIX/LIST/ID/): the id, fetched
# from the lore server, as b4 parse_msgid's last try reads it.
_DEEP_URL = lazy(r"^https?://[^@]+/([^/]+(?:@|%40)[^/]+)", re.IGNORECASE)
# A patchwork page of a patch (b4 parse_msgid): its id, fetched from the lore server, never from patchwork.
_PATCHWORK = lazy(r"^https?://.*/project/.*/patch/([^/]+@[^/]+)", re.IGNORECASE)


@record
class FetchRequest:
    """A thread to fetch: its Message-ID, the server, the cache and whether to go online.

    A cached copy younger than ``max_age`` minutes is used as it is (0: always download; DEFAULT_MAX_AGE,
    b4's cache-expire); an older one is downloaded anew. When that download fails, the old copy is used with
    a warning if ``stale_ok`` (series, eval), else the failure is an error (gate, fetch). ``offline`` uses the
    cached copy whatever its age.
    """

    msgid: str
    lore: str = DEFAULT_LORE
    cache_dir: Path | None = None
    offline: bool = False
    out: Path | None = None
    timeout: float = 30.0  # seconds one read from the server may take
    refresh: bool = False  # download even when cached (seamharness fetch: a thread grows as replies come)
    deadline: float = 300.0  # seconds the whole download may take (a server sending a byte a second)
    max_age: int = DEFAULT_MAX_AGE  # minutes
    stale_ok: bool = True
    inbox: str = "all"  # the path below the server: SERVER/INBOX/ID/t.mbox.gz (inbox_of)


def as_msgid(arg: str, paths: bool = True) -> str | None:
    """The Message-ID an argument names, or None: ``<id>``, ``id@host``, ``id:id@host`` (also ``mid:``,
    ``rfc822msgid:``, as b4 parse_msgid reads them), a lore URL or a patchwork patch URL. With ``paths`` (the
    argument may be a file's path) a bare id holding "/" is a path, not an id; without (``fetch``), it is the id,
    as b4 parse_msgid takes it."""
    # A "#" or "?" in a URL starts its fragment or query, never a part of the path (an id's own is %23, %3F): a
    # browser's link to a message in its thread ends "ID#r" or "ID/#r" alike.
    url = _before_fragment(arg)
    if (m := _PATCHWORK().match(url) or _LORE_URL().match(url) or _DEEP_URL().match(url)) is not None:
        # "<" and ">" delimit an id, never are part of it (RFC 5322 3.6.4): ".../all/%3CID%3E/" is ID's thread.
        return urllib.parse.unquote(m.group(m.lastindex or 1)).strip().strip("<>")
    text = arg.strip()
    core = _ID_PREFIX().sub("", text.strip("<>"), count=1)
    quoted = text.startswith("<") or core != text.strip("<>")  # "<...>" or "id:...": a "/" is no path's
    core = core.strip("<>")
    return core if (_MSGID if quoted or not paths else _BARE)().match(core) else None


def _before_fragment(arg: str) -> str:
    """A URL without its query and fragment, and without the white space and "<...>" around it that b4
    parse_msgid strips first (a link as mail shows it, ``<https://...>``); any other argument as it is."""
    url = arg.strip().strip("<>").strip()
    return re.split(r"[?#]", url, maxsplit=1)[0] if re.match(r"^https?://", url, re.IGNORECASE) else arg


def lore_link(msgid: str, server: str = DEFAULT_LORE) -> str:
    """The permalink of a message, ``https://lore.kernel.org/r/<id>``, its id percent-encoded as public-inbox
    writes it (PublicInbox::MID mid_escape: all but letters, digits and ``-._~!$&'()*+,;=:@``): a "/", "#",
    "?" or "%" in an id would otherwise end the path or start a fragment or query."""
    return f"{server.rstrip('/')}/r/{urllib.parse.quote(msgid, safe=chr(39) + '!$&()*+,;=:@')}"


def server_of(arg: str) -> str | None:
    """The server of a lore URL argument (``https://lore.kernel.org/all/ID/`` -> ``https://lore.kernel.org``),
    which is where its thread is fetched from; None for a bare Message-ID, and for a URL whose path is the id
    alone (``https://patch.msgid.link/ID``, a redirector) or a patchwork page: b4 fetches those from its own
    server (b4 parse_msgid takes a URL's server only from ``/LIST/ID``). A fragment or query after the id
    (``/T/#u``, ``#r``: lore's links to a message in its thread, as a browser shows them) is no part of the
    server and is left out."""
    m = _LORE_URL().match(_before_fragment(arg))
    if m is None:
        return None
    server = check_server(_before_fragment(arg), arg.strip())  # a malformed URL is refused all the same
    return None if m.group(1) is None or _PATCHWORK().match(arg) else server


def inbox_of(arg: str, lore: str) -> str:
    """The inbox whose copy of the thread is fetched: ``all`` (every list lore has), or, for a URL of another
    server than ``lore``, its own ``LIST`` of ``/LIST/ID/``, as b4 parse_msgid sets its midmask from the URL:
    a public-inbox that is not lore may have no ``/all/``."""
    server = server_of(arg)
    if server is None or urllib.parse.urlsplit(server).netloc == urllib.parse.urlsplit(server_root(lore)).netloc:
        return "all"
    m = _LORE_URL().match(_before_fragment(arg))
    return m.group(1) if m is not None and m.group(1) else "all"


def check_server(url: str, label: str = "--lore") -> str:
    """``scheme://host[:port]`` of an http(s) URL; UsageError naming ``label`` for anything else (another
    scheme, no host, a malformed one: urllib would fail, or read a file:// path, at fetch time)."""
    try:
        parts = urllib.parse.urlsplit(url)
        parts.port  # noqa: B018 (a port that is not a number raises here)
    except ValueError as exc:
        raise UsageError(label, f"not a URL ({exc})") from exc
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(label, f"not an http(s) URL: {url!r}")
    if any(ch.isspace() or not ch.isprintable() for ch in url):
        raise UsageError(label, f"not a URL: it holds white space or a control character ({url!r})")
    if parts.query or parts.fragment or parts.username is not None:
        # The thread's path is added after it: a query, fragment or password would end up somewhere else.
        raise UsageError(label, f"give the server alone, as https://lore.kernel.org (not {url!r})")
    return _origin(parts)


def _origin(parts: urllib.parse.SplitResult) -> str:
    """``scheme://host[:port]`` of a checked URL as one server has one: the host in lower case (its case is no part
    of it, RFC 3986 3.2.2) and the scheme's default port left out (6.2.3), so that ``https://LORE.kernel.org:443``
    is ``https://lore.kernel.org``."""
    host = parts.hostname or ""
    port = parts.port
    default = {"http": 80, "https": 443}.get(parts.scheme)
    return f"{parts.scheme}://{f'[{host}]' if ':' in host else host}" + (f":{port}" if port not in (None, default)
                                                                       else "")


def server_root(lore: str) -> str:
    """``lore`` (a --lore already checked) as the thread URLs start: its server as check_server gives a URL's
    (_origin), then its path; the copy cached from ``https://lore.kernel.org`` answers ``HTTPS://Lore.Kernel.Org``."""
    parts = urllib.parse.urlsplit(lore.rstrip("/"))
    return _origin(parts) + parts.path


def default_cache() -> Path:
    return cache_root() / "lore"


def cache_path(request: FetchRequest) -> Path:
    # By Message-ID alone: --offline finds a thread whichever server it came from (servers mirror threads).
    import hashlib  # here: it loads OpenSSL, 5 ms of a start that fetches nothing

    digest = hashlib.sha256(request.msgid.encode()).hexdigest()[:24]
    return (request.cache_dir or default_cache()) / f"{digest}.mbox.gz"


def thread_url(request: FetchRequest) -> str:
    """``SERVER/all/ID/t.mbox.gz``: public-inbox's whole thread of a message, gzipped (``all``: the inbox)."""
    inbox = urllib.parse.quote(request.inbox, safe="")
    return f"{server_root(request.lore)}/{inbox}/{urllib.parse.quote(request.msgid, safe='@+=')}/t.mbox.gz"


def lookup_url(request: FetchRequest) -> str:
    """``SERVER/ID/``: where public-inbox sends a bare id on to the list that holds it (asked with HEAD when the
    thread URL answers 404, as b4 does: harness.lorehttp.download_thread)."""
    return f"{server_root(request.lore)}/{urllib.parse.quote(request.msgid, safe='@+=')}/"


def fetch_thread(request: FetchRequest, progress: Callable[[str], None] = lambda _: None) -> ThreadCopy:
    """The copy of the thread to use: the cached one while younger than ``max_age`` (or ``offline``), else a
    new download (see FetchRequest for a download that fails while a cached copy exists).

    With ``out`` the mbox is also written there (``-``: stdout), as every output option writes
    (harness.atomic.write_output). Raises UsageError (offline and not cached, a cache folder that cannot
    be written), InputError (the download failed or was refused, naming the URL).
    """
    cached = cache_path(request)
    try:
        exists = cached.exists()
        given = request.cache_dir
        if given is not None and given.exists() and not given.is_dir():  # else "not in the cache (FILE/...)"
            raise UsageError(f"--cache-dir {given}", "not a directory")
    except OSError as exc:  # a cache folder name longer than the system takes, say
        raise UsageError(None, f"cache folder {cached.parent}: {os_reason(exc)}") from exc
    if request.offline and not exists:
        raise UsageError(None, f"<{request.msgid}> is not in the cache ({cached}) and --offline was given")
    kind = CopyKind.OFFLINE if request.offline else CopyKind.CACHED
    old = cached_copy(request.msgid, cached, kind, None if request.offline else request.max_age,
                      time.time()) if exists else None
    damage = _damage(old) if old is not None else None
    if damage is not None:  # cut short, emptied, overwritten: never used, not even as a stale copy
        if request.offline:
            raise InputError(str(cached), f"the cached copy of <{request.msgid}> is damaged ({damage}) and "
                                          "--offline was given: fetch it anew (seamharness fetch MSGID)")
        progress(f"the cached copy {cached} is damaged ({damage}): not used")
        old = None
    # b4 keys its cache by server and inbox too: a copy of another inbox's thread (a /LIST/ID/ URL's, which holds
    # only that list's mail) or another server's is not the one asked for; --offline takes it all the same.
    # Keyed by the URL asked for, as b4 keys by its server URL and the id: a thread a HEAD lookup found elsewhere on
    # the server (its list) answers that URL.
    elsewhere = old is not None and old.asked is not None and old.asked != thread_url(request)
    if old is not None and (request.offline or not (request.refresh or old.expired or elsewhere)):
        progress(f"using cached {cached}: {old.describe()}")
        return _deliver(request, old)
    copy = _download_into(request, cached, old, progress)
    return _deliver(request, copy)


def _download_into(request: FetchRequest, cached: Path, old: ThreadCopy | None,
                   progress: Callable[[str], None]) -> ThreadCopy:
    """Download the thread into the cache, with its record; on failure fall back to ``old`` when allowed."""
    url = thread_url(request)
    _check_folder(cached.parent)
    # Held until the download's outcome is known: a failure is one line (its error names every URL asked), not
    # a "fetching" line followed by the error that says the same.
    held: list[str] = []
    if old is not None and old.asked is not None and old.asked != url:
        held.append(f"fetching {url} (the cached copy came from {old.url})")
    else:
        held.append(f"fetching {url}" + (f" (the cached copy is {old.age_text()})" if old is not None else ""))
    started = time.time()
    from harness.lorehttp import download_thread  # only a download needs HTTP: series and eval never import it

    try:
        got = download_thread(url, lookup_url(request), request.timeout, request.deadline, held.append, request.msgid)
    except InputError as exc:
        if old is None:
            raise
        if request.refresh or not request.stale_ok:
            raise _refused(request, old, exc) from exc
        for line in held:
            progress(line)
        copy = stale(old, str(exc))
        progress(f"download failed: using the STALE cached copy, {old.age_text()} (why: below)")
        return copy
    for line in held:
        progress(line)
    sweep_leftovers(cached.parent, time.time())
    atomic_write_bytes(cached, got.data, make_parents=True)
    rec = write_record(cached, got.url, started, got.data, asked=url, led=got.led)
    progress(f"fetched {len(got.data)} bytes into {cached}")
    return downloaded(request.msgid, cached, rec, request.max_age, time.time())


def _refused(request: FetchRequest, old: ThreadCopy, exc: InputError) -> InputError:
    """The one-line error of a download that failed where the cached copy may not stand in."""
    if request.refresh:  # seamharness fetch: downloading is the whole point
        return InputError(exc.where, f"{exc.message}; the cached copy of <{request.msgid}> is {old.age_text()} "
                                     f"({old.origin()}): --offline gives it")
    # A gate never judges a thread that may lack the latest replies without being told to (--offline).
    return InputError(exc.where, f"{exc.message}; the cached copy of <{request.msgid}> is {old.age_text()}"
                                 f"{old.past()} ({old.origin()}): the gate does not judge a thread that may "
                                 "lack the replies sent since; give --offline to judge that copy")


def _damage(copy: ThreadCopy) -> str | None:
    """Why a cached copy that its record does not vouch for (no record, a file changed since) cannot be read as
    a thread, or None: it is read as every download is checked (harness.lorehttp.check_mbox). A copy its record
    describes was checked before it was cached."""
    if copy.fetched_at is not None and copy.unknown is None:
        return None
    from harness.lorehttp import check_mbox  # a copy without a record is rare: the common paths skip the import

    try:
        check_mbox(read_cached(copy.path), str(copy.path))
    except InputError as exc:
        return exc.message.removeprefix("the server sent ").replace("the server did not send an mbox", "not an mbox")
    except OSError as exc:
        return f"cannot be read: {os_reason(exc)}"
    return None


def _deliver(request: FetchRequest, copy: ThreadCopy) -> ThreadCopy:
    """With ``out``, copy the mbox there too (gzipped where its name ends '.gz' or it is '-', stdout; else unpacked);
    the copy then names ``out`` as its path."""
    if request.out is None:
        return copy
    try:
        data = read_cached(copy.path)
    except OSError as exc:  # replaced since it was checked
        raise InputError(str(copy.path), f"cannot be read: {os_reason(exc)}") from exc
    if str(request.out) != "-" and not request.out.name.endswith(".gz"):
        # Named as a plain mbox ('t.mbox', as b4 mbox -o writes one): git am and b4 am -m read it as text, and a
        # gzip there stops them ("Patch format detection failed"); the copy was checked to unpack whole.
        import gzip

        data = gzip.decompress(data)
    write_output(resolve_output(request.out, "--out"), data)
    return replace(copy, path=request.out)


def _check_folder(folder: Path) -> None:
    """Refuse, before a download that may take minutes, a cache folder that cannot be made or written: a file
    on its path, a folder that takes no new folder or file (/proc, read-only) (UsageError)."""
    try:
        above = next(p for p in (folder, *folder.parents) if p.exists())
    except OSError as exc:  # a name longer than the system takes, say
        raise UsageError(None, f"cache folder {folder}: {os_reason(exc)}") from exc
    if not above.is_dir():
        raise UsageError(None, f"cache folder {folder}: {above} is not a directory")
    import tempfile  # loaded where a thread may be downloaded (harness.atomic's reason)

    try:  # what the download will need there, made and removed at once: nothing is left behind
        if above == folder:
            fd, probe = tempfile.mkstemp(prefix=".seamharness-probe.", dir=folder)
            os.close(fd)
            os.unlink(probe)
        else:
            os.rmdir(tempfile.mkdtemp(prefix=".seamharness-probe.", dir=above))
    except OSError as exc:
        raise UsageError(None, f"cache folder {folder}: cannot write in {above}: {os_reason(exc)}") from exc

"""One download of a lore thread over HTTP: its t.mbox.gz, or after a 404 where a HEAD lookup of the id leads."""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from harness.errors import InputError, os_reason
from harness.threadcache import MAX_DOWNLOAD
from models.record import record

if TYPE_CHECKING:
    from harness.deadline import Deadline

# A message's own id as harness.message reads it (mail_of): its Message-ID's first <id>.
_OWN_ID = re.compile(r"<([^<>\s]+)>")


@record
class Download:
    """A thread as a server sent it: ``url`` the ``t.mbox.gz`` its bytes came from (the one asked for, or the one
    a HEAD lookup (``led`` "head") or the server's redirects (``led`` "redirect") led to), ``data`` the gzipped mbox,
    checked as the mail reader will read it (check_mbox)."""

    url: str
    data: bytes
    led: str = ""


class _Status(InputError):
    """The server answered an HTTP error status (``code``), or its redirects went round in a loop. ``at`` is the URL
    that answered it, redirects followed; ``headers`` its headers, whose Retry-After (a 429, a 503) is said."""

    def __init__(self, url: str, code: int, reason: str, at: str | None = None, headers: Any = None) -> None:
        import urllib.request

        loop = str(reason).startswith(urllib.request.HTTPRedirectHandler.inf_msg)
        self.at = at or url
        # Where the redirects led is said: the URL asked for may well exist, the one that answered is another.
        moved = f" (at {self.at}, where its redirects led)" if self.at != url else ""
        if code in (301, 302, 303, 307, 308) and not (headers is not None and headers.get("Location")):
            moved += " with no Location to follow"  # urllib gives up on it: the server's fault, not a missing page
        self.status = f"{code} {reason}{moved}"
        super().__init__(url, "the server's redirects go round in a loop (followed as urllib follows them: at most "
                              "10, each URL at most 4 times)" if loop
                         else f"server answered {self.status}{_retry_after(headers)}")
        self.code = None if loop else code


def _retry_after(headers: Any) -> str:
    """What a Retry-After header (RFC 9110 10.2.3: seconds or an HTTP date) asks, in words; "" without one. Said,
    not obeyed: b4 does not wait either, and a run that sleeps unasked for minutes looks hung."""
    import email.utils
    import math
    from datetime import UTC, datetime

    value = str((headers.get("Retry-After") if headers is not None else None) or "").strip()
    if not value:
        return ""
    if value.isdigit():
        return f"; it asks to be asked again in {int(value):,} s (Retry-After)"
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return f"; it asks to wait (Retry-After: {value[:60]!r}, not a time)"
    when = when if when.tzinfo is not None else when.replace(tzinfo=UTC)
    secs = max(0, math.ceil((when - datetime.now(UTC)).total_seconds()))
    return f"; it asks to be asked again in {secs:,} s (Retry-After: {value})"


def download_thread(url: str, lookup: str, timeout: float, deadline: float,
                    progress: Callable[[str], None] = lambda _: None, msgid: str | None = None) -> Download:
    """The thread at ``url`` (``SERVER/INBOX/ID/t.mbox.gz``), downloaded and checked.

    When ``url`` answers 404, ``lookup`` (``SERVER/ID/``) is asked with HEAD, redirects followed as urllib
    follows them (the method kept, as requests keeps it); on a 200 the thread is downloaded from the path that
    ended at, on the server of ``url`` (``SERVER/LIST/ID/t.mbox.gz``): public-inbox sends a bare id on to the
    list that holds it. Source: liblore 0.10 LoreNode._local_mbox_by_msgid and _resolve_msgid_via_head, what
    b4 0.16 does. ``timeout`` (seconds) bounds each connect and read, ``deadline`` (seconds) the whole exchange,
    every request of it. With ``msgid``, a thread that neither holds that message nor refers to it is refused
    (check_mbox). Raises InputError naming the URL that failed (both, when both answered 404).
    """
    from harness.deadline import Deadline

    with Deadline(deadline) as watch:
        try:
            end, data = _get(watch, url, timeout, msgid)
            return Download(end, data, "redirect" if end != url else "")
        except _Status as exc:
            if exc.code != 404:
                raise
            first = exc.status
        progress(f"{url}: {first}; asking {lookup} (HEAD) which list holds it, as b4 does")
        try:
            end = _exchange(watch, lookup, timeout, "HEAD")[0]
        except _Status as exc:
            if exc.code == 404:
                led = "" if exc.at == lookup else f" (sent on to {exc.at})"
                raise InputError(url, f"server answered {first}, and so did {lookup}{led} (HEAD, public-inbox's "
                                      "lookup of the id in every list): the server has no such message") from exc
            raise InputError(lookup, f"{exc.message} (HEAD, after {url} answered {first})") from exc
        except InputError as exc:
            raise InputError(lookup, f"{exc.message} (HEAD, after {url} answered {first})") from exc
        found = _found_url(url, end)
        if found == url:  # sent back to what answered 404: asking again would answer 404 again
            raise InputError(url, f"server answered {first}, and HEAD {lookup} led back to it")
        progress(f"fetching {found} (HEAD {lookup} led to {end})")
        try:
            return Download(*_get(watch, found, timeout, msgid), "head")
        except InputError as exc:
            raise InputError(found, f"{exc.message} (where HEAD {lookup} led after {url} answered {first})") from exc


def _found_url(url: str, end: str) -> str:
    """``SERVER/PATH/t.mbox.gz``: the path a HEAD ended at, on the server of ``url``. b4 takes the path alone (a
    redirect to another host names the list; the thread comes from the server asked, which its cache is keyed by)."""
    parts = urllib.parse.urlsplit(url)
    path = urllib.parse.urlsplit(end).path.rstrip("/")
    return f"{parts.scheme}://{parts.netloc}{path}/t.mbox.gz"


def _get(watch: Deadline, url: str, timeout: float, msgid: str | None) -> tuple[str, bytes]:
    """The URL the body came from (redirects followed) and the body at ``url``, checked to be a whole gzipped mbox
    (InputError otherwise)."""
    end, data, kind, coding = _exchange(watch, url, timeout, "GET")
    try:
        data = _decoded(data, coding, url)
        if len(data) > MAX_DOWNLOAD:
            raise InputError(url, f"thread larger than {MAX_DOWNLOAD >> 20} MiB")
        if not data.startswith(b"\x1f\x8b"):
            raise InputError(url, f"the server did not send a gzipped mbox but {_what_came(data, kind)}")
        check_mbox(data, url, msgid)
    except InputError as exc:
        if end == url:
            raise
        # The body came from where the redirects led, as _Status says of an error status there: the URL asked
        # for may well hold a whole thread, the one that sent the cut or foreign body is another.
        raise InputError(url, f"{exc.message} (at {end}, where its redirects led)") from exc
    return end, data


def _decoded(data: bytes, coding: str, url: str) -> bytes:
    """The body with its content coding (Content-Encoding) undone: none is asked for (Accept-Encoding: identity),
    yet RFC 9110 12.5.3 lets a server or proxy gzip an answer on its way, and b4 (requests) undoes it; a gzip coding
    over the t.mbox.gz was read as an mbox starting with gzip's magic. Undone with the reader's gunzip, under its
    bound; a coding other than gzip is refused by name (InputError)."""
    from harness.sources import gunzip

    codings = [c.strip().lower() for c in coding.split(",") if c.strip().lower() not in ("", "identity")]
    for each in reversed(codings):  # listed in the order they were applied
        if each not in ("gzip", "x-gzip"):
            raise InputError(url, f"the server sent the thread in a content coding that is not read "
                                  f"(Content-Encoding: {coding.strip()[:60]!r}; none was asked for)")
        try:
            data = gunzip(data, url)
        except InputError as exc:
            raise InputError(url, f"the server sent, as its Content-Encoding gzip, {exc.message}") from exc
    return data


def _what_came(data: bytes, kind: str) -> str:
    """What a server sent instead of a gzip, in a few words: an HTML page's title (an error page, a proxy's
    login, a bot challenge), else its type and first bytes."""
    import html

    what = kind.split(";")[0].strip() or "no Content-Type"
    title = re.search(rb"<title[^>]*>(.*?)</title", data[: 1 << 16], re.IGNORECASE | re.DOTALL)
    if title is not None:
        words = " ".join(html.unescape(title.group(1).decode("utf-8", "replace")).split())
        return f"an HTML page ({what}) titled {words[:100]!r}"
    return f"{len(data):,} bytes of {what}" + (f" starting {data[:40]!r}" if data else "")


def _exchange(watch: Deadline, url: str, timeout: float, method: str) -> tuple[str, bytes, str, str]:
    """One request under the deadline ``watch`` (harness.deadline.Deadline): the URL it ended at (redirects
    followed), the body (at most MAX_DOWNLOAD + 1 bytes; none for HEAD), its Content-Type and Content-Encoding.
    ``timeout`` bounds each connect and read; at the deadline the connection is shut down, whatever it waits for.
    InputError (_Status for an HTTP error status) naming ``url``."""
    import http.client
    import urllib.error
    import urllib.request  # only when something is fetched: it is slow to import

    req = urllib.request.Request(url, headers={"User-Agent": "seamharness", "Accept-Encoding": "identity"},
                                 method=method)
    end, data, kind, coding = url, b"", "", ""
    watch.led = ""
    came, length = [0], ""  # bytes of the body read so far, and its Content-Length: said when the deadline cuts it
    try:
        with watch.opener().open(req, timeout=timeout) as resp:
            end, kind = resp.geturl(), resp.headers.get("Content-Type", "")
            coding, length = resp.headers.get("Content-Encoding", ""), resp.headers.get("Content-Length", "").strip()
            data = _read_all(resp, url, timeout, came) if method != "HEAD" else b""
    except urllib.error.HTTPError as exc:
        exc.close()
        raise _Status(url, exc.code, str(exc.reason), exc.geturl(), exc.headers) from exc
    except InputError:
        if not watch.expired:  # else cut short by the deadline, said below
            raise
    except (urllib.error.URLError, http.client.HTTPException, OSError, ValueError) as exc:
        if not watch.expired:
            raise InputError(url, _why_not(exc, timeout, watch.led if watch.led != url else "")) from exc
    if watch.expired:  # shut down between two reads: what came is not the whole answer
        of = f" of {int(length):,}" if length.isdigit() else ""
        raise InputError(url, f"download not finished after {watch.seconds:g} s: the server is too slow"
                              + (f" ({came[0]:,}{of} bytes came)" if came[0] or of else ""))
    return end, data, kind, coding


def _read_all(resp: Any, url: str, timeout: float, came: list[int] | None = None) -> bytes:
    """The body, in pieces, until its end or MAX_DOWNLOAD + 1 bytes; a body shorter than its Content-Length
    (the connection closed early) is refused (InputError), and one whose Content-Length is past MAX_DOWNLOAD
    before any of it is read: reading 64 MiB to refuse them would take minutes on a slow line. A server that
    stops sending part way is said so, with what came: 'the server sent nothing' was said of one that had sent
    its headers and half the thread."""
    promised = resp.headers.get("Content-Length", "").strip()
    if promised.isdigit() and int(promised) > MAX_DOWNLOAD:
        raise InputError(url, f"thread larger than {MAX_DOWNLOAD >> 20} MiB (Content-Length {int(promised):,} "
                              "bytes): not downloaded")
    import io

    body = io.BytesIO()  # its getvalue() shares the buffer: a joined list held the body twice (128 MiB at the cap)
    size = 0
    while size <= MAX_DOWNLOAD:
        try:
            piece = resp.read1(min(1 << 16, MAX_DOWNLOAD + 1 - size)) if hasattr(resp, "read1") else resp.read(1 << 16)
        except TimeoutError as exc:
            of = f" of {int(promised):,}" if promised.isdigit() else ""
            raise InputError(url, f"the server stopped sending after {size:,}{of} bytes: nothing more came for "
                                  f"{timeout:g} s") from exc
        if not piece:
            break
        body.write(piece)
        size += len(piece)
        if came is not None:
            came[0] = size
    data = body.getvalue()
    length = resp.headers.get("Content-Length")
    if length is not None and length.isdigit() and len(data) < int(length):
        raise InputError(url, f"the download stopped after {len(data)} of {int(length)} bytes")
    return data


def _why_not(exc: Exception, timeout: float, led: str = "") -> str:
    """Why a download failed, in one line: the server's fault, or no way to reach it; ``led``, where the server's
    redirects sent us, is the one that failed (the server asked answered: 'not reachable' is not its)."""
    import http.client

    at = f" (at {led}, where its redirects led)" if led else ""
    if isinstance(exc, http.client.HTTPException):  # a cut chunk, a bad status line
        return f"the server broke off its answer{at} ({type(exc).__name__}: {exc})"
    from harness.deadline import NotFollowed

    if isinstance(exc, NotFollowed):
        return str(exc.reason)
    if isinstance(exc, TimeoutError):  # connected, then nothing (urllib wraps a connect timeout in URLError)
        return f"the server sent nothing for {timeout:g} s{at}"
    reason = getattr(exc, "reason", exc)
    why = os_reason(reason)
    if led:
        return f"its redirects led to {led}, which cannot be fetched ({why}): that server is not reachable from here"
    # Said to `fetch` too: "where there is one" read as advice to run the command that had just failed.
    return (f"cannot fetch ({why}): no network, or the server is not reachable; on a machine that reaches it, run "
            "seamharness fetch MSGID --out FILE and give that file here")


def check_mbox(data: bytes, url: str, msgid: str | None = None) -> None:
    """Refuse (before it is cached) what the mail reader would refuse: a gzip that is cut, damaged, a bomb or
    has anything after its members (harness.sources.gunzip, which reads the cache back), that does not
    unpack to an mbox (its first line an mbox ``From `` line, as git mailsplit sees one), or, with ``msgid``,
    whose messages neither are that one nor refer to it (the thread of another message)."""
    from harness.sources import gunzip, is_from_line

    try:
        text = gunzip(data, url)
    except InputError as exc:
        raise InputError(url, f"the server sent {exc.message}") from exc
    first = next((line for line in text[:4096].splitlines() if line.strip()), b"")
    if not is_from_line(first + b"\n"):
        page = _what_came(text[: 1 << 16], "gzipped")
        if page.startswith("an HTML page"):  # a proxy or server that gzips its error page as it gzips the rest
            raise InputError(url, "the server did not send an mbox but "
                                  + page.replace("an HTML page (gzipped)", "a gzipped HTML page"))
        raise InputError(url, "the server did not send an mbox (the unpacked data does not start with an mbox "
                              f"'From ' line: {first[:60]!r})")
    if msgid is not None and not holds(text, msgid):
        # Read as harness.ingest reads the thread (b4: "No messages found"): caching it would hand every run
        # until it expires a thread that is refused, and `fetch` would deliver it as the one asked for.
        raise InputError(url, f"the server sent a thread that holds neither <{msgid}> nor any message that "
                              "refers to it (In-Reply-To, References): the thread of another message")


def holds(text: bytes, msgid: str) -> bool:
    """Whether a message of the mbox ``text`` is ``msgid`` (its Message-ID's first ``<id>``, or the header
    stripped when it has none, as harness.message reads it) or names it in In-Reply-To or References."""
    from harness.errors import Where
    from harness.sources import _split_mbox, parse_blob
    from harness.strictthread import angled

    for start, blob, _ in _split_mbox(text):
        try:
            raw = parse_blob(blob, Where("", start))
        except InputError:  # not read as a message by the reader either
            continue
        own = raw.header("Message-ID")
        if (_OWN_ID.findall(own)[:1] or [own.strip()])[0] == msgid:
            return True
        if msgid in angled(raw.header("In-Reply-To")) + angled(raw.header("References")):
            return True
    return False

"""A deadline over a whole HTTP exchange: at its end every connection it opened is shut down.

A socket timeout bounds one read only: a server that sends a byte of its status line or headers every
few seconds keeps ``urllib`` waiting for ever. ``Deadline`` gives ``urllib`` connection classes that
register their sockets, and a timer that shuts them down (shutdown(2), which wakes a read blocked in
another thread, TLS or not) when the time is up; the reader then fails and ``expired`` says why.
"""

from __future__ import annotations

import contextlib
import http.client
import socket
import threading
import urllib.error
import urllib.request
from typing import Any


def _shut(sock: socket.socket) -> None:
    # The plain socket's shutdown, also for a TLS socket (whose own shutdown would drop its TLS state under
    # the reading thread): the connection ends and the blocked read returns. OSError: it was closed already.
    with contextlib.suppress(OSError):
        socket.socket.shutdown(sock, socket.SHUT_RDWR)


class Deadline:
    """``with Deadline(seconds) as d: d.opener().open(...)``; ``d.expired`` once the time ran out."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.expired = False
        self.led = ""  # where the last redirect followed sent us ("" before any): a failure after it is that URL's
        self._socks: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self.expire)
        self._timer.daemon = True

    def __enter__(self) -> Deadline:
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()

    def expire(self) -> None:
        """Shut down every connection opened so far, and any opened from now on."""
        with self._lock:
            self.expired = True
            socks = list(self._socks)
        for sock in socks:
            _shut(sock)

    def add(self, sock: socket.socket | None) -> None:
        if sock is None:
            return
        with self._lock:
            self._socks.append(sock)
            late = self.expired
        if late:  # connected after the deadline (the connect itself is bounded by its timeout)
            _shut(sock)

    def http_connection(self, host: str, **kwargs: Any) -> http.client.HTTPConnection:
        conn = _HTTPConnection(host, **kwargs)
        conn.deadline = self
        return conn

    def https_connection(self, host: str, **kwargs: Any) -> http.client.HTTPSConnection:
        conn = _HTTPSConnection(host, **kwargs)
        conn.deadline = self
        return conn

    def opener(self) -> urllib.request.OpenerDirector:
        """An opener like ``urllib.request``'s own (redirects, errors) whose connections this deadline watches; HTTP
        and HTTPS only."""
        return urllib.request.build_opener(_HTTPHandler(self), _HTTPSHandler(self), _NoFTPHandler(), _Redirects(self))


class _HTTPConnection(http.client.HTTPConnection):
    deadline: Deadline

    def connect(self) -> None:
        super().connect()
        self.deadline.add(self.sock)


class _HTTPSConnection(http.client.HTTPSConnection):
    deadline: Deadline

    def connect(self) -> None:
        super().connect()
        self.deadline.add(self.sock)


class _HTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, deadline: Deadline) -> None:
        super().__init__()
        self.deadline = deadline

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(self.deadline.http_connection, req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, deadline: Deadline) -> None:
        import ssl

        self.context = ssl.create_default_context()  # what urllib.request uses by default
        super().__init__(context=self.context)
        self.deadline = deadline

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(self.deadline.https_connection, req, context=self.context)


# Bytes of a redirect's body read before it is followed (urllib reads it all, however long: public-inbox's is a
# line of HTML).
REDIRECT_BODY = 64 * 1024


class _Redirects(urllib.request.HTTPRedirectHandler):
    """urllib's redirects (its loop limits too), a HEAD kept a HEAD as requests keeps it: urllib's own handler
    makes the redirected request a GET (redirect_request sets no method), whose body nothing would read. A
    redirect whose body is longer than REDIRECT_BODY is not followed (HTTPError): urllib would read it whole into
    memory, for as long as the deadline lets it. The deadline keeps where each redirect followed led (``led``)."""

    def __init__(self, deadline: Deadline) -> None:
        super().__init__()
        self.deadline = deadline

    def redirect_request(self, req: urllib.request.Request, fp: Any, code: int, msg: str, headers: Any,
                         newurl: str) -> urllib.request.Request | None:
        if len(fp.read(REDIRECT_BODY + 1)) > REDIRECT_BODY:
            raise urllib.error.HTTPError(req.full_url, code, f"{msg} (a redirect whose body is over "
                                         f"{REDIRECT_BODY >> 10} KiB: not followed)", headers, fp)
        new = super().redirect_request(req, fp, code, msg, headers, newurl)
        if new is not None and req.get_method() == "HEAD":
            new.method = "HEAD"
        if new is not None:
            self.deadline.led = new.full_url
        return new


class NotFollowed(urllib.error.URLError):
    """A redirect out of HTTP and HTTPS (to ftp://, which urllib follows), refused: the deadline watches HTTP
    connections only."""


class _NoFTPHandler(urllib.request.FTPHandler):
    def ftp_open(self, req: urllib.request.Request) -> Any:
        raise NotFollowed(f"the server sent us on to {req.full_url}: only HTTP and HTTPS are followed")

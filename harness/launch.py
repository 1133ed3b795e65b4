"""The ``seamharness`` console script and ``python -m harness``: signals first, then everything else.

^C in the first few tenths of a second landed in an import, before any handler, and printed a traceback; the
handlers (harness.signals) are therefore installed before the rest of seamharness loads.
"""

from __future__ import annotations

import gc
import sys

from harness.signals import catch_signals
from harness.stdstreams import guard_std_streams

TYPE_CHECKING = False  # typing itself costs a few milliseconds before the handlers are in place
if TYPE_CHECKING:
    from typing import NoReturn


# Set by console(): this process is a command line's own, whose code is its files as they are now. Only such a
# process replays or keeps whole runs (harness.runcache): in one that ran other code first (a test's, a library
# caller's), what that code changed (a function patched, a module loaded before its file changed) is in no key.
command_line = False


def console() -> NoReturn:
    """Catch signals; load the command line with the collector off; tune the collector once its modules are loaded
    (tune_gc() leaves them out of its scans, and turns it on); run the command; leave with its status without tearing
    the heap down (leave())."""
    # Loading the command line made some 30 collections of the young objects imports make (modules, classes, their
    # functions: nearly none garbage), each walking them again: tune_gc() freezes them all once loaded.
    global command_line
    command_line = True
    gc.disable()
    catch_signals()
    guard_std_streams()
    try:
        builtin_hashes()  # before the first module that imports hashlib (harness.recache)
        from harness.recache import install

        install()  # before the modules that compile patterns as they load (reports.safe, with harness.process)
        _keep_digests()
        from harness.process import leave, said, tune_gc
    except KeyboardInterrupt as exc:  # the handler now ignores another signal: what is left loads undisturbed
        from harness.process import leave, said

        leave(said(exc))
    try:
        from harness.cli import main

        tune_gc()
        code = main()
    except KeyboardInterrupt as exc:  # while loading, before a command answers it
        code = said(exc)
    leave(code)


# hashlib's own implementations of the hashes it always offers (CPython's Modules/*module.c), which it uses where
# OpenSSL's (_hashlib) cannot be imported.
BUILTIN_HASHES = ("_md5", "_sha1", "_sha256", "_sha512", "_blake2", "_sha3")


def builtin_hashes() -> None:
    """Make this process's hashlib use its own implementations, not OpenSSL's, when it has all of them and hashlib is
    not loaded yet: the same digests (the same algorithms; tests/harness/test_launch.py checks them against
    OpenSSL's), without loading OpenSSL's libcrypto, whose start maps some 3.4 MB of its code and relocated data into
    the process's resident memory (/proc/self/smaps after ``import _hashlib``): the eval of the corpus reached its
    peak memory in this process, its report being written, with libcrypto some 3 MB of it. Slower per byte (the
    corpus' eval hashes some 4.5 MB: cache keys and entry digests), faster per call (no OpenSSL context).
    hashlib tries ``import _hashlib`` and falls back on these (Lib/hashlib.py); a None in sys.modules is how the
    import system is told a module is not to be found (an ImportError)."""
    if "hashlib" in sys.modules or "_hashlib" in sys.modules:
        return
    try:
        for name in BUILTIN_HASHES:
            __import__(name)
    except ImportError:  # a Python built without one of them: OpenSSL's, as hashlib would choose
        return
    sys.modules["_hashlib"] = None  # type: ignore[assignment]


def _keep_digests() -> None:
    """The mirror's and the harness's source digests kept under their files' stat stamp (models.sourcedigest), in
    the cache folder; worked out each time where there is none (no home folder)."""
    import contextlib

    from harness.cachedir import cache_root
    from models.sourcedigest import keep_digests_in

    with contextlib.suppress(RuntimeError, KeyError, OSError):  # no home folder to find
        keep_digests_in(cache_root())

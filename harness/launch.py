"""The ``seamharness`` console script and ``python -m harness``: signals first, then everything else.

^C in the first few tenths of a second landed in an import, before any handler, and printed a traceback; the
handlers (harness.signals) are therefore installed before the rest of seamharness loads.
"""

from __future__ import annotations

import gc
import sys
from _thread import RLock
from types import ModuleType

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
        lazy_modules()  # before the modules that import them
        from harness.recache import install

        install()  # before the modules that compile patterns as they load (reports.safe, with harness.process)
        _keep_digests()
        from harness.process import leave, said, tune_gc
    except KeyboardInterrupt as exc:  # the handler now ignores another signal: what is left loads undisturbed
        from harness.process import leave, said

        leave(said(exc))
    try:
        from harness.quickcli import parse, run

        quick = parse(sys.argv[1:])  # `series INPUT...`, `eval INPUT...`: no typer (harness.quickcli)
        if quick is not None:
            tune_gc()
            code = run(*quick)
        else:
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


# Modules the standard library's and typer's modules import as they load and use only in functions seamharness
# calls rarely or never (shutil's bz2 and lzma for archives, email.utils' socket and random for new Message-IDs,
# typer's shellingham for shell completion, inspect's linecache and tokenize for source lines, subprocess for git):
# each is run when a name of it is first looked up (_Pending), not when imported. `series` of the corpus ran 16 of
# them for nothing (30 M instructions of its 1,120 M; liblzma mapped into every process).
LAZY_MODULES = ("bz2", "lzma", "socket", "selectors", "random", "calendar", "email.base64mime", "email.quoprimime",
                "shellingham", "linecache", "tokenize", "token", "subprocess", "locale", "struct", "numbers")
_RUN_LOCK = RLock()  # two threads' first look at one module: it is run once, and neither sees it half run


class _Pending(ModuleType):
    """A module not run yet (lazy_modules): run by its loader at the first look at any of its names but ``__spec__``
    and ``__path__``, which an import statement reads of a module found in sys.modules (importlib.util.LazyLoader's
    module runs at any look: every ``import`` of it ran it at once). Where running it raises, it is taken out of
    sys.modules, as an import that failed is, and the error raised."""

    def __getattribute__(self, name: str) -> object:
        if name in ("__spec__", "__path__"):
            return ModuleType.__getattribute__(self, name)
        with _RUN_LOCK:
            if type(self) is _Pending:
                spec = ModuleType.__getattribute__(self, "__spec__")
                self.__class__ = ModuleType  # type: ignore[assignment]
                try:
                    spec.loader.exec_module(self)
                except BaseException:
                    if sys.modules.get(spec.name) is self:
                        del sys.modules[spec.name]
                    raise
        return ModuleType.__getattribute__(self, name)


def lazy_modules(names: tuple[str, ...] = LAZY_MODULES) -> None:
    """Put each of ``names`` not loaded yet in sys.modules unrun (_Pending), as importlib would have made it (its
    spec, and a submodule named on its package)."""
    from importlib.util import find_spec, module_from_spec

    for name in names:
        if name in sys.modules:
            continue
        spec = find_spec(name)  # a submodule's package is loaded: its own imports may load the submodule
        if name in sys.modules or spec is None or not hasattr(spec.loader, "exec_module"):
            continue
        module = module_from_spec(spec)
        module.__class__ = _Pending
        sys.modules[name] = module
        package, _, child = name.rpartition(".")
        if package:
            setattr(sys.modules[package], child, module)


def _keep_digests() -> None:
    """The mirror's and the harness's source digests kept under their files' stat stamp (models.sourcedigest), in
    the cache folder; worked out each time where there is none (no home folder)."""
    import contextlib

    from harness.cachedir import cache_root
    from models.sourcedigest import keep_digests_in

    with contextlib.suppress(RuntimeError, KeyError, OSError):  # no home folder to find
        keep_digests_in(cache_root())

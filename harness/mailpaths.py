"""The inputs given: which files of a path are mail (a maildir, a folder of mails), in git's order, read once each."""

from __future__ import annotations

import errno
import os
import re
import stat
from collections.abc import Iterator
from pathlib import Path

from harness.errors import InputError, Where
from harness.model import Skipped
from harness.sources import HEADER_LINE, RawMessage, TooManyMessages, is_from_line, read_file
from models.lazyre import lazy

MAIL_SUFFIXES = (".eml", ".patch", ".mbox", ".mbx", ".mbox.gz", ".gz", ".msg", ".diff")
_MAILDIR_RUNS = lazy(rb"[0-9]+|[^0-9]+")
# A Message-ID holding "/" (RFC 5322 atext), as harness.lore reads one in <...>: bare, it is read as a path. Not
# spelt as one (".", "/", "~" first).
_SLASHED_ID = lazy(r"^(?=[^<>\s]*/)[^<>\s@./~][^<>\s@]*@[^<>\s]+$")
# A lore URL copied without its scheme (lore.kernel.org/all/ID/, as a browser's address bar may show it).
_NO_SCHEME = lazy(r"^[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}(?::\d+)?/[^@\s]*(?:@|%40)", re.IGNORECASE)


def _regular(path: Path) -> bool:
    try:
        return stat.S_ISREG(path.stat().st_mode)
    except OSError:
        return True  # reading it says what is wrong, with the file's name


_MAIL_HEADERS = lazy(rb"^(From|Subject|Message-ID|Date|Return-Path|Received):", re.IGNORECASE | re.MULTILINE)


def _looks_like_mail(path: Path) -> bool:
    """A file with no extension that starts as a mail does (``git mailsplit`` names its output 0001, 0002,
    ...): an mbox ``From `` line, or header lines naming From, Subject or Message-ID. Other files in a folder
    (a README, a Makefile, notes in .txt, a reference patch kept as .patch.txt) are not read; a FIFO or
    device is never opened here."""
    if path.suffix or not _regular(path):
        return False
    try:
        with path.open("rb") as fh:
            head = fh.read(2048)
    except OSError:
        return False
    first = head.split(b"\n", 1)[0]
    if is_from_line(first):
        return True
    block = head.split(b"\n\n", 1)[0]
    return bool(HEADER_LINE.match(first)) and len(_MAIL_HEADERS().findall(block)) >= 2


# The first line of every file git format-patch writes (log-tree.c: the commit's id and a fixed date), whatever
# --suffix names the file.
_FORMAT_PATCH_FROM = lazy(rb"^From [0-9a-f]{40} Mon Sep 17 00:00:00 2001\r?$")


def passed_over(folder: Path) -> str:
    """Why a folder that gave no mail may still hold patches: its files that start as git format-patch writes one
    but whose suffix a folder's reading passes over (``--suffix=.txt``), named, with what to do; "" for none."""
    found: list[str] = []
    for root, _dirs, files in walk_folder(str(folder)):
        for name in sorted(files):
            path = Path(root) / name
            if name.startswith(".") or not _regular(path):
                continue
            try:
                with path.open("rb") as fh:
                    first = fh.readline(200)
            except OSError:
                continue
            if _FORMAT_PATCH_FROM().match(first.rstrip(b"\n")):
                found.append(os.path.relpath(path, folder))
    if not found:
        return ""
    shown = ", ".join(found[:3]) + (f" and {len(found) - 3} more" if len(found) > 3 else "")
    return (f": {len(found)} of its files start as git format-patch writes a patch, but a folder is read for mail "
            f"files only (.patch, .eml, .mbox, ...; no suffix), not these ({shown}): give them as files")


def _maildir_part(folder: Path) -> str | None:
    """``cur``, ``new`` or ``tmp`` when ``folder`` is that part of a maildir (it has all three beside it:
    b4 mbox -M, mutt, notmuch), else None."""
    if folder.name not in ("cur", "new", "tmp"):
        return None
    return folder.name if all((folder.parent / d).is_dir() for d in ("cur", "new", "tmp")) else None


def walk_folder(top: str) -> Iterator[tuple[str, list[str], list[str]]]:
    """os.walk(top) (top-down, links to folders listed but not entered, unreadable folders passed over) with a
    stack, not recursion: Python 3.11's os.walk recurses, and folders 1,000 deep were an internal error."""
    stack = [top]
    while stack:
        root = stack.pop()
        try:
            with os.scandir(root) as it:
                entries = list(it)
        except OSError:
            continue
        dirs: list[str] = []
        files: list[str] = []
        for entry in entries:
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            (dirs if is_dir else files).append(entry.name)
        yield root, dirs, files
        stack.extend(os.path.join(root, d) for d in reversed(dirs) if not os.path.islink(os.path.join(root, d)))


def _maildir_order(name: str) -> tuple[tuple[int, int], ...]:
    """The order git mailsplit gives a maildir's files (maildir_filename_cmp): byte by byte, but a run of digits
    met on both sides compares as a number, so ``1706000000.M9P1.host`` comes before ``...M10P1.host`` (two
    messages of one second; Python's mailbox counts ``Q9``, ``Q10`` the same way). A digit run is ("0", its
    value): where it meets another byte the names differ there, and as in git every byte below "0" sorts
    before it and every one above "9" after it."""
    key: list[tuple[int, int]] = []
    for run in _MAILDIR_RUNS().findall(os.fsencode(name)):
        if run[:1].isdigit():
            key.append((ord("0"), int(run)))
        else:
            key.extend((byte, 0) for byte in run)
    return tuple(key)


def iter_files(path: Path) -> Iterator[Path]:
    """A file itself, or the mail-like files below a directory, in name order. In a maildir every file of
    ``cur`` and ``new`` is a message, whatever its name (``1706000000.M1P2.host:2,S``), read in git am's order
    (``cur`` first, numbers in names by value); ``tmp`` holds mail still being delivered and is not read."""
    if not path.is_dir():
        yield path
        return
    for root, dirs, files in walk_folder(str(path)):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        part = _maildir_part(Path(root))
        if part == "tmp":
            continue
        for name in sorted(files, key=_maildir_order if part else None):
            if name.startswith("."):
                continue
            if part or name.lower().endswith(MAIL_SUFFIXES) or _looks_like_mail(Path(root) / name):
                yield Path(root) / name


def _identity(path: Path) -> tuple[int, int] | str:
    """What makes two paths one file: device and inode (a link, ``./x`` and ``x``), else the path."""
    try:
        st = path.stat()
    except OSError:
        return str(path)
    return st.st_dev, st.st_ino


def _id_hint(arg: str) -> str:
    """How to give a missing path that reads as a lore URL without its scheme or a Message-ID holding "/"; "" for
    any other."""
    if _NO_SCHEME().match(arg):
        return " (if it is a lore URL, give it with its https:// before it)"
    if _SLASHED_ID().match(arg):
        return f" (if it is a Message-ID, give it as <{arg}>: with a '/' it is read as a path)"
    return ""


def missing_reason(path: Path) -> str:
    """Why an input given is not there: a loop of symbolic links (ELOOP) is said so, not taken for no file, and a
    symbolic link whose target is gone names that target (``ls`` shows the link, so "no such file" misleads)."""
    try:
        os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "too many levels of symbolic links"
    try:
        target = os.readlink(path)
    except OSError:  # not a link (or the folder above it is gone)
        return "no such file or directory"
    return f"a symbolic link to {target}, which does not exist"


def read_paths(paths: list[Path], keep_cr: bool = False) -> tuple[list[RawMessage], list[Skipped]]:
    """Read all messages below the given paths; bad files are listed, not fatal (``keep_cr``: _split_mbox). Raises
    TooManyMessages past MAX_MESSAGES messages in all."""
    messages: list[RawMessage] = []
    skipped: list[Skipped] = []
    seen: set[tuple[int, int] | str] = set()
    for top in paths:
        if not top.exists():
            skipped.append(Skipped(Where(str(top)), missing_reason(top) + _id_hint(str(top))))
            continue
        taken = False  # a file of it was taken (one read before, given twice, too)
        for path in iter_files(top):
            taken = True
            if path != top and not _regular(path):  # a FIFO in a folder would block the read for ever
                skipped.append(Skipped(Where(str(path)), "not a regular file (a FIFO, socket or device)"))
                continue
            identity = _identity(path)
            if identity in seen:  # the same file given twice (a folder and a file in it): read once
                continue
            seen.add(identity)
            try:
                got, bad = read_file(path, keep_cr, len(messages) + len(skipped))
            except TooManyMessages:
                raise
            except InputError as exc:
                skipped.append(Skipped(exc.where or Where(str(path)), exc.message))
                continue
            messages.extend(got)
            skipped.extend(bad)
        if top.is_dir() and not taken and len(paths) > 1:  # alone, it is "no mail found in DIR" (pipeline)
            # A folder given that holds no mail (empty, or only other files): the verdicts must not rest on
            # it having been read.
            skipped.append(Skipped(Where(str(top)), f"no mail found in this folder{passed_over(top)}"))
    return messages, skipped

"""The paths a diff names as git apply reads them: C quoting undone, -p1 stripped, and whether git would write one."""

from __future__ import annotations

import re

from models.lazyre import lazy

_C_ESCAPES = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v", "\\": "\\", '"': '"'}
_OCTAL = lazy("[0-3][0-7][0-7]")


def c_unquote(text: str) -> tuple[str, int] | None:
    """quote.c unquote_c_style: ``text`` from its opening quote; (the name, index past the closing quote), or None
    for no closing quote or an escape git does not know. The closing quote may lie on a later line: git reads the
    whole patch as one buffer, so ``--- "a/x`` ends at the next quote of the diff, whatever line holds it."""
    if not text.startswith('"'):
        return None
    out: list[str] = []
    i = 1
    while i < len(text):
        c = text[i]
        if c == '"':
            return "".join(out).encode("latin-1").decode("utf-8", "surrogateescape"), i + 1
        if c != "\\":
            out.append(c.encode("utf-8", "surrogateescape").decode("latin-1"))
            i += 1
            continue
        nxt = text[i + 1 : i + 2]
        if nxt and nxt in _C_ESCAPES:
            out.append(_C_ESCAPES[nxt])
            i += 2
        elif _OCTAL().match(text, i + 1):
            out.append(chr(int(text[i + 1 : i + 4], 8)))
            i += 4
        else:
            return None
    return None


def unquote_path(name: str) -> str:
    """A path as git writes it, C-quoted when it holds unusual bytes (``"a/t\\303\\251st.c"``), unquoted as
    apply.c find_name_gnu reads it (c_unquote: what follows the closing quote is not read). A name git cannot
    unquote (no closing quote, an escape quote.c does not know) stands as written, quotes and all, as git then reads
    it (find_name_traditional)."""
    quoted = c_unquote(name) if name.startswith('"') else None
    return name if quoted is None else quoted[0]


def strip_prefix(path: str) -> str | None:
    """A git diff's ``---``/``+++`` name as git am reads it (apply.c find_name, -p1): its first component goes,
    whatever it is (``i/``, ``w/`` of --src-prefix/--dst-prefix too, ``drivers/`` of a --no-prefix diff)."""
    path = unquote_path(path)
    if path == "/dev/null":
        return None
    return _strip_one(path)


_DIFF_GIT = re.compile(r"^diff --git ([^\s\"]+) ([^\s\"]+)$")


def unprefixed(line: str) -> str | None:
    """The note for a ``diff --git OLD NEW`` line whose two names start with the same folder (``x/a.c x/a.c``: made
    with ``--no-prefix``, or ``diff.noprefix=true`` in the sender's git config): git am reads each at -p1, dropping
    that folder, which is a folder of the path (``x/a.c`` is patched as ``a.c``); None for any other line (a
    quoted name, a name with a space, ``a/ b/`` or other prefixes that differ)."""
    m = _DIFF_GIT.match(line)
    if m is None or "/" not in m.group(1) or "/" not in m.group(2):
        return None
    first = m.group(1).split("/", 1)[0]
    if first != m.group(2).split("/", 1)[0]:
        return None
    return (f"'{line}': its names have no a/ and b/ prefixes (git format-patch --no-prefix, or diff.noprefix=true in "
            f"the sender's git config): git am reads them at -p1, as read here, dropping their first folder "
            f"({m.group(1)} is patched as {_strip_one(m.group(1))}); git am -p0 reads them whole")


def _strip_one(path: str) -> str:
    """git apply's -p1: the first component goes, whatever it is (``linux.orig/``, ``a/``)."""
    return path.split("/", 1)[1] if "/" in path else path


# The longest path component a file system takes (NAME_MAX), and the longest path (PATH_MAX, less room for
# the output folder): a longer one could never be written.
NAME_MAX = 255
PATH_MAX = 3072


def unsafe_path(path: str) -> str:
    """``refusing unsafe path in diff: 'PATH'``, a path of more than 200 characters cut to its first 100 and its
    length: one of 10,000 "../" made an error line of 30,000 characters."""
    shown = repr(path) if len(path) <= 200 else f"{path[:100]!r}... ({len(path):,} characters)"
    return f"refusing unsafe path in diff: {shown}"


def safe_path(path: str) -> bool:
    """Whether a diff's path is one git apply writes: git's verify_path() (read-cache.c) refuses an absolute
    path, an empty, "." or ".." component (``a//b``, ``./a``, ``dir/``) and a ``.git`` one in any case, also
    as NTFS reads it (core.protectNTFS, on by default: ``.git.``, ``git~1``, after a backslash too); a NUL, a
    component past NAME_MAX bytes or a path past PATH_MAX is refused too. A backslash is a plain byte of a
    name, as git takes it outside Windows (``t/a\\b.c``)."""
    parts = path.split("/")
    if len(path.encode("utf-8", "surrogateescape")) > PATH_MAX:
        return False
    dotgit = any(n.rstrip(". ").lower() in (".git", "git~1") for p in parts for n in p.split("\\"))
    return not ("\0" in path or dotgit or any(
        p in ("", ".", "..") or len(p.encode("utf-8", "surrogateescape")) > NAME_MAX for p in parts))

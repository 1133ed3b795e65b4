"""A tree's symlinks followed where gcc's open() follows them to read a header or unit: within the tree only."""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from dataclasses import replace

from harness.filestate import LINK_MODE, FileState, unmodelled

Lookup = Callable[[str], FileState | None]
MAX_LINKS = 40  # as the kernel's ELOOP limit (fs/namei.c MAXSYMLINKS)


def through_links(path: str, lookup: Lookup) -> FileState | None:
    """The file ``path`` names as gcc reads it: ``lookup(path)`` (the state's file, else the tree's), with a symlink
    at ``path`` or at a folder on its way followed to the file it points to, whose text is then the one at ``path``
    (gcc keeps the name it opened: quoted includes are looked up beside it). A link that leaves the tree (an
    absolute target, or ``..`` past its top), a loop and a link to no file are not followed: the file is unusable,
    saying so on one line. A state that is no link and a path with no link on its way are as ``lookup`` gives."""
    hops: list[str] = []
    at = path
    while len(hops) <= MAX_LINKS:
        got = lookup(at)
        link = got if got is not None and got.mode == LINK_MODE and got.text is not None else None
        step = _step(at, link.text or "") if link is not None else _folder_step(at, lookup) if got is not None \
            and got.absent else None
        if step is None:
            if not hops or got is None:
                return got
            chain = " -> ".join([*hops, at])
            if got.absent:
                return unmodelled(path, (f"a symlink to no file of the tree ({chain})",), LINK_MODE)
            return replace(got, path=path, provenance=(*got.provenance, f"through the symlink {chain}"))
        target, why = step
        if why:
            return unmodelled(path, (why + (f" ({' -> '.join([*hops, at])})" if hops else ""),), LINK_MODE)
        hops.append(at)
        at = target
    return unmodelled(path, (f"more than {MAX_LINKS} symlinks on its way (a loop): not followed",), LINK_MODE)


def _step(at: str, target: str) -> tuple[str, str]:
    """Where the link at ``at`` pointing to ``target`` leads, or why it is not followed."""
    if target.startswith("/"):
        return "", f"a symlink to {target}, outside the tree: not followed"
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(at), target))
    if joined == ".." or joined.startswith("../"):
        return "", f"a symlink to {target}, outside the tree: not followed"
    return joined, ""


def _folder_step(at: str, lookup: Lookup) -> tuple[str, str] | None:
    """Where ``at`` leads when a folder on its way is a symlink (the tree has no file of that name: git keeps the
    link, not what it points to); None when no folder on its way is one."""
    parts = at.split("/")
    for i in range(1, len(parts)):
        folder = lookup("/".join(parts[:i]))
        if folder is None or folder.absent:
            return None
        if folder.mode == LINK_MODE and folder.text is not None:
            target, why = _step("/".join(parts[:i]), folder.text)
            return (posixpath.join(target, *parts[i:]), "") if not why else ("", why)
    return None


def state_or_base(files: dict[str, FileState], base: Lookup, read: dict[str, FileState | None]) -> Lookup:
    """A lookup of the state's file at a path, else the base's, which ``read`` remembers across states."""
    def get(path: str) -> FileState | None:
        if path in files:
            return files[path]
        if path not in read:
            read[path] = base(path)
        return read[path]
    return get

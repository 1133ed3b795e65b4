"""With --tree, whether the tree at a variant's base commit names a word in its C code (git grep -w, memoised)."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from harness.model import Series
from harness.variants import Variant
from harness.workers import locked

if TYPE_CHECKING:
    from harness.gitbase import TreeReader

_ANSWERS = {b"1": True, b"0": False, b"-": None}


class _SharedMemo:
    """Answers kept in an unlinked file that a process forked after this is made holds too (eval's rules are judged
    by a child and this process at once: harness.workers.shared_jobs), so a word two rules list is searched once
    between them, not once in each (a kernel tree's git grep takes a second or more). Each search runs under the
    file's POSIX lock (each process's own, dropped if it dies): the other process, wanting the same word meanwhile,
    waits and reads the answer. Lines ``commit NUL word NUL 1|0|-``."""

    def __init__(self) -> None:
        self.file = tempfile.TemporaryFile()  # noqa: SIM115  # held as long as the search function is
        self.known: dict[tuple[str, str], bool | None] = {}

    def get(self, key: tuple[str, str], search: Callable[[], bool | None]) -> bool | None:
        if key in self.known:
            return self.known[key]
        if not hasattr(os, "fork") or any(c in key[1] for c in "\0\n"):  # no child to share with; not a line's word
            return self.known.setdefault(key, search())
        fd = self.file.fileno()
        with locked(fd):
            size = os.fstat(fd).st_size
            for line in os.pread(fd, size, 0).split(b"\n"):
                commit, _, rest = line.partition(b"\0")
                word, _, said = rest.partition(b"\0")
                if said in _ANSWERS:
                    self.known[commit.decode(), word.decode("utf-8", "surrogateescape")] = _ANSWERS[said]
            if key not in self.known:
                found = self.known[key] = search()
                said = next(k for k, v in _ANSWERS.items() if v is found)
                os.pwrite(fd, b"\0".join((key[0].encode(), key[1].encode("utf-8", "surrogateescape"), said)) + b"\n",
                          size)
        return self.known[key]


@dataclass(frozen=True)
class TreeSearch:
    """What the checks may ask of the tree at a variant's base commit: called, whether it names a word
    (``tree_names``); ``read(v, path)``, a file's text there (None: no such file, or no tree commit for ``v``);
    ``mentioning(v, word)``, every file there naming the word, of any kind (None: not searched, or git failed)."""

    search: Callable[[Variant, str], bool | None]
    read: Callable[[Variant, str], str | None]
    mentioning: Callable[[Variant, str], list[str] | None] = lambda _v, _word: None

    def __call__(self, v: Variant, word: str) -> bool | None:
        return self.search(v, word)


def tree_names(tree: Path, base: str | None, series: Series) -> TreeSearch:
    """A search of the base commit each revision's states are built on (harness.apply.revision_base, chosen once
    per revision and tree: the commit the variant's files come from): True where its .c or .h files name the word
    outside a comment line, False where none does, None where it cannot be told (a variant of no revision, git
    failed or timed out). One ``git grep`` per word and commit (harness.gitbase.TreeReader.names): revisions built on
    the same commit have a reader each, and share the search through the commit's id; a process forked after this
    is made shares it too (_SharedMemo). Its ``read`` gives a file's text at that commit."""
    memo = _SharedMemo()

    def reader(v: Variant) -> TreeReader | None:
        from harness.apply import revision_base
        from harness.gitbase import TreeReader  # gitpython is only needed with --tree

        rev = next((r for r in series.revisions if r.version == v.revision), None)
        if rev is None:
            return None
        found = revision_base(tree, base, rev)[1]
        return found if isinstance(found, TreeReader) else None

    def search(v: Variant, word: str) -> bool | None:
        found = reader(v)
        if found is None:
            return None
        if not found.commit:
            return found.names(word)
        return memo.get((found.commit, word), lambda: found.names(word))

    def read(v: Variant, path: str) -> str | None:
        found = reader(v)
        state = found(path) if found is not None else None
        return state.text if state is not None else None

    mentioned: dict[tuple[str, str], list[str] | None] = {}

    def mentioning(v: Variant, word: str) -> list[str] | None:  # once per commit and word: a kernel's takes seconds
        found = reader(v)
        if found is None:
            return None
        if not found.commit:
            return found.mentioning(word)
        if (found.commit, word) not in mentioned:
            mentioned[found.commit, word] = found.mentioning(word)
        return mentioned[found.commit, word]

    return TreeSearch(search, read, mentioning)

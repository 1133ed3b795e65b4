"""With --tree, whether the tree at a variant's base commit names a word in its C code (git grep -w, memoised)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from harness.model import Series
from harness.variants import Variant


def tree_names(tree: Path, base: str | None, series: Series) -> Callable[[Variant, str], bool | None]:
    """A search of the base commit each revision's states are built on (harness.apply.revision_base, chosen once
    per revision and tree: the commit the variant's files come from): True where its .c or .h files name the word
    outside a comment line, False where none does, None where it cannot be told (a variant of no revision, git
    failed or timed out). One ``git grep`` per word and commit (harness.gitbase.TreeReader.names): revisions built on
    the same commit have a reader each, and share the search through the commit's id."""
    found: dict[tuple[str, str], bool | None] = {}

    def search(v: Variant, word: str) -> bool | None:
        from harness.apply import revision_base
        from harness.gitbase import TreeReader  # gitpython is only needed with --tree

        rev = next((r for r in series.revisions if r.version == v.revision), None)
        if rev is None:
            return None
        reader = revision_base(tree, base, rev)[1]
        if not isinstance(reader, TreeReader):
            return None
        if not reader.commit:
            return reader.names(word)
        if (reader.commit, word) not in found:
            found[reader.commit, word] = reader.names(word)
        return found[reader.commit, word]

    return search

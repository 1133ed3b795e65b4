"""models.scopewalk's reading of a definition kept with the outcomes, so that a filled-cache run loads no parser."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from models.scopes import Uses, prepared, uses_from_data, uses_to_data

if TYPE_CHECKING:
    from harness.outcome_cache import OutcomeCache


def scope_uses(text: str, words: tuple[frozenset[str], frozenset[str]], store: OutcomeCache | None) -> Uses | None:
    """models.scopewalk.read_uses() of a definition's ``text`` with ``words`` (the type names it may use, the
    annotations read as nothing: models.scopes.prepared), kept in ``store`` under the text parsed and the type
    names it mentions (with the mirror's version: OutcomeCache.key), read from there when kept. None: not parsed.
    Parsing loads pycparser, which a filled-cache eval of the corpus otherwise never imports (some 90 M
    instructions, for the three definitions it reads)."""
    plain, typedefs = _prepared(text, *words)
    known = _READ.get((plain, typedefs))
    if known is not None and (store is None or known[1] == store.folder):
        return known[0]
    key = store.key(f"scopes\0{' '.join(typedefs)}\0{plain}") if store is not None else ""
    kept = uses_from_data(store.get_data(key)) if store is not None else None
    if kept is None:
        from models.scopewalk import read_uses  # the C parser's: a definition no run has read before

        kept = (read_uses(plain, typedefs),)
        if store is not None:
            store.put_data(key, uses_to_data(kept[0]))
    if len(_READ) > 4096:
        _READ.clear()
    _READ[(plain, typedefs)] = kept[0], None if store is None else store.folder
    return kept[0]


# Each definition's reading, as this process found or read it, and the cache that holds it (None: none): each
# comparison and rule asks again for the same definitions (the corpus' eval, 24 times for 3), one read of its entry.
_READ: dict[tuple[str, tuple[str, ...]], tuple[Uses | None, Path | None]] = {}
_prepared = lru_cache(maxsize=4096)(prepared)

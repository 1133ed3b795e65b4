"""The mirror's primitives' names and name arguments, kept per mirror version: a filled-cache run need not load them.

harness.unknowncallees asks which callees are the mirror's primitives (models.kernel.PRIMITIVES) and which of their
arguments name a variable rather than read one (Primitive.name_args). Loading models.kernel for that loads the whole
interpreter (pycparser, pcpp and ~40 modules of the mirror): 190 M instructions and 4 MB of a filled-cache eval of
the corpus, which runs no code. The table depends only on the mirror's source, so it is kept under
``$XDG_CACHE_HOME/seamharness`` (one file per Python) with the mirror's digest (models.outcome.mirror_version,
which the outcome cache's keys name: any change to the mirror's files is another digest); a missing, damaged,
other-shaped or other mirror's file is never read: the table is worked out again from models.kernel.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import sys
from functools import lru_cache
from pathlib import Path

from harness.cachedir import cache_root

# The Python the table was made under (a dict's order, the json module): another one's file is never read.
_TAG = hashlib.sha256(f"primitives-1\0{sys.version}\0{sys.implementation.cache_tag}".encode()).hexdigest()[:12]
PREFIX = "primitives-"  # the files' names start so (harness.runcache leaves them out of a run's inputs)

Table = dict[str, tuple[int, ...]]  # primitive -> its name_args


@lru_cache(maxsize=1)
def primitive_args() -> Table:
    """{name: Primitive.name_args} of each of models.kernel.PRIMITIVES, in its order: read from the file kept
    (kept_path) when it was written for this very mirror and models.kernel is not loaded yet, else taken from
    models.kernel (and the file written when it holds another mirror's table or none; a folder that refuses leaves
    it unwritten). One file, rewritten for each new mirror, not one more per mirror."""
    from models.outcome import mirror_version

    path, mirror = kept_path(), mirror_version()
    kept = _read(path, mirror)
    if kept is not None and not _kernel_loaded():
        return kept
    from models.kernel import PRIMITIVES

    table = {n: tuple(p.name_args) for n, p in PRIMITIVES.items()}
    if kept != table:
        from harness.atomic import atomic_write_bytes
        from harness.errors import UsageError

        data = {"mirror": mirror, "table": table}
        with contextlib.suppress(UsageError):
            atomic_write_bytes(path, json.dumps(data, separators=(",", ":")).encode(), make_parents=True)
    return table


def _kernel_loaded() -> bool:
    return "models.kernel" in sys.modules


def kept_path() -> Path:
    """Where the table is kept for this Python (_TAG)."""
    return cache_root() / f"{PREFIX}{_TAG}.json"


def _read(path: Path, mirror: str) -> Table | None:
    """The table ``path`` holds for ``mirror`` (models.outcome.mirror_version): a JSON object of names to lists of
    argument indexes; None if it is absent, damaged, of another shape or another mirror's."""
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None
    table = data.get("table") if isinstance(data, dict) and data.get("mirror") == mirror else None
    if not isinstance(table, dict) or not all(
            isinstance(args, list) and all(type(i) is int for i in args) for args in table.values()):
        return None
    return {n: tuple(args) for n, args in table.items()}

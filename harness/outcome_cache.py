"""A persistent cache of mirror outcomes, keyed by the code that ran, the scenario inputs and the mirror itself.

Re-running eval or gate on unchanged code (a CI gate on every push) then skips the mirror. Entries are
JSON, never pickle; a missing, stale or damaged entry is simply a miss.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from functools import lru_cache
from pathlib import Path

from harness.atomic import atomic_write_text
from harness.cachedir import cache_root
from harness.errors import UsageError
from models.mirror import Outcome, outcome_from_dict, outcome_to_dict


@lru_cache(maxsize=1)
def mirror_version() -> str:
    """A hash of the mirror's own source: any change to the interpreter or the prelude invalidates the cache."""
    root = Path(__file__).resolve().parents[1] / "models"
    h = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        h.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()[:16]


def default_cache_dir() -> Path:
    return cache_root() / "outcomes"


def open_cache(folder: Path | None) -> OutcomeCache | None:
    """The cache in this folder, or none at all."""
    return OutcomeCache(folder) if folder is not None else None


class OutcomeCache:
    """Outcomes of one code group over its scenarios, one JSON file per key."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def key(self, description: str) -> str:
        return hashlib.sha256(f"{mirror_version()}\0{description}".encode()).hexdigest()

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def get(self, key: str, count: int) -> list[Outcome] | None:
        try:
            data = json.loads(self._path(key).read_text(encoding="utf-8"))
            if data.get("key") != key or len(data["outcomes"]) != count:
                return None
            return [outcome_from_dict(d) for d in data["outcomes"]]
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None

    def put(self, key: str, outcomes: list[Outcome]) -> None:
        payload = json.dumps({"key": key, "outcomes": [outcome_to_dict(o) for o in outcomes]},
                             separators=(",", ":"))
        with contextlib.suppress(UsageError):  # an unwritable cache only costs speed
            atomic_write_text(self._path(key), payload)

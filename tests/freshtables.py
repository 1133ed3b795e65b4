"""The library's bounded process tables, found in its source, swapped for empty ones for the length of a test.

harness.memo's table (and every ``Table``/``Buckets`` a module keeps for by_identity or among) and each module's own
cache written ``if len(_X) >= N: _X.clear()`` live as long as the process and start again at their bound. Under
pytest-xdist a worker runs a few thousand tests in one process: whatever its earlier tests left decides where a
later test's table starts again, and a test counting reads or calls then saw a read made twice (an entry lost
halfway: tests/harness/test_countedalike.py, 9430348f) or none (an equal key kept by an earlier test). Each test
given empty tables sees what one run of the command sees: tables starting empty. Found by reading the modules'
source, as models.mirror.clear_caches finds its lru_caches by looking, so that a table added later is found too."""

from __future__ import annotations

import re
import sys
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("harness", "models", "reports")

# A module-level table of harness.memo's kinds, or a cache the module starts again itself at a bound.
_MEMO_TABLE = re.compile(r"^(_\w+): (?:\w+\.)?(?:Table|Buckets) = \{\}", re.M)
_CLEARED = re.compile(r"^[ \t]*if len\((_\w+)\) >=? [^:\n]+:(?:[ \t]*#[^\n]*)?\s*\1\.clear\(\)", re.M)


def tables_in(text: str) -> list[str]:
    """Names of the tables a module's source keeps in either form, each once, in the order they are first found."""
    return list(dict.fromkeys([*_MEMO_TABLE.findall(text), *_CLEARED.findall(text)]))


@cache
def bounded_tables() -> tuple[tuple[str, str], ...]:
    """(module, name) of every table the two patterns find in the packages' modules, in path order. Names a
    function's local of the same form too: fresh_tables swaps only module attributes that are dicts or sets."""
    found: list[tuple[str, str]] = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            found += [(module, name) for name in tables_in(path.read_text(encoding="utf-8"))]
    return tuple(found)


def fresh_tables(monkeypatch: pytest.MonkeyPatch) -> int:
    """Each bounded table of the modules imported so far replaced by an empty one of its type until ``monkeypatch``
    is undone (the process' tables come back as they were); a module imported later starts with its own empty
    ones. Returns how many were replaced."""
    swapped = 0
    for module_name, name in bounded_tables():
        module = sys.modules.get(module_name)
        kept = getattr(module, name, None) if module is not None else None
        if isinstance(kept, (dict, set)):
            monkeypatch.setattr(module, name, type(kept)())
            swapped += 1
    return swapped

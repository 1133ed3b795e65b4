"""The bundled series' TOML files read ahead: their data kept in harness/data/toml-kept.json, under their texts' digest.

Why: `series` of the corpus reads the bundled manifest, and loading tomllib (its parser's module and the patterns it
compiles as it loads) with parsing it cost some 40 M instructions of its 1,090 M; eval reads three such files. A text
whose digest the file holds is given the data tomllib gave it when the file was written (``python -m
harness.tomlkept``; tests/harness/test_tomlkept.py fails when a bundled file's is missing or differs); any other text
(a file of the user's, a bundled one edited since) is read by tomllib, as before. Only data JSON gives back as it was
(strings, integers, floats, booleans, arrays, tables: no dates) is kept.
"""

from __future__ import annotations

import functools
import hashlib
import json
from pathlib import Path
from typing import Any

_FILE = Path(__file__).with_name("data") / "toml-kept.json"
_SERIES = Path(__file__).resolve().parents[1] / "series"


def key(text: str) -> str:
    """What a text's data is kept under: a digest of its UTF-8 bytes (BLAKE2b, 16 bytes)."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


@functools.cache
def _table_text() -> str:
    try:
        return _FILE.read_text(encoding="utf-8")
    except (OSError, ValueError):
        return "{}"


def kept(text: str) -> dict[str, Any] | None:
    """tomllib.loads(text) as kept for a bundled file's text, made afresh at each call (a caller may change what it
    is given); None for a text the file holds no data of."""
    try:
        table = json.loads(_table_text())
    except ValueError:
        return None
    found = table.get(key(text)) if isinstance(table, dict) else None
    return found if isinstance(found, dict) else None


def same(a: Any, b: Any) -> bool:
    """Whether ``a`` and ``b`` are equal with the same type at every level (1, 1.0 and True are equal in Python)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def keepable(data: dict[str, Any]) -> bool:
    """Whether JSON gives ``data`` back as it is (no dates, no NaN)."""
    try:
        return same(json.loads(json.dumps(data, allow_nan=False)), data)
    except (TypeError, ValueError):
        return False


def bundled() -> list[Path]:
    """The bundled series' TOML files."""
    return sorted(_SERIES.rglob("*.toml"))


def table() -> dict[str, dict[str, Any]]:
    """The data to keep: each bundled file's that JSON keeps, as tomllib reads it (its text as harness.tomlfile
    reads it: UTF-8, line ends as they are)."""
    import tomllib

    out = {}
    for path in bundled():
        text = path.read_bytes().decode("utf-8")
        data = tomllib.loads(text)
        if keepable(data):
            out[key(text)] = data
    return out


def kept_table() -> dict[str, Any]:
    """What the file holds."""
    found = json.loads(_table_text())
    return found if isinstance(found, dict) else {}


def main() -> None:
    _FILE.write_text(json.dumps(table(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

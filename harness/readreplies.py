"""The replies the user read themselves, as the rules file's ``[[read]]`` tables say.

A reply seamharness cannot read (its language, no text part) blocks the gate unless the user says here what it said.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from harness.errors import InputError, Where
from harness.spec import key_locator, read_spec
from harness.tomlfile import load_toml, top_key_line
from models.record import record


@record
class _Read:
    """One ``[[read]]`` table: the reply, by Message-ID, and what the user read it as."""

    msgid: str
    said: str


def read_tables(text: str, data: dict[str, Any], path: Path) -> dict[str, str]:
    """The ``[[read]]`` tables of a rules file's TOML (``text``, ``data``): Message-ID -> "what it said (FILE:LINE)".
    Raises InputError at the table's line for an unknown key, a missing or empty one, or a Message-ID given twice."""
    tables = data.get("read", [])
    starts = [n for n, ln in enumerate(text.splitlines(), start=1) if re.match(r"\s*\[\[\s*read\s*\]\]", ln)]
    if not isinstance(tables, list) or len(starts) != len(tables) or not all(isinstance(t, dict) for t in tables):
        raise InputError(Where(str(path), top_key_line(text, "read")), "write each reply read as a [[read]] table "
                                                                       '(msgid = "...", said = "...")')
    out: dict[str, str] = {}
    for n, table in enumerate(tables):
        end = starts[n + 1] - 1 if n + 1 < len(starts) else len(text.splitlines())
        locate = key_locator(text, str(path), starts[n], end)
        entry = read_spec(_Read, table, locate)
        msgid = entry.msgid.strip().strip("<>").strip()
        for key, value in (("msgid", msgid), ("said", entry.said.strip())):
            if not value:
                raise InputError(locate(key), f"'{key}' of a [[read]] table is empty: name the reply and say what "
                                              "it said")
        if msgid in out:
            raise InputError(locate("msgid"), f"reply <{msgid}> is in two [[read]] tables")
        out[msgid] = f'"{entry.said.strip()}" ({path}:{starts[n]})'
    return out


def replies_read(path: Path) -> dict[str, str]:
    """read_tables of the rules file at ``path`` (read and checked by load_rules before)."""
    text, data = load_toml(path)
    return read_tables(text, data, path)

"""models.leafeval: the known bits of a function's expressions, each constant read once for every use."""

from __future__ import annotations

import pytest

import models.leafeval as leafeval
from models.facts import DEAD
from tests.models.test_leafbits import _fixed


def test_a_constant_is_read_once_for_every_use(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each use of a constant in a condition was read anew (its type by C11 6.4.4.1, a value made)."""
    reads: list[str] = []
    literal_type = leafeval.literal_type

    def counted(text: str, where: str = "") -> tuple[int, object]:
        reads.append(text)
        return literal_type(text, where)

    monkeypatch.setattr(leafeval, "literal_type", counted)
    tdx, _ = _fixed("".join("\tif ((fn & 0x7badf00dULL) == 0 && is_ldr(fn))\n\t\tleft = 5;\n" for _ in range(8)))
    assert reads.count("0x7badf00dULL") == 1
    assert {"F"} in tdx.values() and {DEAD} in tdx.values()

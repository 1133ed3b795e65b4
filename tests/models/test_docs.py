"""docs/mirror.md names every guard class and lock primitive family the mirror models."""

from __future__ import annotations

import re
from pathlib import Path

from models.locking import GUARD_CLASSES

DOC = Path(__file__).resolve().parents[2] / "docs" / "mirror.md"


def test_every_guard_class_is_documented() -> None:
    text = DOC.read_text()
    for kind in GUARD_CLASSES:
        base = re.sub(r"(_irqsave|_irq)?(_try)?$", "", kind)
        assert f"`{kind}`" in text or f"`{base}`" in text, kind

"""Regular expressions compiled when first used (models.lazyre's ``lazy``, which the harness's modules import here)."""

from __future__ import annotations

from models.lazyre import lazy

__all__ = ["lazy"]

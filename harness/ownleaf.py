"""The leaf an entry point fed no leaf issued, named as the matrix names it: eval's comparisons and gate's evidence."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from models.outcome import Outcome


def leaf_word(leaves: Mapping[str, int], leaf: int) -> str:
    """The matrix's first name for a SEAMCALL leaf number (``[leaves]``), else the number in hex (``0x22``)."""
    return next((name for name, number in leaves.items() if number == leaf), f"{leaf:#x}")


def issued_leaf(leaves: Mapping[str, int], outcomes: Iterable[Outcome]) -> str:
    """The one leaf every SEAMCALL of ``outcomes`` issued, by leaf_word; "" where they issued none, or two or more."""
    issued = {c.leaf for o in outcomes for c in o.calls}
    return leaf_word(leaves, next(iter(issued))) if len(issued) == 1 else ""

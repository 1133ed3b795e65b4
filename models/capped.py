"""A run's record of one kind (SEAMCALLs, log lines, events): the first items kept, the rest only counted."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

# Per run and per kind: SEAMCALLs, log lines, events kept. A review reads the first few; a runaway loop
# must not keep 100,000 of each (memory, report and cache size); the rest is counted.
MAX_RECORDS = 100
T = TypeVar("T")


_list_append = list.append


class Record(list[T]):
    """The first ``cap`` items appended (``append``/``extend``); later ones are only counted in ``dropped``."""

    __slots__ = ("cap", "dropped")

    def __init__(self, cap: int = MAX_RECORDS) -> None:
        # list.__init__ is not called: with no argument it would only empty the list object.__new__ made empty (one
        # Machine makes three of these per run, and super().__init__() was most of their cost).
        self.cap = cap
        self.dropped = 0

    def append(self, item: T) -> None:
        if len(self) < self.cap:
            _list_append(self, item)  # not super().append: a super object made at each of a run's records
        else:
            self.dropped += 1

    def extend(self, items: Iterable[T]) -> None:
        for item in items:
            self.append(item)

    @property
    def seen(self) -> int:
        """Every item appended, kept or not."""
        return len(self) + self.dropped

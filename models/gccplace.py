"""gcc's ``file:line`` of code below a ``#line``, carrying the line the file holds it on (read without a parser)."""

from __future__ import annotations


class Place(str):
    """gcc's ``file:line`` of a coordinate below a ``#line`` (what messages, events and ``__LINE__`` say:
    Program.where), carrying ``physical``, the ``file:line`` the file holds it on: what depends on where in the file
    the code is (the pr_fmt a ``#define`` above it gives: models.prfmt_site) reads that (file_place)."""

    physical: str

    def __new__(cls, gcc: str, physical: str = "") -> Place:
        out = super().__new__(cls, gcc)
        out.physical = physical or gcc
        return out

    def __reduce__(self) -> tuple[type[Place], tuple[str, str]]:
        return Place, (str(self), self.physical)


def file_place(where: str) -> str:
    """The ``file:line`` the file holds the code at ``where`` on: a Place's ``physical``, else ``where``."""
    return where.physical if isinstance(where, Place) else where

"""A function's decision and a decision changed between two programs: the records compare passes around."""

from __future__ import annotations

from pycparser import c_ast

from models.record import record


@record
class Decision:
    """A decision of a function: where (file:line, the file's own line: models.linecoord.file_line), its shape (the
    parsed condition, macros expanded) and node."""

    function: str
    where: str
    shape: tuple[object, ...]
    node: c_ast.Node


@record
class Changed:
    """A decision whose condition differs between the two programs (``a`` or ``b`` None: one side has no twin).
    ``via``: the functions the condition calls whose code differs (each with the place it differs at on either
    side), when the condition's own text is the same: ``if (is_x_call(fn))`` over a changed ``return``. ``reads``:
    the names whose values changed under the same text (harness.valuereaders), each with its value and where it is
    set on either side; the decisions then read those values in their place."""

    a: Decision | None
    b: Decision | None
    via: tuple[tuple[str, str, str], ...] = ()
    reads: tuple[tuple[str, str, str], ...] = ()

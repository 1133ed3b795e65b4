"""A ``switch`` in the retry-count walk (models.retrycount): the label gcc jumps to for the value the walk holds."""

# C11 6.8.4.2p5: the controlling expression is promoted and each case's constant converted to that promoted type; the
# jump goes to the case whose converted constant equals the promoted value, else to the default, else past the body.
# From there the statements run on through the labels below (a case without a break falls through) up to a break of
# the switch's own. Only a body of labels standing at its top is read here: a label inside another statement (a loop
# or an if holding a case, Duff's device) or a statement above the first label is refused with the reason.

from __future__ import annotations

from collections.abc import Callable

from pycparser import c_ast

from models.ctype import Int, promote
from models.retryints import Typed

Labels = list[c_ast.Case | c_ast.Default]


def labels(node: c_ast.Switch) -> Labels | str:
    """The case and default labels of the switch's body, in order, each at the body's top; why not read (str)."""
    body = node.stmt.block_items or [] if isinstance(node.stmt, c_ast.Compound) else [node.stmt]
    if not all(isinstance(item, (c_ast.Case, c_ast.Default)) for item in body):
        return "its body holds a statement above its first label, or is no block of labels"
    todo = [s for item in body for s in item.stmts or []]
    while todo:
        n = todo.pop()
        if isinstance(n, (c_ast.Case, c_ast.Default)):
            return "a label of it stands inside another statement"
        if not isinstance(n, c_ast.Switch):  # a switch inside has labels of its own
            todo.extend(c for _, c in n.children())
    return body


def start(items: Labels, value: int, read: Callable[[c_ast.Node], int]) -> int | str:
    """The index in ``items`` of the label the switch on ``value`` jumps to, ``len(items)`` past the body; why not
    known (str): the value's type not known (an answer, an enumerator), a case's constant not read."""
    if not isinstance(value, Typed):
        return "the type of the value it switches on is not known"
    t = promote(value.t)
    assert isinstance(t, Int)
    found = [i for i, item in enumerate(items) if isinstance(item, c_ast.Case)
             and t.wrap(read(item.expr)) == t.wrap(value)]
    if len(found) > 1:
        return "two of its cases have the value"
    defaults = [i for i, item in enumerate(items) if isinstance(item, c_ast.Default)]
    return found[0] if found else defaults[0] if len(defaults) == 1 else len(items) if not defaults else \
        "it has two defaults"

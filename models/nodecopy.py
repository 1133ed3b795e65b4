"""A copy of parsed C whose coordinates are some lines further down: a definition a patch moved, parsed once."""

from __future__ import annotations

import weakref
from typing import Any

from pycparser import c_ast
from pycparser.c_parser import Coord


def moved(value: Any, lines: int, memo: dict[int, Any], files: tuple[str, str] | None = None) -> Any:
    """A copy of a parsed node (and what it holds: nodes, lists, coordinates; shared ones stay shared) whose
    coordinates in the definition are ``lines`` further down (the typedef lines before it stay); with ``files``
    (old, new), those in file old are in file new."""
    kind = type(value)
    if kind is str or value is None or kind is int or kind is bool:
        return value
    kept = memo.get(id(value))
    if kept is not None:
        return kept
    slots = _NODE_SLOTS.get(kind)
    if slots is not None:  # a node: its fields, strings and absent ones (None) copied without a call
        new = memo[id(value)] = object.__new__(kind)
        for name in slots:
            field_value = getattr(value, name, _UNSET)
            if field_value is None or type(field_value) is str:
                setattr(new, name, field_value)
            elif field_value is not _UNSET:
                setattr(new, name, moved(field_value, lines, memo, files))
    elif kind is Coord:
        line = value.line + lines if value.file != "<typedefs>" and value.line is not None else value.line
        file = files[1] if files is not None and value.file == files[0] else value.file
        new = memo[id(value)] = Coord(file, line, value.column)
    elif kind is list:
        new = memo[id(value)] = []
        new.extend([moved(x, lines, memo, files) for x in value])
    elif kind is tuple:
        new = memo[id(value)] = tuple([moved(x, lines, memo, files) for x in value])
    elif isinstance(value, str | int):
        return value
    elif isinstance(value, c_ast.Node):
        _NODE_SLOTS[kind] = tuple(n for n in kind.__slots__ if n != "__weakref__")
        return moved(value, lines, memo, files)
    else:
        raise TypeError(f"a parsed node holds a {type(value).__name__}")  # never: pycparser's nodes hold no other
    return new


_UNSET = object()
# Per pycparser node class, the fields moved() copies (its __slots__ but the weak reference), filled as met.
_NODE_SLOTS: dict[type, tuple[str, ...]] = {}


# Per copy that moved() made of a parsed definition (its FuncDef and body), the parsed node it copies: node-free
# facts of a body (names, counts) read through origin() are read once per text, wherever a patch moved it.
_ORIGIN: weakref.WeakKeyDictionary[c_ast.Node, c_ast.Node] = weakref.WeakKeyDictionary()


def remember_copies(nodes: tuple[c_ast.Node, ...], memo: dict[int, Any]) -> None:
    """Each function of a parsed definition's top-level ``nodes`` and its body: the copies moved() made of them (in
    ``memo``, its memo) are remembered as theirs (origin)."""
    for n in nodes:
        if isinstance(n, c_ast.FuncDef) and id(n) in memo:
            _ORIGIN[memo[id(n)]] = n
            _ORIGIN[memo[id(n.body)]] = n.body


def origin(node: c_ast.Node) -> c_ast.Node:
    """The parsed node ``node`` is a moved copy of (remember_copies), or ``node``: the same text but for coordinates and
    file names. Only for what reads no coordinate and hands back no node (a copy's own nodes stay its own)."""
    return _ORIGIN.get(node, node)

"""Two numberings of code below a ``#line``: gcc's (messages, events, ``__LINE__``) and the file's own (coverage)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pycparser import c_ast
from pycparser.c_parser import Coord

from models.gccplace import Place
from models.lazyre import lazy
from models.placetokens import TU_NAME

# What a #line marker's file name carries after it where gcc numbers the lines below a #line directive otherwise than
# the file holds them: the difference (gcc's line - the file's). Written by models.cpphooks, carried on to pcpp's own
# markers below it (in_path), read back and removed right after the parse (place_nodes): never in a coordinate.
SEP = "\x01"
_MARKED = lazy(SEP + r"-?[0-9]+")
_MARKER = re.compile(rf'^#line ([0-9]+) "{re.escape(TU_NAME)}(?:{SEP}(-?[0-9]+))?"[ \t]*', re.MULTILINE)


@dataclass(slots=True)
class LineCoord(Coord):  # type: ignore[misc]
    """A coordinate below a ``#line`` in a body: ``line`` is gcc's (C11 6.10.4: what ``__LINE__``, WARN()'s "at
    FILE:LINE" and gcc's diagnostics say), ``physical`` the line the file holds it on, which statement and decision
    coverage name (harness.runcover matches them with a definition's lines in the file)."""

    physical: int = 0


def placed(where: str, coord: object) -> str:
    """``where`` (Program.where's ``file:line`` of ``coord``) as a Place where ``coord`` is a LineCoord."""
    return Place(where, f"{coord.file}:{coord.physical}") if isinstance(coord, LineCoord) else where


def marked(name: str, delta: int) -> str:
    """A marker's file ``name`` saying that gcc numbers the lines below it ``delta`` further than the file does."""
    return f"{name}{SEP}{delta}"


def unmarked(text: str) -> str:
    """``text`` (a parse error naming a coordinate) without the differences marked() writes."""
    return _MARKED().sub("", text) if SEP in text else text


def in_path(out: str, path: str) -> str:
    """pcpp's output of a definition of ``path`` with its markers naming ``path``: every marker below a marked
    ``#line`` directive (models.cpphooks) carries its difference on, until the next one says another."""
    delta = 0

    def one(m: re.Match[str]) -> str:
        nonlocal delta
        if m.group(2) is not None:
            delta = int(m.group(2))
        return f'#line {m.group(1)} "{marked(path, delta) if delta else path}"'

    return _MARKER.sub(one, out)


def place_nodes(nodes: tuple[c_ast.Node, ...]) -> None:
    """Make every coordinate of ``nodes`` whose file carries a difference (in_path) a LineCoord of that file: its
    line gcc's, its ``physical`` line the file's. Changes the nodes (a fresh parse's, before anything reads them)."""
    todo: list[Any] = list(nodes)
    seen: set[int] = set()
    while todo:
        value = todo.pop()
        if id(value) in seen:
            continue
        seen.add(id(value))
        if isinstance(value, list | tuple):
            todo.extend(value)
        elif isinstance(value, c_ast.Node):
            for name in type(value).__slots__:
                if name == "coord":
                    value.coord = _placed(value.coord)
                elif name != "__weakref__":
                    field = getattr(value, name, None)
                    if isinstance(field, c_ast.Node | list | tuple):
                        todo.append(field)


def _placed(coord: Any) -> Any:
    if type(coord) is not Coord or SEP not in coord.file:
        return coord
    path, _, delta = coord.file.partition(SEP)
    return LineCoord(path, coord.line, coord.column, coord.line - int(delta))


def file_line(where: Callable[[object], str], coord: object) -> str:
    """``file:line`` of a coord on the line the file holds it: a LineCoord's ``physical`` line, else ``where(coord)``
    (models.cload.Program.where), which says gcc's line (C11 6.10.4) below a ``#line``. What a note quoting the
    file's text names and reads it at (harness.valuereaders.line_text), and compares places by: below a ``#line``
    gcc's number may be no line of the file, or another statement's."""
    if isinstance(coord, LineCoord):
        return f"{coord.file}:{coord.physical}"
    return where(coord)


def site(where: Callable[[object], str], coord: object) -> str:
    """``file:line:column`` of a coord on the line the file holds it (file_line), which statement and decision
    coverage name (harness.runcover matches it with a definition's lines in the file)."""
    return f"{file_line(where, coord)}:{getattr(coord, 'column', 0) or 0}"

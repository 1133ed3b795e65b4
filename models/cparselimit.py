"""Parsing one expanded definition within the nesting the mirror walks, its literals read as gcc reads them."""

from __future__ import annotations

import re
import sys
from functools import lru_cache
from types import FrameType

from pycparser import c_ast

from models.cparse import GnuParser
from models.cpp import TU_NAME
from models.errors import LoadError
from models.linecoord import SEP, place_nodes
from models.literals import PR_FMT_MARK, EscapeError, char_value, is_char_constant, string_bytes

STRING = re.compile(r'"[^"\\\n]*+(?:\\.[^"\\\n]*+)*+"')  # a string literal on one line


# C nested deeper than this (an operand of an operand ..., blocks in blocks, an if's if) is refused where it
# is (a LoadError: the code "did not run", said with its FILE:LINE), so that every walk of the tree after the
# parse (the interpreter, coverage, the rules' code facts), each a few Python frames a level, stays well
# inside Python's recursion limit whatever the input. gcc has no such limit; kernel code nests a few dozen.
MAX_NESTING = 200
# Python frames pycparser's recursive descent may use for one definition, over those below it: fixed, so that
# whether a definition parses depends on its text only, never on the caller's depth or recursion limit
# (a parenthesis costs it about seven; MAX_NESTING of them fit).
_PARSE_FRAMES = 3000


@lru_cache(maxsize=8192)
def parse_chunk(expanded: str, typedefs: tuple[str, ...]) -> tuple[c_ast.Node, ...]:
    """Parse one expanded definition; typedef names are declared first so pycparser can tell types apart.
    RecursionError when its nesting is past what _PARSE_FRAMES parse; LoadError past MAX_NESTING."""
    prefix = "".join(f"typedef int {t};\n" for t in typedefs)
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(_depth() + _PARSE_FRAMES)
    try:
        ast = GnuParser().parse(prefix + expanded, "<typedefs>")
    finally:
        sys.setrecursionlimit(limit)
    nodes = tuple(ast.ext[len(typedefs):])
    if SEP in expanded:  # below a #line in a body: gcc's lines, and the file's for coverage (models.linecoord)
        place_nodes(nodes)
    check_parsed(nodes)
    return nodes


def deepest_line(text: str, line: int) -> int:
    """The line of ``text`` (its first is ``line``) where its brackets first nest past MAX_NESTING, else
    ``line``: where a definition too deep for the parser is deep (macro arguments and unary chains nest without
    brackets of their own; their definition's first line is named then)."""
    depth = 0
    for n, row in enumerate(STRING.sub('""', text).split("\n")):
        for ch in row:
            depth += (ch in "([{") - (ch in ")]}")
            if depth > MAX_NESTING:
                return line + n
    return line


def _depth() -> int:
    """The Python frames below the caller."""
    frame: FrameType | None = sys._getframe(1)
    n = 0
    while frame is not None:
        frame, n = frame.f_back, n + 1
    return n


def check_parsed(nodes: tuple[c_ast.Node, ...]) -> None:
    """Nesting within MAX_NESTING, and every string and character literal's escapes read as gcc reads them;
    one gcc refuses (``\\x`` with no digit, an incomplete universal character name) is a LoadError at its
    place, before anything runs it. The prelude's pr_fmt() mark (models.literals.PR_FMT_MARK) is not the
    variant's: its prefix comes at run time."""
    todo = [(node, 1) for node in nodes]
    while todo:
        node, depth = todo.pop()
        if depth > MAX_NESTING:
            where = f"{node.coord.file}:{node.coord.line}" if node.coord else TU_NAME
            raise LoadError(where, f"C nested more than {MAX_NESTING} levels deep is not modelled")
        if isinstance(node, c_ast.Enum) and getattr(node, "underlying_type", None) is not None:
            # pycparser 3 reads it; the mirror's enums are int or unsigned int (its type, and its enumerators')
            where = f"{node.coord.file}:{node.coord.line}" if node.coord else TU_NAME
            raise LoadError(where, f"enum {node.name or '(anonymous)'}: a fixed underlying type (C23 'enum e : T', "
                                   "which gcc builds from version 13) is not modelled")
        if isinstance(node, c_ast.Constant) and (node.type == "string" or is_char_constant(node.value)):
            where = f"{node.coord.file}:{node.coord.line}" if node.coord else TU_NAME
            try:
                value = string_bytes(node.value, b"") if node.type == "string" else b""
                if node.type != "string":
                    char_value(node.value)
            except EscapeError as exc:
                raise LoadError(where, f"C gcc refuses: {exc}") from exc
            if PR_FMT_MARK.encode() in value:  # "#" made text of a pr_fmt() use: its prefix, not this mark
                raise LoadError(where, "pr_fmt() in a macro argument made a string (# or __stringify()) is not "
                                       "modelled: its text holds the prefix, known only where the code runs")
        todo.extend((child, depth + 1) for child in node)

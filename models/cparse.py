"""pycparser with the GNU C the kernel writes: ``a ?: b``, case ranges, typeof, __auto_type, attributes."""

# pycparser 3 already reads statement expressions and C23 ``[[...]]`` attributes; this adds the GNU
# spellings on top of its recursive-descent parser. GNU ``__attribute__((...))`` lists are rewritten
# after preprocessing (gnu_attributes): the ones with a meaning for the mirror become ``[[...]]``
# attributes on the declarator, the rest (unused, always_inline, format, ...) are dropped.

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from pycparser import c_ast, c_lexer, c_parser

# GNU alternate keywords (gcc manual, "Alternate Keywords") and type inference, as pycparser tokens.
_GNU_KEYWORDS = {
    "typeof": "TYPEOF", "__typeof__": "TYPEOF", "__typeof": "TYPEOF", "__auto_type": "AUTO",
    "__inline": "INLINE", "__inline__": "INLINE", "__volatile": "VOLATILE", "__volatile__": "VOLATILE",
    "__const": "CONST", "__const__": "CONST", "__restrict": "RESTRICT", "__restrict__": "RESTRICT",
    "__signed": "SIGNED", "__signed__": "SIGNED", "__alignof__": "_ALIGNOF", "__alignof": "_ALIGNOF",
    "typeof_unqual": "TYPEOF_UNQUAL", "__typeof_unqual__": "TYPEOF_UNQUAL", "__builtin_offsetof": "OFFSETOF",
}
# Attributes whose meaning the mirror needs: kept as [[name(args)]]; every other one is dropped.
# pragma_pack(n) is the mark models.slicer puts on a struct laid out under a #pragma pack(n) but pack(1).
KEPT_ATTRIBUTES = frozenset({"cleanup", "packed", "aligned", "pragma_pack"})
RANGE_OP = "..."
ALIGNOF = "_Alignof"
TYPES_COMPATIBLE = "__builtin_types_compatible_p"
# The prelude's __same_type(a, b) (include/linux/compiler.h: __builtin_types_compatible_p(typeof(a), typeof(b))), each
# of whose arguments is an expression or a type name, as typeof's: ``__same_type(x, u32)``.
SAME_TYPE = "__sh_same_type"


class GnuLexer(c_lexer.CLexer):  # type: ignore[misc]
    """The legacy C lexer plus the GNU keyword spellings."""

    def __init__(self, error_func: Callable[..., Any], dialect: str = "legacy") -> None:
        super().__init__(error_func=error_func, dialect="legacy")
        self._keyword_map.update(_GNU_KEYWORDS)


class GnuParser(c_parser.CParser):  # type: ignore[misc]
    """pycparser's parser reading GNU C: ``?:`` keeps iftrue None, a case range and a range designator's index
    are ``BinaryOp('...')``."""

    def __init__(self) -> None:
        super().__init__(lexer=GnuLexer)
        # Attributes and type inference are C23 in pycparser; GNU C has both. The lexer stays legacy,
        # so that 'bool', 'true' and 'false' remain the names the kernel defines itself.
        self._dialect = "c23"

    def _parse_error(self, msg: str, coord: Any) -> Any:
        # Some errors name the file alone ("Invalid expression": a macro the code does not define called with a type,
        # FOO(struct s)): the token the parser stopped at names the line
        if coord is None or isinstance(coord, str):
            tok = self._peek()
            coord = self._tok_coord(tok) if tok is not None else coord
        return super()._parse_error(msg, coord)

    def _parse_conditional_expression(self) -> c_ast.Node:
        expr = self._parse_binary_expression()
        if not self._accept("CONDOP"):
            return expr
        iftrue = None if self._peek_type() == "COLON" else self._parse_expression()
        self._expect("COLON")
        iffalse = self._parse_conditional_expression()
        return c_ast.TernaryOp(expr, iftrue, iffalse, expr.coord)

    def _parse_unary_expression(self) -> c_ast.Node:
        # ``_Alignof(type)`` and GNU ``__alignof__``, of a type or of an expression (gcc manual, "Alignment"): one
        # operator, "_Alignof", whose operand is not evaluated, as sizeof's
        if self._peek_type() != "_ALIGNOF":
            return super()._parse_unary_expression()
        tok = self._advance()
        result = self._try_parse_paren_type_name()
        if result is not None and self._peek_type() != "LBRACE":
            return c_ast.UnaryOp(ALIGNOF, result[0], self._tok_coord(tok))
        if result is not None:
            self._reset(result[1])
        return c_ast.UnaryOp(ALIGNOF, self._parse_unary_expression(), self._tok_coord(tok))

    def _parse_primary_expression(self) -> c_ast.Node:
        # GNU's __builtin_types_compatible_p(type1, type2) takes two type names: a call of TYPES_COMPATIBLE whose
        # arguments are the Typenames, as pycparser gives __builtin_offsetof's
        tok = self._peek()
        if tok is None or tok.type != "ID" or tok.value not in (TYPES_COMPATIBLE, SAME_TYPE) \
                or self._peek_type(2) != "LPAREN":
            return super()._parse_primary_expression()
        self._advance()
        self._expect("LPAREN")
        either = tok.value == SAME_TYPE  # a type name where one starts, else an expression
        first = self._parse_type_name() if not either or self._starts_declaration() else \
            self._parse_assignment_expression()
        self._expect("COMMA")
        second = self._parse_type_name() if not either or self._starts_declaration() else \
            self._parse_assignment_expression()
        self._expect("RPAREN")
        coord = self._tok_coord(tok)
        return c_ast.FuncCall(c_ast.ID(tok.value, coord), c_ast.ExprList([first, second], coord), coord)

    def _parse_labeled_statement(self) -> c_ast.Node:
        if self._peek_type() != "CASE":
            return super()._parse_labeled_statement()
        case_tok = self._advance()
        expr = self._parse_constant_expression()
        if self._accept("ELLIPSIS"):
            expr = c_ast.BinaryOp(RANGE_OP, expr, self._parse_constant_expression(), expr.coord)
        self._expect("COLON")
        if self._starts_statement():
            stmt = self._parse_pragmacomp_or_statement()
        else:
            stmt = c_ast.EmptyStatement(self._tok_coord(case_tok))
        return c_ast.Case(expr, [stmt], self._tok_coord(case_tok))

    def _parse_designator(self) -> c_ast.Node:
        # GNU C's range designator, ``[0 ... 3] = x`` (gcc manual, "Designated Initializers"): the ArrayDesignator's
        # index is BinaryOp('...'), as a case range's label is
        if self._peek_type() != "LBRACKET":
            return super()._parse_designator()
        tok = self._advance()
        expr = self._parse_constant_expression()
        if self._accept("ELLIPSIS"):
            expr = c_ast.BinaryOp(RANGE_OP, expr, self._parse_constant_expression(), expr.coord)
        self._expect("RBRACKET")
        return c_ast.ArrayDesignator(expr, self._tok_coord(tok))

    def _parse_expression_statement(self) -> c_ast.Node:
        # pycparser returns an expression statement as its expression, so ``({ x; });`` would be a Compound as a
        # nested block ``{ x; }`` is: as the last statement of a statement expression, the first gives its value,
        # the second makes it void (gcc manual, "Statements and Declarations in Expressions"). An ExprList of one
        # keeps the difference (and is written back as ``({ x; });``).
        stmt = super()._parse_expression_statement()
        return c_ast.ExprList([stmt], stmt.coord) if isinstance(stmt, c_ast.Compound) else stmt

    def _is_inferred_auto(self, spec: dict[str, Any]) -> bool:
        return bool({"auto", "__auto_type"} & set(spec["storage"])) and not spec["type"]


_ATTRIBUTE = re.compile(r"\b__attribute(?:__)?\s*\(\s*\(")


def gnu_attributes(text: str) -> str:
    """``__attribute__((a, b(c)))`` as ``[[b(c)]]`` for the kept attributes, nothing for the others.

    Line breaks inside the attribute are kept so that later lines keep their numbers.
    """
    out, pos = [], 0
    while (m := _ATTRIBUTE.search(text, pos)) is not None:
        if _in_literal(text, m.start()):
            out.append(text[pos : m.end()])
            pos = m.end()
            continue
        depth, i = 2, m.end()
        while i < len(text) and depth:
            depth += {"(": 1, ")": -1}.get(text[i], 0)
            i += 1
        inner = text[m.end() : i - 2]
        kept = [a for a in _split_top(inner) if _attr_name(a) in KEPT_ATTRIBUTES]
        spelled = "[[" + ", ".join(_normalised(a) for a in kept) + "]]" if kept else " "
        out.append(text[pos : m.start()] + spelled + "\n" * text.count("\n", m.start(), i))
        pos = i
    return "".join(out) + text[pos:]


def _in_literal(text: str, at: int) -> bool:
    """Whether position ``at`` is inside a string or character literal (literals end on their line)."""
    quote = None
    i = text.rfind("\n", 0, at) + 1
    while i < at:
        ch = text[i]
        if quote is not None and ch == "\\":
            i += 2
            continue
        if ch in "\"'" and quote in (None, ch):
            quote = None if quote else ch
        i += 1
    return quote is not None


def _split_top(text: str) -> list[str]:
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if ch == "," and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return [p.strip() for p in parts if p.strip()]


def _attr_name(attr: str) -> str:
    name = re.match(r"\w*", attr)
    word = name.group(0) if name else ""
    return word[2:-2] if word.startswith("__") and word.endswith("__") and len(word) > 4 else word


def _normalised(attr: str) -> str:
    """``__cleanup__(f)`` as ``cleanup(f)``: one spelling for the compiler to look for."""
    name = _attr_name(attr)
    return name + attr[len(re.match(r"\w*", attr).group(0)):]  # type: ignore[union-attr]


def attribute(node: c_ast.Node, name: str) -> str | None:
    """The argument text of a kept attribute on a declarator (TypeDecl) or struct, or None."""
    for spec in getattr(node, "attributes", None) or []:
        for attr in spec.attributes:
            if attr.name == name:
                return str(attr.arguments or "").strip()
    return None


def cleanup_of(decl: c_ast.Node) -> str | None:
    """The function named by a declaration's cleanup attribute, or None."""
    if not isinstance(decl, c_ast.Decl):
        return None
    t = decl.type
    while isinstance(t, c_ast.PtrDecl | c_ast.ArrayDecl):
        t = t.type
    return attribute(t, "cleanup")


def cleanup_call(decl: c_ast.Node) -> c_ast.FuncCall | None:
    """The call a cleanup variable's scope makes on its way out, ``f(&var)`` (gcc's cleanup attribute: the mirror
    runs it, models.blocks), or None for a declaration without one. A walk of a function's calls counts it as the
    function's own: a guard's destructor or a __free() is code its runs reach."""
    name = cleanup_of(decl)
    if not name or not isinstance(decl, c_ast.Decl) or not decl.name:
        return None
    var = c_ast.ID(decl.name, decl.coord)
    return c_ast.FuncCall(c_ast.ID(name, decl.coord), c_ast.ExprList([c_ast.UnaryOp("&", var, decl.coord)]), decl.coord)


# The walks of parsed code iterate a node for its children (pycparser yields them, in ``children()``'s order):
# ``children()`` builds a (name, child) pair for each, with an f-string name for a list's items, that nearly every
# walk drops at once, and the walks of the mirror's compiler and code facts visit every node of every definition.


class NodeWalker(c_ast.NodeVisitor):  # type: ignore[misc]
    """pycparser's NodeVisitor, its generic_visit iterating the node rather than asking ``children()``."""

    def generic_visit(self, node: c_ast.Node) -> None:
        for child in node:
            self.visit(child)


def own_alignment(decls: list[c_ast.Node]) -> bool:
    """Whether any of these declarations gives its object an alignment of its own (C11 ``_Alignas``, gcc's
    ``aligned`` attribute, the kernel's ``__aligned()``), which gcc's ``__alignof__`` of the object reports."""
    return any(isinstance(d, c_ast.Decl) and (getattr(d, "align", None) or attribute(d.type, "aligned") is not None)
               for d in decls)


def all_nodes(node: c_ast.Node) -> list[c_ast.Node]:
    """``node`` and every node below it (the children pycparser yields), depth first, each once."""
    out, todo = [], [node]
    while todo:
        n = todo.pop()
        out.append(n)
        todo.extend(n)
    return out


@lru_cache(maxsize=8192)
def kept_nodes(node: c_ast.Node) -> tuple[c_ast.Node, ...]:
    """all_nodes(node), kept: for a node of a parsed definition, one object in every program that holds it
    (models.cload), which each program's compile and flags reading (models.eflags, models.marks) walk again."""
    return tuple(all_nodes(node))


def param_nodes(func: c_ast.FuncDef) -> list[c_ast.Node]:
    """A definition's parameter list as pycparser reads it, in order: a ``Decl`` for a named parameter, a
    ``Typename`` for an unnamed one and for ``(void)``, an ``EllipsisParam`` for ``...``; empty for ``()``."""
    return getattr(getattr(func.decl.type, "args", None), "params", None) or []


def param_decls(func: c_ast.FuncDef) -> list[c_ast.Decl]:
    """The ``Decl`` of each named parameter of a definition, in order (param_nodes() less the unnamed ones)."""
    return [p for p in param_nodes(func) if isinstance(p, c_ast.Decl) and p.name]


def param_list(func: c_ast.FuncDef) -> list[str]:
    """A definition's parameter names by position: "" for an unnamed one, ``(void)``'s and ``...``."""
    return [p.name if isinstance(p, c_ast.Decl) and p.name else "" for p in param_nodes(func)]

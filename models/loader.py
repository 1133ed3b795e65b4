"""load_program: slice a variant's C, keep what the entry points need, preprocess (pcpp) and parse (pycparser)."""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from pcpp import Preprocessor
from pcpp.preprocessor import default_lexer
from pycparser import c_ast, c_parser

from models.cparse import GnuParser, gnu_attributes
from models.errors import LoadError, UnsupportedConstruct
from models.prelude import PRELUDE_PATH, TYPES, macro_line, macro_lines
from models.slicer import ASSERT_NAME, Definition, Kind, slice_fragment, top_level_items

TU_NAME = "<tu>"
# Part of every cache key: bump when the prelude or the primitives change behaviour.
PRELUDE_VERSION = "prelude-2"
MAX_EXPANSION = 200_000
_ENTRY_PREFIX = "__sh_entry_"
# What the entry wrapper passes for each way of feeding a parameter (harness.matrix.FEEDS documents them).
FEED_EXPRESSIONS = {"fn": "__sh_fn", "args": "__sh_args", "answer": "__sh_answer()", "zero": "0"}


@dataclass(frozen=True)
class Source:
    """A file of the variant: complete text, or the fragments known of it."""

    path: str
    pieces: tuple[tuple[int, tuple[str, ...]], ...]
    complete: bool


@dataclass(frozen=True)
class EntryPoint:
    """A function or function-like macro to run, and how the scenario's leaf and args are passed."""

    name: str
    args: tuple[str, ...] = ("fn", "args")


@dataclass
class Program:
    """A parsed translation unit: functions by name, type declarations, entry wrappers, origins."""

    key: str
    ast: c_ast.FileAST
    functions: dict[str, c_ast.FuncDef]
    entries: dict[str, str]
    missing_entries: tuple[str, ...]
    used: tuple[Definition, ...]
    dropped: dict[str, str]
    origin: list[tuple[str, int]]
    macros: dict[str, Definition]
    compiled: dict[str, object] = field(default_factory=dict)

    def provenance(self) -> list[tuple[str, str, str]]:
        """(name, kind, where) of every definition the entry points can reach, prelude ones included."""
        return provenance_rows(self.used)

    def where(self, coord: object) -> str:
        """``file:line`` in the variant (or the prelude) of a pycparser coord."""
        line = getattr(coord, "line", 0) or 0
        if getattr(coord, "file", TU_NAME) == TU_NAME and 0 < line <= len(self.origin):
            path, n = self.origin[line - 1]
            return f"{path}:{n}"
        return f"{getattr(coord, 'file', '?')}:{line}"


class _NoIncludes(Preprocessor):  # type: ignore[misc]
    """pcpp that never opens a file: patched C is untrusted."""

    def include(self, tokens: object, original_line: object = None) -> Iterable[object]:
        raise LoadError("", "#include is not allowed in the mirror")

    def on_error(self, file: str, line: int, msg: str) -> None:
        raise LoadError(f"{file}:{line}", f"preprocessor: {msg}")


@lru_cache(maxsize=4096)
def _slice(path: str, start: int, lines: tuple[str, ...]) -> tuple[Definition, ...]:
    return tuple(slice_fragment(list(lines), path, start))


def definitions(sources: Iterable[Source]) -> dict[str, list[Definition]]:
    """Every definition by name, in source order (files in the order given), generated ones included.

    A file-scope invocation of a function-like macro (the variant's or the prelude's) is expanded, and
    each function, variable or type it defines is listed under its own name, with the invocation's text
    and line as its provenance. File-scope assertions are listed under ASSERT_NAME.
    """
    table: dict[str, list[Definition]] = {}
    invocations: list[Definition] = []
    for src in sources:
        for start, lines in src.pieces:
            for d in _slice(src.path, start, lines):
                if d.kind is Kind.INVOCATION:
                    invocations.append(d)
                elif d.kind is not Kind.PROTOTYPE:
                    table.setdefault(d.name, []).append(d)
    if invocations:
        macros = {name: ds[0] for name, ds in table.items() if ds[0].kind is Kind.MACRO}
        for inv in invocations:
            for g in _generated_by(inv, macros):
                table.setdefault(g.name, []).append(g)
    return table


def _generated_by(inv: Definition, macros: dict[str, Definition]) -> tuple[Definition, ...]:
    own = macros.get(inv.name)
    if own is not None and own.params is None:
        return ()
    if own is None and inv.name not in _prelude_function_macros():
        return ()  # an invocation of a macro these files do not define (EXPORT_SYMBOL, MODULE_LICENSE, ...)
    return _generated(inv.text, _macro_block(inv.text, macros), inv.path, inv.line, inv.name)


@lru_cache(maxsize=1)
def _prelude_function_macros() -> frozenset[str]:
    return frozenset(name for name, params, _ in macro_lines() if params)


@lru_cache(maxsize=4096)
def _generated(text: str, block: str, path: str, line: int, macro: str) -> tuple[Definition, ...]:
    """The definitions one macro invocation expands to, each with the invocation as its text."""
    try:
        expanded = _expand(stub_asm(text), block, path, line)
    except LoadError:
        return ()  # the loader reports it where the definition is used
    code = "\n".join(ln for ln in expanded.splitlines() if not ln.startswith("#"))
    return tuple(Definition(d.kind, d.name, text, path, line, generated_by=macro)
                 for d in top_level_items(code, path, line) if d.kind is not Kind.PROTOTYPE)


def _closure(table: dict[str, list[Definition]], roots: Iterable[str]) -> list[Definition]:
    seen: set[str] = set()
    todo = list(roots)
    out: list[Definition] = []
    pasting = _pasting_macros(table)
    pasters = {name for name, _, _ in pasting}
    while todo:
        name = todo.pop()
        if name in seen or name not in table:
            continue
        seen.add(name)
        d = table[name][0]
        out.append(d)
        names = d.identifiers()
        if names & pasters:
            names |= _pasted_names(d.text, pasting)
        todo.extend(sorted(names))  # sorted: the same order on every run
    return out


Pasting = tuple[tuple[str, tuple[str, ...], str], ...]  # (name, parameters, body) of macros that use ##


def _pasting_macros(table: dict[str, list[Definition]]) -> Pasting:
    """The function-like macros (the variant's, else the prelude's) whose bodies paste tokens with ##."""
    own = {name: ds[0] for name, ds in table.items() if ds[0].kind is Kind.MACRO}
    out = [(name, d.params, d.text.split(")", 1)[1] if d.params is not None else "")
           for name, d in own.items() if d.params and "##" in d.text]
    out += [(name, tuple(p.strip() for p in params.strip("()").split(",")), body)
            for name, params, body in macro_lines() if params and "##" in body and name not in own]
    return tuple(sorted(out))


@lru_cache(maxsize=8192)
def _pasted_names(text: str, pasting: Pasting) -> frozenset[str]:
    """Names that ``##`` in the macros a piece of code invokes can make (``__free(unlock)`` -> ``__free_unlock``).

    The arguments are pasted as written, which is what ``##`` does (C11 6.10.3.3); what the result invokes
    is pasted again, a few levels deep. A superset is harmless: only names the table defines are followed.
    """
    found: set[str] = set()
    texts = [text]
    for _ in range(4):
        produced = []
        for piece in texts:
            for name, params, body in pasting:
                for m in re.finditer(rf"\b{re.escape(name)}\s*\(", piece):
                    args = _arguments(piece, m.end())
                    if args is None:
                        continue
                    out = body
                    for param, arg in zip(params, args, strict=False):
                        if not param.rstrip("."):
                            continue  # "..." is __VA_ARGS__, which pasting of names does not use here
                        out = re.sub(rf"\b{re.escape(param.rstrip('.'))}\b", arg.strip(), out)
                    out = re.sub(r"\s*##\s*", "", out)
                    found.update(re.findall(r"[A-Za-z_]\w*", out))
                    produced.append(out)
        texts = produced
        if not texts:
            break
    return frozenset(found)


def _arguments(text: str, start: int) -> list[str] | None:
    """The comma-separated arguments of an invocation whose '(' ends at ``start``."""
    depth, begin = 1, start
    args: list[str] = []
    for i in range(start, len(text)):
        ch = text[i]
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
            if depth == 0:
                return [*args, text[begin:i]]
        elif ch == "," and depth == 1:
            args.append(text[begin:i])
            begin = i + 1
    return None


def _assert_roots(table: dict[str, list[Definition]]) -> list[str]:
    """What file-scope assertions refer to: they are checked whatever the entry points reach."""
    return sorted(set().union(*(d.identifiers() for d in table.get(ASSERT_NAME, []))))


def reachable(sources: tuple[Source, ...], entry: str) -> set[str]:
    """Names of the definitions an entry point can reach in these sources."""
    return {d.name for d in _closure(definitions(sources), [entry])}


def provenance_rows(used: tuple[Definition, ...] | list[Definition]) -> list[tuple[str, str, str]]:
    """(name, kind, where) of these definitions, then of the prelude macros they need (``<prelude>:N``)."""
    rows = [(d.name, d.kind.value, d.where) for d in used]
    names = {d.name for d in used}
    wanted = set().union(*(d.identifiers() for d in used)) if used else set()
    prelude = {name: body for name, _, body in macro_lines()}
    todo = sorted(wanted - names)
    seen: set[str] = set()
    while todo:
        name = todo.pop()
        if name in seen or name not in prelude:
            continue
        seen.add(name)
        rows.append((name, "macro", f"{PRELUDE_PATH}:{macro_line(name)}"))
        todo.extend(t for t in re.findall(r"[A-Za-z_]\w*", prelude[name]) if t not in names)
    return rows


def provenance_of(sources: tuple[Source, ...], entries: tuple[EntryPoint, ...]) -> list[tuple[str, str, str]]:
    """What Program.provenance() says, from slicing alone: no preprocessing or parsing."""
    table = definitions(sources)
    return provenance_rows(_closure(table, [e.name for e in entries]))


def entry_keys(sources: tuple[Source, ...], entries: tuple[EntryPoint, ...]) -> dict[str, str | None]:
    """A content hash of the code each entry point can reach (None: not provided); no parsing needed."""
    table = definitions(sources)
    keys: dict[str, str | None] = {}
    for e in entries:
        if e.name not in table or table[e.name][0].kind not in (Kind.FUNCTION, Kind.MACRO):
            keys[e.name] = None
            continue
        h = hashlib.sha256(PRELUDE_VERSION.encode() + repr(e.args).encode())
        # File-scope assertions decide whether anything of these files builds: part of every key.
        for d in sorted([*_closure(table, [e.name, *_assert_roots(table)]), *table.get(ASSERT_NAME, [])],
                        key=lambda d: (d.name, d.path, d.line)):
            h.update(f"\0{d.where}\0{d.text}".encode())
        keys[e.name] = h.hexdigest()[:20]
    return keys


def _expansion_size(macros: dict[str, Definition]) -> dict[str, int]:
    """Tokens each macro expands to at most, to refuse exponential expansions before pcpp runs."""
    memo: dict[str, int] = {}

    def size(name: str, stack: frozenset[str]) -> int:
        if name in memo:
            return memo[name]
        d = macros[name]
        total = 0
        for tok in re.findall(r"[A-Za-z_]\w*|\S", d.text.split(name, 1)[-1]):
            total += size(tok, stack | {name}) if tok in macros and tok not in stack else 1
            if total > MAX_EXPANSION:
                break
        memo[name] = total
        return total

    return {n: size(n, frozenset()) for n in macros}


_PRELUDE_TYPEDEFS = tuple(re.findall(r"typedef [^;]*?(\w+);", TYPES))


def _prelude_macro_block(names: set[str]) -> list[str]:
    """The fallback macros these names need (transitively), each under #ifndef so the variant's own win."""
    table = {name: (params, body) for name, params, body in macro_lines()}
    todo, seen = sorted(names & table.keys()), set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        todo.extend(t for t in re.findall(r"[A-Za-z_]\w*", table[name][1]) if t in table)
    return [f"#ifndef {n}\n#define {n}{table[n][0]} {table[n][1]}\n#endif" for n in sorted(seen)]


def _macro_block(text: str, macros: dict[str, Definition]) -> str:
    """The variant's macros a piece of C refers to (transitively), then the prelude fallbacks they need."""
    todo, seen = sorted(set(re.findall(r"[A-Za-z_]\w*", text)) & macros.keys()), set()
    idents = set(re.findall(r"[A-Za-z_]\w*", text))
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        body_ids = set(re.findall(r"[A-Za-z_]\w*", macros[name].text))
        idents |= body_ids
        todo.extend(sorted(body_ids & macros.keys()))
    own = [macros[n].text for n in sorted(seen, key=lambda n: (macros[n].path, macros[n].line))]
    return "\n".join(own + _prelude_macro_block(idents))


_LEXER = default_lexer()


def _preprocess(text: str) -> str:
    pp = _NoIncludes(_LEXER.clone())  # building pcpp's lexer anew for every definition is its costly part
    pp.line_directive = "#line"
    pp.parse(text, TU_NAME)
    out = io.StringIO()
    pp.write(out)
    return out.getvalue()


_ASM = re.compile(r"\b(?:asm|__asm__|__asm)\b(?:\s+(?:volatile|__volatile__|goto|inline))*\s*\(")


def stub_asm(text: str) -> str:
    """Inline asm becomes a call of the __sh_asm() primitive, which stops a run where it stands.

    pycparser cannot read GNU asm (asm goto, operand lists): without this one asm statement would make
    the whole function unavailable. Line breaks are kept so that later lines keep their numbers.
    """
    out, pos = [], 0
    while (m := _ASM.search(text, pos)) is not None:
        depth, i = 1, m.end()
        while i < len(text) and depth:
            depth += {"(": 1, ")": -1}.get(text[i], 0)
            i += 1
        out.append(text[pos : m.start()] + "__sh_asm()" + "\n" * text.count("\n", m.start(), i))
        pos = i
    return "".join(out) + text[pos:]


@lru_cache(maxsize=8192)
def _expand(text: str, block: str, path: str, line: int) -> str:
    """One definition after macro expansion; ``#line`` keeps pycparser's coordinates on the real file."""
    first = block.count("\n") + 3  # the input line where the definition's text starts
    out = _preprocess(f"{block}\n#line {line} \"{path}\"\n{text}\n")

    # pcpp re-synchronises with its own '#line N "<tu>"' after skipped lines; map those onto the real file.
    def real(m: re.Match[str]) -> str:
        n = int(m.group(1))
        return f'#line {line + n - first} "{path}"' if n >= first else m.group(0)

    return re.sub(r'^#line (\d+) "<tu>"', real, out, flags=re.MULTILINE)


@lru_cache(maxsize=8192)
def _parse_chunk(expanded: str, typedefs: tuple[str, ...]) -> tuple[c_ast.Node, ...]:
    """Parse one expanded definition; typedef names are declared first so pycparser can tell types apart."""
    prefix = "".join(f"typedef int {t};\n" for t in typedefs)
    ast = GnuParser().parse(prefix + expanded, "<typedefs>")
    return tuple(ast.ext[len(typedefs):])


def _chunk(text: str, path: str, line: int, block: str, typedefs: tuple[str, ...]) -> tuple[c_ast.Node, ...]:
    try:
        expanded = gnu_attributes(_expand(stub_asm(text), block, path, line))
        # Only the typedef names this piece uses, so that the parse cache is shared across variants.
        mentioned = set(re.findall(r"[A-Za-z_]\w*", expanded))
        return _parse_chunk(expanded, tuple(t for t in typedefs if t in mentioned))
    except c_parser.ParseError as exc:
        m = re.match(r"(.*?:\d+):\d+: (.*)", str(exc))
        where, what = (m.group(1), m.group(2)) if m else (f"{path}:{line}", str(exc))
        raise LoadError(where, f"C the mirror does not parse ({what})") from exc


def _wrapper(e: EntryPoint, by_name: dict[str, Definition]) -> tuple[str, str, int]:
    call_args = ", ".join(FEED_EXPRESSIONS[a] for a in e.args)
    # A macro entry expands here, so errors inside the expansion point at the macro's own line.
    macro = by_name.get(e.name)
    path, line = (macro.path, macro.line) if macro and macro.kind is Kind.MACRO else ("<entry>", 1)
    text = (f"void {_ENTRY_PREFIX}{e.name}(u64 __sh_fn, struct tdx_module_args *__sh_args)"
            f" {{ __sh_result({e.name}({call_args})); }}")
    return text, path, line


def load_program(sources: tuple[Source, ...], entries: tuple[EntryPoint, ...]) -> Program:
    """The program for these sources and entry points; definitions not needed are left out.

    Each definition is expanded and parsed on its own and cached by its text, so code shared by many
    variants is read once; one that pycparser cannot read is dropped with its reason.
    """
    table = definitions(sources)
    present = [e for e in entries if e.name in table and table[e.name][0].kind in (Kind.FUNCTION, Kind.MACRO)]
    missing = tuple(e.name for e in entries if e not in present)
    used = _closure(table, [e.name for e in present] + (_assert_roots(table) if present else []))
    macros = {d.name: d for d in used if d.kind is Kind.MACRO}
    for name, size in _expansion_size(macros).items():
        if size > MAX_EXPANSION:
            raise UnsupportedConstruct(macros[name].where, f"macro {name} expands to more than {MAX_EXPANSION} tokens")
    typedefs = _PRELUDE_TYPEDEFS + tuple(d.name for d in used if d.kind is Kind.TYPEDEF)
    ext: list[c_ast.Node] = list(_chunk(TYPES, PRELUDE_PATH, 1, "", ()))
    dropped: dict[str, str] = {}
    digest = hashlib.sha256()
    read: dict[tuple[str, int, str], str | None] = {}  # one invocation may generate several definitions
    for kind in (Kind.STRUCT, Kind.ENUM, Kind.TYPEDEF, Kind.VARIABLE, Kind.FUNCTION, Kind.ASSERT):
        for d in (used if kind is not Kind.ASSERT else table.get(ASSERT_NAME, [])):
            if d.kind is not kind:
                continue
            key = (d.path, d.line, d.text)
            if key not in read:
                own = tuple(t for t in typedefs if t != d.name)
                try:
                    ext.extend(_chunk(d.text, d.path, d.line, _macro_block(d.text, macros), own))
                    read[key] = None
                except LoadError as exc:
                    read[key] = f"{exc.where}: {exc.message}"
                digest.update(f"{d.where}\0{d.text}\0".encode())
            if read[key] is not None:
                dropped[d.name] = str(read[key])
    by_name = {d.name: d for d in used}
    for e in present:
        text, path, line = _wrapper(e, by_name)
        try:
            ext.extend(_chunk(text, path, line, _macro_block(text, macros), typedefs))
        except LoadError as exc:
            dropped[_ENTRY_PREFIX + e.name] = f"{exc.where}: {exc.message}"
    ast = c_ast.FileAST(ext)
    functions = {n.decl.name: n for n in ext if isinstance(n, c_ast.FuncDef)}
    entry_map = {e.name: _ENTRY_PREFIX + e.name for e in present}
    return Program(digest.hexdigest(), ast, functions, entry_map, missing, tuple(used), dropped, [], macros)

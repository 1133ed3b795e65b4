"""load_program: preprocess (pcpp) and parse (pycparser) the definitions an entry point reaches."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import lru_cache

from pycparser import c_ast, c_parser

from models import typesh
from models.ambiguity import ambiguous
from models.asmstub import ASM_LABEL, ASM_LABEL_REASON, stub_asm
from models.atomic import LATE_OWN
from models.closure import closure, namespaces
from models.cparse import gnu_attributes
from models.cparselimit import MAX_NESTING, deepest_line
from models.cparselimit import STRING as _STRING
from models.cparselimit import parse_chunk as _parse_chunk
from models.cpp import ANY_PATH, TU_NAME
from models.cppexpand import expand, expanded_anywhere, expanded_elsewhere, in_file, renumbered
from models.errors import LoadError, UnsupportedConstruct
from models.filestops import gcc_line, renumbering
from models.lazyre import lazy
from models.linecoord import placed, site, unmarked
from models.literals import uses_pr_fmt
from models.loader import (
    _ENTRY_PREFIX,
    MAX_EXPANSION,
    EntryPoint,
    Source,
    _assert_roots,
    definitions,
    feed_expression,
    prototypes,
    redefined,
    unknown_names,
)
from models.loadhints import Lookup, header_macros, unknown_type
from models.locking import GUARD_CLASSES
from models.macroat import Blocks, blocks_at, unknown_ends
from models.macroblock import WITHHELD_PREFIX
from models.macroorder import used_above_declaration
from models.nodecopy import moved as _moved
from models.nodecopy import remember_copies
from models.noreturn import declared_always_inline, declared_noinline, declared_noreturn
from models.outparams import OUT_FEED, out_object
from models.owncopies import own_copies
from models.prelude import PRELUDE_PATH, TYPES, late_types_line
from models.preludeclash import prelude_clashes, primitive_clashes, typedef_clashes
from models.provenance import provenance_rows
from models.scopes import PRELUDE_TYPEDEFS
from models.slicer import ASSERT_NAME, ERROR_NAME, UNDEF_NAME, Definition, Kind


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
    # Program name -> C name of a function or variable a .c file defines as its own copy (models.loader.
    # local_functions): every copy but the first has a name of its own here, so that each file's code uses its own.
    aliases: dict[str, str] = field(default_factory=dict)
    # Names the code uses that nothing defines, and where they were looked for (models.loader.unknown_names).
    unknown: frozenset[str] = frozenset()
    searched: str = ""
    # The files the variant holds only fragments of (models.loader.Source.complete; models.ctype.Struct.partial).
    partial: frozenset[str] = frozenset()
    # The functions the code declares noreturn (models.noreturn), by program and by C name: a call ends its path.
    noreturn: frozenset[str] = frozenset()
    # The C names of the functions gcc emits one copy of, declared noinline (models.noreturn.declared_noinline).
    noinline: frozenset[str] = frozenset()
    always_inline: frozenset[str] = frozenset()  # those gcc inlines at every call (models.noreturn)
    # Entry point -> why gcc refuses its build: a file its code reaches defines a name twice (models.redefinition).
    redefined: dict[str, str] = field(default_factory=dict)
    # Entry point -> why it is not run (ErrorKind.UNSUPPORTED): a file its code reaches has a typedef of the kernel's
    # with another type (models.preludeclash.typedef_clashes), which gcc refuses beside the headers the prelude
    # stands for; not said a build error of the state: the prelude is the mirror's own account of those headers.
    refused: dict[str, str] = field(default_factory=dict)

    def not_found(self, name: str) -> str:
        """Where an unknown name was looked for, as ``" (...)"`` after a message; "" when it was not."""
        return f" ({self.searched})" if name in self.unknown and self.searched else ""

    def c_name(self, name: str) -> str:
        """The name in the C (``__func__``, a run's state, messages) for a name in the program."""
        return self.aliases.get(name, name)

    def provenance(self) -> list[tuple[str, str, str]]:
        """(name, kind, where) of every definition the entry points can reach, prelude ones included."""
        return provenance_rows(self.used)

    def where(self, coord: object) -> str:
        """``file:line`` in the variant (or the prelude) of a pycparser coord."""
        line = getattr(coord, "line", 0) or 0
        if getattr(coord, "file", TU_NAME) == TU_NAME and 0 < line <= len(self.origin):
            path, n = self.origin[line - 1]
            return f"{path}:{n}"
        return placed(f"{getattr(coord, 'file', '?')}:{line}", coord)  # the file's line too, below a #line

    def site(self, coord: object) -> str:
        """``file:line:column`` of a coord as coverage names it: the file's own line (models.linecoord.site)."""
        return site(self.where, coord)


def _expansion_size(macros: dict[str, Definition]) -> dict[str, int]:
    """Tokens each macro expands to at most, to refuse exponential expansions before pcpp runs."""
    memo: dict[str, int] = {}

    def size(name: str, stack: frozenset[str]) -> int:
        if name in memo:
            return memo[name]
        d = macros[name]
        if len(stack) >= MAX_NESTING:  # a chain this long recurses here, and in pcpp, past Python's limit
            raise UnsupportedConstruct(d.where, f"a chain of more than {MAX_NESTING} macros, each naming the "
                                                "next, is not modelled")
        total = 0
        for tok in re.findall(r"[A-Za-z_]\w*|\S", d.text.split(name, 1)[-1]):
            total += size(tok, stack | {name}) if tok in macros and tok not in stack else 1
            if total > MAX_EXPANSION:
                break
        memo[name] = total
        return total

    return {n: size(n, frozenset()) for n in macros}


_OWN_TYPEDEFS = tuple(t for t in PRELUDE_TYPEDEFS if t not in typesh.NAMES)
# include/linux/types.h's typedefs follow LATE_OWN (models.atomic): a program has those it names.
_TYPES_H_LINE = late_types_line() + LATE_OWN.count("\n")


def _chunk(text: str, path: str, line: int, block: str, typedefs: tuple[str, ...],
           refused: dict[str, str] | None = None, lookup: Lookup = (frozenset(), ""), gcc: int = 0
           ) -> tuple[c_ast.Node, ...]:
    """The parsed nodes of one definition, kept (_kept_chunk) unless withheld macros are in play (``refused`` then
    says what a use of one does); a definition that does not load is read again to say why with ``lookup``. ``gcc``:
    the number gcc gives its first line, where a file-scope ``#line`` renumbers it (0: none does)."""
    if WITHHELD_PREFIX in block or WITHHELD_PREFIX in text:
        return _read_chunk(text, path, line, block, typedefs, refused, lookup, gcc)
    kept = _kept_chunk(text, path, line, block, typedefs, gcc)
    return kept if kept is not None else _read_chunk(text, path, line, block, typedefs, refused, lookup, gcc)


@lru_cache(maxsize=8192)
def _kept_chunk(text: str, path: str, line: int, block: str, typedefs: tuple[str, ...], gcc: int = 0
                ) -> tuple[c_ast.Node, ...] | None:
    """_read_chunk() of a definition every program of a series' variants that holds it at this place shares (its
    nodes are the parse caches' already): what it costs again for each (the expansion found in the cache, attributes
    rewritten, the typedef names it mentions, the moved parse looked up) is paid once. None when it does not load."""
    try:
        return _read_chunk(text, path, line, block, typedefs, gcc=gcc)
    except LoadError:
        return None


def _read_chunk(text: str, path: str, line: int, block: str, typedefs: tuple[str, ...],
                refused: dict[str, str] | None = None, lookup: Lookup = (frozenset(), ""), gcc: int = 0
                ) -> tuple[c_ast.Node, ...]:
    if uses_pr_fmt(text):  # the variant's own: gcc refuses it (the mark is kept for the prelude's pr_fmt())
        raise LoadError(f"{path}:{line}", "C gcc refuses: \\x used with no following hex digits")
    extends = _EXTENDS.match(text)
    if extends is not None and extends.group(2) in GUARD_CLASSES:
        raise LoadError(f"{path}:{line}", f"{extends.group(1)}() of the guard class '{extends.group(2)}' is not "
                                          "modelled: models.locking runs that class itself, with its _try and _intr "
                                          "variants")
    try:
        if WITHHELD_PREFIX in block:
            _no_tests_of_withheld(text, block, refused or {}, path, line)
        stubbed = stub_asm(text)
        moved = _parsed_elsewhere(stubbed, block, path, line, typedefs) if not gcc else None
        if moved is not None:
            return moved
        # a macro's asm (#define vmptrst(v) asm volatile(...)) shows once expanded
        expanded = gnu_attributes(stub_asm(expand(stubbed, block, path, line, gcc)))
        if WITHHELD_PREFIX in expanded:
            expanded = _unpoisoned(expanded, refused or {}, f"{path}:{line}")
        # Only the typedef names this piece uses, so that the parse cache is shared across variants.
        mentioned = set(re.findall(r"[A-Za-z_]\w*", expanded))
        return _parse_chunk(expanded, tuple(t for t in typedefs if t in mentioned))
    except RecursionError:  # past what _PARSE_FRAMES parse (or what pcpp's expansion follows)
        raise LoadError(f"{path}:{deepest_line(text, line)}",
                        f"C nested more than {MAX_NESTING} levels deep is not modelled") from None
    except c_parser.ParseError as exc:
        m = re.match(r"(.*?:\d+):\d+: (.*)", unmarked(str(exc)))  # gcc's line below a #line (models.linecoord)
        where, what = (m.group(1), m.group(2)) if m else (f"{path}:{line}", str(exc))
        unknown = _unknown_guard(text, typedefs)
        if unknown is not None:
            raise LoadError(where, f"guard class '{unknown}' is not modelled (models.locking lists the classes that "
                                   "are; DEFINE_GUARD(), DEFINE_LOCK_GUARD_0/1() and their _COND forms in the files "
                                   "define more)") from exc
        if ASM_LABEL in what:
            raise LoadError(where, ASM_LABEL_REASON) from exc
        if "__VA_OPT__" in what:  # left as written outside a variadic macro's body (models.vaopt), as gcc leaves it
            raise LoadError(where, "__VA_OPT__ outside a variadic macro's body is a plain name to gcc (it warns "
                                   "\"__VA_OPT__ can only appear in the expansion of a C++20 variadic macro\"), "
                                   "and this C does not parse with it") from exc
        hint = unknown_type(text, what, typedefs, lookup)
        raise LoadError(where, f"C the mirror does not parse ({what}){hint}") from exc


def _parsed_elsewhere(text: str, block: str, path: str, line: int, typedefs: tuple[str, ...]
                     ) -> tuple[c_ast.Node, ...] | None:
    """The definition parsed where models.cppexpand.expanded_elsewhere() expands it, moved to its line (_moved); None
    when its expansion depends on its line in more than #line markers, or it does not load there (said where it is)."""
    found = expanded_elsewhere(text, block, path, line)
    if found is None or WITHHELD_PREFIX in found[0]:
        return None
    expanded, mentioned, general = _prepared(found[0], text, block, path)
    named = tuple(t for t in typedefs if t in mentioned)
    try:
        return _moved_chunk(expanded, named, found[1]) if general is None else \
            _moved_chunk(general, named, found[1], path)
    except (LoadError, c_parser.ParseError, RecursionError, TypeError):
        return None


@lru_cache(maxsize=4096)
def _prepared(found: str, text: str, block: str, path: str) -> tuple[str, frozenset[str], str | None]:
    """An expansion (models.cppexpand.expanded_elsewhere's, of ``text`` with ``block`` in ``path``) with asm stubbed and
    attributes rewritten, the names it mentions, and the same of models.cppexpand.expanded_anywhere()'s when in_file()
    makes this one of it: parsed once for every file it is in (checked, not assumed: the rewriting reads the text).
    Kept per definition and place: every program holding it asks again."""
    expanded = gnu_attributes(stub_asm(found))
    mentioned = frozenset(re.findall(r"[A-Za-z_]\w*", expanded))
    general = expanded_anywhere(text, block, path)
    if general is not None:
        general = gnu_attributes(stub_asm(general))
        if in_file(general, path) != expanded:
            general = None
    return expanded, mentioned, general


@lru_cache(maxsize=8192)
def _moved_chunk(expanded: str, typedefs: tuple[str, ...], lines: int, path: str | None = None
                 ) -> tuple[c_ast.Node, ...]:
    """_parse_chunk(expanded, typedefs) moved ``lines`` down: what parsing the expansion with its #line markers
    renumbered gives (only coordinates differ), kept so that each place of a definition is one parse, shared. The
    first place met is that parse (kept in _first_place), any other a copy of it moved on (moved() adds to lines).
    With a ``path``, ``expanded`` is models.cppexpand.expanded_anywhere()'s, in_file() there: a place in another file
    is a copy too, its coordinates in that file (pycparser's file is the #line markers' path, with no quotes)."""
    first = _first_place(expanded, typedefs)
    if not first:  # a parse that fails keeps nothing: the next place fails the same way (its text is the same)
        text = expanded if path is None else in_file(expanded, path)
        first.append((lines, path, _parse_chunk(renumbered(text, lines), typedefs)))
    at, there, nodes = first[0]
    # The file the nodes are in, and the one wanted (without a path: the text's own, ANY_PATH for a text that is
    # expanded_anywhere()'s too, which only a file of that name gives)
    old, new = there or ANY_PATH, path or ANY_PATH
    if at == lines and old == new:
        return nodes
    memo: dict[int, object] = {}  # one for every node: what they share stays shared
    files = None if old == new else (old, new)
    copies = tuple(_moved(n, lines - at, memo, files) for n in nodes)
    remember_copies(nodes, memo)  # node-free facts of a body are read once per text (models.nodecopy.origin)
    return copies


@lru_cache(maxsize=8192)  # an lru_cache: models.mirror.clear_caches() forgets it with the parses
def _first_place(expanded: str, typedefs: tuple[str, ...]) -> list[tuple[int, str | None, tuple[c_ast.Node, ...]]]:
    return []


# A conditional variant of a class (cleanup.h): of a class of models.locking's table, whose guard variable is the
# machine's, it is refused.
_EXTENDS = re.compile(r"\s*(EXTEND_CLASS|DEFINE_GUARD_COND|DEFINE_LOCK_GUARD_1_COND)\s*\(\s*(\w+)")
_GUARD_USE = lazy(r"\b(?:guard|scoped_guard|scoped_cond_guard|CLASS)\s*\(\s*(\w+)")


def _unknown_guard(text: str, typedefs: tuple[str, ...]) -> str | None:
    """The first guard class the code uses that neither models.locking runs nor the files define (its
    class_<name>_t typedef, from DEFINE_GUARD() and friends), whose guard variable's type is then unknown."""
    for m in _GUARD_USE().finditer(text):
        if m.group(1) not in GUARD_CLASSES and f"class_{m.group(1)}_t" not in typedefs:
            return m.group(1)
    return None


# Runs of characters possessive ('*+'), not one alternative per character: re kept a record per character of a long
# literal (1 MB: over 100 MB at once; tests/harness/test_literal_regexes.py).
_POISON = lazy(rf"{WITHHELD_PREFIX}(\w+)")


def _unpoisoned(expanded: str, refused: dict[str, str], where: str) -> str:
    """The expansion with withheld macros' names back (a use then fails where it runs, saying why); a string
    that ``#`` made of one is refused here, since gcc would print the value the mirror does not know."""
    for m in _STRING.finditer(expanded):
        found = _POISON().search(m.group())
        if found is not None:
            name = found.group(1)
            why = refused.get(name, "the mirror cannot decide its definition")
            raise LoadError(_line_of(expanded, m.start(), where),
                            f"macro {name} is made a string here (#), and its value is not known: {why}")
    return _POISON().sub(lambda m: m.group(1), expanded)


_TEST = lazy(r"^\s*#\s*(?:if|ifdef|ifndef|elif)\b(.*)$")


def _no_tests_of_withheld(text: str, block: str, refused: dict[str, str], path: str, line: int) -> None:
    """LoadError where the code tests a withheld macro in #if/#ifdef: whether it is defined, or its value, is
    what the mirror cannot decide, and both branches build (the withheld stand-in would make it "defined")."""
    for n, ln in enumerate(text.split("\n")):
        m = _TEST().match(ln)
        names = set(re.findall(r"[A-Za-z_]\w*", m.group(1))) if m else set()
        found = sorted(x for x in names if f"#define {x} {WITHHELD_PREFIX}{x}" in block)
        if found:
            why = refused.get(found[0], "the mirror cannot decide its definition")
            raise LoadError(f"{path}:{line + n}", f"#if tests macro {found[0]}, which is not known: {why}")


def _line_of(expanded: str, pos: int, default: str) -> str:
    """file:line of a position in pcpp's output, from the last #line marker before it."""
    marks = list(re.finditer(r'^#line (\d+) "([^"]*)"', expanded[:pos], flags=re.MULTILINE))
    if not marks:
        return default
    last = marks[-1]
    return f"{last.group(2)}:{int(last.group(1)) + expanded.count(chr(10), last.end() + 1, pos)}"


def _wrapper(e: EntryPoint, by_name: dict[str, Definition]) -> tuple[str, str, int]:
    call_args = ", ".join(feed_expression(a, i, e.name) for i, a in enumerate(e.args, start=1))
    # A macro entry expands here, so errors inside the expansion point at the macro's own line.
    macro = by_name.get(e.name)
    path, line = (macro.path, macro.line) if macro and macro.kind is Kind.MACRO else ("<entry>", 1)
    # An out-parameter's object: zeroed, as a caller's local the kernel zeroes (static: what the run stored in it is
    # the run's state, models.mirror.changed_state, shown as *(parameter N)); on the wrapper's line, before it.
    objects = "".join(f"static {a.removeprefix(OUT_FEED)} {out_object(e.name, i)}; "
                      for i, a in enumerate(e.args, start=1) if a.startswith(OUT_FEED))
    text = (f"{objects}void {_ENTRY_PREFIX}{e.name}(u64 __sh_fn, struct tdx_module_args *__sh_args)"
            f" {{ __sh_result({e.name}({call_args})); }}")
    return text, path, line


def load_program(sources: tuple[Source, ...], entries: tuple[EntryPoint, ...]) -> Program:
    """The program for these sources and entry points; definitions not needed are left out.

    Each definition is expanded and parsed on its own and cached by its text, so code shared by many
    variants is read once; one that pycparser cannot read is dropped with its reason.
    """
    table = definitions(sources)
    present = [e for e in entries if namespaces(table.get(e.name, []))[-1:] and
               namespaces(table[e.name])[-1][0].kind in (Kind.FUNCTION, Kind.MACRO)]
    provided = {e.name for e in present}  # whether one is present is its name's: not a list searched per entry point
    missing = tuple(e.name for e in entries if e.name not in provided)
    used = closure(table, [e.name for e in present] + (_assert_roots(table) if present else []))
    whole = frozenset(s.path for s in sources if s.complete and s.only is None)
    dropped = {d.name: f"{d.where}: {why}" for d in used
               if (why := ambiguous(table, d.name, used, whole, sources)) is not None}
    dropped = {**used_above_declaration(used, table, sources), **dropped}
    own = frozenset(d.name for d in used if d.kind is Kind.MACRO)
    # a prototype alone (no body) of a name the code reached calls: gcc expands its name as a definition's
    called = frozenset().union(*(d.names_used() for d in used))
    declared = [p for p in prototypes(sources) if p.name in called]
    headers = {s.path for s in sources if s.only is not None or s.unincluded}  # the tree's, not the variant's
    dropped = {**prelude_clashes([*used, *declared], table.get(UNDEF_NAME, []), own, headers), **dropped}
    refused = {n: why for s in sources for n, why in s.refused}  # the tree declares it otherwise: harness.primdecls
    dropped = {**refused, **primitive_clashes(used, headers, table.get(UNDEF_NAME, [])), **dropped}
    used = [d for d in used if d.name not in dropped]
    withheld = frozenset(dropped)  # no prelude fallback for a macro refused here
    poisoned = frozenset(n for n in dropped if n in table and table[n][0].kind is Kind.MACRO)
    macros = {d.name: d for d in used if d.kind is Kind.MACRO}
    dropped.update(unknown_ends(table.get(UNDEF_NAME, []), macros))  # said where a use is refused (blocks_at)
    for name, size in _expansion_size(macros).items():
        if size > MAX_EXPANSION:
            raise UnsupportedConstruct(macros[name].where, f"macro {name} expands to more than {MAX_EXPANSION} tokens")
    named = frozenset().union(*(typesh.named_in(d.names_used()) for d in used))
    typedefs = _OWN_TYPEDEFS + tuple(t for t in typesh.NAMES if t in named) + tuple(d.name for d in used if d.kind is
                                                                                     Kind.TYPEDEF)
    lookup = unknown_names(sources)
    block_of = blocks_at(macros, withheld, poisoned, table, whole)
    ext: list[c_ast.Node] = [*_chunk(TYPES, PRELUDE_PATH, 1, "", ()),
                             *_chunk(LATE_OWN, PRELUDE_PATH, late_types_line(), "", _OWN_TYPEDEFS)]
    for offset, text in typesh.lines(named) if named else ():
        ext.extend(_chunk(text, PRELUDE_PATH, _TYPES_H_LINE + offset, "", typedefs))
    digest = _read_definitions(ext, sources, table, used, macros, typedefs=typedefs, block_of=block_of,
                               dropped=dropped, lookup=lookup)
    aliases = own_copies(ext, used)
    digest = _read_wrappers(ext, present, used, digest, typedefs=typedefs, block_of=block_of, dropped=dropped,
                            lookup=lookup)
    ast = c_ast.FileAST(ext)
    functions = {n.decl.name: n for n in ext if isinstance(n, c_ast.FuncDef)}
    entry_map = {e.name: _ENTRY_PREFIX + e.name for e in present}
    partial = frozenset(s.path for s in sources if not s.complete)
    noreturn, redefined_in = _noreturn(sources, used, aliases), _reaching(sources, table, present, redefined(sources))
    clashing = _reaching(sources, table, present, typedef_clashes((d for ds in table.values() for d in ds), headers))
    noinline = declared_noinline(used, sources)
    key = _full_key(digest, partial & {d.path for d in used}, noreturn | {f"noinline {n}" for n in noinline},
                    {**redefined_in, **{f"\0{n}": why for n, why in clashing.items()}}, dropped)
    return Program(key, ast, functions, entry_map, missing, tuple(used), dropped, [], macros, aliases=aliases,
                   unknown=lookup[0], searched=lookup[1], partial=partial, noreturn=noreturn, noinline=noinline,
                   always_inline=declared_always_inline(used),
                   redefined=redefined_in, refused=clashing)


def _full_key(digest: str, partial: frozenset[str], noreturn: frozenset[str], redefined_in: dict[str, str],
              dropped: dict[str, str]) -> str:
    """The definitions' and wrappers' ``digest`` with what else the runs and the caches keyed by it (condeval's types,
    decided, harness.valuereaders) read: the used files known in part (no struct layout), the noreturn functions, the
    entries gcc refuses, the names dropped with why (two programs apart only there shared one key)."""
    extra = repr((sorted(partial), sorted(noreturn), sorted(redefined_in.items()), sorted(dropped.items())))
    return hashlib.sha256(f"{digest}\0{extra}".encode("utf-8", "surrogateescape")).hexdigest() \
        if partial or noreturn or redefined_in or dropped else digest


def _reaching(sources: tuple[Source, ...], table: dict[str, list[Definition]], present: list[EntryPoint],
              twice: dict[str, str]) -> dict[str, str]:
    """Why gcc refuses to build each entry point whose code reaches a file of ``twice`` (path: why: one that defines
    a name twice, or a typedef of the kernel's with another type): the file is compiled, in the entry's unit or in
    another the kernel links (a file it does not reach is not known to be)."""
    if not twice:
        return {}
    order = {s.path: i for i, s in enumerate(sources)}
    out: dict[str, str] = {}
    for e in present:
        files = sorted({d.path for d in closure(table, [e.name])} & twice.keys(), key=lambda p: order.get(p, 0))
        if files:
            out[e.name] = twice[files[0]]
    return out


def _noreturn(sources: tuple[Source, ...], used: list[Definition], aliases: dict[str, str]) -> frozenset[str]:
    """The functions the code uses declared noreturn, by C name and by each program name a file's own copy has."""
    declared = declared_noreturn(used, sources)
    return declared | frozenset(n for n, c in aliases.items() if c in declared) if declared else declared


def _read_definitions(ext: list[c_ast.Node], sources: tuple[Source, ...], table: dict[str, list[Definition]],
                      used: list[Definition], macros: dict[str, Definition], *, typedefs: tuple[str, ...],
                      block_of: Blocks, dropped: dict[str, str], lookup: Lookup) -> str:
    """Parse the used definitions, kind by kind, onto ``ext``; one that does not load goes to ``dropped`` with why.
    Returns the digest of the definitions read, where they are and their text."""
    digest = hashlib.sha256()
    read: dict[tuple[str, int, str], str | None] = {}  # one invocation may generate several definitions
    # Typedefs in the files' order: one may name another (EXTEND_CLASS's class_<name><ext>_t is class_<name>_t),
    # and gcc reads the generated C (models.native.codegen) top to bottom.
    order = {s.path: i for i, s in enumerate(sources)}
    in_files = sorted(used, key=lambda d: (order.get(d.path, len(order)), d.line))
    # The #line directives gcc numbers the lines below from, at file scope and in a body (models.filestops)
    lines = renumbering(table.get(ERROR_NAME, []), (d for found in table.values() for d in found))
    for kind in (Kind.STRUCT, Kind.ENUM, Kind.TYPEDEF, Kind.VARIABLE, Kind.FUNCTION, Kind.ASSERT):
        for d in (used if kind not in (Kind.ASSERT, Kind.TYPEDEF) else
                  in_files if kind is Kind.TYPEDEF else table.get(ASSERT_NAME, [])):
            if d.kind is not kind:
                continue
            key = (d.path, d.line, d.text)
            if key not in read:
                own = tuple(t for t in typedefs if t != d.name)
                gcc, why = gcc_line(d.path, d.line, lines)
                gcc = 0 if gcc == d.line else gcc
                try:
                    if why:
                        raise LoadError(d.where, why)
                    ext.extend(_chunk(d.text, d.path, d.line, block_of(d.text, d.path, d.line), own, dropped, lookup,
                                      gcc))
                    read[key] = None
                except LoadError as exc:
                    read[key] = f"{exc.where}: {exc.message}{header_macros(d.text, macros, sources)}"
                digest.update(f"{d.where}\0{d.text}\0{gcc or ''}".encode("utf-8", "surrogateescape"))
            if read[key] is not None:
                dropped[d.name] = str(read[key])
    # The macros are expanded into the chunks read above, their text unchanged: what they stand for is the code too
    # (two programs apart only by a '#define MASK 0xff' -> '0x1ff' shared the key, and the caches keyed by it).
    for d in sorted((m for m in used if m.kind is Kind.MACRO), key=lambda m: (m.path, m.line, m.name)):
        digest.update(f"#\0{d.where}\0{d.text}\0".encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


def _read_wrappers(ext: list[c_ast.Node], present: list[EntryPoint], used: list[Definition], digest: str, *,
                   typedefs: tuple[str, ...], block_of: Blocks, dropped: dict[str, str],
                   lookup: Lookup) -> str:
    """Parse each present entry point's wrapper onto ``ext``; one that does not load goes to ``dropped``. Returns
    ``digest`` (the definitions') with the wrappers' text and place: the program's key, with _full_key's. The same
    code with its entry point handed the leaf in another argument (EntryPoint.args) is another program, and what is
    kept per key (models.decided.leaf_params, models.condeval's, harness.valuereaders') is read from its wrappers
    too."""
    if not present:
        return digest
    by_name = {d.name: d for d in used}
    key = hashlib.sha256(digest.encode())
    for e in present:
        text, path, line = _wrapper(e, by_name)
        key.update(f"{path}:{line}\0{text}\0".encode("utf-8", "surrogateescape"))
        try:
            ext.extend(_chunk(text, path, line, block_of(text, path, line), typedefs, dropped, lookup))
        except LoadError as exc:
            dropped[_ENTRY_PREFIX + e.name] = f"{exc.where}: {exc.message}"
    return key.hexdigest()

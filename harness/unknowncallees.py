"""Names handed alone to a callee no file read defines: a macro of a header not read, which may store to them."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from harness.declaredname import declared, declared_outside
from harness.macroexprs import closed, reached, shared
from harness.valuenames import Use
from models.loader import Source
from models.splice import spliced

# A callee that is no macro of a header: C's keywords and gcc's builtins.
# The compiler's predefined names (C11 6.4.2.2, 6.10.8.1, gcc's cpp.texi) are no header's macro either.
_NO_MACRO = re.compile(r"__builtin_\w*|sizeof|typeof|__typeof__|__typeof|_Alignof|alignof|__alignof__|__alignof|"
                       r"_Generic|asm|__asm__|"
                       r"if|while|for|switch|return|volatile|__volatile__|case|do|else|goto|defined|"
                       r"__func__|__FUNCTION__|__PRETTY_FUNCTION__|__LINE__|__FILE__|__COUNTER__|__DATE__|__TIME__")

# Every parameter of a callee: harness.macroeffects.macro_uses then finds each bare name handed to it.
_ANY = dict.fromkeys(range(256), True)


def handed_unknown(name: str, sources: tuple[Source, ...], got: tuple[Source, ...]) -> str | None:
    """Where a file of ``got`` (a tree's files read, or the input's own) hands ``name`` alone to a function-like call
    ('SC_POKE(sc_busy_code)') of a callee that no file of ``sources`` or ``got`` defines nor the mirror's prelude
    does (its macros and primitives, whose effects harness.macroeffects reads): a macro of a header not read, which
    may store to its argument (kernel builds refuse an undeclared function, -Werror=implicit-function-declaration),
    not one after a format string (_past_formats); None if none does."""
    from harness.macroeffects import macro_uses
    from harness.memo import by_identity

    # The same files are asked of each variable in turn: their pieces, the callees they know and what the calls of
    # the others are handed are worked out once (a piece's calls where a name asked is first in it).
    files = by_identity("unknowncallees.files", (sources, got), (), lambda: _Files(_known(sources, got), _pieces(got)))
    for i, (path, start, text) in enumerate(files.pieces):
        if name not in text:
            continue
        past, callees, handed = files.calls(i)
        if name not in handed:
            continue  # one pass for them all, then one per callee to name it
        for c in callees:
            found = macro_uses(past, {c: _ANY}).get(name)
            if found is not None:
                return (f"{path}:{start + past.count(chr(10), 0, found[1])} hands it to {c}(), which no file "
                        "read defines: a macro of a header not read may store to it")
    return None


@dataclass(frozen=True)
class _Files:
    """The files handed_unknown reads: the callees known (_known), each piece as (path, first line, its text with
    strings blanked), and each piece's calls as calls() reads them, kept at their first need."""

    known: frozenset[str]
    pieces: tuple[tuple[str, int, str], ...]
    read: dict[int, tuple[str, tuple[str, ...], dict[str, tuple[bool, int]]]] = field(default_factory=dict)

    def calls(self, i: int) -> tuple[str, tuple[str, ...], dict[str, tuple[bool, int]]]:
        """Piece ``i``'s text with format values blanked (_past_formats), its callees no file defines (sorted), and
        each name it hands alone to one of them (harness.macroeffects.macro_uses, every parameter)."""
        from harness.macroeffects import macro_uses

        kept = self.read.get(i)
        if kept is None:
            text = self.pieces[i][2]
            prelude = _prelude_callees()
            callees = {c for c in re.findall(r"\b(\w+)\s*\(", text)
                       if c not in self.known and c not in prelude and not _NO_MACRO.fullmatch(c)}
            past = _past_formats(text, callees)
            kept = self.read[i] = past, tuple(sorted(callees)), macro_uses(past, dict.fromkeys(callees, _ANY))
        return kept


def _pieces(got: tuple[Source, ...]) -> tuple[tuple[str, int, str], ...]:
    from models.slicer import strings_blanked

    return tuple((s.path, start, strings_blanked("\n".join(lines))) for s in got for start, lines in s.pieces)


# A statement of one word: C's own (and a label's next line) or a name a macro stands for ('SC_KNOB_STORE;').
_BARE = re.compile(r"(?m)^[ \t]*([A-Za-z_]\w*)[ \t]*;")
_ONE_WORD = frozenset({"break", "continue", "return", "else", "do", "default"})


_OBJECT = "which no file read defines: an object-like macro of a header not read may store to it"
_SAID = {Use.VALUE: "writes {} as a statement or a value, " + _OBJECT,
         Use.CALL: "calls {}(), which no file read defines: a function-like macro of a header not read may store to it"}


_PASTED = ("which no file read defines, and no file names {0} elsewhere: a macro of a header not read may paste it "
           "into a function's name it defines, which may store to it")


def bare_unknown(sources: tuple[Source, ...], got: tuple[Source, ...], calls: bool = True) -> str | None:
    """Where a file of ``got`` writes as a statement alone, or reads as a value or calls in a function's body
    (harness.valuenames.body_values: 'else SC_X;', 'out: SC_X;', 'n++, SC_X;', 'f(n, SC_X)', 'SC_X();'), a name that no
    file of ``sources`` or ``got`` defines (function, variable, macro of any kind) nor the mirror's prelude or
    primitives do: a macro of a header not read, whose expansion may store to any variable (C11 6.10.3; the kernel's
    builds refuse an undeclared identifier and an implicit declaration), a macro of the files that only names one read
    as that name where it stands (harness.macroaliases: not where a per-CPU primitive takes a variable's name,
    'this_cpu_write(SC_PCPU_FLAG, 1)', as 'this_cpu_write(cache_state_incoherent, 1)'); or invokes at file scope one
    such, handing it a name no file names elsewhere ('SC_DEFINE_SETTER(seamldr);': a function it defines,
    'sc_retry_##x##_busy', which code outside the files may call; 'static LIST_HEAD(sc_list);' names what the files then
    use); None if none does. Calls counted only given ``calls`` (harness.externsettled leaves them out: it reads every
    file of the tree spelling the variable, a header's macro storing to it by name among them, and the files it reads
    call the kernel's functions the prelude lacks on most lines). Worked out once per ``sources``, ``got`` and
    ``calls``."""
    from harness.memo import by_identity

    return by_identity("unknowncallees.bare", (sources, got), (calls,), lambda: _bare_unknown(sources, got, calls))


def _bare_unknown(sources: tuple[Source, ...], got: tuple[Source, ...], calls: bool) -> str | None:
    from harness.macroaliases import alias_targets, as_targets
    from harness.memo import by_identity
    from harness.pastednames import pasted_names, top_calls
    from harness.typednames import unconditional

    mine = by_identity("unknowncallees.named", (sources, got), (), lambda: _named(sources, got))
    every = _prelude_names()

    def named(n: str) -> bool:
        return n in mine or n in every

    functions = by_identity("unknowncallees.functions", (sources, got), (), lambda: _functions(sources, got))
    expressions = by_identity("unknowncallees.expressions", (sources, got), (), lambda: _expressions(sources, got))
    pasting = by_identity("unknowncallees.pasting", (sources, got), (), lambda: _pasting(sources, got))
    # A macro of the files standing for one name no file defines: that name, read where the macro stands.
    alias = by_identity("unknowncallees.aliases", (sources, got), (), lambda: alias_targets(_once(sources, got), named))
    types = by_identity("unknowncallees.types", (sources, got), (), lambda: _types(_once(sources, got)))
    # Comments blanked: a word a comment spells is no use of it, nor a declaration ('int n' in prose).
    texts = [(s.path, start, lines, _blanked(lines))
             for s in got for start, lines in ((start, _joined(lines)) for start, lines in s.pieces)]
    words: Counter[str] = Counter()
    for *_, text in texts:
        words.update(_spelled(text))
    # What a file-scope invocation is handed it defines ('static LIST_HEAD(sc_list);'), for the body to use.
    tops = [top_calls(text) for *_, text in texts]
    handed = {a for calls_at in tops for *_, args in calls_at for a in args}
    for (path, start, lines, text), top in zip(texts, tops, strict=True):
        found = [(text.count("\n", 0, m.start(1)), 0, m.group(1), "writes {}; alone, " + _OBJECT)
                 for m in _BARE.finditer(text) if not named(m.group(1)) and m.group(1) not in _ONE_WORD]
        values = as_targets(_values_read(lines, *_narrowed(_names_in(lines), functions, *expressions, types)), alias,
                            calls)
        found += [(at, 1, n, _SAID[use]) for at, n, use in values
                  if not named(n) and n not in handed and not _NO_MACRO.fullmatch(n) and (calls or use is Use.VALUE)]
        # A name a macro of the files pastes from an invocation's arguments ('SC_P(STORE_X)': 'SC_KNOB_##x').
        found += [(at, 1, n, f"invokes {m}(), which pastes {{}} of its arguments, " + _OBJECT)
                  for at, m, n, expanded in pasted_names(text, pasting, ((at, n) for at, n, use in values
                                                                          if use is Use.CALL and n in pasting))
                  if not named(n) and not _NO_MACRO.fullmatch(n) and not declared(n, expanded, types) and
                  not any(declared(n, unconditional(other), types) for *_, other in texts)]
        # A macro of the files that they invoke: its replacement list as the body it is expanded in.
        macros = as_targets(((at, n, use) for at, m, n, use in _macros_read(
                                path, start, lines, *_narrowed(_macro_names(path, start, lines), functions,
                                                               *expressions, types))
                             if words[m] > 1 and m not in alias), alias, calls)
        found += [(at, 1, n, _SAID[use]) for at, n, use in macros
                  if not named(n) and n not in handed and not _NO_MACRO.fullmatch(n) and
                  (calls or use is Use.VALUE) and
                  not any(declared(n, unconditional(other), types) for *_, other in texts)]
        found += [(text.count("\n", 0, at), 2, a, f"invokes {callee}({{0}}) at file scope, " + _PASTED)
                  for at, callee, args in top if not named(callee)
                  for a in args if words[a] == 1 and not named(a) and a.isidentifier()]
        for at, _, name, how in sorted(found):  # a line's statement alone said so
            if not declared_outside(name, text, types):
                return f"{path}:{start + at} {how.format(name)}"
    return None


@lru_cache(maxsize=1024)
def _blanked(lines: tuple[str, ...]) -> str:
    """A piece's text, comments and strings blanked, kept by content: each variant's files hold most pieces again
    (the corpus' eval blanked 216 pieces for 20 pairs of variants' files)."""
    from models.slicer import blank_comments, strings_blanked

    return strings_blanked("\n".join(blank_comments(list(lines))))


@lru_cache(maxsize=1024)
def _spelled(text: str) -> Counter[str]:
    """How many times a blanked text spells each word ('\\b[A-Za-z_]\\w*'), kept by content (_blanked's): read, never
    changed."""
    return Counter(_SPELLED.findall(text))


_SPELLED = re.compile(r"\b[A-Za-z_]\w*")


@lru_cache(maxsize=1024)
def _joined(lines: tuple[str, ...]) -> tuple[str, ...]:
    """``lines`` with their backslash-newlines removed, as gcc removes them before reading a token (C11 5.1.1.2p1,
    phase 2: 'SC_X \\' then ';' is 'SC_X;'), each logical line's breaks put back after it so that every line keeps
    its number (models.splice.spliced); kept by content."""
    if not any(line.endswith("\\") for line in lines):
        return lines
    joined = spliced("\n".join(lines))
    return lines if joined is None else tuple(joined.text.split("\n"))


Narrowed = tuple[frozenset[str], frozenset[tuple[str, int]], frozenset[tuple[str, int]], frozenset[str]]


def _narrowed(names: frozenset[str], callees: frozenset[str], expressions: frozenset[tuple[str, int]],
              called: frozenset[tuple[str, int]], types: frozenset[str]) -> Narrowed:
    """What _values_read and _macros_read are given of the files' callees, macros' arguments and types, kept to the
    ``names`` a piece spells (body_values asks each only of a name its tokens hold: a callee, a macro before '(', a
    parenthesized name): the same reading, kept by content, for the pieces each variant's files share, whatever
    else the files define (the corpus' eval: 44 readings of 25 distinct pieces and names, 44 of 33 macro pieces)."""
    return (callees & names, frozenset(p for p in expressions if p[0] in names),
            frozenset(p for p in called if p[0] in names), types & names)


@lru_cache(maxsize=1024)
def _names_in(lines: tuple[str, ...]) -> frozenset[str]:
    """Every word a piece spells as C names one ('[A-Za-z_]\\w*'), in comments, strings and directives too: its
    tokens' names are among them (blanking only puts spaces where they were)."""
    return frozenset(_WORD.findall("\n".join(lines)))


# What the lines spell, C names and numbers alike (\w+: a number is no name any check asks about).
_WORD = re.compile(r"\w+")
# The lines harness.valuenames.replacement_values reads a macro's replacement list inside.
_REPLACEMENT_WORDS = frozenset({"static", "void", "__replacement"})


@lru_cache(maxsize=1024)
def _macro_names(path: str, start: int, lines: tuple[str, ...]) -> frozenset[str]:
    """The words of a piece's macro definitions as models.loader.sliced gives them (_macros_read reads nothing else of
    it; a directive's lines may be joined there) and of the function replacement_values reads each one's replacement
    list in."""
    from models.loader import sliced
    from models.slicer import Kind

    macros = (d.text for d in sliced(path, start, lines) if d.kind is Kind.MACRO)
    return _REPLACEMENT_WORDS.union(*map(_WORD.findall, macros))


@lru_cache(maxsize=1024)
def _values_read(lines: tuple[str, ...], callees: frozenset[str], expressions: frozenset[tuple[str, int]],
                 called: frozenset[tuple[str, int]], types: frozenset[str]) -> tuple[tuple[int, str, Use], ...]:
    """harness.valuenames.body_values of a piece's lines, kept by content: each variant's files hold most pieces
    again (115 asked, 73 distinct, in the corpus' eval)."""
    from harness.valuenames import body_values

    return tuple(body_values(lines, callees, expressions, called, types))


def _types(files: tuple[Source, ...]) -> frozenset[str]:
    """harness.typednames.typed_names of every piece of ``files``, comments and strings blanked."""
    from harness.typednames import typed_names

    return typed_names(_blanked(lines) for s in files for _, lines in s.pieces)


def _pasting(sources: tuple[Source, ...], got: tuple[Source, ...]) -> dict[str, tuple[tuple[str, ...], str]]:
    """{macro: (its parameters as its replacement list names them, that list)} of each function-like macro of
    the files that pastes ('##'): harness.pastednames reads what its invocations make."""
    from harness.valuenames import variadic_names
    from models.loader import definitions
    from models.slicer import Kind

    found = {}
    for n, ds in definitions(_once(sources, got)).items():
        head = _DEFINE.match(ds[0].text) if ds[0].kind is Kind.MACRO and ds[0].params else None
        if head is not None and "##" in ds[0].text:
            found[n] = variadic_names(ds[0].params or ()), ds[0].text[head.end():]
    return found


# A macro's definition up to its replacement list: '#define SC_SET(a, b)', '#define SC_DO' (C11 6.10.3: a
# function-like one's '(' follows its name at once).
_DEFINE = re.compile(r"\s*#\s*define\s+[A-Za-z_]\w*(?:\([^)]*\))?")


@lru_cache(maxsize=1024)
def _macros_read(path: str, start: int, lines: tuple[str, ...], callees: frozenset[str],
                 expressions: frozenset[tuple[str, int]], called: frozenset[tuple[str, int]], types: frozenset[str]
                 ) -> tuple[tuple[int, str, str, Use], ...]:
    """(line offset in the piece, macro, name, use) of each name a macro a piece defines reads as a value, writes
    as a statement or calls in its replacement list (harness.valuenames.replacement_values), as a function it is
    invoked in would; kept by content, as _values_read."""
    from harness.valuenames import replacement_values
    from models.loader import sliced
    from models.slicer import Kind

    found: list[tuple[int, str, str, Use]] = []
    for d in sliced(path, start, lines):
        head = _DEFINE.match(d.text) if d.kind is Kind.MACRO else None
        if head is not None:
            found += [(d.line - start + at, d.name, n, use) for at, n, use in replacement_values(
                d.params, d.text[head.end():], callees, expressions, called, types)]
    return tuple(found)


def _expressions(sources: tuple[Source, ...], got: tuple[Source, ...]
                 ) -> tuple[frozenset[tuple[str, int]], frozenset[tuple[str, int]]]:
    """(macro, parameter index) of each parameter a function-like macro of the files (or else of the mirror's
    prelude) expands as an expression (harness.valuenames.macro_reads: '(x) = (val)' of WRITE_ONCE, 'a = b',
    's.n = 1'; not sizeof(x), '->MEMBER', '#x' nor 'a##b'), or hands to a function of the files or to such a
    parameter of another macro, alone or read as a value in a longer argument (round_up()'s y, read by
    __round_mask(); 'SC_INNER(b + 1)'), where an object-like macro handed to it is expanded as code (C11 6.10.3.1);
    then of each it calls ('#define CALL(f, x) f(x)'), or hands alone to such a parameter. Variadic parameters
    left out. An equal set asked before is handed back (harness.macroexprs.shared): each pair of files kept one of
    its own."""
    from harness.memo import by_identity
    from models.loader import definitions
    from models.slicer import Kind

    files = tuple((n, ds[0].params, ds[0].text.split(")", 1)[1] if ds[0].params else "")
                  for n, ds in definitions(_once(sources, got)).items()
                  if ds[0].kind is Kind.MACRO and ds[0].params is not None)
    functions = by_identity("unknowncallees.functions", (sources, got), (), lambda: _functions(sources, got))
    # Only the pairs of a macro a piece names are asked (valuenames: a call's name is a word of the piece), and
    # those of one read only through those it hands on to: the fixed point over them alone is exact.
    reach, handed = reached(files, frozenset().union(*(_words(lines) for s in got for _, lines in s.pieces)))
    return closed(files, reach, functions & handed)


@lru_cache(maxsize=1024)
def _words(lines: tuple[str, ...]) -> frozenset[str]:
    """Every word of ``lines``, and of them spliced ('\\' and newline removed): no blanking makes more."""
    text = "\n".join(lines)
    return frozenset(re.findall(r"\w+", text)) | frozenset(re.findall(r"\w+", text.replace("\\\n", "")))


def _named(sources: tuple[Source, ...], got: tuple[Source, ...]) -> frozenset[str]:
    """Every name a definition or prototype of ``sources`` or ``got`` gives (any kind): with _prelude_names, what a
    body may name without a header not read."""
    from models.loader import definitions

    return shared(frozenset(definitions(_once(sources, got)).keys() | _functions(sources, got)))


@lru_cache(maxsize=1)
def _prelude_names() -> frozenset[str]:
    """The prelude's macros and typedefs, C's keywords, the mirror's primitives and its compile-time builtins
    (``offsetof``: include/linux/stddef.h's is __builtin_offsetof, which stores nothing; harness.sysheaders.
    prelude_names: a header never overrides them): names every body may use, kept once rather than in each pair of
    files' _named."""
    from models.builtinnames import COMPILE_TIME_NAMES
    from models.declnames import KEYWORDS
    from models.prelude import macro_lines
    from models.primnames import PRIMITIVE_NAMES
    from models.scopes import PRELUDE_TYPEDEFS

    return frozenset({n for n, _, _ in macro_lines()} | PRIMITIVE_NAMES | KEYWORDS | set(PRELUDE_TYPEDEFS) |
                     COMPILE_TIME_NAMES)


def _functions(sources: tuple[Source, ...], got: tuple[Source, ...]) -> frozenset[str]:
    """The functions, prototypes and variables (pointers to functions) of ``sources`` and ``got`` that no macro
    shadows, those whose name a macro of the files pastes ('static void SC_FN(reset)(u64 v)', listed by
    models.loader.definitions under the name it declares) among them: callees that read their arguments as values."""
    from models.loader import definitions, sliced
    from models.slicer import Kind

    files = _once(sources, got)
    every = [d for s in files for start, lines in s.pieces for d in sliced(s.path, start, lines)]
    macros = {d.name for d in every if d.kind is Kind.MACRO}
    kinds = (Kind.FUNCTION, Kind.PROTOTYPE, Kind.VARIABLE)
    pasted = {n for n, ds in definitions(files).items() if all(d.kind in kinds for d in ds)}
    return frozenset(d.name for d in every if d.kind in kinds) - macros | pasted - macros


def _once(sources: tuple[Source, ...], got: tuple[Source, ...]) -> tuple[Source, ...]:
    """The files of ``sources`` then those of ``got`` not among them, each once: a file read twice defines each of
    its macros twice, and models.loader.definitions then leaves a function whose name a macro pastes under the
    macro's name (which name it declares is not known). ``sources`` itself when ``got`` is it (its table is kept)."""
    return sources if got is sources else (*sources, *(g for g in got if g not in sources))


def _known(sources: tuple[Source, ...], got: tuple[Source, ...]) -> frozenset[str]:
    """The callees of ``sources`` and ``got`` whose effects are known: their functions, prototypes and variables
    that no macro shadows and their function-like macros; with _prelude_callees, those of the mirror's prelude."""
    from models.loader import definitions
    from models.slicer import Kind

    # A function or function pointer takes a copy. A function-like macro's effects are read where outside_writes'
    # table has it (not one of a <...> header's names not taken); an object-like one may name a macro not read.
    return shared(_functions(sources, got) | {
        n for n, ds in definitions(_once(sources, got)).items() if any(d.kind is Kind.MACRO and d.params is not None
                                                                    for d in ds)})


@lru_cache(maxsize=1)
def _prelude_callees() -> frozenset[str]:
    """The prelude's function-like macros and the mirror's primitives (models.kernel.PRIMITIVES, as models.primnames
    spells them without loading the kernel models): callees whose effects are known, kept once rather than in each
    pair of files' _known."""
    from models.prelude import macro_lines
    from models.primnames import PRIMITIVE_NAMES

    return frozenset({n for n, params, _ in macro_lines() if params} | PRIMITIVE_NAMES)


def _past_formats(text: str, callees: set[str]) -> str:
    """``text`` with the arguments that follow a string literal in a call of ``callees`` blanked: a format's values
    ('seq_printf(m, "%llx", sc_busy_code)', 'dev_dbg(dev, "%d", n)'), which the kernel's printf-family functions
    read by value (lib/vsprintf.c), not lvalues a macro is handed to store to. Lengths and lines kept."""
    from harness.macroeffects import arguments

    out = list(text)
    for m in re.finditer(r"\b(\w+)\s*\(", text):
        if m.group(1) not in callees:
            continue
        args, starts = arguments(text, m.end())
        first = next((i for i, a in enumerate(args) if a.lstrip().startswith('"')), None)
        for a, at in zip(args[first + 1:], starts[first + 1:], strict=True) if first is not None else ():
            out[at:at + len(a)] = [c if c == "\n" else " " for c in a]
    return "".join(out)

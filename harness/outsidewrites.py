"""Variables code no run executes may set: module parameters, stores and addresses taken where no run follows."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING

from harness.asmstores import asm_stores
from harness.macroeffects import ADDRESS, STEPPED, Effects, arguments, macro_effects, macro_uses, prelude_effects
from harness.macrostores import file_macros, macro_store_lines, macro_stores
from harness.memo import by_identity
from harness.retrybound import module_parameters
from harness.scopecache import scope_uses
from harness.typednames import unconditional
from harness.unknowncallees import bare_unknown, handed_unknown
from harness.valuewords import file_values, names_value
from models.loader import Source, definitions
from models.redefinition import weak_variable
from models.scopes import PRELUDE_TYPEDEFS, Uses, empty_annotations
from models.slicer import Definition, Kind, strings_blanked
from models.splice import spliced
from models.wordfind import BOUNDARY, has_name, name_spans

if TYPE_CHECKING:
    from harness.cppscan import MacroTable
    from harness.externsettled import Linkage
    from harness.outcome_cache import OutcomeCache
    from models.cload import Program
    from models.facts import CodeFacts

# (function, variable, file:line of the return) of each function the runs execute that returns a variable's address.
Returned = tuple[tuple[str, str, str], ...]


def outside_writes(sources: tuple[Source, ...], reached: Iterable[str], returned: Returned = (),
                   store: OutcomeCache | None = None, linkage: Linkage | None = None
                   ) -> tuple[tuple[str, str], ...]:
    """``(name, why)`` of each file-scope variable of ``sources`` that something besides the functions ``reached``
    (those the runs execute) may store to: a module parameter (its value given at load time or through sysfs), a
    function outside them that assigns it, steps it or hands its address on (a ``__setup()`` handler, a debugfs
    file made with ``&sc_tries``, a setter nothing compared calls), or a file-scope initializer taking its address
    (a sysctl table's ``.data``; an array's name, which is its address, likewise), said with the line where the
    address is taken. A variable defined const is never one (a store through a pointer to it is undefined, C11
    6.7.3p6), a module parameter aside. Each definition naming a variable is parsed on its own, as the
    preprocessor leaves names (models.scopes: the loader parses only what the entry points reach), its reading kept
    in ``store`` (harness.scopecache); one that does not parse (types and macros of headers not read) is read from
    its text (_Read). ``returned``: (function, variable, file:line) of each reached function that
    returns a variable's address (CodeFacts.returned): one that code no run executes calls (or a file-scope
    initializer names) hands the address there. ``linkage``: what a tree tells of the variables of external linkage
    (harness.externsettled.Linkage): those whose every possible setter is in ``sources`` or in the tree's files it
    read (whose functions no run executes, all looked at as above) are no reason by their linkage alone; another
    is said with why it is not settled. Worked out once per sources and functions reached: each
    comparison, equivalence rule and behaviour bound asks again for the same variant, and variants whose C files are
    in the same states have sources alike, made each for its own variant (the corpus' eval: 58 readings of 43
    distinct sources, functions reached and addresses returned): kept by their value (a Source hashes once)."""
    # Only a definition's name in ``reached`` is read (_outside_writes: whether it ran): the key keeps those alone, so
    # that a comparison's program (its entry wrappers among its functions, models.cload) and a rule's code facts (its
    # calls, without them) share one reading of the same code (the corpus' eval: 15 of 52 readings were such twins).
    extra = linkage.read if linkage is not None else ()
    done = frozenset(definitions(sources + extra if extra else sources).keys() & frozenset(reached))
    key = (sources, done, returned, linkage)
    found = _KEPT.get(key)
    if found is None:
        if len(_KEPT) >= _KEPT_MAX:
            _KEPT.clear()
        found = _KEPT[key] = _outside_writes(sources, done, returned, store, linkage)
    return found


_KEPT: dict[tuple[object, ...], tuple[tuple[str, str], ...]] = {}
_KEPT_MAX = 256


def facts_outside(sources: tuple[Source, ...], facts: CodeFacts, store: OutcomeCache | None = None,
                  linkage: Linkage | None = None) -> tuple[tuple[str, str], ...]:
    """outside_writes of a variant's sources and code facts, and the variables whose address the code the runs
    execute lets go where no run follows it (CodeFacts.escapes, models.escapes), what outside_writes finds first."""
    returned = tuple((f, v, at) for f, vs in sorted(facts.returned.items()) for v, at in sorted(vs.items()))
    return _with(outside_writes(sources, facts.calls, returned, store, linkage), facts.escapes)


def program_outside(sources: tuple[Source, ...], program: Program, store: OutcomeCache | None = None
                    ) -> tuple[tuple[str, str], ...]:
    """facts_outside of a loaded program (its functions those reached; worked out once per program, a side of
    several comparisons)."""
    from models.escapes import address_escapes  # the C parser's, loaded where a program is

    escapes, by_fn = by_identity("outsidewrites.escapes", (program,), (), lambda: address_escapes(program))
    returned = tuple((f, v, at) for f, vs in sorted(by_fn.items()) for v, at in sorted(vs.items()))
    return _with(outside_writes(sources, program.functions, returned, store), escapes)


def _with(found: tuple[tuple[str, str], ...], escapes: Mapping[str, str]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted({**escapes, **dict(found)}.items())) if escapes else found


def _outside_writes(sources: tuple[Source, ...], done: frozenset[str], returned: Returned,
                    store: OutcomeCache | None, linkage: Linkage | None) -> tuple[tuple[str, str], ...]:
    extra = linkage.read if linkage is not None else ()
    # A tree's files read for their setters: none of their functions ran (a <...> header's whole text aside, of
    # which sources hold the names the code uses: a function of it the runs execute is that one).
    unrun = {s.path for s in extra} - {s.path for s in sources}
    every = sources + extra if extra else sources
    table = definitions(every)
    variables = {n: ds for n, ds in table.items() if any(d.kind is Kind.VARIABLE for d in ds)}
    found = {n: f"a module parameter sets it ({at}), at load time or through sysfs"
             for n, at in module_parameters(every).items() if n in variables}
    writable = {n for n, ds in variables.items() if not all(_const(d) for d in ds if d.kind is Kind.VARIABLE)}
    unsettled = dict(linkage.why) if linkage is not None else {}
    settled = linkage.settled if linkage is not None else frozenset()
    found |= {n: f"it is defined without static ({d.where}): "
                 + unsettled.get(n, "code of files the mirror does not have may store to it")
              for n in sorted(writable - found.keys() - settled) if (d := _external(variables[n])) is not None}
    found |= {n: f"it is __weak ({d.where}): " + unsettled.get(n, "a strong definition in a file the mirror does not "
                                                                  "have may replace it, its value the one ld links")
              for n in sorted(variables.keys() - found.keys() - settled)
              if (d := next(filter(weak_variable, variables[n]), None)) is not None}
    arrays = {n for n in writable if any(_array(d) for d in variables[n])}
    # What the macros do to their parameters, asked only where unreached code names a variable the runs read: most
    # sources have no such code, and reading every function-like macro of the files cost every eval 0.3-0.4%.
    def effects() -> Effects:
        return by_identity("outsidewrites.macros", (every,), (), lambda: macro_effects(table))

    def values() -> frozenset[str]:  # asked only where a word in parentheses comes before '&' and a variable's name
        return by_identity("outsidewrites.values", (every,), (), lambda: file_values(table))

    def words() -> tuple[frozenset[str], frozenset[str]]:  # asked only where a definition names a variable
        return by_identity("outsidewrites.words", (every,), (), lambda: _words(table))

    def own() -> tuple[MacroTable, frozenset[str]]:  # asked where a function no run executes or a variable is
        return by_identity("outsidewrites.files", (every,), (), lambda: file_macros(table, writable))

    def read_expanded(text: str, v: str) -> int | None:
        return _stores(text, v, (v in arrays, values), macro_uses(text, effects()).get(v))

    for name, ds in sorted(table.items()):
        for d in ds:
            raw = _joined(d.text)
            text = strings_blanked(raw)
            ran = name in done and d.path not in unrun
            runs = ", which no run executes," if d.kind is Kind.FUNCTION else ""
            asked = d.kind is Kind.VARIABLE or (d.kind is Kind.FUNCTION and not ran)
            # A tree's file read is asked of the variables it was read for (its own need no reading).
            left = sorted(v for v in writable - found.keys() - {name} if v in raw
                          and (d.path not in unrun or v in settled)) if asked else []
            via = macro_uses(text, macros) if left and (macros := effects()) else {}
            read = _Read(d, text, _parsed(d, words(), store) if left else None, values)
            if d.kind is Kind.FUNCTION and not ran:
                for v in left:
                    why = read.stores(v, v in arrays, via.get(v))
                    if why is not None:
                        at = "stores to it" if why < 0 else f"takes its address at {_line(d, why)}"
                        found[v] = f"{name}() ({d.where}), which no run executes, {at}"
            elif d.kind is Kind.VARIABLE:
                for v in left:
                    line = read.address(v, v in arrays, via.get(v))
                    if line is not None:
                        found[v] = f"{name} ({d.where}) holds its address, taken at {_line(d, line)}"
            if (d.kind is Kind.FUNCTION and not ran) or d.kind is Kind.VARIABLE:  # what its macros' expansions do
                them = sorted(v for v in writable - found.keys() - {name} if d.path not in unrun or v in settled)
                for v, what in macro_stores(d, text, them, own(), read_expanded).items():
                    found[v] = f"{name}{'()' if d.kind is Kind.FUNCTION else ''} ({d.where}){runs} {what}"
            if d.kind is Kind.FUNCTION and not ran:
                for v, how in (_pasted_stores(text) | {v: how for v, _, how in reversed(asm_stores(raw))}).items():
                    if v in writable and v not in found:
                        found[v] = f"{name}() ({d.where}), which no run executes, stores to it: {how}"
            if returned and d.kind in (Kind.FUNCTION, Kind.VARIABLE) and not ran:
                found = _returned_to(d, returned) | found
    return tuple(sorted(found.items() | _handed_on(sources, writable - found.keys()).items()))


def _handed_on(sources: tuple[Source, ...], names: Iterable[str]) -> dict[str, str]:
    """Each of ``names`` a file of ``sources`` hands alone to a call of a callee no file read defines nor the
    mirror's prelude does ('sc_knob_store(sc_busy_code, n)': a macro of a header not read, which may store to it;
    harness.unknowncallees), or, any of them, where a file writes alone as a statement a name no file read defines
    ('SC_KNOB_STORE;', an object-like macro of such a header), with where."""
    found = {n: handed_unknown(n, sources, sources) for n in sorted(names)}
    bare = bare_unknown(sources, sources) if None in found.values() else None  # it names none: it may store to any
    return {n: said for n, why in found.items() if (said := why or bare) is not None}


def stored_lines(d: Definition, names: Iterable[str], macros: tuple[MacroTable, frozenset[str]] | None = None
                 ) -> list[tuple[str, int]]:
    """(name, line in the file) of each store a function's text makes to one of ``names`` (not a local of that name):
    an assignment or step ('x = n', 'x[i] += n', '--x'), or a kernel macro storing to it ('WRITE_ONCE(x, n)',
    prelude_effects), or an asm statement's output operand or symbol ('"=m" (x)', 'movq %0, x(%%rip)':
    harness.asmstores), or, given the files' ``macros`` (harness.macrostores.file_macros), one of theirs as the
    preprocessor expands it ('SC_BUSY_IS(n)'); asked of the lines of reached functions that no run executed
    (harness.behaviour)."""
    raw = _joined(d.text)
    text = strings_blanked(raw)  # one-line strings blanked: the lines stay where they were
    via = macro_uses(text, prelude_effects())
    names = [n for n in names if not re.search(_OWN.format(v=re.escape(n)), unconditional(text))]
    found = [(n, d.line + i) for n, i in macro_store_lines(text, names, macros, _stepped)] if macros else []
    for name in names:
        v = re.escape(name)
        if name not in raw:  # raw: an asm template names it
            continue
        at = [m.start() for m in re.finditer(STEPPED.format(v=r"(?<![.>])" + v), text)]
        at += [via[name][1]] if name in via and via[name][0] else []
        at += [pos for v, pos, _ in asm_stores(raw) if v == name]
        found += [(name, d.line + raw.count("\n", 0, pos)) for pos in sorted(set(at))]
    return found


def _joined(text: str) -> str:
    """``text`` with its backslash-newlines removed, as gcc removes them before reading a token (C11 5.1.1.2p1,
    phase 2: 'sc_busy_code \\' then '= n;' is a store), each logical line's breaks put back after it so that every
    later line keeps its number (models.splice.spliced)."""
    if "\\\n" not in text:
        return text
    joined = spliced(text)
    return text if joined is None else joined.text


def _stepped(text: str, name: str) -> bool:
    """Whether ``text`` (an expansion) assigns or steps ``name``, itself or through a kernel macro."""
    via = macro_uses(text, prelude_effects()).get(name)
    return re.search(STEPPED.format(v=r"(?<![.>])" + re.escape(name)), text) is not None or bool(via and via[0])


def _returned_to(d: Definition, returned: Returned) -> dict[str, str]:
    """The variables (file-scope or static locals: models.escapes lists no const one) whose address a function the
    runs execute returns, when ``d``, code no run executes, calls it or holds it (an ops table's member)."""
    how = ("()", "calls") if d.kind is Kind.FUNCTION else ("", "holds")
    return {v: f"{fn}() returns its address ({at}), and {d.name}{how[0]} ({d.where}), which no run executes, "
               f"{how[1]} it" for fn, v, at in reversed(returned) if fn != d.name and d.uses(fn)}


# An array's name as a value (its address, C11 6.3.2.1p3), not subscripted, nor a member's name, nor sizeof's.
_INDEXED = re.compile(r"\s*\[")  # after a variable's name in its definition: an array
_DECAYS = r"(?<![.>\w*])\b{v}\b(?!\s*\[)"
_SIZED = r"\b(?:sizeof|ARRAY_SIZE)\s*\(?\s*{v}\b\s*\)?"
# A local or parameter of the same name: the function's own variable, which the runs' code does not read (not one read
# in another's initializer, 'u64 busy = sc_busy_code;').
_OWN = r"\b(?:int|long|bool|char|short|unsigned|signed|[us](?:8|16|32|64))\b[^;(){{}}=]*\b{v}\s*[=;,)\[]"


class _Read:
    """One definition read for what it does to the variables of file scope: from its parsed C where pycparser reads
    it (models.scopes: C's block scopes, literals and comments read as C reads them), else from its text with
    comments and one-line strings blanked, where a scan of words and brackets takes scope as best it can (a macro or
    type of a header not read, which a parse without them fails on)."""

    def __init__(self, d: Definition, text: str, parsed: Uses | None, values: Values) -> None:
        self.d, self.text, self.parsed, self.values = d, text, parsed, values

    def stores(self, var: str, array: bool, via: tuple[bool, int] | None) -> int | None:
        """-1 when the definition assigns ``var`` or steps it (not one of its own of that name), else the line (of
        its text, from 0) where it takes its address (address()); None for neither. ``via``: what a macro of the
        files handed ``var`` does to it (macro_uses), a store or an address taken where the use is."""
        if self.parsed is None or _grouped(self.text, var):
            pos = _stores(self.text, var, (array, self.values), via)
            return pos if pos is None or pos < 0 else self.text.count("\n", 0, pos)
        via = self._seen(var, via)
        lvalue = re.search(_LVALUE_STORE.format(v=re.escape(var)), self.text) is not None
        return -1 if var in self.parsed.stores or lvalue or (via is not None and via[0]) else \
            self.address(var, array, via)

    def address(self, var: str, array: bool, via: tuple[bool, int] | None) -> int | None:
        """The first line where ``var``'s address is taken: '&var' (not '(n) & var' whose word names a value there,
        harness.valuewords), an array's name as a value, or a macro ``via`` taking it; None if nowhere."""
        if self.parsed is None or _grouped(self.text, var):
            pos = _address(self.text, var, array, self.values)
            pos = via[1] if pos is None and via is not None else pos
            return None if pos is None else self.text.count("\n", 0, pos)
        via = self._seen(var, via)
        taken = [a.line for a in self.parsed.amps if a.var == var
                 and (a.word is None or not (a.local or a.word in self.values()))]
        if not taken and array:
            taken = [line for name, line in self.parsed.values if name == var]
        return min(taken) if taken else None if via is None else self.text.count("\n", 0, via[1])

    def _seen(self, var: str, via: tuple[bool, int] | None) -> tuple[bool, int] | None:
        """``via`` where the name handed to the macro is the file's variable there (no local hides it)."""
        assert self.parsed is not None
        return via if via is not None and (var, self.text.count("\n", 0, via[1])) in self.parsed.refs else None


def _grouped(text: str, var: str) -> bool:
    """Whether ``text`` names ``var`` inside a conditional group ('#if 0', '#ifdef CONFIG_X':
    harness.typednames.unconditional). pycparser reads such a group as code, so a local declared there only
    ('#if 0' then 'u64 sc_busy_code;') would hide the stores a build makes to the file's variable after it (gcc
    leaves the group out, C11 6.10.1p6): such a text is read by _stores, which takes no declaration of a group."""
    plain = unconditional(text)
    return plain != text and len(re.findall(rf"\b{re.escape(var)}\b", plain)) != \
        len(re.findall(rf"\b{re.escape(var)}\b", text))


# A store through a prelude macro that yields the per-CPU variable as an lvalue: 'per_cpu(v, cpu) = n',
# '++per_cpu(v, 1)'; its address taken ('&per_cpu(v, cpu)') or a part of it named ('.f', '->f', '[i]': a store
# to a member or an element the pattern does not follow) counts as a store too, as the address did before: a
# false INCONCLUSIVE there, never a false pass.
_LVALUE_CALL = r"\b(?:per_cpu|get_cpu_var)\s*\(\s*{v}\b"
_LVALUE_STORE = (_LVALUE_CALL + r"[^;()]*(?:\([^;()]*\)[^;()]*)*\)\s*(?:\+\+|--|(?:[-+*/%&|^]|<<|>>)?=(?!=)|\.|->|\[)"
                 r"|(?:\+\+|--|&)\s*\(?\s*" + _LVALUE_CALL)


def _stores(text: str, var: str, kind: tuple[bool, Values], via: tuple[bool, int] | None = None) -> int | None:
    """Whether a function's text assigns ``var``, steps it or takes its address (not one of its own name): -1 for
    a store, else where in ``text`` the address is taken; None for neither. ``kind``: whether ``var`` is an array,
    and the values of file scope (_address). ``via``: what a macro of the files handed ``var`` does to it
    (macro_uses), a store or an address taken where the use is."""
    v = re.escape(var)
    if re.search(_OWN.format(v=v), unconditional(text)):  # a declaration a build may leave out hides nothing
        return None
    if re.search(STEPPED.format(v=v), text) or re.search(_LVALUE_STORE.format(v=v), text) or \
            (via is not None and via[0]):
        return -1
    pos = _address(text, var, *kind)
    return via[1] if pos is None and via is not None else pos


# A store to a name a prelude macro pastes from its parameter ('__sh_sc_##name = (func)', models.headermacros).
_PASTED = re.compile(r"(\w*)##(\w+)(?:##(\w+))?\s*=(?!=)")


def _pasting() -> dict[str, tuple[int, str, str]]:
    """The prelude's macros that store to a name they paste from a parameter: static_call_update() to the key
    DEFINE_STATIC_CALL() made (macro -> the parameter's index, the prefix and suffix pasted to it)."""
    from models.headermacros import HEADER_MACROS

    out: dict[str, tuple[int, str, str]] = {}
    for head, body in HEADER_MACROS:
        name, _, rest = head.partition("(")
        params = [p.strip() for p in rest.rstrip(")").split(",")]
        m = _PASTED.search(body)
        if m is not None and m.group(2) in params:
            out[name] = (params.index(m.group(2)), m.group(1), m.group(3) or "")
    return out


def _pasted_stores(text: str) -> dict[str, str]:
    """The variables ``text`` stores to through a prelude macro that pastes their name (_pasting), each with the
    call: 'static_call_update(sc_pick, f)' stores to the key of static call sc_pick."""
    pasting = by_identity("outsidewrites.pasting", (), (), _pasting)
    found: dict[str, str] = {}
    for m in re.finditer(r"\b(\w+)\s*\(", text):
        how = pasting.get(m.group(1))
        if how is None:
            continue
        args, _ = arguments(text, m.end())
        if how[0] < len(args) and re.fullmatch(r"\s*\w+\s*", args[how[0]]):
            arg = args[how[0]].strip()
            found.setdefault(how[1] + arg + how[2], f"{m.group(1)}({arg}, ...)")
    return found


# The names of file scope that are values only (harness.valuewords.file_values), worked out when first asked.
Values = Callable[[], frozenset[str]]


def _address(text: str, var: str, array: bool, values: Values) -> int | None:
    """Where in ``text`` ``var``'s address is taken (``&var``, or an array's name as a value); None if nowhere.
    '(n) & var' whose word names a value where it is (harness.valuewords.names_value) and's n with var: no address."""
    v = re.escape(var)
    for m in re.finditer(ADDRESS.format(v=v), text, re.MULTILINE):
        word = re.fullmatch(r"\(\s*(\w+)\s*\)", m.group("cast") or "")
        if word is None or not names_value(word.group(1), text, m.start(), values()):
            return m.end() - len(var)
    if array:
        d = re.search(_DECAYS.format(v=v), re.sub(_SIZED.format(v=v), lambda s: " " * len(s.group()), text))
        return d.start() if d is not None else None
    return None


def _const(d: Definition) -> bool:
    """Whether a variable's definition makes the object itself const (``const int x``, ``int *const p``, not
    ``const int *p``, whose pointer may be set): what comes before its name holds a const no '*' follows."""
    before = _before_name(d)
    return before is not None and re.search(r"\bconst\b[^*]*$", before) is not None


def external_variables(sources: tuple[Source, ...]) -> list[str]:
    """The file-scope variables of ``sources`` of external linkage (_external), not const: what another file may
    store to; and those defined ``__weak``, const too (models.redefinition.weak_variable): another file's strong
    definition may replace them."""
    table = definitions(sources)
    return sorted(n for n, ds in table.items() if any(d.kind is Kind.VARIABLE for d in ds)
                  and (not all(_const(d) for d in ds if d.kind is Kind.VARIABLE) or any(map(weak_variable, ds)))
                  and _external(ds) is not None)


def _external(ds: Iterable[Definition]) -> Definition | None:
    """The first definition or declaration of a file-scope variable that gives it external linkage (no ``static``
    before its name: ``u64 sc_busy_code = ...;``, ``extern u64 sc_busy_code;``, ``DEFINE_PER_CPU(u64, x)``, C11
    6.2.2): another file of the kernel, or a module where it is exported, may store to it."""
    for d in ds:
        before = _before_name(d) if d.kind is Kind.VARIABLE else None
        if before is not None and re.search(r"\bstatic\b", before) is None:
            return d
    return None


def _before_name(d: Definition) -> str | None:
    """The text of a variable's definition before its name, not a struct, union or enum tag spelt alike ('const
    struct sc_ops *sc_ops'); None if the name is not in it."""
    at = next((s for s, _ in name_spans(d.text, d.name, BOUNDARY, BOUNDARY)
               if not re.search(r"\b(?:struct|union|enum)\s+$", d.text[:s])), None)
    return None if at is None else d.text[:at]


def _array(d: Definition) -> bool:
    return d.kind is Kind.VARIABLE and has_name(d.text, d.name, BOUNDARY, _INDEXED)


def _line(d: Definition, line: int) -> str:
    return f"{d.path}:{d.line + line}"


def _parsed(d: Definition, words: tuple[frozenset[str], frozenset[str]], store: OutcomeCache | None
            ) -> Uses | None:
    """What a function or a variable's definition does to the variables (harness.scopecache); None for any other
    or one pycparser does not read."""
    return scope_uses(d.text, words, store) if d.kind in (Kind.FUNCTION, Kind.VARIABLE) else None


def _words(table: Mapping[str, Iterable[Definition]]) -> tuple[frozenset[str], frozenset[str]]:
    """The type names a definition of the files may use (the files' typedefs and the kernel's the prelude gives),
    and the annotations read as nothing (models.scopes.empty_annotations)."""
    kinds = {n: {d.kind for d in ds} for n, ds in table.items()}
    return frozenset(PRELUDE_TYPEDEFS) | {n for n, ks in kinds.items() if Kind.TYPEDEF in ks}, \
        empty_annotations({n for n, ks in kinds.items() if Kind.MACRO in ks})

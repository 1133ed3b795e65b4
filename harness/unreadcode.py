"""What a source check could not read: calls of functions whose bodies the input lacks, definitions misnamed."""

from __future__ import annotations

import re
from functools import lru_cache

from harness.diffmodel import LineKind, PatchedFile
from harness.memo import by_identity
from harness.model import Series
from harness.runner import variant_sources
from harness.variants import Variant
from models.builtinnames import COMPILE_TIME_NAMES
from models.facts import CodeFacts
from models.loader import definitions
from models.macrogenerated import kernel_macro_definitions
from models.prelude import prelude_bodies
from models.primnames import PRIMITIVE_NAMES
from models.slicer import Definition, Kind, slice_fragment
from models.wordfind import BOUNDARY, CALL_AFTER, has_name, name_spans, name_tail

PARAMETER = "its parameter: what its callers pass is not followed"  # a call through a function pointer parameter


def unseen_callees(own: CodeFacts, ref: CodeFacts, v: Variant, series: Series) -> list[str]:
    """Calls that functions new since the reference make, or that a function the reference has makes anew, to a
    function the lines read do not define and the kernel prelude does not model: one they declare (a prototype, its
    body in a file or lines not read), or one they do not even declare that no patch of the input defines either (a
    kernel function such as print_hex_dump(), in a header not read): a printer may hide there. A name some patch of
    the input defines (another revision's, a patch this variant drops) is the series' own, not built here, as the
    runs say."""
    sources = variant_sources(v)
    known = set(PRIMITIVE_NAMES) | COMPILE_TIME_NAMES | set(prelude_bodies()) | set(own.calls) \
        | set(definitions(sources)) | set(misnamed(v))
    declared = set().union(*(_prototypes(src.path, start, lines) for src in sources for start, lines in src.pieces)) \
        - known
    outside = declared | (set().union(*own.calls.values()) - known - series_defines(series))
    table = definitions(sources)
    variables = {n for n, ds in table.items() if n not in own.calls and all(d.kind is not Kind.FUNCTION for d in ds)}

    def lacks(callee: str) -> str:
        return "declare but do not define" if callee in declared else "neither define nor declare"

    def why(f: str, callee: str) -> str | None:
        """Why the call is not read, or None where it is: through a parameter the callers give functions whose
        bodies are read (or the prelude models), by name, the call is a call of each of them, judged as such (one
        handed on by a caller's own parameter is what that caller's callers give: models.passedon)."""
        if callee not in _parameters(table.get(f, [])):
            return f"which the lines read {lacks(callee)}"
        passed = own.passed.get(f, {}).get(callee, [])
        if not passed or any(not p or p in variables for p in passed):  # a pointer variable's target: not followed
            return PARAMETER
        unread = [p for p in passed if p in outside or p not in known]
        if not unread:
            return None
        every = "every call of" if len(passed) == 1 else "a call of"
        return f"its parameter, to which {every} {f}() passes {unread[0]}(), which the lines read {lacks(unread[0])}"

    # A function the reference has too counts with the calls it makes anew: sc_retry_prerr() handing a P-SEAMLDR
    # failure to SC_LOADER_REPORT(), a macro of a header not read, may print there as well as a new function would.
    found = ((f, callee, why(f, callee)) for f in sorted(own.calls)
             for callee in sorted((set(own.calls[f]) - set(ref.calls.get(f, ()))) & outside))
    return [f"{f}() ({own.where.get(f, '?')}) calls {callee}(), {reason}" for f, callee, reason in found if reason]


def hidden_calls(own: CodeFacts, fn: str, ref: CodeFacts | None, was: str | None, v: Variant,
                 series: Series) -> list[str]:
    """Calls that ``fn`` and what it reaches make, and the reference's ``was`` and what it reaches do not, of a name
    the lines read neither define nor the kernel prelude models, that no patch of the input defines either: a macro
    or function of a header not read (``sc_rare(x)``, the tree's wrapper of ``unlikely(x)``) whose body may make a
    call a no_new_calls rule counts, which no count of the lines read shows. A call through a pointer, a parameter or a
    variable of ``f``'s own (``op(fn, args)``), is none: a macro cannot be pointed to (the functions passed there,
    where the lines define them, are read as what ``fn`` reaches)."""
    before = set(ref.calls_from(was)) if ref is not None and was is not None and was in ref.calls else set()
    return [f"{f}() calls {callee}() ({own.call_where.get(f, {}).get(callee) or own.where.get(f, '?')}), which the "
            "lines read neither define nor declare" for f in own.reach(fn) for callee in _unknown(own, f, v, series)
            if callee not in before]


def hidden_setters(own: CodeFacts, fn: str, var: str, v: Variant, series: Series) -> list[str]:
    """Calls in ``fn``'s own body, of a name as hidden_calls finds them, that are handed ``var``: a macro of a header
    not read (``SC_OVERRIDE(busy, fn);``) may assign it there, a statement setting it that a set_together check does
    not see as one."""
    text = next((d.text for d in definitions(variant_sources(v)).get(fn, [])
                 if d.kind is Kind.FUNCTION and d.where == own.where.get(fn)), "")
    body = text.split("{", 1)[-1]
    return [f"{fn}() hands {var} to {callee}() ({own.call_where.get(fn, {}).get(callee) or own.where.get(fn, '?')}), "
            "which the lines read neither define nor declare" for callee in _unknown(own, fn, v, series)
            if any(has_name(_arguments(body, end), var, BOUNDARY, BOUNDARY)
                   for _, end in name_spans(body, callee, BOUNDARY, CALL_AFTER))]


def _unknown(own: CodeFacts, f: str, v: Variant, series: Series) -> list[str]:
    """The names ``f`` calls that the lines read neither define nor declare, the kernel prelude does not model and no
    patch of the input defines, pointers aside (parameters and variables of ``f``'s own), sorted."""
    sources = variant_sources(v)
    table = definitions(sources)
    known = set(PRIMITIVE_NAMES) | COMPILE_TIME_NAMES | set(prelude_bodies()) | set(own.calls) | set(table) \
        | set(misnamed(v)) \
        | series_defines(series) | _parameters(table.get(f, [])) | set(own.sets.get(f, {}))
    return sorted(set(own.calls.get(f, {})) - known)


def _arguments(text: str, start: int) -> str:
    """The text from ``start`` (just past a call's ``(``) to its matching ``)``."""
    depth = 1
    for i in range(start, len(text)):
        depth += {"(": 1, ")": -1}.get(text[i], 0)
        if depth == 0:
            return text[start:i]
    return text[start:]


@lru_cache(maxsize=1024)  # a piece of a file is the same in every state that did not change it
def _prototypes(path: str, start: int, lines: tuple[str, ...]) -> frozenset[str]:
    """The names a piece of a file declares with a prototype."""
    return frozenset(d.name for d in slice_fragment(list(lines), path, start) if d.kind is Kind.PROTOTYPE)


# After a function's name (models.wordfind: no pattern per name): its parameters to the body; a call's arguments.
_HEAD_TO_BODY = re.compile(r"\s*\((.*?)\)\s*\{", re.S)
_ARGUMENTS = re.compile(r"\s*\(([^()]*)\)")


def _parameters(defs: list[Definition]) -> set[str]:
    """The names of a function's parameters, read from its definitions' heads (``void (*err)(u64)`` names err)."""
    out: set[str] = set()
    for d in defs:
        if d.kind is Kind.FUNCTION and (m := name_tail(d.text, d.name, BOUNDARY, _HEAD_TO_BODY)):
            for part in re.split(r",(?![^()]*\))", m.group(1)):
                names = re.findall(r"\(\s*\*\s*(\w+)\s*\)|(\w+)\s*(?:\[[^]]*\])?\s*$", part.strip())
                out.update(a or b for a, b in names[:1])
    return out


def series_defines(series: Series) -> frozenset[str]:
    """The names the new side of some hunk of the input defines (any revision, any patch)."""
    return by_identity("series defines", (series,), (), lambda: frozenset(
        d.name for r in series.revisions for p in r.patches for f in p.files for h in f.hunks
        for d in slice_fragment([ln.text for ln in h.lines if ln.kind is not LineKind.REMOVED],
                                f.target_path or "", h.target_start) if d.kind is not Kind.PROTOTYPE))


def macro_defines(files: tuple[PatchedFile, ...]) -> frozenset[str]:
    """The names a diff's added lines define through a kernel macro the prelude models (``static
    DEFINE_PER_CPU(unsigned int, hits);``, ``DEFINE_SPINLOCK(lock);``), which a slice of the lines reads as an
    invocation, not a definition of the name (models.macrogenerated.kernel_macro_definitions)."""
    return by_identity("macro defines", (files,), (), lambda: frozenset(
        g.name for f in files if (f.target_path or f.path).endswith((".c", ".h")) for h in f.hunks
        for d in slice_fragment([ln.text for ln in h.lines if ln.kind is LineKind.ADDED],
                                f.target_path or "", h.target_start) if d.kind is Kind.INVOCATION
        for g in kernel_macro_definitions(d)))


def misnamed(v: Variant) -> dict[str, str]:
    """Function definitions the code's reader (models.slicer) named after a macro written before the name, an
    attribute taking arguments (``static __printf(1, 2) void sl_log(...)`` read as a definition of __printf): a
    prelude macro, or a group holding a literal, which no parameter list does. By the name their text gives,
    why none of them is read (what they call or print is not seen). Once per table of definitions, which the
    variants with the same sources share (every source rule asks of every variant; shared: never change it)."""
    table = definitions(variant_sources(v))
    return by_identity("misnamed", (table,), (), lambda: _misnamed(table))


def _misnamed(table: dict[str, list[Definition]]) -> dict[str, str]:
    macros = prelude_bodies()
    out: dict[str, str] = {}
    for name, defs in table.items():
        for d in defs:
            if d.kind is not Kind.FUNCTION:  # before the pattern of its name is made: a compilation a name
                continue
            group = name_tail(d.text.split("{", 1)[0], name, BOUNDARY, _ARGUMENTS)
            if group is None or not (name in macros or any(
                    re.fullmatch(r'"[^"]*"|\d\w*', x.strip()) for x in group.group(1).split(","))):
                continue
            called = re.findall(r"([A-Za-z_]\w*)\s*\(", d.text.split("{", 1)[0][group.end():])
            if called:
                out[called[0]] = (f"{d.where}: read as a definition of {name}(), the macro written before its "
                                  "name, so its body is not read")
    return out

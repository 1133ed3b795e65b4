"""Code the rule speaks of that never ran: functions reaching a SEAMCALL that no entry point ran or reached.

A wrapper the rule's entry patterns name but no run reaches, and a retrying wrapper of any name that no run of the
variant reaches (harness.behaviour says these beside a behaviour rule's verdict).
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable, Iterable

from harness.memo import by_identity
from harness.rules import Selector
from harness.variants import Variant
from harness.verdict import CheckContext
from models.slicer import Definition, Kind


def unfed_seam_code(v: Variant, ctx: CheckContext, sel: Selector, ran: Iterable[str]) -> list[str]:
    """Functions and function-like macros of the variant that reach a SEAMCALL yet neither run as an entry point
    (the matrix cannot feed their parameters: ``int f(unsigned int op, const char *why)``) nor are reached by one
    that ran: code the rule speaks of that never ran. Those the selector's entry patterns name, unless an entry
    point the rule selects that ran (``ran``) reaches them; and, not named, those that reach a retry loop
    (harness.seamcode.retries_a_call) that no entry point of any run reaches: a retrying wrapper a later revision
    adds under another name than the rule lists is code the point is about, so the rule does not pass over it."""
    how = f"the rule's scenarios.entry does not name it ({', '.join(sel.entry)})" if sel.entry else \
        "the rule has no entry pattern (the matrix's own)"
    # The same for every rule: worked out once per variant, each rule leaving out what it names.
    retrying = ctx.once(("unrun retrying code", v.name), lambda: _unrun_retrying(v, ctx))
    return (_unfed_named(v, ctx, sel, ran) if sel.entry else []) + [
        f"{name}() ({where}) reaches a SEAMCALL through a retry loop ({loop}()), but {how}, no entry point that ran "
        f"reaches it, and {_not_entry(v, where)}: what it does under the rule's leaves and scripts never ran (an "
        "[[entry]] that feeds it runs it)"
        for name, where, loop in retrying if not any(fnmatch.fnmatchcase(name, p) for p in sel.entry)]


def _not_entry(v: Variant, where: str) -> str:
    """Why a function at ``where`` (FILE:LINE) did not run as an entry point: the matrix cannot feed its parameters,
    or, in a file of the tree no patch touches (a helper's body harness.unitdefs or a <...> header gave), it is no
    entry point found in the code (harness.discover reads the variant's own files)."""
    path = where.rsplit(":", 1)[0]
    if v.file(path) is None:
        return f"{path}, a file of the tree that no patch touches, gives no entry point found in the code"
    return "the matrix cannot feed its parameters to run it"


def _seam_code(v: Variant, ctx: CheckContext) -> tuple[dict[str, list[Definition]], list[tuple[str, Definition]]]:
    """The variant's definitions, and its functions and function-like macros that reach a SEAMCALL and are no
    entry point of the matrix, by name."""
    from harness.discover import reaches_seam
    from harness.runner import variant_sources
    from models.loader import definitions

    table = definitions(variant_sources(v))
    entries = {e.name for e in ctx.result.matrix.entries}
    # A fixed point over every definition of the table, which variants with the same sources share: once each.
    seam = by_identity("reaches seam", (table,), (), lambda: frozenset(reaches_seam(table)))
    return table, [(n, table[n][0]) for n in sorted((seam | _handed(table).keys()) - entries)
                   if table[n][0].kind is Kind.FUNCTION or table[n][0].params is not None]


def _handed(table: dict[str, list[Definition]]) -> dict[str, str]:
    """harness.discover.hands_seam, once per definitions table: functions calling again a SEAMCALL they are handed,
    but those another definition of the files uses (its caller, which reaches a SEAMCALL through it, is the code
    said not to have run, as a retry loop it reaches), so that only one no line read calls is named itself."""
    from harness.discover import hands_seam

    def unused() -> dict[str, str]:
        found = hands_seam(table)
        used = {m for n, ds in table.items() for d in ds for m in found.keys() & d.names_used() if m != n}
        return {n: p for n, p in found.items() if n not in used}

    return by_identity("hands seam", (table,), (), unused)


def _unfed_named(v: Variant, ctx: CheckContext, sel: Selector, ran: Iterable[str]) -> list[str]:
    """unfed_seam_code of the code the selector's entry patterns name."""
    from models.closure import closure

    table, code = _seam_code(v, ctx)
    reached = {d.name for d in closure(table, sorted(ran))}
    handed = _handed(table)
    return [f"{name}() ({d.where}) {_reaching(name, handed)}, but no entry point that ran reaches it, and "
            f"{_not_entry(v, d.where)}" for name, d in code
            if name not in reached and any(fnmatch.fnmatchcase(name, p) for p in sel.entry)]


def _reaching(name: str, handed: dict[str, str]) -> str:
    """How a function of _seam_code reaches a SEAMCALL: itself, or as the call it is handed (sc_retry()'s shape)."""
    if name in handed:
        return f"calls {handed[name]}(), a call it is handed, with a struct tdx_module_args (a SEAMCALL, as " \
            "sc_retry() does)"
    return "reaches a SEAMCALL"


def _unrun_retrying(v: Variant, ctx: CheckContext) -> list[tuple[str, str, str]]:
    """(name, FILE:LINE, the function with the loop) of each function reaching a SEAMCALL and a retry loop that no
    entry point of any run of the variant reaches (unfed_seam_code)."""
    from models.closure import closure

    table, code = _seam_code(v, ctx)
    ran = {s.entry.name for s, o in zip(ctx.result.matrix.scenarios, ctx.result.outcomes_of(v.name), strict=True)
           if o.ran}
    anywhere = {d.name for d in closure(table, sorted(ran))}
    unrun = [(name, d) for name, d in code if name not in anywhere]
    if not unrun:
        return []
    loops = _retrying(v, table, [name for name, _ in unrun])
    found = [(name, d.where, loops(closure(table, [name]))) for name, d in unrun]
    return [(name, where, loop) for name, where, loop in found if loop is not None]


def _retrying(v: Variant, table: dict[str, list[Definition]], names: list[str]
              ) -> Callable[[Iterable[Definition]], str | None]:
    """The first of some functions that makes a SEAMCALL again on its answer: read from the parsed C of what
    ``names`` reach (models.retryloop.retries_on_answer: a loop calling a SEAM function, a function reaching one or a
    call it is handed, that goes round again on an answer other than success, however the loop is spelt, a macro's
    expansion too); where that C cannot be loaded, by the lines' shape (harness.seamcode.retries_a_call, sc_retry()'s
    loop under any name)."""
    from harness.discover import reaches_seam
    from harness.runner import variant_sources
    from harness.seamcode import retries_a_call
    from models.errors import MirrorError
    from models.loader import EntryPoint
    from models.mirror import cached_mirror
    from models.outcome import SEAM_FUNCTIONS
    from models.retryloop import retries_on_answer

    try:
        functions = cached_mirror(variant_sources(v), tuple(EntryPoint(n, ("fn",)) for n in names)).program.functions
    except MirrorError:
        return lambda defs: next((d.name for d in defs if d.kind is Kind.FUNCTION
                                  and retries_a_call(d.name, tuple(d.text.splitlines())) is not None), None)
    seam = by_identity("reaches seam", (table,), (), lambda: frozenset(reaches_seam(table))) | SEAM_FUNCTIONS
    return lambda defs: next((d.name for d in defs if d.name in functions
                              and retries_on_answer(functions[d.name], seam.__contains__) is not None), None)

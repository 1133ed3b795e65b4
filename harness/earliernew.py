"""New code an earlier patch creates that the rule's patch does not take up: not a change it compares.

New code of a file a patch before a source rule's own creates is not a change to what the rule compares when
harness.earlierchange judges the patches before the rule's one.
"""

from __future__ import annotations

from collections.abc import Callable

from harness.compare import patches_between
from harness.coverage import named_anywhere
from harness.diffmodel import LineKind
from harness.earlierchange import Aside
from harness.rules import SourceCheck
from harness.runner import variant_sources
from harness.variants import Variant
from harness.verdict import CheckContext, Evidence
from models.facts import CodeFacts
from models.loader import definitions
from models.slicer import Kind
from models.wordfind import any_word


def created_aside(spec: SourceCheck, change: Callable[[], tuple[Variant, Variant] | None], ctx: CheckContext
                  ) -> Aside:
    """What sets aside a new printer or export that an earlier patch brings (``change()``: ``ref``, the state before
    the rule's patch, and ``own``, the state after its change; None, unknown: nothing is set aside). Set aside only
    when all of these hold, else it may be a part of the rule's patch's change that another patch makes, and is
    kept:

    - its definition (a printer's; an export's invocation and the symbol's) is in a file that patch creates, and
      nothing of the state before that patch names it: code that came into being there, not existing code that now
      prints or is exported;
    - (a printer) no entry point the state before that patch provides reaches it after the patch: it changes what
      no code that was there does;
    - the rule's patch does not take it up: (a printer) no entry point of ``ref`` reaches it in ``own`` that did not
      in ``ref`` (a helper switched to it; a new helper calling it, as reuse of the printer that was there does,
      is not one); (an export) none of the rule's change's added lines names the symbol."""
    def aside(before: Variant, after: Variant, e: Evidence) -> bool:
        states = change()
        if states is None:
            return False
        key = ("earlier-aside", *(s.name for s in states), before.name, after.name, e.where, e.expected, e.actual)
        return ctx.once(key, lambda: _aside(spec, states, before, after, e, ctx))
    return aside


def _aside(spec: SourceCheck, rule_change: tuple[Variant, Variant], before: Variant, after: Variant, e: Evidence,
           ctx: CheckContext) -> bool:
    path, _, line = e.where.rpartition(":")
    created = {f.path for p in patches_between(ctx.series, before, after) for f in p.files
               if f.is_new and not f.is_deleted}
    if not line.isdigit() or path not in created or any(f.path == path and not f.absent for f in before.files):
        return False
    name = _exported(after, e.where, ctx) if spec.reads_exports else _printer(after, e.where)
    if name is None or named_anywhere(before, name):
        return False
    defined = [d for d in definitions(variant_sources(after)).get(name, []) if d.kind is not Kind.MACRO]
    if spec.reads_exports and not any(d.path in created for d in defined):
        return False  # a symbol of code that was there, now exported
    if not spec.reads_exports:
        return _reaches_none_there(name, (before, after), rule_change, ctx)
    # An export has no reach to follow: the rule's change naming the symbol (the function changed, or used) may
    # take it up.
    named = any_word((name,))
    return not any(named(x.text) for p in patches_between(ctx.series, *rule_change) for f in p.files
                   for h in f.hunks for x in h.lines if x.kind is LineKind.ADDED)


def _printer(v: Variant, where: str) -> str | None:
    """The function whose definition starts at ``where`` (a function-like macro that prints is left out: the code
    facts do not follow what reaches one)."""
    return next((d.name for found in definitions(variant_sources(v)).values() for d in found
                 if d.where == where and d.kind is Kind.FUNCTION), None)


def _exported(v: Variant, where: str, ctx: CheckContext) -> str | None:
    """The symbol the export invoked at ``where`` exports (harness.exports, as harness.exportcheck scans it)."""
    from harness.exports import scan_variant  # its preprocessor only for the rules that read exports

    scan = ctx.once(("exports", v.name), lambda: scan_variant(v))
    return next((x.symbol for x in scan.exports if x.place == where), None)


def _reaches_none_there(name: str, patch: tuple[Variant, Variant], rule_change: tuple[Variant, Variant],
                  ctx: CheckContext) -> bool:
    """Whether printer ``name`` reaches no code that was there: no entry point of the state before the earlier
    ``patch`` reaches it after it, and none of the rule's change's first state reaches it first in its last."""
    facts = [ctx.facts(s) for s in (*patch, *rule_change)]
    if not all(isinstance(f, CodeFacts) for f in facts):
        return False
    before, after, ref, own = (f for f in facts if isinstance(f, CodeFacts))
    if any(name in after.entry_reach.get(e, ()) for e in before.entry_reach):
        return False
    return not any(name in own.entry_reach.get(e, ()) and name not in fns for e, fns in ref.entry_reach.items())

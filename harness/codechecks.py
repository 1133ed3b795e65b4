"""Rule checks on the code itself: source facts (pycparser's AST); code moves: movecheck, changelogs: changelogcheck."""

from __future__ import annotations

import itertools
from dataclasses import replace
from enum import Enum
from functools import partial

from harness.callsites import new_call_sites
from harness.coverage import NO_TREE, missing_reason, named_anywhere, unusable_code
from harness.diffmodel import LineKind
from harness.earlierchange import earlier_unseen
from harness.earliernew import created_aside
from harness.follow import Aliased, Followed, alias_of, follow, shown_renames
from harness.idlechange import changed_place, lift_hint
from harness.listednames import listed_names
from harness.localrename import LocalRename, find_local, other_texts, plain_texts
from harness.macroprinters import macro_printers
from harness.matrix import EntryKind
from harness.model import Series
from harness.patchplace import applied_patches, state_name
from harness.readings import source_readings, with_readings
from harness.reincluded import reincluded
from harness.rolevar import Unjudged, choose, handed_on
from harness.rules import Rule, SourceCheck
from harness.runner import variant_sources
from harness.spec import closest
from harness.unreadcode import PARAMETER, hidden_calls, hidden_setters, misnamed, unseen_callees
from harness.variants import Variant
from harness.verdict import (
    CheckContext,
    Evidence,
    Verdict,
    VerdictStatus,
    inconclusive,
    not_applicable,
    reference,
    rule_place,
    unevaluated,
    verdict,
)
from models.facts import PRINTS, CodeFacts
from models.lazyre import lazy
from models.loader import definitions
from models.primnames import SPELLED_OUT
from models.slicer import Kind
from reports.safe import counted


def _source_reference(rule: Rule, spec: SourceCheck, v: Variant, ctx: CheckContext) -> CodeFacts | str | None:
    """The reference's code facts, None without a reference, or why they cannot be had."""
    if spec.reference is None:
        return None
    ref_name = reference(spec.reference, v, ctx, rule)
    ref_v = ctx.variant(ref_name) if ref_name else None
    if ref_v is None:
        return unevaluated(ref_name or spec.reference, ctx)
    facts = ctx.facts(ref_v)
    return facts if isinstance(facts, CodeFacts) else f"reference {ref_name}: {facts}"


def _function_evidence(spec: SourceCheck, fn: str, facts: CodeFacts, ref: CodeFacts | None, was: str | None = None,
                       lines: tuple[str, ...] = (), renamed: dict[str, str] | None = None) -> list[Evidence]:
    """What the function (``was``: its name in the reference, when it was renamed since) breaks of the rule
    (``lines``: where the statements that set the ``set_together`` variable are, when known; ``renamed``: a listed
    name's new name -> the name, counted as one)."""
    was = was or fn
    evidence: list[Evidence] = []
    groups: dict[str, list[str]] = {}  # a name with its spelled-out form (unlikely(), __builtin_expect()): one count
    for name in spec.no_new_calls:
        groups.setdefault(SPELLED_OUT.get(name, (renamed or {}).get(name, name)), []).append(name)
    for spelled, listed in groups.items():
        names = list(dict.fromkeys([*listed, spelled]))
        now = sum(facts.calls_from(fn)[n] for n in names)
        before = sum(ref.calls_from(was)[n] for n in names) if ref and was in ref.functions else 0
        if now > before:
            shown = "/".join(f"{n}()" for n in names)
            wanted = f"no {shown} call" if not before else \
                f"at most {before} {shown} call{'s' if before != 1 else ''}"
            first = next((w for n in names if (w := facts.first_call(fn, n))), None)
            evidence.append(Evidence(f"{wanted} in {fn}() and what it calls (as in the reference)",
                                     f"{now} call{'s' if now != 1 else ''}", where=first or facts.where[fn]))
    for name in spec.not_referencing:
        users = [f for f in facts.reach(fn) if name in facts.names[f]]
        if users:
            evidence.append(Evidence(f"{fn}() and what it calls do not use {name}", f"{users[0]}() uses {name}",
                                     where=facts.where[users[0]]))
    if spec.set_together is not None:
        evidence.extend(_set_together(facts, fn, spec.set_together, lines))
    return evidence


def _function(spec: SourceCheck, v: Variant, ctx: CheckContext, facts: CodeFacts
              ) -> Followed | Aliased | str | None:
    """The rule's function as the variant has it: None when it has it under the rule's name, a Followed when
    it shows the function renamed (harness.follow; a name kept by another helper too), an Aliased when the
    name is a macro standing for a function it has, else why it cannot be judged."""
    fn = spec.function
    if fn is None:
        return None
    found = follow(fn, v, ctx)
    if fn in facts.functions:
        # The name is there; a rename shown from it means a patch rewrote it as another helper while its old
        # body went on under a new name (two helpers swapping names): the rule follows that body.
        if isinstance(found, Followed) and found.new in facts.functions:
            return found
        return f"{fn}() is now another helper: {found}" if isinstance(found, str) else None
    if isinstance(found, Followed) and found.new in facts.functions:
        return found
    alias = alias_of(fn, v)
    if alias is not None and alias.new in facts.functions:
        return alias
    macro = next((d for d in definitions(variant_sources(v)).get(fn, [])
                  if d.kind is Kind.MACRO and d.params is not None), None)
    if macro is not None:
        # Its body is expanded into each caller: there is no function of that name for the AST check to read.
        return f"{fn} is a function-like macro in {v.name} ({macro.where}), not a function: the check reads " \
               f"functions (pycparser's AST), so its body is not judged here; judge it by eye, or name a function"
    unreached = next((d for d in definitions(variant_sources(v)).get(fn, []) if d.kind is Kind.FUNCTION), None)
    if unreached is not None:
        # Defined, yet no entry point calls it (an old name kept as a wrapper of a renamed helper): not "missing".
        return _unreached_note(fn, v, ctx, unreached.where) + (f"; {found.note()}" if isinstance(found, Followed)
                                                               else "")
    # A rule names a function by its name in the review; a later revision may have renamed it.
    renamed = "" if named_anywhere(v, fn) else \
        f"; nothing in {v.name}'s code names {fn}() (renamed or removed? the rule may need its new name)" \
        + closest(fn, facts.functions)
    shown = f"; {found.note()}, which the entry points do not reach" if isinstance(found, Followed) else \
        (f"; {found}" if found else "")
    return f"{fn}() is not in the code the entry points reach: {missing_reason(v, fn)}{renamed}{shown}"


def _unreached_note(fn: str, v: Variant, ctx: CheckContext, where: str) -> str:
    """Why the check does not read ``fn()``, defined at ``where`` but reached by no entry point, pointing at the line
    eval names under the patch that last changed it (harness.idlechange), and what would let it be read."""
    changed = changed_place(fn, v, ctx)
    if changed is None:
        return f"{fn}() ({where}) is in {v.name}'s code, but no entry point reaches it, so nothing ran it and the " \
               f"check does not read it: {lift_hint(v, where.rpartition(':')[0])}"
    place, patch = changed
    path, _, line = where.rpartition(":")
    defined = "" if f"{where})" in place.text or f"{where} " in place.text else \
        f" (defined at {f'line {line}' if path == place.path else where})"
    return f"{place.text}, which {patch}, is in {v.name}'s code{defined}, but no entry point reaches it, so " \
           f"nothing ran it and the check does not read it: {lift_hint(v, place.path, place.reach)}"


def _other_copies(v: Variant, fn: str, facts: CodeFacts) -> list[str]:
    """Where the variant defines ``fn`` as a function besides the definition the facts read, with another body
    (a static inline in a header and a function of the same name in a .c file; a .c file's own copy)."""
    copies = [d for d in definitions(variant_sources(v)).get(fn, []) if d.kind is Kind.FUNCTION]
    read = next((d for d in copies if d.where == facts.where.get(fn)), None)
    if read is None:
        return []
    body = " ".join(read.text.split("{", 1)[-1].split())
    return [d.where for d in copies if d is not read and " ".join(d.text.split("{", 1)[-1].split()) != body]


def _ran(v: Variant, ctx: CheckContext, fn: str) -> bool:
    """Whether a statement of ``fn``'s definition in the variant ran in some run of it."""
    found = definitions(variant_sources(v)).get(fn, [])
    ran = ctx.result.coverage(v.name).ran
    return any(f"{d.path}:{n}" in ran or any(w.startswith(f"{d.path}:{n}:") for w in ran)
               for d in found for n in range(d.line, d.line + d.text.count("\n") + 1))


def check_source(rule: Rule, spec: SourceCheck, v: Variant, ctx: CheckContext) -> Verdict:
    """The source check (``_judged``); a pass against ``before:patch`` checked against the patches before the rule's
    one where the input cannot tell their parts (harness.earlierchange)."""
    found = _judged(rule, spec, v, ctx)
    # A printer or export new in a file a patch before it creates from nothing (the helper header of a series made
    # without a tree), which the rule's patch does not take up, is set aside (harness.earliernew).
    return earlier_unseen(rule, spec, v, ctx, found, _judged, created_aside(spec, partial(_change, rule, spec, v, ctx),
                                                                            ctx))


def _change(rule: Rule, spec: SourceCheck, v: Variant, ctx: CheckContext) -> tuple[Variant, Variant] | None:
    """The states before and after the rule's patch's change, as the check of ``v`` reads them (None: unknown)."""
    ref = ctx.variant(reference(spec.reference, v, ctx, rule) or "") if spec.reference is not None else None
    after = _after_patch(rule, spec, v, ctx)
    return (ref, after[0] if after else v) if ref is not None else None


def _judged(rule: Rule, spec: SourceCheck, v: Variant, ctx: CheckContext) -> Verdict:
    """The source check; a pass is inconclusive while a C file of the variant, or of its reference, could not be
    built: a new printer, call or export there is not seen (a mangled patch of the file left it unread)."""
    found = _check_source(rule, spec, v, ctx)
    if found.status is not VerdictStatus.PASS:
        return found
    ref_name = reference(spec.reference, v, ctx, rule) if spec.reference is not None else None
    ref_v = ctx.variant(ref_name) if ref_name else None
    unread = {f"{path} in {state.name}": None for state in (v, *([ref_v] if ref_v is not None else []))
              for path in unusable_code(state)}
    if not unread:
        return found
    return inconclusive(rule, v, f"{', '.join(unread)} could not be built (see the apply findings): what the check "
                                 "reads there is not known" + (f"; {found.note}" if found.note else ""))


def _check_source(rule: Rule, spec: SourceCheck, v: Variant, ctx: CheckContext) -> Verdict:
    if spec.reads_exports:
        from harness.exportcheck import check_exports  # its preprocessor only for the rules that read exports

        return check_exports(rule, spec, v, ctx)
    facts = ctx.facts(v)
    if not isinstance(facts, CodeFacts):
        return inconclusive(rule, v, f"the code could not be read: {facts}")
    followed = _function(spec, v, ctx, facts)
    if isinstance(followed, str):
        return inconclusive(rule, v, followed)
    fn = followed.new if followed is not None else spec.function
    inner = handed_on(fn, facts) if spec.set_together else None
    if inner is not None:  # a wrapper handing its work on: the retry loop judged is the one it calls
        found = _check_source(rule, replace(spec, function=inner), v, ctx)
        said = f"{fn}() sets nothing and only calls {inner}(), which holds its retry loop: judged there"
        return replace(found, note=said + (f"; {found.note}" if found.note else ""))
    listed = listed_names(spec, v, ctx)
    if isinstance(listed, str):
        return inconclusive(rule, v, listed)
    found = _source_verdict(rule, listed.spec, v, ctx, facts, fn, _name_in_reference(rule, spec, v, ctx), listed.was)
    if listed.notes:
        found = replace(found, note="; ".join([*listed.notes, *([found.note] if found.note else [])]))
    found = with_readings(found, source_readings(rule, listed.spec, v, ctx, facts, fn, _name_in_reference(
        rule, spec, v, ctx), after[0] if (after := _after_patch(rule, spec, v, ctx)) else None))
    others = _other_copies(v, fn, facts) if found.status is VerdictStatus.PASS and fn is not None else []
    if others and fn is not None:
        return inconclusive(rule, v, f"{fn}() is defined more than once: the check read {facts.where.get(fn)}, not "
                                     f"{', '.join(others)}, which differs; the one a caller gets depends on its "
                                     "translation unit (give each its own name, or judge it by eye)")
    if followed is None:
        return found
    if found.status is VerdictStatus.PASS and not _ran(v, ctx, followed.new):
        # A followed rule rests on runs of the new code, never on its text alone.
        return inconclusive(rule, v, f"{followed.note()}, but no statement of {followed.new}() ran in {v.name}")
    return replace(found, note=followed.note() + (f"; {found.note}" if found.note else ""))


def _name_in_reference(rule: Rule, spec: SourceCheck, v: Variant, ctx: CheckContext) -> str | None:
    """The rule's function as the reference has it: its own name, or the one a rename the reference itself
    shows gives it (a reference after the rename has the new name; after a swap, the old name is the other
    helper's)."""
    ref_name = reference(spec.reference, v, ctx, rule) if spec.reference is not None else None
    ref_v = ctx.variant(ref_name) if ref_name else None
    if spec.function is None or ref_v is None:
        return spec.function
    found = follow(spec.function, ref_v, ctx)
    return found.new if isinstance(found, Followed) else spec.function


def _source_verdict(rule: Rule, spec: SourceCheck, v: Variant, ctx: CheckContext, facts: CodeFacts,
                    fn: str | None, was: str | None, renamed: dict[str, str] | None = None) -> Verdict:
    """The source check of ``fn`` (``was``: its name in the reference, the rule's own when it was renamed)."""
    ref = _source_reference(rule, spec, v, ctx)
    if isinstance(ref, str):
        return inconclusive(rule, v, ref)
    chosen = choose(spec.set_together, fn, facts, _renamed_variable(spec, fn, v, ctx, facts))
    if isinstance(chosen, Unjudged):
        return (inconclusive if chosen.applies else not_applicable)(rule, v, chosen.why)
    spec = replace(spec, set_together=chosen.var) if chosen is not None else spec
    taken = facts.setting_statements(fn, "&" + spec.set_together) if fn is not None and spec.set_together else []
    if taken:
        return inconclusive(rule, v, f"{fn}() takes the address of {spec.set_together} (statement {taken[0] + 1}): "
                                     "what is set through that pointer, and where, is not followed")
    old = was if ref is not None and was is not None and was in ref.functions else fn
    evidence = _function_evidence(spec, fn, facts, ref, old, chosen.lines if chosen else (), renamed) \
        if fn is not None else []
    if spec.no_new_printers and ref is not None:
        after = _after_patch(rule, spec, v, ctx)
        own = after[1] if after else facts
        found, unknown = _new_printers(rule, spec, v, ctx, (facts, ref), after)
        evidence += found
        unseen = [] if evidence else unseen_callees(own, ref, v, ctx.series) + unknown
        if unseen:
            where = _unread_where(v)
            bodies = any(not x.endswith(PARAMETER) for x in unseen)  # a body the input lacks, not a pointer's target
            return inconclusive(rule, v, "whether a new or changed function prints is not known: " + "; ".join(unseen)
                                + (f" ({where})" if bodies else ""))
    unread = _unread(spec, fn, facts, misnamed(v))
    if unread and not evidence:
        return inconclusive(rule, v, "what the check reads could not be read: " + "; ".join(unread))
    counted = spec.no_new_calls or spec.not_referencing
    hidden = hidden_calls(facts, fn, ref, old, v, ctx.series) if counted and fn and not evidence else []
    if spec.set_together and fn and not evidence:
        hidden += hidden_setters(facts, fn, spec.set_together, v, ctx.series)
    if hidden:  # a macro of a header not read, sc_rare(x) for unlikely(x), holds what no count of the lines shows
        where = _unread_where(v)
        return inconclusive(rule, v, f"what {fn}() reaches is not all read: " + "; ".join(hidden)
                            + f": its body may make a call, use a name or set a variable the rule looks at ({where})")
    moved = _new_sites(rule, spec, v, ctx, facts, fn, ref, old, renamed) if not evidence else None
    if moved is not None:
        return inconclusive(rule, v, moved)
    return verdict(rule, v, evidence, chosen.note if chosen is not None else "")


def _unread_where(v: Variant) -> str:
    """What would show a body the lines read lack: the tree or the patch defining it, or, a header with no include
    guard included twice, that the mirror reads it once (no file is missing; harness.reincluded)."""
    again = reincluded(v)
    if again:
        return f"it may be what a later inclusion of a header defines: {again}"
    return "give --tree, or the patch that defines it" if v.base == NO_TREE else "the patch that defines it"


def _new_sites(rule: Rule, spec: SourceCheck, v: Variant, ctx: CheckContext, facts: CodeFacts, fn: str | None,
               ref: CodeFacts | None, was: str | None, renamed: dict[str, str] | None) -> str | None:
    """A no_new_calls pass rests on counts: a listed call at a place the reference has none, one elsewhere gone,
    keeps the count (harness.callsites)."""
    ref_v = ctx.variant(reference(spec.reference or "", v, ctx, rule) or "") if ref is not None else None
    if not spec.no_new_calls or fn is None or ref is None or ref_v is None or was is None:
        return None
    names = frozenset(n for name in spec.no_new_calls
                      for n in (name, SPELLED_OUT.get(name, name), (renamed or {}).get(name, name)))
    return new_call_sites(names, v, facts, fn, ref_v, ref, was)


def _renamed_variable(spec: SourceCheck, fn: str | None, v: Variant, ctx: CheckContext, facts: CodeFacts
                      ) -> LocalRename | str | None:
    """The rule's ``set_together`` variable under the name ``fn`` gives it, when ``fn`` does not set it by the
    rule's name but other texts of the function in the input do (harness.localrename), or why it cannot be told;
    None when ``fn`` sets it, or nothing shows it was ever there (the rule is then n/a)."""
    var = spec.set_together
    if fn is None or var is None or facts.setting_statements(fn, var) or fn not in facts.where:
        return None
    text = next((d.text for d in definitions(variant_sources(v)).get(fn, [])
                 if d.kind is Kind.FUNCTION and d.where == facts.where[fn]), None)
    if text is None:
        return None
    names = tuple(dict.fromkeys(n for n in (spec.function, fn) if n is not None))
    sets = frozenset(n for n in facts.sets.get(fn, {}) if not n.startswith("&"))
    # The other texts are the series' alone: read once for every variant whose function lacks the variable.
    others = ctx.once(("local-rename texts", names, var), lambda: (other_texts(names, var, ctx.series.revisions),
                                                                   plain_texts(names, var, ctx.series.revisions)))
    return ctx.once(("local-rename", v.name, fn, var), lambda: find_local(var, fn, text, others[0], sets, others[1]))


def _new_printers(rule: Rule, spec: SourceCheck, v: Variant, ctx: CheckContext, code: tuple[CodeFacts, CodeFacts],
                  after: tuple[Variant, CodeFacts] | None) -> tuple[list[Evidence], list[str]]:
    """Evidence of each printer the reference lacks (``code``: the variant's facts and the reference's; ``after``:
    the patch's own state, _after_patch), and why each that mail may have hidden there is unknown."""
    facts, ref = code
    own = after[1] if after else facts
    # New printers of the patch's own state, and, in the whole variant, new printers handed on as error
    # callbacks (sc_retry_prerr(__seamcall, seamldr_err, ...)) whichever later patch adds them, WARN()s
    # too (a WARN_ONCE() about something else in a later helper is not a SEAMCALL error printer). In the
    # patch's own state a WARN() with a message counts as well: it prints the error as pr_err() would.
    warns = after is not None or _is_patch_state(rule, spec, v, ctx)
    callbacks = facts.printers(warnings=True) & facts.passed_as_values()
    # So is a printer the SEAMCALL helpers themselves reach (the matrix's own entry points: seamldr_prerr()
    # become a helper of the P-SEAMLDR's own that prints), whichever patch adds it: it reports their failures.
    helpers = {e.name for e in ctx.result.matrix.entries if e.kind is EntryKind.MATRIX}
    served = facts.printers(warnings=True) & {f for e in helpers for f in facts.entry_reach.get(e, ())}
    new = (own.printers(warnings=warns) - ref.printers(warnings=warns)) \
        | ((callbacks | served) - ref.printers(warnings=True))
    new -= _renamed_printers(new, ref, facts, v, ctx)
    ref_v = ctx.variant(reference(spec.reference or "", v, ctx, rule) or "")
    own_v = after[0] if after else v
    places = {n: (own_v, own.where[n]) if n in own.where else (v, facts.where[n]) for n in new}
    # A function-like macro that prints is a printer as a function is (harness.macroprinters), counted alike: the
    # patch's own state's new ones, and the whole variant's that are the SEAMCALL helpers themselves.
    before, before_all = (_macros(ref_v, warns, ctx), _macros(ref_v, True, ctx)) if ref_v else ({}, {})
    mine = {n: w for n, w in _macros(own_v, warns, ctx).items() if n not in before}
    served_macros = {n: w for n, w in _macros(v, True, ctx).items() if n in helpers and n not in before_all}
    places |= {n: (own_v, w) for n, w in mine.items() if n not in places}
    places |= {n: (v, w) for n, w in served_macros.items() if n not in places}
    return _printer_evidence(places, ref_v, ctx.series, set(mine) | set(served_macros))


def _renamed_printers(new: set[str], ref: CodeFacts, facts: CodeFacts, v: Variant, ctx: CheckContext) -> set[str]:
    """Of the new printers, those a rename the variant shows made of a printer the reference has and the variant
    no longer has under its old name (seamcall_err() become sc_report_err(), every caller with it): the printer
    the reference had, reused under another name, no new one (it failed the rule as one). A printer added beside
    the old one, the old name kept, is no rename."""
    gone = ref.printers(warnings=True) - facts.printers(warnings=True)
    if not new or not gone:
        return set()
    return {r.new for c in shown_renames(v, ctx) for r in c.found if r.new in new and r.old in gone}


def _macros(v: Variant, warnings: bool, ctx: CheckContext) -> dict[str, str]:
    return ctx.once(("macro printers", v.name, warnings), lambda: macro_printers(v, warnings))


def _printer_evidence(places: dict[str, tuple[Variant, str]], ref: Variant | None, series: Series,
                      macros: set[str]) -> tuple[list[Evidence], list[str]]:
    """Evidence of each new printer (``places``: the state it is read in, the patch's own where it shows there,
    else the variant's, and its file:line; ``macros``: those that are function-like macros), and why each one that
    mail shows older than the reference, with a print added since, is unknown."""
    evidence: list[Evidence] = []
    unknown: list[str] = []
    for name, (state, where) in sorted(places.items()):
        seen = _there_before(where, state, ref, series) if ref is not None else _Before.NEW
        if seen is _Before.UNKNOWN and ref is not None:
            unknown.append(f"{name}() ({where}) is older than {ref.name}, which mail shows in fragments "
                           "without it, and a patch since adds a print to it")
        if seen is _Before.NEW:
            kind = " (a function-like macro)" if name in macros else ""
            evidence.append(Evidence("no new error printer", f"{name}() prints a message itself{kind}",
                                     where=where))
    return evidence, unknown


def _unread(spec: SourceCheck, fn: str | None, facts: CodeFacts, misread: dict[str, str] | None = None) -> list[str]:
    """The definitions the check would read that the mirror could not (their contents are unknown), or that the
    code's reader named after a macro (harness.unreadcode): those ``fn`` and what it reaches name, and, for a printer
    check, every one."""
    unread = {**facts.unread, **(misread or {})}
    if not unread:
        return []
    named = set().union(*(facts.names[f] | set(facts.calls[f]) for f in facts.reach(fn))) if fn is not None \
        else set()
    return [f"{name}: {why}" for name, why in unread.items() if spec.no_new_printers or name in named]


def _after_patch(rule: Rule, spec: SourceCheck, v: Variant, ctx: CheckContext) -> tuple[Variant, CodeFacts] | None:
    """For a "no new printer" point on a patch (reference before:patch): the state right after that patch and
    its code, when the variant judged has later patches too, so that a printer a later patch adds (elsewhere,
    for its own purpose) is not put down to this one. None: judge the variant's own code."""
    if spec.reference != "before:patch" or v.revision is None or v.start is not None:
        return None
    place = rule_place(rule, v, ctx)
    end = place.change_end_in(v.prefix) if place is not None else None
    if end is None:
        return None
    after = ctx.variant(state_name(ctx.series, v.revision, end + 1) or "")
    facts = ctx.facts(after) if after is not None and after.name != v.name else None
    return (after, facts) if after is not None and isinstance(facts, CodeFacts) else None


class _Before(Enum):
    """What mail shows of a printer the reference's code lacks."""

    NEW = "new"  # a patch since the reference adds it, or the reference's file is whole and lacks it
    THERE = "there"  # shown as context later, no patch since adds it or a print to it: unseen in the fragments
    UNKNOWN = "unknown"  # there before, but a patch since adds a print to its body: what it printed is unknown


_PRINT_CALL = lazy(r"\b(?:" + "|".join(sorted(PRINTS, key=len, reverse=True)) + r")\s*\(")


def _there_before(where: str, state: Variant, ref: Variant, series: Series) -> _Before:
    """Whether a printer the reference's code lacks was there all along, only unseen: mail alone knows the
    reference's file in fragments, and a later patch shows the printer's first line as context while no patch
    (or proposal) since the reference adds that line. Its body's print lines added since (a hunk that removes
    none) leave what it printed before unknown."""
    path, _, line = where.rpartition(":")
    if not line.isdigit() or any(f.path == path and f.complete for f in ref.files):
        return _Before.NEW
    known = next((f for f in state.files if f.path == path), None)
    first = int(line)
    if known is None or first not in known.lines:
        return _Before.NEW
    body = list(itertools.takewhile(lambda n: n in known.lines, range(first, first + 400)))
    end = next((n for n in body if known.lines[n][0] == "}"), None)
    old = {m for m, _ in ref.sources}
    since = [f for p in applied_patches(state, series) if p.mail.msgid not in old for f in p.files]
    since += [f for origin, files in state.proposed if (origin, files) not in ref.proposed for f in files]
    hunks = [h for f in since if f.path == path for h in f.hunks]
    added = {x.text for h in hunks for x in h.lines if x.kind is LineKind.ADDED}
    if known.lines[first][0] in added:
        return _Before.NEW
    texts = {known.lines[n][0] for n in body[:body.index(end) + 1]} if end is not None else None
    printing = [h for h in hunks if any(x.kind is LineKind.ADDED and _PRINT_CALL().search(x.text)
                                        and (texts is None or x.text in texts) for x in h.lines)]
    if any(not any(x.kind is LineKind.REMOVED and _PRINT_CALL().search(x.text) for x in h.lines) for h in printing):
        return _Before.UNKNOWN
    return _Before.THERE


def _is_patch_state(rule: Rule, spec: SourceCheck, v: Variant, ctx: CheckContext) -> bool:
    """Whether the variant is the state right after the rule's patch (nothing later in it), or stands for it: the
    revision dropped the patch and no patch is known to make its change (harness.patchplace), so every patch since
    where it was may be the one that does (a WARN() printer new there was not counted, and the rule passed)."""
    if spec.reference != "before:patch" or v.revision is None or v.start is not None:
        return False
    place = rule_place(rule, v, ctx)
    end = place.change_end_in(v.prefix) if place is not None else None
    if place is not None and place.number is None and end is None:
        return place.dropped is not None and not place.later and not place.nowhere and not place.missing
    if end is None:
        return False
    return state_name(ctx.series, v.revision, end + 1) == v.name


def _set_together(facts: CodeFacts, fn: str, var: str, lines: tuple[str, ...] = ()) -> list[Evidence]:
    idx = facts.setting_statements(fn, var)
    if not idx or idx == list(range(idx[0], idx[-1] + 1)):
        return []
    gap = idx[-1] - idx[0] + 1 - len(idx)
    shown = [f"{i + 1} ({at})" for i, at in zip(idx, lines, strict=True)] if len(lines) == len(idx) else \
        [str(i + 1) for i in idx]
    return [Evidence(f"{var} set by adjacent statements of {fn}()", f"set by statements "
                     f"{', '.join(shown)} with {counted(gap, 'other statement')} between", where=facts.where[fn])]

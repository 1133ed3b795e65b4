"""Rules that name a renamed helper: the rename a variant shows (harness.renames), followed to the new name.

A rule names a function or entry point as the review did. Where that name is gone from a variant and the
variant shows it renamed (a patch applied in it, or its revision against the one before), the rule judges the
new name instead and says so; a rename that is not shown, or not decided (two candidates), is never guessed:
the rule stays as it is, and its note says what may have happened.
"""

from __future__ import annotations

import re
from dataclasses import replace

from harness.model import Patch
from harness.patchplace import state_name
from harness.renames import Rename, Renames, patch_renames, proposal_renames, revision_renames, split_renames
from harness.rules import BehaviourCheck, Component, ConsistencyCheck, Rule
from harness.runner import variant_sources
from harness.variants import Variant
from harness.verdict import CheckContext, Verdict
from models.loader import definitions
from models.outcome import OutcomeStatus
from models.record import record
from models.slicer import Kind


@record
class Followed:
    """A name a rule gives, followed through one or more renames to the one the variant has."""

    old: str
    new: str
    chain: tuple[Rename, ...]

    def note(self) -> str:
        """``followed sc_retry -> seamcall_retry, renamed in v5 03/26, body 96% the same``."""
        return "followed " + "; then ".join(r.describe() for r in self.chain)


@record
class Aliased:
    """A name a rule gives that the variant defines as a macro standing for another function (``#define
    sc_retry seamcall_retry``, or ``#define sc_retry(a, b) seamcall_retry(a, b)``): every use of it calls that
    function, so the rule judges it."""

    old: str
    new: str
    where: str  # path:line of the #define

    def note(self) -> str:
        """``sc_retry is #define'd to seamcall_retry (path:line): judged on seamcall_retry()``."""
        return f"{self.old} is #define'd to {self.new} ({self.where}): judged on {self.new}()"


_WORD = re.compile(r"[A-Za-z_]\w*")


def alias_of(name: str, v: Variant) -> Aliased | None:
    """The function ``name`` stands for when the variant defines it as a macro that is nothing but that
    function's name, or a call of it passing the macro's parameters on in order (C11 6.10.3: every use
    expands to it); None for any other macro, or none."""
    for d in definitions(variant_sources(v)).get(name, []):
        if d.kind is not Kind.MACRO or d.generated_by is not None:
            continue
        body = (d.text.split(name, 1)[1] if d.params is None else d.text.split(")", 1)[1]).replace("\\\n", " ")
        words = _WORD.findall(body)
        target = words[0] if words else ""
        shape = f"{target}({','.join(d.params)})" if d.params is not None else target
        if target and target != name and "".join(body.split()) == shape:
            return Aliased(name, target, d.where)
        return None
    return None


def _applied(v: Variant, ctx: CheckContext) -> list[Patch]:
    """The patches of the variant's own revision that it applies, in order."""
    out = []
    for msgid, _ in v.sources:
        found = ctx.series.find_message(msgid)
        if isinstance(found, Patch) and found.mail.subject.version == v.revision:
            out.append(found)
    return out


def _shown(v: Variant, ctx: CheckContext) -> tuple[Renames, ...]:
    out = []
    applied = _applied(v, ctx)
    for at, p in enumerate(applied):
        names = [state_name(ctx.series, p.mail.subject.version, n) for n in (p.number, p.number + 1)]
        before, after = (ctx.variant(n) if n else None for n in names)
        if before is not None and after is not None:
            found = patch_renames(p, before, after, broken=True)
            # A rename split in two: an earlier patch the variant applies added the new name, this one drops the
            # old one and switches its callers (harness.renames.split_renames, as the moves rule reads it).
            split = tuple(r for r in split_renames(p, (before, after), applied[:at])
                          if r.old not in {x.old for x in found.found})
            out.append(found + Renames(split))
    start = ctx.variant(v.start) if v.start is not None and v.proposed else None
    if start is not None:
        out.append(proposal_renames(start, v, broken=True))
    return (*out, revision_renames(ctx.series, v))


def shown_renames(v: Variant, ctx: CheckContext) -> tuple[Renames, ...]:
    """The renames the variant shows, one ``Renames`` per change: each patch of its revision it applies (read
    from the states around the patch, when they were evaluated; a helper rewritten under its own name counts,
    harness.renames.rewritten_helpers, and so does a rename split in two, whose new name an earlier patch the
    variant applies added: harness.renames.split_renames), a reviewer variant's own diffs against its start
    (when that was evaluated), then its revision against the revision before it."""
    return ctx.once(("renames", v.name), lambda: _shown(v, ctx))


def follow(name: str, v: Variant, ctx: CheckContext) -> Followed | str | None:
    """``name`` followed through the renames the variant shows, or why it is not (a rename not decided), or
    None when no rename of it is shown. Each change renames a name once: two helpers that swap names in one
    patch are two renames of that patch, never a chain back to the first name."""
    changes = list(shown_renames(v, ctx))
    chain: list[Rename] = []
    now = name
    while (at := next((n for n, c in enumerate(changes) for r in c.found if r.old == now), None)) is not None:
        r = next(r for r in changes.pop(at).found if r.old == now)
        chain.append(r)
        now = r.new
    if chain and now != name:
        return Followed(name, now, tuple(chain))
    said = [u.describe() for c in shown_renames(v, ctx) for u in c.undecided if u.old == name]
    return "; ".join(dict.fromkeys(said)) if said else None


def _gone_entry(name: str, v: Variant, ctx: CheckContext) -> bool:
    """Whether ``name`` is an entry point of the matrix that the variant does not provide at all."""
    at = ctx.once(("entry-positions", name), lambda: [p for p, s in enumerate(ctx.result.matrix.scenarios)
                                                      if s.entry.name == name])
    row = ctx.result.outcomes_of(v.name)
    return bool(at) and all(row[p].status is OutcomeStatus.NOT_PROVIDED for p in at)


def _entry(name: str, v: Variant, ctx: CheckContext, seen: dict[str, Followed | str]) -> str:
    """The name a rule's entry point has in the variant: its own, or the one a shown rename gives it."""
    if any(c in name for c in "*?[") or not _gone_entry(name, v, ctx):
        return name
    found = seen.get(name) or follow(name, v, ctx)
    if found is None:
        return name
    seen[name] = found
    entries = {e.name for e in ctx.result.matrix.entries}
    return found.new if isinstance(found, Followed) and found.new in entries else name


def follow_entries(rule: Rule, v: Variant, ctx: CheckContext) -> tuple[Rule, dict[str, Followed | str]]:
    """The rule with every entry point it names exactly (``requires_entry``, a behaviour check's ``entry``
    selector, a consistency check's components) that the variant does not provide but shows renamed, under
    its new name; and, per name, what was followed or why not."""
    seen: dict[str, Followed | str] = {}
    check = rule.check
    if isinstance(check, BehaviourCheck) and check.scenarios.entry:
        names = tuple(_entry(n, v, ctx, seen) for n in check.scenarios.entry)
        check = replace(check, scenarios=replace(check.scenarios, entry=names))
    elif isinstance(check, ConsistencyCheck):
        parts = {k: Component(tuple(_entry(n, v, ctx, seen) for n in c.entries), c.leaves)
                 for k, c in check.components.items()}
        check = replace(check, components=parts)
    needs = _entry(rule.requires_entry, v, ctx, seen) if rule.requires_entry is not None else None
    if not seen:
        return rule, seen
    return replace(rule, check=check, requires_entry=needs), seen


def with_follows(found: Verdict, rule: Rule, seen: dict[str, Followed | str]) -> Verdict:
    """The verdict under the rule as written, its note saying what was followed, or why a name the variant
    lacks was not (its status stays what the check found without it).

    A followed rule stands on the new name's own scenarios: a pass there ran them (the checks pass nothing
    that did not run)."""
    said = [f.note() if isinstance(f, Followed) else f for f in seen.values()]
    if not said:
        return found
    note = "; ".join([*dict.fromkeys(said), *([found.note] if found.note else [])])
    return replace(found, rule=rule, note=note)

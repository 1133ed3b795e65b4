"""The names a source rule lists (no_new_calls, not_referencing) as the variant has them: followed through renames."""

from __future__ import annotations

from dataclasses import replace

from harness.coverage import NO_TREE, named_anywhere
from harness.follow import Followed, follow
from harness.memo import by_identity
from harness.model import Patch
from harness.moves import defined_by
from harness.rules import SourceCheck
from harness.statenames import reply_upto
from harness.sysheaders import prelude_names
from harness.unreadcode import macro_defines, series_defines
from harness.variants import Variant
from harness.verdict import CheckContext
from models.record import record


@record
class Listed:
    """The rule's check with each listed name the variant shows renamed listed under its new name as well, the
    new names with the old ones they stand for, and what was followed (for the note)."""

    spec: SourceCheck
    was: dict[str, str]  # new name -> the listed name it was
    notes: tuple[str, ...] = ()


def listed_names(spec: SourceCheck, v: Variant, ctx: CheckContext) -> Listed | str:
    """The listed names as ``v`` has them (Listed), or why the rule cannot be judged on ``v``: a listed name a rename
    may have carried off. A call or use of a helper the review named (``not_referencing = ["sc_retry"]``) that a
    later revision renamed is a call of it still: judged by the old name alone the rule passed on code that calls
    it under its new one. A name no line of ``v`` holds that a patch of the input defines (a rename the input does
    not show, or one not decided) leaves the rule inconclusive; a kernel name (``likely``) absent is simply unused.
    """
    was: dict[str, str] = {}
    notes: list[str] = []
    calls, uses = list(spec.no_new_calls), list(spec.not_referencing)
    for name in dict.fromkeys([*calls, *uses]):
        found = follow(name, v, ctx)
        if isinstance(found, Followed):
            was[found.new] = name
            notes.append(found.note())
            calls += [found.new] * (name in calls and found.new not in calls)
            uses += [found.new] * (name in uses and found.new not in uses)
        elif named_anywhere(v, name):
            continue
        elif isinstance(found, str):
            return f"{name}, which the rule lists, is named nowhere in {v.name}'s code: {found}"
        elif _input_defines(name, ctx):
            if not _added_later(name, v, ctx):
                return (f"{name}, which the rule lists, is named nowhere in {v.name}'s code, yet a patch of the "
                        "input defines it: renamed or removed, no rename of it is shown (one the input does not show "
                        "is not followed), so whether the code still uses it under another name is not known (the "
                        "rule may need its new name)")
            continue  # a later patch of v's revision adds it anew: v's code has it under no name yet
        elif (unseen := _unseen_history(name, v, ctx)) is not None:
            return unseen
    spec = replace(spec, no_new_calls=tuple(calls), not_referencing=tuple(uses))
    return Listed(spec, was, tuple(dict.fromkeys(notes)))


def _input_defines(name: str, ctx: CheckContext) -> bool:
    """Whether a patch of the input defines ``name``: a definition a hunk shows whole, or one whose head line it adds
    (a rename in place shows the renamed function's first line and no more of it: ``-static u64 sc_retry(...)``,
    ``+static u64 seamcall_retry(...)``; read as a fragment alone that is no definition, and a rule listing the new
    name passed on a state before the rename, whose code calls the helper under its old one)."""
    return ctx.once(("input defines", name), lambda: name in series_defines(ctx.series) or any(
        name in _adds(p) for r in ctx.series.revisions for p in r.patches))


def _adds(p: Patch) -> set[str] | frozenset[str]:
    """The names a patch defines, those a kernel macro's invocation defines too (``DEFINE_PER_CPU(u32, hits)``): once
    per patch (every listed name of every rule and variant asks of each patch of the input). Not to be changed."""
    return by_identity("listed adds", (p,), (), lambda: _made(p))


def _made(p: Patch) -> set[str] | frozenset[str]:
    made = macro_defines(p.files)
    added = defined_by(p)[0]
    return added | made if made else added


def _added_later(name: str, v: Variant, ctx: CheckContext) -> bool:
    """Whether the only patches of the input that define ``name`` come after ``v`` in its own revision, each adding it
    anew: it is not in ``v``'s code yet, under any name (``v1:04`` of a v1 whose 05/5 adds the macro a rule lists),
    so it cannot have been renamed or removed on the way to ``v``. Not so where the patch adding it, or one after that,
    stops defining anything (a rename into ``name``, or one split in two: the copy added, the original removed by a
    later patch), or a patch ``v`` applies or another revision's defines or removes it (a later revision may have
    renamed ``v``'s helper into it)."""
    # A reply's diff to patch KK holds the revision up to KK and no later patch (reply_upto): as vN:KK does. The
    # patch its diff replaces (vN:KK~author) is no later one: the diff may add the name's thing under another name.
    upto = v.prefix if v.prefix is not None else reply_upto(v)
    if v.revision is None or upto is None:
        return False
    applied = {msgid for msgid, _ in v.sources}
    if name not in {n for n, _ in v.added_later} and not any(
            name in macro_defines(p.files) for r in ctx.series.revisions if r.version == v.revision
            for p in r.patches if p.mail.msgid not in applied):
        return False
    adding = False
    for r in ctx.series.revisions:
        for p in r.patches:
            added, removed = _adds(p), defined_by(p)[1]
            if r.version != v.revision or p.mail.msgid in applied or p.number <= upto:
                if name in added or name in removed:
                    return False
                continue
            adding = adding or name in added
            if adding and removed:
                return False
    return True


def _unseen_history(name: str, v: Variant, ctx: CheckContext) -> str | None:
    """Why a listed name that ``v``'s code names nowhere and no patch of the input defines cannot be taken as simply
    unused: revisions before ``v``'s are not in the input, and one of them may have defined it and a later one
    renamed it (only the new revision given, the rule passed on code calling the helper under its new name). None
    when that cannot be: ``v`` is of the first revision, or every earlier one is given; the name is one the mirror
    knows as the kernel's (``likely``); or the tree given shows its definition (its files ``v`` read whole, the
    ``<...>`` headers they include), or its C code at ``v``'s base commit names it (git grep: a kernel name, which
    the series did not bring, harness.treenames)."""
    if v.revision is None or name in prelude_names() or any(name in h.names for h in v.headers.headers):
        return None
    missing = sorted(set(range(1, v.revision)) - {r.version for r in ctx.series.revisions})
    if not missing:
        return None
    in_tree = ctx.tree_names(v, name) if ctx.tree_names is not None and v.base != NO_TREE else None
    if in_tree:
        return None
    revisions = ", ".join(f"v{n}" for n in missing)
    fix = f"give {revisions}'s mail" if v.base != NO_TREE else f"give {revisions}'s mail or --tree"
    tree = ("" if v.base == NO_TREE else " nor in the files read from the tree" if ctx.tree_names is None
            else " nor in the tree's files read, and the tree at its base commit names it nowhere either (git grep): "
            "no such name there" if in_tree is False
            else " nor in the tree's files read (git grep of the tree at its base commit failed or timed out)")
    return (f"{name}, which the rule lists, is named nowhere in {v.name}'s code{tree}, and no patch of the input "
            f"defines it; the input has no {revisions}, where it may have been defined and renamed since, so whether "
            f"the code uses it under another name is not known ({fix})")

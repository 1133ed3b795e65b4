"""Source checks on exported symbols: no new export, and the flavour an export must have (docs/rules.md).

Reviewers say "don't export this", "this wants EXPORT_SYMBOL_GPL", "export it for KVM only"; the exports are
read from each variant's files as the preprocessor sees them (harness.exports), compared with the rule's
``reference``, and what could not be read leaves the rule inconclusive, never a pass.
"""

from __future__ import annotations

import fnmatch
import re
from collections import Counter
from collections.abc import Callable

from harness.coverage import named_anywhere
from harness.diffmodel import LineKind
from harness.exports import Export, ExportScan, made_with, scan_variant
from harness.model import Patch
from harness.patchplace import state_name
from harness.rules import Rule, SourceCheck
from harness.variants import Variant, patch_label
from harness.verdict import CheckContext, Evidence, Verdict, inconclusive, reference, rule_place, unevaluated, verdict

TREE = "give --tree"


def check_exports(rule: Rule, spec: SourceCheck, v: Variant, ctx: CheckContext) -> Verdict:
    """``no_new_exports``: no symbol exported that the reference does not export (a move between files is no
    new export); ``exports_only`` / ``exports_to``: every export judged (the new and re-flavoured ones with a
    reference, else all) is made with one of those kernel macros (directly or through a wrapper) / only to
    modules matching those names. ``function`` narrows every key to that one symbol."""
    judged = _after_patch(rule, spec, v, ctx) or v
    scan = _scan(judged, ctx)
    ref: ExportScan | None = None
    ref_name = ""
    if spec.reference is not None:
        ref_name = reference(spec.reference, v, ctx, rule) or ""
        ref_v = ctx.variant(ref_name) if ref_name else None
        if ref_v is None:
            return inconclusive(rule, v, unevaluated(ref_name or spec.reference, ctx))
        ref = _scan(ref_v, ctx)
    mine = [e for e in scan.exports if spec.function is None or e.symbol == spec.function]
    before = ref.by_symbol() if ref is not None else {}
    new = [e for e in mine if e.symbol not in before]
    changed = [e for e in mine if e.symbol in before and (e.license, e.namespace) not in
               {(x.license, x.namespace) for x in before[e.symbol]}]
    subject = new + changed if ref is not None else mine
    patches = _patches(judged, ctx)
    evidence: list[Evidence] = []
    if spec.no_new_exports:
        evidence += [Evidence(f"no symbol exported that {ref_name} does not export", _shown(e, judged, patches),
                              where=e.place) for e in new]
    evidence += _flavour_evidence(spec, subject, judged, patches)
    gaps = _gaps(scan, ref, ref_name) + _unseen(scan, ref) + _unresolved(spec, subject) + _blind(spec, subject)
    place = rule_place(rule, v, ctx) if judged is not v else None
    said = _said(mine, subject, set(before), ref_name, judged, v, place is not None and bool(place.numbers))
    if spec.function is not None and not mine and not before.get(spec.function) \
            and not named_anywhere(judged, spec.function):
        # A misspelt name, or a symbol renamed since the review, would pass every key without a word.
        gaps.append(f"nothing in {judged.name}'s files names {spec.function} (misspelt, or renamed?)")
    if gaps and not evidence:
        return inconclusive(rule, v, "; ".join(gaps) + f" ({said})")
    return verdict(rule, v, evidence, "; ".join([said, *gaps]))


def _scan(v: Variant, ctx: CheckContext) -> ExportScan:
    return ctx.once(("exports", v.name), lambda: scan_variant(v))


def _flavour_evidence(spec: SourceCheck, subject: list[Export], v: Variant, patches: list[Patch]) -> list[Evidence]:
    out: list[Evidence] = []
    modules = [p.strip() for x in spec.exports_to for p in x.split(",") if p.strip()]
    for e in subject:
        shown = _shown(e, v, patches)
        if e.unresolved:
            continue  # its flavour is not known: a gap (_unresolved), never judged on what could be read of it
        if spec.exports_only and not any(made_with(e, m) for m in spec.exports_only):
            out.append(Evidence(f"exported only with {' or '.join(spec.exports_only)}", shown, where=e.place))
        mods = e.modules
        stray = [m for m in mods if not any(fnmatch.fnmatchcase(m, p) for p in modules)] \
            if mods is not None else ["every module"]
        if spec.exports_to and stray:
            out.append(Evidence(f"exported only to {', '.join(modules)}",
                                f"{shown}: also to {', '.join(stray)}", where=e.place))
    return out


def _shown(e: Export, v: Variant, patches: list[Patch]) -> str:
    return f"{e.symbol} exported with {e.macro} ({e.flavour}), added by {_added_by(e, v, patches)}"


def _gaps(scan: ExportScan, ref: ExportScan | None, ref_name: str) -> list[str]:
    """What the verdict cannot see: each is a reason for "inconclusive" when nothing fails."""
    gaps = [f"{path} could not be read: {why}" for path, why in scan.unread.items()]
    known = Counter(name for name, _ in ref.unknown) if ref is not None else Counter()
    for name, count in Counter(name for name, _ in scan.unknown).items():
        if count > known[name]:
            at = next(where for n, where in scan.unknown if n == name)
            gaps.append(f"{name}() at {at} is defined in no file read, so what it exports is not known ({TREE}, "
                        "or give its header)")
    if not scan.fragments:
        return gaps
    frags = ", ".join(scan.fragments)
    if ref is None:
        them = "them" if len(scan.fragments) > 1 else "it"
        gaps.append(f"{frags} known only from hunks: exports in the rest of {them} are not seen ({TREE})")
        return gaps
    for name, spellings in scan.definitions.items():
        if spellings.keys() != ref.definitions.get(name, {}).keys():
            where = ", ".join(sorted(set(spellings.values())))
            gaps.append(f"{name}() is defined otherwise than in {ref_name} ({where}): its uses in the parts of "
                        f"{frags} known only from hunks are not seen ({TREE})")
    return gaps


def _unseen(scan: ExportScan, ref: ExportScan | None, most: int = 3) -> list[str]:
    """The new file-scope invocations, in files known only from hunks, of macros whose definition there no
    line read shows (all of them without a reference): each may make an export that nothing read shows."""
    before = Counter(u.text for u in ref.unseen) if ref is not None else Counter()
    new = []
    for u in scan.unseen:
        if before[u.text]:
            before[u.text] -= 1
        else:
            new.append(u)
    out = [f"{u.name}() at {u.place} is {u.why}: what it makes, an export or not, is not known ({TREE})"
           for u in new[:most]]
    if len(new) > most:
        out.append(f"{len(new) - most} more such invocations")
    return out


def _blind(spec: SourceCheck, subject: list[Export]) -> list[str]:
    """The judged exports whose flavour rests on a macro that lines no hunk shows, before the export, may
    define otherwise (a kernel export macro included: a file may #undef and #define EXPORT_SYMBOL_GPL)."""
    if not (spec.exports_only or spec.exports_to):
        return []
    return [f"{e.symbol} ({e.macro} at {e.place}): its licence and modules rest on the definition of "
            f"{e.macro.split(' -> ')[-1]}, which lines of {e.path} before line {e.line} that no hunk shows may "
            f"replace ({TREE})"
            for e in subject if e.blind and not e.unresolved]


def _unresolved(spec: SourceCheck, subject: list[Export]) -> list[str]:
    """The judged exports whose licence or modules rest on names no file read defines (flavour keys only)."""
    if not (spec.exports_only or spec.exports_to):
        return []
    return [f"{e.symbol} ({e.macro} at {e.place}) is exported with {', '.join(e.unresolved)}, which no file read "
            f"defines, so its licence and modules are not known ({TREE}, or give its header)"
            for e in subject if e.unresolved]


def _said(mine: list[Export], subject: list[Export], old: set[str], ref_name: str, judged: Variant, v: Variant,
          parts: bool = False) -> str:
    """What was read and against what; ``parts``: several patches make the rule's change (split, or made under other
    titles once the titled one was dropped: harness.patchparts), and the state judged is right after them."""
    n = len({e.symbol for e in mine})
    what = f"{n} exported symbol{'s' if n != 1 else ''} read"
    if ref_name:
        new = {e.symbol for e in subject if e.symbol not in old}
        what += f"; against {ref_name}: {len(new)} new, {len({e.symbol for e in subject} - new)} exported otherwise"
    if judged.applied != v.applied:
        what += f"; judged on {judged.name}, right after " + \
            ("the patches that make the rule's change" if parts else "the rule's patch")
    return what


def _after_patch(rule: Rule, spec: SourceCheck, v: Variant, ctx: CheckContext) -> Variant | None:
    """With ``reference = "before:patch"``: the state right after the rule's patch, so that an export a later
    patch adds for its own purpose is not put down to this one (as no_new_printers does). None: the variant."""
    if spec.reference != "before:patch" or v.revision is None or v.start is not None:
        return None
    place = rule_place(rule, v, ctx)
    end = place.change_end_in(v.prefix) if place is not None else None
    if end is None:
        return None
    return ctx.variant(state_name(ctx.series, v.revision, end + 1) or "")


def _patches(v: Variant, ctx: CheckContext) -> list[Patch]:
    found = [ctx.series.find_message(msgid) for msgid, _ in v.sources]
    return [p for p in found if isinstance(p, Patch)]


def _added_by(e: Export, v: Variant, patches: list[Patch]) -> str:
    """The patch that wrote the export's line (the last applied one adding that very line to that file), else
    the one that (re)defined a wrapper it goes through, else the line's origin as the variant's file records it."""
    f = v.file(e.path)
    text = f.lines.get(e.line, ("", ""))[0] if f is not None else ""
    found = _adding(patches, lambda path, line: path == e.path and line == text) if text.strip() else None
    for name in (n for n, kernel in e.chain if not kernel and found is None):
        define = re.compile(rf"\s*#\s*define\s+{re.escape(name)}\b")

        def defines(_path: str, line: str, define: re.Pattern[str] = define) -> bool:
            return define.match(line) is not None
        found = _adding(patches, defines)
    if found is not None:
        return found
    origin = f.lines.get(e.line, ("", ""))[1] if f is not None else ""
    return origin.removeprefix("post-image of ") or "the base"


def _adding(patches: list[Patch], wanted: Callable[[str, str], bool]) -> str | None:
    """The last of the patches with an added line ``wanted(path, text)`` says yes to."""
    for p in reversed(patches):
        if any(ln.kind is LineKind.ADDED and wanted(pf.path, ln.text) for pf in p.files for h in pf.hunks
               for ln in h.lines):
            return patch_label(p)
    return None

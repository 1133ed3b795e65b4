"""A helper moved out of a .c file into a header: whether the code left in that file is shown to still see it."""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Mapping

from harness.matrixresult import MatrixResult
from harness.prfmt import pr_fmt_prefix
from harness.runner import variant_sources
from harness.sysheaders import created_by_series, every_patch_before
from harness.tuorder import include_target, present
from harness.variants import Variant
from models.loader import definitions, reachable


def _shown_including(after: Variant, src: str, dst: str) -> bool:
    """Whether a line known of ``src`` in ``after`` includes ``dst``, directly or through the variant's files whose
    known lines include it (every #include line counts, whatever #if it is under: more seen, never less)."""
    files = present(after.files)
    todo, seen = [src], {src}
    while todo:
        f = files.get(todo.pop())
        if f is None:
            continue
        for n in sorted(f.includes):
            target = include_target(f, n, files)
            if target == dst:
                return True
            if target is not None and target in files and target not in seen:
                seen.add(target)
                todo.append(target)
    return False


def unseen_homes(moves: Iterable[tuple[str, str, str]], after: Variant) -> list[str]:
    """For each (name, from, to) of a helper a patch moves from a .c file into a header, a gap where ``after`` knows
    the .c file only from hunks (mail alone) and no line shown includes the header: the runs of the helper in its new
    home are the same as before, but the code left in the .c file sees it only if that file includes the header,
    which the mail does not show (gcc: implicit declaration). A file known whole (a tree) is judged by the runs of
    its own code (harness.visibility)."""
    out = []
    for name, src, dst in moves:
        f = after.file(src)
        if not src.endswith(".c") or not dst.endswith(".h") or f is None or f.absent or f.complete \
                or _shown_including(after, src, dst):
            continue
        home = after.file(dst)
        new = home is not None and created_by_series(home) and every_patch_before(after.applied, after.revision)
        why = " (the series creates it, and no line a patch adds includes it)" if new else ""
        out.append(f"{name}() moved from {src} into {dst}: the code left in {posixpath.basename(src)} sees it there "
                   f"only if that file includes {posixpath.basename(dst)}, which no line the mail shows does{why}; "
                   "give --tree")
    return out


def borrowed_units(result: MatrixResult, moves: Iterable[tuple[str, str, str]], entries: Iterable[str],
                   states: tuple[Variant, Variant]) -> list[str]:
    """For each entry point of ``entries`` that prints, a gap where it runs in a unit the patch creates and moves a
    helper of ``moves`` (name, from, to) into: the state before has no such file, so its runs took the pr_fmt the new
    file defines (harness.prfmt, created later), while the helper, in another file then, printed with the pr_fmt of
    each file that included it. Compared so, a move out of line into a file of another pr_fmt changes no log line,
    and passed ('virt/tdx: SEAMCALL ...' become 'seamerr: SEAMCALL ...' for every caller in tdx.c)."""
    before, after = states
    later = {path: label for path, label, _ in before.created_later}
    into = {dst: (name, src) for name, src, dst in moves if dst != src and dst in later}
    wanted = set(entries)
    rows = [result.outcomes_of(v.name) for v in states]
    out: dict[tuple[str, str], str] = {}
    for s, was, now in zip(result.matrix.scenarios, *rows, strict=True):
        unit = s.unit.path
        # A run only the later state has took no pr_fmt for the earlier (a helper private to the file it moves out
        # of: its runs there are compared with those in the new file, harness.unitpair).
        if unit not in into or s.entry.name not in wanted or not (was.log or now.log) or after.file(unit) is None \
                or not was.ran:
            continue
        name, src = into[unit]
        prefix = pr_fmt_prefix(after, unit)
        out.setdefault((s.entry.name, unit), (
            f"{s.entry.name}() ran in {unit} in {before.name} too, which {later[unit]} creates: its pr_fmt there "
            f"({repr(prefix) if prefix else 'none'}) was taken for {before.name}, where {name}() was in {src} and "
            "printed with the pr_fmt of each file that included it: whether the move changed the prefix of its log "
            "lines is not known; an [[entry]] of the matrix calling it in a unit that is there on both sides would "
            "decide (docs/matrix.md)"))
    return list(out.values())


def moved_into_headers(before: Variant, after: Variant, entries: Iterable[str], renamed: Mapping[str, str]
                       ) -> list[tuple[str, str, str]]:
    """(name, .c file, header) of each helper the ``entries`` reach in ``after`` that ``before`` defines in a .c file
    (under its old name where ``renamed``, old -> new, says so) and ``after`` in a header only: a move between the two
    states, however many patches made it."""
    sources = variant_sources(after)
    was, now = definitions(variant_sources(before)), definitions(sources)
    old = {new: o for o, new in renamed.items()}
    out = []
    for name in sorted({n for e in entries for n in reachable(sources, e)}):
        there, here = was.get(old.get(name, name)), now.get(name)
        if there and here and there[0].path.endswith(".c") and here[0].path.endswith(".h") \
                and not any(d.path == there[0].path for d in here):
            out.append((name, there[0].path, here[0].path))
    return out

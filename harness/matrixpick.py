"""Which matrix runs the series' code: --matrix, else the bundled one whose [match] fits.

The bundled matrix is the one whose [match] the patches' C names or does; harness.pipeline.resolve_matrix is the stage,
this is its choice and its one-line refusal.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from harness.errors import UsageError
from reports.safe import counted

if TYPE_CHECKING:
    from harness.apply import VariantSet
    from harness.matrix import Matrix
    from harness.model import Series


def _no_patch(series: Series) -> str | None:
    """Why there is no code to run when the input holds no patch at all (a cover letter alone, every patch missing),
    as apply says it of one (harness.emptyvariant.refuse_empty); None when it holds one."""
    from harness.emptyvariant import none_given, not_read

    if any(rev.patches for rev in series.revisions) or not series.revisions:
        return None
    said = [f"v{rev.version}: {none_given(rev)}" for rev in series.revisions]
    return f"the input holds no patch ({'; '.join(said)}): nothing to evaluate; give the patches{not_read(series)}"


def _patch_identifiers(series: Series) -> set[str]:
    """Every C name the series' patches define or call, in any line their .c/.h hunks show, and in the line git
    writes after a hunk's ``@@`` (its funcname: the head of the function the hunk changes, whose name a change
    deep in its body shows nowhere else)."""

    lines = (text for p in series.all_patches() for f in p.files if f.path.endswith((".c", ".h"))
             for h in f.hunks for text in (h.section, *(ln.text for ln in h.lines)))
    return c_identifiers(lines)


def _patch_hunks(series: Series) -> list[tuple[str, tuple[str, ...]]]:
    """Each hunk of the series' patches to a .c/.h file: the head git writes after its ``@@`` and its lines."""
    return [(h.section, tuple(ln.text for ln in h.lines)) for p in series.all_patches() for f in p.files
            if f.path.endswith((".c", ".h")) for h in f.hunks]


def _moved_identifiers(series: Series, variants: VariantSet) -> set[str]:
    """Every C name the files a patch renames or copies hold, where a state knows them whole (a tree): a rename's
    diff shows only the lines it changes, none of the helpers it moves."""

    moved = {f.path for p in series.all_patches() for f in p.files if f.path.endswith((".c", ".h"))
             and f.source_path is not None and f.target_path is not None and f.source_path != f.target_path}
    files = (v.file(path) for v in variants.variants for path in sorted(moved))
    return c_identifiers(text for f in files if f is not None and f.complete for text, _ in f.lines.values())


TreeFiles = Callable[[], list[tuple[Callable[[tuple[str, ...]], list[str] | None], Callable[[str], str | None]]]]


def pick_matrix(given: Path | None, variants: VariantSet, series: Series, tree: TreeFiles | None = None) -> Matrix:
    """harness.pipeline.resolve_matrix's choice: ``given`` (--matrix), else the bundled matrix the code asks for:
    the patches' names, the code around their changes in the states, and last the users of what they change in
    the files of the tree (``tree``: each base's search and reader, harness.changeusers.tree_users). UsageError
    when none does, or the input holds no patch at all."""
    from harness.matrix import bundled_matrices, bundled_matrix, load_matrix

    if (empty := _no_patch(series)) is not None:  # no code at all: with --matrix too, said before any is looked for
        raise UsageError(None, empty)
    if given is not None:
        return load_matrix(given)
    names = _patch_identifiers(series) | _moved_identifiers(series, variants)
    own = bundled_matrix(variants.manifest.folder()) if variants.manifest else None
    candidates = [own] if own is not None else []
    candidates += [p for p in bundled_matrices() if p != own]
    looked: list[str] = []
    does: list[str] = []
    hunks = _patch_hunks(series)
    for path in candidates:
        matrix = load_matrix(path)
        if code_matches(matrix.recognises, names) or _code_does(matrix.does, hunks) is not None:
            return matrix
        looked.extend(p for p in matrix.recognises if p not in looked)
        does.extend(k for k in matrix.does if k not in does)
    # A patch to a macro, constant or header helper alone names none of the code it changes: its users do; and a
    # patch to a caller alone names none of the SEAM code it runs: the helpers it calls, where the states define them.
    users, callees, code = _code_around_changes(series, variants)
    if (found := _fits(candidates, users | callees, code)) is not None:
        return found
    if tree is not None:  # a header's macro a patch changes, used by code in files no state reads
        from harness.changeusers import changed_definitions, tree_users

        near = tuple(f.path for p in series.all_patches() for f in p.files)
        if (found := _fits(candidates, *tree_users(changed_definitions(series), near, tree()))) is not None:
            return found
    what = ", ".join(f"{p}()" for p in looked) or "nothing"
    acts = " or ".join(a for k, a in (("seamcalls", "issue a SEAMCALL"),
                                      ("retry_loops", "retry a call it is handed on its status")) if k in does)
    nor = f", nor does a hunk of one {acts}" if acts else ""
    from harness.seamcode import unnamed_retry  # here alone, as in _code_does: its patterns compile at import
    nor += f" ({hint}: give --tree)" if "retry_loops" in does and (hint := unnamed_retry(hunks)) else ""
    # An input that was not read may have held the patches: its reason is the likelier cause, said first.
    unread = f"{series.skipped[0].where}: {series.skipped[0].reason} (skipped" + \
        (f", and {counted(len(series.skipped) - 1, 'more input')}); " if len(series.skipped) > 1 else "); ") \
        if series.skipped else ""
    raise UsageError(None, f"{unread}{_tree_lacks(series, variants)}no matrix for this code: no patch defines or "
                           f"calls {what} in a .c or .h file"
                           f"{nor}; "
                           "pass --matrix FILE to run other code")


def _fits(candidates: list[Path], names: set[str], code: list[tuple[str, tuple[str, ...]]]) -> Matrix | None:
    """The first of the candidate matrices whose [match] ``names`` or ``code`` (harness.seamcode's hunk shape) fit."""
    from harness.matrix import load_matrix

    for path in candidates:
        matrix = load_matrix(path)
        if code_matches(matrix.recognises, names) or _code_does(matrix.does, code) is not None:
            return matrix
    return None


def _tree_lacks(series: Series, variants: VariantSet) -> str:
    """"the base, TREE at C (...), holds none of the files the patches modify (...): ...; " where a revision's base
    in --tree lacks every file its patches modify (a tree of another project, a base past a rename): the code
    around the changes, which would have named the matrix, is then not there, and the tree is the likelier cause
    than the matrix; "" otherwise (and without --tree)."""
    from harness.apply import pre_image_blobs
    from harness.variants import NO_TREE

    for rev in series.revisions:
        start = next((v for v in variants.variants if v.revision == rev.version and v.prefix == 0 and v.start is None
                      and v.base != NO_TREE), None)
        modified = [path for path, blob in pre_image_blobs(rev) if blob is not None]
        if start is None or not modified or any((f := start.file(p)) is not None and not f.absent for p in modified):
            continue
        named = ", ".join(modified[:2]) + (f" and {len(modified) - 2} more" if len(modified) > 2 else "")
        return (f"the base, {start.base}, holds none of the files the patches modify ({named}): give --tree the "
                "kernel tree the series is for, or --base; ")
    return ""


def _code_around_changes(series: Series, variants: VariantSet
                         ) -> tuple[set[str], set[str], list[tuple[str, tuple[str, ...]]]]:
    """The definitions of the states' code that use what a hunk changes, directly or not; the names what it changes
    calls (directly or not) use, and their code (harness.changeusers)."""
    from harness.changeusers import (
        callees_of,
        changed_definitions,
        definitions,
        enclosing_definitions,
        prefixed_files,
        users_of,
    )

    changed, defs = changed_definitions(series), definitions(variants.variants)
    prefixed = prefixed_files(series)  # a changed pr_fmt reaches every print of its file
    changed |= {d.name for d in defs if d.path in prefixed}
    return (users_of(changed, defs), *callees_of(changed | enclosing_definitions(series, defs), defs))


def _code_does(kinds: tuple[str, ...], hunks: list[tuple[str, tuple[str, ...]]]) -> str | None:
    """harness.seamcode.code_does, imported only when the patches name nothing a matrix recognises: its patterns
    are compiled at import, and an input whose names choose the matrix never needs them."""
    from harness.seamcode import code_does

    return code_does(kinds, hunks)


_CALLED = re.compile(r"#\s*define\s+([A-Za-z_]\w*)|\b([A-Za-z_]\w*)\s*\(")


def c_identifiers(lines: Iterable[str]) -> set[str]:
    """Names that these lines of C define as macros, or define or call as functions (``name(``)."""
    out: set[str] = set()
    for line in lines:
        for m in _CALLED.finditer(line):
            out.add(m.group(1) or m.group(2))
    return out


def code_matches(patterns: tuple[str, ...], names: set[str]) -> list[str]:
    """The names that match any of the shell patterns, sorted."""
    return sorted(n for n in names if any(fnmatch.fnmatchcase(n, p) for p in patterns))

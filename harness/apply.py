"""apply_variant: the pipeline stage that turns a Series into named Variants (file states)."""

from __future__ import annotations

import difflib
from collections.abc import Callable
from pathlib import Path

from harness.diffmodel import PatchedFile
from harness.errors import SeamError, UsageError
from harness.hunkplace import hunks_apply
from harness.manifest import Manifest, Skip, find_manifest
from harness.memo import by_identity
from harness.model import Revision, Series
from harness.replyvariants import reviewer_specs
from harness.reviewer import build_reviewer_variant
from harness.statefiles import BaseReader
from harness.variantchoices import BASE_ALIAS, choices, newest_in, offer_newest
from harness.variants import NO_TREE, Variant, revision_variants
from models.record import record


@record
class ApplyRequest:
    """Which series, which base (a git tree or hunks only), which manifest and which variants."""

    series: Series
    tree: Path | None = None
    base: str | None = None
    manifest: Path | None = None
    names: tuple[str, ...] = ()
    # With a tree: files every state reads from the base though no patch touches them (the matrix's
    # translation units, so that a header-only patch still has the code that uses the header).
    units: tuple[str, ...] = ()
    # With a tree: the matrix's entry points, looked for in the <...> headers too (harness.sysheaders).
    entries: tuple[str, ...] = ()


@record
class VariantSet:
    """The variants built for one request, in a stable order, and the reviewer variants skipped. ``aside``: states
    built only for the rules to compare with (harness.dropless: an earlier state without patches dropped since),
    run with the others but neither judged nor shown."""

    variants: tuple[Variant, ...]
    manifest: Manifest | None
    skipped: tuple[Skip, ...] = ()
    aside: tuple[Variant, ...] = ()

    @property
    def why_skipped(self) -> dict[str, str]:
        """Each reviewer variant that cannot be built from this input -> why."""
        return {s.name: s.reason.removeprefix(_HERE) for s in self.skipped}

    def get(self, name: str) -> Variant:
        """The variant of that name, or of that other name (``base``: Variant.aliases)."""
        for v in self.variants:
            if v.name == name or name in v.aliases:
                return v
        for skip in self.skipped:  # declared, but it cannot be built from this input: say why
            if skip.name == name:
                raise UsageError(None, f"variant {name} cannot be built: {skip.reason.removeprefix(_HERE)}")
        raise unknown_variant(name, [n for v in self.variants for n in (v.name, *v.aliases)])


_HERE = "it cannot be built here: "
# What adds the states aside to a set once the matrix is known (harness.pipeline.with_matrix's ``more``): given the
# matrix's translation units and entry points, which a state built on --tree reads whole as the others do.
Aside = Callable[[VariantSet, tuple[str, ...], tuple[str, ...]], VariantSet]

def unknown_variant(name: str, known: list[str], why: str = "") -> UsageError:
    """The one error for a variant name the input cannot build: the closest name, then the names to choose from as
    gate without --variant says them (harness.variantchoices.choices: revisions as ranges, ``newest`` last; it listed
    all 26 of the corpus and left out ``newest``); ``why``: a reply diff of that name that does not apply here,
    harness.replyvariants.unfit_reason."""
    started = [k for k in known if k.startswith(name)]  # a reply variant's name cut short ('v4:02+tre')
    near = started if len(started) == 1 else difflib.get_close_matches(name, known, n=1, cutoff=0.5)
    hint = f" (did you mean '{near[0]}'?)" if near and not why else ""
    starts = [k for k in known if k.endswith(":00")]
    if name == BASE_ALIAS and BASE_ALIAS not in known and len(starts) > 1:  # several revisions: which base?
        hint = f" (it names vN:00 in an input of one revision; here: {', '.join(starts)})"
    return UsageError(None, f"no variant {name!r}{hint}{why}; known: {choices(known)}{offer_newest(newest_in(known))}")


def pre_image_blobs(rev: Revision) -> list[tuple[str, str | None]]:
    """Per file the revision touches, the blob id its first patch names for the base (None: created, by a new
    file or as a rename's or copy's target); a file whose diff has no ``index`` line (diff -u, quilt, a pure
    rename) names none, so it is left out: it proves nothing."""
    seen: dict[str, str | None] = {}
    pure: dict[str, str] = {}  # the target of a rename or copy without an index line (100%) -> its source
    for p in rev.patches:
        for f in p.files:
            path = f.source_path or f.path
            if path in pure and f.old_blob is not None and seen.get(pure[path]) == "-":
                seen[pure[path]] = f.old_blob  # the source's blob at the base, as the next patch names it
            pure.pop(path, None)
            if path not in seen and not (f.target_path or "").startswith("/dev/null"):
                seen[path] = None if f.is_new else f.old_blob
                if not f.is_new and f.old_blob is None:
                    seen[path] = "-"
            if (f.is_rename or f.copy) and f.path not in seen:
                # A rename's or copy's target is made by the series: the base lacks it (git apply refuses a
                # rename onto a file that is there), whatever a later patch's index line says of it.
                seen[f.path] = None
                if f.old_blob is None and not f.hunks:
                    pure[f.path] = path
    return sorted((path, blob) for path, blob in seen.items() if blob != "-")


def post_image_blobs(rev: Revision) -> tuple[tuple[str, str, str], ...]:
    """(path, blob, patch) of each file a patch of the revision leaves (its ``index`` line's post-image, "" for a
    pure rename's or copy's target, which has none; a deletion left out), in patch order: harness.basesearch says a
    base already holding one, and the patch that creates a file an untracked one is in the way of."""
    return tuple((f.path, f.new_blob or "", f"{rev.name} {p.label}") for p in rev.patches for f in p.files
                 if (f.new_blob or f.is_rename or f.copy) and not f.is_deleted)


def _fits(rev: Revision) -> Callable[[str, str], bool]:
    """Whether a base text of a file takes the hunks of the revision's first patch that modifies it."""
    first: dict[str, PatchedFile] = {}
    for p in rev.patches:
        for f in p.files:
            first.setdefault(f.source_path or f.path, f)

    def fits(path: str, text: str) -> bool:
        pf = first.get(path)
        return pf is not None and not pf.is_new and hunks_apply(text, pf)

    return fits


def revision_base(tree: Path | None, base: str | None, rev: Revision) -> tuple[str, BaseReader]:
    """The base a revision's states are built on: its commit in ``tree`` (harness.basesearch.choose_base) and a
    reader of that commit's files, or hunks only without a tree. Chosen once per revision and tree (the
    reply-diff check, harness.proposalfit, and the variant build read the same base)."""
    if tree is None:
        return NO_TREE, lambda _path: None
    return by_identity("revision-base", (rev,), (str(tree), base), lambda: _tree_base(tree, base, rev))


def _tree_base(tree: Path, base: str | None, rev: Revision) -> tuple[str, BaseReader]:
    from harness.basesearch import choose_base  # gitpython is only needed with --tree
    from harness.gitbase import TreeBase  # gitpython is only needed with --tree

    # git format-patch --base puts base-commit: at the end of the first mail: the cover letter, else the first patch.
    first = rev.cover or next(iter(rev.patches), None)
    stated = first.base_commit if first else None
    prerequisites = first.prerequisites if first else ()  # with base-commit:, in the same mail
    where = "the cover letter" if rev.cover else f"the first patch ({first.label})" if first else ""
    choice = choose_base(tree, base, stated, pre_image_blobs(rev), _fits(rev), prerequisites, where,
                         post_image_blobs(rev))
    _, reader = TreeBase(tree, choice.commit).reader()
    return choice.describe(tree), reader


def apply_variants(req: ApplyRequest) -> VariantSet:
    """Build every revision state and every manifest variant (or only the named ones)."""
    if req.base is not None and req.tree is None:
        raise UsageError(None, "--base needs --tree")
    manifest = find_manifest(req.series, req.manifest)
    single = len(req.series.revisions) == 1
    out: list[Variant] = []
    bases: dict[int, tuple[str, BaseReader]] = {}
    for rev in req.series.revisions:
        bases[rev.version] = revision_base(req.tree, req.base, rev)
        label, reader = bases[rev.version]
        out.extend(revision_variants(rev, reader, label, alias_base=single, units=req.units, tree=req.tree is not None,
                                       entries=req.entries))
    skipped: list[Skip] = []
    for spec in reviewer_specs(req.series, manifest):
        if req.names and spec.name not in req.names:
            continue
        why = spec.missing(req.series)
        if why is None:
            label, reader = bases[int(spec.start[1:].split(":")[0])]
            try:
                out.append(build_reviewer_variant(spec, req.series, reader, label, req.units, req.tree is not None,
                                                  req.entries))
                continue
            except SeamError as exc:  # a proposal whose context this base lacks, a patch file that does not apply
                why = f"{_HERE}{exc}"
        if spec.name in req.names:
            detail = why.removeprefix(_HERE)  # "cannot be built: it cannot be built here" says it twice
            raise UsageError(None, f"variant {spec.name} cannot be built: {detail}")
        skipped.append(Skip(spec.name, why))
    result = VariantSet(tuple(out), manifest, tuple(skipped))
    if req.names:  # a state named twice (v2:00 and base) is one variant
        return VariantSet(tuple({id(v): v for v in map(result.get, req.names)}.values()), manifest, result.skipped)
    return result

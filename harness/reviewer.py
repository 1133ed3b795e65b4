"""Reviewer variants: a revision state with patches dropped, patch files or a reply's own hunk applied."""

from __future__ import annotations

from pathlib import Path

from harness.diffmodel import Hunk, HunkLine, LineKind, PatchedFile
from harness.diffparse import diff_start, parse_diff
from harness.errors import ApplyError, InputError, Where, os_reason
from harness.filestate import FileState, absent_file
from harness.manifest import ProposalRef, VariantSpec
from harness.model import Patch, ProposalKind, Reply, Revision, Series
from harness.moves import defined_by, defined_in
from harness.patching import Finding, apply_file
from harness.spec import unknown
from harness.special import refusal
from harness.statefiles import BaseReader, header_lookup, overlaid, state_links, stored_blobs, with_local_headers
from harness.statenames import parse_prefix
from harness.unitmoves import file_moves
from harness.variants import Variant, build_states, not_there, patch_label


def _norm(text: str) -> str:
    return " ".join(text.split())


def _retab(text: str) -> str:
    """Undo a mailer's tab-to-space damage: the diff marker column counts toward the first tab stop."""
    stripped = text.lstrip(" ")
    spaces = len(text) - len(stripped)
    if spaces == 0 or "\t" in text[:spaces]:
        return text
    col = 1 + spaces
    if col < 8:  # no tab stop reached: the blanks were never a tab (a comment's " * ")
        return text
    return "\t" * (col // 8) + " " * (col % 8) + stripped


def _trailing_context(hunk: Hunk) -> int:
    """Context lines after the hunk's last change (apply.c: ``trailing``)."""
    n = 0
    for ln in reversed(hunk.lines):
        if ln.kind is not LineKind.CONTEXT:
            break
        n += 1
    return n


def locate_hunk(hunk: Hunk, files: tuple[FileState, ...], only: str | None) -> tuple[FileState, int]:
    """Where a bare hunk's pre-image lies (file, first line), as ``git apply`` places the hunk (apply.c
    apply_one_fragment, find_pos): a hunk ``@@ -1`` (or ``-0``) only at the file's first line, one without
    trailing context only at its end (when the whole file is known), and of several places the one nearest
    the line the header gives its post-image (``+N``), looking after it before before it. A reviewer's mailer
    may have turned tabs into spaces: places that match but for blanks count when no place matches exactly
    (git apply would refuse the hunk). A hunk whose header names no file and that fits several files, or
    none, is refused: ApplyError.
    """
    raw = list(hunk.source_lines)
    while raw and not _norm(raw[-1]):
        raw.pop()
    want = [_norm(t) for t in raw]
    at_start = hunk.source_start <= 1
    at_end = _trailing_context(hunk) == 0
    hint = max(hunk.target_start - 1, 0)
    hits: list[tuple[tuple[bool, int, bool], FileState, int]] = []
    for f in files:
        if only is not None and f.path != only:
            continue
        for frag in f.fragments():
            have = [_norm(t) for t in frag.lines]
            for i in range(len(have) - len(want) + 1):
                line = frag.start + i
                if have[i : i + len(want)] != want or (at_start and line != 1) or (
                        at_end and f.complete and f.length is not None and line + len(want) - 1 != f.length):
                    continue
                exact = list(frag.lines[i : i + len(raw)]) == raw
                hits.append(((not exact, abs(line - 1 - hint), line - 1 < hint), f, line))
    paths = {f.path for _, f, _ in hits}
    if len(paths) != 1:
        what = "nowhere" if not hits else "in " + ", ".join(f"{f.path}:{n}" for _, f, n in hits)
        where = " at the file's start" if at_start else " at the file's end" if at_end else ""
        raise ApplyError(hunk.where, f"proposal's context found {what}{where}; it must fit one file")
    _, f, line = min(hits, key=lambda h: h[0])
    return f, line


def _placed_hunk(hunk: Hunk, state: FileState, start: int) -> PatchedFile:
    """The bare hunk rewritten against the located text: the file's own lines, real line numbers."""
    lines: list[HunkLine] = []
    src = start
    for ln in hunk.lines:
        if ln.kind is LineKind.ADDED:
            lines.append(HunkLine(LineKind.ADDED, _retab(ln.text), None, None))
        elif not _norm(ln.text) and src not in state.lines:
            continue
        else:
            lines.append(HunkLine(ln.kind, state.lines[src][0], src, None))
            src += 1
    while lines and lines[-1].kind is LineKind.CONTEXT and not lines[-1].text.strip():
        lines.pop()
    n_src = sum(1 for x in lines if x.kind is not LineKind.ADDED)
    n_tgt = sum(1 for x in lines if x.kind is not LineKind.REMOVED)
    placed = Hunk(start, n_src, start, n_tgt, hunk.section, tuple(lines), hunk.where)
    return PatchedFile(state.path, state.path, None, None, None, None, False, False, (placed,), hunk.where)


def _reply(series: Series, msgid: str, where: Where) -> Reply:
    found = series.find_message(msgid)
    if not isinstance(found, Reply):
        known = [rep.mail.msgid for r in series.revisions for p in ([r.cover] if r.cover else []) + list(r.patches)
                 for rep in p.replies]
        raise InputError(where, "no such reply in the input: " + unknown("Message-ID", msgid, known))
    return found


def _apply_all(state: dict[str, FileState], pfs: tuple[PatchedFile, ...], origin: str, base: BaseReader
               ) -> list[Finding]:
    """Apply a variant's own patch or proposal to its start state; one that does not apply there (a hunk
    fails, as git apply would refuse it) makes the variant one that cannot be built here: InputError, which
    the caller turns into a skip with its reason (or exit 2 when the variant was asked for by name). A file
    no kept patch touches is the base's (a tree's whole file): the patch a variant drops may be the only one
    that touched it, and the diff in its place applies to the tree's file as git apply would."""
    findings: list[Finding] = []
    for pf in pfs:
        source = pf.source_path or pf.path
        new, found = apply_file(state[source] if source in state else base(source), pf, origin, proposal=True,
                                stored=stored_blobs(base))
        findings.extend(found)
        state.pop(source, None)
        if pf.is_deleted or pf.is_rename:  # gone from its path: a tree must not supply it again there
            how = "deleted" if pf.is_deleted else f"renamed to {pf.path}"
            state[source] = absent_file(source, f"{how} by {origin}")
        if new is not None:
            state[new.path] = new
    failed = next((f for f in findings if not f.note), None)
    if failed is not None:
        hunk = f" {failed.hunk}" if failed.hunk else ""
        raise InputError(failed.where, f"{origin} does not apply: {failed.path}{hunk}: {failed.reason}")
    return findings


def _patch_file(path: str, where: Where) -> tuple[PatchedFile, ...]:
    why = refusal(path)  # a named FIFO would wait for a writer for ever
    if why is not None:
        raise InputError(where, f"{path}: {why}")
    try:
        text = Path(path).read_text(encoding="utf-8", errors="surrogateescape")  # its bytes, as git apply reads them
    except OSError as exc:
        raise InputError(where, f"cannot read {path}: {os_reason(exc)}") from exc
    start = diff_start(text)
    if start is None:
        raise InputError(Where(path), "no diff in this patch file")
    return parse_diff(text[start:], Where(path, text[:start].count("\n") + 1))


def _start_of(spec: VariantSpec, series: Series) -> tuple[Revision, int | None]:
    """The revision a variant starts from and its prefix (None: every patch); InputError when the input lacks
    the revision or a patch the start or a drop names."""
    version, prefix = parse_prefix(spec.start)
    rev = series.revision(version)
    if rev is None:
        have = ", ".join(f"v{r.version}" for r in series.revisions)
        raise InputError(spec.where, f"variant {spec.name}: the input has no v{version} (it has {have})")
    beyond = [n for n in (prefix, *spec.drop) if n is not None and rev.total and n > rev.total]
    if beyond:
        raise InputError(spec.where, f"variant {spec.name}: v{version} has {rev.total} patches, not patch "
                                     f"{beyond[0]:02d} (start or drop)")
    present = {p.number for p in rev.patches}
    for n in spec.drop:  # a drop that leaves out nothing would make the variant its start, said to be another
        if prefix is not None and n > prefix:
            raise InputError(spec.where, f"variant {spec.name}: drops {n:02d}, which its start {spec.start} does "
                                         "not hold")
        if n not in present:
            raise InputError(spec.where, f"variant {spec.name}: drops v{version} {n:02d}/{rev.total}, which is not "
                                         "in the input: give every patch of the revision")
    return rev, prefix


def _placed_proposal(spec: VariantSpec, ref: ProposalRef, series: Series, state: dict[str, FileState]
                     ) -> tuple[str, tuple[PatchedFile, ...]]:
    """Where a variant's reviewer proposal comes from, and its files placed on the state (a lone hunk where
    git apply would put it); InputError for a missing proposal or a snippet."""
    reply = _reply(series, ref.msgid, spec.where)
    if ref.index >= len(reply.proposals):
        count = len(reply.proposals)
        raise InputError(spec.where, f"variant {spec.name}: <{reply.mail.msgid}> has {count} proposals")
    prop = reply.proposals[ref.index]
    origin = f"proposal of {reply.mail.author} <{reply.mail.msgid}>"
    if ref.joined:  # bare hunks read from the mail alone, on the file each fits (harness.hunkfit)
        from harness.hunkfit import hunk_files

        joined = hunk_files(reply, ref.joined, state)
        if isinstance(joined, str):
            raise InputError(spec.where, f"variant {spec.name}: {joined}")
        return origin, joined
    if prop.kind is ProposalKind.HUNK:
        target, start = locate_hunk(prop.hunks[0], tuple(state.values()), ref.file)
        return origin, (_placed_hunk(prop.hunks[0], target, start),)
    if prop.kind is ProposalKind.DIFF:
        return origin, prop.files
    raise InputError(spec.where, f"variant {spec.name}: a snippet cannot be applied; write a patch file")


def _without_created(base: BaseReader, rev: Revision, kept: set[int]) -> tuple[BaseReader, set[str]]:
    """``base``, but a file a patch the variant does not hold creates (``new file``: one it drops, or one past
    its start) is absent: the start state has it not yet, as git am of the patches kept makes it; else a
    later patch's hunks to it would make it known there (from mail alone) and a diff creating it in a dropped
    patch's place would be refused ('creates a file that already exists') where git apply takes it. And those
    paths: a file of them still absent at the end is no file of the variant (as a revision state lists none)."""
    created = {pf.path: f"v{rev.version} {p.label}" for p in rev.patches if p.number not in kept
               for pf in p.files if pf.is_new}
    if not created:
        return base, set()

    def read(path: str) -> FileState | None:
        by = created.get(path)
        return absent_file(path, f"{by} creates it, which this variant does not hold") if by is not None else base(path)
    return overlaid(base, read), set(created)


def _under_sources(spec: VariantSpec, series: Series) -> tuple[tuple[str, str], ...]:
    """(Message-ID, author) of the replies whose diffs a counter-proposal is built on (ProposalRef.under)."""
    under = spec.proposal.under if spec.proposal is not None else ()
    return tuple((m, _reply(series, m, spec.where).mail.author) for m in dict.fromkeys(m for m, _ in under))


def _apply_own(spec: VariantSpec, series: Series, state: dict[str, FileState], base: BaseReader,
               findings: list[Finding], applied: list[str]) -> list[tuple[str, tuple[PatchedFile, ...]]]:
    """Apply the variant's own patch files, then the reply's proposal, to ``state``; what each finds and its
    label go on ``findings`` and ``applied``. Each one's origin and files, in the order applied."""
    proposed: list[tuple[str, tuple[PatchedFile, ...]]] = []
    for path in spec.patches:
        files = _patch_file(str(path), spec.where)
        findings += _apply_all(state, files, f"{spec.name} ({path.name})", base)
        applied.append(f"{path.name} (series/{path.parent.parent.name})")
        proposed.append((path.name, files))
    if spec.proposal is not None:  # the diffs a counter-proposal is written on first (ProposalRef.under)
        for ref in (*(ProposalRef(m, i, None) for m, i in spec.proposal.under), spec.proposal):
            origin, placed = _placed_proposal(spec, ref, series, state)
            findings += _apply_all(state, placed, origin, base)
            applied.append(origin)
            proposed.append((origin, placed))
    return proposed


def _created_later(everything: list[Patch], states: list[dict[str, FileState]], start: int,
                   state: dict[str, FileState], version: int) -> tuple[tuple[str, str, FileState], ...]:
    """The files the revision's patches past the start create whole, as each leaves it, that the variant does not
    hold (a proposal creating one holds it): a unit of one runs as that patch makes it (Variant.created_later)."""
    return not_there([(pf.path, f"v{version} {p.label}", f) for i, p in enumerate(everything) if i >= start
                      for pf in p.files if pf.is_new and (f := states[i + 1].get(pf.path)) is not None and f.complete],
                     state)


def build_reviewer_variant(spec: VariantSpec, series: Series, base: BaseReader, base_label: str,
                           units: tuple[str, ...] = (), tree: bool = False, entries: tuple[str, ...] = ()
                           ) -> Variant:
    """Build one manifest variant: start state, drops, then patch files or the reply's proposal (with a
    ``tree``, and its <...> headers' definitions of names nothing else defines: Variant.headers)."""
    rev, prefix = _start_of(spec, series)
    version = rev.version
    # Later patches still teach what the start state's files look like, so build them all.
    everything = [p for p in rev.patches if p.number not in spec.drop]
    patches = [p for p in everything if prefix is None or p.number <= prefix]
    base, later = _without_created(base, rev, {p.number for p in patches})
    states, found = build_states(everything, base)
    state = dict(states[len(patches)])
    findings = [f for fs in found[: len(patches)] for f in fs]
    applied = [patch_label(p) for p in patches]
    proposed = _apply_own(spec, series, state, base, findings, applied)
    read: dict[str, FileState | None] = {}
    links = state_links(state, [*(pf for p in patches for pf in p.files), *(pf for _, fs in proposed for pf in fs)],
                        base, read, tree)
    state = with_local_headers(state, base, read, units)
    headers = header_lookup(state, base, read, tree, entries)
    dropped = ", ".join(f"{n:02d}" for n in spec.drop)
    desc = spec.description + (f" (drops {dropped})" if dropped else "")
    listed = tuple(sorted((f for f in state.values() if not (f.absent and f.path in later)), key=lambda f: f.path))
    return Variant(
        name=spec.name, description=desc, files=listed,
        findings=tuple(findings), applied=tuple(applied),
        sources=(*((p.mail.msgid, p.mail.author) for p in patches), *_under_sources(spec, series),
                 (spec.msgid, spec.author)),
        base=base_label, revision=version, prefix=None, start=spec.start, over=spec.over,
        dropped_defines=tuple(dict.fromkeys((n, f"v{version} {p.label}") for p in rev.patches if p.number in spec.drop
                                            for n in sorted(defined_by(p)[0]))),
        proposed=tuple(proposed),
        # What its patches and the proposal take away: a caller left calling one does not build (removed_called).
        removed_defines=(*((n, f"v{version} {p.label}") for p in patches for n in sorted(defined_by(p)[1])),
                         *((n, origin) for origin, files in proposed for n in sorted(defined_in(files)[1]))),
        headers=headers, moved=file_moves([*(p.files for p in patches), *(files for _, files in proposed)]),
        links=links,
        # What the revision's patches past the start add is not there yet (a tree would not hold it either).
        added_later=tuple(dict.fromkeys((n, f"v{version} {p.label}") for p in everything[len(patches):]
                                        for n in sorted(defined_by(p)[0]))),
        created_later=_created_later(everything, states, len(patches), state, version),
    )



def build_without(name: str, start: str, drop: tuple[int, ...], series: Series, base: tuple[str, BaseReader],
                  tree: bool = False, units: tuple[str, ...] = (), entries: tuple[str, ...] = ()) -> Variant:
    """The state ``start`` (``v1:03``) of its revision built without its patches ``drop``, named ``name``
    (harness.earlierchange.without_name): the earlier state a patch changed since is compared with when patches
    before its earlier version were dropped since. A later patch whose context needs a dropped one fails there as
    git am fails it (its hunk a finding: Variant.base_problems). With a ``tree``, ``units`` and ``entries`` as
    build_reviewer_variant reads them. InputError when the input lacks ``start``."""
    rev = series.revision(parse_prefix(start)[0])
    gone = ", ".join(patch_label(p) for p in (rev.patches if rev is not None else ()) if p.number in drop)
    spec = VariantSpec(name, start, drop, (), None, "", "", f"{start} without {gone}", Where("<earlier state>"))
    return build_reviewer_variant(spec, series, base[1], base[0], units, tree, entries)

"""Variants: named file states (revision prefixes, whole revisions, reviewer proposals) and their building."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from itertools import pairwise
from operator import attrgetter
from typing import TypeVar, cast

from harness.diffmodel import PatchedFile
from harness.filestate import LINK_MODE, FileState, LineMap, absent_file, learn_backward, merge, move_lines
from harness.kbuildread import tree_kbuild
from harness.linking import UnitLink
from harness.model import Patch, Revision, number_ranges
from harness.moves import defined_by
from harness.patching import Finding, apply_file
from harness.statefiles import BaseReader, header_lookup, prefix_links, stored_blobs, with_local_headers
from harness.sysheaders import NO_HEADERS, Lookup
from harness.unitmoves import mark_gone, prefix_moves
from models.record import record

T = TypeVar("T")
_PATH = attrgetter("path")


# Variant.base of a state built without --tree: no base commit, files known from the hunks alone.
NO_TREE = "hunks only (no tree)"


@record
class Variant:
    """A named state of the modelled files, with what built it and what went wrong doing so."""

    name: str
    description: str
    files: tuple[FileState, ...]
    findings: tuple[Finding, ...]
    applied: tuple[str, ...]
    sources: tuple[tuple[str, str], ...]
    base: str
    revision: int | None = None
    prefix: int | None = None
    start: str | None = None
    over: str | None = None  # the reviewer variant it is built on (a counter-proposal on its diff): compared with it
    # (name, patch label) of functions and macros a later patch of this revision adds: not there yet, so a
    # tree cannot supply them either (harness.coverage says so instead of "give --tree").
    added_later: tuple[tuple[str, str], ...] = ()
    # (path, patch label, its file there) of each file a later patch of this revision creates, the first creator of
    # each, whole as that patch leaves it (a new file's text is all in the mail): a matrix unit not there yet is
    # read as the patch that creates it makes it (harness.prfmt.assumed_pr_fmt), not as mainline's.
    created_later: tuple[tuple[str, str, FileState], ...] = ()
    # (name, patch label) of functions and macros a patch of this state removed (deleted or renamed): a caller left
    # calling one does not build (harness.tuorder.removed_called).
    removed_defines: tuple[tuple[str, str], ...] = ()
    # (name, patch label) of functions and macros that patches a reviewer variant drops define.
    dropped_defines: tuple[tuple[str, str], ...] = ()
    # (origin, files) of the diffs a reviewer variant applies on its start, in order: its patch files, its reply's
    # proposal as placed (harness.renames.proposal_renames reads what they rename).
    proposed: tuple[tuple[str, tuple[PatchedFile, ...]], ...] = ()
    # What the tree's <...> headers give this state: definitions of names nothing else defines
    # (harness.sysheaders); empty without a tree.
    headers: Lookup = NO_HEADERS
    # (path, text) of the tree's Kbuild files above its .c units that hand a preprocessor flag (harness.kbuildread)
    kbuild: tuple[tuple[str, str], ...] = ()
    # (old path, path now) of the files renamed on the way to this state: a matrix unit there moved with its file
    # (harness.unitmoves.unit_at).
    moved: tuple[tuple[str, str], ...] = ()
    # Each .c file this state's patches create, and whether a Makefile builds it; each they take away whose object a
    # Makefile still names (Link.GONE: make stops) (harness.linking).
    links: tuple[UnitLink, ...] = ()
    # Other names of this very state (``base`` for vN:00 of an input of one revision): one state, run once, found
    # under either name (harness.apply.VariantSet.get).
    aliases: tuple[str, ...] = ()

    @property
    def base_problems(self) -> tuple[Finding, ...]:
        """The findings of building this state that are problems (a failed hunk, a blob mismatch, a missing
        file, in this state or on the way to it); offsets and other notes that changed nothing are not."""
        return tuple(f for f in self.findings if not f.note)

    def kept(self, kind: str, make: Callable[[], T]) -> T:
        """``make()``, worked out once per variant object and kept with it: for what is small beside the variant
        and asked by every stage in turn (its sources, runner.variant_sources), which the bounded table shared by
        every kind (harness.memo) forgot between stages of a long series (1,200 patches: made four times each)."""
        table = self._kept
        if kind not in table:
            table[kind] = make()
        return cast(T, table[kind])

    @cached_property
    def _kept(self) -> dict[str, object]:
        return {}

    @cached_property
    def c_files(self) -> tuple[FileState, ...]:
        """The state's C files (``.c``, ``.h``), in order: picked out once per variant for the many stages that read
        only those (each picking them from every file of the state was n*n steps for a series of n patches)."""
        return tuple(f for f in self.files if f.path.endswith((".c", ".h")))

    @cached_property
    def _sorted(self) -> bool:
        """Whether the files come in order of path, as the states are built (``file`` bisects them then)."""
        return all(a.path <= b.path for a, b in pairwise(self.files))

    def file(self, path: str) -> FileState | None:
        # Asked for several paths of every state: a scan each was n*n steps for a series of n patches.
        if self._sorted:
            i = bisect_left(self.files, path, key=_PATH)
            return self.files[i] if i < len(self.files) and self.files[i].path == path else None
        for f in self.files:
            if f.path == path:
                return f
        return None


def patch_label(p: Patch) -> str:
    return f"v{p.mail.subject.version} {p.label} <{p.mail.msgid}>"


@dataclass
class _Chain:
    """Versions of one file across the patches that touch it (index 0: before the first)."""

    versions: list[FileState | None]
    steps: list[tuple[int, PatchedFile]]  # (patch position, its part) that made versions[j + 1]


def _apply_here(chains: list[_Chain], maps: tuple[dict[str, int], dict[str, int]], gone: dict[str, str],
                base: BaseReader, pf: PatchedFile, at: tuple[int, str]) -> tuple[FileState | None, list[Finding], int]:
    """Apply one file of the patch at position ``at[0]`` (labelled ``at[1]``) onto its chain (a new chain for a
    copy, or for a path read from the base the first time): the state it makes, what was found, and the chain
    it joins. ``maps`` are the path -> chain maps before that patch and now; ``current`` and ``gone`` are
    updated for a rename or a deletion."""
    before, current = maps
    k, label = at
    source = pf.source_path or pf.path
    moved = pf.copy or pf.is_rename
    # A rename or copy reads its source as it was before this patch (a swap of two files too).
    c = (before if moved else current).get(source)
    if c is None and moved and _edited_here(chains, current.get(source), k):
        # An earlier file of this patch modified the source (a copy after an edit of its source,
        # as git diff -C orders them): that chain holds the state before the patch, and a second
        # chain of the same path would hide the edit.
        c = current.get(source)
    if c is None:
        # Read the base for created files too: a tree that already has one is a finding; but a path the series
        # renamed away (this patch or one before) is free again: git apply creates the file there (check_to_create
        # finds it deleted in the index, or to be deleted).
        chains.append(_Chain([absent_file(source, gone[source]) if pf.is_new and source in gone else base(source)], []))
        c = len(chains) - 1
        current.setdefault(source, c)
    start = chains[c].versions[-1]
    if moved or (pf.is_new and _steps_in(chains[c], k)):
        before_patch = chains[c].versions[len(chains[c].steps) - _steps_in(chains[c], k)]
        # A file created twice by one patch (a mail carrying its diff inline and attached, or in an HTML copy):
        # git apply checks a creation against the tree before the patch (apply.c check_to_create) and writes
        # each in turn, so the last one is the file; a path the base has stays refused ("already exists").
        if moved or before_patch is None or before_patch.absent:
            start = before_patch
    if pf.copy:
        chains.append(_Chain([base(pf.path)], []))
    target = len(chains) - 1 if pf.copy else c
    new, found = apply_file(start, pf, label, stored=stored_blobs(base))
    if (pf.is_rename or pf.is_deleted) and current.get(source) == c:
        if pf.is_rename:
            current.pop(source)
        gone[source] = f"{'renamed to ' + pf.path if pf.is_rename else 'deleted'} by {label}"
    return new, found, target


def build_states(
    patches: Sequence[Patch], base: BaseReader
) -> tuple[list[dict[str, FileState]], list[list[Finding]]]:
    """States 0..n of every file touched by ``patches``: forward, back and forward again.

    As git apply does, a copy or rename reads its source as it was before the patch (apply.c
    previous_patch); a copy starts a new file and leaves its source in place. A path an earlier patch
    deleted or renamed away is not there ("does not exist in index"; in the same patch "has been
    renamed/deleted"), and a rename or copy onto a path that is there is refused ("already exists"),
    unless the same patch deletes or renames that path away (apply.c check_to_create, to_be_deleted).
    """
    chains: list[_Chain] = []
    current: dict[str, int] = {}  # path -> its chain
    gone: dict[str, str] = {}  # path -> which patch deleted it or renamed it away
    findings: list[list[Finding]] = [[] for _ in patches]
    for k, p in enumerate(patches):
        label = patch_label(p)
        before, gone_before = dict(current), dict(gone)
        leaving = {pf.source_path for pf in p.files if pf.source_path and (pf.is_deleted or pf.is_rename)}
        for pf in p.files:
            new: FileState | None
            pf = _as_git_reads(chains, (current, gone), pf, k)
            source = pf.source_path or pf.path
            moved = pf.copy or pf.is_rename
            how = None if pf.is_new else (gone_before if moved else gone).get(source)
            link = None if pf.is_deleted else _beyond_link(chains, current, base, pf.target_path or pf.path)
            if link is not None:
                new, found, target = _beyond(chains, pf, link)
            elif how is not None:
                new, found, target = _gone(chains, pf, source, how)
            elif (moved and not pf.overwrites and pf.path not in leaving and pf.path not in gone
                  and _there(chains, current, base, pf.path)):
                new, found, target = _occupied(chains, current, base, pf)
            else:
                new, found, target = _apply_here(chains, (before, current), gone, base, pf, (k, label))
            findings[k].extend(found)
            chains[target].versions.append(new)
            chains[target].steps.append((k, pf))
            if new is not None and not new.absent:
                gone.pop(new.path, None)
            current[pf.target_path or pf.path] = target
    _propagate(chains, patches)
    states = _snapshot(chains, len(patches))
    mark_gone(states, patches)  # a deleted or renamed-away file is absent after: a tree must not supply it again
    return states, findings


def _as_git_reads(chains: list[_Chain], where: tuple[dict[str, int], dict[str, str]], pf: PatchedFile, k: int
                  ) -> PatchedFile:
    """``pf`` of patch ``k`` as git apply reads it, given the paths' chains and those gone (``where``)."""
    current, gone = where
    if pf.maybe_new and gone.get(pf.path) is not None:
        pf = replace(pf, source_path=None)  # a file an earlier patch deleted: created, as git apply does
    if pf.is_rename and pf.source_path in current and _edited_here(chains, current[pf.source_path], k) \
            and _steps_in(chains[current[pf.source_path]], k):
        # A rename whose source an earlier file of this patch edited: git apply removes the source before
        # it writes the files it patched (write_out_results), so the edit is there after, and the rename
        # reads the file before the patch (previous_patch): a copy.
        pf = replace(pf, copy=True)
    return pf


def _edited_here(chains: list[_Chain], c: int | None, k: int) -> bool:
    """Whether chain ``c`` was at its path before patch ``k`` and that patch modified it there (not a file a
    rename or copy of patch ``k`` brought to the path: a swap's other side reads the path's old file)."""
    return c is not None and all(s != k or not (pf.is_rename or pf.copy or pf.is_new) for s, pf in chains[c].steps)


def _steps_in(chain: _Chain, k: int) -> int:
    """How many of a chain's steps patch ``k`` made (its versions before them: the state before the patch)."""
    return sum(1 for s, _ in chain.steps if s == k)


def _gone(chains: list[_Chain], pf: PatchedFile, path: str,
          how: str) -> tuple[FileState, list[Finding], int]:
    """A patch to a path an earlier patch deleted or renamed away: git apply refuses it; the path stays absent."""
    verb = "renames" if pf.is_rename else "copies" if pf.copy else "deletes" if pf.is_deleted else "modifies"
    chains.append(_Chain([None], []))
    return absent_file(path, how), [Finding(path, "", f"patch {verb} a file that is not there ({how})",
                                            pf.where)], len(chains) - 1


def _beyond_link(chains: list[_Chain], current: dict[str, int], base: BaseReader, path: str) -> str | None:
    """The folder of ``path`` that is a symlink now (the series' state, else the base's), if any: git apply
    writes nothing through one (apply.c path_is_beyond_symlink; a link this patch deleted first is gone)."""
    parts = path.split("/")
    for i in range(1, len(parts)):
        folder = "/".join(parts[:i])
        state = chains[current[folder]].versions[-1] if folder in current else base(folder)
        if state is not None and not state.absent and state.mode == LINK_MODE:
            return folder
    return None


def _beyond(chains: list[_Chain], pf: PatchedFile, link: str) -> tuple[FileState, list[Finding], int]:
    """A patch to a file beyond a symlink: git apply refuses it ("affected file ... is beyond a symbolic
    link"); nothing is there (the link is a file, not a folder)."""
    path = pf.target_path or pf.path
    chains.append(_Chain([None], []))
    return absent_file(path, f"beyond the symbolic link {link}"), [Finding(
        path, "", f"affected file is beyond a symbolic link ({link}), as git apply refuses it", pf.where)], \
        len(chains) - 1


def _there(chains: list[_Chain], current: dict[str, int], base: BaseReader, path: str) -> bool:
    """Whether a file is at ``path`` now (the series' own state of it, else the base's)."""
    state = chains[current[path]].versions[-1] if path in current else base(path)
    return state is not None and not state.absent


def _occupied(chains: list[_Chain], current: dict[str, int], base: BaseReader,
              pf: PatchedFile) -> tuple[FileState, list[Finding], int]:
    """A rename or copy onto a file that is there: git apply refuses the patch ("already exists"); the file
    keeps its content, unusable (what the series means here is unknown), and the source stays."""
    if pf.path not in current:
        chains.append(_Chain([base(pf.path)], []))
        current[pf.path] = len(chains) - 1
    c = current[pf.path]
    state = chains[c].versions[-1]
    assert state is not None
    verb = "renames" if pf.is_rename else "copies"
    return replace(state, usable=False), [Finding(pf.path, "", f"patch {verb} {pf.source_path} onto a file that "
                                                  "already exists", pf.where)], c


def _propagate(chains: list[_Chain], patches: Sequence[Patch]) -> None:
    """Carry fragment knowledge backward to earlier states and then forward again (not across copies)."""
    for chain in chains:
        for j in range(len(chain.steps) - 1, -1, -1):
            k, pf = chain.steps[j]
            later = chain.versions[j + 1]
            # A binary patch has no hunks: its post-image says nothing of the lines before it.
            if later is not None and not pf.is_new and not pf.copy and not later.absent and not pf.is_binary:
                chain.versions[j] = learn_backward(later, pf, chain.versions[j], patch_label(patches[k]))
        for j, (_, pf) in enumerate(chain.steps):
            before, after = chain.versions[j], chain.versions[j + 1]
            if before is None or after is None or after.complete or pf.copy:
                continue
            lines = dict(after.lines)
            merge(lines, move_lines(before.lines, LineMap.of(pf).forward))
            chain.versions[j + 1] = replace(after, lines=lines)


def _snapshot(chains: list[_Chain], n: int) -> list[dict[str, FileState]]:
    """The files of states 0..n: state k holds the version of each chain that its steps made by patches before k
    (steps are in patch order). Each version is put in the run of states it holds for, and none in the states where
    the chain's file is not there yet (a file a later patch creates): not every chain looked at for every state."""
    states: list[dict[str, FileState]] = [{} for _ in range(n + 1)]
    for chain in chains:
        low = 0
        for j, version in enumerate(chain.versions):
            high = chain.steps[j][0] + 1 if j < len(chain.steps) else n + 1  # states up to the next step's patch
            if version is not None:
                for k in range(low, high):
                    states[k][version.path] = version
            low = max(low, high)
    return states


def revision_variants(rev: Revision, base: BaseReader, base_label: str, alias_base: bool,
                      units: tuple[str, ...] = (), tree: bool = False, entries: tuple[str, ...] = ()
                      ) -> list[Variant]:
    """``vN:00``, ``vN:KK`` for every present patch, and ``vN`` (``alias_base``: vN:00 also named ``base``, one state
    under two names, not a copy run twice); with a ``tree``, each state's <...> headers' definitions of names nothing
    else defines (Variant.headers)."""
    patches = list(rev.patches)
    states, findings = build_states(patches, base)
    read: dict[str, FileState | None] = {}
    # Every state's files by path is n*n/2 entries for n patches, the peak of a long series' memory: each state's
    # first form is let go as its next is made (not both lists at once), and each is let go once its variant holds
    # its files.
    for k, state in enumerate(states):
        states[k] = with_local_headers(state, base, read, units)
    lookups = [header_lookup(state, base, read, tree, entries) for state in states]
    kbuilds = [tree_kbuild(state, lambda p: read[p] if p in read else read.setdefault(p, base(p))) if tree else ()
               for state in states]
    out: list[Variant] = []
    width = max(2, len(str(rev.total)))
    # Made once and shared by every prefix's variant: made for each, n patches' labels were n*n/2 strings
    # (5,000 patches: 2.2 GB for apply).
    labels = [patch_label(p) for p in patches]
    senders = [(p.mail.msgid, p.mail.author) for p in patches]
    moves = prefix_moves([p.files for p in patches])
    links = prefix_links(states, patches, base, read, tree)
    # Each list flattened once; a prefix takes a slice of it (C speed), not its patches' lists joined again.
    found, found_at = _flat(findings)
    (later, later_at), (gone, gone_at) = _defines(rev.version, patches)
    made, made_at = _flat([[(pf.path, f"v{rev.version} {p.label}", f) for pf in p.files
                            if pf.is_new and (f := states[i + 1].get(pf.path)) is not None and f.complete]
                           for i, p in enumerate(patches)])
    for k in range(len(patches) + 1):
        number = patches[k - 1].number if k else 0
        name = f"v{rev.version}:{number:0{width}d}"
        last = patches[k - 1] if k else None
        desc = f"up to {last.label}: {last.mail.subject.title}" if last else \
            f"before the first patch{' (also named base)' if alias_base else ''}"
        out.append(Variant(
            name=name, description=f"v{rev.version} {desc}",
            files=tuple(sorted(states[k].values(), key=_PATH)),
            findings=found[:found_at[k]],
            applied=tuple(labels[:k]), sources=tuple(senders[:k]),
            base=base_label, revision=rev.version, prefix=number,
            added_later=tuple(dict.fromkeys(later[later_at[k]:])), removed_defines=gone[:gone_at[k]],
            created_later=not_there(made[made_at[k]:], states[k]),
            headers=lookups[k], kbuild=kbuilds[k], moved=moves[k],
            links=links[k], aliases=("base",) if alias_base and not k else (),
        ))
        states[k] = {}
    whole = replace(out[-1], name=f"v{rev.version}", description=_whole(rev, len(patches)))
    out.append(replace(whole, aliases=()) if whole.aliases else whole)
    return out


_Named = tuple[tuple[tuple[str, str], ...], list[int]]  # (name, patch) pairs flattened (_flat)


def _defines(version: int, patches: Sequence[Patch]) -> tuple[_Named, _Named]:
    """The names each patch defines and those it removes, each with the patch ('v3 05/26'), flattened (_flat)."""
    by_patch = [(f"v{version} {p.label}", defined_by(p)) for p in patches]
    return _flat([[(n, label) for n in sorted(adds)] for label, (adds, _) in by_patch]), \
        _flat([[(n, label) for n in sorted(removes)] for label, (_, removes) in by_patch])


def not_there(made: Sequence[tuple[str, str, FileState]], state: dict[str, FileState]
              ) -> tuple[tuple[str, str, FileState], ...]:
    """The first of the later creations of each path this state does not hold (one it holds is read from its
    own files)."""
    first: dict[str, tuple[str, str, FileState]] = {}
    for item in made:
        there = state.get(item[0])
        if (there is None or there.absent) and item[0] not in first:
            first[item[0]] = item
    return tuple(first.values())


def _flat(lists: Sequence[Sequence[T]]) -> tuple[tuple[T, ...], list[int]]:
    """The lists joined, and where each list starts in the join (one more at the end: the join's length)."""
    flat: list[T] = []
    starts = [0]
    for items in lists:
        flat.extend(items)
        starts.append(len(flat))
    return tuple(flat), starts


def _whole(rev: Revision, present: int) -> str:
    """What the whole revision's state holds: every patch, or the ones the input has and which it lacks."""
    if not rev.missing:
        return f"v{rev.version} with " + {1: "its only patch", 2: "both patches"}.get(present, f"all {present} patches")
    return f"v{rev.version} with the {present} of its {rev.total} patches the input has (not given: " \
           f"{number_ranges(rev.missing)})"

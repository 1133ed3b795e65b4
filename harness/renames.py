"""Renamed helpers: a C function or macro whose definition goes and comes back under another name, by content.

As git's rename detection (diffcore-rename.c) pairs a deleted file with an added one by the share of content
they have in common, never by their names, a rename here pairs a definition that disappears with one that
appears when

- the two are of one kind (function, function-like macro, object-like macro);
- their texts are at least ``THRESHOLD`` per cent the same (``similarity``: git's ``-M50%`` default) once
  the old name, and those of the other helpers renamed alongside, are replaced by the new ones;
- the callers of the old name, where they are still defined, now call the new one and no longer the old.

An old definition with two or more candidates at or above the threshold, or a candidate that two old ones
share, is never followed: it is kept as ``Undecided``, with every candidate and its similarity, for the
reports to say.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import replace

from harness.coverage import named_anywhere
from harness.diffmodel import LineKind, PatchedFile
from harness.memo import by_identity
from harness.model import Patch, Revision, Series
from harness.moves import defined_by, defined_in
from harness.renamescore import THRESHOLD, TOKEN, paired, rename_scores, similarity
from harness.runner import variant_sources
from harness.splitreach import included_names, reaches
from harness.variants import Variant
from models.loader import definitions, sliced
from models.record import record
from models.slicer import Definition, Kind

Table = Mapping[str, list[Definition]]


@record
class Rename:
    """One helper found under a new name: where each definition is, how alike they are, where it is shown."""

    old: str
    new: str
    similarity: int  # per cent, see ``similarity``
    old_where: str  # path:line
    new_where: str
    shown: str  # where the rename is shown: "in v5 03/26", "between v4 and v5 (v5 03/26 defines seamcall_retry())"
    callers: tuple[str, ...] = ()  # the definitions that called the old name and now call the new one
    kept: bool = False  # the old name is still defined, as another helper (see find_renames' ``rewritten``)
    wrapper: bool = False  # the old name is still defined, calling the new one, and nothing calls it (``_wrappers``)

    @property
    def moved(self) -> bool:
        """Whether the new definition is in another file than the old one."""
        return self.old_where.rsplit(":", 1)[0] != self.new_where.rsplit(":", 1)[0]

    def describe(self) -> str:
        """``sc_retry -> seamcall_retry, renamed in v5 03/26, body 96% the same`` (and, when the old name now
        names another helper, ``; sc_retry() is now another helper``; when it stays as an unused wrapper of the
        new one, ``; sc_retry() stays as a wrapper of seamcall_retry() that no code read calls``)."""
        also = f"; {self.old}() is now another helper" if self.kept else ""
        also += f"; {self.old}() stays as a wrapper of {self.new}() that no code read calls" if self.wrapper else ""
        return f"{self.old} -> {self.new}, renamed {self.shown}, body {self.similarity}% the same{also}"


@record
class Undecided:
    """A definition that went while others came, not followed: two candidates, or callers left calling it."""

    old: str
    candidates: tuple[tuple[str, int | None], ...]  # (name, similarity per cent; None: a side known only in part)
    shown: str
    why: str

    def describe(self) -> str:
        shown = " or ".join(f"{n}() ({'how much the same not known' if s is None else f'{s}% the same'})"
                            for n, s in self.candidates)
        return f"{self.old}() may have become {shown} {self.shown}: not followed ({self.why})"


@record
class Renames:
    """What one change (a patch, a proposal, a revision to the next) renames, and what it may rename."""

    found: tuple[Rename, ...] = ()
    undecided: tuple[Undecided, ...] = ()

    def __add__(self, other: Renames) -> Renames:
        return Renames(self.found + other.found, self.undecided + other.undecided)


def _helpers(table: Table, names: Iterable[str]) -> dict[str, Definition]:
    """The functions and macros of these names that the code itself defines (not one a macro generates)."""
    out = {}
    for n in names:
        d = next((x for x in table.get(n, ()) if x.kind in (Kind.FUNCTION, Kind.MACRO) and x.generated_by is None),
                 None)
        if d is not None:
            out[n] = d
    return out


def _kept_reaching(scores: dict[str, list[tuple[str, int]]], broken: set[str], news: dict[str, Definition],
                   wrapped: Mapping[str, str]) -> dict[str, list[tuple[str, int]]]:
    """The scores without the candidates a rewritten helper names itself (``sc_retry()`` become a wrapper of the
    ``__sc_retry()`` that holds its old loop still reaches that loop: it is no rename), but for an old name kept
    as a wrapper its callers left (``_wrappers``), whose one candidate is the helper it now calls."""
    out = {}
    for old, found in scores.items():
        names = news[old].identifiers() if old in broken and old in news else set()
        kept = [(n, s) for n, s in found if n == wrapped[old]] if old in wrapped else \
            [(n, s) for n, s in found if n not in names]
        if kept:
            out[old] = kept
    return out


def _callers(table: Table, name: str, leave: Iterable[str]) -> set[str]:
    """The functions and macros of the table that name ``name`` (but those in ``leave``)."""
    skip = set(leave)
    return {n for n, ds in table.items() if n not in skip
            for d in ds if d.kind in (Kind.FUNCTION, Kind.MACRO) and name in d.identifiers()}


def _alias_target(d: Definition) -> str | None:
    """The function a function-like macro only gives another name: its body one call of it passing the macro's
    parameters on in order, each bare or in parentheses (``#define sc_retry(op, fn, args) __sc_retry((op), (fn),
    (args))``: every use expands to that call, C11 6.10.3); None for any other definition."""
    if d.kind is not Kind.MACRO or d.params is None or d.generated_by is not None:
        return None
    _, _, body = d.text.replace("\\\n", " ").partition(")")
    flat = "".join(body.split())
    for p in d.params:
        flat = flat.replace(f"({p})", p)
    target = TOKEN.match(flat)
    name = target.group(0) if target is not None else ""
    return name if name not in ("", d.name) and flat == f"{name}({','.join(d.params)})" else None


def _left_calling(before: Table, after: Table, old: str, new: str, renamed: Mapping[str, str]) -> tuple[
        tuple[str, ...], list[str]]:
    """(callers now calling ``new``, callers still naming ``old`` or not naming ``new``) of those that called
    ``old`` before and are still defined after (under their own new name when renamed too). A caller that calls a
    macro only naming ``new`` (_alias_target: the kernel's ``#define foo(a) __foo(a)`` put before a helper renamed
    ``__foo()``) calls it."""
    moved: list[str] = []
    stuck: list[str] = []
    aliases = {n for n, ds in after.items() if any(_alias_target(d) == new for d in ds)}
    for caller in sorted(_callers(before, old, (old,))):
        now = renamed.get(caller, caller)
        ds = [d for d in after.get(now, ()) if d.kind in (Kind.FUNCTION, Kind.MACRO)]
        if not ds:
            continue  # the caller went too: nothing to say of it
        names = set().union(*(d.identifiers() for d in ds))
        (moved if (new in names or names & aliases) and old not in names else stuck).append(now)
    return tuple(moved), stuck


def _named_elsewhere(table: Table, name: str) -> bool:
    """Whether any definition of the table but ``name``'s own names it (a call, a pointer to it, an export)."""
    return any(name in d.identifiers() for n, ds in table.items() if n != name for d in ds)


def _wrappers(before: Table, after: Table, came: Iterable[str], paths: set[str] | None) -> dict[str, str]:
    """Old name -> the new helper it now calls, for each function kept under its old name as a wrapper of a
    helper new to the change, once its callers moved to that helper: defined on both sides (in ``paths`` after,
    when given: the files the change touches) with another text, naming exactly one of the ``came`` names,
    named by no other definition after, and with every caller it had that is still defined now calling the new
    helper and no longer it (at least one). Its callers' call sites moving are what shows the rename; the old
    name left behind calls nothing that runs."""
    new = set(came)
    out: dict[str, str] = {}
    for old, d in _helpers(after, (n for n in after if n in before and n not in new)).items():
        was = _helpers(before, (old,)).get(old)
        if d.kind is not Kind.FUNCTION or was is None or was.kind is not Kind.FUNCTION or was.text == d.text \
                or (paths is not None and d.path not in paths):
            continue
        calls = d.identifiers() & new
        if len(calls) != 1 or _named_elsewhere(after, old):
            continue
        target = calls.pop()
        moved, stuck = _left_calling(before, after, old, target, {})
        if moved and not stuck:
            out[old] = target
    return out


def find_renames(before: Table, after: Table, shown: str, gone: Iterable[str] | None = None,
                 came: Iterable[str] | None = None, rewritten: Iterable[str] = (),
                 paths: set[str] | None = None) -> Renames:
    """The renames between two definition tables (models.loader.definitions): among the helpers ``before``
    defines and ``after`` does not (``gone``, when given, limits them: the names a patch's hunks remove) and
    those ``after`` defines and ``before`` does not (``came``: the names its hunks add).

    ``rewritten`` names helpers defined on both sides whose body is less than THRESHOLD the same as before
    (``rewritten_helpers``): as ``git diff -B -M`` breaks a rewritten file into a deletion and an addition
    before pairing renames, each is an old name and a new one too, so that two helpers that swap names, or a
    helper whose name a new one takes while its body goes on under another, are found. A caller still calling
    a rewritten name calls the new helper of that name: it does not hold its rename back.

    A function kept under its old name as a wrapper of a new helper, once every caller it had calls that helper
    instead and nothing else names it (``_wrappers``; ``paths``: the files a diff touches), is an old name too,
    its one candidate the helper it calls: ``sc_retry()`` become ``return seamcall_retry(op, fn, args);`` while
    its callers call seamcall_retry() is renamed, its old body judged under the new name."""
    broken = set(rewritten)
    old_names = [n for n in (before if gone is None else gone) if n in before and n not in after]
    new_names = [n for n in (after if came is None else came) if n in after and n not in before]
    wrapped = _wrappers(before, after, new_names, paths) if new_names else {}
    old_names += [n for n in [*broken, *wrapped] if n in before and n in after and n not in old_names]
    new_names += [n for n in broken if n in before and n in after and n not in new_names]
    olds, news = _helpers(before, old_names), _helpers(after, new_names)
    if not olds or not news:
        return Renames()
    first = _kept_reaching(rename_scores(olds, news, {}), broken, news, wrapped)
    # Helpers renamed together call each other by their new names: score again with every clear pair applied.
    together = {old: new for old, (new, _) in paired(first).items()}
    scores = _kept_reaching(rename_scores(olds, news, together), broken, news, wrapped)
    pairs = paired(scores)
    together = {old: new for old, (new, _) in pairs.items()}
    found, undecided = [], []
    for old, cands in sorted(scores.items()):
        if old not in pairs:
            why = "two candidates" if len(cands) > 1 else f"{cands[0][0]}() is as like another helper that went too"
            why += f"; {old}() itself is now another helper" if old in broken else ""
            undecided.append(Undecided(old, tuple(cands), shown, why))
            continue
        new, score = pairs[old]
        callers, stuck = _left_calling(before, after, old, new, together)
        if stuck and old not in broken:
            why = f"{', '.join(f'{c}()' for c in stuck)} still call{'s' if len(stuck) == 1 else ''} {old}() or " \
                  f"not {new}()"
            undecided.append(Undecided(old, ((new, score),), shown, why))
            continue
        found.append(Rename(old, new, score, olds[old].where, news[new].where, shown, callers,
                            old in broken and old not in wrapped, old in wrapped))
    return Renames(tuple(found), tuple(undecided))


def _table(v: Variant) -> Table:
    return definitions(variant_sources(v))


table_of = _table  # the definitions of a variant's code, for callers outside (harness.valuechanges)


def rewritten_helpers(files: Iterable[PatchedFile], states: tuple[Variant, Variant], tables: tuple[Table, Table]
                      ) -> list[str]:
    """The helpers a diff (a patch's files) keeps the name of but rewrites: defined on both sides, in a file the
    diff touches that is known whole on both sides (a slice of a file known from hunks proves nothing), their C
    tokens less than THRESHOLD per cent the same (git diff -B's break score, at -M's threshold)."""
    touched = {p for f in files for p in (f.target_path or f.path, f.path)}
    olds, news = (_helpers(t, (n for n in t if n in tables[1 - i])) for i, t in enumerate(tables))
    return sorted(n for n, d in olds.items() if n in news and d.path in touched and _whole(states[0], d.path)
                  and _whole(states[1], news[n].path) and d.text != news[n].text
                  and similarity(d.text, news[n].text, {}) < THRESHOLD)


def _whole(v: Variant, path: str) -> bool:
    """Whether the variant holds the file at ``path`` whole and usable: looked up (Variant.file), for the few paths
    asked, not every file of the state read for each patch (n*n steps for a series of n patches)."""
    f = v.file(path)
    return f is not None and f.complete and f.usable


def patch_renames(patch: Patch, before: Variant, after: Variant, broken: bool = False) -> Renames:
    """What a patch renames, from the states before and after it: among the names whose definition its hunks
    remove, and those whose definition they add (harness.moves.defined_by), so that a definition merely out
    of sight in a file known from hunks is never taken for one that went. ``broken``: helpers the patch
    rewrites under their own name count too (``rewritten_helpers``), as rules that follow a name need."""
    return by_identity("patch", (patch, before, after), (broken,), lambda: diff_renames(
        patch.files, (before, after), f"in v{patch.mail.subject.version} {patch.label}", broken))


def split_renames(patch: Patch, states: tuple[Variant, Variant], earlier: Iterable[Patch]) -> tuple[Rename, ...]:
    """A rename split in two patches: an earlier patch of the revision (``earlier``) added the helper under its new
    name, and this one removes the old one (defined nowhere after it) while its added lines name the new one, or
    include the header that defines it (its callers switched), the two bodies at least THRESHOLD the same, one
    candidate best: the old body's callers now run the new body, as across a rename made in one patch."""
    stopped = defined_in(patch.files)[1]
    if not stopped:  # nothing removed: the earlier patches are not read (once per patch: n*n/2 reads)
        return ()
    added = set().union(*(defined_in(q.files)[0] for q in earlier))
    if not added:
        return ()
    before, after = _table(states[0]), _table(states[1])
    said = {w for f in patch.files for h in f.hunks for ln in h.lines if ln.kind is LineKind.ADDED
            for w in re.findall(r"\w+", ln.text)} | included_names(patch.files, after)
    olds = _helpers(before, [n for n in stopped if n not in after])
    news = _helpers(after, [n for n in added if n in before and n in said and n not in stopped])
    found: list[Rename] = []
    together: dict[str, str] = {}
    for _ in range(2):  # helpers renamed together: a caller that went is looked for under its new name
        found = [r for o in sorted(olds.items()) if (r := _split_one(patch, (before, after), o, news, together))]
        if {r.old: r.new for r in found} == together:
            break
        together = {r.old: r.new for r in found}
    return tuple(found)


def _split_one(patch: Patch, tables: tuple[Table, Table], old: tuple[str, Definition], news: dict[str, Definition],
               together: Mapping[str, str]) -> Rename | None:
    """split_renames of one old helper: its one best new candidate, if its callers switched (each that called it
    and is still defined names or reaches the new one, harness.splitreach, and not the old)."""
    (before, after), (name, d) = tables, old
    good = []
    for n in news:
        score = similarity(d.text, news[n].text, {name: n})
        if score < THRESHOLD:
            continue
        moved, stuck = _left_calling(before, after, name, n, together)
        through = tuple(c for c in stuck if reaches(after, c, n) and not reaches(after, c, name, 1))
        if (moved or through) and len(through) == len(stuck):
            good.append((score, n, moved + through))
    good.sort(reverse=True)
    if not good or (len(good) > 1 and good[0][0] == good[1][0]):
        return None
    score, new, moved = good[0]
    return Rename(name, new, score, d.where, news[new].where,
                  f"in v{patch.mail.subject.version} {patch.label} (an earlier patch added {new}())", moved)


def diff_renames(files: tuple[PatchedFile, ...], states: tuple[Variant, Variant], shown: str, broken: bool = False
                 ) -> Renames:
    """patch_renames of any diff between two states: a patch's files, or what a reviewer variant applies on its
    start (``shown`` says where: "in v5 03/26", "in hansen-if-else (proposal of ...)")."""
    came, gone = defined_in(files)
    # A definition the diff edits may be an old name kept as a wrapper of a new one (find_renames' _wrappers).
    tables = (_table(states[0]), _table(states[1])) if broken or (came and (gone or _edits(files))) else None
    rewritten = rewritten_helpers(files, states, tables) if broken and tables is not None else []
    if tables is None or not (came or rewritten):
        return Renames()
    touched = {p for f in files for p in (f.target_path or f.path, f.path)}
    found = find_renames(*tables, shown, gone, came, rewritten, touched)
    return found + _unseen_renames(tables, gone, came, found, shown)


def _unseen_renames(tables: tuple[Table, Table], gone: Iterable[str], came: Iterable[str], found: Renames,
                    shown: str) -> Renames:
    """A definition whose first line the hunks remove while they add one under another name, either of them known
    only in part (mail alone: the lines between two hunks unseen), is not followed: whether it is a rename cannot be
    told, so it is never taken for none (a moves rule was n/a, the gate READY, on 'sc_retry() become
    seamcall_retry()' whose hunks showed its head and tail but not its loop)."""
    said = {r.old for r in found.found} | {u.old for u in found.undecided}
    taken = {r.new for r in found.found}
    olds, news = _helpers(tables[0], gone), _helpers(tables[1], came)
    out = []
    for old in sorted(n for n in gone if n not in said and n not in tables[1]):
        cands = tuple((n, None) for n in sorted(came) if n not in taken and n not in tables[0]
                      and (old not in olds or n not in news))
        if cands:
            part = [f"{n}()" for n in (old, *(c for c, _ in cands)) if n not in olds and n not in news]
            out.append(Undecided(old, cands, shown, f"{', '.join(part)} known only in part from the hunks: "
                                                    "give --tree"))
    return Renames((), tuple(out))


def _edits(files: Iterable[PatchedFile]) -> bool:
    """Whether a diff removes a line of C (an edited definition may be among them)."""
    return any(ln.kind is LineKind.REMOVED for f in files if f.path.endswith((".c", ".h")) for h in f.hunks
               for ln in h.lines)


def proposal_renames(start: Variant, v: Variant, broken: bool = False) -> Renames:
    """What a reviewer variant's own diffs (Variant.proposed: its patch files and its reply's proposal, taken
    together as one change) rename, from its start state to it. Patches it drops are not such a change: their
    reversal shows no rename."""
    if not v.proposed:
        return Renames()
    files = tuple(f for _, fs in v.proposed for f in fs)
    origins = "; ".join(origin for origin, _ in v.proposed)
    return diff_renames(files, (start, v), f"in {v.name} ({origins})", broken)


def posted_definitions(rev: Revision) -> Table:
    """The definitions a revision's patches show whole on their new side, the latest patch's first (shared)."""
    return _posted(rev)


def _posted(rev: Revision) -> dict[str, list[Definition]]:
    """The definitions a revision's patches show whole on their new side (each hunk's context and added lines),
    the latest patch's first: what the revision had, read from its mail alone (do not change the dict: shared)."""
    return by_identity("posted", (rev,), (), lambda: _posted_table(rev))


def _posted_table(rev: Revision) -> dict[str, list[Definition]]:
    table: dict[str, list[Definition]] = {}
    for p in rev.patches:
        for f in p.files:
            if not f.path.endswith((".c", ".h")):
                continue
            for h in f.hunks:
                lines = tuple(ln.text for ln in h.lines if ln.kind is not LineKind.REMOVED)
                for d in sliced(f.target_path or f.path, h.target_start, lines):
                    table.setdefault(d.name, []).insert(0, d)
    return table


def revision_renames(series: Series, after: Variant) -> Renames:
    """What a revision renames against the revision before it in the series: helpers the earlier one's patches
    show whole that the variant (a state of the later one) neither defines nor names anywhere, paired with the
    helpers the later one's patches define that the earlier one's do not; each rename names the patch that
    defines the new name ("between v4 and v5 (v5 03/26 defines seamcall_retry())")."""
    return by_identity("revision", (series, after), (), lambda: _revision_renames(series, after))


def _revision_renames(series: Series, after: Variant) -> Renames:
    versions = [r.version for r in series.revisions]
    rev = series.revision(after.revision) if after.revision is not None else None
    if rev is None or versions.index(rev.version) == 0:
        return Renames()
    prior = series.revisions[versions.index(rev.version) - 1]
    tb, ta = _posted(prior), _table(after)
    by = by_identity("defined-by", (rev,), (), lambda: {n: p.label for p in rev.patches for n in defined_by(p)[0]})
    came = [n for n in by if n in ta and n not in tb]
    if not came:  # told first: named_anywhere reads the variant's every file
        return Renames()
    gone = [n for n in tb if n not in ta and not named_anywhere(after, n)]
    # Even with no name gone, one may stay as a wrapper of a new helper its callers moved to (_wrappers).
    found = find_renames(tb, ta, f"between v{prior.version} and v{rev.version}", gone, came)
    return Renames(tuple(replace(r, shown=f"{r.shown} (v{rev.version} {by[r.new]} defines {r.new}())")
                         for r in found.found), found.undecided)

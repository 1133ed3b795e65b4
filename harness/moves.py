"""What a patch does to definitions, read from its hunks: the functions and macros it adds, removes and moves."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from harness.diffmodel import Hunk, LineKind, PatchedFile
from harness.memo import by_identity
from harness.model import Patch, Series
from models.cdirectives import defines

_FUNC_HEAD = re.compile(r"^(?:static\s+|inline\s+|__always_inline\s+|noinstr\s+|const\s+)*[A-Za-z_][\w\s\*]*?\b"
                        r"([A-Za-z_]\w*)\s*\([^;]*$")


def _heads(lines: Sequence[str]) -> dict[str, str]:
    """Name -> the line that starts its definition (a #define or a function head), among these lines."""
    out: dict[str, str] = {}
    for name, head in _head_lines(lines).values():
        out.setdefault(name, head)
    return out


def _head_lines(lines: Sequence[str]) -> dict[int, tuple[str, str]]:
    """The index of each line of a run that starts a definition -> (its name, the line stripped): a ``#define`` read
    as gcc reads it (models.cdirectives: '  #  define X', '%:define X', '# /* c */ define X', '#def\\' then 'ine X'),
    or a function head on a line no directive holds (one in a macro's body is none)."""
    names, held = defines(lines)
    out: dict[int, tuple[str, str]] = {}
    for i, ln in enumerate(lines):
        name = names.get(i) if i in held else m.group(1) if ln[:1].isalpha() and not ln.rstrip().endswith(";") and \
            (m := _FUNC_HEAD.match(ln)) is not None else None
        if name is not None and name not in _NOT_NAMES:
            out[i] = (name, ln.strip())
    return out


_NOT_NAMES = frozenset({"if", "while", "for", "switch", "return", "sizeof"})


def _side_heads(h: Hunk, kind: LineKind) -> dict[str, str]:
    """_heads of the hunk's lines of ``kind`` (removed or added), leaving out the first line of a prototype whose
    parameters run on to a ';' below it: read on that side's image of the hunk, its context lines too (the lines
    that follow in the file)."""
    image = [ln for ln in h.lines if ln.kind is kind or ln.kind is LineKind.CONTEXT]
    texts = [ln.text for ln in image]
    out: dict[str, str] = {}
    for i, (name, head) in _head_lines(texts).items():
        if image[i].kind is kind and not (_FUNC_HEAD.match(texts[i]) and _prototype(texts, i)):
            out.setdefault(name, head)
    return out


def _prototype(lines: list[str], start: int) -> bool:
    """Whether the function head at ``lines[start]`` is a declaration whose parameters run on over the next lines
    to a ';' (``int f(u64 fn,`` then ``u64 err);``): what a helper moved out of line leaves in its header or file,
    no definition of it (taken for one, the move read as an edit of it in place, and went unjudged). Unknown (the
    lines end first): a head, as before."""
    depth, closed = 0, False
    for ln in lines[start : start + 64]:
        if not closed:
            for i, ch in enumerate(ln):
                depth += (ch == "(") - (ch == ")")
                if ch == ")" and depth == 0:
                    closed, ln = True, ln[i + 1 :]
                    break
            if not closed:
                continue
        brace, semi = ln.find("{"), ln.find(";")
        if semi >= 0 and (brace < 0 or semi < brace):
            return True
        if brace >= 0:
            return False
    return False


# name -> {file: the lines of its definitions there}: every file a diff's side defines a name in, since one name
# often has several (a header's stub and a .c file's body, a static inline and its #else stub).
Defs = dict[str, dict[str, frozenset[str]]]


def _definitions(files: Iterable[PatchedFile]) -> tuple[Defs, Defs]:
    """Functions and macros whose definition lines a diff's files remove, and add: name -> {file: lines}. Read
    once per files (rehomed reads every earlier patch's for each patch)."""
    if type(files) is tuple:
        # Keyed by the files themselves: the judge hands a revision's patches' files in tuples made again (the corpus'
        # eval: 11 of 33 tuples held the very files of one read before).
        return by_identity("definitions", files, (), lambda: _read_definitions(files))
    return _read_definitions(files)


def _read_definitions(files: Iterable[PatchedFile]) -> tuple[Defs, Defs]:
    removed: dict[str, dict[str, set[str]]] = {}
    added: dict[str, dict[str, set[str]]] = {}
    for f in files:
        if not f.path.endswith((".c", ".h")):
            continue
        for h in f.hunks:
            for kind, table, path in ((LineKind.REMOVED, removed, f.source_path or f.path),
                                      (LineKind.ADDED, added, f.target_path or f.path)):
                for name, lines in _side_bodies(h, kind).items():
                    table.setdefault(name, {}).setdefault(path, set()).update(lines)
    return ({n: {p: frozenset(ls) for p, ls in by.items()} for n, by in removed.items()},
            {n: {p: frozenset(ls) for p, ls in by.items()} for n, by in added.items()})


def _side_bodies(h: Hunk, kind: LineKind) -> dict[str, set[str]]:
    """The names a hunk's side defines (_side_heads), each with its lines on that side from each first line of it
    up to the next definition's (or a prototype's) first line or the hunk's end, stripped, blank lines aside."""
    image = [ln for ln in h.lines if ln.kind is kind or ln.kind is LineKind.CONTEXT]
    texts = [ln.text for ln in image]
    out: dict[str, set[str]] = {}
    current: set[str] | None = None
    heads = _head_lines(texts)
    for i, (t, ln) in enumerate(zip(texts, image, strict=True)):
        if ln.kind is not kind:
            continue
        if i in heads:  # a prototype's first line (_side_heads leaves it out) ends the definition above, starts none
            current = None if _FUNC_HEAD.match(t) and _prototype(texts, i) else out.setdefault(heads[i][0], set())
        if current is not None and t.strip():
            current.add(t.strip())
    return out


def _pair(gone: dict[str, frozenset[str]], came: dict[str, frozenset[str]]) -> tuple[str, str]:
    """Of the files a name's definitions left (``gone``) and came to (``came``), the pair whose lines match best
    (most lines in common; then the same file, an edit in place, before another; then by path): an answer that
    does not hang on the order git lists the files in."""
    return max(((a, b) for a in gone for b in came),
               key=lambda ab: (len(gone[ab[0]] & came[ab[1]]), ab[0] == ab[1], _desc(ab[0]), _desc(ab[1])))


def _desc(path: str) -> tuple[int, ...]:
    """A key that sorts paths backwards (max() then picks the first by path)."""
    return tuple(-ord(c) for c in path)


def defined_by(patch: Patch) -> tuple[set[str], set[str]]:
    """(names a patch defines, names it stops defining), moves left out: what it adds to or removes from C."""
    return defined_in(patch.files)


def defined_in(files: Iterable[PatchedFile]) -> tuple[set[str], set[str]]:
    """defined_by of a diff's files (a reviewer's proposal, a patch file of the manifest). Worked out once per
    files: the judge asks it of a revision's patches for every variant that applies them (541 times, of
    23 patches, in the corpus' eval); the sets are then shared, and never changed by the callers."""
    if type(files) is tuple:
        return by_identity("defined-in", files, (), lambda: _defined_in(files))  # by the files, as _definitions
    return _defined_in(files)


def _defined_in(files: Iterable[PatchedFile]) -> tuple[set[str], set[str]]:
    removed, added = _definitions(files)
    return set(added) - set(removed), set(removed) - set(added)


def moved_definitions(patch: Patch) -> dict[str, tuple[str, str]]:
    """Functions and macros a patch removes in one place and adds (same name) in another: another file,
    or the same file with the same first line and the lines of its body (a definition whose first line changes
    in place, such as a macro now calling a renamed helper, is edited, not moved; so is one whose first line
    git shows removed and added again around a helper inserted above it, its body rewritten where it stood)."""
    removed, added = _definitions(patch.files)
    pairs = {n: _pair(removed[n], added[n]) for n in removed.keys() & added.keys()}
    same_file = {n for n, (a, b) in pairs.items() if a == b}
    kept = _kept_heads(patch, same_file)
    return {n: pair for n, pair in pairs.items() if n not in same_file or n in kept}


def _kept_heads(patch: Patch, names: set[str]) -> set[str]:
    """Of these names, those whose definition a patch cuts and pastes in its file: its first line removed and
    added unchanged, and at least half of the body lines it removes (those after the first line, up to the next
    definition's) added again, as git diff --color-moved finds moved lines. A body the patch leaves where it
    was, or removes for new lines, did not move."""
    if not names:
        return set()
    gone: dict[str, set[str]] = {}
    new: dict[str, set[str]] = {}
    moved: set[str] = set()
    for f in patch.files:
        for h in f.hunks:
            for kind, table in ((LineKind.REMOVED, gone), (LineKind.ADDED, new)):
                for name, head in _side_heads(h, kind).items():
                    table.setdefault(name, set()).add(head)
        minus = [ln.text for h in f.hunks for ln in h.lines if ln.kind is LineKind.REMOVED]
        moved |= {n for n in names if _body_moved(minus, _pasted_body(f, n), n)}
    return {n for n in names if gone.get(n, set()) & new.get(n, set()) and n in moved}


def _pasted_body(f: PatchedFile, name: str) -> set[str]:
    """The lines of ``name``'s definition as a file's hunks add it: on the new side (added and context lines), from
    its added first line up to the next definition's. Only these show its body pasted: its old lines added as the
    body of a helper split off from it (sc_retry()'s loop become __sc_retry()'s, sc_retry() calling it) are no
    move of sc_retry(), which was rewritten where it stood."""
    out: set[str] = set()
    inside = False
    for h in f.hunks:
        image = [x for x in h.lines if x.kind is not LineKind.REMOVED]
        heads = _head_lines([x.text for x in image])
        for i, ln in enumerate(image):
            if i in heads:
                inside = ln.kind is LineKind.ADDED and heads[i][0] == name
            elif inside and ln.text.strip():
                out.add(ln.text.strip())
    return out


def _body_moved(minus: list[str], plus: set[str], name: str) -> bool:
    """Whether the body lines a file's hunks remove after ``name``'s first line come back among its added lines
    (half of them at least, blank lines aside); a definition of one line (a one-line macro) is its first line."""
    heads = [i for i, ln in enumerate(minus) if _heads([ln]).get(name) is not None]
    if not heads:
        return False
    start = heads[0]
    if minus[start].lstrip().startswith(("#", "%:")) and not minus[start].rstrip().endswith("\\"):
        return True
    body: list[str] = []
    for ln in minus[start + 1:]:
        if _heads([ln]):
            break
        if ln.strip():
            body.append(ln.strip())
    return bool(body) and 2 * sum(ln in plus for ln in body) >= len(body)


def renamed_sources(patch: Patch) -> dict[str, str]:
    """C files the patch renames (``rename from`` / ``rename to``): old path -> new path. Every definition in
    such a file moves with it, though the hunks show none of them (harness.reach.moved_by reads them)."""
    return {f.source_path: f.target_path for f in patch.files
            if f.is_rename and f.source_path and f.target_path and f.target_path.endswith((".c", ".h"))}


def earlier_in(series: Series, patch: Patch) -> tuple[Patch, ...]:
    """The patches of ``patch``'s revision numbered before it, in order (those the input has)."""
    rev = series.revision(patch.mail.subject.version)
    return rev.between(-1, patch.number - 1) if rev is not None else ()


def rehomed(patch: Patch, earlier: Iterable[Patch]) -> dict[str, tuple[str, str]]:
    """The second half of a move split in two patches, name -> (from, to): functions and macros a patch removes
    from one file and defines nowhere, which an earlier patch of its revision (``earlier``, in order) added to
    another and none removed since, where the removed one's users can get it: in a header, or a function of a .c
    file that is not static (a .c file's macro or static function, its own pr_fmt, is no copy of another's). Its
    callers now get that copy, as a move's get the moved code: the first patch only added code nothing used, so
    the move is judged across this one."""
    removed, added = _definitions(patch.files)
    gone = {name: paths for name, paths in removed.items() if name not in added}
    if not gone:  # nothing to have a copy of: the earlier patches are not read (once per patch: n*n/2 reads)
        return {}
    copies: dict[str, dict[str, frozenset[str]]] = {}
    for q in earlier:
        taken, put = _definitions(q.files)
        copies = {name: {p: ls for p, ls in paths.items() if p not in taken.get(name, {}) or p in put.get(name, {})}
                  for name, paths in copies.items()}
        shared = _shared(q)
        for name, paths in put.items():
            if name in gone:
                copies.setdefault(name, {}).update({p: ls for p, ls in paths.items() if p not in gone[name]
                                                    and (p.endswith(".h") or name in shared)})
    return {name: _pair(gone[name], paths) for name, paths in copies.items() if paths}


def _shared(patch: Patch) -> set[str]:
    """The functions a patch's hunks add to a .c file that other files can call: their first line not static."""
    return {name for f in patch.files if f.path.endswith(".c") for h in f.hunks
            for name, head in _side_heads(h, LineKind.ADDED).items()
            if not head.startswith(("#", "%:", "static"))}

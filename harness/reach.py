"""What a patch changes that no comparison covers: code no entry point reaches, or none that ran reaches."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from functools import partial

from harness.commentstate import comment_starts
from harness.comparison import NO_WHOLE, SEEN_CALL, UNSEEN_CALLERS, UNUSABLE_END, Place, Reach
from harness.defreach import DATA_KINDS, covered, enumerators_on, is_code, unreached_users
from harness.diffmodel import LineKind
from harness.findings import hunk_offsets
from harness.matrixresult import MatrixResult
from harness.memo import by_identity
from harness.model import Patch, number_ranges
from harness.moves import moved_definitions, rehomed, renamed_sources
from harness.runner import variant_sources
from harness.spans import LineSpans
from harness.variants import NO_TREE, Variant
from models.closure import closure
from models.lazyre import POUND
from models.loader import definitions, sliced
from models.slicer import Definition, Kind
from reports.safe import counted

# Lines that make no code: comments, directives (but #define), lone braces, and prototypes ("u64
# __seamcall(u64 fn, ...);": a type before the name; a file-scope call such as module_init(f); is code, and
# so is a statement that starts with a keyword: "return f(x);", "else g(y);" are no prototypes).
_COMMENT = re.compile(r"^\s*(?:$|//|/\*|\*|#(?!\s*define\b)|[{}]\s*;?\s*$"
                      r"|(?!(?:return|else|case|default|goto|do|if|while|for|switch|sizeof)\b)"
                      r"(?:extern\s+)?[A-Za-z_][\w\s\*]*[\s\*][A-Za-z_]\w*\s*\([^(){};]*\)\s*;\s*$)")


_PR_FMT = re.compile(rf"^\s*{POUND}\s*define\s+pr_fmt\b")
_Span = tuple[str, int, int, str, Callable[[], bool]]  # path, first and last line, name, whether covered


def _file_ran(result: MatrixResult, v: Variant, path: str) -> bool:
    """Whether a statement of the file ran in some run of the variant."""
    return any(where.startswith(f"{path}:") for where in result.coverage(v.name).ran)


def unreached_changes(patch: Patch, states: tuple[Variant, Variant], result: MatrixResult, limit: int = 6,
                      ran: Iterable[str] | None = None) -> tuple[str, ...]:
    """C lines the patch changes outside everything the matrix's entry points reach (a helper nothing calls,
    code a file-scope macro generates): no comparison covers them, so "no behaviour change" must not. Comment
    and blank lines are left out; each place once, the definition holding it named. With ``ran`` (the entry
    points that ran on both sides), what those reach instead: code whose every scenario could not run. A file
    the patch did not change in the second state (a hunk git apply refuses there) is left out: its lines are
    changed nowhere (the comparison says the patch does not apply). A hunk git apply placed at an offset (a
    newer tree, a patch before it missing) is read where it was placed, not at its header's lines."""
    return unreached_lines(_patch_lines(patch, states[1]), states, result, limit, ran)


def unreached_change_places(patch: Patch, states: tuple[Variant, Variant], result: MatrixResult
                            ) -> tuple[Place, ...]:
    """unreached_changes' places (every one, no entry point that ran asked apart): what eval's finding of the patch
    names under "not compared", for a rule to point at the same line."""
    return unreached_places(_patch_lines(patch, states[1]), states, result)


def _patch_lines(patch: Patch, after: Variant) -> list[tuple[int, str, int | None, str]]:
    """The C lines a patch changes as unreached_places reads them, where git apply placed them in ``after``."""
    refused = {f.path for f in after.base_problems if f.where.msgid == patch.mail.msgid}
    offsets = hunk_offsets(patch.mail.msgid, after)
    return [(1, f.path, _moved(ln.target_no, off), ln.text) if ln.kind is LineKind.ADDED else
            (0, f.source_path or f.path, _moved(ln.source_no, off), ln.text)
            for f in patch.files if f.path.endswith((".c", ".h")) and f.path not in refused
            for h in f.hunks for off in (offsets.get((f.path, h.header), 0),)
            for ln in h.lines if ln.kind is not LineKind.CONTEXT]


def unreached_lines(lines: Iterable[tuple[int, str, int | None, str]], states: tuple[Variant, Variant],
                    result: MatrixResult, limit: int = 6, ran: Iterable[str] | None = None, *, both: bool = False,
                    renamed: Collection[str] = ()) -> tuple[str, ...]:
    """unreached_places' texts, the first ``limit`` and how many more."""
    places = [p.text for p in unreached_places(lines, states, result, ran, both=both, renamed=renamed)]
    return tuple(places[:limit] + ([counted(len(places) - limit, "more place")] if len(places) > limit else []))


def _unusable(v: Variant, path: str) -> bool:
    """Whether the file is in the state but not usable there (a hunk git apply refused: what it holds is not known)."""
    state = v.file(path)
    return state is not None and not state.usable


def _declares_reached(v: Variant, path: str, number: int, table: dict[str, list[Definition]], reached: set[int]
                      ) -> bool:
    """Whether the line is in a prototype (which the definition table leaves out) of a function the entry points
    reach whose return type, name and parameters are its definition's, token for token (``extern`` aside): what a
    helper moved out of line leaves behind declares the code that ran; one that differs (``u32 fn`` for ``u64 fn``)
    converts its callers' arguments otherwise, which no run of the definition shows."""
    for src in variant_sources(v):
        if src.path != path:
            continue
        for start, piece in src.pieces:
            for d in sliced(path, start, piece):
                if d.kind is Kind.PROTOTYPE and d.line <= number <= d.line + d.text.count("\n"):
                    ran = [x for x in table.get(d.name, []) if x.kind is Kind.FUNCTION and id(x) in reached]
                    return any(_signature(x.text) == _signature(d.text) for x in ran)
    return False


_TOKEN = re.compile(r"\w+|[^\s\w]")


def _signature(text: str) -> list[str]:
    """A function's or prototype's tokens up to its parameter list's closing parenthesis, ``extern`` left out."""
    out, depth = [], 0
    for tok in _TOKEN.findall(text):
        if tok != "extern":
            out.append(tok)
        depth += (tok == "(") - (tok == ")")
        if tok == ")" and depth == 0:
            break
    return out


def _moved(number: int | None, offset: int) -> int | None:
    return None if number is None else number + offset


def unreached_places(lines: Iterable[tuple[int, str, int | None, str]], states: tuple[Variant, Variant],
                     result: MatrixResult, ran: Iterable[str] | None = None, *, both: bool = False,
                     renamed: Collection[str] = ()) -> tuple[Place, ...]:
    """unreached_changes of changed lines given as (side: 0 the first state's, 1 the second's, path, line
    number there, text): a patch's hunks, or the lines two variants differ by (a reviewer variant and the
    state it is compared with, however it was built). With ``both``, only the lines of a definition both states
    hold, changed (_changed_on_both): code one side adds or removes, or a line outside every definition, is left
    out, and so is a helper in ``renamed`` (the old name of a rename followed: its code runs under the new one, the
    old name kept as a wrapper of it nothing calls)."""
    names = list(ran) if ran is not None else [e.name for e in result.matrix.entries]
    tables, spans, partial_files, unincluded, reached_ids = _sides(states, names)
    out: dict[str, Place | _Held | _Loose] = {}
    calls: list[dict[str, str] | None] = [None, None]
    both_sides: dict[tuple[int, str], bool] = {}  # the lines of one definition ask alike: its tokens made once
    changed_on_both = partial(_changed_on_both, kept=both_sides)
    said: dict[tuple[int, str, str], tuple[str | None, str, Reach]] = {}  # by what decides it: side, owner, file
    held: list[_Through] = [_Through(), _Through()]  # per side, the last lines asked of one definition
    for side, path, number, text in lines:
        if isinstance(out.get(path), Place) and (_unusable(states[side], path) or path in unincluded[side]):
            continue  # the file's one place is said: each of a 200,000-line header's lines asked again (13 s profiled)
        holders = _uncovered((path, number, text), states[side], result, spans[side], tables[side], held[side])
        if holders is None:
            continue
        if both and (not changed_on_both(holders, tables, side) or holders[0][3] in renamed):
            continue
        if _unusable(states[side], path):  # a hunk git apply refused, here or before: none of its definitions is read
            out.setdefault(path, Place(f"{path}:{number} (in a file not usable in {states[side].name}{UNUSABLE_END}",
                                       f"{path}:{number}", path, Reach.UNUSABLE))
            continue
        if not holders and number is not None and _declares_reached(states[side], path, number, tables[side],
                                                                   reached_ids[side]):
            continue  # a prototype of a function the entry points run, spelt as its definition: it declares what ran
        if path in unincluded[side]:  # its definitions stand for nothing a unit compiles
            out.setdefault(path, Place(f"{path} (a header no file includes: no translation unit compiles it)", path,
                                       path, Reach.NONE))
            continue
        hunks_only = path in partial_files[side]
        ask = (side, holders[0][3] if holders else "", path)
        if not holders or ask not in said:  # each line of one definition is said alike (but outside every one)
            said[ask] = _said(holders, side, path, (tables, reached_ids, partial_files, states), result,
                              partial(_seen_call_of, calls, side, states[side], spans[side]))
        _hold(out, (side, path, number), said[ask], hunks_only)
    return tuple(h if isinstance(h, Place) else h.place(states) for h in out.values())


def _said(holders: list[_Span], side: int, path: str, sides: tuple[list[dict[str, list[Definition]]], list[set[int]],
          list[set[str]], tuple[Variant, Variant]], result: MatrixResult, seen_call: Callable[[str], str]
          ) -> tuple[str | None, str, Reach]:
    """What an unreached changed line of ``path`` on ``side`` is said under (_owner_and_why), why, and how far it is
    known (``sides``: per side the definitions, those the entry points reach, the files known from hunks alone; the
    states)."""
    tables, reached_ids, partial_files, states = sides
    owner, why, seen = _owner_and_why(holders, tables[side], reached_ids[side], result, seen_call)
    hunks_only = path in partial_files[side]
    known = Reach.SEEN_CALL if seen else Reach.NOT_WHOLE if owner is None and hunks_only else Reach.NONE
    if known is Reach.NONE and owner is not None and states[side].base == NO_TREE \
            and _unseen_callers(holders[0][3], hunks_only, tables, partial_files, states):
        why, known = f"{why}; {UNSEEN_CALLERS}", Reach.UNSEEN
    return owner, why, known


def _unseen_callers(name: str, hunks_only: bool, tables: list[dict[str, list[Definition]]],
                    partial: list[set[str]], states: tuple[Variant, Variant]) -> bool:
    """From mail alone, whether code the mail does not show may call ``name``: its file is known only from hunks
    (lines no hunk shows), either side defines it in such a file (a name the tree had before the patch, moved from
    there: the tree's other files may still call it), or in a header such a file includes (its lines no hunk shows
    may call what the header defines). A name only files known whole define and include is new to the tree: every
    caller of it is in the mail (comparison.UNSEEN_CALLERS)."""
    if hunks_only:
        return True
    seen = [partial[side] | _included_by(states[side], partial[side]) for side in (0, 1)]
    return any(d.path in seen[side] for side in (0, 1) for d in tables[side].get(name, []))


def _included_by(v: Variant, partial: set[str]) -> set[str]:
    """The files that ``v``'s files known only from hunks include with ``#include "..."``, in the lines read."""
    from harness.statefiles import local_includes  # statefiles reads linking, which this module's callers load

    return {path for f in v.files if f.path in partial for _, path, _ in local_includes(f)}


def _stored_through(state: Variant, path: str, number: int | None, text: str) -> bool:
    """Whether a changed line starting with ``*`` is code (``*v = 3;``, a store through a pointer), not a block
    comment's: the file as ``state`` holds it says whether the line starts inside one (unknown: a comment's)."""
    f = state.file(path) if number is not None and _STAR.match(text) else None
    if f is None or number is None:
        return False
    # Each fragment's comment state read once per file: a tuple of its lines made and hashed per line asked was
    # quadratic in a block comment of a patch (each of its ' * ' lines asks).
    read = by_identity("comment starts", (f,), (), lambda: [(fr.start, tuple(comment_starts(tuple(fr.lines))))
                                                           for fr in f.fragments()])
    # commentstate.in_comment's answer (None where no fragment holds the line: not code)
    return next((inside[number - start] is False for start, inside in read if start <= number < start + len(inside)),
                False)


_STAR = re.compile(r"^\s*\*(?!/)")


@dataclass
class _Through:
    """What _uncovered found for lines ``first..last`` of ``path``, which the same definitions hold (none an enum's,
    whose lines each define their own enumerators): a line among them is answered alike."""

    path: str = ""
    first: int = 0
    last: int = -1
    answer: list[_Span] | None = None


def _uncovered(line: tuple[str, int | None, str], state: Variant, result: MatrixResult, spans: LineSpans[_Span],
               table: dict[str, list[Definition]], held: _Through) -> list[_Span] | None:
    """The definitions holding a changed line (``path, number, text``) that no entry point reaches (none: outside
    every definition); None where the comparison covers the line: a comment, a pr_fmt every print of a run of its
    file shows, code an entry point reaches. ``held``: the answer of the lines before, kept for those after."""
    path, number, text = line
    if _COMMENT.match(text) and not _stored_through(state, path, number, text):
        return None
    if _PR_FMT.match(text) and _file_ran(result, state, path):
        return None  # every pr_*() of the file prints it: the log lines of the runs compared it
    if number is None:
        return _covering(_own([], table, number))
    if held.path == path and held.first <= number <= held.last:
        return held.answer
    found, last = spans.holding_through(path, number)
    answer = _covering(_own(found, table, number))
    if len(found) < 2:  # _own keeps them as they are, whatever the line
        held.path, held.first, held.last, held.answer = path, number, last, answer
    return answer


def _covering(holders: list[_Span]) -> list[_Span] | None:
    """Of ``holders``, those no entry point reaches (of an enum's, its enumerators); None when an entry point reaches
    them all: the comparison covers the line."""
    uncovered = [x for x in holders if not x[4]()]
    if holders and not uncovered:
        return None  # inside code an entry point reaches: the comparison covers it
    return uncovered


def _owner_and_why(holders: list[_Span], table: dict[str, list[Definition]], reached: set[int],
                   result: MatrixResult, seen_call: Callable[[str], str]) -> tuple[str | None, str, bool]:
    """What an unreached changed line is said under (``name()``, a data definition's bare name; None outside every
    definition), why no entry point reaches it, and whether that is a call seen in lines of no definition."""
    if not holders:
        return None, "", False
    name = holders[0][3]
    plain = _data(table, name)
    owner = name if plain is not None else f"{name}()"
    why = _used_by(unreached_users(plain, table, reached)) if plain is not None else _unrunnable(table, name, result)
    if why:
        return owner, why, False
    why = seen_call(name)
    return owner, why, bool(why)


def _seen_call_of(calls: list[dict[str, str] | None], side: int, state: Variant, spans: LineSpans[_Span],
                  name: str) -> str:
    """_seen_call of ``name`` on ``side``, its lines of no definition read once per side (kept in ``calls``)."""
    if calls[side] is None:
        calls[side] = _loose_lines(state, spans)
    return _seen_call(name, calls[side] or {})


def _hold(out: dict[str, Place | _Held | _Loose], at: tuple[int, str, int | None], said: tuple[str | None, str, Reach],
          hunks_only: bool) -> None:
    """The unreached changed line at ``at`` (side, path, number) kept in ``out`` under its owner (``said``: owner,
    why, reach), the first line of each side; outside every definition, under its own place."""
    side, path, number = at
    owner, why, known = said
    if owner is None:
        # Outside every definition: file scope only where the whole file is known; in hunks alone the line may be
        # inside a function they show only in part. A file's such lines are one place ('tdx.c:1435, 1437, 1439'),
        # as a definition's are: a line each made a hunk's three lines three places to read. A line changed in place
        # has one number on both sides: said once (kept per side, 'tdx.c:53' was said twice alike).
        where = f"({NO_WHOLE})" if hunks_only else "(file scope)"
        loose = out.setdefault(f"{path}\0loose", _Loose(path, where, known, []))
        if isinstance(loose, _Loose) and number is not None and number not in loose.numbers:
            loose.numbers.append(number)
        return
    held = out.setdefault(owner, _Held(owner, {}, why, known))
    if isinstance(held, _Held):
        held.at.setdefault(side, f"{path}:{number}")


def _sides(states: tuple[Variant, Variant], names: list[str]) -> tuple[
        list[dict[str, list[Definition]]], list[LineSpans[_Span]], list[set[str]], list[set[str]], list[set[int]]]:
    """Per side of ``states``: its definitions by name, their line spans, the files known only from hunks, the headers
    a patch created that no file includes, and the definitions the entry points ``names`` reach (by identity)."""
    spans: list[LineSpans[_Span]] = []  # a file of 20,000 definitions each changed: 30 s reading them all
    partial_files: list[set[str]] = []
    unincluded: list[set[str]] = []
    reached_ids: list[set[int]] = []
    tables = [definitions(variant_sources(v)) for v in states]
    for side, v in enumerate(states):
        partial_files.append({src.path for src in variant_sources(v) if not src.complete})
        unincluded.append({src.path for src in variant_sources(v) if src.unincluded})
        table = tables[side]
        reached = {id(d) for d in closure(table, names)}
        reached_ids.append(reached)
        # An unreached type or variable changes nothing that runs, nor does a plain macro no unreached code uses:
        # functions count, macros that generate functions or call code (is_code), a plain macro such code uses
        # (covered), and lines outside every definition (a file-scope call). Worked out only for the definitions
        # a changed line is in.
        spans.append(LineSpans([(d.path, d.line, d.line + d.text.count("\n"), d.name,
                                 partial(covered, d, table, reached, tables[1 - side]))
                               for ds in table.values() for d in ds],
                               lambda x: x[:3]))
    return tables, spans, partial_files, unincluded, reached_ids


def _changed_on_both(holders: list[_Span], tables: list[dict[str, list[Definition]]], side: int,
                     kept: dict[tuple[int, str], bool]) -> bool:
    """Whether the definition holding a changed line is defined on both sides and differs between them: one a move
    carried as it is (the same tokens) changes nothing. ``kept``: the answers for these tables so far, by side and
    name (each changed line of a definition asked, and tokenized both sides' texts, again)."""
    if not holders:
        return False
    name = holders[0][3]
    answer = kept.get((side, name))
    if answer is None:
        mine = {tuple(_TOKEN.findall(d.text)) for d in tables[side].get(name, [])}
        answer = kept[side, name] = any(tuple(_TOKEN.findall(d.text)) not in mine
                                        for d in tables[1 - side].get(name, []))
    return answer


def _used_by(users: list[str]) -> str:
    """'; budget() uses it' (up to three names, then 'and more'); '' for none."""
    if not users:
        return ""
    names = ", ".join(f"{u}()" for u in users[:3]) + (" and more" if len(users) > 3 else "")
    return f"; {names} use{'s' if len(users) == 1 else ''} it"


def _data(table: dict[str, list[Definition]], name: str) -> Definition | None:
    """The definition of that name when it is no code (is_code): a plain macro, an enumerator, a variable, a type."""
    ds = table.get(name, [])
    return ds[0] if ds and all(d.kind in DATA_KINDS and not is_code(d, table) for d in ds) else None


def _own(holders: list[_Span], table: dict[str, list[Definition]], number: int | None) -> list[_Span]:
    """The definitions holding a changed line that it changes: of an enum's, whose every enumerator is a definition of
    the same lines, the enumerators the line defines (enumerators_on; another one may be used by code an entry point
    reaches)."""
    if len(holders) < 2 or number is None:
        return holders
    enum = next((d for d in table.get(holders[0][3], ()) if d.kind is Kind.ENUM), None)
    own, after = enumerators_on(enum, number) if enum is not None else ([], [])
    names = {*own, *after}
    return [x for x in holders if x[3] in names] or holders


@dataclass(frozen=True)
class _Held:
    """A definition holding changed lines no entry point (that ran) reaches: its first such line on each side."""

    owner: str
    at: dict[int, str]  # side (0: the first state, 1: the second) -> "path:line" there
    why: str
    reach: Reach

    def place(self, states: tuple[Variant, Variant]) -> Place:
        """The place as the rules read it: its text (said), owner, the file on the first side holding it, reach."""
        first = self.at[min(self.at)]
        return Place(self.said(states), self.owner, first.rpartition(":")[0], self.reach)

    def said(self, states: tuple[Variant, Variant]) -> str:
        """'name() (path:line)' where both sides hold it at that line, else each side's place named by its state
        (the two states' files number the same definition differently once lines above it changed): 'path:28 in
        v3:04, line 52 in v3:05' in one file, its path said once."""
        places = set(self.at.values())
        if len(places) == 1 and len(self.at) == 2:
            return f"{self.owner} ({places.pop()}{self.why})"
        said, last = [], ""
        for side, at in sorted(self.at.items()):
            path, _, line = at.rpartition(":")
            said.append(f"{f'line {line}' if path == last else at} in {states[side].name}")
            last = path
        return f"{self.owner} ({', '.join(said)}{self.why})"


@dataclass
class _Loose:
    """A file's changed lines outside every definition: one place, owned by its first line."""

    path: str
    where: str
    reach: Reach
    numbers: list[int]

    def place(self, states: tuple[Variant, Variant]) -> Place:
        """The place as the rules read it: 'path:1435, 1437 (where)', owned by 'path:1435'."""
        if not self.numbers:
            return Place(f"{self.path} {self.where}", self.path, self.path, self.reach)
        first = f"{self.path}:{self.numbers[0]}"
        return Place(f"{self.path}:{number_ranges(self.numbers)} {self.where}", first, self.path, self.reach)


_CALL = re.compile(r"\b([A-Za-z_]\w*)\s*\(")


def _loose_lines(v: Variant, spans: LineSpans[_Span]) -> dict[str, str]:
    """Each name called on a line of a file known only from hunks that no definition read holds (code of a function
    whose body the hunks do not show whole: its calls are calls all the same), with the first such line's place."""
    calls: dict[str, str] = {}
    for src in variant_sources(v):
        if src.complete:
            continue
        for start, piece in src.pieces:
            for i, text in enumerate(piece):
                if "(" in text and not _COMMENT.match(text) and not spans.holding(src.path, start + i):
                    for name in _CALL.findall(text):
                        calls.setdefault(name, f"{src.path}:{start + i}")
    return calls


def _seen_call(name: str, loose: dict[str, str]) -> str:
    """'; a hunk shows a call of it at FILE:LINE, in code the hunks do not show whole: give --tree' for a function
    no entry point reaches that such a line calls (harness.reach._loose_lines), else ''."""
    at = loose.get(name)
    return f"; a hunk shows a call of it at {at}, {SEEN_CALL}" if at is not None else ""


def _unrunnable(table: dict[str, list[Definition]], name: str, result: MatrixResult) -> str:
    """'; it reaches a SEAMCALL, but the matrix cannot feed its parameter ...' for a function no entry point reaches
    that would run as one found in the code but for its parameters (a new P-SEAMLDR call path taking an image)."""
    from harness.discover import reaches_seam, unfed  # discover builds on reach's neighbours

    d = table[name][0]
    if d.kind is not Kind.FUNCTION:
        return ""
    # once per table (as harness.checks keeps it), not for every unreached name: quadratic in the definitions
    seam = by_identity("reaches seam", (table,), (), lambda: frozenset(reaches_seam(table)))
    why = unfed(d, result.matrix) if name in seam else None
    return f"; it reaches a SEAMCALL, but {why}: a [params] feed or an [[entry]] runs it" if why else ""


def moved_by(patch: Patch, after: Variant, earlier: Iterable[Patch] = (), before: Variant | None = None
             ) -> dict[str, tuple[str, str]]:
    """What a patch moves, name -> (from, to): the definitions its hunks remove in one place and add in another
    (harness.moves.moved_definitions), or remove where an earlier patch of its revision (``earlier``) added them
    elsewhere (harness.moves.rehomed: a move split in two), and every definition of a C file it renames, read from
    the state after it (a rename's hunks show none of them) that the renamed file held in ``before`` under that
    name: one the patch adds, or renames (sc_retry_prerr() become seamcall_prerr_retry()), moved nothing."""
    moved = {**rehomed(patch, earlier), **moved_definitions(patch)}
    renamed = {new: old for old, new in renamed_sources(patch).items()}
    if renamed:
        held = definitions(variant_sources(before)) if before is not None else None
        for name, ds in definitions(variant_sources(after)).items():
            for d in ds:
                guard = d.kind is Kind.MACRO and d.text.split() == ["#define", d.name]  # an include guard
                if d.path in renamed and d.kind in (Kind.FUNCTION, Kind.MACRO) and not guard and (
                        held is None or any(x.path == renamed[d.path] for x in held.get(name, []))):
                    moved.setdefault(name, (renamed[d.path], d.path))
    return moved

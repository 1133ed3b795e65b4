"""Where a rule's patch is in a variant's revision, and the states ``before:N`` / ``before:patch`` name.

A rule names its patch by title, so it follows the patch from revision to revision (v3 06/26 is v2
04/21). When a revision no longer has the patch (dropped on review), the rule still judges that
revision's code: its reference is the state after the revision's first patches that all preceded the dropped one
in an earlier revision (matched by title), or the revision's base, and before any that makes its changed lines
(harness.patchparts).
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from dataclasses import replace

from harness.linediff import similarity
from harness.model import Patch, Revision, Series, number_ranges
from harness.patchparts import bare_title, changed_lines, split_parts
from harness.shortlog import CLAUSE_END, DROP_AFTER, DROP_BEFORE, cover_words, squashed_into
from harness.shortlog import names as title_named
from harness.shortlog import shortlog as cover_shortlog
from harness.statenames import parse_prefix
from harness.variants import Variant
from models.lazyre import lazy
from models.record import record


@record
class PatchPlace:
    """The rule's patch in one revision: its number, or (dropped) the patch it would follow."""

    number: int | None
    dropped: str | None = None  # why the patch is not in the revision, for notes
    anchor: int = 0  # for a dropped patch: the number of the last patch that preceded it (0: none)
    nowhere: bool = False  # no revision of the input has it: a misspelt title, or dropped before them all
    alike: str | None = None  # why a patch of this revision may be the one "dropped", reworded (_same_files)
    missing: bool = False  # the revision may hold it in a patch the input lacks: where it is, and what, not known
    first: int | None = None  # the first patch making part of the change (split, or moved to a neighbour)
    last: int | None = None  # the last such patch
    numbers: tuple[int, ...] = ()  # every patch making the change, the titled one among them
    parts: str | None = None  # which other patches make part of the change, and the states judged (harness.patchparts)
    later: bool = False  # not in this revision, but in a later one: it came after it (new there, or retitled)

    @property
    def start(self) -> int | None:
        """The first patch of the change: ``before:patch`` is the state before it."""
        return self.first if self.first is not None else self.number

    @property
    def end(self) -> int | None:
        """The last patch of the change: "right after the rule's patch" is the state after it."""
        return self.last if self.last is not None else self.number

    @property
    def change_end(self) -> int | None:
        """The last patch making the change: ``end``, or, the titled patch gone, the last of the patches of other
        titles that make its change now (``numbers``). None: no patch of the revision is known to make it."""
        return self.end if self.end is not None else (self.numbers[-1] if self.numbers else None)

    def change_end_in(self, prefix: int | None) -> int | None:
        """``change_end`` as a state holding the revision's patches up to ``prefix`` (None: all) holds the change:
        a state inside it is its own end."""
        last = self.change_end
        return last if last is None or prefix is None else min(last, prefix)


def state_name(series: Series, version: int, before: int) -> str | None:
    """The name of revision ``version``'s state just before patch ``before`` (vN:KK of the last present one)."""
    rev = series.revision(version)
    if rev is None:
        return None
    width = max(2, len(str(rev.total)))
    prior = rev.between(-1, before - 1)
    return f"v{version}:{(prior[-1].number if prior else 0):0{width}d}"


def _holding(rev: Revision, want: str) -> list[Patch]:
    """The patches of a revision whose title holds ``want`` (lower case); one whose whole title is it, or its
    part after the subsystem prefix ("x86/virt/tdx: "), alone when there is one. None holding it, a ``want`` written
    with a subsystem prefix names the patches whose title is the same but for it (the revision respelt it,
    "x86/tdx: "): taken for dropped, the patch was judged from the state before those that precede it by title."""
    found = [p for p in rev.patches if want in p.mail.subject.title.lower()]
    if not found and (bare := bare_title(want)) != " ".join(want.split()):
        found = [p for p in rev.patches if bare_title(p.mail.subject.title) == bare]
    exact = [p for p in found if want.strip() in {p.mail.subject.title.strip().lower(),
                                                   p.mail.subject.title.rsplit(": ", 1)[-1].strip().lower()}]
    return exact or found


def _titled(rev: Revision, want: str) -> int | None:
    found = _holding(rev, want)
    return found[0].number if found else None


def ambiguous_titles(title: str, series: Series) -> list[str]:
    """Where a rule's ``patch`` names more than one patch of a revision (words several titles share), each as
    ``v3 06/26 'title'``: the rule would judge the first of them, which may not be the one meant. None when some
    revision holds it in one patch alone: that is the patch meant, and a revision holding it in several split it
    (they are judged together: _with_parts); the rules written for one revision stay good for the next."""
    if any(len(_holding(rev, title.lower())) == 1 for rev in series.revisions):
        return []
    for rev in series.revisions:
        found = _holding(rev, title.lower())
        if len(found) > 1 and not _parts_of(title, found):
            return [f"v{rev.version} {p.label} '{p.mail.subject.title}'" for p in found]
    return []


# A part number ending a title: "...: part 1", "..., part 2 of 3", "... (pt. 2)", "... (1/2)".
_PART = lazy(r"(?:\s*[:,;]\s*|\s+-\s+|\s+)\(?(?:part|pt\.?)\s*\d+(?:\s*(?:/|of)\s*\d+)?\)?\s*$"
                   r"|\s*\(\d+/\d+\)\s*$", re.IGNORECASE)


def _parts_of(title: str, found: list[Patch]) -> bool:
    """Whether patches holding a rule's ``patch`` are the parts of the one patch it names: each title is it, whole
    or after its subsystem prefix, but for a part number ending it ("Prepare ...: part 1", "Prepare ...: part 2").
    They are judged together (_with_parts), as where another revision holds the title in one patch; the rule
    names the patch whole, so a revision of its parts alone is no reason to refuse it."""
    want = " ".join(title.lower().split())
    heads = set()
    for p in found:
        whole = p.mail.subject.title
        if _PART().search(whole) is None:
            return False
        bare = " ".join(_PART().sub("", whole).lower().split())
        if want not in {bare, " ".join(bare.rsplit(": ", 1)[-1].split())}:
            return False
        heads.add(bare)
    return len(heads) == 1


def _others(series: Series, rev: Revision) -> list[Revision]:
    """The other revisions, where a patch ``rev`` lacks by title is looked for: the earlier ones, latest first (it
    was dropped, or retitled since), then the later ones, earliest first (it came later, or is retitled there)."""
    earlier = sorted((r for r in series.revisions if r.version < rev.version), key=lambda r: -r.version)
    return earlier + sorted((r for r in series.revisions if r.version > rev.version), key=lambda r: r.version)


def _anchor(series: Series, rev: Revision, want: str) -> tuple[int, str | None, Revision | None, int, str | None]:
    """In the nearest other revision that has the patch (an earlier one first): how far ``rev`` runs with patches
    that all came before it there (the last of its first patches whose titles preceded it: a patch that came after
    it, moved up, or a new one, ends the run, as does a slot the input lacks, and one that changes a file the patch
    changed otherwise than it did there: _reworked), where the patch is (``v3 06/26``, ``v5 02/4, of a later
    revision``), that revision, the patch's number in it and, when a reworked patch ended the run, which and why."""
    for old in _others(series, rev):
        number = _titled(old, want)
        old_patch = old.patch(number) if number is not None else None
        if number is None:
            continue
        before = {bare_title(p.mail.subject.title): p for p in old.patches if p.number < number}
        label = f"v{old.version} {old_patch.label}" if old_patch else f"v{old.version}"
        label += ", of a later revision" if old.version > rev.version else ""
        anchor, cut = 0, None
        for slot in rev.slots:
            earlier = before.get(bare_title(slot.patch.mail.subject.title)) if slot.patch is not None else None
            if slot.patch is None or earlier is None:
                break
            cut = _reworked(slot.patch, earlier, old_patch, rev, old.version) if old_patch is not None else None
            if cut is not None:
                break
            anchor = slot.number
        return anchor, label, old, number, cut
    return 0, None, None, 0, None


def _file_lines(p: Patch, paths: set[str]) -> Counter[tuple[str, str]]:
    """The changed lines that say something (four letters or digits) of ``p`` in ``paths``, each with its file."""
    return Counter((f.path, f"{ln.kind.value}{ln.text.strip()}") for f in p.files
                   if {f.path, f.source_path} & paths for h in f.hunks for ln in h.lines
                   if ln.kind.value in "+-" and sum(ch.isalnum() for ch in ln.text) >= 4)


def _reworked(p: Patch, earlier: Patch, gone: Patch, rev: Revision, gone_in: int) -> str | None:
    """Why ``p``, which came before the gone patch as ``earlier`` (same title), may hold its change rewritten: it
    changes a file the gone patch changed with lines ``earlier`` did not have (the change folded into it, reworded,
    which harness.patchparts does not match by its lines). None when it changes those files as it did. Taken as
    before the gone patch, its code sat in the reference and a rule on the change passed unseen."""
    renames = _renamed(rev)
    paths = {x for f in gone.files for x in (f.source_path, f.target_path) if x is not None}
    paths |= {renames[x] for x in paths if x in renames}
    gained = _file_lines(p, paths) - _file_lines(earlier, paths)
    if not gained:
        return None
    where = sorted({path for path, _ in gained})
    return (f"v{rev.version} {p.label} '{p.mail.subject.title}' changes {', '.join(where)}, which v{gone_in} "
            f"{gone.label} changed, otherwise than v{gone_in} {earlier.label} did: it may hold that change reworded, "
            "so the change is judged from before it")


def place_of(title: str | None, number: int | None, v: Variant, series: Series) -> PatchPlace | None:
    """Where the patch a rule is about (``title``, else ``number``) is in the variant's revision.

    None when the rule names no patch; ``PatchPlace(None, dropped=...)`` when the revision lacks it.
    """
    if title is None:
        return PatchPlace(number) if number is not None else None
    rev = series.revision(v.revision or 0)
    want = title.lower()
    found = _titled(rev, want) if rev else None
    if found is not None and rev is not None:
        return _with_parts(PatchPlace(found), series, rev, want)
    if rev is None:
        return PatchPlace(None, f"no revision holds '{title}'")
    lacking = _lacking(rev, title)
    if lacking is not None:
        return PatchPlace(None, lacking, missing=True)
    anchor, was, old, old_number, cut = _anchor(series, rev, want)
    if was is None:
        return _squashed(rev, title) or PatchPlace(
            None, f"no revision of the input has a patch titled '{title}' (a misspelt title, or a patch dropped "
                  "before every revision given: give one that has it)", nowhere=True)
    alike = _same_files(series, rev, want)
    # A later revision's patch was not dropped from this one: it came after it (new there, or retitled).
    why = f"it is {was}" if was.endswith(", of a later revision") else f"it was {was}: dropped"
    dropped = f"'{title}' is not in v{rev.version} ({why})" + (f"; {cut}" if cut else "")
    # Its change folded into other patches (retitled, or merged into a neighbour): the code judged from before them.
    parts = split_parts(rev, None, old, old_number) if old is not None and old.version < rev.version else None
    if parts is None:
        return PatchPlace(None, dropped, anchor, alike=alike, later=old is not None and old.version > rev.version)
    # Its change lives on in patches of other titles (the note names them): the patch went by that title, not dropped.
    dropped = f"'{title}' is not in v{rev.version} by that title (it was {was})" + (f"; {cut}" if cut else "")
    anchor = min(anchor, max((p.number for p in rev.patches if p.number < parts.first), default=0))
    width = max(2, len(str(rev.total)))
    span = f"v{rev.version}:{anchor:0{width}d} to v{rev.version}:{parts.last:0{width}d}, the patches that make it"
    return PatchPlace(None, dropped, anchor, alike=alike, numbers=parts.numbers,
                      parts=f"{parts.said}: the change is judged from {span}")


def _squashed(rev: Revision, title: str) -> PatchPlace | None:
    """The titled patch, which no revision of the input holds, as the one its cover letter says it was squashed
    into holds it ("Squash "TITLE" into "OTHER""): its change is judged from before that patch, as the change of a
    patch found in another by its lines is (harness.patchparts). None when the cover letter does not say so."""
    cover = cover_words(rev.cover)
    into = squashed_into(cover, title, [p.mail.subject.title for p in rev.patches])
    patch = next((p for p in rev.patches if p.mail.subject.title == into), None)
    if patch is None:
        return None
    anchor = max((p.number for p in rev.patches if p.number < patch.number), default=0)
    width = max(2, len(str(rev.total)))
    said = f"v{rev.version}'s cover letter says it was squashed into v{rev.version} {patch.label} '{into}'"
    return PatchPlace(None, f"'{title}' is not in v{rev.version} by that title", anchor, numbers=(patch.number,),
                      parts=f"{said}: the change is judged from v{rev.version}:{anchor:0{width}d} to "
                            f"v{rev.version}:{patch.number:0{width}d}, the patches that make it")


def _with_parts(place: PatchPlace, series: Series, rev: Revision, want: str) -> PatchPlace:
    """The place with the range of patches that make the change the nearest earlier revision's patch of that
    title made (a split, or a part moved to a neighbour: harness.patchparts), when other patches do; and, where
    several patches of this revision hold the title (a split titled "...: part 1", "...: part 2") though another
    revision's one patch does (ambiguous_titles lets such a rule be), every one of them."""
    if place.number is None:
        return place
    old = next((r for r in _others(series, rev) if r.version < rev.version and _titled(r, want) is not None), None)
    old_number = _titled(old, want) if old is not None else None
    parts = split_parts(rev, place.number, old, old_number) if old is not None and old_number is not None else None
    holders = [p for p in _holding(rev, want) if p.number != place.number and p.number not in (parts.numbers
                                                                                              if parts else ())]
    if parts is None and not holders:
        return place
    numbers = tuple(sorted({*(parts.numbers if parts else (place.number,)), *(p.number for p in holders)}))
    said = "; ".join([*([parts.said] if parts else []), *(f"v{rev.version} {p.label} '{p.mail.subject.title}' "
                                                           "holds the rule's title too" for p in holders)])
    width = max(2, len(str(rev.total)))
    span = f"{state_name(series, rev.version, numbers[0])} to v{rev.version}:{numbers[-1]:0{width}d}"
    return PatchPlace(place.number, first=numbers[0], last=numbers[-1], numbers=numbers,
                      parts=f"{said}: the change is judged from {span}, the patches that make it")


def _lacking(rev: Revision, title: str) -> str | None:
    """Why a title the revision's patches in the input do not hold may still be one of its patches: the input
    lacks some (empty slots), and the cover letter's shortlog lists it, or there is no shortlog to tell. None
    when the input has every patch, or the shortlog (git format-patch's list of them all) does not list it."""
    if not rev.missing:
        return None
    lacks = f"the input lacks v{rev.version} {number_ranges(rev.missing)} (of {rev.total})"
    cover = cover_words(rev.cover)
    shortlog = cover_shortlog(cover)
    # Where there is a shortlog, it alone lists the patches: a changelog line naming a title ("Squash "TITLE" into
    # ...", "Dropped "TITLE"") says the patch is gone, not that it is one of those the input lacks.
    said = [shortlog] if shortlog is not None else [c for c in CLAUSE_END().split(cover) if not _says_gone(c, title)]
    if any(title_named(text, title) for text in said):
        return f"'{title}' is a patch of v{rev.version} (its cover letter lists it), and {lacks}: give it"
    if shortlog is None and not title_named(cover, title):
        return f"'{title}' is not among the patches of v{rev.version} the input has, and {lacks}, which may hold it"
    return None


def _says_gone(clause: str, title: str) -> bool:
    """Whether a cover letter's clause naming the title says the patch went or lives on in another."""
    said = _words(clause)
    if not title_named(said, title):
        return False
    return _LIVES_ON().search(said) is not None or any(
        re.search(form.format(re.escape(n)), said) for n in (_words(title), bare_title(title))
        for form in (DROP_BEFORE, DROP_AFTER))


def _words(text: str) -> str:
    return " ".join(text.lower().split())


def _mentions(p: Patch, names: list[str]) -> bool:
    """Whether a patch's commit message or its notes below the ``---`` name one of the old titles."""
    text = _words(" ".join([p.message, *(ln for block in p.changelog for ln in block.lines)]))
    return any(n in text for n in names)


# Words that say the change lives on elsewhere: a clause with one names the patch as more than gone.
_LIVES_ON = lazy(r"\b(?:into|fold\w*|squash\w*|merg\w*|combin\w*|became|become|retitl\w*|renam\w*|"
                       r"reword\w*|split|moved?|now|replac\w*|instead|in favou?r)\b")


def _cover_mentions(cover: Patch, names: list[str]) -> bool:
    """Whether a cover letter names an old title otherwise than to say the patch was dropped: "Changes since v1:
    - dropped "TITLE"" is the usual note of a patch that went, not a sign that it was retitled."""
    text = "\n".join([cover.message, *(ln for block in cover.changelog for ln in block.lines)])
    for clause in CLAUSE_END().split(text):
        said = _words(clause)
        named = [n for n in names if n in said]
        if not named:
            continue
        if _LIVES_ON().search(said):
            return True
        left = said
        for n in sorted(named, key=len, reverse=True):
            for form in (DROP_BEFORE, DROP_AFTER):
                left = re.sub(form.format(re.escape(n)), " ", left)
        if any(n in left for n in names):
            return True
    return False


def _renamed(rev: Revision) -> dict[str, str]:
    """Paths the revision's patches rename (old -> new), so that a patch is followed across a move."""
    return {f.source_path: f.target_path for p in rev.patches for f in p.files
            if f.is_rename and f.source_path and f.target_path}


def _title_names(title: str) -> list[str]:
    """A title as a message may name it: whole, or without its subsystem prefix (long enough to mean it)."""
    return [n for n in {_words(title), _words(title.rsplit(": ", 1)[-1])} if len(n) >= 12]


def _same_files(series: Series, rev: Revision, want: str) -> str | None:
    """A patch of ``rev`` that may be the titled patch under a new title (b4 matches reworded patches by
    their content too), from the nearest other revision having it (the latest earlier one first; a later one
    may have retitled it): one whose message or notes name the other title, one touching the same files
    (renames followed) with mostly the same changed lines, or one with mostly the same changed lines anywhere.
    "Dropped" or "not yet there" must never stand when it may be reworded."""
    for old in _others(series, rev):
        number = _titled(old, want)
        before = old.patch(number) if number is not None else None
        if before is None:
            continue
        title = before.mail.subject.title
        names = [*_title_names(title), *_title_names(want)]
        renames = _renamed(rev)
        files, lines = {renames.get(f.path, f.path) for f in before.files}, changed_lines(before)
        for p in sorted(rev.patches, key=lambda p: abs(p.number - before.number)):  # the same place first
            label = f"v{rev.version} {p.label} '{p.mail.subject.title}'"
            if _mentions(p, names):
                return f"{label} names the old title in its message or notes"
            if old.version > rev.version and _mentions(before, _title_names(p.mail.subject.title)):
                return f"v{old.version} {before.label} names {label}'s title in its message or notes"
            similar = bool(lines) and similarity(lines, changed_lines(p)) >= 0.6
            if similar:
                same = files == {f.path for f in p.files}
                return f"{label} {'touches the same files' if same else 'changes mostly the same lines'}"
        if rev.cover is not None and _cover_mentions(rev.cover, names):
            return f"v{rev.version}'s cover letter names it"
        return None
    return None


def close_titles(title: str, series: Series) -> list[str]:
    """Patch titles of the input near ``title`` (a misspelling of one of them), each with where it is; none
    when a revision has a patch whose title holds it."""
    if any(_titled(r, title.lower()) is not None for r in series.revisions):
        return []
    titles = {p.mail.subject.title.strip(): f"v{r.version} {p.label}" for r in series.revisions for p in r.patches}
    lowered = {t.lower(): t for t in titles}
    want = title.strip().lower()
    scored = sorted(((_nearness(want, t), t) for t in lowered), key=lambda st: -st[0])
    return [f"'{lowered[t]}' ({titles[lowered[t]]})" for score, t in scored[:2] if score > 0]


def _nearness(want: str, title: str) -> float:
    """How nearly ``title`` holds ``want``, 0 when not nearly: the whole title spelt nearly so (0.8 of
    difflib's ratio), or, for words of it (three or more, as rules quote a title), a run of as many of its
    words nearly so (0.9): 'Move SEAMCALL helper out of' is a slip for 'Move SEAMCALL helpers out of <asm/tdx.h>'."""
    whole = difflib.SequenceMatcher(None, want, title).ratio()
    best = whole if whole >= 0.8 else 0.0
    n, words = len(want.split()), title.split()
    for i in range(len(words) - n + 1 if n >= 3 else 0):
        part = difflib.SequenceMatcher(None, want, " ".join(words[i:i + n])).ratio()
        best = max(best, part if part >= 0.9 else 0.0)
    return best


def before_patch(place: PatchPlace | None, n: int | None, v: Variant, series: Series) -> str | None:
    """The state ``before:N`` (``n``) or ``before:patch`` (``place``) names for a variant.

    A proposal that starts earlier than that point is compared with its start; a dropped patch's
    reference is the state after its anchor.
    """
    if v.revision is None:
        return None
    if n is None:
        if place is None:
            return None
        if place.number is None:
            rev = series.revision(v.revision)
            width = max(2, len(str(rev.total))) if rev is not None else 2
            return f"v{v.revision}:{place.anchor:0{width}d}"
        n = place.first if place.first is not None else place.number  # a split change: before its first part
    if v.start is not None:
        _, start_prefix = parse_prefix(v.start)
        if start_prefix is not None and start_prefix < n:
            return v.start
    return state_name(series, v.revision, n)


@record
class Unchecked:
    """The patches before a rule's patch whose change no earlier revision of the input shows apart from it."""

    number: int  # the rule's patch, by title, in the judged revision
    patches: tuple[Patch, ...]  # those before the change (its first part) that are to be judged one by one
    earlier: str | None  # the earlier revision's patch of that title (``v1 02/3``); None: the input holds none
    why: tuple[str, ...] = ()  # for each of ``patches`` (with an earlier revision), why it is not known apart
    dropped: bool = False  # the revision lacks the patch by its title: ``number`` is the place after its anchor
    was: tuple[int | None, ...] = ()  # for each of ``patches``, its earlier version's number (None: new)
    old_version: int | None = None  # the earlier revision


def unchecked_earlier(title: str | None, v: Variant, series: Series) -> Unchecked | None:
    """The patches before the change of the patch titled ``title`` in ``v``'s revision that harness.patchparts,
    which finds by that title what the patch's change used to be, cannot tell apart from that change: every one
    before it when no earlier revision of the input holds the title; else those before the change's first part
    (the patch dropped: before its anchor) that were not before the title there with the same changed lines (new,
    moved up from after it, or changed since). A patch the earlier revision already had before the title, as it
    is, was reviewed apart from the change; one it did not have may make part of the change reworded (a new
    printer, another retry bound), which sat in the reference unseen. None when there is none."""
    rev = series.revision(v.revision) if title is not None and v.revision is not None else None
    if rev is None or title is None:
        return None
    want = title.lower()
    number = _titled(rev, want)
    old = next((r for r in _others(series, rev) if r.version < rev.version and _titled(r, want) is not None), None)
    if number is not None and old is None:
        return Unchecked(number, rev.between(0, number - 1), None) if rev.between(0, number - 1) else None
    if old is None:
        return None
    if number is None:  # dropped, or its change made by patches of other titles: judged from its anchor
        place = place_of(title, None, v, series)
        if place is None or place.number is not None or place.missing or place.later or not place.anchor:
            return None
        number = start = place.anchor + 1
    else:
        start = _with_parts(PatchPlace(number), series, rev, want).start or number
    found = _not_known_apart(rev.between(0, start - 1), old, _titled(old, want) or 0, number)
    return replace(found, dropped=True) if found is not None and _titled(rev, want) is None else found


def _not_known_apart(patches: tuple[Patch, ...], old: Revision, old_number: int, number: int) -> Unchecked | None:
    """Those of ``patches`` that ``old`` did not have before its patch ``old_number`` with the same changed lines."""
    known = {bare_title(p.mail.subject.title): p for p in old.patches if p.number < old_number}
    found: list[tuple[Patch, str, int | None]] = []
    for p in patches:
        was = known.get(bare_title(p.mail.subject.title))
        if was is None:
            found.append((p, f"v{old.version} has no patch of its title before it", None))
        elif changed_lines(was) != changed_lines(p):
            found.append((p, f"it changes other lines than v{old.version} {was.label} did", was.number))
    titled = old.patch(old_number)
    label = f"v{old.version} {titled.label}" if titled is not None else f"v{old.version}"
    return Unchecked(number, tuple(p for p, _, _ in found), label, tuple(w for _, w, _ in found),
                     was=tuple(n for _, _, n in found), old_version=old.version) if found else None


def applied_patches(v: Variant, series: Series) -> list[Patch]:
    """The patches ``v`` applied (its sources' messages that are patches of ``series``), in the order applied."""
    out = []
    for msgid, _ in v.sources:
        found = series.find_message(msgid)
        if isinstance(found, Patch):
            out.append(found)
    return out

"""Why code did not run: where a missing definition should have come from, and what would make it run.

Every "not compared" and "inconclusive" in a report carries one of these reasons, so a reader knows
whether the gap is in the mail (a file known only from hunks), in the base (a hunk that failed, a
blob that does not match) or in the mirror (a construct it does not model).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from harness.filestate import FileState
from harness.linkproblems import LINK_UNKNOWN
from harness.memo import by_identity
from harness.reincluded import reincluded
from harness.spec import closest
from harness.tuorder import UNKNOWN, include_target, present
from harness.unitdefs import ELSEWHERE
from harness.variants import NO_TREE as NO_TREE  # where Variant.base says it; imported from here too
from harness.variants import Variant
from models.cdirectives import defines
from models.outcome import ErrorKind, Outcome, OutcomeStatus

UNKNOWN_FUNCTION = re.compile(r"call (?:through a pointer )?to unknown function (\w+)\(\)")
UNKNOWN_NAME = re.compile(r"unknown identifier '\w+'")  # models.interp: a name no definition read gives
TREE_HINT = "; give --tree"
STOPS_AT = " stops at its call of "  # not_run_reason's words after an entry point whose callee is not defined
_FUNCTION = re.compile(r"\b([A-Za-z_]\w*)\(\)")


def reason_template(reason: str) -> tuple[str, str | None]:
    """A reason with the one function it names taken out (``"{}()"``), and that function; reasons that
    differ only in it are said once (fill_template), not one sentence per function."""
    names = _FUNCTION.findall(reason)
    return (_FUNCTION.sub("{}()", reason, count=1), names[0]) if len(names) == 1 else (reason, None)


def fill_template(template: str, names: list[str]) -> str:
    """A reason_template with its functions put back: ``"does not define a(), b() ..."``; for several, the
    sentence about them in the plural ("a(), b() are new ...: nothing to compare them with")."""
    if not names:
        return template
    if len(names) > 1:
        head, _, tail = template.partition("{}()")
        for one, several in _PLURAL:
            tail = tail.replace(one, several)
        verb = next((f" {pl} " for sg, pl in (("is", "are"), ("runs", "run")) if tail.startswith(f" {sg} ")), None)
        template = head + "{}()" + (verb + tail.split(" ", 2)[2] if verb is not None else tail)
    return template.replace("{}()", ", ".join(f"{n}()" for n in names), 1)


# The words of the reasons here (and in harness.compare, equivalence) that speak of the function they name, in the
# plural; only these.
_PLURAL = (("adds it later", "adds them later"), ("would not hold it yet", "would not hold them yet"),
           ("the base does not hold it", "the base does not hold them"),
           ("does not provide it", "does not provide them"), ("nothing to compare it with", "nothing to compare "
           "them with"), ("defines it,", "defines them,"), ("code calling it", "code calling them"),
           ("its body is", "their bodies are"), ("the name is not in", "the names are not in"),
           (" is named there", " are named there"), ("files read has it", "files read has them"),
           ("from the tree has it", "from the tree has them"), ("defines it)", "defines them)"),
           ("does not define it:", "does not define them:"), ("whole without it:", "whole without them:"),
           ("would not hold it either", "would not hold them either"))


_HEAD = re.compile(r"[A-Za-z_][\w\s\*]*?\b([A-Za-z_]\w*)\s*\(")
_SEEN: dict[int, tuple[Variant, tuple[dict[str, list[str]], dict[str, list[str]]]]] = {}


def _heads(v: Variant) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Per name: the fragment-only files of the variant where a line starts its definition, and those where a
    line only declares it (a prototype, its parameters closed by ';'), read once each."""
    found = _SEEN.get(id(v))
    if found is not None and found[0] is v:  # the variant itself is kept, so its id is not reused meanwhile
        return found[1]
    out: tuple[dict[str, set[str]], dict[str, set[str]]] = ({}, {})
    for f in v.c_files:
        if not f.complete:
            for frag in f.fragments():
                for i, name, m in _heads_of(frag.lines):
                    kind = 1 if m is not None and _prototype(frag.lines, i, m.end()) else 0
                    out[kind].setdefault(name, set()).add(f.path)
    table = ({name: sorted(paths) for name, paths in out[0].items()},
             {name: sorted(paths) for name, paths in out[1].items()})
    _SEEN[id(v)] = (v, table)
    return table


def _heads_of(lines: Sequence[str]) -> Iterator[tuple[int, str, re.Match[str] | None]]:
    """Each line of a run that starts a definition or declaration: its index, the name, and the function head's
    match (None for a ``#define``, read as gcc reads it: models.cdirectives; a line a directive holds is no code)."""
    names, held = defines(lines)
    for i, line in enumerate(lines):
        if i in held:
            if i in names:
                yield i, names[i], None
        elif (m := _HEAD.match(line)) is not None:
            yield i, m.group(1), m


def _prototype(lines: Sequence[str], first: int, start: int) -> bool:
    """Whether the head at ``lines[first][start:]`` (just past its '(') is a declaration: after its parameters
    close, a ';' comes before any '{' (a definition's body; an attribute may stand between), within the lines
    the fragment shows."""
    depth, rest = 1, ""
    for line in [lines[first][start:], *lines[first + 1:first + 8]]:
        for i, ch in enumerate(line):
            depth += {"(": 1, ")": -1}.get(ch, 0)
            if depth == 0:
                rest = line[i + 1:]
                break
        if depth == 0:
            break
    ends = [k for k in (rest.find(";"), rest.find("{")) if k >= 0]
    return depth == 0 and bool(ends) and rest[min(ends)] == ";"


def _known_from_hunks(v: Variant, name: str) -> list[str]:
    return _heads(v)[0].get(name, [])


def _declared_in_hunks(v: Variant, name: str) -> list[str]:
    """The fragment-only files where a known line declares ``name`` (``int tdx_enable(void);``) and none starts
    its definition: its body lies in lines no hunk shows, maybe in another file."""
    defined, declared = _heads(v)
    return [] if name in defined else declared.get(name, [])


def _hint(vs: tuple[Variant, ...]) -> str:
    """"give --tree" where a tree can help: a variant read from mail alone with C known only from hunks, or whose C
    includes a header the mail does not hold (a tree's ``#include "tdx.h"`` or ``<asm/tdx.h>``: anything may be
    defined there); where every C file the patches touch is whole already and includes none such, a tree adds
    nothing, and that is said instead."""
    if any(v.base == NO_TREE and (_c_in_part(v) or _unread_include(v)) for v in vs):
        return "; give --tree"
    # "the patches", not "it": the reason before it names the function ("none of the files read has it"), which
    # an "it changes" read as the subject of.
    return "; every C file the patches change is known whole: the name is not in this code"


def _c_in_part(v: Variant) -> bool:
    """Whether a C file of the variant is known only in part; once per variant (asked per comparison and name).
    A file known absent (a patch deleted it) is known: nothing of it is left for a tree to show."""
    return by_identity("c-in-part", (v,), (), lambda: any(
        not f.complete and not f.absent for f in v.c_files))


def _unread_include(v: Variant) -> bool:
    """Whether a known line of the variant's C files includes a header the variant lacks, ``"..."`` next to it
    (harness.tuorder.include_target UNKNOWN) or ``<...>`` (None: mainline's ``<asm/tdx.h>`` held the SEAMCALL
    helpers, and mail alone reads no header); once per variant."""
    def scan() -> bool:
        lines = [(f, n) for f in v.c_files if not f.absent for n in f.includes]
        if not lines:  # every file of the state is read only where a line includes one (asked for every state)
            return False
        files = present(v.files)
        return any(include_target(f, n, files) in (UNKNOWN, None) for f, n in lines)
    return by_identity("unread-include", (v,), (), scan)


def _whole_hint(vs: tuple[Variant, ...], name: str) -> str:
    """_hint, and where the code is known whole (the name is not in it) a name it nearly has; where it names
    ``name`` (a prototype, a call) without defining it, that: the body is in a file no patch touches, not read."""
    hint = _hint(vs)
    if hint == "; give --tree":
        return hint
    if any(named_anywhere(v, name) for v in vs):
        return (f"; every C file the patches change is known whole, and {name}() is "
                f"called or declared there but defined in none of them: {_body_where(vs, name)}")
    return hint + _near(vs, name)


def _body_where(vs: tuple[Variant, ...], name: str) -> str:
    """Where the body of a name the code names but defines nowhere may be. With a tree, the .c files beside the
    state's were searched (harness.unitdefs), and then the tree's other .c files: a static function found there is
    said so, else the body is further."""
    again = next((said for v in vs if (said := reincluded(v))), "")
    if again:  # the body may be made by an inclusion the mirror does not read: no file is missing
        return f"its body may be what a later inclusion of a header defines: {again}"
    said = " ".join(v.headers.searched for v in vs)
    static = re.search(rf"{re.escape(name)}\(\) is static in [^;)]*", said)
    if static is not None:
        return static.group(0)
    # A definition found but not taken (harness.unitdefs: a file kbuild does not build, two as near, one a macro of
    # a header may make, an alias): that is where its body is, and why it was left.
    left = re.search(rf"{re.escape(name)}\(\) (?:is defined in|may be made by|is a weak alias of|is an alias of) "
                     r".*?(?:: not taken|, neither taken)", said)
    if left is not None:
        return left.group(0)
    searched = next((v.headers.searched for v in vs if "nor in the .c files of " in v.headers.searched), "")
    if ELSEWHERE in searched:  # every .c file of the tree was searched too (harness.unitdefs)
        return ("its body is in a file not read (a header no line read includes; no .c file of the tree at the base "
                "commit has a line starting its definition: one a macro makes is not looked for)")
    if searched:
        where = searched.split("nor in the .c files of ", 1)[1].split(";", 1)[0]
        return f"its body is in a file not read (a header no line read includes, a .c file other than those of {where})"
    return "its body is in a file not read (a header no line read includes, a .c file no patch touches)"


def _near(vs: tuple[Variant, ...], name: str) -> str:
    """" (did you mean 'fw_call'?)" when a function or macro of the variants' code is spelt nearly so: a
    matrix entry or a rule's function misspelt."""
    names = sorted(frozenset().union(*(_head_names(v) for v in vs)))
    # A slip of the pen is a letter or two: a helper of another name (the bundled matrix's seamcall_saved_ret()
    # on code that has seamcall_ret()) is no misspelling of it, and "did you mean" would tell a user it is.
    # Names whose lengths differ by more are further apart than that: not measured.
    # Nor is a name the other extends by a word's end (seamcall_ret() and seamcall_retry(): two helpers of the kernel).
    return closest(name, [n for n in names if abs(len(n) - len(name)) <= 2 and _edits(name, n) <= 2
                          and not _extends(name, n)])


def _extends(a: str, b: str) -> bool:
    """Whether one name is the other with two or more characters added at its end, or with underscores before it:
    the kernel's __seamcall() is the primitive seamcall() wraps, no slip for it (the bundled matrix's seamcall()
    beside a tree declaring __seamcall() read "did you mean '__seamcall'?")."""
    short, long = sorted((a, b), key=len)
    return (len(long) - len(short) >= 2 and long.startswith(short)) or long.lstrip("_") == short.lstrip("_") != long


def _head_names(v: Variant) -> frozenset[str]:
    """The names the variant's known C lines start a definition (or declaration) of; once per variant (asked per
    comparison and name that neither side provides: every file of every state read again was n*n steps)."""
    return by_identity("head-names", (v,), (), lambda: frozenset(
        name for f in v.c_files for frag in f.fragments() for _, name, _ in _heads_of(frag.lines)))


def _edits(a: str, b: str) -> int:
    """Levenshtein distance of two names (insertions, deletions, substitutions)."""
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, start=1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
    return row[-1]


def _unusable(v: Variant) -> list[str]:
    return list(by_identity("unusable", (v,), (), lambda: _unusable_paths(v)))  # once per variant, as _c_in_part


def _unusable_paths(v: Variant) -> tuple[str, ...]:
    broken = {f.path for f in v.findings}
    return tuple(f.path for f in v.files if not f.usable and not f.absent and f.path in broken)


def unusable_code(v: Variant) -> list[str]:
    """The C files (``.c``, ``.h``) of the state that could not be built (a hunk that does not apply, a blob that
    does not match): what they hold is not read, so no check of the code can say it is absent there."""
    return [p for p in _unusable(v) if p.endswith((".c", ".h"))]


def named_anywhere(v: Variant, name: str) -> bool:
    """Whether any known line of the variant's C names ``name`` (a call, a use, a definition): ``name`` is one of
    its words, as ``\bname\b`` finds it."""
    return name in _words(v)


def _words(v: Variant) -> frozenset[str]:
    """Every word of the variant's known C lines (rules and renames ask about many names of each variant)."""
    return by_identity("words", (v,), (), lambda: frozenset().union(*map(_state_words, v.c_files)))


def _state_words(f: FileState) -> frozenset[str]:
    """Every word of a file state's known lines, read once per state: the variants share the states of the files
    their patches leave alone (a state never changes once built)."""
    return by_identity("state words", (f,), (), lambda: frozenset(
        w for frag in f.fragments() for line in frag.lines for w in _WORD.findall(line)))


_WORD = re.compile(r"\w+")


def missing_reason(v: Variant, name: str) -> str:
    """Why ``name`` has no definition the mirror can use in variant ``v`` (one line); once per variant and name,
    which every rule and scenario of that entry point asks again."""
    return by_identity("missing", (v,), (name,), lambda: _missing_reason(v, name))


def _missing_reason(v: Variant, name: str) -> str:
    partial = _known_from_hunks(v, name)
    if partial:
        return f"{name}() is known only from hunks of {', '.join(partial)} in {v.name}{_hint((v,))}"
    declared = _declared_in_hunks(v, name)
    if declared:
        return (f"{name}() is only declared in the lines known of {', '.join(declared)} in {v.name}: its body is "
                f"in lines no hunk shows{_hint((v,))}")
    text = f"{v.name} does not define {name}(){_read_words((v,))}"
    unusable = _unusable(v)
    if unusable:
        return text + f" ({', '.join(unusable)} not usable in {v.name}: see its apply findings){_tree_hint((v,))}"
    return text + (_later((v,), name) or _whole_hint((v,), name))


def _tree_hint(vs: tuple[Variant, ...]) -> str:
    """"; give --tree" where a file not usable is not all a tree would show: a C file known only from hunks may
    hold the name (the file to blame was said, the remedy not); nothing where every usable file is whole."""
    return "; give --tree" if _hint(vs) == "; give --tree" else ""


def _unusable_in(vs: tuple[Variant, ...]) -> str:
    """The files not usable in each of ``vs``, each with the variant it is not usable in ('x.c not usable in
    v4:05'): one usable on the other side is no reason that side lacks a name."""
    said: dict[str, list[str]] = {}
    for v in vs:
        for path in _unusable(v):
            if v.name not in said.setdefault(path, []):
                said[path].append(v.name)
    return ", ".join(f"{path} not usable in {' and '.join(names)}" for path, names in sorted(said.items()))


def neither_reason(a: Variant, b: Variant, name: str) -> str:
    """Why neither of two variants provides ``name`` (one line): once per pair of variants and name (the comparisons
    and the rules say it of the same pair again)."""
    return by_identity("neither reason", (a, b), (name,), lambda: _neither_reason(a, b, name))


def _neither_reason(a: Variant, b: Variant, name: str) -> str:
    partial = sorted(set(_known_from_hunks(a, name)) | set(_known_from_hunks(b, name)))
    if partial:
        return f"{name}() is known only from hunks of {', '.join(partial)}{_hint((a, b))}"
    declared = sorted(set(_declared_in_hunks(a, name)) | set(_declared_in_hunks(b, name)))
    if declared:
        return (f"{name}() is only declared in the lines known of {', '.join(declared)}: its body is in lines no "
                f"hunk shows{_hint((a, b))}")
    unusable = _unusable_in((a, b))
    if unusable:
        return f"neither {a.name} nor {b.name} defines {name}(){_read_words((a, b))} ({unusable}: see " \
               f"the apply findings){_tree_hint((a, b))}"
    return f"neither {a.name} nor {b.name} defines {name}(){_read_words((a, b))}" \
        + (_later((a, b), name) or _whole_hint((a, b), name))


def _read_words(vs: tuple[Variant, ...]) -> str:
    """Which files were looked in, said after "does not define NAME()" (was "in the files its patches touch", which
    a reader took for a fact of the kernel, not of what seamharness read): from mail, the files the patches change."""
    if all(v.base == NO_TREE for v in vs):
        return ": none of the files read has it (from mail: only the files the patches change)"
    return ": none of the files read from the tree has it"


def missing_on_both(entry: str, oa: Outcome, ob: Outcome) -> str | None:
    """The one name two outcomes of ``entry`` both lack (each not provided, or each stopped calling the same
    unknown function), which neither_reason says once for both sides; None otherwise."""
    if oa.status is OutcomeStatus.NOT_PROVIDED and ob.status is OutcomeStatus.NOT_PROVIDED:
        return entry
    ma, mb = UNKNOWN_FUNCTION.search(oa.error or ""), UNKNOWN_FUNCTION.search(ob.error or "")
    return ma.group(1) if ma is not None and mb is not None and ma.group(1) == mb.group(1) else None


# How _hint ends a reason of names in no file of the states, every C file the patches change known whole: absent all
# along.
NOT_IN_CODE = re.compile(r"known whole: the names? (?:is|are) not in this code")
# How _later ends a reason whose function a later patch of the revision adds (neither side has it yet): that patch's
# label. The terminal says such a gap under the first patch of a section only (reports.terminal.comparison_lines).
ADDED_LATER = re.compile(r"; (\S+ \S+) adds (?:it|them) later \(")


def later_reason(vs: tuple[Variant, ...], name: str) -> str:
    """_later: why these variants lack ``name`` for now ('...adds it later'), or "" when no later patch adds it."""
    return _later(vs, name)


def _later(vs: tuple[Variant, ...], name: str) -> str:
    """"; v3 06/26 adds it" when a later patch of the revision adds ``name``: a tree would not have it either;
    "...which V drops" when a patch a reviewer variant leaves out defines it: the variant does not build."""
    gone = next(((v, label) for v in vs for n, label in v.dropped_defines if n == name), None)
    if gone is not None:
        return f"; {gone[1]} defines it, and {gone[0].name} drops that patch: code calling it does not build there"
    by = next((label for v in vs for n, label in v.added_later if n == name), None)
    if by is None:
        return ""
    if any(applied.startswith(f"{by} <") for v in vs for applied in v.applied):
        return f"; {by}, compared here, adds it"  # the later side has the patch: new in it, not "later"
    # With --tree given, "a tree would not hold it" read as advice to give one: the base read does not hold it.
    tree = next((v.base for v in vs if v.base != NO_TREE), None)
    return f"; {by} adds it later ({'a tree would not hold it yet' if tree is None else 'the base does not hold it'})"


def _added_after(vs: tuple[Variant, ...], name: str) -> bool:
    """Whether a later patch of the revision adds ``name`` and none of ``vs`` has that patch applied (_later's
    "adds it later", not its "compared here")."""
    by = next((label for v in vs for n, label in v.added_later if n == name), None)
    return by is not None and not any(applied.startswith(f"{by} <") for v in vs for applied in v.applied)


def absence_unknown(v: Variant, name: str) -> bool:
    """Whether a variant's lack of ``name`` says nothing of the code: read from mail alone, its C known only in
    fragments or including a header the mail lacks, the definition may lie in lines no hunk shows or in that header
    (no later patch adds it, and no patch a reviewer variant drops defines it). A rule may not pass on the other entry
    points as if this one were absent."""
    return by_identity("absence-unknown", (v,), (name,),
                       lambda: _hint((v,)) == "; give --tree" and not _later((v,), name))


def absent_from_home(v: Variant, name: str, origin: str | None) -> bool:
    """Whether ``v`` surely lacks a discovered entry point ``name`` defined at ``origin`` ('path:line' of another
    state): ``v`` holds that file whole (a patch creates it, or a tree gave it) without it, or the file is not there
    yet (a later patch of ``v``'s revision creates it), and no known line of ``v`` names it (a call would put a body
    elsewhere). A v4 adding a wrapper to a header v3 creates left v3's rules inconclusive, 'v3 does not define it
    ...: give --tree', though no tree could give v3 what its own whole file lacks."""
    if origin is None or named_anywhere(v, name):
        return False
    path = origin.rsplit(":", 1)[0]
    f = v.file(path)
    if f is None:
        return any(p == path for p, _, _ in v.created_later)
    return f.absent or (f.complete and f.usable)


def absence_unknown_at(v: Variant, name: str, origin: str | None) -> bool:
    """absence_unknown, but of a discovered entry point whose home (``origin``) ``v`` shows without it
    (absent_from_home): known."""
    return absence_unknown(v, name) and not absent_from_home(v, name, origin)


def absence_known(v: Variant, name: str, unit: str) -> bool:
    """Whether ``v`` surely lacks ``name``: read from mail alone, every C file known whole (the series creates them)
    and usable, none including a header the mail lacks, none naming it (a call left would put its body in
    a file not read), ``unit`` there. With a tree a header the include search did not reach may hold it
    (harness.sysheaders): not known. A name a later patch adds, or one of a patch the variant drops, keeps that reason
    (_later): a prefix state lacks it for now."""
    return v.base == NO_TREE and not _c_in_part(v) and not _unread_include(v) and not named_anywhere(v, name) \
        and not unusable_code(v) and missing_unit((v,), unit) is None and not _later((v,), name)


def absence_read(v: Variant, name: str, unit: str) -> bool:
    """absence_known, but of a variant read with a tree too: every C file read whole and usable, none naming ``name``
    nor including a header not found, ``unit`` there, no later patch adding it. A header of the tree the include
    search did not reach may still hold it: the name is absent from the code read, not known absent."""
    return not _c_in_part(v) and not _unread_include(v) and not named_anywhere(v, name) and not unusable_code(v) \
        and missing_unit((v,), unit) is None and not _later((v,), name)


def known_removed(v: Variant) -> frozenset[str]:
    """The names a patch of ``v`` removed whose absence from ``v`` is known (absence_unknown): a call left to one
    does not build (harness.tuorder.removed_called)."""
    return frozenset(n for n, _ in v.removed_defines if not absence_unknown(v, n))


def missing_unit(vs: tuple[Variant, ...], path: str) -> str | None:
    """How these variants lack the translation unit at ``path``, when none has it: the tree has no such file
    there (harness.rununits.unit_absent: its scenarios are not provided); None when one has it or may (mail alone)."""
    files = [v.file(path) for v in vs]
    if not files or not all(f is not None and f.absent for f in files):
        return None
    which = f"neither {vs[0].name} nor {vs[1].name} has" if len(vs) > 1 else f"{vs[0].name} lacks"
    return f"{which} ({files[0].provenance[0] if files[0] else ''})"


def unit_gap(sides: tuple[tuple[Variant, Outcome], ...], entry: str, path: str) -> str | None:
    """Why ``entry`` was not compared when a side lacks the unit it runs in (missing_unit), with why the other
    side did not run either, if it did not; None when no side lacks it."""
    lacking = tuple(v for v, o in sides if o.status is OutcomeStatus.NOT_PROVIDED)
    if _added_after(lacking, entry):  # a patch after both adds it (v3 07/26), wherever it then runs: that is why
        return None
    how = missing_unit(lacking, path)
    if how is None:
        return None
    others = [not_run_reason(v, entry, o) for v, o in sides if not o.ran and o.status is not OutcomeStatus.NOT_PROVIDED]
    return "; ".join([f"{entry}() runs in {path}, which {how}", *others])


def mail_gap(vs: tuple[Variant, ...], error: str) -> str:
    """', which no line the mail shows defines; give --tree' after an error naming an unknown identifier of states
    read from mail: the gap is in the mail (a header not read, lines no hunk shows), not in what the mirror models;
    "" otherwise."""
    return f", which no line the mail shows defines{TREE_HINT}" if UNKNOWN_NAME.search(error) and \
        _hint(vs) == TREE_HINT else ""


def not_run_reason(v: Variant, entry: str, o: Outcome, also: Variant | None = None) -> str:
    """Why an outcome is not something that ran: the entry is missing, or the mirror could not run it.
    ``also``: another variant whose outcome stopped with the same error, named in the same sentence (the
    two sides of a comparison, so that a long reason is not said twice)."""
    if o.status is OutcomeStatus.NOT_PROVIDED:
        return missing_reason(v, entry)
    m = UNKNOWN_FUNCTION.search(o.error or "")
    if m is not None:  # the entry point that stopped is named: a callee several share is not the rule's subject
        return missing_reason(v, m.group(1)) if m.group(1) == entry else \
            f"{entry}(){STOPS_AT}{m.group(1)}(): {missing_reason(v, m.group(1))}"
    names = f"{v.name} or {also.name}" if also is not None else v.name
    if (o.error or "").startswith(LINK_UNKNOWN):  # its own sentence: the mirror could run it, the kernel may not
        return f"in {names}, {(o.error or '').removeprefix(LINK_UNKNOWN)}"
    if o.error_kind is ErrorKind.UNSUPPORTED:
        said = mail_gap(tuple(x for x in (v, also) if x is not None), o.error or "")
        if said:
            return f"{entry}() did not run in {names}: {o.error}{said}"
        return f"the mirror cannot run {entry}() in {names}: {o.error}"
    return f"{entry}() did not run in {names}: {o.error or o.status}"

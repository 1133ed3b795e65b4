"""A local variable a rule names, found under another name: the same function elsewhere in the input, token by token.

A rule names a variable as the review saw it (``retry_code`` in v3's sc_retry()). Another revision may call it
otherwise (``busy``), or choose the value another way (a helper's return value). Where the function the rule
judges does not set the variable, the other texts of that function the input shows (every revision's patches,
what their hunks show whole) that do name it are lined up with the variant's, token by token (difflib, as
harness.renames measures a helper's rename): when every use of the variable there stands, in the variant's
text, where one identifier the variant's function sets stands, and nothing else moved around it, that
identifier is the variable under its new name. Anything else (the uses stand where an expression or a call
stands, or where two names stand) is no rename: the reason is said, never a guess.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from difflib import SequenceMatcher

from harness.diffmodel import LineKind
from harness.model import Revision
from harness.renames import posted_definitions
from harness.renamescore import THRESHOLD, similarity, token_list
from models.record import record
from models.slicer import Definition, Kind


@record
class LocalRename:
    """``var`` as the other text has it, ``new`` as the variant's function has it."""

    var: str
    new: str
    fn: str
    seen: str  # where the other text is: "v3's sc_retry() (arch/x86/virt/vmx/tdx/seamcall.h:46)"

    def note(self) -> str:
        """``retry_code is busy in sc_retry(): busy stands where v3's sc_retry() (FILE:LINE) has retry_code``."""
        return f"{self.var} is {self.new} in {self.fn}(): {self.new} stands where {self.seen} has {self.var}"


Stretch = tuple[int, list[str], list[str], list[str]]  # places of var in it, its tokens, its statements, new's


def _aligned(var: str, old: list[str], new: list[str]) -> tuple[set[str], list[Stretch]]:
    """What stands in ``new`` where ``old`` has ``var`` (tokens): the identifiers where the two differ by a name
    for a name, and the stretches of ``old`` holding ``var`` that differ otherwise (a line moved or gone, a call
    for a comparison), each with what ``new`` has there."""
    found: set[str] = set()
    loose: list[Stretch] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        at = [i for i in range(i1, i2) if old[i] == var]
        if at and op == "replace" and i2 - i1 == j2 - j1:
            found |= {new[j1 + i - i1] for i in at}
        elif at:
            loose.append((len(at), old[i1:i2], _statement(old, i1, i2), _statement(new, j1, j2) if j2 > j1 else []))
    return found, loose


def _statement(tokens: list[str], i: int, j: int) -> list[str]:
    """The tokens ``i:j`` widened to the statements they lie in (from after a ``;``, ``{`` or ``}`` to a ``;``)."""
    start = max((k + 1 for k in range(i) if tokens[k] in ";{}"), default=0)
    end = next((k + 1 for k in range(j, len(tokens)) if tokens[k] in ";{}"), len(tokens))
    return tokens[start:end]


def _spelt(tokens: list[str]) -> str:
    """Tokens as C is written (``ret == retry_code``, ``sc_need_retry(fn, ret)``)."""
    text = re.sub(r"([=!<>]) (?==)|([&|+\-]) (?=\2)", r"\1\2", " ".join(tokens))
    text = re.sub(r"(?<=[(\[]) | (?=[)\],;])|(?<=\w) (?=\()|(?<=--|\+\+) (?=\w)", "", text)
    return re.sub(r"\b(if|while|for|switch|return)\(", r"\1 (", text)


def _occurs(part: list[str], tokens: list[str]) -> bool:
    n = len(part)
    return any(tokens[k:k + n] == part for k in range(len(tokens) - n + 1))


def _shown(rev: Revision, names: tuple[str, ...]) -> list[Definition]:
    """The function's texts a revision's hunks show on their new side from its head on, whole or not: a patch
    that changes a function shows its head and the lines around each change, rarely its closing brace (what
    the hunk holds is read; lines it does not show are not guessed)."""
    out = []
    for p in rev.patches:
        for f in p.files:
            for h in f.hunks:
                lines = [ln for ln in h.lines if ln.kind is not LineKind.REMOVED]
                for i, ln in enumerate(lines):
                    m = _HEAD.match(ln.text)
                    if m is None or m.group(1) not in names or ln.text.rstrip().endswith(";"):
                        continue
                    end = next((k for k in range(i + 1, len(lines)) if lines[k].text.startswith("}")), len(lines) - 1)
                    text = "\n".join(x.text for x in lines[i:end + 1]) + "\n"
                    out.append(Definition(Kind.FUNCTION, m.group(1), text, f.target_path or f.path,
                                          ln.target_no or h.target_start))
    return out


_HEAD = re.compile(r"^[A-Za-z_][\w\s\*]*?\b([A-Za-z_]\w*)\s*\(")


def plain_texts(names: tuple[str, ...], var: str, revisions: tuple[Revision, ...]) -> list[Definition]:
    """The texts of the function under any of its names that revisions' patches show whole without ``var``."""
    return [d for rev in revisions for name in names for d in posted_definitions(rev).get(name, ())
            if d.kind is Kind.FUNCTION and var not in token_list(d.text)]


def other_texts(names: tuple[str, ...], var: str, revisions: tuple[Revision, ...]) -> list[tuple[str, Definition]]:
    """(revision, text) of each text of the function under any of its names that names ``var``: those its
    patches show whole (harness.renames.posted_definitions), and those a hunk shows from the head on."""
    out: dict[str, tuple[str, Definition]] = {}
    for rev in revisions:
        whole = [d for name in names for d in posted_definitions(rev).get(name, ()) if d.kind is Kind.FUNCTION]
        for d in [*whole, *_shown(rev, names)]:
            if var in token_list(d.text):
                out.setdefault(" ".join(token_list(d.text)), (f"v{rev.version}", d))
    return list(out.values())


def _in_place(var: str, fn: str, text: str, seen: str, d: Definition, sets: frozenset[str]) -> tuple[str, str]:
    """(the name standing where ``d`` has ``var`` in ``text``, "") or ("", why none does)."""
    place = f"{seen}'s {d.name}() ({d.where})"
    score = similarity(d.text, text, {d.name: fn})
    if score < THRESHOLD:
        return "", f"{place} sets it, but is only {score}% like {fn}() here"
    a, b = token_list(d.text), token_list(text)
    got, loose = _aligned(var, a, b)
    # A stretch moved (a declaration put after another) is the same under the new name somewhere else.
    stray = [x for x in loose if len(got) != 1 or not _occurs([next(iter(got)) if t == var else t for t in x[1]], b)]
    if stray or not got:
        shown = next((x for x in stray if x[3]), None)
        example = f" ('{_spelt(shown[2])}' is '{_spelt(shown[3])}' here)" if shown else ""
        return "", f"{sum(x[0] for x in stray)} of the {a.count(var)} places {place} has {var} have no one " \
                   f"name in their place in {fn}() here{example}: it does not keep that value in one variable"
    names = sorted(got)
    if len(names) != 1 or names[0] not in sets or names[0] in token_list(d.text):
        why = "which it does not set" if len(names) == 1 and names[0] not in sets else "not one new name"
        return "", f"where {place} has {var}, {fn}() here has {', '.join(names)}: {why}"
    return names[0], ""


def find_local(var: str, fn: str, text: str, others: list[tuple[str, Definition]], sets: frozenset[str],
               plain: Sequence[Definition] = ()) -> LocalRename | str | None:
    """``var`` under its name in the function ``fn`` whose text is ``text`` (``others``: the other texts of the
    function that name ``var``, ``other_texts``; ``sets``: the variables ``fn`` sets), or why it cannot be told,
    or None when there is no such other text (nothing shows ``var`` was ever there), or when the function is,
    token for token, one of the ``plain`` texts it had without ``var`` (a patch adding it dropped: ``var`` is
    absent by design). Every other text must put the same name in its place."""
    tokens = token_list(text)
    if not others or any([fn if t == d.name else t for t in token_list(d.text)] == tokens for d in plain):
        return None
    found: dict[str, str] = {}
    why: list[str] = []
    for seen, d in others:
        new, reason = _in_place(var, fn, text, seen, d, sets)
        if new:
            found.setdefault(new, f"{seen}'s {d.name}() ({d.where})")
        else:
            why.append(reason)
    if len(found) == 1 and not why:
        new, place = next(iter(found.items()))
        return LocalRename(var, new, fn, place)
    if len(found) > 1:
        why.insert(0, "other texts put " + " and ".join(f"{n} ({p})" for n, p in found.items()) + f" where {var} is")
    return f"{fn}() does not set {var}, which other texts of it in the input do: " + "; ".join(why) + \
        " (not a variable renamed: judge it by eye)"

"""Rules against the matrix: selectors that name nothing refused, unseen entry points inconclusive.

A selector, component or required entry point that names nothing is refused; from mail alone, one naming an entry point
the hunks do not show is judged inconclusive, as is one whose entry points match nothing where a state judged has a
base problem (the patch's change never ran: docs/rules.md).
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable
from dataclasses import field

from harness.errors import InputError
from harness.matrix import VALUE_SCRIPT, Matrix
from harness.model import Series
from harness.rules import ConsistencyCheck, Rule, Selector
from harness.spec import closest, unknown
from harness.typos import typo_of
from models.record import record
from series import BUNDLED


class SelectorMismatch(InputError):
    """A rule names entries, leaves or scenarios the matrix does not have."""


# Why the code's functions a pattern matches are no entry points: ['sc_retry() (tdx.c:12): the matrix cannot feed its
# parameter ...'], [] where it matches none (harness.judge builds it from the variants' definitions, when needed).
KeptOut = Callable[[str], list[str]]


@record
class MailNames:
    """What the mail's code shows, to verify a "did you mean" against: the C names of its hunks' lines and the files
    its patches change (their paths and last components)."""

    identifiers: frozenset[str] = frozenset()
    files: dict[str, str] = field(default_factory=dict)  # path or file name -> the path


def mail_names(series: Series) -> MailNames:
    """The C names every .c/.h hunk of the series shows (context lines too) and the files its patches change."""
    lines = (ln.text for p in series.all_patches() for f in p.files if f.path.endswith((".c", ".h"))
             for h in f.hunks for ln in h.lines)
    names = frozenset(n for line in lines for n in _NAME.findall(line))
    files = {k: f.path for p in series.all_patches() for f in p.files for k in (f.path, f.path.rsplit("/", 1)[-1])}
    return MailNames(names, files)


_NAME = re.compile(r"\b[A-Za-z_]\w*\b")


def check_selectors(rules: tuple[Rule, ...], matrix: Matrix, mail_only: bool = False,
                    shown: MailNames | None = None, kept_out: KeptOut | None = None, unbuilt: str = ""
                    ) -> dict[str, str]:
    """Refuse a rule whose scenarios, components or required entry name nothing in the matrix.

    A selector that matches nothing would make its rule pass or be n/a without looking at anything.
    ``mail_only``: the variants were read from mail alone, whose code shows only what the hunks hold: an entry
    point named exactly that is not found and is no likely typo of one found may be a function no hunk shows.
    Such rules are returned (rule id -> why, with 'did you mean' where a name found is close), to be judged
    inconclusive on every variant; a likely typo of a name found is refused, saying 'or give --tree'. A rule
    whose wildcard entry (``tdx_sys_*``) matches no entry point found is returned too. A leaf or unit the matrix
    lacks is refused with a "did you mean" only for a likely typo (harness.typos), and said to be in the mail's code
    (``shown``) when it is, or, from mail alone, that it cannot be verified. An entry pattern matching no entry
    point but functions of the code (``kept_out``: why each is none) says so, not the nearest entry point's name.
    ``unbuilt``: the first base problem of a state judged (a hunk git apply refuses): the code that ran is not what
    the patches make, so an entry point only they would create is missing for that reason; a rule whose entry points
    match none is then returned too (inconclusive, saying why), not refused as a bad rules file.
    """
    unseen: dict[str, str] = {}
    for rule in rules:
        names = _unseen_entries(rule, matrix, shown or MailNames()) if mail_only else ()
        pats = _unmatched_patterns(rule, matrix) if mail_only else ()
        # A name a hunk's line shows is the code's (its body not shown whole): no other name is meant.
        near = [n + ("" if shown and n in shown.identifiers else closest(n, _found(matrix))) for n in names]
        said = [f"{', '.join(near)} {'is' if len(names) == 1 else 'are'} "
                "not in what the mail shows"] if names else []
        lit = [p + (f" (the nearest found: {n})" if (n := _nearest_name(p, set(_found(matrix)))) else "") for p in pats]
        said += [f"{', '.join(lit)} {'matches' if len(pats) == 1 else 'match'} nothing the mail shows"] if pats else []
        if said:
            unseen[rule.id] = "; ".join(said) + ": give --tree"
        try:
            _check_rule(rule, matrix, mail_only, {*names, *pats}, shown or MailNames(), kept_out)
        except SelectorMismatch as exc:
            gone = _entries_missing(rule, matrix) if unbuilt else ()
            if not gone or _names_refused(rule, matrix, mail_only, shown or MailNames()):
                raise SelectorMismatch(exc.where, exc.message + _bundled(matrix)) from None
            unseen[rule.id] = (f"its entry point{'s' if len(gone) > 1 else ''} {', '.join(gone)} "
                               f"match{'' if len(gone) > 1 else 'es'} none of the code that ran, which is not what "
                               f"the patches make: {unbuilt}")
    return unseen


def _names_refused(rule: Rule, matrix: Matrix, mail_only: bool, shown: MailNames) -> bool:
    """Whether a leaf, script or unit the rule's selector names is refused (_check_names): no patch makes those, so
    a base problem does not excuse it."""
    sel = getattr(rule.check, "scenarios", None)
    try:
        if isinstance(sel, Selector):
            _check_names(rule, sel, matrix, mail_only, shown)
            _check_patterns(rule, sel, matrix, shown)
    except SelectorMismatch:
        return True
    return False


def _entries_missing(rule: Rule, matrix: Matrix) -> tuple[str, ...]:
    """The entry points a rule names (its scenario selector's patterns, its components', its requires_entry) that
    match no entry point of the matrix, which holds those found in the code that ran."""
    known = {s.entry.name for s in matrix.scenarios} | {e.name for e in matrix.entries}
    sel = getattr(rule.check, "scenarios", None)
    named = [*(sel.entry if isinstance(sel, Selector) else ()), *(rule.requires_entry or "",)]
    if isinstance(rule.check, ConsistencyCheck):
        named += [e for comp in rule.check.components.values() for e in comp.entries]
    return tuple(dict.fromkeys(p for p in named if p and not any(fnmatch.fnmatchcase(k, p) for k in known)))


def _bundled(matrix: Matrix) -> str:
    """A rule of the user's own series refused against a bundled matrix (chosen by the code's [match], not asked
    for): say so, and what takes the user's own scripts and leaves."""
    if not matrix.path.resolve().is_relative_to(BUNDLED.resolve()):
        return ""
    return (f" ({matrix.path} is the bundled series' matrix, taken because the input's code matches its [match]; "
            "for scripts, leaves or entry points of your own give --matrix FILE: docs/matrix.md)")


def _unmatched_patterns(rule: Rule, matrix: Matrix) -> tuple[str, ...]:
    """The wildcard entry points of a rule's scenario selector (``tdx_sys_*``) that match no entry point found:
    from mail alone, functions of the tree no hunk shows may be what they are written for."""
    sel = getattr(rule.check, "scenarios", None)
    pats = sel.entry if isinstance(sel, Selector) else ()
    known = _found(matrix)
    return tuple(dict.fromkeys(p for p in pats if any(c in p for c in "*?[")
                               and not any(fnmatch.fnmatchcase(k, p) for k in known)))


def _entry_names(rule: Rule) -> list[tuple[str, str, str]]:
    """Every entry point a rule names exactly (no wildcard), each with its key and how an error names it."""
    check = rule.check
    sel = getattr(check, "scenarios", None)
    named = [(n, f"scenarios.entry.{n}", "scenarios") for n in sel.entry] if isinstance(sel, Selector) else []
    if isinstance(check, ConsistencyCheck):
        named += [(n, "components", f"component {k!r}") for k, comp in check.components.items() for n in comp.entries]
    if rule.requires_entry is not None:
        named.append((rule.requires_entry, "requires_entry", "requires_entry"))
    return [x for x in named if not any(c in x[0] for c in "*?[")]


def _found(matrix: Matrix) -> list[str]:
    """The entry points the matrix names or the code read defines."""
    return sorted({e.name for e in matrix.entries} | {s.entry.name for s in matrix.scenarios})


def _unseen_entries(rule: Rule, matrix: Matrix, shown: MailNames) -> tuple[str, ...]:
    """The entry points a rule names exactly that mail alone does not show. One that is a likely typo of a name
    found (harness.typos: a letter or two, not another word) is refused here with that name and 'or give --tree',
    unless a hunk's line names it (``shown``: a function whose body no hunk shows whole, its definition's line
    or a call of it in context): it is the code's own name, however close to one found; a name sharing words
    with one found (seamldr_install and seamldr_shutdown) may be a function no hunk shows, so difflib's
    closeness alone does not refuse it."""
    known = _found(matrix)
    found: list[str] = []
    for name, key, label in _entry_names(rule):
        if name in known or name in found:
            continue
        typo = None if name in shown.identifiers else typo_of(name, known)
        if typo is not None:
            where = f"entry point (of the matrix {matrix.path}, or found in the code)"
            raise SelectorMismatch(rule.place(key), f"rule {rule.id}: {label}: unknown {where} {name!r} (did you "
                                   f"mean {typo!r}?); known: {', '.join(known) or 'none'}; or give --tree: from "
                                   "mail alone only the functions the hunks show are found")
        found.append(name)
    return tuple(found)


def _check_rule(rule: Rule, matrix: Matrix, mail_only: bool, unseen: set[str], shown: MailNames,
                kept_out: KeptOut | None = None) -> None:
    """check_selectors for one rule; names in ``unseen`` (mail alone does not show them) are not refused."""
    entries = {e.name for e in matrix.entries}
    # An entry point found in the code is one too; from mail alone a function no hunk shows whole is not found.
    where = f"entry point (of the matrix {matrix.path}, or found in the code)"
    hint = " (from mail alone only the functions the hunks show are found: give --tree)" if mail_only else ""
    check = rule.check
    sel = getattr(check, "scenarios", None)
    if isinstance(sel, Selector):  # a misspelt name first, with the closest ones: then what matches nothing
        _check_names(rule, sel, matrix, mail_only, shown)
        _check_patterns(rule, sel, matrix, shown)
    if isinstance(sel, Selector) and sel != Selector() and not unseen.intersection(sel.entry) \
            and not any(sel.picks(s) for s in matrix.scenarios):
        _check_entry_names(rule, sel, matrix, mail_only)
        raise SelectorMismatch(rule.place("scenarios"), f"rule {rule.id}: the scenario selector matches no "
                               f"scenario of the matrix {matrix.path}{_matching_nothing(sel, matrix, kept_out)}")
    if isinstance(check, ConsistencyCheck):
        for name, comp in check.components.items():
            if not comp.entries or not comp.leaves:
                raise SelectorMismatch(rule.places.get(f"components.{name}", rule.place("components")),
                                       f"rule {rule.id}: component {name!r} names no entry or leaf")
            for what, got, known in (("entry", comp.entries, sorted(entries)), ("leaf", comp.leaves,
                                                                               list(matrix.leaves))):
                for x in got:
                    if x not in known and x not in unseen:  # at its key: the component's own entries or leaves
                        key = f"components.{name}.{'entries' if what == 'entry' else 'leaves'}.{x}"
                        raise SelectorMismatch(rule.places.get(key, rule.place("components")),
                                               f"rule {rule.id}: component {name!r}: "
                                               + _component_name(what, x, known, matrix, mail_only, shown)
                                               + _not_a_pattern(x, known) + (hint if what == "entry" else ""))
    if rule.requires_entry is not None and rule.requires_entry not in entries | unseen:
        raise SelectorMismatch(rule.place("requires_entry"), f"rule {rule.id}: requires_entry: "
                         + unknown(where, rule.requires_entry, sorted(entries)) + hint)


def _component_name(what: str, name: str, known: list[str], matrix: Matrix, mail_only: bool,
                    shown: MailNames) -> str:
    """A component's unknown entry or leaf. A leaf gets "did you mean" only for a likely typo, as a selector's
    (_leaf_or_unit): difflib's nearest ('TDH_SYS_INIT' for 'TDH_SYS_SHUTDOWN') is another leaf, not the one meant."""
    if what == "entry":
        return unknown(f"entry point (of the matrix {matrix.path}, or found in the code)", name, known)
    return (f"unknown leaf of the matrix {matrix.path} {name!r}{_leaf_or_unit('leaf', name, known, mail_only, shown)}"
            f"; known: {', '.join(known) or 'none'}")


def _matching_nothing(sel: Selector, matrix: Matrix, kept_out: KeptOut | None = None) -> str:
    """Which of a selector's patterns match no name of their key ('tdx_foo_*' no entry point), or that each one
    matches but no scenario has them together: the line alone did not say which part to fix."""
    fields = (("entry point", sel.entry, {s.entry.name for s in matrix.scenarios}),
              ("leaf", sel.leaf, {n for s in matrix.scenarios for n in (s.leaf_name, *s.stands_for)}),
              ("script", sel.script, {s.script.name for s in matrix.scenarios}),
              ("unit", sel.unit, {s.unit.name for s in matrix.scenarios}))
    none = [f"{what} {pat!r} matches no {what} of it{_not_entries(pat, kept_out) or _nearest(what, pat, names)}"
            for what, pats, names in fields for pat in pats if not any(fnmatch.fnmatchcase(n, pat) for n in names)]
    return f" ({'; '.join(none)})" if none else " (each of its names matches, but no scenario has them together)"


def _not_entries(pat: str, kept_out: KeptOut | None) -> str:
    """After an entry pattern that matches no entry point: the functions of the code it names and why each is no
    entry point (a retry helper handed a function pointer, sc_retry(): the matrix feeds no function pointer), and
    what a rule's entry is; '' where it names none (the nearest entry point's name is said instead)."""
    said = kept_out(pat) if kept_out is not None else []
    if not said:
        return ""
    return (f": {'; '.join(said)}; a rule's entry is a function a scenario runs, its parameters fed by the matrix, so "
            "select the entry points that reach it, or run it with a [params] feed or an [[entry]] (docs/matrix.md)")


def _nearest(what: str, pat: str, names: set[str]) -> str:
    """After a pattern that matches nothing: the name nearest its letters ('tdx_cal_prerr*' said nothing of
    tdx_call_prerr(), where the same name without the '*' got a 'did you mean'), or, for a value run's script
    name that eval's facts show ('neighbour-0x...'), that no matrix has it."""
    if what == "script" and pat.startswith(f"{VALUE_SCRIPT}-"):
        return (f": {VALUE_SCRIPT}-0x... scripts are the value runs eval makes, not a matrix's; --matrix-add FILE "
                f"adds a script answering that status (docs/matrix.md)")
    near = _nearest_name(pat, names)
    return f": the nearest is {near}" if near else ""


def _nearest_name(pat: str, names: set[str]) -> str:
    """The name nearest a pattern's letters, its wildcards left out, quoted ("'tdx_call_prerr'"), or ''."""
    near = closest(re.sub(r"\[[^]]*\]|[*?]", "", pat), sorted(names))
    return near.removeprefix(" (did you mean ").removesuffix("?)")


def _not_a_pattern(name: str, known: list[str]) -> str:
    """A component's entry or leaf written as a pattern, as scenario selectors take them: components name each
    one, and the names it would match are said (a 'did you mean' naming one of them hid that)."""
    if not any(c in name for c in "*?["):
        return ""
    hits = [k for k in known if fnmatch.fnmatchcase(k, name)]
    return f"; a component names each one, not a pattern{': write ' + ', '.join(hits) if hits else ''}"


def _check_names(rule: Rule, sel: Selector, matrix: Matrix, mail_only: bool, shown: MailNames) -> None:
    """Refuse a leaf, script or unit named without a wildcard that the matrix does not have: one misspelt
    name of a list would otherwise drop its scenarios silently while the others still match."""
    fields = (("leaf", sel.leaf, {n for s in matrix.scenarios for n in (s.leaf_name, *s.stands_for)}),
              ("script", sel.script, {s.script.name for s in matrix.scenarios}),
              ("unit", sel.unit, {s.unit.name for s in matrix.scenarios}))
    for what, pats, known in fields:
        for pat in pats:
            if not any(c in pat for c in "*?[") and pat not in known:
                names = sorted(known)
                paths = {sc.unit.path: sc.unit.name for sc in matrix.scenarios} if what == "unit" else {}
                why = f" (did you mean {paths[pat]!r}, the unit of that path?)" if pat in paths else \
                    _leaf_or_unit(what, pat, names, mail_only, shown) if what != "script" else closest(pat, names)
                raise SelectorMismatch(rule.place(f"scenarios.{what}.{pat}"), f"rule {rule.id}: scenarios: unknown "
                                       f"{what} of the matrix {matrix.path} {pat!r}{why}; known: "
                                       f"{', '.join(names) or 'none'}")


def _check_patterns(rule: Rule, sel: Selector, matrix: Matrix, shown: MailNames) -> None:
    """Refuse a script pattern that matches no script of the matrix, whose scripts no code changes, and a leaf pattern
    one slip off a leaf (_misspelt_leaf): where the selector is not checked whole (an entry point the mail does not
    show, the rule inconclusive until --tree), a misspelt one was left unsaid behind 'give --tree'."""
    scripts = {s.name for s in matrix.scripts} | {s.script.name for s in matrix.scenarios}
    for pat in sel.script:
        if not any(fnmatch.fnmatchcase(n, pat) for n in scripts):
            raise SelectorMismatch(rule.place("scenarios"), f"rule {rule.id}: the scenario selector matches no "
                                   f"scenario of the matrix {matrix.path} (script {pat!r} matches no script of it"
                                   f"{_nearest('script', pat, scripts)})")
    leaves = {n for s in matrix.scenarios for n in (s.leaf_name, *s.stands_for)} | set(matrix.leaves)
    for pat in sel.leaf:
        meant = _misspelt_leaf(pat, leaves, shown.identifiers)
        if meant:
            raise SelectorMismatch(rule.place("scenarios"), f"rule {rule.id}: the scenario selector matches no "
                                   f"scenario of the matrix {matrix.path} (leaf {pat!r} matches no leaf of it: did "
                                   f"you mean {meant!r}?)")


def _misspelt_leaf(pat: str, leaves: set[str], code: frozenset[str]) -> str:
    """The pattern meant, where a leaf pattern with one '*' at an end ('SEAMLDR_INOF*', '*_SYS_INTI') matches no leaf
    of the matrix nor name of the mail's code and its letters are a likely typo (harness.typos) of the same end of
    one of those; '' otherwise. A leaf may come from code the mail does not show (a constant of the tree), so only a
    slip is refused: 'TDH_SYS_LP_INIT*' is another word, left for --tree to decide."""
    if pat.count("*") != 1 or any(c in pat for c in "?[") or (not pat.startswith("*") and not pat.endswith("*")):
        return ""
    names = leaves | code
    if any(fnmatch.fnmatchcase(n, pat) for n in names):
        return ""
    text = pat.strip("*")
    if len(text) < 4:
        return ""
    size = len(text)
    ends = {n[:k] if pat.endswith("*") else n[-k:] for n in names for k in (size - 1, size, size + 1) if len(n) >= k}
    near = typo_of(text, ends)
    return "" if near is None else (f"{near}*" if pat.endswith("*") else f"*{near}")


def _leaf_or_unit(what: str, name: str, known: list[str], mail_only: bool, shown: MailNames) -> str:
    """What a leaf or unit the matrix lacks may be, verified: a likely typo of one it has (harness.typos; difflib's
    nearest, 'SEAMLDR_INFO' for 'SEAMLDR_SHUTDOWN', is another name), a name or file of the mail's code the matrix does
    not run, or, from mail alone, that neither can be told (the hunks show a part of the code)."""
    typo = typo_of(name, known)
    if typo is not None:
        return f" (did you mean {typo!r}?)"
    mine = shown.identifiers if what == "leaf" else shown.files.keys()
    found = name if name in mine else typo_of(name, mine)
    add = "a [leaves] entry" if what == "leaf" else "a [[unit]]"
    if found is not None:
        where = f" ({shown.files[found]})" if what == "unit" and shown.files[found] != found else ""
        said = "a name in the mail's code" if what == "leaf" else "a file the mail's patches change"
        near = "" if found == name else f"did you mean {found!r}? "
        return f" ({near}{found!r}{where} is {said}, not a {what} of the matrix: add {add} for it to run it)"
    if mail_only:
        return (f" (no {what} of the matrix is a likely typo of it, and no hunk of the mail shows it: from mail alone "
                "whether it is misspelt cannot be verified)")
    return f" (no {what} of the matrix is a likely typo of it)"


def _check_entry_names(rule: Rule, sel: Selector, matrix: Matrix, mail_only: bool) -> None:
    """Name a misspelt entry of a selector that matches nothing, with the closest entry points: the
    matrix's and those found in the code. Only then: an entry point one revision's code has may be
    missing from the variants run, and the other names of a list still select. From mail alone a function
    whose body no hunk shows is not found at all: said, as --tree finds it."""
    known = sorted({s.entry.name for s in matrix.scenarios})
    hint = " (from mail alone only the functions the hunks show are found: give --tree)" if mail_only else ""
    for pat in sel.entry:
        if not any(c in pat for c in "*?[") and pat not in known:
            raise SelectorMismatch(rule.place(f"scenarios.entry.{pat}"), f"rule {rule.id}: scenarios: " + unknown(
                f"entry point (of the matrix {matrix.path}, or found in the code)", pat, known) + hint)

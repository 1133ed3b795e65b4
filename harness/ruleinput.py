"""Rules against the input: a patch number, title or reference that names nothing in it is refused (docs/rules.md)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence

from harness.errors import InputError
from harness.rules import ChangelogCheck, Rule
from harness.spec import unknown
from models.lazyre import lazy

_STATE = lazy(r"^(?:v\d+(?::\d+)?|base)$")


def patch_numbers(rule: Rule) -> tuple[tuple[int, str], ...]:
    """The patch numbers a rule names for one revision, each with the key that names it: ``applies_from``
    (without a title), ``reference = "before:N"`` and a changelog check's ``patch``."""
    found: list[tuple[int, str]] = []
    if rule.patch is None and rule.applies_from is not None:
        found.append((rule.applies_from, "applies_from"))
    m = re.fullmatch(r"before:(\d+)", getattr(rule.check, "reference", None) or "")
    if m:
        found.append((int(m.group(1)), "reference"))
    if isinstance(rule.check, ChangelogCheck) and rule.check.patch is not None:
        found.append((rule.check.patch, "patch"))
    return tuple(found)


def check_patch_numbers(rules: tuple[Rule, ...], totals: Mapping[int, int]) -> None:
    """Refuse a patch number (``applies_from``, ``before:N``, a changelog's ``patch``) that no revision of the
    input has (``totals``: version -> its number of patches): the rule would be "not applicable" everywhere, or
    judge a variant against itself, without a word."""
    if not totals:
        return
    most = max(totals.values())
    for rule in rules:
        for n, key in patch_numbers(rule):
            if not 1 <= n <= most:
                have = ", ".join(f"v{v} {t}" for v, t in sorted(totals.items()))
                raise InputError(rule.place(key), f"rule {rule.id}: {key}: no revision of the input has a patch "
                                                  f"{n} (patches per revision: {have})")


def check_patches(rules: tuple[Rule, ...], close: Callable[[str], list[str]],
                  ambiguous: Callable[[str], list[str]] | None = None) -> None:
    """Refuse a rule's ``patch`` that no revision's title holds but one nearly does (``close`` gives those):
    a misspelt title would leave its rule without a patch. One near none is judged inconclusive instead
    (harness.patchplace: it may be a patch dropped before every revision given). Refuse too one that several
    patches of a revision hold (``ambiguous`` gives them): the rule would judge the first, perhaps not the one
    meant."""
    for rule in rules:
        near = close(rule.patch) if rule.patch is not None else []
        if near:
            raise InputError(rule.place("patch"), f"rule {rule.id}: no patch of the input is titled '{rule.patch}' "
                                                  f"(did you mean {' or '.join(near)}?)")
        many = ambiguous(rule.patch) if rule.patch is not None and ambiguous is not None else []
        if many:
            raise InputError(rule.place("patch"), f"rule {rule.id}: patch '{rule.patch}' is in the titles of "
                                                  f"{' and '.join(many)}: give words of one title only")


def check_references(rules: tuple[Rule, ...], declared: Sequence[str],
                     states: Mapping[int, Sequence[int]] | None = None, totals: Mapping[int, int] | None = None
                     ) -> None:
    """Refuse a reference that names no variant: a revision state (``vN``, ``vN:KK``, ``base``), ``before:...``
    or a variant the series manifest declares (``declared``, whether or not this input can build it); and a
    ``vN:KK`` whose revision the input has (``states``: version -> its patch numbers) but not that patch, or
    that is not written as the state is named (``totals``: version -> its number of patches, which sets the
    width: ``v3:05``, never ``v3:5``).

    A misspelt reference would leave its rule "not applicable" on every run, without a word.
    """
    for rule in rules:
        ref = getattr(rule.check, "reference", None)
        _check_newer(rule, ref, states, totals)
        m = re.fullmatch(r"v(\d+):(\d+)", ref or "")
        if m and states is not None and int(m.group(1)) in states:
            version = int(m.group(1))
            width = max(2, len(str(totals[version]))) if totals and version in totals else len(m.group(2))
            names = [f"v{version}:{n:0{width}d}" for n in [0, *states[version]]]
            if ref not in names:
                raise InputError(rule.place("reference"), f"rule {rule.id}: " + unknown("reference", str(ref), names))
            continue
        if ref == "base" and states is not None and len(states) > 1:  # base is vN:00 of a one-revision input
            names = [f"v{v}:00" for v in sorted(states)]
            raise InputError(rule.place("reference"), f"rule {rule.id}: reference 'base' names the state before the "
                                                      f"first patch of a one-revision input; this one has "
                                                      f"{len(states)}: name one of {', '.join(names)}")
        if ref is None or ref.startswith("before:") or _STATE().match(ref) or ref in declared:
            continue
        raise InputError(rule.place("reference"), f"rule {rule.id}: " + unknown(
            "reference", ref, [*declared, "vN", "vN:KK", "base", "before:N", "before:patch"]))


def _check_newer(rule: Rule, ref: str | None, states: Mapping[int, Sequence[int]] | None,
                 totals: Mapping[int, int] | None) -> None:
    """Refuse a ``vN`` or ``vN:KK`` reference newer than every revision of the input: no revision given can be
    compared with a later one (``v33:01`` for ``v3:01``); a slip, read as "the input has no v33", was inconclusive
    and passed with --allow-inconclusive. One older than every revision given stays: the input may be the newest
    revision alone, and the rule's reference is then not known (harness.verdict.unevaluated)."""
    m = re.fullmatch(r"v(\d+)(?::\d+)?", ref or "")
    if m is None or not states or int(m.group(1)) <= max(states):
        return
    width = {v: max(2, len(str(totals[v]))) if totals and v in totals else 2 for v in states}
    names = [n for v in sorted(states) for n in (f"v{v}", *(f"v{v}:{k:0{width[v]}d}" for k in [0, *states[v]]))]
    raise InputError(rule.place("reference"), f"rule {rule.id}: " + unknown("reference", str(ref), names)
                     + f" (the input's newest revision is v{max(states)})")

"""A revision's headline without review rules reads as one sentence: no two parenthetical groups in a row."""

from __future__ import annotations

import itertools
from types import SimpleNamespace
from typing import Any

from harness.unjudged import unjudged_headline


def _cmp(n: int, changed: bool = False, unchanged: bool = False, compared: int = 0, adds: bool = False,
         unapplied: tuple[str, ...] = ()) -> Any:
    return SimpleNamespace(changed=changed, unchanged=unchanged, compared=compared, label=f"v1 0{n}/4: x",
                           adds_only=adds, unapplied=unapplied)


def test_what_ran_and_the_rules_note_are_not_two_parentheticals() -> None:
    # Before: 'v1: 0 of 2 patches change behaviour in what ran (v1 02/2 compared in part: see that patch) (no review
    # rules evaluated)', and '... 1 only adds code (the entry points there before behave the same) (no review ...)'.
    head = unjudged_headline("v1", [_cmp(1, unchanged=True, compared=3), _cmp(2, compared=2)], 0)
    assert head == ("v1: 0 of 2 patches change behaviour in what ran (v1 02/4 compared in part: see that patch); no "
                    "review rules evaluated"), head
    kinds = [dict(changed=True, compared=1), dict(unchanged=True, compared=1), dict(compared=1), dict(),
             dict(unchanged=True, compared=1, adds=True)]
    for picked in itertools.chain.from_iterable(itertools.combinations(kinds, k) for k in range(1, 4)):
        patches = [_cmp(n + 1, **kw) for n, kw in enumerate(picked)]  # type: ignore[arg-type]
        head = unjudged_headline("v1", patches, sum(p.changed for p in patches))
        assert ") (" not in head and head.endswith("; no review rules evaluated"), head


def test_a_patch_that_does_not_apply_is_named_in_the_headline() -> None:
    # Before: 'v1: 0 of 1 patch changes behaviour in what ran (v1 01/4 compared nothing: see that patch); no review
    # rules evaluated' over a patch whose hunk failed on its base (eval FILE --tree DIR): the headline read as a clean
    # result, the failed hunk said only in the patch's section (the gate counts it a base problem and blocks).
    failed = ("arch/x86/virt/vmx/tdx/tdx.c @@ -19,7 +19,7 @@: hunk does not apply: context differs at line 20",)
    head = unjudged_headline("v1", [_cmp(1, unapplied=failed)], 0)
    assert head == ("v1: 0 of 1 patch changes behaviour in what ran (v1 01/4 compared nothing: see that patch); v1 "
                    "01/4 does not apply; no review rules evaluated"), head
    head = unjudged_headline("v1", [_cmp(1, changed=True, compared=2, unapplied=failed), _cmp(2, unapplied=failed),
                                    _cmp(3, unchanged=True, compared=2)], 1)
    assert "; v1 01/4 and v1 02/4 do not apply; no review rules evaluated" in head, head

"""Breakages of the patch named by what it does, bugs still hit, failures brought back.

A breakage reported of the patch by what it is ("the fix", "your change"), a bug still hit with the patch, and a
failure named before the one who saw it with the patch (harness.regressions), each beside a safe twin."""

from __future__ import annotations

import pytest

from harness.droprequest import request_in
from harness.regressions import regression

REPORTED = [
    # The patch named by what it does, not as "this patch": a report all the same.
    "Thanks for fixing this bug, but the fix breaks arm64.",
    "Your change breaks suspend on my laptop.",
    "The rework breaks 32-bit.",
    "Nice idea, but this cleanup regresses boot time on SPR.",
    "The new fix broke resume here.",
    # The bug it fixes still hit with it applied: no fix.
    "I was hitting this bug too, and with your patch I still hit it.",
    "With your patch I still hit it.",
    "With this series applied, we can still reproduce the hang.",
    "After applying this patch I still see it on my box.",
    # A failure named first, then who saw it with the patch.
    "Oh, that explains the leak I saw with your patch applied.",
    "There's a lockdep splat I get with this patch on SPR.",
]
SAFE = [
    "The old fix broke arm64, this one is fine.",
    "The fix doesn't break arm64.",
    "If the fix breaks arm64 we revert it.",
    "Does the fix break arm64?",
    "The fix in v1 broke arm64; v2 is fine.",
    "Without your patch I still hit it.",
    "With your patch I no longer hit it.",
    "I still hit it on mainline, with or without your patch.",
    "I saw the leak before your patch, with this series it's gone.",
    "Your change breaks nothing here.",
    "The leak I saw without your patch is gone.",
]


@pytest.mark.parametrize("said", REPORTED)
def test_a_breakage_of_the_patch_by_what_it_does_is_read(said: str) -> None:
    assert regression(said, request_in) is not None, said


@pytest.mark.parametrize("said", SAFE)
def test_its_safe_twins_are_not_read(said: str) -> None:
    assert regression(said, request_in) is None, said


BROUGHT_BACK = ["This version reintroduces the leak that v2 had fixed.", "This reintroduces the race we fixed in 5.10.",
                "v3 brings back the double free.", "The patch re-introduces the TDX init hang on SPR."]
NOT_BROUGHT_BACK = ["This brings back the old helper name, fine by me.", "Does this reintroduce the race?",
                    "This doesn't reintroduce the leak.", "v2 reintroduced the race, v3 fixes it.",
                    "If this reintroduces the hang, we revert it.", "Reintroducing the retry loop is fine."]


@pytest.mark.parametrize("said", BROUGHT_BACK)
def test_a_failure_brought_back_is_a_report(said: str) -> None:
    assert regression(said, request_in) is not None, said


@pytest.mark.parametrize("said", NOT_BROUGHT_BACK)
def test_what_brings_back_no_failure_is_none(said: str) -> None:
    assert regression(said, request_in) is None, said

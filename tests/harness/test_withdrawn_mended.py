"""harness.refusals, harness.regressions: one's own objection withdrawn, or a failure this patch fixes, is none."""

from __future__ import annotations

import pytest

from harness.droprequest import refused_or_broken, request_in
from harness.pointwords import point_sentence
from harness.regressions import regression

# Each blocked as a request to drop or a reported regression before.
NONE = [
    "My objection on v2 was wrong: the caller already holds the lock, so consider it withdrawn.",
    "I retract my comment; consider it withdrawn.",
    "Bisected the hang I reported on v2: it's fixed by this patch.",
    "The hang I reported on v1 bisects to the old loader; this series fixes it.",
]
STANDS = [
    "Consider it withdrawn.", "My NAK stands; consider it dropped.",
    "My comment was wrong; consider this patch withdrawn.",
    "Bisected the hang to this patch: reverting it makes the box boot again.",
    "Bisected the hang I reported on v2: it is not fixed by this patch.",
    "Bisected the hang to this patch, I am not sure it is fixed by this series.",
    # A "me too" on the failure, not on its fix (each READY before).
    "Same here: the splat still shows up with this series applied.",
    "The lockdep warning I saw on v1 is still there in this version.", "Me too, the boot hang is still there with v3.",
    "The corruption I reported on v1 still reproduces with v2.",
    "The hang I reported on v2 is not fixed by this series.",
    "Good catch, I've hit this too, and your patch does not fix it on my machine.",
]
# A failure still there where the patch is not what holds it, or conceded.
NOT_OURS = ["The warning is still there, but it is harmless.", "The hang is still there without this patch.",
            "Is the hang still there?", "The hang still happens on mainline too.",
            "The hang is gone, the lock is still there.",
            "Me too, this fixes the boot hang I was seeing on my box."]


@pytest.mark.parametrize("said", NONE)
def test_an_own_objection_withdrawn_or_a_failure_mended_here_is_none(said: str) -> None:
    assert refused_or_broken(said) is None


@pytest.mark.parametrize("said", STANDS)
def test_the_patch_withdrawn_or_a_failure_not_mended_stands(said: str) -> None:
    assert refused_or_broken(said) is not None


@pytest.mark.parametrize("said", NOT_OURS)
def test_a_failure_still_there_elsewhere_or_conceded_is_none(said: str) -> None:
    assert regression(said, request_in) is None


def test_a_mended_failure_is_no_regression() -> None:
    assert regression("Bisected the hang I reported on v2: it's fixed by this patch.", request_in) is None


def test_a_point_after_an_own_objection_withdrawn_is_read() -> None:
    # "taken" was read as the patch taken (its fate), the point lost: READY before.
    said = "I retract my earlier objection, but the lock is still taken twice on the error path, which deadlocks."
    assert point_sentence(said) == said
    assert point_sentence("I retract my earlier objection, the lock is taken by every caller.") is None


@pytest.mark.parametrize(("said", "broken"), [("Nice, this kills the ugly open-coded retry loop.", False),
                                              ("This kills the guest on SPR.", True), ("This kills my box.", True)])
def test_kills_is_a_failure_of_a_machine_not_code_removed(said: str, broken: bool) -> None:
    assert (regression(said, request_in) is not None) == broken

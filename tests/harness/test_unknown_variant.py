"""The name suggested for a variant the input lacks: a reply variant's name cut short names that variant."""

from __future__ import annotations

from harness.apply import unknown_variant

KNOWN = ["v5:00", "v5:01", "v5:02", "v5", "v5:02+tre-reviewer", "v5:03~jorg-rodel"]


def test_a_reply_variant_name_cut_short_suggests_that_variant() -> None:
    assert "(did you mean 'v5:02+tre-reviewer'?)" in str(unknown_variant("v5:02+tre", KNOWN))
    assert "(did you mean 'v5:03~jorg-rodel'?)" in str(unknown_variant("v5:03~jorg", KNOWN))


def test_a_name_that_starts_several_is_left_to_the_nearest() -> None:
    # 'v5:0' starts five names: none is meant more than another; difflib's nearest is said, as before.
    assert "(did you mean 'v5:02'?)" in str(unknown_variant("v5:0", KNOWN))
    assert "(did you mean 'v5:01'?)" in str(unknown_variant("v5:1", KNOWN))

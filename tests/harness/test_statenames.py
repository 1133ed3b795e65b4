"""Revision state names (harness.statenames): read, listed in patch order, the whole revision as its last prefix."""

from __future__ import annotations

import pytest

from harness.errors import UsageError
from harness.statenames import parse_prefix, prefix_states, reply_upto, state_alias
from harness.variants import NO_TREE, Variant


def _v(name: str, revision: int | None, prefix: int | None, start: str | None = None) -> Variant:
    return Variant(name=name, description=name, files=(), findings=(), applied=(), sources=(), base=NO_TREE,
                   revision=revision, prefix=prefix, start=start)


@pytest.mark.parametrize(("name", "read"), [("v3", (3, None)), ("v3:06", (3, 6)), ("v12:1", (12, 1))])
def test_a_state_name_is_read(name: str, read: tuple[int, int | None]) -> None:
    assert parse_prefix(name) == read


@pytest.mark.parametrize("name", ["3", "v3:", "v3:06+bob", "V3", "base", "v3:x"])
def test_another_name_is_a_usage_error_naming_it(name: str) -> None:
    with pytest.raises(UsageError, match="not a revision state name"):
        parse_prefix(name)


def test_states_in_patch_order_with_the_whole_revision_where_its_last_prefix_is_not_asked() -> None:
    states = [_v("v2", 2, 3), _v("v1:02", 1, 2), _v("v1", 1, 2), _v("v2:01", 2, 1), _v("v2:01+bob", 2, 1, "v2:01")]
    # v1 is v1:02's files under another name: listed once, as v1:02; v2 (after patch 03) has no prefix given.
    assert [v.name for v in prefix_states(states)] == ["v1:02", "v2:01", "v2"]
    assert state_alias(states, "v1:02") is states[2] and state_alias(states, "v1:01") is None
    assert state_alias(states, "v1") is None


def test_a_reply_s_variant_holds_the_revision_up_to_its_patch() -> None:
    assert reply_upto(_v("v2:03+bob", 2, 3, "v2:03")) == 3
    assert reply_upto(_v("v2:03~bob", 2, 3, "v2:03")) == 3
    assert reply_upto(_v("v2:03+bob", 2, 3, "v2:02")) is None  # started elsewhere (a manifest's proposal)
    assert reply_upto(_v("v2:03", 2, 3)) is None

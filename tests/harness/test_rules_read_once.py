"""What the rules read again of the same runs is worked out once.

What the rules read again of the same runs is worked out once: how a consistency rule's components print the leaf
(per components, property and variant: a rule that would pass asks again, _both_ways, and so do rules naming the
same components), the numbers a printed line holds."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

import harness.consistency as consistency
import harness.leafconv as leafconv
from harness.verdict import CheckContext


class _Ctx:
    """A check context's memo alone (CheckContext.once), which is all _leaf_styles keeps its answer in."""

    once = CheckContext.once

    def __init__(self) -> None:
        self._memo: dict[tuple[object, ...], Any] = {}


def test_the_leaf_styles_of_a_rule_and_variant_are_worked_out_once(monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[tuple[str, str]] = []

    def style(comp: str, part: Any, v: Any, ctx: Any, out: Any) -> None:
        asked.append((comp, v.name))
        out[0][comp] = ("hex with 0x", SimpleNamespace(entry=SimpleNamespace(name=part.entries[0])), f"{comp} line")

    monkeypatch.setattr(consistency, "_component_style", style)
    monkeypatch.setattr(consistency, "_found_in_code", lambda *_: None)
    part = SimpleNamespace(entries=("e1",), leaves=("tdh.a",))
    spec = SimpleNamespace(components={"tdx": part, "seamldr": part}, property=None)
    other = SimpleNamespace(components={"tdx": part}, property=None)
    ctx, v1, v2 = _Ctx(), SimpleNamespace(name="v1"), SimpleNamespace(name="v2")
    first = consistency._leaf_styles(spec, v1, ctx)  # type: ignore[arg-type]
    assert first[0]["tdx"][2] == "tdx line" and not first[1] and not first[2]
    assert consistency._leaf_styles(spec, v1, ctx) is first  # type: ignore[arg-type]
    assert asked == [("tdx", "v1"), ("seamldr", "v1")]
    consistency._leaf_styles(spec, v2, ctx)  # type: ignore[arg-type]  # another variant: its own runs
    consistency._leaf_styles(other, v1, ctx)  # type: ignore[arg-type]  # another rule's components
    assert asked[2:] == [("tdx", "v2"), ("seamldr", "v2"), ("tdx", "v1")]
    # Another rule naming the same components (a leaf-format rule beside a leaf-base one, a rule per patch): the
    # answer is the same one, as the styles read nothing else of the rule; another property is its own.
    twin = SimpleNamespace(components={"tdx": SimpleNamespace(entries=("e1",), leaves=("tdh.a",)), "seamldr": part},
                           property=None, base="hex")
    assert consistency._leaf_styles(twin, v1, ctx) is first  # type: ignore[arg-type]
    formats = SimpleNamespace(components=spec.components, property="leaf-format")
    consistency._leaf_styles(formats, v1, ctx)  # type: ignore[arg-type]
    assert asked[5:] == [("tdx", "v1"), ("seamldr", "v1")]
    swapped = SimpleNamespace(components={"seamldr": part, "tdx": part}, property=None)  # the order is read too
    consistency._leaf_styles(swapped, v1, ctx)  # type: ignore[arg-type]
    assert asked[7:] == [("seamldr", "v1"), ("tdx", "v1")]


def test_the_numbers_of_a_printed_text_are_read_once() -> None:
    text = "read-once: leaf 0x2f1 failed (753)"
    found = leafconv._values(text)
    assert 0x2F1 in found and 753 in found
    hits = leafconv._values.cache_info().hits
    assert leafconv._values(text) == found
    assert leafconv._values.cache_info().hits == hits + 1

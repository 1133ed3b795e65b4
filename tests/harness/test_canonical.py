"""harness.canonical: the text of a value is the same in every process and says all of it."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from harness.canonical import NotCanonical, canonical_text
from harness.convnotes import ConversionChange, ConversionNote
from harness.eventwords import TraceNote

ROOT = Path(__file__).resolve().parents[2]
NAMES = [f"name{n}" for n in range(40)]


def _in_process(seed: int, code: str) -> str:
    env = {**os.environ, "PYTHONHASHSEED": str(seed), "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout


def test_a_set_reads_the_same_whatever_the_string_hashes() -> None:
    names = f"frozenset({NAMES!r})"
    ours = {_in_process(s, f"from harness.canonical import canonical_text; print(canonical_text({names}))")
            for s in (1, 2, 3)}
    reprs = {_in_process(s, f"print(repr({names}))") for s in (1, 2, 3)}
    assert len(ours) == 1 and len(reprs) > 1  # repr() would give a key per process


@dataclass(frozen=True)
class _Kept:
    shown: str
    hidden: str = field(default="", repr=False)


def test_every_field_is_written_even_one_repr_leaves_out() -> None:
    assert repr(_Kept("a", "x")) == repr(_Kept("a", "y"))
    assert canonical_text(_Kept("a", "x")) != canonical_text(_Kept("a", "y"))


def test_a_note_is_written_with_its_kind_and_what_it_holds() -> None:
    change = ConversionChange("fn", "%llx", "%llu", "21", "33", "a.h:1", "a.h:2")
    other = ConversionChange("fn", "%llx", "%llu", "21", "33", "a.h:1", "a.h:3")
    texts = {canonical_text(x) for x in ("t", TraceNote("t"), ConversionNote("t", change), ConversionNote("t", other))}
    assert len(texts) == 4


def test_an_object_met_twice_reads_as_two_equal_ones() -> None:
    one = _Kept("a", "b")
    assert canonical_text((one, one)) == canonical_text((_Kept("a", "b"), _Kept("a", "b")))
    assert canonical_text(((1, 2), [1, 2])) != canonical_text(((1, 2), (1, 2)))
    assert canonical_text({"a": 1}) != canonical_text({"a": "1"})


def test_what_is_not_known_here_is_refused() -> None:
    with pytest.raises(NotCanonical):
        canonical_text((1, lambda: 0))
    with pytest.raises(NotCanonical):
        canonical_text({object()})

"""An entry the mirror could run on neither side is never reported as unchanged."""

from __future__ import annotations

from harness.explain import DiffClass, classify, explain
from models.mirror import Outcome


def test_two_errors_are_not_no_change() -> None:
    why = "a/b.h:7: printk: %pS prints a symbol name, which the mirror does not model"
    a, b = Outcome("error", error=why), Outcome("error", error=why.replace("a/b.h:7", "a/b.h:9"))
    assert classify(a, b) == (DiffClass.ERROR,)
    assert explain(a, b, classify(a, b)) == [f"not compared, the mirror ran neither side: {b.error}"]
    assert classify(a, a) == ()  # the very same outcome object: the same code, run once

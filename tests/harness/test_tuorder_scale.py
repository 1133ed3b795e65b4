"""harness.tuorder at scale: a state's files mapped once, a unit's order worked out once.

harness.tuorder at scale: a state's files mapped once, and a unit's reading order worked out once, for all the
entry points and checks that ask of one state in turn (each read every file of the state again: n*n steps for a
series of n patches)."""

from __future__ import annotations

import pytest

from harness import tuorder
from harness.filestate import full_file
from harness.tuorder import present, static_conflict, unit_order, used_before_defined
from harness.undeclaredcall import undeclared_call
from harness.visibility import included_files
from models.loader import Source

UNIT = "d/probe.c"
TEXTS = {"d/demo.h": "#define DEMO 1\nstatic inline int demo(void)\n{\n\treturn DEMO;\n}\n",
         UNIT: '#include "demo.h"\n\nint probe(void)\n{\n\treturn demo();\n}\n\nint other(void)\n{\n\treturn 2;\n}\n'}


def test_one_state_mapped_and_ordered_once(monkeypatch: pytest.MonkeyPatch) -> None:
    files = tuple(sorted([*(full_file(p, t, "written") for p, t in TEXTS.items()),
                          *(full_file(f"notes/{i}.txt", "n\n", "written") for i in range(300))], key=lambda f: f.path))
    sources = tuple(Source(p, ((1, tuple(t.splitlines())),), True) for p, t in TEXTS.items())
    orders = [0]
    plain = tuorder._unit_order

    def counted(*args: object) -> object:
        orders[0] += 1
        return plain(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(tuorder, "_unit_order", counted)
    mapped = present(files)
    assert sorted(mapped) == sorted(f.path for f in files)
    for entry in ("probe", "other", "demo") * 5:
        assert used_before_defined(files, sources, entry, UNIT) is None
        assert static_conflict(files, UNIT) is None
        assert undeclared_call(files, sources, entry, UNIT) is None
        assert included_files(files, UNIT) == frozenset({UNIT, "d/demo.h"})
    assert orders[0] == 1  # per entry point and check: 30
    assert present(files) is mapped  # never mapped again while the checks ask of this state
    order = unit_order(files, UNIT)
    assert order is not None and order[(UNIT, 1)] == 0 and order[("d/demo.h", 1)] == 1
    assert present([*files]) is not mapped and present([*files]) == mapped  # a list is mapped as it comes

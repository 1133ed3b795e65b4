"""The machine of a run keeps its state in slots: a name it does not declare is an error, not a new attribute."""

from __future__ import annotations

import pytest

from models.machine import Machine


def test_machine_state_is_its_declared_fields() -> None:
    m = Machine((), budget=5)
    assert not hasattr(m, "__dict__") and m.budget == 5 and m.function == "" and m.calls.cap == m.max_records
    with pytest.raises(AttributeError):
        m.stpes = 1  # type: ignore[attr-defined]  # a misspelt field is refused

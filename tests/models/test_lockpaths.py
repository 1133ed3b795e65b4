"""The locks an object is or holds, by C path, and the steps that reach each from its value (models/lockpaths.py)."""

from __future__ import annotations

from models.ctype import INT, ULONG, Array, Struct
from models.lockpaths import follow, lock_paths
from models.machine import StructObj

MUTEX = Struct("mutex", (("owner", ULONG),))
PAIR = Struct("pair", (("n", INT), ("a", MUTEX), ("b", Array(MUTEX, 2))))


def test_each_lock_of_a_struct_and_array_is_named_by_its_path() -> None:
    assert lock_paths("st", PAIR) == [("st.a", ("a",)), ("st.b[0]", ("b", 0)), ("st.b[1]", ("b", 1))]
    assert lock_paths("", MUTEX) == [("", ())]  # the object itself (models.lockdep: a function's static)
    assert lock_paths("n", INT) == []
    assert lock_paths("u", Struct("u", (("a", MUTEX),), union=True)) == []  # a union's bytes: no path


def test_the_steps_reach_the_object_itself() -> None:
    a, b0, b1 = (StructObj(MUTEX, {"owner": 0}) for _ in range(3))
    st = StructObj(PAIR, {"n": 0, "a": a, "b": [b0, b1]})
    assert [follow(st, steps) for _, steps in lock_paths("st", PAIR)] == [a, b0, b1]
    assert follow(st, ("b", 2)) is None and follow(st, ("c",)) is None

"""tests.freshtables: every bounded table the library keeps is found, and a test starts with each of them empty."""

from __future__ import annotations

import ast
import sys

import pytest

from harness import memo
from tests.freshtables import PACKAGES, ROOT, bounded_tables, fresh_tables, tables_in


def _cleared_at_a_bound(tree: ast.Module) -> set[str]:
    """Module-level names an ``if len(X) < or <= comparison`` body clears, and module-level Table/Buckets, by the
    parse tree (the oracle of the source patterns: slower, any spelling)."""
    module_level = {t.id for node in tree.body for t in (
        node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else [])
        if isinstance(t, ast.Name)}
    found = {node.target.id for node in tree.body if isinstance(node, ast.AnnAssign)
             and isinstance(node.target, ast.Name) and isinstance(node.value, ast.Dict)
             and ast.unparse(node.annotation).split(".")[-1] in ("Table", "Buckets")}
    for node in ast.walk(tree):
        test = node.test if isinstance(node, ast.If) else None
        if not (isinstance(test, ast.Compare) and isinstance(test.ops[0], (ast.Gt, ast.GtE))
                and isinstance(test.left, ast.Call) and getattr(test.left.func, "id", "") == "len"
                and test.left.args and isinstance(test.left.args[0], ast.Name)):
            continue
        name = test.left.args[0].id
        clears = any(isinstance(c, ast.Call) and isinstance(c.func, ast.Attribute) and c.func.attr == "clear"
                     and getattr(c.func.value, "id", "") == name for s in node.body for c in ast.walk(s))
        if clears and name in module_level:
            found.add(name)
    return found


def test_every_table_the_library_starts_again_is_found() -> None:
    listed = set(bounded_tables())
    missed = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            text = path.read_text(encoding="utf-8")
            if ".clear(" not in text and "Table" not in text and "Buckets" not in text:
                continue  # neither form can be there: not parsed (the walk of every module takes seconds)
            tree = ast.parse(text)
            missed += [f"{module}.{name}" for name in sorted(_cleared_at_a_bound(tree)) if (module, name) not in listed]
    assert not missed, f"tables tests.freshtables does not find (write them as its patterns read): {missed}"
    assert ("harness.memo", "_KEPT") in listed and len(listed) > 40


@pytest.mark.parametrize(("text", "names"), [
    ("_T: Table = {}\n_U: memo.Buckets = {}\n", ["_T", "_U"]),
    ("def f(k):\n    if len(_A) >= _A_MAX:\n        _A.clear()\n", ["_A"]),
    ("def f(k):\n    if len(_A) > 1 << 16:  # a bound\n        _A.clear()\n", ["_A"]),
    ("def f(k):\n    if len(_A) > 64: _A.clear()\n", ["_A"]),
    ("def f(k):\n    if len(_A) > 64:\n        _B.clear()\n", []),  # another table cleared: not this one
    ("def f(k):\n    if len(_A) > 64:\n        return\n    _A.clear()\n", []),  # cleared whatever its size
    ("_T: dict[str, int] = {}\n", []),  # unbounded
])
def test_the_patterns(text: str, names: list[str]) -> None:
    assert tables_in(text) == names


def test_a_test_runs_with_each_table_empty_and_the_process_ones_come_back() -> None:
    # As 9430348f reproduced it: the process' table one entry short of its bound, left so by earlier tests.
    process = memo._KEPT
    filler = {("earlier test", i): ((), None) for i in range(memo.MAX_ENTRIES - 1)}
    outer = pytest.MonkeyPatch()
    outer.setattr(memo, "_KEPT", filler)
    inner = pytest.MonkeyPatch()
    assert fresh_tables(inner) == sum(isinstance(getattr(sys.modules.get(m), n, None), (dict, set))
                                      for m, n in bounded_tables())
    assert all(not getattr(sys.modules[m], n) for m, n in bounded_tables()
               if m in sys.modules and isinstance(getattr(sys.modules[m], n, None), (dict, set)))
    made: list[int] = []
    objs = [object() for _ in range(3)]
    for _ in range(2):
        for i, o in enumerate(objs):
            memo.by_identity("counted", (o,), (), lambda i=i: made.append(i))  # type: ignore[misc]
    assert made == [0, 1, 2]  # in the filled table [0, 1, 2, 0]: its first entry lost as the second was kept
    inner.undo()
    assert memo._KEPT is filler and len(filler) == memo.MAX_ENTRIES - 1
    outer.undo()
    assert memo._KEPT is process

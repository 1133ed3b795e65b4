"""The project's shape: no import cycle (function-local imports included), renderers never reach the C loader."""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("harness", "models", "reports", "series")


def _modules() -> dict[str, Path]:
    out = {}
    for pkg in PACKAGES:
        for path in sorted((ROOT / pkg).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            out[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return out


@cache
def _tree(path: Path) -> ast.Module:
    """The file's syntax tree, parsed once for every test of the module (hundreds of files, a few seconds each
    pass)."""
    return ast.parse(path.read_text())


def _type_checking_only(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING"


def _imports(path: Path, modules: dict[str, Path]) -> set[str]:
    """Every project module a file imports when it runs: at module level or inside functions."""
    found: set[str] = set()
    todo: list[ast.AST] = [_tree(path)]
    while todo:
        node = todo.pop()
        if _type_checking_only(node):
            continue  # annotations only: never executed
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{a.name}" for a in node.names)
        todo.extend(_statements(node))
    return {m for m in found if m in modules}


def _statements(node: ast.AST) -> list[ast.AST]:
    """The statements (and except/case clauses) directly inside a statement: an import is a statement, so one
    never sits inside an expression, and the walk need not visit the expressions (nine nodes in ten)."""
    fields = (getattr(node, f, None) for f in ("body", "orelse", "finalbody", "handlers", "cases"))
    return [child for value in fields if isinstance(value, list) for child in value]


@cache
def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _imports(path, modules) - {name} for name, path in modules.items()}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_no_import_cycle() -> None:
    assert _cycles(_graph()) == []


def test_the_cycle_finder_finds_cycles() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_renderers_do_not_reach_down() -> None:
    graph = _graph()
    for name, deps in graph.items():
        if name.startswith("reports"):
            assert not deps & {"harness.runner", "models.loader", "models.slicer", "harness.pipeline"}, name


def test_only_the_cli_imports_typer() -> None:
    for name, path in _modules().items():
        tree = _tree(path)
        nodes = [n for n in ast.walk(tree) if isinstance(n, ast.Import | ast.ImportFrom)]  # one walk for both
        uses = {a.name.split(".")[0] for n in nodes if isinstance(n, ast.Import) for a in n.names}
        uses |= {n.module.split(".")[0] for n in nodes if isinstance(n, ast.ImportFrom) and n.module}
        assert "typer" not in uses or name == "harness.cli", name


def _one_line_summary(tree: ast.Module) -> bool:
    """PEP 257: a docstring's summary fits on its first line, and a blank line parts it from the rest."""
    doc = ast.get_docstring(tree, clean=False)
    return doc is not None and "\n" not in doc.strip().split("\n\n")[0]


def test_each_module_has_a_one_line_summary() -> None:
    missing = [name for name, path in _modules().items() if not _one_line_summary(_tree(path))]
    assert missing == []


def test_each_test_module_has_a_one_line_summary() -> None:
    paths = [p for p in sorted((ROOT / "tests").rglob("*.py")) if p.name != "__init__.py"]
    missing = [str(p.relative_to(ROOT)) for p in paths if not _one_line_summary(ast.parse(p.read_text()))]
    assert missing == []


def test_the_summary_check_tells_a_wrapped_summary() -> None:
    assert _one_line_summary(ast.parse('"""One line.\n\nMore, on\ntwo lines."""'))
    assert not _one_line_summary(ast.parse('"""A summary wrapped\nonto two lines."""'))
    assert not _one_line_summary(ast.parse("x = 1"))

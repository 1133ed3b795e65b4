"""One function's text, at one place, in programs whose surroundings differ: each program runs as gcc builds it.

The parse caches give programs that hold a definition's text at the same place the same nodes (models.cload), so
whatever is kept of a node across programs must be keyed by what it reads of its program too: a macro, a typedef, a
global's initializer, an enumerator, a callee's body. Generated programs (tests/models/cgen.py) in one process, each
against gcc (tests/models/cdiff.py); the last test shares compiled functions by name and node alone, as a cache of
compiled code must not, to show these programs catch it.
"""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from models.mirror import clear_caches
from models.native.run import find_compiler
from models.statements import Compiled, Compiler
from tests.models.cdiff import OK_CLASSES, SCRIPTS, mirror_result, run_program
from tests.models.cgen import Func, Program, generate

pytestmark = pytest.mark.skipif(find_compiler(None) is None, reason="no C compiler")

# Each surrounding changed on one line (every function stays where it is): what the entry points read of it.
_CHANGES = {
    "macro": ("#define CD_START CD_BUSY", "#define CD_START CD_DONE"),
    "typedef": ("typedef u32 cd_word;", "typedef u16 cd_word;"),
    "global": ("static u64 cd_g64 = 0x1234;", "static u64 cd_g64 = 0x4321;"),
    "enum": ("CD_BUSY = 5,", "CD_BUSY = 9,"),
    "callee": ("static int cd_one(void) { return 1; }", "static int cd_one(void) { return 2; }"),
}


@dataclass
class _Text(Program):
    """A generated program as changed here: its text, and its entry points (cdiff.run_program reads both)."""

    text: str = ""

    def render(self) -> str:
        return self.text


def _programs(seed: int) -> tuple[dict[str, str], list[Func]]:
    """cgen's program of ``seed`` with its entry points reading a macro (where it wrote ``CD_BUSY``), a typedef
    (struct cd_s's member c, which every entry point returns) and a callee (in c's initializer), and each of
    _CHANGES made to it."""
    prog = generate(seed, 2, size=2)
    base = prog.render().replace("enum cd_mode mode = CD_BUSY;", "enum cd_mode mode = CD_START;")
    base = base.replace("struct cd_s st = { .a = 3, .c = (u32)r,", "struct cd_s st = { .a = 3, .c = (u32)r + cd_one(),")
    base = base.replace("struct cd_s { u8 a; s16 b; u32 c;", "typedef u32 cd_word;\n#define CD_START CD_BUSY\n"
                        "static int cd_one(void) { return 1; }\nstruct cd_s { u8 a; s16 b; cd_word c;", 1)
    out = {"base": base}
    for kind, (old, new) in _CHANGES.items():
        assert base.count(old) == 1, kind
        out[kind] = base.replace(old, new)
    return out, prog.entries


def _outcomes(text: str, entries: list[Func]) -> list[tuple[Any, ...]]:
    with tempfile.TemporaryDirectory() as tmp:
        v, res = mirror_result(text, [f.name for f in entries], SCRIPTS, Path(tmp))
        return [(o.ret, o.state, o.error) for s in res.matrix.scenarios for o in (res.outcome(v.name, s.id),)]


def _disagreements(seeds: range, kinds: tuple[str, ...]) -> tuple[dict[str, int], set[str]]:
    """Per program run (the base again between the others), the scenarios where the mirror and gcc disagree; and the
    kinds of change that changed what some entry point does."""
    cc = find_compiler(None)
    assert cc is not None
    clear_caches()  # no program loaded before: each is compiled here, after those run before it
    bad: dict[str, int] = {}
    moved: set[str] = set()
    for seed in seeds:
        texts, entries = _programs(seed)
        base = _outcomes(texts["base"], entries)
        for kind in [k for pair in zip(["base"] * len(kinds), kinds, strict=True) for k in pair]:
            tally = run_program(_Text([], entries, texts[kind]), cc)
            wrong = sum(n for c, n in tally.classes.items() if c not in OK_CLASSES)
            if wrong:
                bad[f"{seed}:{kind}"] = wrong
            if kind != "base" and _outcomes(texts[kind], entries) != base:
                moved.add(kind)
    return bad, moved


def test_programs_apart_only_around_a_shared_function_each_run_as_gcc_builds_them() -> None:
    bad, moved = _disagreements(range(2), tuple(_CHANGES))
    assert not bad, bad
    assert moved == set(_CHANGES), moved  # each change is one the entry points see: the programs test something


@contextlib.contextmanager
def _shared_by_name_and_node() -> Iterator[None]:
    """Compiler.function handing a program the function another program compiled from the same node: a key that
    leaves out what the function reads of its program (its closures are the other compiler's)."""
    kept: dict[tuple[str, int], tuple[object, Compiled]] = {}
    plain = Compiler.function

    def function(self: Compiler, name: str) -> Compiled:
        node = self.program.functions[name]
        found = kept.get((name, id(node)))
        if name not in self.funcs and found is not None and found[0] is node:
            self.funcs[name] = found[1]
        compiled = plain(self, name)
        kept.setdefault((name, id(node)), (node, compiled))
        return compiled

    Compiler.function = function  # type: ignore[method-assign]
    try:
        yield
    finally:
        Compiler.function = plain  # type: ignore[method-assign]


def test_a_cache_of_compiled_functions_keyed_by_name_and_node_is_caught() -> None:
    # The typedef's program parses the entry points to the same nodes as the base (the text and its macros are the
    # same): compiled code taken by node gives them the base's struct layout, and gcc disagrees.
    with _shared_by_name_and_node():
        bad, _ = _disagreements(range(1), ("typedef",))
    assert any(k.endswith(":typedef") for k in bad), bad

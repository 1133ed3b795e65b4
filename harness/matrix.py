"""The behaviour matrix: a TOML file of entry points, leaves, scripts and units, expanded into scenarios."""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from functools import cached_property
from importlib import resources
from itertools import product
from pathlib import Path
from typing import Any, TypeVar

from harness.errors import InputError, Where
from harness.spec import unknown
from harness.tomlfile import line_of, load_toml
from models.machine import Answer

# How an entry point's parameter is fed in each scenario (the loader's wrapper passes these).
FEEDS = {"fn": "the scenario's leaf", "args": "the run's struct tdx_module_args *",
         "answer": "the script's first answer (a status code)", "zero": "0"}
T = TypeVar("T")

REGISTERS = ("rcx", "rdx", "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15", "rbx", "rdi", "rsi")
_REPEAT = re.compile(r"^([A-Za-z_]\w*)\s*\*\s*(\d+)$")


@dataclass(frozen=True)
class Unit:
    """A translation unit: a name and the file whose pr_fmt applies."""

    name: str
    path: str


class EntryKind(StrEnum):
    """Where an entry point comes from: the matrix file, or the code itself (harness.discover)."""

    MATRIX = "matrix"
    DISCOVERED = "discovered"  # a function or macro of the helper code that reaches a SEAMCALL
    CHANGED = "changed"  # a function a patch changes, run directly because no usual entry can reach it


@dataclass(frozen=True)
class Entry:
    """An entry point and how it is called: ``args`` feeds each parameter (see FEEDS)."""

    name: str
    units: tuple[str, ...]
    args: tuple[str, ...]
    kind: EntryKind = EntryKind.MATRIX
    origin: str | None = None  # file:line where a discovered entry is defined


@dataclass(frozen=True)
class Script:
    """Named answers of the SEAM world, one per SEAMCALL (the last repeats)."""

    name: str
    answers: tuple[Answer, ...]
    text: str
    leaves: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Scenario:
    """One cell of the matrix."""

    id: str
    entry: Entry
    leaf_name: str
    leaf: int
    script: Script
    unit: Unit


@dataclass(frozen=True)
class Matrix:
    """A loaded matrix file and its scenarios, in a stable order."""

    path: Path
    codes: dict[str, int]
    leaves: dict[str, int]
    units: tuple[Unit, ...]
    entries: tuple[Entry, ...]
    scripts: tuple[Script, ...]
    scenarios: tuple[Scenario, ...]
    recognises: tuple[str, ...] = ()  # shell patterns of C identifiers: see code_matches()
    params: tuple[tuple[str, str], ...] = ()  # parameter name -> feed, for discovered entry points

    def with_entries(self, extra: list[Entry], units: list[Unit]) -> Matrix:
        """This matrix and more entry points (and units), their scenarios expanded after the others."""
        all_units = self.units + tuple(units)
        added = _expand(extra, self.leaves, list(self.scripts), all_units)
        return replace(self, units=all_units, entries=self.entries + tuple(extra),
                       scenarios=self.scenarios + tuple(added))

    def scenario(self, sid: str) -> Scenario:
        return self.scenarios[self.position(sid)]

    def position(self, sid: str) -> int:
        return self._positions[sid]

    @cached_property
    def _positions(self) -> dict[str, int]:
        return {s.id: i for i, s in enumerate(self.scenarios)}


def _int(value: Any, where: Where, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InputError(where, f"{what} must be an integer, not {value!r}")
    if not 0 <= value < 1 << 64:
        raise InputError(where, f"{what} {value:#x} does not fit in 64 bits")
    return value


def _answer(item: Any, codes: dict[str, int], where: Where) -> list[Answer]:
    if isinstance(item, dict):
        code = _code(item.get("code"), codes, where)
        regs = tuple((r, _int(v, where, f"register {r}")) for r, v in item.items() if r != "code")
        for r, _ in regs:
            if r not in REGISTERS:
                raise InputError(where, unknown("register", r, REGISTERS))
        return [Answer(code, regs)]
    if isinstance(item, str) and (m := _REPEAT.match(item.strip())) is not None:
        return [Answer(_code(m.group(1), codes, where))] * int(m.group(2))
    return [Answer(_code(item, codes, where))]


def _code(value: Any, codes: dict[str, int], where: Where) -> int:
    if isinstance(value, str):
        if value not in codes:
            raise InputError(where, unknown("code", value, codes) + " (or define it under [codes])")
        return codes[value]
    return _int(value, where, "answer")


def _scripts(data: dict[str, Any], codes: dict[str, int], path: Path, text: str) -> list[Script]:
    out: list[Script] = []
    for table in data.get("script", []):
        name = str(table.get("name", ""))
        where = Where(str(path), line_of(text, f'"{name}"'))
        raw = table.get("answers")
        if not name or not isinstance(raw, list) or not raw:
            raise InputError(where, "a script needs a name and a non-empty 'answers' list")
        leaves = tuple(table["leaves"]) if "leaves" in table else None
        counts = table.get("repeat_first")
        if counts is None:
            answers = [a for item in raw for a in _answer(item, codes, where)]
            out.append(Script(name, tuple(answers), _describe(raw), leaves))
            continue
        for n in counts:
            items = [f"{raw[0]}*{n}" if isinstance(raw[0], str) else raw[0], *raw[1:]]
            answers = [a for item in items for a in _answer(item, codes, where)]
            out.append(Script(f"{name}-x{n}", tuple(answers), _describe(items), leaves))
    return out


def _describe(items: list[Any]) -> str:
    return ", ".join(str(i) if not isinstance(i, dict) else "{" + ", ".join(f"{k}={v}" for k, v in i.items()) + "}"
                     for i in items)


def _named_ints(data: dict[str, Any], key: str, path: Path, text: str) -> dict[str, int]:
    return {k: _int(v, Where(str(path), line_of(text, k)), f"{key}.{k}") for k, v in data.get(key, {}).items()}


def load_matrix(path: Path) -> Matrix:
    """Read, check and expand a matrix file; errors name the file and line."""
    text, data = load_toml(path)
    codes = _named_ints(data, "codes", path, text)
    leaves = _named_ints(data, "leaves", path, text)
    units = tuple(Unit(str(u["name"]), str(u.get("path", u["name"]))) for u in data.get("unit", []))
    unit_names = [u.name for u in units]
    entries = []
    for e in data.get("entry", []):
        where = Where(str(path), line_of(text, f'"{e.get("name", "")}"'))
        names = tuple(e.get("units", unit_names))
        if not e.get("name"):
            raise InputError(where, "an entry needs a name")
        for u in names:
            if u not in unit_names:
                raise InputError(where, f"entry {e['name']}: " + unknown("unit", str(u), unit_names))
        args = tuple(e.get("args", ["fn", "args"]))
        if any(a not in FEEDS for a in args):
            raise InputError(where, f"entry args may only be {', '.join(FEEDS)}")
        entries.append(Entry(str(e["name"]), names, args))
    scripts = _scripts(data, codes, path, text)
    if not entries or not leaves or not scripts or not units:
        raise InputError(str(path), "a matrix needs at least one unit, entry, leaf and script")
    scenarios = _expand(entries, leaves, scripts, units)
    scenarios += _extra(data, entries, leaves, scripts, units, path, text)
    params = data.get("params", {})
    if not isinstance(params, dict) or any(v not in FEEDS for v in params.values()):
        raise InputError(Where(str(path), line_of(text, "[params]")), f"[params] maps parameter names to one of "
                         f"{', '.join(FEEDS)}")
    recognises = data.get("match", {}).get("identifiers", [])
    if not isinstance(recognises, list) or not all(isinstance(x, str) and x for x in recognises):
        raise InputError(Where(str(path), line_of(text, "identifiers")), "match.identifiers must be a list of "
                         "shell patterns of C identifiers")
    return Matrix(path, codes, leaves, units, tuple(entries), tuple(scripts), tuple(scenarios), tuple(recognises),
                  tuple(sorted(params.items())))


def _expand(entries: list[Entry] | tuple[Entry, ...], leaves: dict[str, int], scripts: list[Script],
            units: tuple[Unit, ...]) -> list[Scenario]:
    by_name = {u.name: u for u in units}
    out = []
    for e, (lname, leaf), s in product(entries, leaves.items(), scripts):
        if s.leaves is not None and lname not in s.leaves:
            continue
        for uname in e.units:
            out.append(Scenario(f"{e.name}/{lname}/{s.name}/{uname}", e, lname, leaf, s, by_name[uname]))
    return out


def _extra(data: dict[str, Any], entries: list[Entry], leaves: dict[str, int], scripts: list[Script],
           units: tuple[Unit, ...], path: Path, text: str) -> list[Scenario]:
    out = []
    for row in data.get("scenario", []):
        where = Where(str(path), line_of(text, str(row.get("entry", "?"))))
        missing = [k for k in ("entry", "leaf", "script") if k not in row]
        if missing:
            raise InputError(where, f"a [[scenario]] needs {', '.join(missing)}")
        e = _named(entries, row["entry"], "entry", where)
        s = _named(scripts, row["script"], "script", where)
        u = _named(units, row.get("unit", e.units[0]), "unit", where)
        lname = str(row["leaf"])
        if lname not in leaves:
            raise InputError(where, "scenario: " + unknown("leaf", lname, leaves))
        out.append(Scenario(f"{e.name}/{lname}/{s.name}/{u.name}", e, lname, leaves[lname], s, u))
    return out


def bundled_matrices() -> list[Path]:
    """The matrix files that come with seamharness, one per series folder."""
    root = Path(str(resources.files("series")))
    return sorted(root.glob("*/matrix.toml"))


def _named(items: Sequence[T], name: object, what: str, where: Where) -> T:
    """The item called ``name``; an unknown name lists every known one, the closest first."""
    for x in items:
        if getattr(x, "name", None) == name:
            return x
    raise InputError(where, "scenario: " + unknown(what, str(name), [str(getattr(x, "name", x)) for x in items]))


def bundled_matrix(folder: Path) -> Path | None:
    path = folder / "matrix.toml"
    return path if path.is_file() else None


_CALLED = re.compile(r"#\s*define\s+([A-Za-z_]\w*)|\b([A-Za-z_]\w*)\s*\(")


def c_identifiers(lines: Iterable[str]) -> set[str]:
    """Names that these lines of C define as macros, or define or call as functions (``name(``)."""
    out: set[str] = set()
    for line in lines:
        for m in _CALLED.finditer(line):
            out.add(m.group(1) or m.group(2))
    return out


def code_matches(patterns: tuple[str, ...], names: set[str]) -> list[str]:
    """The names that match any of the shell patterns, sorted."""
    return sorted(n for n in names if any(fnmatch.fnmatchcase(n, p) for p in patterns))

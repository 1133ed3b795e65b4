"""Code a move carries unchanged: a changed line that ran alike on both sides is the same code.

A changed line of a function the other side has (harness.linecover), the same text reaching the same definitions, that
ran alike on both sides is the same code on both, whatever its tests decided.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from harness.changedlines import normalised
from harness.memo import by_identity
from models.closure import closure
from models.slicer import Definition, Kind

if TYPE_CHECKING:
    from harness.runcover import Runs  # for the annotations alone

    Side = tuple[Runs, dict[str, list[Definition]]]  # a variant's runs (all, or the compared ones) and definitions


def _body_start(d: Definition) -> int | None:
    """The index of the line of ``d``'s text where its body's brace is, None when it has none."""
    at = d.text.find("{")
    return d.text.count("\n", 0, at) if at >= 0 else None


def carried(d: Definition, line: int, sides: tuple[Side, Side], noted: tuple[dict[str, None], bool]) -> bool:
    """Whether a line of function ``d`` (``sides``: its variant's runs and definitions, then the other's) is carried
    unchanged to the other side: the other has it, the same text reaching the same definitions (_twin, a move's
    identity), the line ran on both sides, and every test on it came out the same ways on both. Its tests that came
    out one way alone are noted in ``noted``'s dict, by the added side's place (its bool: ``d`` is on the added side):
    the line is the same code on both sides, but what such a test decides the other way never ran."""
    ((runs, mine), (there, table)), (said, added_side) = sides, noted
    start = _body_start(d)
    if start is None or line - d.line < start:
        return False
    twin = _twin(d, mine, table)
    if twin is None or not runs.line_ran(d, line):
        return False
    other_line = twin.line + (_body_start(twin) or 0) + line - d.line - start
    if not there.line_ran(twin, other_line):
        return False
    ways = {t[1]: runs.ways(d.path, t) for t in runs.decisions_on(d.path, line)}
    if ways != {t[1]: there.ways(twin.path, t) for t in there.decisions_on(twin.path, other_line)}:
        return False
    text = " ".join(d.text.split("\n")[line - d.line].split())
    added, at = (d, line) if added_side else (twin, other_line)
    for came in sorted(set(ways.values())):
        if len(came) < 2:
            how = "was never tested" if not came else f"always came out {'true' if came == ('T',) else 'false'}"
            said[f"{added.name}() at {added.path}:{at} ({text!r}) moved unchanged, but a test on it {how} on both "
                    "sides, so what it decides the other way ran on neither"] = None
    return True


def _twin(d: Definition, mine: dict[str, list[Definition]], table: dict[str, list[Definition]]) -> Definition | None:
    """The function of ``table`` that is ``d`` carried unchanged: its text from its name on (parameters and body) the
    same as ``d``'s, under ``d``'s name or another (a move that renames), and every definition it reaches (macros,
    types, callees: models.closure) the same text as what ``d`` reaches, so its names mean what they meant (a body
    moved next to another TRIES is not the same code)."""
    rest = _rest(d)
    found = _by_rest(table).get(rest, [])
    twin = next((x for x in found if x.name == d.name), found[0] if len(found) == 1 else None)
    if twin is None or (reached := _reached_texts(mine, d)) is None or reached != _reached_texts(table, twin):
        return None
    return twin


def _rest(d: Definition) -> str:
    """A function's text from its name on: its parameters and body."""
    return d.text[d.text.find(f"{d.name}(") + len(d.name):]


def _by_rest(table: dict[str, list[Definition]]) -> dict[str, list[Definition]]:
    """A variant's functions by their text from their name on (_rest), once per table."""
    def make() -> dict[str, list[Definition]]:
        out: dict[str, list[Definition]] = {}
        for d in (d for ds in table.values() for d in ds if d.kind is Kind.FUNCTION and d.generated_by is None):
            out.setdefault(_rest(d), []).append(d)
        return out
    return by_identity("linecover-rest", (table,), (), make)


def _reached_texts(table: dict[str, list[Definition]], d: Definition) -> frozenset[tuple[str, str]] | None:
    """What function ``d`` reaches but itself, by name and text (comments and spacing aside); None where a name it
    reaches has two texts (which one a line means is not told by name: not the same code as far as is known)."""
    def make() -> frozenset[tuple[str, str]] | None:
        found = {(x.name, "\n".join(normalised(t) for t in x.text.split("\n")))
                 for x in closure(table, [d.name]) if x is not d and x.name != d.name}
        return frozenset(found) if len({name for name, _ in found}) == len(found) else None
    return by_identity("carried-reached", (table, d), (), make)  # asked once per changed line of d

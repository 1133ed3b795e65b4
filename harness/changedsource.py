"""What differs behind a name whose value changed while the line that sets it reads the same.

It names the definition the name uses, and gives the note for a condition over such a name whose value is not worked
out.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from harness.changedlines import normalised
from harness.runner import variant_sources
from harness.valuereaders import line_text, statement_from

if TYPE_CHECKING:
    from harness.valuereaders import Unknown
    from harness.variants import Variant
    from models.cload import Program
    from models.slicer import Definition

_NAME = re.compile(r"[A-Za-z_]\w*")
_DEPTH = 4  # definitions followed from the line (a macro naming another macro, ...)
_LONGEST = 120  # characters of a definition's text quoted


def _quoted(d: Definition) -> str:
    text = " ".join(normalised(line) for line in d.text.splitlines() if line.strip())
    return text if len(text) <= _LONGEST else text[:_LONGEST - 3] + "..."


def _changed(line: str, own: str, sides: tuple[Variant, Variant]) -> list[tuple[str, Definition | None,
                                                                                Definition | None]]:
    """The names ``line`` uses (not ``own``), and those their definitions use in turn, whose definitions differ
    between the sides (a #define, a const, an enumerator), nearest first; a name defined alike is followed on."""
    from models.loader import definitions

    tables = [definitions(variant_sources(v)) for v in sides]
    found: list[tuple[str, Definition | None, Definition | None]] = []
    seen, todo = {own}, [n for n in _NAME.findall(line) if n != own]
    for _ in range(_DEPTH):
        more: list[str] = []
        for name in dict.fromkeys(todo):
            if name in seen:
                continue
            seen.add(name)
            da, db = (next(iter(t.get(name) or ()), None) for t in tables)
            if da is None and db is None:
                continue
            if da is None or db is None or normalised(da.text) != normalised(db.text):
                found.append((name, da, db))
            else:
                more += [n for n in _NAME.findall(da.text) if n != name]
        todo = more
    return found


def _side(d: Definition | None, v: Variant) -> str:
    return f"'{_quoted(d)}' ({d.where}) in {v.name}" if d is not None else f"none in {v.name}"


def _stores(name: str, function: str, v: Variant) -> list[str]:
    """The lines of ``function`` in ``v`` that store to ``name`` (``=``, a compound assignment, ``++``/``--``)."""
    from models.loader import definitions

    found = definitions(variant_sources(v)).get(function) or []
    store = re.compile(rf"(?<![\w.>]){re.escape(name)}\s*(?:[-+*/%&|^]|<<|>>)?=(?!=)|"
                       rf"(?:\+\+|--)\s*{re.escape(name)}\b|(?<![\w.>]){re.escape(name)}\s*(?:\+\+|--)")
    lines = tuple(found[0].text.splitlines()) if found else ()
    # The statement each such line begins, to where its parentheses close: 'ret = f(a,' alone hid the call the next
    # line makes, where the change was.
    return [statement_from(lines[i:]) for i, line in enumerate(lines) if store.search(line)]


def _stored_otherwise(name: str, function: str, sides: tuple[Variant, Variant]) -> str:
    """The stores to ``name`` in ``function`` one side has and the other lacks, said ('' where they are alike)."""
    a, b = (_stores(name, function, v) for v in sides)
    only_a, only_b = [x for x in a if x not in b], [x for x in b if x not in a]
    if not only_a and not only_b:
        return ""
    return f"its stores in {function}() changed, {_lines(only_a, sides[0])} -> {_lines(only_b, sides[1])}"


def _lines(xs: list[str], v: Variant) -> str:
    return ", ".join(f"'{x}'" for x in xs) + f" in {v.name}" if xs else f"none in {v.name}"


def changed_source(name: str, lines: tuple[str, str], wheres: tuple[str, str], sides: tuple[Variant, Variant],
                   function: str = "") -> str:
    """A read name said by what changed: its setting line on each side where those differ, else that line once and
    the definitions it uses that differ ('retry, set by 'int retry = SC_BUSY_RETRIES;' (x.h:35) on both sides, but
    SC_BUSY_RETRIES changed, '#define SC_BUSY_RETRIES 3' (x.h:31) in v4 -> '#define SC_BUSY_RETRIES 5' (x.h:31) in
    v5'): the same line twice named nothing that differs."""
    if lines[0] != lines[1] or "?" in lines:
        return f"{name}, set by '{lines[0]}' ({wheres[0]}) in {sides[0].name} -> '{lines[1]}' ({wheres[1]}) in " \
            f"{sides[1].name}"
    at = wheres[0] if wheres[0] == wheres[1] else f"{wheres[0]} in {sides[0].name}, {wheres[1]} in {sides[1].name}"
    changed = _changed(lines[0], name.split(" ")[0], sides)
    if not changed:
        stores = _stored_otherwise(name, function, sides) if function and " " not in name else ""
        # Nothing found that differs: the line that declares it is said as that, not as what sets it.
        return f"{name}, declared as '{lines[0]}' ({at}) on both sides" + (f", but {stores}" if stores else "")
    said = "; ".join(f"{n} changed, {_side(da, sides[0])} -> {_side(db, sides[1])}" for n, da, db in changed)
    return f"{name}, set by '{lines[0]}' ({at}) on both sides, but {said}"


def not_known(u: Unknown, programs: tuple[Program, Program], sides: tuple[Variant, Variant]) -> str:
    """A condition the same on both sides over a name whose value changed and is not worked out, as said: the name
    by what changed behind it (harness.changedsource), the condition once where its text is the same (quoted twice, it
    read as the change, and the change was elsewhere)."""
    function = programs[0].c_name(u.a.function)
    names = "; ".join(changed_source(name, (line_text(sides[0], wa), line_text(sides[1], wb)), (wa, wb), sides,
                                     function) for name, wa, wb in u.reads)
    texts = [line_text(v, d.where) for d, v in ((u.a, sides[0]), (u.b, sides[1]))]
    if texts[0] == texts[1] and u.a.where == u.b.where:
        cond = f"'{texts[0]}' ({u.a.where}), the same in {sides[0].name} and {sides[1].name},"
    else:
        cond = f"'{texts[0]}' ({u.a.where}) in {sides[0].name} -> '{texts[1]}' ({u.b.where}) in {sides[1].name},"
    why = "; ".join(f"{name} ({said}: a value no run reads" for name, said in u.parameters) or \
        "set by a call or more than once, or stored to"
    return f"a condition of {function}(), {cond} reads a name whose value changed: " \
        f"{names}: whether it differs for other answers is not known: the value it reads is not worked out ({why})"

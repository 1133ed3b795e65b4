"""The prelude's macros added since its first lines (models/preludeadded.py): after every older line, each once."""

from __future__ import annotations

from models.errnos import ERRNO
from models.prelude import MACROS, TYPES, macro_line, macro_lines, prelude_text
from models.preludeadded import ADDED


def _name(head: str) -> str:
    return head.split("(", 1)[0]


def test_each_added_macro_is_defined_after_every_older_line() -> None:
    # A <prelude>:N a report cited before an addition stays the line it was: the older macros and the errno values
    # keep their lines, the added ones follow them in ADDED's order.
    older = [_name(h) for h, _ in MACROS] + list(ERRNO)
    added = [_name(h) for h, _ in ADDED]
    assert [macro_line(n) for n in older] == list(range(TYPES.count("\n") + 1, TYPES.count("\n") + 1 + len(older)))
    assert [macro_line(n) for n in added] == [macro_line(older[-1]) + 1 + i for i in range(len(added))]


def test_each_added_macro_is_on_its_line_of_the_text() -> None:
    lines = prelude_text().split("\n")
    for head, body in ADDED:
        assert lines[macro_line(_name(head)) - 1] == f"#define {head} {body}"


def test_no_added_macro_defines_a_name_again() -> None:
    # A second definition would move the name's line (macro_line gives the last) and gcc would warn that it is
    # redefined: every name of the prelude is defined once.
    names = [name for name, _, _ in macro_lines()]
    assert len(names) == len(set(names))
    assert not {_name(h) for h, _ in ADDED} & ({_name(h) for h, _ in MACROS} | set(ERRNO))

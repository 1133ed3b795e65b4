"""Object-like macros of the files that only give another name to one no file defines (harness.macroaliases)."""

from __future__ import annotations

import pytest

from harness.macroaliases import alias_targets, as_targets
from harness.valuenames import Use
from models.loader import Source


def _targets(text: str, named: frozenset[str] = frozenset()) -> dict[str, str]:
    return alias_targets((Source("x/a.h", ((1, tuple(text.splitlines())),), True),), named.__contains__)


@pytest.mark.parametrize(("text", "found"), [
    ("#define SC_FLAG sc_pcpu\n", {"SC_FLAG": "sc_pcpu"}),
    ("#define SC_FLAG sc_pcpu /* the flag */\n", {"SC_FLAG": "sc_pcpu"}),
    ("#define SC_FLAG \\\n\tsc_pcpu\n", {"SC_FLAG": "sc_pcpu"}),
    ("#define SC_FLAG \\\n\\\nsc_pcpu\n", {"SC_FLAG": "sc_pcpu"}),
    ("#define SC_FLAG sc_\\\npcpu\n", {"SC_FLAG": "sc_pcpu"}),  # spliced inside the name: one token
    ("#define SC_FLAG \\\n\tsc_pcpu + \\\n 1\n", {}),
    ("#define SC_A sc_pcpu\n#define SC_FLAG SC_A\n", {"SC_A": "sc_pcpu", "SC_FLAG": "sc_pcpu"}),
    ("#define SC_A SC_B\n#define SC_B SC_A\n", {}),
    ("#define SC_FLAG sc_known\n", {}),
    ("#define SC_FLAG (sc_pcpu)\n", {}), ("#define SC_FLAG sc_pcpu + 1\n", {}), ("#define SC_FLAG(x) sc_pcpu\n", {}),
    ("#ifdef SC_ON\n#define SC_FLAG sc_pcpu\n#else\n#define SC_FLAG sc_other\n#endif\n", {})])
def test_a_macro_whose_replacement_list_is_one_undefined_name_is_an_alias(text: str, found: dict[str, str]) -> None:
    # One identifier, through aliases in turn (cpp rescans: C11 6.10.3.4), no cycle; not a name ``named`` says is
    # defined (harness.unknowncallees: the files' or the prelude's), an expression, a function-like macro, nor a
    # macro defined two ways.
    assert _targets(text, frozenset({"sc_known"})) == found, text


def test_an_alias_s_use_is_its_target_s_use_and_a_call_a_value_where_calls_are_left_out() -> None:
    found = [(1, "SC_FLAG", Use.VALUE), (2, "SC_FLAG", Use.CALL), (3, "n", Use.CALL)]
    targets = {"SC_FLAG": "sc_pcpu"}
    assert as_targets(found, targets, True) == [(1, "sc_pcpu", Use.VALUE), (2, "sc_pcpu", Use.CALL), (3, "n", Use.CALL)]
    assert as_targets(found, targets, False) == [(1, "sc_pcpu", Use.VALUE), (2, "sc_pcpu", Use.VALUE),
                                                 (3, "n", Use.CALL)]

"""A setter's store as gcc reads it: a local only a conditional group declares hides none, a splice splits none."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.verdict import VerdictStatus
from tests.harness.test_retry_code_set_outside import LOOP, _gcc, _judge

_STORE = "\tsc_busy_code = SEAMLDR_RND_NO_ENTROPY;\n"
# The setter's own 'sc_busy_code' in a group gcc leaves out ('%:' is '#': a digraph, C11 6.4.6p3), then the store.
_GROUPED = {"#if 0": "#if 0\n\tu64 sc_busy_code;\n#endif\n",
            "#ifdef of an unset option": "#ifdef CONFIG_SC_NEVER\n\tlong sc_busy_code;\n#endif\n",
            "#if 0, const": "#if 0\n\tconst u64 sc_busy_code = 0;\n#endif\n",
            "%:if 0": "%:if 0\n\tu64 sc_busy_code;\n%:endif\n",
            "#else of #if 1": "#if 1\n\tint n = 0;\n#else\n\tu64 sc_busy_code;\n#endif\n\t(void)n;\n"}


def _setter(body: str) -> str:
    return f"\nstatic inline void sc_retry_seamldr_busy(void)\n{{\n{body}}}\n"


@pytest.mark.parametrize("form", sorted(_GROUPED))
def test_a_local_only_a_group_a_build_leaves_out_declares_hides_no_store(tmp_path: Path, form: str) -> None:
    # gcc: 1 SEAMCALL, then 2 once the setter ran: it stores to the file's sc_busy_code. The first four were PASS:
    # the group's declaration (read as code by pycparser and by the text scan) made the store the setter's own.
    # The last was INCONCLUSIVE for another reason: the taken group's n read as undeclared (harness.unknowncallees).
    loop = LOOP.format(const="", setter=_setter(_GROUPED[form] + _STORE))
    assert _gcc(tmp_path, "", loop) == ["1", "2"]
    status, note = _judge(tmp_path, loop)
    assert status is VerdictStatus.INCONCLUSIVE, note
    assert "reads sc_busy_code, a variable code no run executes may set: sc_retry_seamldr_busy() (" in note, note


def test_a_local_declared_outside_the_groups_keeps_the_pass(tmp_path: Path) -> None:
    # gcc: 1 SEAMCALL before the setter and after: its own sc_busy_code, declared outside every group, takes the
    # store, whether the group's store is built or not.
    body = "\tu64 sc_busy_code = 0;\n\n#ifdef CONFIG_SC_NEVER\n\tsc_busy_code++;\n#endif\n" + _STORE + \
        "\t(void)sc_busy_code;\n"
    loop = LOOP.format(const="", setter=_setter(body))
    assert _gcc(tmp_path, "", loop) == ["1", "1"]
    status, note = _judge(tmp_path, loop)
    assert status is VerdictStatus.PASS, note


def test_a_store_across_a_backslash_newline_is_a_store(tmp_path: Path) -> None:
    # gcc: 1 SEAMCALL, then 2 once the setter ran: 'sc_busy_code \' then '= ...;' is one line to it (C11
    # 5.1.1.2p1, phase 2). It was PASS: no '=' after the name on its line.
    loop = LOOP.format(const="", setter=_setter("\tsc_busy_code \\\n\t\t= SEAMLDR_RND_NO_ENTROPY;\n"))
    assert _gcc(tmp_path, "", loop) == ["1", "2"]
    status, note = _judge(tmp_path, loop)
    assert status is VerdictStatus.INCONCLUSIVE, note
    assert "reads sc_busy_code, a variable code no run executes may set: sc_retry_seamldr_busy() (" in note, note

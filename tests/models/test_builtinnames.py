"""The compile-time builtins' names, as the rules' child reads them without the C parser."""

from __future__ import annotations

import subprocess
import sys

from models.builtinnames import COMPILE_TIME_NAMES


def test_the_names_are_the_builtins_table() -> None:
    from models.builtins import COMPILE_TIME

    assert frozenset(COMPILE_TIME) == COMPILE_TIME_NAMES


def test_prelude_names_need_no_c_parser() -> None:
    # The review rules read these names with every outcome cached, when no C is parsed at all.
    code = ("import sys; from harness.sysheaders import prelude_names; names = prelude_names(); "
            "assert '__builtin_constant_p' in names and 'sc_retry' not in names; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('pycparser', 'pcpp')"
            " or m in ('models.builtins', 'models.cload')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"

"""The kernel primitives' names, as the checks that only ask whether a callee is modelled read them."""

from __future__ import annotations

import subprocess
import sys

from models.primnames import NAME_FIRST, PRIMITIVE_NAMES


def test_the_names_are_the_primitives_table() -> None:
    from models.kernel import PRIMITIVES

    assert frozenset(PRIMITIVES) == PRIMITIVE_NAMES


def test_those_naming_a_variable_first_are_the_primitives_with_name_args() -> None:
    from models.kernel import PRIMITIVES

    assert {n: p.name_args for n, p in PRIMITIVES.items() if p.name_args} == dict.fromkeys(NAME_FIRST, (0,))


def test_the_name_checks_need_no_kernel_models() -> None:
    # With every outcome cached these run and nothing is run: models.kernel (and the libc, sprintf and per-CPU
    # models only it imports) need not be loaded for a name.
    code = ("import sys; import harness.codechecks, harness.unreadcode, harness.discover; "
            "from harness.sysheaders import prelude_names; from harness.tuorder import prelude_names as unit_prelude; "
            "assert 'spin_lock' in prelude_names() and 'memcpy' in unit_prelude(); "
            "assert 'memcpy' in harness.discover._modelled(); "
            "from harness import macroexprs, unknowncallees as u; u._prelude_callees(); u._prelude_names(); "
            "r = macroexprs.primitive_reads(); "
            "assert ('memcpy', -1) in r and ('spin_lock', -2) in r and ('spin_lock', -1) not in r; "
            "print(sorted(m for m in sys.modules if m in ('models.kernel', 'models.libc', 'models.sprintf')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"

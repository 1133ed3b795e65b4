"""The kernel primitives' names, as the checks that only ask whether a callee is modelled read them."""

from __future__ import annotations

import subprocess
import sys

from models.primnames import PRIMITIVE_NAMES


def test_the_names_are_the_primitives_table() -> None:
    from models.kernel import PRIMITIVES

    assert frozenset(PRIMITIVES) == PRIMITIVE_NAMES


def test_the_name_checks_need_no_kernel_models() -> None:
    # With every outcome cached these run and nothing is run: models.kernel (and the libc, sprintf and per-CPU
    # models only it imports) need not be loaded for a name.
    code = ("import sys; import harness.codechecks, harness.unreadcode, harness.discover; "
            "from harness.sysheaders import prelude_names; from harness.tuorder import _prelude; "
            "assert 'spin_lock' in prelude_names() and 'memcpy' in _prelude(); "
            "assert 'memcpy' in harness.discover._modelled(); "
            "print(sorted(m for m in sys.modules if m in ('models.kernel', 'models.libc', 'models.sprintf')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"

"""Kernel helpers a SEAMCALL series could call next that the mirror does not model: refused at their call's line.

include/linux/minmax.h min_not_zero(), bitops.h ffz(), log2.h order_base_2(), string.h str_has_prefix(),
strstarts(), strscpy_pad(), memzero_explicit(), slab.h kzalloc_node(), kernel.h kstrtoul(), PTR_ALIGN(): none is in
the prelude nor among the primitives, so a run reaching one stops there, naming the call's file:line ("call to
unknown function"), never running something else; gcc below the crosscheck's prelude does not build them either.
What the mirror runs beside them (min(), fls64(), strscpy(), round_up(), GENMASK(), check_add_overflow(),
struct_size(), the bitmap operations, __auto_type, _Generic, case ranges, bitfields ...) agrees with gcc -O2:
tests/models/test_kernel_helpers_gcc.py and the everyday C tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.models.cprog import PATH, run
from tests.models.test_prelude_named_functions_gcc import gcc_value, needs_cc

F = "long long f(u64 fn, struct tdx_module_args *args)\n{\n\tu64 v = fn + 8;\n\tchar b[8];\n\n\treturn %s;\n}\n"
CALLS = {
    "min_not_zero": "min_not_zero(v, 3ULL)",
    "ffz": "ffz(v)",
    "order_base_2": "order_base_2(v)",
    "str_has_prefix": 'str_has_prefix("seamldr", "seam")',
    "strstarts": 'strstarts("seamldr", "seam")',
    "strscpy_pad": 'strscpy_pad(b, "ab", sizeof(b))',
    "memzero_explicit": "(memzero_explicit(b, sizeof(b)), 0)",
    "kzalloc_node": "kzalloc_node(8, GFP_KERNEL, 0) != NULL",
    "kstrtoul": '({ unsigned long x; kstrtoul("12", 10, &x); })',
}


@needs_cc
@pytest.mark.parametrize("name", CALLS)
def test_a_helper_not_modelled_is_refused_at_its_call(tmp_path: Path, name: str) -> None:
    code = F % CALLS[name]
    assert gcc_value(tmp_path, code) is None  # not in the crosscheck's prelude either
    out = run(code)
    assert (out.status, out.error_kind) == ("error", "unsupported"), (out.status, out.ret, out.error)
    assert (out.error or "").startswith(f"{PATH}:6: call to unknown function {name}()"), out.error

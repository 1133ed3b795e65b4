"""eval of a patch that calls a helper through a const table as kernel code writes it: compared as the call it is."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.harness.test_helper_split import _eval, _patch_section
from tests.harness.test_own_series_notes import BASE, OLD_CALL

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git (format-patch, the mails' maker) is missing")
TABLE = """enum tdx_op { TDX_OP_PLAIN, TDX_OP_CHECKED, TDX_OP_NR };

struct tdx_check_ops {
\tint (*check)(tdx_call_t call, u64 fn, struct tdx_module_args *args);
};

struct tdx_ops {
\ttdx_call_t call;
\tstruct tdx_check_ops inner;
};

static const struct tdx_ops tdx_ops_table[TDX_OP_NR] = {
\t[TDX_OP_CHECKED] = { .call = &__seamcall, .inner.check = &tdx_call_checked },
};

GLOBALint tdx_sys_init(void)
{
\tstruct tdx_module_args args = {};

\treturn (*tdx_ops_table[K].inner.check)(tdx_ops_table[K].call, TDH_SYS_INIT, &args);
}"""


def test_a_call_through_a_nested_member_of_an_enum_indexed_table_is_the_call(tmp_path: Path) -> None:
    """Before: '... but the patch changes a value that none of them tells apart' and 'not compared: a value of
    tdx_sys_init() changed, 'return tdx_call_checked(__seamcall, TDH_SYS_INIT, &args);' -> 'return
    (*tdx_ops_table[TDX_OP_CHECKED].inner.check)(...)': what the two compute is not worked out'."""
    out = _eval(tmp_path, BASE.replace(OLD_CALL, TABLE.replace("[K]", "[TDX_OP_CHECKED]").replace("GLOBAL", "")))
    assert _patch_section(out) == ["no behaviour change in the 94 of 658 scenarios that ran on both sides"], out


def test_an_index_code_may_change_stays_not_worked_out(tmp_path: Path) -> None:
    """tdx_op is no const: code not read may store another index, so the entry called is not known."""
    table = TABLE.replace("[K]", "[tdx_op]").replace("GLOBAL", "int tdx_op = TDX_OP_CHECKED;\n\n")
    out = _eval(tmp_path, BASE.replace(OLD_CALL, table))
    section = _patch_section(out)
    assert section[0] != "no behaviour change in the 94 of 658 scenarios that ran on both sides", section
    assert any(ln.startswith("not compared: a value of tdx_sys_init() changed") for ln in section), section

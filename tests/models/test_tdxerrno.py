"""The prelude's TDX status codes (models.tdxerrno): mainline's values, and code masking a status with them runs."""

from __future__ import annotations

from pathlib import Path

import pytest

from models.tdxerrno import TDX_ERRNO
from tests.harness.variantgen import agrees_with_gcc
from tests.models.cprog import run

# Mainline's values (arch/x86/include/asm/shared/tdx_errno.h), written out here as numbers: the prelude's spelling
# of each must give the same.
MAINLINE = {
    "TDX_SEAMCALL_STATUS_MASK": 0xFFFFFFFF00000000, "TDX_NON_RECOVERABLE_VCPU": 0x4000000100000000,
    "TDX_NON_RECOVERABLE_TD": 0x4000000200000000, "TDX_NON_RECOVERABLE_TD_NON_ACCESSIBLE": 0x6000000500000000,
    "TDX_NON_RECOVERABLE_TD_WRONG_APIC_MODE": 0x6000000700000000, "TDX_INTERRUPTED_RESUMABLE": 0x8000000300000000,
    "TDX_SYS_BUSY": 0x8000020200000000, "TDX_OPERAND_INVALID": 0xC000010000000000,
    "TDX_OPERAND_BUSY": 0x8000020000000000, "TDX_PREVIOUS_TLB_EPOCH_BUSY": 0x8000020100000000,
    "TDX_PAGE_METADATA_INCORRECT": 0xC000030000000000, "TDX_VCPU_NOT_ASSOCIATED": 0x8000070200000000,
    "TDX_KEY_GENERATION_FAILED": 0x8000080000000000, "TDX_KEY_STATE_INCORRECT": 0xC000081100000000,
    "TDX_KEY_CONFIGURED": 0x0000081500000000, "TDX_NO_HKID_READY_TO_WBCACHE": 0x0000082100000000,
    "TDX_FLUSHVP_NOT_DONE": 0x8000082400000000, "TDX_EPT_WALK_FAILED": 0xC0000B0000000000,
    "TDX_EPT_ENTRY_STATE_INCORRECT": 0xC0000B0D00000000, "TDX_METADATA_FIELD_NOT_READABLE": 0xC0000C0200000000,
    "TDX_OPERAND_ID_RCX": 0x01, "TDX_OPERAND_ID_TDR": 0x80, "TDX_OPERAND_ID_SEPT": 0x92,
    "TDX_OPERAND_ID_TD_EPOCH": 0xA9,
    # asm/tdx.h's, there before
    "TDX_SUCCESS": 0, "TDX_RND_NO_ENTROPY": 0x8000020300000000, "TDX_SEAMCALL_UD": 0x8000FF0000000006,
}


def test_every_code_is_listed() -> None:
    assert {name for name, _ in TDX_ERRNO} <= MAINLINE.keys()


@pytest.mark.parametrize("name", sorted(MAINLINE))
def test_each_code_has_mainlines_value(name: str) -> None:
    # Before: 'unknown identifier' for all but the last three.
    out = run(f"u64 f(u64 fn, struct tdx_module_args *args)\n{{\n\treturn {name};\n}}\n")
    assert out.status == "ok" and out.ret == MAINLINE[name], out.error


MASKED = """\
static u64 busy(u64 fn, struct tdx_module_args *args)
{
	int left = RDRAND_RETRY_LOOPS;
	u64 err;

	do {
		err = __seamcall(fn, args);
	} while ((err & TDX_SEAMCALL_STATUS_MASK) == TDX_RND_NO_ENTROPY && --left);

	if ((err & TDX_SEAMCALL_STATUS_MASK) == TDX_OPERAND_BUSY)
		return 1;
	return err;
}
"""


def test_a_loop_masking_the_status_runs_as_gcc_runs_it(tmp_path: Path) -> None:
    # 'no entropy' with a detail in bits 31:0 is retried ten times, and its last answer returned; gcc from the text
    # agrees (the loop failed to load before: 'unknown identifier TDX_SEAMCALL_STATUS_MASK').
    result = agrees_with_gcc(tmp_path, "masked", "demo/masked.h", MASKED, 0x8000020300000001, (0, 0x8000020300000001))
    calls = result.outcome("masked", "busy/ONE/big/demo.c").calls
    assert len(calls) == 10, calls
    (tmp_path / "b").mkdir()
    busy = agrees_with_gcc(tmp_path / "b", "busied", "demo/busied.h", MASKED, 0x8000020000000092, (0, 1))
    assert len(busy.outcome("busied", "busy/ONE/big/demo.c").calls) == 1


def test_a_files_own_definition_wins() -> None:
    out = run("#define TDX_OPERAND_BUSY 5ULL\nu64 f(u64 fn, struct tdx_module_args *args)\n{\n"
              "\treturn TDX_OPERAND_BUSY;\n}\n")
    assert out.status == "ok" and out.ret == 5, out.error


def test_their_header_is_named_when_assumed() -> None:
    from harness.assumedconsts import CONSTANTS

    assert CONSTANTS["TDX_SEAMCALL_STATUS_MASK"] == "arch/x86/include/asm/shared/tdx_errno.h"
    assert CONSTANTS["TDX_RND_NO_ENTROPY"] == "arch/x86/include/asm/tdx.h"

"""The TDX module's architectural status codes the prelude defines (mainline's asm/shared/tdx_errno.h)."""

from __future__ import annotations

# arch/x86/include/asm/shared/tdx_errno.h: the mask of a status code's class (its detail, an operand id or a field,
# is bits 31:0), the status codes in RAX and the operand ids of a detail. Values, not text, as mainline has them:
# a patch comparing 'err & TDX_SEAMCALL_STATUS_MASK' with one of them failed to load ('unknown identifier').
HEADER = "arch/x86/include/asm/shared/tdx_errno.h"
TDX_ERRNO: tuple[tuple[str, str], ...] = (
    ("TDX_SEAMCALL_STATUS_MASK", "0xFFFFFFFF00000000ULL"),
    ("TDX_NON_RECOVERABLE_VCPU", "0x4000000100000000ULL"),
    ("TDX_NON_RECOVERABLE_TD", "0x4000000200000000ULL"),
    ("TDX_NON_RECOVERABLE_TD_NON_ACCESSIBLE", "0x6000000500000000ULL"),
    ("TDX_NON_RECOVERABLE_TD_WRONG_APIC_MODE", "0x6000000700000000ULL"),
    ("TDX_INTERRUPTED_RESUMABLE", "0x8000000300000000ULL"),
    ("TDX_SYS_BUSY", "0x8000020200000000ULL"),
    ("TDX_OPERAND_INVALID", "0xC000010000000000ULL"),
    ("TDX_OPERAND_BUSY", "0x8000020000000000ULL"),
    ("TDX_PREVIOUS_TLB_EPOCH_BUSY", "0x8000020100000000ULL"),
    ("TDX_PAGE_METADATA_INCORRECT", "0xC000030000000000ULL"),
    ("TDX_VCPU_NOT_ASSOCIATED", "0x8000070200000000ULL"),
    ("TDX_KEY_GENERATION_FAILED", "0x8000080000000000ULL"),
    ("TDX_KEY_STATE_INCORRECT", "0xC000081100000000ULL"),
    ("TDX_KEY_CONFIGURED", "0x0000081500000000ULL"),
    ("TDX_NO_HKID_READY_TO_WBCACHE", "0x0000082100000000ULL"),
    ("TDX_FLUSHVP_NOT_DONE", "0x8000082400000000ULL"),
    ("TDX_EPT_WALK_FAILED", "0xC0000B0000000000ULL"),
    ("TDX_EPT_ENTRY_STATE_INCORRECT", "0xC0000B0D00000000ULL"),
    ("TDX_METADATA_FIELD_NOT_READABLE", "0xC0000C0200000000ULL"),
    ("TDX_OPERAND_ID_RCX", "0x01"),
    ("TDX_OPERAND_ID_TDR", "0x80"),
    ("TDX_OPERAND_ID_SEPT", "0x92"),
    ("TDX_OPERAND_ID_TD_EPOCH", "0xa9"),
)

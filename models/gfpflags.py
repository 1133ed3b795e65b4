"""The allocation flags of include/linux/gfp_types.h, as the prelude's macros (models.heap runs the allocator)."""

# Their own module: models.prelude reads them without importing the allocator (and with it the C parser).

from __future__ import annotations

# include/linux/gfp_types.h (mainline's bits: ___GFP_HIGH 5, IO 6, FS 7, ZERO 8, DIRECT_RECLAIM 10, KSWAPD_RECLAIM 11,
# NOWARN 13, RETRY_MAYFAIL 14, NOFAIL 15, NORETRY 16, ACCOUNT 22: the same in the older #define list). The modifiers
# of how hard an allocation tries, whether it warns, and memcg accounting change nothing the mirror runs (an
# allocation succeeds; one the kernel always fails is refused: models.heap); before, each was an unknown identifier.
GFP_MACROS: tuple[tuple[str, str], ...] = (
    ("__GFP_HIGH", "0x20u"), ("__GFP_IO", "0x40u"), ("__GFP_FS", "0x80u"),
    ("__GFP_ZERO", "0x100u"), ("__GFP_DIRECT_RECLAIM", "0x400u"),
    ("__GFP_KSWAPD_RECLAIM", "0x800u"), ("__GFP_RECLAIM", "(__GFP_DIRECT_RECLAIM | __GFP_KSWAPD_RECLAIM)"),
    ("__GFP_NOWARN", "0x2000u"), ("__GFP_RETRY_MAYFAIL", "0x4000u"), ("__GFP_NOFAIL", "0x8000u"),
    ("__GFP_NORETRY", "0x10000u"), ("__GFP_ACCOUNT", "0x400000u"),
    ("GFP_ATOMIC", "(__GFP_HIGH | __GFP_KSWAPD_RECLAIM)"), ("GFP_KERNEL", "(__GFP_RECLAIM | __GFP_IO | __GFP_FS)"),
    ("GFP_NOIO", "(__GFP_RECLAIM)"), ("GFP_NOFS", "(__GFP_RECLAIM | __GFP_IO)"),
    ("GFP_KERNEL_ACCOUNT", "(GFP_KERNEL | __GFP_ACCOUNT)"),
)

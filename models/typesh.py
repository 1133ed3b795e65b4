"""The basic typedefs of include/linux/types.h (and the __u/__s, __le/__be ones it includes) at x86-64's widths."""

from __future__ import annotations

from functools import lru_cache

# include/linux/types.h over include/uapi/asm-generic/posix_types.h, arch/x86/include/uapi/asm/posix_types_64.h,
# asm-generic/int-ll64.h and uapi/linux/types.h (__bitwise is sparse's: nothing to gcc). The configuration is the
# mirror's (every option set): CONFIG_PHYS_ADDR_T_64BIT and CONFIG_ARCH_DMA_ADDR_T_64BIT, as every x86-64 build
# selects them, make phys_addr_t, resource_size_t and dma_addr_t u64; CONFIG_HAVE_UID16 gives old_uid_t. Emitted
# after every macro line (models.atomic.LATE_TYPES), so that the <prelude>:N lines reports cite stay put. A program
# gets those its code names (models.cload): the others would be parsed and compiled into every program for nothing.
_TYPEDEFS = (
    ("unsigned char", "__u8"), ("signed char", "__s8"), ("unsigned short", "__u16"), ("short", "__s16"),
    ("unsigned int", "__u32"), ("int", "__s32"), ("unsigned long long", "__u64"), ("long long", "__s64"),
    ("__u16", "__le16"), ("__u16", "__be16"), ("__u32", "__le32"), ("__u32", "__be32"), ("__u64", "__le64"),
    ("__u64", "__be64"), ("__u16", "__sum16"), ("__u32", "__wsum"), ("unsigned", "__poll_t"),
    ("u32", "dev_t"), ("unsigned long", "ino_t"), ("unsigned int", "mode_t"), ("unsigned short", "umode_t"),
    ("u32", "nlink_t"), ("long", "off_t"), ("int", "pid_t"), ("int", "daddr_t"), ("int", "key_t"),
    ("long", "suseconds_t"), ("int", "timer_t"), ("int", "clockid_t"), ("int", "mqd_t"), ("unsigned int", "uid_t"),
    ("unsigned int", "gid_t"), ("unsigned short", "uid16_t"), ("unsigned short", "gid16_t"), ("long", "intptr_t"),
    ("unsigned short", "old_uid_t"), ("unsigned short", "old_gid_t"), ("long long", "loff_t"), ("long", "clock_t"),
    ("char *", "caddr_t"), ("unsigned char", "u_char"), ("unsigned short", "u_short"), ("unsigned int", "u_int"),
    ("unsigned long", "u_long"), ("unsigned char", "unchar"), ("unsigned short", "ushort"), ("unsigned int", "uint"),
    ("unsigned long", "ulong"), ("u8", "u_int8_t"), ("s8", "int8_t"), ("u16", "u_int16_t"), ("s16", "int16_t"),
    ("u32", "u_int32_t"), ("s32", "int32_t"), ("u8", "uint8_t"), ("u16", "uint16_t"), ("u32", "uint32_t"),
    ("u64", "uint64_t"), ("u64", "u_int64_t"), ("s64", "int64_t"), ("s64", "ktime_t"), ("u64", "sector_t"),
    ("u64", "blkcnt_t"), ("u64", "dma_addr_t"), ("unsigned int", "gfp_t"), ("unsigned int", "slab_flags_t"),
    ("unsigned int", "fmode_t"), ("u64", "phys_addr_t"), ("phys_addr_t", "resource_size_t"),
    ("unsigned long", "irq_hw_number_t"),
    # Last, so that the lines of the others stay put. include/linux/types.h: pgoff_t is '#define pgoff_t unsigned
    # long', the same type; s128 and u128 are include/uapi/linux/types.h's __s128 and __u128 (gcc defines
    # __SIZEOF_INT128__ on x86-64), which the mirror refuses where a declaration uses them (models.typesys).
    ("unsigned long", "pgoff_t"), ("__int128", "__s128"), ("unsigned __int128", "__u128"), ("__s128", "s128"),
    ("__u128", "u128"),
)
TYPES_H = "".join(f"typedef {base} {name};\n" for base, name in _TYPEDEFS)
NAMES = frozenset(name for _, name in _TYPEDEFS)


@lru_cache(maxsize=8192)
def named_in(names: frozenset[str]) -> frozenset[str]:
    """The typedefs of TYPES_H a definition whose identifiers are ``names`` needs, each with the ones it is made of
    (a frozenset's hash is kept: a definition read again is found at once)."""
    out = set(NAMES & names)
    for base, name in reversed(_TYPEDEFS):
        if name in out and base in NAMES:
            out.add(base)
    return frozenset(out)


def lines(names: frozenset[str]) -> tuple[tuple[int, str], ...]:
    """(offset in TYPES_H, line) of each of these typedefs, in TYPES_H's order."""
    return tuple((i, f"typedef {base} {name};\n") for i, (base, name) in enumerate(_TYPEDEFS) if name in names)

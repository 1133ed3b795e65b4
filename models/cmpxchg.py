"""cmpxchg() and try_cmpxchg() on plain variables and per-CPU ones, as the prelude defines them for one task."""

from __future__ import annotations

from models.percpumacros import BYTE, OP_T

# include/linux/atomic/atomic-instrumented.h, arch/x86/include/asm/cmpxchg.h __raw_cmpxchg(), __raw_try_cmpxchg():
# the pointer, then (try_) the pointer to the expected value and what it holds, then the new value, each evaluated
# once and converted to the pointed-at type; one task on one CPU, so the locked instruction is a compare and a store
# nothing comes between. cmpxchg() gives the old value; try_cmpxchg() gives likely(success), a long
# (__builtin_expect()), and where it failed writes the value found through the expected value's pointer (cast to
# the first pointer's type, as __raw_try_cmpxchg() does). The _local and 64 forms differ only in the lock prefix
# or in refusing other sizes, which gcc checks with the kernel's headers, not here.
_CMPXCHG = ("({ __typeof__(ptr) __sh_xp = (ptr); __typeof__(*__sh_xp) __sh_xo = (old), __sh_xn = (new), "
            "__sh_xr = *__sh_xp; if (__sh_xr == __sh_xo) *__sh_xp = __sh_xn; __sh_xr; })")
_TRY_CMPXCHG = ("({ __typeof__(ptr) __sh_xp = (ptr); __typeof__(ptr) __sh_xop = (__typeof__(ptr))(oldp); "
                "__typeof__(*__sh_xp) __sh_xo = *__sh_xop, __sh_xn = (new), __sh_xr = *__sh_xp; "
                "_Bool __sh_xok = __sh_xr == __sh_xo; if (__sh_xok) *__sh_xp = __sh_xn; else *__sh_xop = __sh_xr; "
                "__builtin_expect(!!__sh_xok, 1); })")
# include/linux/percpu-defs.h __pcpu_size_call_return2bool(): a bool; arch/x86/include/asm/percpu.h
# percpu_try_cmpxchg_op(): the expected value read through ovalp (the variable's size), then nval cut to the
# variable's size (__pcpu_cast_<size>(), a bool's low byte) compared and stored as this_cpu_cmpxchg() does; on
# failure the value found is written through ovalp.
_PCPU_TRY = ("({ __typeof__(READ(pcp)) *__sh_xop = (__typeof__(READ(pcp)) *)(ovalp); "
             "__typeof__(READ(pcp)) __sh_xo = *__sh_xop; " + OP_T + " __sh_xn = (nval); "
             "__typeof__(READ(pcp)) __sh_xr = READ(pcp); _Bool __sh_xok = __sh_xr == __sh_xo; "
             "if (__sh_xok) WRITE(pcp, " + BYTE.replace("RESULT", "__sh_xn") + "); else *__sh_xop = __sh_xr; "
             "__sh_xok; })")

CMPXCHG: tuple[tuple[str, str], ...] = (
    *((f"{name}(ptr, old, new)", _CMPXCHG) for name in ("cmpxchg", "cmpxchg64", "cmpxchg_local", "cmpxchg64_local")),
    *((f"{name}(ptr, oldp, new)", _TRY_CMPXCHG) for name in ("try_cmpxchg", "try_cmpxchg64", "try_cmpxchg_local",
                                                             "try_cmpxchg64_local")),
    *((f"{p}try_cmpxchg(pcp, ovalp, nval)", _PCPU_TRY.replace("READ", f"{p}read").replace("WRITE", f"{p}write"))
      for p in ("this_cpu_", "raw_cpu_")),
    ("__this_cpu_try_cmpxchg(pcp, ovalp, nval)",
     '({ __sh_this_cpu_check("__this_cpu_try_cmpxchg"); raw_cpu_try_cmpxchg(pcp, ovalp, nval); })'),
)

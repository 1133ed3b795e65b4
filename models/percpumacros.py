"""The prelude's per-CPU macros (include/linux/percpu-defs.h, asm/percpu.h).

Declarations and the read-modify-write operations, in terms of this_cpu_read()/this_cpu_write() (models.percpuops runs
those).
"""

from __future__ import annotations

# include/linux/percpu-defs.h: a per-CPU variable is declared with its type, which reads and writes then
# have (models.kernel and models.percpuops: this_cpu_read/this_cpu_write are typed by it); its storage is the machine's.
PERCPU: tuple[tuple[str, str], ...] = tuple(
    (f"{name}(type, name)", f"{'extern ' if name.startswith('DECLARE') else ''}type name")
    for name in ("DEFINE_PER_CPU", "DECLARE_PER_CPU", "DEFINE_PER_CPU_READ_MOSTLY", "DECLARE_PER_CPU_READ_MOSTLY",
                 "DEFINE_PER_CPU_ALIGNED", "DECLARE_PER_CPU_ALIGNED", "DEFINE_PER_CPU_SHARED_ALIGNED",
                 "DECLARE_PER_CPU_SHARED_ALIGNED"))
# arch/x86/include/asm/percpu.h: an operand is cut to the variable's size (__pcpu_cast_<size>()), which for any
# integer type but _Bool is a conversion to it; a bool's is its low byte (u8), on which the byte instruction works,
# and the byte it leaves must be 0 or 1 (__sh_pcpu_byte(), models.percpuops.percpu_byte()), so OPT is u8 for a bool.
_IS_BOOL = "__sh_same_type(READ(pcp), (_Bool)0)"
OP_T = f"__typeof__(__builtin_choose_expr({_IS_BOOL}, (u8)0, READ(pcp)))"
BYTE = f"__builtin_choose_expr({_IS_BOOL}, __sh_pcpu_byte(#pcp, RESULT), RESULT)"
_VAL_FIRST = ("({ OPT __sh_val = (val); WRITE(pcp, " + BYTE.replace("RESULT", "READ(pcp) OP __sh_val") + "); })"
              ).replace("OPT", OP_T)
_ADD_RETURN = ("({ OPT __sh_val = VAL, __sh_old = READ(pcp); WRITE(pcp, "
               + BYTE.replace("RESULT", "__sh_old + __sh_val") + "); (__typeof__(READ(pcp)))(__sh_old + VAL); })"
               ).replace("OPT", OP_T)
# include/linux/percpu-defs.h: the read-modify-write operations, in terms of this_cpu_read/write (one CPU,
# preemption as the caller has it: the mirror runs one task, so nothing comes between the two).
PERCPU_OPS: tuple[tuple[str, str], ...] = tuple(
    (f"{prefix}{op}", body.replace("READ", f"{prefix}read").replace("WRITE", f"{prefix}write"))
    for prefix in ("this_cpu_", "raw_cpu_")
    for op, body in (
        ("inc(pcp)", "WRITE(pcp, " + BYTE.replace("RESULT", "READ(pcp) + 1") + ")"),
        ("dec(pcp)", "WRITE(pcp, " + BYTE.replace("RESULT", "READ(pcp) - 1") + ")"),
        # arch/x86/include/asm/percpu.h percpu_binary_op(), percpu_add_op(): val is evaluated, then one
        # instruction reads and writes the variable (a val that changes it first is seen by the read); sub is
        # add of -(typeof(pcp))(val) (include/linux/percpu-defs.h: a bool's is 0 or -1, whatever val)
        ("add(pcp, val)", _VAL_FIRST.replace("OP", "+")),
        ("sub(pcp, val)", _VAL_FIRST.replace("OP", "+").replace("(val)", "(-(__typeof__(READ(pcp)))(val))")),
        ("and(pcp, val)", _VAL_FIRST.replace("OP", "&")),
        ("or(pcp, val)", _VAL_FIRST.replace("OP", "|")),
        # arch/x86/include/asm/percpu.h percpu_add_return_op(): val evaluated for the xadd, then again for the
        # sum it returns (the old value plus val: a val with side effects has them twice); sub_return is
        # add_return of -(typeof(pcp))(val)
        ("add_return(pcp, val)", _ADD_RETURN.replace("VAL", "(val)")),
        ("sub_return(pcp, val)", _ADD_RETURN.replace("VAL", "(-(__typeof__(READ(pcp)))(val))")),
        ("inc_return(pcp)", "({ WRITE(pcp, " + BYTE.replace("RESULT", "READ(pcp) + 1") + "); READ(pcp); })"),
        ("dec_return(pcp)", "({ WRITE(pcp, " + BYTE.replace("RESULT", "READ(pcp) - 1") + "); READ(pcp); })"),
        # this_percpu_xchg_op() evaluates nval before its cmpxchg loop reads the variable and stores it cut to the
        # variable's size; raw_percpu_xchg_op() reads first, then evaluates nval for raw_cpu_write()
        ("xchg(pcp, nval)", "({ " + OP_T + " __sh_new = (nval); __typeof__(READ(pcp)) __sh_old = READ(pcp); "
                            "WRITE(pcp, " + BYTE.replace("RESULT", "__sh_new") + "); __sh_old; })"
                            if prefix == "this_cpu_" else
                            "({ __typeof__(READ(pcp)) __sh_old = READ(pcp); WRITE(pcp, nval); __sh_old; })"),
    ))
# include/linux/percpu-defs.h: __this_cpu_<op>() is raw_cpu_<op>() after CONFIG_DEBUG_PREEMPT's check, named as
# the kernel names it (inc is an add, dec_return an add_return); models.locking.this_cpu_check().
THIS_CPU_OPS: tuple[tuple[str, str], ...] = tuple(
    (f"__this_cpu_{op}", f'({{ __sh_this_cpu_check("__this_cpu_{check}"); raw_cpu_{op}; }})')
    for op, check in (
        ("read(pcp)", "read"), ("write(pcp, val)", "write"), ("inc(pcp)", "add"), ("dec(pcp)", "add"),
        ("add(pcp, val)", "add"), ("sub(pcp, val)", "add"), ("and(pcp, val)", "and"), ("or(pcp, val)", "or"),
        ("add_return(pcp, val)", "add_return"), ("sub_return(pcp, val)", "add_return"),
        ("inc_return(pcp)", "add_return"), ("dec_return(pcp)", "add_return"), ("xchg(pcp, nval)", "xchg"),
    ))

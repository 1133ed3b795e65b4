"""atomic_t and atomic64_t as the prelude defines them: types and operations in C the mirror and gcc both run."""

from __future__ import annotations

from models.ratelimit import TYPES as RATELIMIT_TYPES
from models.statickeys import TYPES as STATIC_KEY_TYPES
from models.typesh import TYPES_H
from models.valist import TYPES as VA_TYPES


# include/linux/types.h, atomic/atomic-instrumented.h, arch/x86/include/asm/atomic.h: the atomics a run uses
# on its one CPU, where nothing runs between a read and a write, so the plain operations are exact (the x86 lock
# prefix adds nothing one task sees): the int (s64) arithmetic wraps as the instructions do (-fwrapv), the value
# is converted to the counter's type first, as the functions' parameters do; cmpxchg evaluates its arguments once
# each, left to right (the kernel's is a function call: unspecified, which matters only when they write what
# another reads).
def _atomic_ops(p: str, t: str) -> tuple[tuple[str, str], ...]:
    return (
        (f"{p}_read(v)", "READ_ONCE((v)->counter)"),
        (f"{p}_set(v, i)", f"((void)((v)->counter = ({t})(i)))"),
        (f"{p}_inc(v)", "((void)++(v)->counter)"),
        (f"{p}_dec(v)", "((void)--(v)->counter)"),
        (f"{p}_add(i, v)", f"((void)((v)->counter += ({t})(i)))"),
        (f"{p}_sub(i, v)", f"((void)((v)->counter -= ({t})(i)))"),
        (f"{p}_inc_return(v)", "(++(v)->counter)"),
        (f"{p}_dec_return(v)", "(--(v)->counter)"),
        (f"{p}_add_return(i, v)", f"((v)->counter += ({t})(i))"),
        (f"{p}_sub_return(i, v)", f"((v)->counter -= ({t})(i))"),
        (f"{p}_inc_and_test(v)", "((bool)(++(v)->counter == 0))"),
        (f"{p}_dec_and_test(v)", "((bool)(--(v)->counter == 0))"),
        (f"{p}_cmpxchg(v, old, new)", f"({{ {p}_t *__sh_av = (v); {t} __sh_ao = (old), __sh_an = (new), "
                                      "__sh_ar = __sh_av->counter; if (__sh_ar == __sh_ao) __sh_av->counter = "
                                      "__sh_an; __sh_ar; })"),
        (f"{p}_xchg(v, new)", f"({{ {p}_t *__sh_av = (v); {t} __sh_an = (new), __sh_ar = __sh_av->counter; "
                              "__sh_av->counter = __sh_an; __sh_ar; })"),
    )


ATOMICS: tuple[tuple[str, str], ...] = (("ATOMIC_INIT(i)", "{ (i) }"), ("ATOMIC64_INIT(i)", "{ (i) }"),
                                        *_atomic_ops("atomic", "int"), *_atomic_ops("atomic64", "s64"))
# Types added since: after every macro line, so that the <prelude>:N lines reports cite stay put
# (include/linux/types.h: atomic_t and atomic64_t; the tags are the prelude's, the kernel's are anonymous; then
# struct ratelimit_state, models.ratelimit; the static keys, models.statickeys; va_list, models.valist). Every
# program parses these (models.cload).
LATE_OWN = """\
struct __sh_atomic {
	int counter;
};
typedef struct __sh_atomic atomic_t;
struct __sh_atomic64 {
	s64 counter;
};
typedef struct __sh_atomic64 atomic64_t;
""" + RATELIMIT_TYPES + STATIC_KEY_TYPES + VA_TYPES
# Then the basic typedefs of include/linux/types.h (models.typesh), last: a program parses only those it names.
LATE_TYPES = LATE_OWN + TYPES_H

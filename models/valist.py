"""va_list as gcc has it on x86-64, and include/linux/stdarg.h's macros over gcc's builtins (models.varargs)."""

from __future__ import annotations

from models.ctype import UINT, VOID, Array, CType, Ptr, Struct

# gcc's x86-64 __builtin_va_list (gcc/config/i386/i386.cc ix86_build_builtin_va_list_64()): an array of one
# struct __va_list_tag, so a va_list decays to a pointer to it where passed (a parameter of type va_list is one).
VA_TAG = Struct("__va_list_tag", (("gp_offset", UINT), ("fp_offset", UINT), ("overflow_arg_area", Ptr(VOID)),
                                  ("reg_save_area", Ptr(VOID))))
VA_LIST = Array(VA_TAG, 1)
# The type names gcc knows without a declaration: the mirror's typesys resolves them (models.typesys) and the
# parser is told they are types (models.scopes.PRELUDE_TYPEDEFS).
BUILTIN_TYPES: dict[str, CType] = {"__builtin_va_list": VA_LIST}
# Where a running va_list keeps the arguments va_start() gave it: a key of its __va_list_tag object no C member
# name can be (gcc keeps them at overflow_arg_area and the register save area, which the mirror does not lay out).
VA_KEY = "#va"
# The frame slot of a variadic function's arguments past its parameters (models.statements.Compiler.invoke).
VA_SLOT = "#va_args"

# include/linux/stdarg.h: the kernel's va_list is gcc's, its macros gcc's builtins.
# include/linux/printk.h: what %pV prints (lib/vsprintf.c va_format(): vsnprintf() of the format with a copy of the
# va_list; models.printkargs).
TYPES = "typedef __builtin_va_list va_list;\nstruct va_format {\n\tconst char *fmt;\n\tva_list *va;\n};\n"
MACROS: tuple[tuple[str, str], ...] = (
    ("va_start(v, l)", "__builtin_va_start(v, l)"),
    ("va_end(v)", "__builtin_va_end(v)"),
    ("va_arg(v, T)", "__builtin_va_arg(v, T)"),
    ("va_copy(d, s)", "__builtin_va_copy(d, s)"),
    # lib/vsprintf.c: the buffer as the char pointer the function takes, as the prelude's snprintf() (models.sprintf)
    ("vsnprintf(buf, size, fmt, args)", "vsnprintf(__sh_char_buf(buf), size, fmt, args)"),
    ("vscnprintf(buf, size, fmt, args)", "vscnprintf(__sh_char_buf(buf), size, fmt, args)"),
)

# include/linux/dev_printk.h. dev_dbg() and dev_dbg_ratelimited(): without DEBUG, dev_no_printk(), if (0) a
# _dev_printk(), nothing evaluated (gcc still checks the device and the format); with CONFIG_DYNAMIC_DEBUG, off until
# enabled at run time (the ratelimit not consulted: DYNAMIC_DEBUG_BRANCH() && __ratelimit()). The mirror's
# pr_debug() says that, and refuses where DEBUG is or may be defined (models.kernel._DEBUG_OFF). dev_printk(): the
# level given, the format as written (no dev_fmt(), unlike dev_<level>()), as __dev_printk() prints it.
DEV_DBG: tuple[tuple[str, str], ...] = (
    ("dev_dbg(dev, fmt, ...)", "do { if (0) __sh_dev_printk(KERN_DEBUG, dev, fmt, ##__VA_ARGS__); "
                               "pr_debug(fmt, ##__VA_ARGS__); } while (0)"),
    ("dev_dbg_ratelimited(dev, fmt, ...)", "dev_dbg(dev, fmt, ##__VA_ARGS__)"),
    ("dev_printk(level, dev, fmt, ...)",
     "do { __sh_dev_check(dev); printk(__sh_dev_prefixed(level, fmt), ##__VA_ARGS__); } while (0)"),
)

"""The names of the compile-time builtins (models.builtins.COMPILE_TIME), importable without the C parser."""

from __future__ import annotations

# Spelled out, not taken from models.builtins: that module imports pycparser, pcpp and the loader (about 60 ms),
# and the review rules' child needs only the names (harness.sysheaders.prelude_names) when every outcome is
# cached. tests/models/test_builtinnames.py holds this set equal to COMPILE_TIME's keys.
COMPILE_TIME_NAMES = frozenset({
    "__builtin_constant_p", "__builtin_choose_expr",
    "__sh_build_bug_on_zero", "__sh_bug_on_const", "__sh_must_be_array", "__sh_is_constexpr",
    "__sh_same_type",
    "offsetof", "__builtin_offsetof", "__builtin_types_compatible_p",
    "__builtin_add_overflow", "__builtin_sub_overflow", "__builtin_mul_overflow",
    "__sh_bf_check", "__sh_minmax_check", "__sh_clamp_check", "__sh_ilog2", "__sh_container_of",
    "__sh_char_buf", "__sh_build_bug", "__sh_build_bug_on", "__sh_rl_interval",
    "__builtin_va_start", "__builtin_va_end", "__builtin_va_copy", "__builtin_va_arg",
})

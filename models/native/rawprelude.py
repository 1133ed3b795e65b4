"""The prelude a raw unit's files are built with: the harness's primitives, the mirror's types and macros, printk.h."""

from __future__ import annotations

import re
from importlib import resources
from typing import Protocol

from models.atomic import LATE_TYPES
from models.conditional import config_set
from models.cpphooks import KERNEL_ENUMERATORS
from models.native.codegen import SEAM_PROTOTYPES, primitive_definitions
from models.prelude import TYPES, macro_lines

# include/linux/printk.h, without DEBUG: what the prelude's self-named printing macros stand for (models.kernel
# runs them as primitives; gcc gets the header's definitions, and its pr_fmt where each call is expanded).
_PRINTK_H = """\
#ifndef pr_fmt
#define pr_fmt(fmt) fmt
#endif
#define no_printk(fmt, ...) ({ if (0) printk(fmt, ##__VA_ARGS__); 0; })
#define printk_deferred(fmt, ...) printk(fmt, ##__VA_ARGS__)
#define pr_cont(fmt, ...) printk(KERN_CONT fmt, ##__VA_ARGS__)
#ifdef DEBUG
#define pr_devel(fmt, ...) printk(KERN_DEBUG pr_fmt(fmt), ##__VA_ARGS__)
#define pr_debug(fmt, ...) printk(KERN_DEBUG pr_fmt(fmt), ##__VA_ARGS__)
#define pr_debug_once(fmt, ...) printk_once(KERN_DEBUG pr_fmt(fmt), ##__VA_ARGS__)
#define pr_debug_ratelimited(fmt, ...) printk_ratelimited(KERN_DEBUG pr_fmt(fmt), ##__VA_ARGS__)
#else
#define pr_devel(fmt, ...) no_printk(KERN_DEBUG pr_fmt(fmt), ##__VA_ARGS__)
#define pr_debug(fmt, ...) no_printk(KERN_DEBUG pr_fmt(fmt), ##__VA_ARGS__)
#define pr_debug_once(fmt, ...) no_printk(KERN_DEBUG pr_fmt(fmt), ##__VA_ARGS__)
#define pr_debug_ratelimited(fmt, ...) no_printk(KERN_DEBUG pr_fmt(fmt), ##__VA_ARGS__)
#endif
""" + "".join(
    f"#define pr_{name}{form}(fmt, ...) printk{form}(KERN_{level} pr_fmt(fmt), ##__VA_ARGS__)\n"
    for name, level in (("emerg", "EMERG"), ("alert", "ALERT"), ("crit", "CRIT"), ("err", "ERR"),
                        ("warn", "WARNING"), ("notice", "NOTICE"), ("info", "INFO"))
    for form in ("", "_once", "_ratelimited"))

# include/linux/export.h and include/linux/module.h: what a kernel file declares at file scope (an export, its
# module's licence, an initcall) makes no code a run reaches, and userspace has none of it: each stands for a
# declaration gcc takes anywhere (C11 6.7.10), so that a file exporting a symbol still builds from its own text.
_DECLARATIONS = ("EXPORT_SYMBOL", "EXPORT_SYMBOL_GPL", "EXPORT_SYMBOL_NS", "EXPORT_SYMBOL_NS_GPL",
                 "EXPORT_SYMBOL_FOR_MODULES", "EXPORT_SYMBOL_GPL_FOR_MODULES", "EXPORT_SYMBOL_FOR_KVM",
                 "EXPORT_SYMBOL_FOR_KVM_INTERNAL", "EXPORT_PER_CPU_SYMBOL", "EXPORT_PER_CPU_SYMBOL_GPL",
                 "EXPORT_STATIC_CALL", "EXPORT_STATIC_CALL_GPL", "EXPORT_STATIC_CALL_TRAMP",
                 "EXPORT_STATIC_CALL_TRAMP_GPL", "EXPORT_TRACEPOINT_SYMBOL", "EXPORT_TRACEPOINT_SYMBOL_GPL",
                 "EXPORT_SYMBOL_IF_KUNIT", "MODULE_LICENSE", "MODULE_AUTHOR", "MODULE_DESCRIPTION", "MODULE_ALIAS",
                 "MODULE_VERSION", "MODULE_FIRMWARE", "MODULE_SOFTDEP", "MODULE_IMPORT_NS", "MODULE_DEVICE_TABLE",
                 "MODULE_PARM_DESC", "module_param", "module_init", "module_exit", "early_initcall", "core_initcall",
                 "postcore_initcall", "arch_initcall", "subsys_initcall", "fs_initcall", "device_initcall",
                 "late_initcall")
_MODULE_H = "".join(f'#ifndef {name}\n#define {name}(...) _Static_assert(1, "{name}")\n#endif\n'
                    for name in _DECLARATIONS)


class PreludeUnit(Protocol):
    """What the prelude reads of a unit (models.native.rawtu.RawUnit; a protocol, so rawtu's import of this module
    is the only edge between them)."""

    @property
    def files(self) -> tuple[tuple[str, str], ...]: ...

    @property
    def undeclared_percpu(self) -> tuple[str, ...]: ...

    @property
    def undeclared_locks(self) -> tuple[str, ...]: ...


def raw_prelude(unit: PreludeUnit) -> str:
    """The prelude as gcc reads it: the harness's primitives, the mirror's types and macros (models/prelude.py),
    include/linux/printk.h's printing macros, export.h's and module.h's declarations, the configuration (every
    option the files test, as the mirror sets them), and a u64 for each per-CPU variable the mirror found
    undeclared."""
    text = "\n".join(t for _, t in unit.files)
    configs = sorted(set(re.findall(r"\bCONFIG_\w+", text)))
    native = resources.files("models.native").joinpath("sh_native.h").read_text()
    # The prelude's self-named printing macros stand for the mirror's primitives: gcc gets printk.h's definitions,
    # or the harness's own (printk_once(), printk_ratelimited(): a self-named one hid them, an undeclared call).
    printing = {n.split("(")[0] for n in re.findall(r"#define (\w+)\(", _PRINTK_H + native)} | {"pr_fmt", "printk"}
    # true and false are include/linux/stddef.h's enumerators, no macros: an #if reads them as 0 (models.cpphooks)
    macros = "".join(f"#define {name}{params} {body}\n" for name, params, body in macro_lines()
                     if name not in printing and name not in KERNEL_ENUMERATORS)
    types = _prelude_types(text) + "enum { false = 0, true = 1 };\n"
    percpu = "".join(f"static unsigned long long {n} __attribute__((unused));\n" for n in unit.undeclared_percpu)
    percpu += "".join(f"static int {n} __attribute__((unused));\n" for n in unit.undeclared_locks)
    enabled = "".join(f"#define __sh_enabled_{c} {int(config_set(c))}\n" for c in configs)
    defined = "".join(f'#define {c} __sh_config_value("{c}")\n' for c in configs if config_set(c))
    config = ("#define IS_ENABLED(option) __sh_enabled_##option\n#define IS_BUILTIN(option) __sh_enabled_##option\n"
              "#define IS_REACHABLE(option) __sh_enabled_##option\n#define IS_MODULE(option) 0\n" + enabled + defined)
    return ("#ifndef SH_RAW_PRELUDE\n#define SH_RAW_PRELUDE\n" + native + primitive_definitions() + types
            + "struct tdx_module_args;\n" + SEAM_PROTOTYPES + macros + _PRINTK_H + _MODULE_H
            + "#undef SH_PCPU_T\n#define SH_PCPU_T(var) __typeof__(var)\n" + percpu + config + "#endif\n")


def _prelude_types(text: str) -> str:
    """The prelude's types but the structs the files define themselves (a tree's asm/shared/tdx.h has its struct
    tdx_module_args: C allows one definition of a tag per unit, and the file's is the one gcc must read) and
    the guard's, which the harness defines with its fields (sh_native.h); a typedef may be repeated (C11)."""
    out = []
    for m in re.finditer(r"typedef [^;]*;\n|struct (\w+) \{.*?\};\n", TYPES + LATE_TYPES, re.DOTALL):
        tag = m.group(1)
        if tag is None or (tag != "__sh_guard" and not re.search(rf"\bstruct\s+{tag}\s*\{{", text)):
            out.append(m.group(0))
    return "".join(out)

"""The kernel's own macros as the export scan knows them: the ones that export, and the ones that never do.

``prelude()``: the export macros (include/linux/export.h and the kernel's wrappers of it), expanded as gcc
would; ``QUIET``: macros that kernel headers define and that make no export whatever their arguments, so that
a file known only from hunks may invoke them at file scope without leaving the export rules blind (harness.
exports: any other macro no line read defines may be the file's own, defined in the lines no hunk shows).
"""

from __future__ import annotations

import itertools
import re
from functools import lru_cache

from harness.cppscan import Expander, MacroTable, Tok, logical_lines, parse_define, split_arguments, tokens

MARK = "__EXPORT_SYMBOL"  # the kernel's bottom macro: every export reaches it (sym, license, namespace)

# The kernel's export macros, in our words, as recent kernels define them: include/linux/export.h (v6.13 on:
# namespaces are strings; EXPORT_SYMBOL_GPL_FOR_MODULES of v6.16, renamed EXPORT_SYMBOL_FOR_MODULES in v6.17),
# include/linux/kvm_types.h (v6.18: KVM and, for x86, its vendor modules in the widest configuration, where
# both are modules), include/linux/percpu-defs.h, include/linux/static_call.h, include/linux/tracepoint.h and
# include/kunit/visibility.h. A file's own #define of one of these names is used instead (as gcc would).
_PRELUDE = r"""
#define __stringify_1(x...) #x
#define __stringify(x...) __stringify_1(x)
#define _EXPORT_SYMBOL(sym, license) __EXPORT_SYMBOL(sym, license, DEFAULT_SYMBOL_NAMESPACE)
#define EXPORT_SYMBOL(sym) _EXPORT_SYMBOL(sym, "")
#define EXPORT_SYMBOL_GPL(sym) _EXPORT_SYMBOL(sym, "GPL")
#define EXPORT_SYMBOL_NS(sym, ns) __EXPORT_SYMBOL(sym, "", ns)
#define EXPORT_SYMBOL_NS_GPL(sym, ns) __EXPORT_SYMBOL(sym, "GPL", ns)
#define EXPORT_SYMBOL_FOR_MODULES(sym, mods) __EXPORT_SYMBOL(sym, "GPL", "module:" mods)
#define EXPORT_SYMBOL_GPL_FOR_MODULES(sym, mods) __EXPORT_SYMBOL(sym, "GPL", "module:" mods)
#define KVM_SUB_MODULES kvm-amd,kvm-intel
#define EXPORT_SYMBOL_FOR_KVM_INTERNAL(sym) EXPORT_SYMBOL_FOR_MODULES(sym, __stringify(KVM_SUB_MODULES))
#define EXPORT_SYMBOL_FOR_KVM(sym) EXPORT_SYMBOL_FOR_MODULES(sym, "kvm," __stringify(KVM_SUB_MODULES))
#define EXPORT_PER_CPU_SYMBOL(var) EXPORT_SYMBOL(var)
#define EXPORT_PER_CPU_SYMBOL_GPL(var) EXPORT_SYMBOL_GPL(var)
#define STATIC_CALL_KEY(name) __SCK__##name
#define STATIC_CALL_TRAMP(name) __SCT__##name
#define EXPORT_STATIC_CALL(name) EXPORT_SYMBOL(STATIC_CALL_KEY(name)); EXPORT_SYMBOL(STATIC_CALL_TRAMP(name))
#define EXPORT_STATIC_CALL_GPL(name) EXPORT_SYMBOL_GPL(STATIC_CALL_KEY(name)); \
    EXPORT_SYMBOL_GPL(STATIC_CALL_TRAMP(name))
#define EXPORT_STATIC_CALL_TRAMP(name) EXPORT_SYMBOL(STATIC_CALL_TRAMP(name))
#define EXPORT_STATIC_CALL_TRAMP_GPL(name) EXPORT_SYMBOL_GPL(STATIC_CALL_TRAMP(name))
#define EXPORT_TRACEPOINT_SYMBOL(name) EXPORT_SYMBOL(__tracepoint_##name); EXPORT_SYMBOL(__traceiter_##name); \
    EXPORT_STATIC_CALL(tp_func_##name)
#define EXPORT_TRACEPOINT_SYMBOL_GPL(name) EXPORT_SYMBOL_GPL(__tracepoint_##name); \
    EXPORT_SYMBOL_GPL(__traceiter_##name); EXPORT_STATIC_CALL_GPL(tp_func_##name)
#define EXPORT_SYMBOL_IF_KUNIT(sym) EXPORT_SYMBOL_NS(sym, "EXPORTED_FOR_KUNIT_TESTING")
"""


@lru_cache(maxsize=1)
def prelude() -> MacroTable:
    """The kernel's export macros above as a table (each a ``kernel`` Macro); callers copy it before changing it."""
    table = MacroTable()
    for line in logical_lines(tokens(_PRELUDE)):
        m = parse_define(line[2:], kernel=True, where="include/linux/export.h")
        assert m is not None
        table.define(m, conditional=False)
    return table


@lru_cache(maxsize=64)
def kernel_flavour(name: str) -> tuple[str, str | None]:
    """(licence, namespace) that the kernel's export macro ``name`` gives (include/linux/export.h and the
    wrappers above): the namespace None when the invocation chooses it (an argument, or the file's
    ``DEFAULT_SYMBOL_NAMESPACE``), ``module:...`` when it exports to named modules."""
    table = prelude()
    m = table.defs[name][0]
    args = ", ".join(f"__arg{n}" for n in range(len(m.params or ())))
    out = Expander(table, lambda alts: alts[0]).expand(tokens(f"{name}({args})"))
    at = next(i for i, t in enumerate(out) if t.text == MARK)
    _, lic, ns = arguments_at(out, at + 1)
    free = any(t.kind == "id" for t in ns)
    strings = string_of(ns)
    return string_of(lic), (("module:" if strings.startswith("module:") else None) if free else strings)




def export_macros() -> tuple[str, ...]:
    """The kernel export macros a rule may name (``exports_only``)."""
    return tuple(n for n, alts in prelude().defs.items() if "EXPORT" in n and not n.startswith("_")
                 and alts[0].params is not None)


# Kernel macros invoked at file scope that never export, read from the headers that define them (recent
# kernels): what each expands to is a declaration, a definition, a section entry or an attribute, never an
# __EXPORT_SYMBOL. Kept to macros whose every definition in the kernel is such; a kernel macro missing here
# leaves a rule inconclusive when a file known only from hunks invokes it anew (the safe direction: it
# cannot be told from a macro of the file's own, defined in lines no hunk shows). Add a name only after
# reading its header.
QUIET: dict[str, tuple[str, ...]] = {
    "include/linux/module.h": (
        "module_init", "module_exit", "MODULE_LICENSE", "MODULE_AUTHOR", "MODULE_DESCRIPTION", "MODULE_ALIAS",
        "MODULE_SOFTDEP", "MODULE_WEAKDEP", "MODULE_FIRMWARE", "MODULE_INFO", "MODULE_VERSION",
        "MODULE_DEVICE_TABLE", "MODULE_IMPORT_NS"),
    "include/linux/moduleparam.h": (
        "module_param", "module_param_named", "module_param_unsafe", "module_param_named_unsafe",
        "module_param_cb", "module_param_array", "module_param_array_named", "module_param_string",
        "MODULE_PARM_DESC", "core_param", "core_param_unsafe"),
    "include/linux/init.h": (
        "__setup", "early_param", "pure_initcall", "early_initcall", "core_initcall", "core_initcall_sync",
        "postcore_initcall", "postcore_initcall_sync", "arch_initcall", "arch_initcall_sync", "subsys_initcall",
        "subsys_initcall_sync", "fs_initcall", "fs_initcall_sync", "rootfs_initcall", "device_initcall",
        "device_initcall_sync", "late_initcall", "late_initcall_sync", "console_initcall", "__initcall",
        "__exitcall"),
    "include/linux/percpu-defs.h": (
        "DEFINE_PER_CPU", "DECLARE_PER_CPU", "DEFINE_PER_CPU_SECTION", "DECLARE_PER_CPU_SECTION",
        "DEFINE_PER_CPU_READ_MOSTLY", "DECLARE_PER_CPU_READ_MOSTLY", "DEFINE_PER_CPU_SHARED_ALIGNED",
        "DECLARE_PER_CPU_SHARED_ALIGNED", "DEFINE_PER_CPU_ALIGNED", "DECLARE_PER_CPU_ALIGNED",
        "DEFINE_PER_CPU_PAGE_ALIGNED", "DECLARE_PER_CPU_PAGE_ALIGNED", "DEFINE_PER_CPU_DECRYPTED",
        "DECLARE_PER_CPU_DECRYPTED"),
    "include/linux/mutex.h, spinlock_types.h, rwlock_types.h, rwsem.h, semaphore.h, seqlock.h": (
        "DEFINE_MUTEX", "DEFINE_SPINLOCK", "DEFINE_RAW_SPINLOCK", "DEFINE_RWLOCK", "DECLARE_RWSEM",
        "DEFINE_SEMAPHORE", "DEFINE_SEQLOCK"),
    "include/linux/list.h, llist.h, hashtable.h, types.h, idr.h, xarray.h": (
        "LIST_HEAD", "LLIST_HEAD", "DEFINE_HASHTABLE", "DECLARE_HASHTABLE", "DECLARE_BITMAP", "DEFINE_IDR",
        "DEFINE_IDA", "DEFINE_XARRAY", "DEFINE_XARRAY_FLAGS", "DEFINE_XARRAY_ALLOC", "DEFINE_XARRAY_ALLOC1"),
    "include/linux/wait.h, workqueue.h, completion.h, ratelimit_types.h": (
        "DECLARE_WAIT_QUEUE_HEAD", "DECLARE_WORK", "DECLARE_DELAYED_WORK", "DECLARE_COMPLETION",
        "DEFINE_RATELIMIT_STATE"),
    "include/linux/jump_label.h, static_call.h": (
        "DEFINE_STATIC_KEY_FALSE", "DEFINE_STATIC_KEY_TRUE", "DEFINE_STATIC_KEY_FALSE_RO",
        "DEFINE_STATIC_KEY_TRUE_RO", "DECLARE_STATIC_KEY_FALSE", "DECLARE_STATIC_KEY_TRUE", "DEFINE_STATIC_CALL",
        "DEFINE_STATIC_CALL_NULL", "DEFINE_STATIC_CALL_RET0", "DECLARE_STATIC_CALL"),
    "include/linux/cleanup.h": (
        "DEFINE_FREE", "DEFINE_CLASS", "EXTEND_CLASS", "DEFINE_GUARD", "DEFINE_GUARD_COND", "DEFINE_LOCK_GUARD_0",
        "DEFINE_LOCK_GUARD_1", "DEFINE_LOCK_GUARD_1_COND"),
    "include/linux/build_bug.h, compiler_attributes.h, compiler_types.h": (
        "static_assert", "__printf", "__scanf", "__section", "__aligned", "__alias", "__cleanup", "__diag_push",
        "__diag_pop", "__diag_ignore", "__diag_ignore_all"),
    "include/linux/device.h, sysfs.h, seq_file.h, fs.h, debugfs.h": (
        "ATTRIBUTE_GROUPS", "DEVICE_ATTR", "DEVICE_ATTR_RO", "DEVICE_ATTR_RW", "DEVICE_ATTR_WO",
        "DEVICE_ATTR_ADMIN_RO", "DEVICE_ATTR_ADMIN_RW", "DRIVER_ATTR_RO", "DRIVER_ATTR_RW",
        "DEFINE_SHOW_ATTRIBUTE", "DEFINE_SEQ_ATTRIBUTE", "DEFINE_SIMPLE_ATTRIBUTE", "DEFINE_DEBUGFS_ATTRIBUTE"),
    "include/linux/syscalls.h, platform_device.h, pci.h, device/driver.h": (
        "SYSCALL_DEFINE0", "SYSCALL_DEFINE1", "SYSCALL_DEFINE2", "SYSCALL_DEFINE3", "SYSCALL_DEFINE4",
        "SYSCALL_DEFINE5", "SYSCALL_DEFINE6", "module_platform_driver", "builtin_platform_driver",
        "module_pci_driver", "module_driver"),
    "include/linux/linkage.h, cfi_types.h (assembler)": (
        "SYM_FUNC_START", "SYM_FUNC_START_LOCAL", "SYM_FUNC_START_NOALIGN", "SYM_FUNC_START_WEAK",
        "SYM_FUNC_START_WEAK_NOALIGN", "SYM_FUNC_END", "SYM_FUNC_ALIAS", "SYM_FUNC_ALIAS_LOCAL",
        "SYM_FUNC_ALIAS_WEAK", "SYM_TYPED_FUNC_START", "SYM_CODE_START", "SYM_CODE_START_LOCAL",
        "SYM_CODE_START_NOALIGN", "SYM_CODE_START_LOCAL_NOALIGN", "SYM_CODE_END", "SYM_INNER_LABEL",
        "SYM_INNER_LABEL_ALIGN", "SYM_DATA_START", "SYM_DATA_START_LOCAL", "SYM_DATA_END", "SYM_DATA_END_LABEL",
        "SYM_DATA", "SYM_DATA_LOCAL"),
}
QUIET_NAMES = frozenset(n for names in QUIET.values() for n in names)


def arguments_at(out: list[Tok], i: int) -> list[list[Tok]]:
    """The arguments of the parenthesis at ``out[i]`` (none when it is not closed)."""
    found = split_arguments(itertools.islice(out, i, None))
    return found[0] if found is not None else []


def string_of(toks: list[Tok]) -> str:
    """The string literals among ``toks``, concatenated and unescaped (``"kvm," "kvm-intel"``)."""
    return "".join(_literal(t.text) for t in toks if t.kind == "str")


def _literal(text: str) -> str:
    body = text[text.index('"') + 1:]
    body = body[:-1] if body.endswith('"') else body
    return re.sub(r"\\(.)", r"\1", body)

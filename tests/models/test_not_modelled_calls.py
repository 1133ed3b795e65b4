"""Kernel functions the mirror leaves out on purpose say why where they are called.

Kernel functions the mirror leaves out on purpose say why where they are called: read_poll_timeout() and its kin
poll by the clock, kzalloc()/kfree() and their kin are the heap (was 'call to unknown function ...: not defined in
this variant's files', and for __free(kfree) 'no DEFINE_FREE(kfree, ...) in these files', which slab.h has);
whether the CPU has a feature is the machine's; entering interrupt context, where a run, a task, never is."""

from __future__ import annotations

import pytest

from tests.models.cprog import run

HEAD = "long long f(u64 fn, struct tdx_module_args *args)\n{\n"


@pytest.mark.parametrize(("body", "says"), [
    ("\tu64 v;\n\n\treturn read_poll_timeout(__seamcall, v, v == 0, 10, 100, false, fn, args);\n",
     "prog.c:5: read_poll_timeout() polls until its condition holds or its time runs out"),
    # (kmalloc() and its kin, krealloc(), kmemdup(), kfree(), kvfree(), __free(kfree) and __free(kvfree) run:
    # tests/models/test_heap_gcc.py; kstrdup() and its kin, krealloc_array(): tests/models/test_string_copies_gcc.py)
    # kvrealloc() took its old size too before 6.12 (kvrealloc(p, oldsize, newsize, flags)): that form is refused
    # (6.12's runs: tests/models/test_kvrealloc_gcc.py)
    ("\tu32 *p = kvrealloc(NULL, 0, 8, GFP_KERNEL);\n\n\treturn p != NULL;\n",
     "prog.c:3: kvrealloc() with 4 arguments: the headers the mirror reads (6.12 and later) declare kvrealloc(p, "
     "size, flags); kvrealloc(p, oldsize, newsize, flags) is older kernels'"),
    # the kernel's stop: it was 'call to unknown function panic(): not defined in this variant's files'
    ("\tif (fn == 0)\n\t\tpanic(\"no module %llu\", fn);\n\treturn 0;\n", "prog.c:4: panic() stops the kernel"),
    # whether the CPU has a feature is the machine's (arch/x86/include/asm/cpufeature.h): each was 'call to unknown
    # function ...', as though a kernel API were missing; the script gives the bits (cpu_has, cpu_lacks), and a bit
    # it does not give is refused so (tests/models/test_cpu_features_gcc.py)
    *((f"\tif (!{name}(X86_FEATURE_TDX_HOST_PLATFORM))\n\t\treturn -ENODEV;\n\treturn 0;\n",
       f"prog.c:3: {name}(X86_FEATURE_TDX_HOST_PLATFORM) tells whether the CPU has X86_FEATURE_TDX_HOST_PLATFORM, "
       "which the run's script does not say") for name in (
        "cpu_feature_enabled", "boot_cpu_has", "static_cpu_has", "this_cpu_has")),
    ("\tif (!cpu_has(&boot_cpu_data, X86_FEATURE_TDX_HOST_PLATFORM))\n\t\treturn -ENODEV;\n\treturn 0;\n",
     "prog.c:3: cpu_has() tells whether the CPU has a feature"),
    ("\treturn boot_cpu_has_bug(X86_BUG_TDX_PW_MCE);\n",
     "prog.c:3: boot_cpu_has_bug(X86_BUG_TDX_PW_MCE) tells whether"),
    # interrupt context: a run stays in its script's (include/linux/hardirq.h, bottom_half.h, preempt.h)
    *((f"\t{name}();\n\treturn in_hardirq();\n", f"prog.c:3: {name}() enters or leaves interrupt context")
      for name in ("irq_enter", "irq_exit", "__irq_enter_raw", "irq_enter_rcu", "nmi_enter")),
    *((f"\t{name}();\n\treturn 0;\n", f"prog.c:3: {name}() disables or enables softirqs")
      for name in ("local_bh_disable", "local_bh_enable")),
    ("\tstatic DEFINE_SPINLOCK(l);\n\n\tspin_lock_bh(&l);\n\treturn 0;\n",
     "prog.c:5: spin_lock_bh() disables or enables softirqs"),
    ("\tpreempt_count_add(HARDIRQ_OFFSET);\n\treturn in_hardirq();\n",
     "prog.c:3: preempt_count_add() changes the preempt count by a value of its caller's"),
])
def test_a_kernel_function_left_out_on_purpose_says_why(body: str, says: str) -> None:
    out = run(HEAD + body + "}\n")
    assert (out.status, str(out.error_kind), says in (out.error or "")) == ("error", "unsupported", True), out.error


def test_a_variants_own_definition_of_a_modelled_name_is_refused() -> None:
    # kzalloc() is a primitive now: the kernel's slab.h defines it, so gcc refuses the code's static one (it ran
    # before; tests/models/test_primitive_named_functions_gcc.py)
    out = run("static void *kzalloc(unsigned long n, int flags) { return NULL; }\n" + HEAD
              + "\treturn kzalloc(8, 0) == NULL;\n}\n")
    assert (out.status, "kzalloc is a kernel function the mirror models" in (out.error or "")) == ("error", True)

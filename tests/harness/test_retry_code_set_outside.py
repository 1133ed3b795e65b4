"""A no_retry rule on a retry loop reading a variable set outside the runs is not a pass; gcc the oracle.

The runs take its initial value (harness.outsidewrites: code no run executes may set it), and a setter run at init
makes the loop retry what they never saw."""

from __future__ import annotations

import shutil
import subprocess
from email.message import EmailMessage
from pathlib import Path

import pytest

from harness.gate import GateRequest, evaluate_gate
from harness.verdict import VerdictStatus
from tests.harness.seriesgen import (
    BUILD_WRAPPER,
    NEW_HOME,
    PREAMBLE,
    PREPARE,
    PRINTERS,
    RETRY_SAFE,
    TAIL,
    WRAPPER,
    WRAPPER_C,
    Step,
    helpers,
    preparing_series,
    revision,
)
from tests.mailgen import write_mbox

RULE = "seamldr-no-entropy-not-retried"
# sc_retry() retrying the code in a file-scope variable: the TDX module's "no entropy" until an init hook nothing in
# the series calls yet makes it the P-SEAMLDR's.
LOOP = """\
#define SEAMLDR_RND_NO_ENTROPY\t0x8000000000030001ULL

static {const}u64 sc_busy_code = TDX_RND_NO_ENTROPY;
{setter}
static __always_inline u64 sc_retry(sc_func_t op, u64 fn, struct tdx_module_args *args)
{{
	int left = RDRAND_RETRY_LOOPS;
	u64 busy = sc_busy_code;
	u64 err;

	do {{
		preempt_disable();
		err = op(fn, args);
		preempt_enable();
	}} while (err == busy && --left);
	return err;
}}
"""
SETTER = """
static inline void sc_retry_seamldr_busy(void)
{
	sc_busy_code = SEAMLDR_RND_NO_ENTROPY;
}
"""

_ORACLE = """\
#include <stdio.h>
typedef unsigned long long u64;
struct tdx_module_args { u64 rcx; };
typedef u64 (*sc_func_t)(u64 fn, struct tdx_module_args *args);
#define __always_inline inline
#define RDRAND_RETRY_LOOPS 10
#define TDX_RND_NO_ENTROPY 0x8000020300000000ULL
#define SEAMLDR_LEAF_BIT (1ULL << 63)
#define preempt_disable() do { } while (0)
#define preempt_enable() do { } while (0)
static int calls;
static u64 op(u64 fn, struct tdx_module_args *args) { return calls++ ? 0 : 0x8000000000030001ULL; }
int main(void)
{
	struct tdx_module_args args = { 0 };

	sc_retry(op, SEAMLDR_LEAF_BIT | 1, &args);
	printf("%d\\n", calls);
	calls = 0;
	sc_retry_seamldr_busy();
	sc_retry(op, SEAMLDR_LEAF_BIT | 1, &args);
	printf("%d\\n", calls);
	return 0;
}
"""


def _gcc(tmp_path: Path, defines: str, code: str) -> list[str]:
    """What _ORACLE prints with ``code`` (defining sc_retry() and sc_retry_seamldr_busy()) built by gcc."""
    if shutil.which("gcc") is None:
        pytest.skip("gcc (the C oracle) is not installed")
    src, exe = tmp_path / "oracle.c", tmp_path / "oracle"
    src.write_text(defines + _ORACLE.replace("int main", code + "\nint main"))
    subprocess.run(["gcc", "-O1", "-Wall", "-Wno-unused-parameter", "-o", str(exe), str(src)], check=True)
    return subprocess.run([str(exe)], check=True, capture_output=True, text=True).stdout.split()


def _gcc_calls(tmp_path: Path) -> list[int]:
    """gcc's SEAMCALLs for SEAMLDR_INSTALL answered "no entropy" then success: before the init hook, then after."""
    return [int(n) for n in _gcc(tmp_path, "", LOOP.format(const="", setter=SETTER))]


def _judge(tmp_path: Path, loop: str) -> tuple[VerdictStatus, str]:
    mbox = write_mbox(tmp_path / "v2.mbox", preparing_series(PREAMBLE + loop + "\n" + PRINTERS + TAIL))
    gate = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, cache=None))
    (v,) = [v for v in gate.verdicts if v.rule.id == RULE]
    return v.status, v.note


def test_a_retry_code_a_setter_no_run_executes_may_change_is_not_a_pass(tmp_path: Path) -> None:
    # gcc: 1 SEAMCALL, then 2 once the hook ran: the P-SEAMLDR's "no entropy" retried. Every run took the initial
    # value, and the loop's test came out both ways (the TDX module's runs): it was PASS.
    assert _gcc_calls(tmp_path) == [1, 2]
    status, note = _judge(tmp_path, LOOP.format(const="", setter=SETTER))
    assert status is VerdictStatus.INCONCLUSIVE, note
    assert "reads sc_busy_code, a variable code no run executes may set: sc_retry_seamldr_busy() (" in note, note


def test_a_retry_code_nothing_can_change_keeps_its_pass(tmp_path: Path) -> None:
    status, note = _judge(tmp_path, LOOP.format(const="const ", setter=""))
    assert status is VerdictStatus.PASS, note


# The same through a static call (include/linux/static_call.h): the key DEFINE_STATIC_CALL() makes is set by a
# static_call_update() that no run executes.
CALLED = """\
#define SEAMLDR_RND_NO_ENTROPY\t0x8000000000030001ULL

static u64 sc_busy_tdx(u64 fn) { return TDX_RND_NO_ENTROPY; }
static u64 sc_busy_any(u64 fn) { return fn & SEAMLDR_LEAF_BIT ? SEAMLDR_RND_NO_ENTROPY : TDX_RND_NO_ENTROPY; }
DEFINE_STATIC_CALL(sc_busy_pick, sc_busy_tdx);

static inline void sc_retry_seamldr_busy(void)
{
	static_call_update(sc_busy_pick, sc_busy_any);
}

static __always_inline u64 sc_retry(sc_func_t op, u64 fn, struct tdx_module_args *args)
{
	int left = RDRAND_RETRY_LOOPS;
	u64 busy = static_call(sc_busy_pick)(fn);
	u64 err;

	do {
		preempt_disable();
		err = op(fn, args);
		preempt_enable();
	} while (err == busy && --left);
	return err;
}
"""
# static_call as include/linux/static_call.h's generic version has it: a call through the key's current target.
_STATIC_CALL = """\
#define DEFINE_STATIC_CALL(name, func) static typeof(func) *name##_key = func
#define static_call(name) (*name##_key)
#define static_call_update(name, func) (name##_key = (func))
"""


def test_a_static_call_a_setter_no_run_executes_may_update_is_not_a_pass(tmp_path: Path) -> None:
    # gcc: 1 SEAMCALL, then 2 once the update ran: the P-SEAMLDR's "no entropy" retried; it was PASS (the key's
    # name is pasted: the update's text names the call, not its key).
    assert _gcc(tmp_path, _STATIC_CALL, CALLED) == ["1", "2"]
    status, note = _judge(tmp_path, CALLED)
    assert status is VerdictStatus.INCONCLUSIVE, note
    assert "reads static call sc_busy_pick, a variable code no run executes may set: sc_retry_seamldr_busy() (" \
        in note and "static_call_update(sc_busy_pick, ...)" in note, note


# The setter through a kernel macro that stores to its argument (include/asm-generic/rwonce.h): no '=' or '&' beside
# the variable's name in the setter's own text.
_WRITE_ONCE = "#define WRITE_ONCE(x, val) (*(volatile typeof(x) *)&(x) = (val))\n"
ONCE_SETTER = SETTER.replace("\tsc_busy_code = SEAMLDR_RND_NO_ENTROPY;",
                             "\tWRITE_ONCE(sc_busy_code, SEAMLDR_RND_NO_ENTROPY);")


def test_a_retry_code_a_setter_stores_through_write_once_is_not_a_pass(tmp_path: Path) -> None:
    # gcc: 1 SEAMCALL, then 2 once the hook ran. It was PASS: the store is in WRITE_ONCE()'s body, a macro of the
    # kernel's (the mirror's prelude), not of the files.
    loop = LOOP.format(const="", setter=ONCE_SETTER)
    assert _gcc(tmp_path, _WRITE_ONCE, loop) == ["1", "2"]
    status, note = _judge(tmp_path, loop)
    assert status is VerdictStatus.INCONCLUSIVE, note
    assert "reads sc_busy_code, a variable code no run executes may set: sc_retry_seamldr_busy() (" in note, note


# The retry code read through a pointer to a const ops table, the pointer's name its struct's tag: an unrun setter
# points it at the P-SEAMLDR's table.
OPS = """\
#define SEAMLDR_RND_NO_ENTROPY\t0x8000000000030001ULL

struct sc_ops {
	u64 busy;
};
static const struct sc_ops sc_tdx_ops = { .busy = TDX_RND_NO_ENTROPY };
static const struct sc_ops sc_ldr_ops = { .busy = SEAMLDR_RND_NO_ENTROPY };
static const struct sc_ops *sc_ops = &sc_tdx_ops;

static inline void sc_retry_seamldr_busy(void)
{
	sc_ops = &sc_ldr_ops;
}

static __always_inline u64 sc_retry(sc_func_t op, u64 fn, struct tdx_module_args *args)
{
	int left = RDRAND_RETRY_LOOPS;
	u64 err;

	do {
		preempt_disable();
		err = op(fn, args);
		preempt_enable();
	} while (err == sc_ops->busy && --left);
	return err;
}
"""


def test_a_pointer_named_as_its_struct_tag_set_by_an_unrun_setter_is_not_a_pass(tmp_path: Path) -> None:
    # gcc: 1 SEAMCALL, then 2 once the hook ran. It was PASS: 'const struct sc_ops *sc_ops' was read as a const
    # object, the tag taken for the variable's name.
    assert _gcc(tmp_path, "", OPS) == ["1", "2"]
    status, note = _judge(tmp_path, OPS)
    assert status is VerdictStatus.INCONCLUSIVE, note
    assert "reads sc_ops, a variable code no run executes may set: sc_retry_seamldr_busy() (" in note, note


# The retry code in a per-CPU variable (include/linux/percpu-defs.h) an unrun hook sets through a per-CPU operation:
# this_cpu_write() is a primitive of the mirror's, this_cpu_add() and __this_cpu_xchg() prelude macros built on it.
PERCPU = LOOP.replace("static {const}u64 sc_busy_code = TDX_RND_NO_ENTROPY;",
                      "static DEFINE_PER_CPU(u64, sc_busy_code) = TDX_RND_NO_ENTROPY;"
                      ).replace("u64 busy = sc_busy_code;", "u64 busy = this_cpu_read(sc_busy_code);")
# percpu-defs.h's generic operations, on one CPU: a plain variable of the per-CPU name.
_PERCPU = """\
#define DEFINE_PER_CPU(type, name) type name
#define this_cpu_read(pcp) (pcp)
#define this_cpu_write(pcp, val) ((pcp) = (val))
#define this_cpu_add(pcp, val) ((pcp) += (val))
#define __this_cpu_xchg(pcp, nval) ({ __typeof__(pcp) __old = (pcp); (pcp) = (nval); __old; })
"""


@pytest.mark.parametrize("store", ["this_cpu_write(sc_busy_code, SEAMLDR_RND_NO_ENTROPY)",
                                   "this_cpu_add(sc_busy_code, SEAMLDR_RND_NO_ENTROPY - TDX_RND_NO_ENTROPY)",
                                   "__this_cpu_xchg(sc_busy_code, SEAMLDR_RND_NO_ENTROPY)"])
def test_a_per_cpu_retry_code_an_unrun_hook_sets_is_not_a_pass(tmp_path: Path, store: str) -> None:
    # gcc: 1 SEAMCALL, then 2 once the hook ran. It was PASS: the per-CPU operations were not read as stores.
    loop = PERCPU.format(const="", setter=SETTER.replace("\tsc_busy_code = SEAMLDR_RND_NO_ENTROPY;", f"\t{store};"))
    assert _gcc(tmp_path, _PERCPU, loop) == ["1", "2"]
    status, note = _judge(tmp_path, loop)
    assert status is VerdictStatus.INCONCLUSIVE, note
    assert "reads sc_busy_code, a variable code no run executes may set: sc_retry_seamldr_busy() (" in note, note


def test_a_per_cpu_retry_code_only_read_keeps_its_pass(tmp_path: Path) -> None:
    loop = PERCPU.format(const="", setter=SETTER.replace("\tsc_busy_code = SEAMLDR_RND_NO_ENTROPY;",
                                                         "\tpr_info(\"%llx\\n\", this_cpu_read(sc_busy_code));"))
    status, note = _judge(tmp_path, loop)
    assert status is VerdictStatus.PASS, note


# The retry code in a variable of external linkage: the header declares it, the P-SEAMLDR wrapper's file defines it
# without static. Any other file of the kernel (a module, where it is exported) may store to it.
EXTERN = LOOP.replace("static {const}u64 sc_busy_code = TDX_RND_NO_ENTROPY;\n{setter}", "extern u64 sc_busy_code;\n")
_OTHER_FILE = """\
typedef unsigned long long u64;
extern u64 sc_busy_code;
void sc_other_file_hook(void)
{
	sc_busy_code = 0x8000000000030001ULL;
}
"""


def _extern_series(definition: str) -> list[EmailMessage]:
    base = helpers(RETRY_SAFE)
    return revision(2, [
        Step("x86/virt/tdx: Add an internal SEAMCALL helper header", ((NEW_HOME, None, base),)),
        Step(PREPARE, ((NEW_HOME, base, PREAMBLE + EXTERN + "\n" + PRINTERS + TAIL),)),
        Step("x86/virt/seamldr: Add a P-SEAMLDR query wrapper",
             ((WRAPPER, None, WRAPPER_C + "\n" + definition), BUILD_WRAPPER)),
    ])


def test_a_retry_code_of_external_linkage_is_not_a_pass(tmp_path: Path) -> None:
    # gcc, the hook in a file of its own: 1 SEAMCALL, then 2 once it ran. It was PASS: only setters in the files read
    # were looked for.
    if shutil.which("gcc") is None:
        pytest.skip("gcc (the C oracle) is not installed")
    main = _ORACLE.replace("int main", "u64 sc_busy_code = TDX_RND_NO_ENTROPY;\n" + EXTERN + "\nint main").replace(
        "\tsc_retry_seamldr_busy();", "\tsc_other_file_hook();").replace(
        "static int calls;", "static int calls;\nvoid sc_other_file_hook(void);")
    (tmp_path / "main.c").write_text(main)
    (tmp_path / "other.c").write_text(_OTHER_FILE)
    exe = tmp_path / "oracle"
    subprocess.run(["gcc", "-O1", "-Wall", "-Wno-unused-parameter", "-o", str(exe), str(tmp_path / "main.c"),
                    str(tmp_path / "other.c")], check=True)
    assert subprocess.run([str(exe)], check=True, capture_output=True, text=True).stdout.split() == ["1", "2"]
    for definition in ("u64 sc_busy_code = TDX_RND_NO_ENTROPY;\n",
                       "u64 sc_busy_code = TDX_RND_NO_ENTROPY;\nEXPORT_SYMBOL_GPL(sc_busy_code);\n"):
        gate = evaluate_gate(GateRequest((write_mbox(tmp_path / "v2.mbox", _extern_series(definition)),), "v2",
                                         jobs=1, cache=None))
        (v,) = [v for v in gate.verdicts if v.rule.id == RULE]
        assert v.status is VerdictStatus.INCONCLUSIVE, v.note
        assert "reads sc_busy_code, a variable code no run executes may set: it is defined without static (" \
            "arch/x86/virt/vmx/tdx/seamldr_ops.c:" in v.note, v.note


def test_a_retry_code_an_unrun_asm_statement_stores_is_not_a_pass(tmp_path: Path) -> None:
    # gcc (x86-64): 1 SEAMCALL, then 2 once the hook's 'movq' ran. It was PASS: the store is an asm output operand.
    setter = SETTER.replace("\tsc_busy_code = SEAMLDR_RND_NO_ENTROPY;",
                            '\tasm volatile("movq %1, %0" : "=m" (sc_busy_code) : "r" (SEAMLDR_RND_NO_ENTROPY));')
    loop = LOOP.format(const="", setter=setter)
    assert _gcc(tmp_path, "", loop) == ["1", "2"]
    status, note = _judge(tmp_path, loop)
    assert status is VerdictStatus.INCONCLUSIVE, note
    assert "reads sc_busy_code, a variable code no run executes may set: sc_retry_seamldr_busy() (" in note \
        and 'an asm output, "=m" (sc_busy_code)' in note, note


# sc_retry() makes the P-SEAMLDR's code the one retried after a '#UD' answer: a run of the 'ud' script leaves it
# so, and a later call starts from it, where the rule's runs (its 'no entropy' scripts) each start afresh.
STICKY = LOOP.format(const="", setter="").replace(
    "\treturn err;\n}", "\tif (err == TDX_SEAMCALL_UD)\n\t\tsc_busy_code = SEAMLDR_RND_NO_ENTROPY;\n\treturn err;\n}")
# arch/x86/include/asm/tdx.h, arch/x86/include/asm/trapnr.h
_UD = "#define TDX_SEAMCALL_UD (0x8000000000000000ULL | 0x0000FF0000000000ULL | 6)\n"
_STICKY_MAIN = """\
static int calls;
static u64 first;
static u64 op(u64 fn, struct tdx_module_args *args)
{
	return calls++ ? 0 : first;
}
int main(void)
{
	struct tdx_module_args args = { 0 };

	first = 0x8000000000030001ULL;
	sc_retry(op, SEAMLDR_LEAF_BIT | 1, &args);
	printf("%d\\n", calls);
	calls = 0;
	first = TDX_SEAMCALL_UD;
	sc_retry(op, 33, &args);
	calls = 0;
	first = 0x8000000000030001ULL;
	sc_retry(op, SEAMLDR_LEAF_BIT | 1, &args);
	printf("%d\\n", calls);
	return 0;
}
"""


def test_a_retry_code_a_run_of_another_script_leaves_changed_is_not_a_pass(tmp_path: Path) -> None:
    # gcc: 1 SEAMCALL for SEAMLDR_INSTALL answered 'no entropy', 2 once a TDH_SYS_INIT was answered '#UD'. It was
    # PASS: only the state the rule's own runs leave was looked at.
    if shutil.which("gcc") is None:
        pytest.skip("gcc (the C oracle) is not installed")
    oracle = _ORACLE[:_ORACLE.index("static int calls;")] + _UD + STICKY + "\n" + _STICKY_MAIN
    src, exe = tmp_path / "sticky.c", tmp_path / "sticky"
    src.write_text(oracle)
    subprocess.run(["gcc", "-O1", "-Wall", "-Wno-unused-parameter", "-o", str(exe), str(src)], check=True)
    assert subprocess.run([str(exe)], check=True, capture_output=True, text=True).stdout.split() == ["1", "2"]
    status, note = _judge(tmp_path, STICKY)
    assert status is VerdictStatus.INCONCLUSIVE, note
    assert "reads sc_busy_code, a variable a run leaves changed (sc_busy_code = " in note and "/ud/" in note, note


ODD = "#define SC_ODD_ANSWER 0x8000000000000042ULL\n"  # an answer no script of the matrix gives


def _odd_gcc(tmp_path: Path, loop: str) -> list[str]:
    """What gcc's build of ``loop`` (a STICKY form) prints: its SEAMCALLs before and after a call answered ODD."""
    if shutil.which("gcc") is None:
        pytest.skip("gcc (the C oracle) is not installed")
    oracle = _ORACLE[:_ORACLE.index("static int calls;")] + ODD + loop + "\n" + _STICKY_MAIN.replace(
        "TDX_SEAMCALL_UD", "SC_ODD_ANSWER")
    src, exe = tmp_path / "odd.c", tmp_path / "odd"
    src.write_text(oracle)
    subprocess.run(["gcc", "-O1", "-Wall", "-Wno-unused-parameter", "-o", str(exe), str(src)], check=True)
    return subprocess.run([str(exe)], check=True, capture_output=True, text=True).stdout.split()


def test_a_retry_code_stored_on_a_line_no_run_executed_is_not_a_pass(tmp_path: Path) -> None:
    # The same after an answer no script of the matrix gives: no run executes the store. gcc: 1 SEAMCALL, then 2
    # once a call was answered it. It was PASS.
    loop = STICKY.replace("TDX_SEAMCALL_UD", "SC_ODD_ANSWER")
    assert _odd_gcc(tmp_path, loop) == ["1", "2"]
    status, note = _judge(tmp_path, ODD + loop)
    assert status is VerdictStatus.INCONCLUSIVE, note
    assert "reads sc_busy_code, a variable sc_retry() stores to on a line no run executed (" in note, note


def test_a_retry_code_an_asm_output_stores_on_a_line_no_run_executed_is_not_a_pass(tmp_path: Path) -> None:
    # The same store as an asm output operand (gcc's Extended Asm, x86-64 'movq'): no '=' beside the name in C.
    # gcc: 1 SEAMCALL, then 2 once a call was answered the odd code. It was PASS.
    asm = '\t\tasm volatile("movq %1, %0" : "=m" (sc_busy_code) : "r" (SEAMLDR_RND_NO_ENTROPY));'
    loop = STICKY.replace("TDX_SEAMCALL_UD", "SC_ODD_ANSWER").replace(
        "\t\tsc_busy_code = SEAMLDR_RND_NO_ENTROPY;", asm)
    assert asm in loop
    assert _odd_gcc(tmp_path, loop) == ["1", "2"]
    status, note = _judge(tmp_path, ODD + loop)
    assert status is VerdictStatus.INCONCLUSIVE, note
    assert "reads sc_busy_code, a variable sc_retry() stores to on a line no run executed (" in note, note


# The setter's store written by a macro of the files: the variable's name in the macro's body (a statement macro, an
# object-like one), pasted from its argument ('sc_##x##_code'), or the setter itself defined by a macro invocation at
# file scope. The setter's own text does not name the variable: only the preprocessor's expansion does.
MACRO_SETTERS = {
    "statement": "\n#define SC_BUSY_IS(v) sc_busy_code = (v)\n\nstatic inline void sc_retry_seamldr_busy(void)\n{\n"
                 "\tSC_BUSY_IS(SEAMLDR_RND_NO_ENTROPY);\n}\n",
    "object-like": "\n#define SC_BUSY_SEAMLDR sc_busy_code = SEAMLDR_RND_NO_ENTROPY\n\n"
                   "static inline void sc_retry_seamldr_busy(void)\n{\n\tSC_BUSY_SEAMLDR;\n}\n",
    "pasted": "\n#define SC_CODE(x) sc_##x##_code\n\nstatic inline void sc_retry_seamldr_busy(void)\n{\n"
              "\tSC_CODE(busy) = SEAMLDR_RND_NO_ENTROPY;\n}\n",
    "generated": "\n#define SC_SETTER(x, v) static inline void sc_retry_##x(void) { sc_busy_code = v; }\n"
                 "SC_SETTER(seamldr_busy, SEAMLDR_RND_NO_ENTROPY)\n",
}


@pytest.mark.parametrize("form", sorted(MACRO_SETTERS))
def test_a_retry_code_an_unrun_setter_stores_through_a_macro_of_the_files_is_not_a_pass(tmp_path: Path,
                                                                                        form: str) -> None:
    # gcc: 1 SEAMCALL, then 2 once the hook ran: the P-SEAMLDR's "no entropy" retried. It was PASS: the setter's text
    # does not name sc_busy_code (or names it pasted), and the store the macro makes was not looked for.
    loop = LOOP.format(const="", setter=MACRO_SETTERS[form])
    assert _gcc(tmp_path, "", loop) == ["1", "2"]
    status, note = _judge(tmp_path, loop)
    assert status is VerdictStatus.INCONCLUSIVE, note
    assert "reads sc_busy_code, a variable code no run executes may set: sc_retry_seamldr_busy() (" in note, note


def test_a_retry_code_a_macro_of_the_files_stores_on_a_line_no_run_executed_is_not_a_pass(tmp_path: Path) -> None:
    # The store of the line above written through a statement macro: gcc, 1 SEAMCALL, then 2; it was PASS.
    if shutil.which("gcc") is None:
        pytest.skip("gcc (the C oracle) is not installed")
    odd = "#define SC_ODD_ANSWER 0x8000000000000042ULL\n#define SC_BUSY_IS(v) sc_busy_code = (v)\n"
    loop = STICKY.replace("TDX_SEAMCALL_UD", "SC_ODD_ANSWER").replace(
        "\t\tsc_busy_code = SEAMLDR_RND_NO_ENTROPY;", "\t\tSC_BUSY_IS(SEAMLDR_RND_NO_ENTROPY);")
    oracle = _ORACLE[:_ORACLE.index("static int calls;")] + odd + loop + "\n" + _STICKY_MAIN.replace(
        "TDX_SEAMCALL_UD", "SC_ODD_ANSWER")
    src, exe = tmp_path / "odd.c", tmp_path / "odd"
    src.write_text(oracle)
    subprocess.run(["gcc", "-O1", "-Wall", "-Wno-unused-parameter", "-o", str(exe), str(src)], check=True)
    assert subprocess.run([str(exe)], check=True, capture_output=True, text=True).stdout.split() == ["1", "2"]
    status, note = _judge(tmp_path, odd + loop)
    assert status is VerdictStatus.INCONCLUSIVE, note
    assert "reads sc_busy_code, a variable sc_retry() stores to on a line no run executed (" in note, note


def _renumbered_loop(odd: str) -> str:
    """STICKY with SC_ODD_ANSWER, a ``#line`` before its loop numbering ``err = op(fn, args);`` (which every run
    executes) as the file's line of the store no run executes: gcc's numbers below it are not the file's."""
    loop = (odd + STICKY.replace("TDX_SEAMCALL_UD", "SC_ODD_ANSWER")).replace("\tdo {\n", "#line N\n\tdo {\n", 1)
    lines = (PREAMBLE + loop + "\n" + PRINTERS + TAIL).split("\n")  # the file 'Prepare' leaves (preparing_series)
    store = lines.index("\t\tsc_busy_code = SEAMLDR_RND_NO_ENTROPY;") + 1
    assert lines[lines.index("#line N") + 3] == "\t\terr = op(fn, args);"  # gcc's N + 2
    return loop.replace("#line N", f"#line {store - 2}")


def test_a_store_whose_line_a_line_directive_gives_to_a_run_statement_is_not_a_pass(tmp_path: Path) -> None:
    # Coverage named gcc's lines below a #line: the run statement 'err = op(fn, args);' numbered as the file's line
    # of the store made that line 'ran', and the retry code settled. It was PASS; gcc: 1 SEAMCALL, then 2.
    odd = "#define SC_ODD_ANSWER 0x8000000000000042ULL\n"
    loop = _renumbered_loop(odd)
    if shutil.which("gcc") is None:
        pytest.skip("gcc (the C oracle) is not installed")
    oracle = _ORACLE[:_ORACLE.index("static int calls;")] + loop + "\n" + _STICKY_MAIN.replace(
        "TDX_SEAMCALL_UD", "SC_ODD_ANSWER")
    src, exe = tmp_path / "renumbered.c", tmp_path / "renumbered"
    src.write_text(oracle)
    subprocess.run(["gcc", "-O1", "-Wall", "-Wno-unused-parameter", "-o", str(exe), str(src)], check=True)
    assert subprocess.run([str(exe)], check=True, capture_output=True, text=True).stdout.split() == ["1", "2"]
    status, note = _judge(tmp_path, loop)
    assert status is not VerdictStatus.PASS, note
    assert "reads sc_busy_code, a variable sc_retry() stores to on a line no run executed (" in note, note


def test_a_retry_code_an_unrun_setter_hands_to_a_callee_no_file_defines_is_not_a_pass(tmp_path: Path) -> None:
    # sc_knob_store() is defined by no file the input has: kernel builds refuse an undeclared function
    # (-Werror=implicit-function-declaration), so it is a header's, and a macro there may store to its argument,
    # as gcc shows with one that does: 1 SEAMCALL, then 2. It was PASS.
    setter = "\nstatic inline void sc_retry_seamldr_busy(void)\n{\n" \
             "\tsc_knob_store(sc_busy_code, SEAMLDR_RND_NO_ENTROPY);\n}\n"
    loop = LOOP.format(const="", setter=setter)
    assert _gcc(tmp_path, "#define sc_knob_store(x, v) ((x) = (v))\n", loop) == ["1", "2"]
    status, note = _judge(tmp_path, loop)
    assert status is VerdictStatus.INCONCLUSIVE, note
    assert "reads sc_busy_code, a variable code no run executes may set: arch/x86/virt/vmx/tdx/seamcall_internal.h:" \
        in note and "hands it to sc_knob_store(), which no file read defines" in note, note

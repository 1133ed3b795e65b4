"""A no_retry rule on a retry loop that tests a static key (include/linux/jump_label.h); gcc the oracle.

The prelude's keys (models.statickeys) start as their DEFINE_ macro says; a static_branch_enable() no run executes
may turn one on (harness.outsidewrites), as it may any variable of the unit. Before: every form was INCONCLUSIVE,
"v2 does not define static_branch_unlikely()"."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from harness.verdict import VerdictStatus
from tests.harness.test_retry_code_set_outside import _judge
from tests.models.test_statickeys_gcc import SHIM

KEYED = """\
#define SEAMLDR_RND_NO_ENTROPY\t0x8000000000030001ULL

{storage}DEFINE_STATIC_KEY_{kind}(sc_seamldr_busy);
{setter}
static __always_inline u64 sc_retry(sc_func_t op, u64 fn, struct tdx_module_args *args)
{{
	int left = RDRAND_RETRY_LOOPS;
	u64 err;

	do {{
		preempt_disable();
		err = op(fn, args);
		preempt_enable();
	}} while ((err == TDX_RND_NO_ENTROPY || (static_branch_unlikely(&sc_seamldr_busy) &&
						err == SEAMLDR_RND_NO_ENTROPY)) && --left);
	return err;
}}
"""
SETTER = """
static inline void sc_retry_seamldr_busy(void)
{
	static_branch_enable(&sc_seamldr_busy);
}
"""

_ORACLE = """\
typedef u64 (*sc_func_t)(u64 fn, struct tdx_module_args *args);
#define __always_inline inline
#define RDRAND_RETRY_LOOPS 10
#define TDX_RND_NO_ENTROPY 0x8000020300000000ULL
#define preempt_disable() do { } while (0)
#define preempt_enable() do { } while (0)
static int calls;
static u64 op(u64 fn, struct tdx_module_args *args) { return calls++ ? 0 : 0x8000000000030001ULL; }
"""


def _gcc_calls(tmp_path: Path, code: str, hook: bool) -> list[int]:
    """gcc's SEAMCALLs of sc_retry() answered the P-SEAMLDR's "no entropy", then success: as built, then (``hook``)
    after sc_retry_seamldr_busy() ran."""
    if shutil.which("gcc") is None:
        pytest.skip("gcc (the C oracle) is not installed")
    main = "int main(void)\n{\n\tstruct tdx_module_args args = { 0 };\n\n\tsc_retry(op, 1, &args);\n" \
           "\tprintf(\"%d\\n\", calls);\n" + ("\tcalls = 0;\n\tsc_retry_seamldr_busy();\n\tsc_retry(op, 1, &args);\n"
                                             "\tprintf(\"%d\\n\", calls);\n" if hook else "") + "\treturn 0;\n}\n"
    src, exe = tmp_path / "oracle.c", tmp_path / "oracle"
    src.write_text(SHIM + _ORACLE + code + main)
    # implicit int: a name cpp leaves as it is at file scope ('static SC_KEYS;'), an error from gcc 14 on
    subprocess.run(["gcc", "-O1", "-Wall", "-Wno-unused-function", "-Wno-error=implicit-int", "-o", str(exe), str(src)],
                   check=True)
    return [int(n) for n in subprocess.run([str(exe)], check=True, capture_output=True, text=True).stdout.split()]


@pytest.mark.parametrize(("kind", "storage", "setter", "calls", "want", "said"), [
    # A key no code of the input turns on, the unit's own: the P-SEAMLDR's code is never retried (gcc), and no run
    # made that part of the test true: inconclusive, never a pass, as for a plain 'static bool' read there.
    ("FALSE", "static ", "", [1], VerdictStatus.INCONCLUSIVE, "('} while ((err == TDX_RND_NO_ENTROPY || "
                                                              "(static_branch_unlikely(&sc_seamldr_busy) &&') always "
                                                              "came out false in v2"),
    # On from the start: retried, whatever else runs.
    ("TRUE", "static ", "", [2], VerdictStatus.FAIL, ""),
    # Turned on by a hook no run executes: 1 SEAMCALL, then 2.
    ("FALSE", "static ", SETTER, [1, 2], VerdictStatus.INCONCLUSIVE,
     "reads sc_seamldr_busy, a variable code no run executes may set: sc_retry_seamldr_busy() ("),
    # Defined without static: another unit may turn it on.
    ("FALSE", "", "", [1], VerdictStatus.INCONCLUSIVE,
     "reads sc_seamldr_busy, a variable code no run executes may set: it is defined without static ("),
], ids=["off", "on", "turned-on-by-an-unrun-hook", "global"])
def test_a_retry_loop_testing_a_static_key_is_judged_as_gcc_runs_it(
        tmp_path: Path, kind: str, storage: str, setter: str, calls: list[int], want: VerdictStatus,
        said: str) -> None:
    code = KEYED.format(kind=kind, storage=storage, setter=setter)
    assert _gcc_calls(tmp_path, code, bool(setter)) == calls
    status, note = _judge(tmp_path, code)
    assert status is want, note
    assert said in note, note


# The key defined through an object-like macro of the files, written alone at file scope: cpp expands it there (C11
# 6.10.3p9). Before: the slicer read no item there, the mirror said "unknown identifier 'sc_seamldr_busy'" and every
# form was INCONCLUSIVE, where gcc retries (FAIL) for the first two.
_KEY_TRUE = "#define SC_KEYS DEFINE_STATIC_KEY_TRUE(sc_seamldr_busy)\n"
_WRITTEN = "static DEFINE_STATIC_KEY_FALSE(sc_seamldr_busy);\n"
OBJECT_LIKE = {
    "expanded": (_KEY_TRUE + "static SC_KEYS;\n", [2], VerdictStatus.FAIL),
    "storage in the macro": ("#define SC_KEYS static DEFINE_STATIC_KEY_TRUE(sc_seamldr_busy)\nSC_KEYS;\n", [2],
                             VerdictStatus.FAIL),
    # Twins: cpp leaves SC_KEYS as it is (an int), the written-out key is off: never a FAIL, nor a PASS.
    "#undef between": (_KEY_TRUE + "#undef SC_KEYS\nstatic SC_KEYS;\n" + _WRITTEN, [1], VerdictStatus.INCONCLUSIVE),
    "defined after": (_WRITTEN + "static SC_KEYS;\n" + _KEY_TRUE, [1], VerdictStatus.INCONCLUSIVE),
    "under #if 0": ("#if 0\n" + _KEY_TRUE + "#endif\n" + _WRITTEN + "static SC_KEYS;\n", [1],
                    VerdictStatus.INCONCLUSIVE),
}


@pytest.mark.parametrize("name", list(OBJECT_LIKE))
def test_a_key_an_object_like_macro_defines_is_the_key_gcc_builds(tmp_path: Path, name: str) -> None:
    decl, calls, want = OBJECT_LIKE[name]
    code = KEYED.format(kind="FALSE", storage="static ", setter="").replace(_WRITTEN, decl)
    assert _gcc_calls(tmp_path, code, False) == calls, name
    status, note = _judge(tmp_path, code)
    assert status is want, (name, note)
    assert "unknown identifier" not in note, note
    if want is VerdictStatus.INCONCLUSIVE:  # the written-out key, as defined: the retry's part never came out true
        assert "(static_branch_unlikely(&sc_seamldr_busy) &&') always came out false in v2" in note, note

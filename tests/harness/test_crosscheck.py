"""Mirror vs native: the corpus agrees everywhere, an injected mirror bug is caught, hostile code is bounded."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from harness.cli import app
from harness.crosscheck import crosscheck_result
from harness.pipeline import Evaluation
from harness.runner import MatrixRequest, MatrixResult, run_matrix
from models import ctype, interp
from models.mirror import clear_caches
from models.native.run import find_compiler
from tests.harness.variantgen import matrix, variant

runner = CliRunner()


def _demo(tmp_path: Path, name: str, files: dict[str, str], codes: dict[str, int],
          scripts: dict[str, tuple[str, ...]], entry: str = "busy") -> MatrixResult:
    """Run our own C (``entry()`` in demo/demo.c, leaf ONE = 1) over scripts of the given codes."""
    from harness.filestate import full_file
    from harness.matrix import load_matrix
    from harness.variants import Variant

    v = Variant(name, name, tuple(full_file(p, text, "test") for p, text in files.items()), (), (), (), "t")
    toml = "[codes]\n" + "".join(f"{c} = {n:#x}\n" for c, n in codes.items())
    toml += f'[leaves]\nONE = 1\n[[unit]]\nname = "demo.c"\npath = "demo/demo.c"\n[[entry]]\nname = "{entry}"\n'
    toml += "".join(f'[[script]]\nname = "{s}"\nanswers = {list(a)!r}\n'.replace("'", '"') for s, a in scripts.items())
    (tmp_path / "m.toml").write_text(toml)
    return run_matrix(MatrixRequest((v,), load_matrix(tmp_path / "m.toml"), jobs=1))


def test_corpus_agrees_over_the_full_matrix(corpus_eval: Evaluation) -> None:
    # The native side of the matrix eval ran (every variant, the bundled matrix: what cross_check runs the mirror
    # over, read and run again); cross_check itself, from the command line: test_cli_and_eval_column.
    r = crosscheck_result(corpus_eval.result, find_compiler(None))
    assert r.disagreements == []
    assert sum(r.compared.values()) > 7000
    assert all(r.agreed[v] == n for v, n in r.compared.items())
    # v1's helpers are only partly known from its hunks: the matrix's entries cannot be compiled, said so;
    # the functions its patches change and that run on their own (discovered entries) are compared.
    assert r.not_compared["v1"] and any("sc_retry_prerr" in why for why in r.not_compared["v1"])
    assert r.compared["v1"] > 0 and r.agreed["v1"] == r.compared["v1"]
    # Every provided scenario is compared or counted as not compared, with why and how many (v3's
    # seamldr_call, whose inline asm the mirror does not run, included): eval's run of the same variants, so of the
    # same entry points.
    ev = corpus_eval
    for v in ("v1", "v3"):
        provided = sum(1 for s in ev.matrix.scenarios if ev.result.outcome(v, s.id).status != "not-provided")
        assert r.compared[v] + r.not_compared_runs[v] == provided
    assert any(why.startswith("seamldr_call: the mirror did not run it") for why in r.not_compared["v3"])


def test_injected_mirror_bug_is_caught(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    never = lambda a, b: False  # noqa: E731 - the mirror now never sees a busy answer
    monkeypatch.setitem(ctype.COMPARE, "==", never)
    monkeypatch.setitem(interp._FAST_CMP, "==", never)
    clear_caches()  # mirrors compiled before the patch must not be reused
    result = run_matrix(MatrixRequest((variant("a"),), matrix(tmp_path), jobs=1))
    r = crosscheck_result(result, find_compiler(None))
    assert r.exit_status == 1
    bad = {d.scenario: d.divergence for d in r.disagreements}
    assert "demo_retry/ONE/busy-x5/demo.c" in bad
    assert bad["demo_retry/ONE/busy-x5/demo.c"] == "SEAMCALLs: mirror made 1, native 3"
    from rich.console import Console

    from reports.terminal import crosscheck_summary

    console = Console(record=True, width=200)
    console.print(crosscheck_summary(r))
    text = console.export_text()
    assert "DISAGREE a demo_retry/ONE/busy-x5/demo.c: SEAMCALLs: mirror made 1, native 3" in text
    assert "mirror: 1 SEAMCALL (TDX module)" in text and "native: 3 SEAMCALLs (TDX module)" in text
    monkeypatch.undo()
    clear_caches()  # and the patched mirrors must not outlive the test


def test_hostile_loop_is_bounded_in_both(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The native run of a scenario the mirror stopped on has PROBE_TIMEOUT (5 s), not the runs' timeout (10 s
    # here): 1 s, so that the hang costs a second.
    from harness import crosscheck, crossraw

    monkeypatch.setattr(crosscheck, "PROBE_TIMEOUT", 1.0)
    monkeypatch.setattr(crossraw, "PROBE_TIMEOUT", 1.0)
    hang = variant("hang", extra="static inline u64 spin(u64 fn, struct tdx_module_args *args)\n"
                                  "{\n\tint n = 0;\n\twhile (1)\n\t\tn++;\n\treturn n;\n}\n")
    text = (tmp_path / "m.toml")
    base = matrix(tmp_path).path.read_text().replace('name = "demo_prerr"', 'name = "spin"')
    text.write_text(base)
    from harness.matrix import load_matrix

    result = run_matrix(MatrixRequest((hang,), load_matrix(text), jobs=1))
    r = crosscheck_result(result, find_compiler(None), timeout=10)
    mirror_error, native = r.probes["hang"]
    assert "budget" in mirror_error and "did not finish within 1 s" in native
    assert r.disagreements == []


def test_no_compiler_is_exit_2(corpus: Path) -> None:
    res = runner.invoke(app, ["crosscheck", str(corpus), "--cc", "no-such-cc", "--variant", "v3"])
    assert res.exit_code == 2
    assert res.stderr.strip() == ("seamharness: --cc no-such-cc: no such compiler (not a path to one, nor a name on "
                                  "PATH)")


def test_cli_and_eval_column(corpus: Path) -> None:
    # The eval's column of the page: test_eval_crosscheck_says_it_in_the_terminal's run (one native build less).
    res = runner.invoke(app, ["crosscheck", str(corpus), "--variant", "v3:06"])
    assert res.exit_code == 0, res.output
    assert "420 of 420 outcomes agree" in res.stdout


def test_native_harness_builds_without_warnings(tmp_path: Path) -> None:
    import subprocess

    src = Path(__file__).resolve().parents[2] / "models" / "native" / "sh_native.c"
    cc = find_compiler(None)
    res = subprocess.run([cc, "-c", "-std=gnu11", "-Wall", "-Wextra", "-Werror", "-fPIC", "-o",
                          str(tmp_path / "h.o"), str(src)], capture_output=True, text=True, check=False)
    assert res.returncode == 0, res.stderr


def test_asm_stops_both_sides(corpus: Path, tmp_path: Path) -> None:
    from harness.apply import ApplyRequest, apply_variants
    from harness.ingest import IngestRequest, parse_series
    from harness.matrix import load_matrix

    (tmp_path / "m.toml").write_text(
        '[codes]\nOK = 0\n[leaves]\nTDX = 33\nLDR = 0x8000000000000001\n'
        '[[unit]]\nname = "seamldr.c"\npath = "arch/x86/virt/vmx/tdx/seamldr.c"\n'
        '[[entry]]\nname = "seamldr_call"\n[[script]]\nname = "ok"\nanswers = ["OK"]\n')
    variants = apply_variants(ApplyRequest(parse_series(IngestRequest((corpus,))), names=("v3",)))
    assert variants.manifest is not None
    result = run_matrix(MatrixRequest(variants.variants, load_matrix(tmp_path / "m.toml"),
                                      jobs=1))
    r = crosscheck_result(result, find_compiler(None), timeout=20)
    assert r.compared["v3"] == 1 and r.agreed["v3"] == 1  # the TDX leaf: -EINVAL before any asm
    mirror_error, native = r.probes["v3"]
    assert "inline asm is not modelled" in mirror_error and "SIGABRT" in native


PRIMITIVES_C = """\
static u64 counter;

static inline int busy(u64 fn, struct tdx_module_args *args)
{
	unsigned long flags;
	u64 ret;
	int i;

	lockdep_assert_preemption_disabled();
	preempt_disable();
	this_cpu_write(cache_state_incoherent, fn & 1);
	spin_lock(&demo_lock);
	local_irq_save(flags);
	lockdep_assert_irqs_disabled();
	ret = __seamcall_ret(fn, args);
	local_irq_restore(flags);
	spin_unlock(&demo_lock);
	preempt_enable();
	for (i = 0; i < 3; i++)
		WARN_ON_ONCE(ret & 1);
	WARN(ret == 5, "odd answer %llu for leaf %#llx\\n", ret, fn);
	pr_warn("%s: leaf %lld (%-6s) %5.3d|%c\\n", "busy", (long long)fn, "x", (int)(ret & 0xff), 'Q');
	printk("\\0014" "raw %hhu %hd %lu\\n", (unsigned char)ret, (short)-2,
		(unsigned long)this_cpu_read(cache_state_incoherent));
	counter += ret;
	return (int)(counter % 1000) - (int)args->rcx;
}
"""


def test_primitives_agree(tmp_path: Path) -> None:
    from harness.filestate import full_file
    from harness.matrix import load_matrix
    from harness.variants import Variant

    v = Variant("prims", "primitives", (full_file("demo/prims.h", PRIMITIVES_C, "test"),), (), (), (), "t")
    (tmp_path / "m.toml").write_text(
        '[codes]\nOK = 0\nFIVE = 5\nODD = 0x8000000000000003\n[leaves]\nEVEN = 34\nODD = 35\n'
        '[[unit]]\nname = "demo.c"\npath = "demo/demo.c"\n[[entry]]\nname = "busy"\n'
        '[[script]]\nname = "ok"\nanswers = ["OK"]\n[[script]]\nname = "five"\nanswers = [{ code = "FIVE", rcx = 7 }]\n'
        '[[script]]\nname = "odd"\nanswers = ["ODD"]\n')
    result = run_matrix(MatrixRequest((v,), load_matrix(tmp_path / "m.toml"), jobs=1))
    r = crosscheck_result(result, find_compiler(None))
    assert r.compared["prims"] == 6
    assert r.disagreements == [], [d.divergence for d in r.disagreements]
    five = result.outcome("prims", "busy/ODD/five/demo.c")
    assert [e.kind for e in five.events].count("warning") == 2 and five.ret == -2
    assert [x.text for x in five.log][-1] == "raw 5 -2 1"


PERCPU_C = """\
DEFINE_PER_CPU(int, last_err);
DEFINE_PER_CPU(bool, failed);
DEFINE_PER_CPU(u32, status_lo);

static int busy(u64 fn, struct tdx_module_args *args)
{
	u64 r = __seamcall(fn, args);

	this_cpu_write(last_err, r ? -EIO : 0);
	this_cpu_write(failed, !!(r & BIT_ULL(40))); /* r & BIT_ULL(40) alone: x86's two builds differ, refused */
	this_cpu_write(status_lo, r);
	this_cpu_inc(status_lo);
	/* Two statements: gcc may reorder the terms of one longer sum (models/sequencing.py). */
	r = (this_cpu_read(last_err) < 0) * 100 + this_cpu_read(failed) * 10 + (int)this_cpu_read(status_lo);
	return r + this_cpu_xchg(last_err, 0) * 1000;
}
"""


def test_typed_per_cpu_variables_agree(tmp_path: Path) -> None:
    from tests.harness.variantgen import header_result

    result = header_result(tmp_path, "pc", "demo/pc.h", PERCPU_C, 0x0000010000000006)
    # int < 0, bool 1, u32 low half 6 then incremented, the int exchanged for 0 (-5): 117 - 5000
    assert result.outcome("pc", "busy/ONE/big/demo.c").ret == 117 - 5000
    # Events show each value in its variable's type: the int as -5, not as its 64-bit pattern.
    big = result.outcome("pc", "busy/ONE/big/demo.c")
    assert ("percpu-write", "last_err = -5") in {(e.kind, e.detail) for e in big.events}
    r = crosscheck_result(result, find_compiler(None))
    assert r.compared["pc"] == 2 and r.disagreements == [], [d.divergence for d in r.disagreements]


KERNEL_C = Path(__file__).resolve().parents[1] / "fixtures" / "kernel_c"


def _kernel_c_result():  # type: ignore[no-untyped-def]
    from harness.filestate import full_file
    from harness.matrix import load_matrix
    from harness.variants import Variant

    text = (KERNEL_C / "kernel_c.h").read_text()
    v = Variant("kc", "later kernel C", (full_file("demo/kernel_c.h", text, "test"),), (), (), (), "t")
    return run_matrix(MatrixRequest((v,), load_matrix(KERNEL_C / "matrix.toml"), jobs=1))


def test_kernel_c_of_later_revisions_runs_as_gcc_runs_it() -> None:
    """Guards, generated helpers, GNU C, kernel idioms and printk: every outcome equal to gcc's."""
    result = _kernel_c_result()
    outcomes = [result.outcome("kc", s.id) for s in result.matrix.scenarios]
    assert [o.error for o in outcomes if o.status != "ok"] == []
    r = crosscheck_result(result, find_compiler(None))
    assert r.not_compared["kc"] == []
    assert r.compared["kc"] == len(outcomes) == 156 and r.agreed["kc"] == 156, r.disagreements[:3]
    # The program does exercise what it is there for.
    seen = {(e.kind, e.detail) for o in outcomes for e in o.events}
    assert {("lock", "demo_lock acquired"), ("rcu", "depth 1"), ("irq", "restored enabled"),
            ("warning", "Please remove unsupported %j in format string"), ("warning", "WARN_ON"),
            ("violation", "sleeping function called from invalid context (preempt count 1, RCU depth 0, IRQs on)"),
            ("percpu-write", "demo_pcpu = 9")} <= seen
    lines = {x.text for o in outcomes for x in o.log}
    assert {"put 7", "temp 5°C, €1\t|   ok|x   |", "crit error in demo_printk (12)", "try 9 of leaf 1"} <= lines
    assert "try 10 of leaf 1" not in lines  # pr_warn_ratelimited's burst is 10


def test_kernel_c_crosscheck_cli(tmp_path: Path) -> None:
    from tests.mailgen import diff, message, patch_body, write_mbox

    text = (KERNEL_C / "kernel_c.h").read_text()
    body = patch_body("demo: helpers in later kernel C", diff("demo/kernel_c.h", None, text))
    mbox = write_mbox(tmp_path / "kc.mbox", [message("[PATCH] demo: later kernel C", "kc@example.org", body)])
    res = runner.invoke(app, ["crosscheck", str(mbox), "--matrix", str(KERNEL_C / "matrix.toml"), "--variant", "v1"])
    assert res.exit_code == 0, res.output
    assert "156 of 156 outcomes agree" in res.stdout


@pytest.mark.parametrize("snippet", [
    "BUILD_BUG_ON(sizeof(u64) != 4);",
    "static_assert(sizeof(struct tdx_module_args) == 12 * sizeof(u64));",
    "_Static_assert(-1 < 0U, \"signed\");",
    "int x = BUILD_BUG_ON_ZERO(1);",
    "int *p = 0; int n = ARRAY_SIZE(p);",
    "switch (fn) { case 1 ... 5: break; case 3: break; }",
    "switch (fn) { default: break; default: break; }",
    "struct { u32 a : 3; } s = { 1 }; int n = sizeof(s.a);",
    "struct { u32 a : 3; } s = { 1 }; u32 *p = &s.a;",
    "struct { u8 a : 9; } s = { 1 };",
])
def test_what_the_mirror_calls_a_build_failure_gcc_refuses_too(tmp_path: Path, snippet: str) -> None:
    import re
    import subprocess

    from models.errors import BuildFailure
    from models.prelude import prelude_text
    from tests.models.cprog import mirror_of

    code = "int f(u64 fn, struct tdx_module_args *args)\n{\n\t" + snippet + "\n\treturn 0;\n}\n"
    with pytest.raises(BuildFailure):
        mirror_of(code, "f").compiler.function("f")
    header = (Path(__file__).resolve().parents[2] / "models" / "native" / "sh_native.h").read_text()
    prelude = re.sub(r"struct __sh_guard \{[^}]*\};", "", prelude_text())
    (tmp_path / "t.c").write_text(header + prelude + code)
    # BUILD_BUG_ON() is build_bug.h's compiletime_assert(): a call gcc refuses where its optimiser keeps it, which
    # only a build with optimisation decides (kbuild's -O2), not a syntax check
    how = ["-O2", "-c", "-o", str(tmp_path / "t.o")] if snippet.startswith("BUILD_BUG_ON(") else ["-fsyntax-only"]
    res = subprocess.run([find_compiler(None), "-std=gnu11", *how, "-w", str(tmp_path / "t.c")],
                         capture_output=True, text=True, check=False)
    assert res.returncode != 0, f"gcc accepts what the mirror refuses: {snippet}"
    assert not snippet.startswith("BUILD_BUG_ON(") or "BUILD_BUG_ON failed" in res.stderr, res.stderr


def test_the_summary_says_why_something_was_not_compared() -> None:
    from rich.console import Console

    from harness.crosscheck import CrossResult
    from reports.terminal import crosscheck_summary

    r = CrossResult(compared={"v1:01": 0, "v2": 4}, agreed={"v2": 4},
                    not_compared={"v1:01": ["the mirror does not load this variant: x.c:3: no such type"] * 2})
    console = Console(width=200, record=True)
    console.print(crosscheck_summary(r))
    text = console.export_text()
    assert text.count("v1:01: not compared: the mirror does not load this variant: x.c:3: no such type") == 1


def test_eval_crosscheck_says_it_in_the_terminal(corpus: Path, tmp_path: Path) -> None:
    r = runner.invoke(app, ["eval", str(corpus), "--variant", "v3:05", "--variant", "v3", "--crosscheck", "--html",
                            str(tmp_path / "r.html")])
    assert r.exit_code == 0, r.output
    # And on the page, in each variant's column.
    page = (tmp_path / "r.html").read_text()
    assert "350/350 agree" in page and "456/456 agree" in page
    text = " ".join(r.stdout.split())
    # Named as the compiler that built it (cc, gcc or clang, whichever the machine has first).
    assert re.search(r"crosscheck \((cc|gcc|clang)\): 806 of 806 outcomes agree: 770 of 770 built from the "
                     r"variants' own text \(an independent check\); 36 of 36 from the mirror's expansion \(not "
                     r"independent\)", text), text
    # Per variant as seamharness crosscheck counts: compared, agree, from its text, from the expansion, not
    # compared, log records formatted by the C library / the mirror.
    assert " v3:05 350 350 350/350 0/0 0 96/80 v3 456 456 420/420 36/36 34 130/80 " in text, text
    assert "v3: not compared: seamldr_call: the mirror did not run it" in text
    assert ("v3: built from the mirror's expansion, its own text not built: seamldr_call (seamldr.c): gcc refuses "
            "it") in text


GOTO_C = """\
static int busy(u64 fn, struct tdx_module_args *args)
{
	int ret, tries = 0;
	u64 err;

retry:
	tries++;
	err = __seamcall(fn, args);
	if (err == 5 && tries < 3)
		goto retry;
	if (err)
		goto out_err;
	ret = tries;
	goto out;
out_err:
	pr_err("failed %d\\n", tries);
	ret = -5;
out:
	return ret;
}
"""


def test_goto_runs_as_gcc_runs_it(tmp_path: Path) -> None:
    result = _demo(tmp_path, "g", {"demo/g.h": GOTO_C}, {"OK": 0, "FIVE": 5, "BAD": 7},
                   {"ok": ("OK",), "five": ("FIVE",), "bad": ("BAD",), "fiveok": ("FIVE", "OK")})
    got = {s.script.name: result.outcome("g", s.id).ret for s in result.matrix.scenarios}
    assert got == {"ok": 1, "five": -5, "bad": -5, "fiveok": 2}  # retries, then the cleanup path
    r = crosscheck_result(result, find_compiler(None))
    assert r.compared["g"] == 4 and r.disagreements == [], [d.divergence for d in r.disagreements]


STATE_C = """\
static u64 last_err;
static int nr_fail = 3;
static bool dead;
static int table[2];

static int busy(u64 fn, struct tdx_module_args *args)
{
	u64 err = __seamcall(fn, args);

	last_err = err;
	if (err) {
		nr_fail += 2;
		dead = true;
		table[0] = 9;
	}
	return 0;
}
"""


def test_the_state_a_run_leaves_agrees_with_gcc(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from harness.explain import explain_effects

    codes = {"OK": 0, "BAD": 0x8000000000000007}
    scripts = {"ok": ("OK",), "bad": ("BAD",)}
    result = _demo(tmp_path, "s", {"demo/s.h": STATE_C}, codes, scripts)
    ok, bad = (result.outcome("s", f"busy/ONE/{s}/demo.c") for s in ("ok", "bad"))
    assert ok.state == ()  # last_err = 0: its initial value
    assert bad.state == (("dead", "1"), ("last_err", str(0x8000000000000007)), ("nr_fail", "5"), ("table", "{9, 0}"))
    assert explain_effects(ok, bad) == [f"state left behind dead initial -> 1, last_err initial -> "
                                        f"{0x8000000000000007}, nr_fail initial -> 5, table initial -> {{9, 0}}"]
    r = crosscheck_result(result, find_compiler(None))  # integers compared with gcc's; the array is not
    assert r.compared["s"] == 2 and r.disagreements == [], [d.divergence for d in r.disagreements]
    # A mirror that forgot a write would be caught by the native state.
    from models import mirror

    real = mirror.changed_state
    monkeypatch.setattr(mirror, "changed_state", lambda m: tuple(x for x in real(m) if x[0] != "nr_fail"))
    clear_caches()
    result = _demo(tmp_path, "s", {"demo/s.h": STATE_C}, codes, scripts)
    r = crosscheck_result(result, find_compiler(None))
    assert [d.divergence for d in r.disagreements] == ["state left behind: mirror {'dead': '1', 'last_err': "
                                                       f"'{0x8000000000000007}'}}, native {{'dead': '1', 'last_err': "
                                                       f"'{0x8000000000000007}', 'nr_fail': '5'}}"]


LIBC_C = """\
struct pair { int a; u64 b; };

static int name_len(const char *s)
{
	return strlen(s);
}

static int busy(u64 fn, struct tdx_module_args *args)
{
	struct pair p, q = { 1, 2 };
	u64 err;

	*args = (struct tdx_module_args){ .rcx = fn, .rdx = 7 };
	err = __seamcall(fn, args);
	p = (struct pair){ .b = err };
	memset(&q, 0, sizeof(q));
	if (err)
		memcpy(&q, &p, sizeof(q));
	return q.b * 10 + q.a + name_len("abcd") * 100 + sizeof((int[]){ 1, 2 }) * 1000 + args->rdx;
}
"""


def test_compound_literals_and_string_functions_agree_with_gcc(tmp_path: Path) -> None:
    result = _demo(tmp_path, "l", {"demo/l.h": LIBC_C}, {"OK": 0, "BAD": 5}, {"ok": ("OK",), "bad": ("BAD",)})
    got = {s.script.name: result.outcome("l", s.id).ret for s in result.matrix.scenarios}
    assert got == {"ok": 8407, "bad": 8457}
    r = crosscheck_result(result, find_compiler(None))
    assert r.compared["l"] == 2 and r.disagreements == [], [d.divergence for d in r.disagreements]


def _prelude_struct() -> str:
    from models.prelude import TYPES

    start = TYPES.index("struct tdx_module_args {")
    return TYPES[start:TYPES.index("};", start) + 3]


ARGS_H = _prelude_struct()  # the prelude's own definition, as a tree's asm/tdx.h has it
BUSY_C = """\
static int busy(u64 fn, struct tdx_module_args *args)
{
	return __seamcall(fn, args) ? -5 : 0;
}
"""


@pytest.mark.parametrize(("header", "compared"), [
    (ARGS_H, 2),  # the variant's own copy of the prelude's struct (a tree's asm/tdx.h): written once for gcc
    (ARGS_H.replace("\tu64 rsi;\n", ""), 2),  # another layout, of registers: passed as the code lays it out
    (ARGS_H.replace("\tu64 rsi;\n", "\tu32 rsi;\n"), 0),  # a member no register: said, not compared
])
def test_a_variant_that_defines_the_args_struct_itself(tmp_path: Path, header: str, compared: int) -> None:
    result = _demo(tmp_path, "a", {"demo/args.h": header, "demo/b.h": BUSY_C}, {"OK": 0, "BAD": 5},
                   {"ok": ("OK",), "bad": ("BAD",)})
    r = crosscheck_result(result, find_compiler(None), source="mirror")  # the expansion: one program of both files
    assert r.compared["a"] == compared and r.disagreements == []
    assert r.exit_status == (0 if compared else 1)  # agreement is never claimed of nothing
    if not compared:
        assert any("member rsi is unsigned int, not an unsigned 64-bit integer" in why
                   for why in r.not_compared["a"]), r.not_compared


def test_an_entry_point_whose_name_ends_in_underscores_is_run_natively(tmp_path: Path) -> None:
    # ctypes' CDLL.__getattr__ refuses names that begin and end with "__" (the wrapper's: __sh_entry_...__).
    code = BUSY_C.replace("busy(", "busy__(")
    result = _demo(tmp_path, "u", {"demo/u.h": code}, {"OK": 0, "BAD": 5}, {"ok": ("OK",), "bad": ("BAD",)},
                   entry="busy__")
    r = crosscheck_result(result, find_compiler(None))
    assert r.compared["u"] == 2 and r.disagreements == [], [d.divergence for d in r.disagreements]


GUARD_GOTO_C = """\
static DEFINE_MUTEX(lk);

static int busy(u64 fn, struct tdx_module_args *args)
{
	int ret;

	guard(mutex)(&lk);
	ret = __seamcall(fn, args) ? -5 : 0;
	if (ret)
		goto err;
	return 0;
err:
	pr_err("failed %d\\n", ret);
	return ret;
}
"""


def test_a_goto_within_a_guards_scope_runs_as_gcc_runs_it(tmp_path: Path) -> None:
    result = _demo(tmp_path, "gg", {"demo/gg.h": GUARD_GOTO_C}, {"OK": 0, "BAD": 5}, {"ok": ("OK",), "bad": ("BAD",)})
    bad = result.outcome("gg", "busy/ONE/bad/demo.c")
    assert bad.ret == -5 and [e.detail for e in bad.events] == ["lk acquired", "lk released"], bad.error
    r = crosscheck_result(result, find_compiler(None))
    assert r.compared["gg"] == 2 and r.disagreements == [], [d.divergence for d in r.disagreements]


GUARD_RETRY_C = """\
static DEFINE_MUTEX(lk);

static int busy(u64 fn, struct tdx_module_args *args)
{
	int n = 0;
again:
	n++;
	guard(mutex)(&lk);
	if (__seamcall(fn, args) && n < 3)
		goto again;
	return n;
}
"""


def test_a_goto_back_above_a_guard_releases_it_as_gcc_does(tmp_path: Path) -> None:
    # Leaving the guard's scope backwards runs its cleanup; the declaration then takes the lock again.
    result = _demo(tmp_path, "gr", {"demo/gr.h": GUARD_RETRY_C}, {"OK": 0, "BAD": 5},
                   {"ok": ("OK",), "bad": ("BAD",)})
    bad = result.outcome("gr", "busy/ONE/bad/demo.c")
    assert bad.ret == 3 and [e.detail for e in bad.events] == ["lk acquired", "lk released"] * 3, bad.error
    r = crosscheck_result(result, find_compiler(None))
    assert r.compared["gr"] == 2 and r.disagreements == [], [d.divergence for d in r.disagreements]


@pytest.mark.parametrize(("body", "alike"), [
    ("BUILD_BUG_ON(sizeof(u64) != 4);", "BUILD_BUG_ON failed"),  # gcc's error in the prelude, expanded here
    ("switch (fn) {\n\tcase 1 ... 5:\n\t\treturn 1;\n\tcase 3:\n\t\treturn 2;\n\t}", "duplicate case value"),
    ("long v = 0;\n\ts64 *p = &v;\n\treturn *p;", "incompatible pointer type"),
    # gcc refuses (implicit declaration) but the mirror only does not know the function (it may be the kernel's):
    # a refusal of the mirror's own kind, never agreement.
    ("return no_such_helper(fn);", None),
])
def test_a_build_both_refuse_for_the_same_reason_is_agreement_on_refusal(tmp_path: Path, body: str,
                                                                         alike: str | None) -> None:
    from rich.console import Console

    from harness.crossview import cross_rows
    from reports.json_report import _cross
    from reports.terminal import crosscheck_summary
    from tests.harness.variantgen import header_result

    code = f"static long long busy(u64 fn, struct tdx_module_args *args)\n{{\n\t{body}\n\treturn 0;\n}}\n"
    r = crosscheck_result(header_result(tmp_path, "a", "demo/a.h", code, 5), find_compiler(None))
    assert r.disagreements == [] and r.compared["a"] == 0
    console = Console(record=True, width=400)
    console.print(crosscheck_summary(r))
    text = console.export_text()
    if alike is None:
        assert r.refused_alike["a"] == [] and r.exit_status == 1
        # Said as eval says it (harness.coverage.missing_reason), not the mirror's own pointer at models/kernel.py.
        assert r.not_compared["a"][0].startswith("busy: the mirror did not run it: demo/a.h:3: a does not define "
                                                 "no_such_helper(): none of the files read from the tree has it")
        assert "models/kernel.py" not in r.not_compared["a"][0], r.not_compared["a"]
        assert "nothing was compared" in text and "refused alike" not in text
        return
    (why,) = r.refused_alike["a"]
    assert why.startswith("busy: both refuse to build it; gcc refuses it: ") and alike in why, why
    assert why.endswith("(2 scenarios)") and r.not_compared["a"] == [] and r.fallback["a"] == []
    assert r.refused_alike_runs["a"] == 2 and r.exit_status == 0
    assert f"a: refused alike (gcc and the mirror): {why}" in text and "2 scenarios refused alike" in text
    assert _cross(cross_rows(r))["a"]["refused_alike"] == [why]  # type: ignore[index]


def test_a_file_scope_assertion_both_refuse_is_agreement_on_refusal(tmp_path: Path) -> None:
    # gcc names the prelude's _Static_assert as the error and the file's static_assert line only in its
    # "in expansion of macro" notes: the unit's refusal keeps that line, where the mirror refuses too.
    from tests.harness.variantgen import header_result

    code = ('static_assert(sizeof(u64) == 4, "word");\n\n'
            "static long long busy(u64 fn, struct tdx_module_args *args)\n{\n\treturn 0;\n}\n")
    r = crosscheck_result(header_result(tmp_path, "a", "demo/a.h", code, 5), find_compiler(None))
    assert r.disagreements == [] and r.compared["a"] == 0 and r.not_compared["a"] == [], r.not_compared
    (why,) = r.refused_alike["a"]
    assert why.startswith("busy: both refuse to build it; gcc") and "static assertion failed" in why, why
    assert "demo/a.h:1: in expansion of macro" in why and r.refused_alike_runs["a"] == 2 and r.exit_status == 0


def test_an_entry_left_out_for_a_helper_nothing_defines_is_said_as_eval_says_it(tmp_path: Path) -> None:
    # The mirror ran busy() (the call of helper() is under an answer no script gives), the native build left it out
    # for helper()'s call of a function nothing defines: that reason came through as the mirror's own words,
    # "busy: needs busy(), which the native build leaves out: needs helper(), ...: call to unknown function
    # no_such_helper(): not defined in this variant's files ... (models/kernel.py lists them)".
    from tests.harness.variantgen import header_result

    code = ("static long long helper(u64 fn)\n{\n\treturn no_such_helper(fn);\n}\n\n"
            "static long long busy(u64 fn, struct tdx_module_args *args)\n{\n\tif (__seamcall(fn, args) == 7)\n"
            "\t\treturn helper(fn);\n\treturn 0;\n}\n")
    r = crosscheck_result(header_result(tmp_path, "a", "demo/a.h", code, 5), find_compiler(None))
    (why,) = r.not_compared["a"]
    assert r.compared["a"] == 0 and why.startswith(
        "busy: needs helper(), which the native build leaves out: demo/a.h:3: a does not define no_such_helper(): "
        "none of the files read from the tree has it; ") and why.endswith(" (2 scenarios)"), why
    assert "models/kernel.py" not in why and "needs busy()" not in why, why


def test_nothing_compared_because_no_variant_provides_an_entry_says_why(tmp_path: Path) -> None:
    # A series from mail alone whose hunks show none of the matrix's entry points: crosscheck printed '0 of 0
    # outcomes agree', 'not compared' 0 in every row and 'nothing was compared' (exit 1) without a reason, where
    # eval says the variant does not define the entry point (give --tree).
    from tests.mailgen import diff, message, patch_body, write_mbox

    filler = "".join(f"\tn += {i};\n" for i in range(12))
    old = f"int demo_call(u64 fn)\n{{\n\tint n = 0;\n{filler}\treturn n + 1;\n{filler}}}\n"
    hunk = diff("drivers/demo/call.c", old, old.replace("n + 1;", "n + 2;"))  # the hunk shows no line of its head
    write_mbox(tmp_path / "s.mbox", [message("[PATCH] demo: return more", "c1@x", patch_body("More.", hunk))])
    (tmp_path / "m.toml").write_text('[codes]\nOK = 0\n[leaves]\nONE = 1\n[[unit]]\nname = "u"\n[[entry]]\n'
                                     'name = "demo_call"\n[[script]]\nname = "ok"\nanswers = ["OK"]\n')
    r = runner.invoke(app, ["crosscheck", str(tmp_path / "s.mbox"), "--matrix", str(tmp_path / "m.toml")],
                      env={"COLUMNS": "400"})
    assert r.exit_code == 1, r.output
    assert ("nothing was compared with cc (no variant provides an entry point of the matrix: v1 does not define "
            "demo_call(): none of the files read has it (from mail: only the files the patches change); give --tree): "
            "no agreement") in r.stdout, r.stdout

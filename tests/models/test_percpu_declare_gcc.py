"""A per-CPU variable only DECLARE_PER_CPU() names is refused where first read, never 0.

A per-CPU variable only DECLARE_PER_CPU() names (its DEFINE_PER_CPU() in a file the mirror does not have) holds a
value the mirror does not know until the run writes it: refused where read first, never read as 0; with its
DEFINE_PER_CPU() there too, the definition is the object (C11 6.9.2), pinned to gcc."""

from __future__ import annotations

from pathlib import Path

from models.loader import Source, definitions
from tests.harness.variantgen import agrees_with_gcc
from tests.models.cprog import run

HEAD = "DECLARE_PER_CPU(u32, dp_hits);\nlong f(u64 fn, struct tdx_module_args *args)\n{\n"
WHY = ("test/prog.c:4: per-CPU variable dp_hits is declared by DECLARE_PER_CPU() (test/prog.c:1) and defined in no "
       "file the mirror has, and the run has not written it: the value it holds is not known")


def test_a_per_cpu_variable_only_declared_is_refused_where_read_before_written() -> None:
    # Read however it is reached: this_cpu_read(), a read-modify-write, its own copy through this_cpu_ptr() or
    # per_cpu(), the name itself (each read 0).
    for read in ("return this_cpu_read(dp_hits);", "this_cpu_inc(dp_hits);\n\treturn 7;",
                 "return __this_cpu_read(dp_hits);", "return *this_cpu_ptr(&dp_hits);",
                 "return per_cpu(dp_hits, 0);", "return dp_hits;"):
        out = run(HEAD + "\t" + read + "\n}\n")
        assert (out.status, out.error) == ("error", WHY), (read, out.ret, out.error)
    for kin in ("DECLARE_PER_CPU_READ_MOSTLY", "DECLARE_PER_CPU_ALIGNED", "DECLARE_PER_CPU_SHARED_ALIGNED"):
        out = run(HEAD.replace("DECLARE_PER_CPU", kin) + "\treturn this_cpu_read(dp_hits);\n}\n")
        assert out.error == WHY.replace("DECLARE_PER_CPU()", f"{kin}()"), out.error


def test_a_per_cpu_variable_only_declared_is_the_runs_once_written() -> None:
    out = run(HEAD + "\tthis_cpu_write(dp_hits, 0);\n\tthis_cpu_inc(dp_hits);\n\treturn this_cpu_read(dp_hits);\n}\n")
    assert (out.status, out.ret) == ("ok", 1), out.error
    # The value it held before is not known: the one the run left is shown, a 0 written too (it was left out, the
    # mirror taking 0 for the value before).
    assert ("dp_hits", "1") in out.state, out.state
    out = run(HEAD + "\tthis_cpu_write(dp_hits, 0);\n\treturn 2;\n}\n")
    assert (out.status, out.ret) == ("ok", 2) and ("dp_hits", "0") in out.state, (out.error, out.state)


def test_declare_and_define_per_cpu_keep_the_definition() -> None:
    # In either order, in one file or a header and its .c file: DEFINE_PER_CPU() is the object the loader keeps.
    for first, second in (("DECLARE", "DEFINE"), ("DEFINE", "DECLARE")):
        text = f"{first}_PER_CPU(u32, dp_hits);\n{second}_PER_CPU(u32, dp_hits);\n"
        table = definitions((Source("x/a.c", ((1, tuple(text.split("\n"))),), True),))
        assert [d.text for d in table["dp_hits"]] == ["DEFINE_PER_CPU(u32, dp_hits);"], table["dp_hits"]
    out = run("DECLARE_PER_CPU(u32, dp_hits);\nDEFINE_PER_CPU(u32, dp_hits);\nlong f(u64 fn, struct tdx_module_args "
              "*args)\n{\n\tthis_cpu_inc(dp_hits);\n\treturn this_cpu_read(dp_hits);\n}\n")
    assert (out.status, out.ret) == ("ok", 1), out.error


BOTH = """\
DECLARE_PER_CPU(u32, dp_hits);
DECLARE_PER_CPU(u64, dp_last);
DEFINE_PER_CPU(u32, dp_hits);
DEFINE_PER_CPU(u64, dp_last);

static long long busy(u64 fn, struct tdx_module_args *args)
{
	u64 r;

	this_cpu_add(dp_hits, 3);
	r = __seamcall(fn, args);
	if (r)
		this_cpu_write(dp_last, r);
	return this_cpu_read(dp_hits) * 10 + (this_cpu_read(dp_last) & 0xff);
}
"""


def test_declared_and_defined_per_cpu_variables_run_as_gcc_runs_them(tmp_path: Path) -> None:
    agrees_with_gcc(tmp_path, "dp", "demo/dp.h", BOTH, 0x8000020300000042, (30, 96))


# A header's declarations of objects another file defines (DECLARE_PER_CPU(), extern), used by code the run takes
# (a write, which the mirror runs) or not at all: the native library, built of the text or of the mirror's
# expansion, has no definition of them, and it did not load (every scenario a spurious disagreement, "native run
# exited with status 1"); the native build gives each an object, as the file that defines it would.
ONLY_DECLARED = """\
DECLARE_PER_CPU(u64, dp_last);
extern u64 dp_total;

static long long busy(u64 fn, struct tdx_module_args *args)
{
	u64 r = __seamcall(fn, args);

	this_cpu_write(dp_last, r);
	if (r == 0x8000000000000001ULL)
		dp_total = r;
	return (long long)(r & 0xff);
}
"""


def test_objects_only_declared_are_defined_in_the_native_builds(tmp_path: Path) -> None:
    from harness.crosscheck import crosscheck_result
    from models.native.run import find_compiler

    result = agrees_with_gcc(tmp_path, "dp", "demo/dp.h", ONLY_DECLARED, 0x8000020300000042, (0, 0x42))
    mirror = crosscheck_result(result, find_compiler(None), source="mirror")
    assert mirror.disagreements == [] and mirror.compared["dp"] == 2, [d.divergence for d in mirror.disagreements]

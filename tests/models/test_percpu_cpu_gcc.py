"""A matrix script's ``cpu``: the run is on that CPU, against gcc.

A matrix script's ``cpu``: the run is on that CPU (``smp_processor_id()``, ``raw_smp_processor_id()``), its own
copy of a per-CPU variable is the variable (``per_cpu(x, cpu)`` of it too), another CPU's copy is refused; the
mirror's outcomes pinned to gcc's."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.crosscheck import ORIGINAL, crosscheck_result
from harness.errors import InputError
from harness.filestate import full_file
from harness.matrix import load_matrix
from harness.matrixresult import MatrixResult
from harness.runner import MatrixRequest, run_matrix
from harness.variants import Variant
from models.native.run import find_compiler

PCPU_H = """\
struct sl_stat { u64 calls; int last; };
static DEFINE_PER_CPU(struct sl_stat, sl_stats);
static DEFINE_PER_CPU(u32, sl_hits);

static long long busy(u64 fn, struct tdx_module_args *args)
{
	struct sl_stat *st;
	u64 ret;
	int cpu;

	preempt_disable();
	cpu = smp_processor_id();
	this_cpu_inc(sl_hits);
	st = per_cpu_ptr(&sl_stats, cpu);
	st->calls++;
	st->last = cpu;
	ret = __seamcall(fn, args);
	per_cpu(sl_hits, cpu) += 10;
	pr_info("cpu %d hits %u last %d\\n", raw_smp_processor_id(), this_cpu_read(sl_hits),
		this_cpu_ptr(&sl_stats)->last);
	preempt_enable();
	return cpu * 1000 + this_cpu_read(sl_hits) + (ret & 0xff) * 100000;
}

static int third(u64 fn, struct tdx_module_args *args)
{
	u32 *p = per_cpu_ptr(&sl_hits, 3);

	*p += (u32)__seamcall(fn, args);
	return *p + smp_processor_id() * 10;
}
"""

MATRIX = """\
[codes]
OK = 0
BIG = 0x42
[leaves]
ONE = 1
[[unit]]
name = "demo.c"
path = "demo/demo.c"
[[entry]]
name = "busy"
[[entry]]
name = "third"
[[script]]
name = "ok"
answers = ["OK"]
[[script]]
name = "on3"
answers = ["BIG"]
cpu = 3
"""


def _result(tmp_path: Path) -> MatrixResult:
    v = Variant("pc", "pc", (full_file("demo/pc.h", PCPU_H, "test"),), (), (), (), "t")
    (tmp_path / "m.toml").write_text(MATRIX)
    return run_matrix(MatrixRequest((v,), load_matrix(tmp_path / "m.toml"), jobs=1))


def test_a_script_chooses_the_cpu_a_run_is_on_as_gcc_runs_it(tmp_path: Path) -> None:
    result = _result(tmp_path)
    on0, on3 = (result.outcome("pc", f"busy/ONE/{s}/demo.c") for s in ("ok", "on3"))
    assert (on0.ret, on3.ret) == (11, 6603011), (on0.error, on3.error)  # gcc's
    assert [x.text for x in on3.log] == ["cpu 3 hits 11 last 3"]
    # another CPU's copy: refused on CPU 0, the run's own on CPU 3
    third0, third3 = (result.outcome("pc", f"third/ONE/{s}/demo.c") for s in ("ok", "on3"))
    assert third0.status == "error" and "per-CPU data of CPU 3: the run is on CPU 0" in (third0.error or "")
    assert third3.ret == 0x42 + 30, third3.error
    for source in (ORIGINAL, "mirror"):
        r = crosscheck_result(result, find_compiler(None), source=source)
        assert r.disagreements == [], (source, [d.divergence for d in r.disagreements])
        assert (r.raw_compared if source == ORIGINAL else r.compared)["pc"] == 3, source


@pytest.mark.parametrize("cpu", ["-1", "8192", '"3"'])
def test_a_cpu_that_is_no_cpu_number_is_refused_with_the_line(tmp_path: Path, cpu: str) -> None:
    (tmp_path / "m.toml").write_text(MATRIX.replace("cpu = 3", f"cpu = {cpu}"))
    with pytest.raises(InputError) as err:
        load_matrix(tmp_path / "m.toml")
    assert "m.toml:" in str(err.value) and "cpu" in str(err.value), err.value

"""A script's cpu_has and cpu_lacks give the CPU bits boot_cpu_has() and its kin find, as gcc's build runs them.

A matrix script's ``cpu_has`` and ``cpu_lacks``: the CPU feature and bug bits boot_cpu_has(), cpu_feature_enabled(),
static_cpu_has(), this_cpu_has() and the _bug forms find (arch/x86/include/asm/cpufeature.h). Each was refused as a
bit no scenario gives, so code such as ``if (!boot_cpu_has(X86_FEATURE_TDX_HOST_PLATFORM)) return -ENODEV;`` never
ran past it. A bit the script does not give, or an argument that is no feature's name as written, is still refused at
its line. The oracle is the native build of the same text (the crosscheck's, from the text and from the mirror's
expansion) run with the same script."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.crosscheck import ORIGINAL, crosscheck_result
from harness.errors import InputError
from harness.matrix import load_matrix
from models.native.run import find_compiler
from tests.models.cdiff import classify, mirror_result, native_outcomes
from tests.models.cprog import line_of, run

PROGRAM = r"""
#define CF_HAS(f) boot_cpu_has(f)

long long cf_probe(u64 fn, struct tdx_module_args *args)
{
	long long x = 0;

	if (!boot_cpu_has(X86_FEATURE_TDX_HOST_PLATFORM))
		return -ENODEV;
	x = x * 2 + cpu_feature_enabled(X86_FEATURE_VMX);
	x = x * 2 + static_cpu_has(X86_FEATURE_VMX);
	x = x * 2 + this_cpu_has(X86_FEATURE_VMX);
	x = x * 2 + CF_HAS(X86_FEATURE_VMX);
	x = x * 2 + boot_cpu_has_bug(X86_BUG_TDX_PW_MCE);
	x = x * 2 + static_cpu_has_bug(X86_BUG_TDX_PW_MCE);
	x = x * 16 + sizeof(boot_cpu_has(X86_FEATURE_VMX));
	x = x * 2 + (boot_cpu_has(X86_FEATURE_VMX) - 1 < 0);
	if (boot_cpu_has_bug(X86_BUG_TDX_PW_MCE))
		pr_warn("erratum: %lld\n", x);
	return x * 16 + (__seamcall(fn, args) & 0xf);
}

long long cf_by_value(u64 fn, struct tdx_module_args *args)
{
	int feature = 4 * 32 + 5;  /* X86_FEATURE_VMX, by its number */

	return boot_cpu_has(feature);
}
"""
HAS = '["OK"]\ncpu_has = ["X86_FEATURE_TDX_HOST_PLATFORM", "X86_FEATURE_VMX", "X86_BUG_TDX_PW_MCE"]'
LACKS_VMX = '["OK"]\ncpu_has = ["X86_FEATURE_TDX_HOST_PLATFORM"]\ncpu_lacks = ["X86_FEATURE_VMX", "X86_BUG_TDX_PW_MCE"]'
NO_TDX = '["OK"]\ncpu_lacks = ["X86_FEATURE_TDX_HOST_PLATFORM"]'
SCRIPTS = {"has": HAS, "lacks-vmx": LACKS_VMX, "no-tdx": NO_TDX, "unsaid": '["OK"]'}


def test_the_scripts_bits_are_what_the_tests_find() -> None:
    def ret(features: tuple[tuple[str, bool], ...]) -> int | None:
        out = run(PROGRAM, "cf_probe", features=features)
        assert out.status == "ok", out.error
        return out.ret

    tdx, vmx, bug = "X86_FEATURE_TDX_HOST_PLATFORM", "X86_FEATURE_VMX", "X86_BUG_TDX_PW_MCE"
    # int, as cpu_has()'s ?: of 1 and test_cpu_cap() is, so never below 0 less 1 but where it is 0
    assert ret(((tdx, True), (vmx, True), (bug, True))) == ((0b111111 * 16 + 4) * 2 + 0) * 16
    assert ret(((tdx, True), (vmx, False), (bug, False))) == ((0 * 16 + 4) * 2 + 1) * 16
    assert ret(((tdx, False),)) == -19  # -ENODEV: nothing else tested, so nothing else needed


def test_a_bit_the_script_does_not_give_is_refused_at_its_line() -> None:
    out = run(PROGRAM, "cf_probe", features=(("X86_FEATURE_TDX_HOST_PLATFORM", True),))
    assert (out.status, str(out.error_kind)) == ("error", "unsupported")
    at = line_of(PROGRAM, "cpu_feature_enabled(")
    assert f"prog.c:{at}: cpu_feature_enabled(X86_FEATURE_VMX) tells whether the CPU has X86_FEATURE_VMX, which the " \
           "run's script does not say: give it in the script's cpu_has or cpu_lacks" in (out.error or ""), out.error
    out = run(PROGRAM, "cf_by_value", features=(("X86_FEATURE_VMX", True),))
    at = line_of(PROGRAM, "has(feature)")
    assert f"prog.c:{at}: boot_cpu_has(feature): not an X86_FEATURE_* or X86_BUG_* name" in (out.error or ""), out.error


@pytest.mark.skipif(find_compiler(None) is None, reason="no C compiler")
def test_the_native_build_finds_the_same_bits(tmp_path: Path) -> None:
    v, result = mirror_result(PROGRAM, ["cf_probe"], SCRIPTS, tmp_path)
    natives, refused, state = native_outcomes(v, result, find_compiler(None), tmp_path)
    assert not refused, refused
    rets = {}
    for s in result.matrix.scenarios:
        mine = result.outcome(v.name, s.id)
        if s.script.name == "unsaid":
            assert (mine.status, str(mine.error_kind)) == ("error", "unsupported"), mine.error
            continue
        rets[s.script.name] = mine.ret
        assert classify(mine, natives[s.id], None, state) == ("agree", ""), s.id
    assert len(set(rets.values())) == 3, rets  # each script's bits give their own value
    for source in (ORIGINAL, "mirror"):
        r = crosscheck_result(result, find_compiler(None), source=source)
        assert (r.compared[v.name], r.agreed[v.name], r.disagreements) == (3, 3, []), (source, r.not_compared)


@pytest.mark.parametrize(("keys", "line", "says"), [
    ('cpu_has = ["VMX"]', 12, "script s: cpu_has: 'VMX' is not a CPU feature's or bug's name"),
    ('cpu_lacks = ["X86_FEATURE_VMX", 3]', 12, "'script.cpu_lacks' must be a string, not an integer (3)"),
    ('cpu_has = ["X86_FEATURE_VMX"]\ncpu_lacks = ["X86_FEATURE_VMX"]', 13,
     "script s: X86_FEATURE_VMX is given twice (in cpu_has and cpu_lacks)"),
])
def test_a_bit_no_kernel_names_is_refused_at_its_line(tmp_path: Path, keys: str, line: int, says: str) -> None:
    path = tmp_path / "m.toml"
    path.write_text('[codes]\nOK = 0\n[leaves]\nONE = 1\n[[unit]]\nname = "d.c"\n[[entry]]\nname = "f"\n'
                    f'[[script]]\nname = "s"\nanswers = ["OK"]\n{keys}\n')
    with pytest.raises(InputError) as e:
        load_matrix(path)
    assert str(e.value).startswith(f"{path}:{line}: {says}"), str(e.value)

"""A script's static_keys_on and static_keys_off (models.statickeys start_key) against gcc's build of the same text.

The runs start with each key the script names at count 1 (on) or 0 (off), the others as their DEFINE_ macro says;
what the code does to a key then is the run's. The oracle is the native build (the crosscheck's, from the text and
from the mirror's AST), which sets the same counts through sh_static_key() before the run."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.crosscheck import ORIGINAL, crosscheck_result
from harness.errors import InputError
from harness.matrix import load_matrix
from harness.scriptenv import env_text
from models.native.run import find_compiler
from tests.models.cdiff import classify, mirror_result, native_outcomes
from tests.models.cprog import run

PROGRAM = r"""
static DEFINE_STATIC_KEY_FALSE(sk_off);
DEFINE_STATIC_KEY_TRUE(sk_on);
static struct static_key sk_plain = STATIC_KEY_INIT_FALSE;

long long sk_probe(u64 fn, struct tdx_module_args *args)
{
	long long x = 0;

	x = x * 2 + static_branch_unlikely(&sk_off);
	x = x * 2 + static_branch_likely(&sk_on);
	x = x * 2 + static_key_enabled(&sk_plain);
	static_branch_enable(&sk_off);
	x = x * 4 + static_key_count(&sk_off.key);
	static_branch_inc(&sk_on);
	x = x * 4 + static_key_count(&sk_on.key);
	return x * 16 + (__seamcall(fn, args) & 0xf);
}
"""
ALL = ("sk_off", "sk_on", "sk_plain")
SCRIPTS = {"as-defined": '["OK"]', "all-on": '["OK"]\nstatic_keys_on = ["sk_off", "sk_on", "sk_plain"]',
           "all-off": '["OK"]\nstatic_keys_off = ["sk_off", "sk_on", "sk_plain"]'}


@pytest.mark.parametrize(("keys", "want"), [
    ((), (2 * 4 + 1) * 4 + 2),  # as defined: off, on, off; enable 0 -> 1; inc 1 -> 2
    (tuple((k, True) for k in ALL), (7 * 4 + 1) * 4 + 2),  # all on: enable leaves 1; inc 1 -> 2
    (tuple((k, False) for k in ALL), (0 * 4 + 1) * 4 + 1),  # all off: enable 0 -> 1; inc 0 -> 1
    ((("sk_on", False),), (0 * 4 + 1) * 4 + 1),  # one key named: the others as defined
], ids=["as-defined", "all-on", "all-off", "one"])
def test_a_run_starts_with_the_keys_the_script_sets(keys: tuple[tuple[str, bool], ...], want: int) -> None:
    out = run(PROGRAM, "sk_probe", features=keys)
    assert out.status == "ok", out.error
    assert out.ret == want * 16


@pytest.mark.skipif(find_compiler(None) is None, reason="no C compiler")
def test_the_native_build_starts_with_the_same_keys(tmp_path: Path) -> None:
    v, result = mirror_result(PROGRAM, ["sk_probe"], SCRIPTS, tmp_path)
    natives, refused, state = native_outcomes(v, result, find_compiler(None), tmp_path)
    assert not refused, refused
    rets = {}
    for s in result.matrix.scenarios:
        mine = result.outcome(v.name, s.id)
        rets[s.script.name] = mine.ret
        assert classify(mine, natives[s.id], None, state) == ("agree", ""), s.id
    assert rets == {"as-defined": 38 * 16, "all-on": 118 * 16, "all-off": 5 * 16}, rets
    for source in (ORIGINAL, "mirror"):
        r = crosscheck_result(result, find_compiler(None), source=source)
        assert (r.compared[v.name], r.agreed[v.name], r.disagreements) == (3, 3, []), (source, r.not_compared)


@pytest.mark.parametrize(("keys", "line", "says"), [
    ('static_keys_on = ["sk-off"]', 12, "script s: static_keys_on: 'sk-off' is not a static key's name"),
    ('static_keys_off = ["X86_FEATURE_VMX"]', 12, "script s: static_keys_off: 'X86_FEATURE_VMX' is not a static key"),
    ('static_keys_on = ["sk_off"]\nstatic_keys_off = ["sk_off"]', 13,
     "script s: sk_off is given twice (in static_keys_on and static_keys_off)"),
])
def test_a_key_no_c_code_can_name_is_refused_at_its_line(tmp_path: Path, keys: str, line: int, says: str) -> None:
    path = tmp_path / "m.toml"
    path.write_text('[codes]\nOK = 0\n[leaves]\nONE = 1\n[[unit]]\nname = "d.c"\n[[entry]]\nname = "f"\n'
                    f'[[script]]\nname = "s"\nanswers = ["OK"]\n{keys}\n')
    with pytest.raises(InputError) as e:
        load_matrix(path)
    assert str(e.value).startswith(f"{path}:{line}: {says}"), str(e.value)


def test_the_script_text_says_the_keys() -> None:
    said = env_text("task", (("X86_FEATURE_VMX", True), ("sk_on", False)))
    assert said == "; has X86_FEATURE_VMX, static key sk_on off"


QUIET = r"""
#define SK_T(n) unsigned n /* a type the file's own macro writes: the matrix's check leaves it to the mirror */
static SK_T(long) sk_quiet;
static DEFINE_STATIC_KEY_FALSE(sk_off);

long long sk_probe(u64 fn, struct tdx_module_args *args)
{
	return sk_quiet * 4 + static_branch_unlikely(&sk_off) * 2 + (__seamcall(fn, args) & 1);
}
"""


@pytest.mark.parametrize(("keys", "status"), [
    ((), "ok"), ((("sk_off", True),), "ok"),
    ((("sk_quiet", True),), "error"), ((("sk_quiet", False),), "error"),
], ids=["none", "a-key", "no-key-on", "no-key-off"])
def test_a_run_reading_an_object_the_script_names_but_no_key_is_refused(keys: tuple[tuple[str, bool], ...],
                                                                       status: str) -> None:
    # Before: the run read sk_quiet as 0 and said nothing of the script's word (a macro of the file's own hides
    # its type from the check at the matrix's line, harness.scriptkeys.key_defined, so the mirror says it).
    out = run(QUIET, "sk_probe", features=keys)
    assert out.status == status, out.error
    if status == "error":
        assert f"test/prog.c:3: the run's script turns sk_quiet {'on' if keys[0][1] else 'off'}" in str(out.error)
        assert "sk_quiet is no static key" in str(out.error)
    else:
        assert out.ret == (2 if keys else 0)


@pytest.mark.skipif(find_compiler(None) is None, reason="no C compiler")
def test_a_refused_run_is_not_compared_with_gcc(tmp_path: Path) -> None:
    scripts = {"keyed": '["OK"]\nstatic_keys_on = ["sk_off"]', "quiet": '["OK"]\nstatic_keys_on = ["sk_quiet"]'}
    v, result = mirror_result(QUIET, ["sk_probe"], scripts, tmp_path)
    r = crosscheck_result(result, find_compiler(None), source=ORIGINAL)
    assert (r.compared[v.name], r.agreed[v.name], r.disagreements) == (1, 1, []), r.not_compared


SPELLED = r"""
typedef struct static_key_false sk_key_t;
static sk_key_t sk_typed = STATIC_KEY_FALSE_INIT;
static struct static_key_false sk_first, sk_listed = STATIC_KEY_FALSE_INIT;

long long sk_probe(u64 fn, struct tdx_module_args *args)
{
	return static_branch_unlikely(&sk_typed) * 4 + static_branch_unlikely(&sk_listed) * 2 + (__seamcall(fn, args) & 1);
}
"""


@pytest.mark.skipif(find_compiler(None) is None, reason="no C compiler")
def test_a_key_through_a_typedef_or_in_a_declarator_list_is_set_as_gcc_sets_it(tmp_path: Path) -> None:
    # The check at the matrix's line reads the typedef and the list's specifiers (harness.scriptkeys.key_defined:
    # True), and the runs start with the count the script says, as gcc's build of the same text does.
    scripts = {"typed": '["OK"]\nstatic_keys_on = ["sk_typed"]', "listed": '["OK"]\nstatic_keys_on = ["sk_listed"]',
               "none": '["OK"]\nstatic_keys_off = ["sk_typed", "sk_listed"]'}
    v, result = mirror_result(SPELLED, ["sk_probe"], scripts, tmp_path)
    assert {s.script.name: result.outcome(v.name, s.id).ret for s in result.matrix.scenarios} == \
        {"typed": 4, "listed": 2, "none": 0}
    for source in (ORIGINAL, "mirror"):
        r = crosscheck_result(result, find_compiler(None), source=source)
        assert (r.compared[v.name], r.agreed[v.name], r.disagreements) == (3, 3, []), (source, r.not_compared)

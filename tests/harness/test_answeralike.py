"""sc_retry()'s answer kept in ``long``/``s64`` for ``u64``, against gcc: alike where every use reads its bits alone.

The gate cases turn sc_retry() of the same test from ``u64 err`` into another declaration (harness.answeralike): gcc's
build of both makes the same SEAMCALLs and prints the same text for every answer, and the equivalence rules pass
(INCONCLUSIVE before: 'reads a name whose value changed: err ... not worked out'). Twins whose signedness changes
what gcc computes (``err < 0``, ``err >> 63``, a division) never pass. The unit cases read bits_alike on parsed C."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from types import SimpleNamespace

import pytest
from pycparser import c_ast, c_parser

from harness.answeralike import _constants, bits_alike
from harness.gate import GateRequest, evaluate_gate
from tests.harness.seriesgen import PREAMBLE, PRINTERS, RETRY_BY_LEAF, RETRY_SAFE, TAIL, preparing_series
from tests.harness.test_counter_types import _ORACLE
from tests.harness.test_unseen_retry_shapes import FAIL, MASKED, NAK, PASS, UNCHANGED, UNSURE, gate
from tests.mailgen import write_mbox

TEST = "err != TDX_RND_NO_ENTROPY || !--left"
DECL = "\tu64 err;\n"
_LASTS = "0, 0x1234, TDX_RND_NO_ENTROPY + 1, 0x8000000000030001ULL, 0xffffffffffffffffULL, 0x7fffffffffffffffULL"


IF = "\t\tif (err != TDX_RND_NO_ENTROPY || !--left)\n\t\t\tbreak;\n"
SWITCH = "\t\tswitch (err) {\n\t\tcase TDX_RND_NO_ENTROPY:\n\t\t\tif (--left)\n\t\t\t\tcontinue;\n\t\t\tbreak;\n" \
    "\t\tdefault:\n\t\t\tbreak;\n\t\t}\n\t\tbreak;\n"


def _form(test: str, decl: str = "u64") -> str:
    """RETRY_SAFE with the exit test ``test`` (the ``if``'s condition, or SWITCH for the ``if``) and ``err``
    declared ``decl``."""
    assert TEST in RETRY_SAFE and DECL in RETRY_SAFE and IF in RETRY_SAFE
    loop = RETRY_SAFE.replace(IF, SWITCH) if test == SWITCH else RETRY_SAFE.replace(TEST, test)
    return loop.replace(DECL, f"\t{decl} err;\n")


def _gcc_runs(tmp_path: Path, loop: str, call: str = "sc_retry") -> str:
    """The SEAMCALLs gcc's build of ``loop`` makes, and what it prints as sc_retry_prerr() does, when the first k
    answers are 'no entropy' (k = 0 to 12), then each answer of _LASTS; ``call`` the function run."""
    if shutil.which("gcc") is None:
        pytest.skip("gcc (the C oracle) is not installed")
    src, exe = tmp_path / "oracle.c", tmp_path / "oracle"
    main = (f"int main(void)\n{{\n\tstatic const u64 lasts[] = {{ {_LASTS} }};\n"
            "\tfor (int i = 0; i < 6; i++)\n\t\tfor (busy = 0; busy <= 12; busy++) {\n\t\t\tcalls = 0;\n"
            f"\t\t\tlast = lasts[i];\n\t\t\tu64 ret = {call}(answer, 1, 0);\n\t\t\tprintf(\"%d \", calls);\n"
            "\t\t\tif (ret)\n\t\t\t\tprintf(\"SEAMCALL (%llu) failed: %#016llx\\n\", 1ULL, ret);\n"
            "\t\t}\n\treturn 0;\n}\n")
    types = "typedef long long s64;\n#define TDX_SEAMCALL_STATUS_MASK 0xFFFFFFFF00000000ULL\n" \
        "#define TDX_SUCCESS 0ULL\n#define EIO 5\n#define pr_err(...) printf(__VA_ARGS__)\n#define unlikely(x) (x)\n" \
        "#define SEAMLDR_LEAF_BIT (1ULL << 63)\n"
    src.write_text(_ORACLE + types + loop + main)
    subprocess.run(["gcc", "-O1", "-funsigned-char", "-w", "-o", str(exe), str(src)], check=True)
    return subprocess.run([str(exe)], check=True, capture_output=True, text=True).stdout


GATE_CASES = {
    # gcc alike, every use of 'err' read as its bits: INCONCLUSIVE before.
    "long": (TEST, "long", PASS),
    "s64": (TEST, "s64", PASS),
    "long long": (TEST, "long long", PASS),
    "masked": (f"{MASKED} != TDX_RND_NO_ENTROPY || !--left", "long", PASS),
    "truth test and -1": ("!err || err == -1 || err != TDX_RND_NO_ENTROPY || !--left", "s64", PASS),
    "cast": ("(u64)err != TDX_RND_NO_ENTROPY || !--left", "long", PASS),
    "switch": (SWITCH, "long", PASS),
    # Twins: signedness changes what gcc computes. Never a pass.
    "err < 0": ("!(err < 0) || !--left", "long", FAIL),
    "err >> 63": ("(err >> 63) != 1 || !--left", "s64", FAIL),
    "division": ("err / 2 != TDX_RND_NO_ENTROPY / 2 || !--left", "long", FAIL),
    # gcc alike, read as bits since (h579): INCONCLUSIVE before.
    "shift as a truth test": ("!(err >> 63) || !--left", "long", PASS),
    "shift compared with 0": ("(err >> 40) == 0 || !--left", "s64", PASS),
    "~err": ("~err != ~TDX_RND_NO_ENTROPY || !--left", "long", PASS),
    "err | 1": ("(err | 1) != (TDX_RND_NO_ENTROPY | 1) || !--left", "long", PASS),
    "err ^ C": ("(err ^ TDX_RND_NO_ENTROPY) || !--left", "s64", PASS),
    # Twins: the sign comes back (the shift read otherwise, a complement ordered). Never a pass.
    "shifted kept": ("(err >> 32) != 0x80000203 || !--left", "long", FAIL),
    "~err ordered": ("~err > 0 || !--left", "long", FAIL),
    # gcc alike, the shift masked to the bits it brought down (INCONCLUSIVE before h591).
    "shift masked": ("((err >> 63) & 1) == 0 || !--left", "long", PASS),
    "shift masked, 1ULL": ("!((err >> 63) & 1ULL) || !--left", "s64", PASS),
    "shift masked, two bits": ("((err >> 62) & 2) == 0 || !--left", "long", PASS),
    # Twins: the mask keeps a copy of the sign. Never a pass.
    "shift masked to a sign copy": ("((err >> 62) & 4) == 0 || !--left", "long", FAIL),
    # gcc alike, the masked value ordered against a constant not negative, a mask of -1 tested for zero (it keeps
    # the sign brought down): INCONCLUSIVE before h604.
    "shift masked, ordered": ("((err >> 63) & 1) < 1 || !--left", "long", PASS),
    "shift masked, ordered, 1ULL": ("((err >> 63) & 1) >= 1ULL || ((err >> 62) & 3) <= 0 || !--left", "s64", PASS),
    "shift masked with -1": ("((err >> 63) & -1) == 0 || !--left", "long", PASS),
    # Twins: ordered against -1 (true unsigned, false signed), the -1 mask's value read (1 or -1). Never a pass.
    "shift masked, ordered against -1": ("((err >> 63) & 1) < -1 || !--left", "long", FAIL),
    "shift masked with -1, read": ("((err >> 63) & -1) != 1 || !--left", "long", FAIL),
}


@pytest.mark.parametrize("name", list(GATE_CASES))
def test_an_answer_in_another_64_bit_type_is_judged_as_gcc_runs_it(tmp_path: Path, name: str) -> None:
    test, decl, want = GATE_CASES[name]
    before, after = _form(test), _form(test, decl)
    alike = _gcc_runs(tmp_path, before) == _gcc_runs(tmp_path, after)
    assert alike is (want is not FAIL), name  # gcc: the same calls and text for every answer, but the twins'
    assert "SEAMCALL (1) failed: 0x8000020300000000" in _gcc_runs(tmp_path, after)  # the oracle printed
    found = gate(tmp_path, before, after)
    got = {rule: found[rule][0] for rule in (UNCHANGED, NAK)}
    assert got == {UNCHANGED: want, NAK: want}, {r: found[r] for r in (UNCHANGED, NAK)}
    if want is UNSURE:
        assert all("reads a name whose value changed: err" in found[r][1] for r in (UNCHANGED, NAK)), found


ENUM = "enum sc_code {{ SC_NOENT = {} }};\n\n"
CONST = "static const {} sc_noent = {};\n\n"
NO_ENTROPY = "TDX_RND_NO_ENTROPY"
PRINTED = "\t\tpreempt_enable();\n"
NAMED_CASES = {
    # The code retried named by an enumerator or a const of file scope of the same value on both sides, or the
    # answer printed ('...' of pr_err()): INCONCLUSIVE before.
    "enumerator": (ENUM.format(NO_ENTROPY), ENUM.format(NO_ENTROPY), "SC_NOENT", "long", PASS),
    "const": (CONST.format("u64", NO_ENTROPY), CONST.format("u64", NO_ENTROPY), "sc_noent", "s64", PASS),
    "printed": ("", "", "pr_err(\"%llx %llu\\n\", err, 1ULL);\n", "long", PASS),
    # Twins: the value changed with the type, a const of 128 bits (the answer sign-extended to it), the answer
    # printed shifted (gcc: other codes retried, other text). The runs show them (the calls made alike where only
    # the text differs: not said to be unchanged, the shifted value read otherwise not worked out).
    "enumerator changed": (ENUM.format(NO_ENTROPY), ENUM.format(NO_ENTROPY + " + 1"), "SC_NOENT", "long", FAIL),
    "const of 128 bits": (CONST.format("unsigned __int128", NO_ENTROPY), CONST.format("unsigned __int128", NO_ENTROPY),
                          "sc_noent", "long", FAIL),
    "printed shifted": ("", "", "pr_err(\"%lld\\n\", err >> 1);\n", "long", (UNSURE, FAIL)),
}


@pytest.mark.parametrize("name", list(NAMED_CASES))
def test_a_named_constant_or_a_printed_answer_is_judged_as_gcc_runs_it(tmp_path: Path, name: str) -> None:
    head_a, head_b, named, decl, want = NAMED_CASES[name]
    if named.startswith("pr_err"):
        before = _form(TEST).replace(PRINTED, PRINTED + "\t\t" + named)
        after = _form(TEST, decl).replace(PRINTED, PRINTED + "\t\t" + named)
    else:
        before, after = head_a + _form(TEST.replace(NO_ENTROPY, named)), head_b + _form(TEST.replace(NO_ENTROPY, named),
                                                                                        decl)
    assert before != after
    assert (_gcc_runs(tmp_path, before) == _gcc_runs(tmp_path, after)) is (want is PASS), name
    found = gate(tmp_path, before, after)
    unchanged, nak = want if isinstance(want, tuple) else (want, want)
    assert {rule: found[rule][0] for rule in (UNCHANGED, NAK)} == {UNCHANGED: unchanged, NAK: nak}, found


TD = "typedef u64 sc_err_t;\n"
WIDE = "typedef unsigned __int128 sc_err_t;\n"
NARROW = "typedef unsigned int sc_err_t;\n"
TD_CONST = "static const sc_err_t sc_noent = TDX_RND_NO_ENTROPY;\n\n"
MASK = "((err >> 63) & SC_SIGN) == 0 || !--left"
FILES_CASES = {
    # A mask or a constant a name of the files gives (a macro, an enumerator, a const), a typedef of the files' in a
    # cast or a const's declaration: gcc alike, INCONCLUSIVE before h604.
    "mask by a macro": ("#define SC_SIGN 1\n\n",) * 2 + (MASK, PASS),
    "mask by an enumerator": ("enum { SC_SIGN = 1 };\n\n",) * 2 + (MASK, PASS),
    "mask by a const": ("static const u64 SC_SIGN = 1;\n\n",) * 2 + (MASK, PASS),
    "cast to a typedef": (TD,) * 2 + ("err != (sc_err_t)TDX_RND_NO_ENTROPY || !--left", PASS),
    "const of a typedef": (TD + TD_CONST,) * 2 + ("err != sc_noent || !--left", PASS),
    "const of a 32-bit typedef": (NARROW + TD_CONST,) * 2 + ("err != sc_noent || !--left", PASS),
    "shift by an enumerator": ("enum { SC_SIGN_AT = 63 };\n\n",) * 2 + ("!(err >> SC_SIGN_AT) || !--left", PASS),
    "shift by a const, masked": ("static const int sc_at = 63;\n\n",) * 2 + ("((err >> sc_at) & 1) == 0 || !--left",
                                                                             PASS),
    # Twins gcc runs apart: the mask keeping a sign copy, a cast to a typedef of 128 bits (the answer sign-extended
    # to it), the const's typedef made 32 bits (the code truncated). Never a pass.
    "mask by a const keeping a sign copy": ("static const u64 SC_SIGN = 4;\n\n",) * 2 + (MASK.replace("63", "62"),
                                                                                        FAIL),
    "cast to a typedef of 128 bits": (WIDE,) * 2 + ("err != (sc_err_t)TDX_RND_NO_ENTROPY || !--left", FAIL),
    "const of a typedef made 32 bits": (TD + TD_CONST, NARROW + TD_CONST, "err != sc_noent || !--left", FAIL),
    "shift by an enumerator, a sign copy kept": ("enum { SC_SIGN_AT = 62 };\n\n",) * 2 + (
        "((err >> SC_SIGN_AT) & 4) == 0 || !--left", FAIL),
}


@pytest.mark.parametrize("name", list(FILES_CASES))
def test_a_mask_constant_or_cast_the_files_name_is_judged_as_gcc_runs_it(tmp_path: Path, name: str) -> None:
    head_a, head_b, test, want = FILES_CASES[name]
    before, after = head_a + _form(test), head_b + _form(test, "long")
    assert (_gcc_runs(tmp_path, before) == _gcc_runs(tmp_path, after)) is (want is PASS), name
    found = gate(tmp_path, before, after)
    assert {rule: found[rule][0] for rule in (UNCHANGED, NAK)} == {UNCHANGED: want, NAK: want}, found


_TYPES = "typedef unsigned long long u64;\ntypedef long long s64;\ntypedef unsigned int u32;\nu64 op(void);\n" \
    "u64 use(u64 v);\nstruct s { int err; };\n"


def _func(body: str, decl: str, ret: str = "u64", param: str | None = None) -> c_ast.FuncDef:
    args = "void" if param is None else f"{param} v"
    ast = c_parser.CParser().parse(_TYPES + f"{ret} f({args})\n{{\n\t{decl} err;\n{body}}}\n")
    found = ast.ext[-1]
    assert isinstance(found, c_ast.FuncDef)
    return found


def _alike(body: str, decl: str = "long", ret: str = "u64", other: str | None = None) -> bool:
    return bits_alike(_func(body, "u64", ret), _func(body if other is None else other, decl, ret),
                      frozenset({"err"}))


@pytest.mark.parametrize("body", [
    "\terr = op();\n\tif (err == 0x8000020300000000ULL)\n\t\treturn 1;\n\treturn err;\n",
    "\terr = op();\n\treturn (err & 0xFFFFFFFF00000000ULL) != 0 ? 2 : 3;\n",
    "\twhile ((err = op()) != -1)\n\t\t;\n\treturn !err;\n",
    "\terr = op();\n\treturn (u32)err == 5 && err;\n",
    "\tif (err = op())\n\t\treturn 0;\n\treturn (err & 3) & 1;\n",
    "\tstruct s x = { 0 };\n\terr = 4;\n\treturn x.err + (err != 'a');\n",
    "\terr = op();\n\tswitch (err) {\n\tcase 0x8000020300000000ULL:\n\t\treturn 1;\n\tcase -1:\n\t\treturn 2;\n\t}\n"
    "\treturn 0;\n",
    "\terr = op();\n\treturn ((err >> 62) & 3) == 2 || (1 & (err >> 40)) != 0 || (err >> 0) & 0xff;\n",
    "\terr = op();\n\treturn (err >> 63) & 1;\n",  # 0 or 1 on both sides, returned as that
    "\terr = op();\n\treturn ((err >> 63) & 1) < 1 || ((err >> 62) & 3) >= 2U || 0 < ((err >> 40) & 0xff);\n",
    "\terr = op();\n\treturn (err & 0xff) < 3 || (0x7fffffffffffffff & err) > 0x10ULL;\n",  # below 2^63, ordered
    "\terr = op();\n\treturn ((err >> 63) & -1) == 0 || !((err >> 62) & 6) || ((err >> 63) & ~0U) != 0;\n",
])
def test_uses_read_as_bits_are_alike(body: str) -> None:
    assert _alike(body)
    assert _alike(body, "s64") and _alike(body, "u64") and _alike(body, "long long")


@pytest.mark.parametrize("body", [
    "\terr = op();\n\treturn err < 0;\n",
    "\terr = op();\n\treturn err >> 63;\n",
    "\terr = op();\n\treturn err / 2 == 1;\n",
    "\terr = op();\n\treturn use(err);\n",
    "\terr = op();\n\terr += 1;\n\treturn err;\n",
    "\terr = op();\n\treturn err == 9223372036854775808;\n",  # gcc's __int128 constant: extended by err's sign
    "\tu64 *p = &err;\n\t*p = op();\n\treturn err;\n",
    "\tu64 y;\n\terr = op();\n\ty = err;\n\treturn y;\n",
    "\terr = op();\n\treturn (err & 4) >> 1;\n",
    "\terr = op();\n\treturn err == op();\n",
    "\terr = op() + 1;\n\treturn err;\n",
    "\terr = op();\n\treturn (unsigned __int128)err == 1;\n",
    "\terr = op();\n\treturn ((err >> 62) & 4) == 0;\n",  # a copy of the sign masked in
    "\terr = op();\n\treturn ((err >> 63) & 1) < -1;\n",  # ordered against -1: true unsigned, false signed
    "\terr = op();\n\treturn ((err >> 63) & 1) < (int)-1;\n",
    "\terr = op();\n\treturn ((err >> 63) & -1) == 1;\n",  # -1 or 1
    "\terr = op();\n\treturn ((err >> 62) & 5) != 0;\n",  # a sign copy kept, the sign brought down not
    "\terr = op();\n\treturn (err & -1) < 3;\n",  # the sign kept, ordered
    "\terr = op();\n\treturn (err & 0x8000000000000000ULL) > 1;\n",
    "\terr = op();\n\treturn ((err >> 63) & m) == 0;\n",  # m: no constant
])
def test_uses_that_read_a_sign_or_a_type_are_not(body: str) -> None:
    assert not _alike(body)


def test_what_else_differs_is_not_alike() -> None:
    body = "\terr = op();\n\treturn err;\n"
    assert _alike(body)
    assert not _alike(body, "int")  # 32 bits: not the same bits
    assert not _alike(body, "long", other=body.replace("return err;", "return err == 1;"))
    assert _alike(body, ret="int")  # truncated alike: the same low bits
    assert not _alike(body, ret="void *")  # a pointer return type is not an integer's
    beside = "\terr = op();\n\ty = op();\n\treturn err == 1 ? y >> 63 : 0;\n"  # 'y' declared beside 'err'
    assert bits_alike(_func(beside, "u64 y,"), _func(beside, "u64 y,"), frozenset({"err"}))
    assert not bits_alike(_func(beside, "u64 y,"), _func(beside, "long y,"), frozenset({"err"}))  # 'y' changed too
    static = _func(body, "static long")
    assert not bits_alike(_func(body, "u64"), static, frozenset({"err"}))
    assert not bits_alike(_func(body, "u64"), _func(body, "long"), frozenset({"err", "other"}))
    assert not bits_alike(_func(body, "u64"), _func(body, "long"), frozenset())


CALLER = "\tu64 err = sc_retry(op, fn, args);\n"
CALLER_CASES = {
    # The caller's answer declared otherwise, passed to seamcall_err(), which takes a u64: INCONCLUSIVE before.
    "long in the caller": ("", "long", PASS),
    "s64 in the caller": ("", "s64", PASS),
    # Its twin: a negative answer taken for success (gcc: nothing printed for the module's errors).
    "err <= 0 in the caller": ("\tif (err <= 0)\n\t\treturn 0;\n", "long", FAIL),
}


@pytest.mark.parametrize("name", list(CALLER_CASES))
def test_a_caller_holding_the_answer_otherwise_is_judged_as_gcc_runs_it(tmp_path: Path, name: str) -> None:
    extra, decl, want = CALLER_CASES[name]
    assert CALLER in PRINTERS
    before = PRINTERS.replace(CALLER, CALLER + extra)
    after = before.replace(CALLER, CALLER.replace("u64 err", f"{decl} err"))
    runs = [_gcc_runs(tmp_path, RETRY_SAFE + p, "sc_retry_prerr") for p in (before, after)]
    assert (runs[0] == runs[1]) is (want is not FAIL), name
    assert "SEAMCALL (1) failed: 0x8000020300000000" in runs[0]  # the oracle printed
    header = PREAMBLE + RETRY_SAFE + "\n" + after + TAIL
    base = PREAMBLE + RETRY_SAFE + "\n" + before + TAIL
    mbox = write_mbox(tmp_path / "v2.mbox", preparing_series(header, base=base))
    got = {v.rule.id: (v.status, v.note) for v in evaluate_gate(GateRequest((mbox,), "v2", jobs=1)).verdicts}
    assert {r: got[r][0] for r in (UNCHANGED, NAK)} == {UNCHANGED: want, NAK: want}, got


def _callee(param: str) -> dict[str, c_ast.FuncDef]:
    """A program's functions: ``take`` taking ``param`` (its body empty)."""
    decl = c_parser.CParser().parse(_TYPES + f"int take({param});").ext[-1]
    return {"take": c_ast.FuncDef(decl, None, c_ast.Compound([]))}


def test_an_argument_is_read_as_bits_where_the_callee_takes_64_bits_or_fewer() -> None:
    body = "\terr = op();\n\treturn take(err) + take(1);\n"
    for param in ("u64 v", "long v", "u32 v"):
        assert bits_alike(_func(body, "u64"), _func(body, "long"), frozenset({"err"}), (_callee(param),) * 2), param
    for param in ("unsigned __int128 v", "u64 *p", "void"):
        assert not bits_alike(_func(body, "u64"), _func(body, "long"), frozenset({"err"}), (_callee(param),) * 2)
    vararg = body.replace("take(1)", "0").replace("take(err)", "take(0, err)")
    # As '...': promoted to itself, the same 64 bits handed on (C11 6.5.2.2p7).
    assert bits_alike(_func(vararg, "u64"), _func(vararg, "long"), frozenset({"err"}), (_callee("int a, ..."),) * 2)
    assert not bits_alike(_func(body, "u64"), _func(body, "long"), frozenset({"err"}))  # take() not defined


@pytest.mark.parametrize(("call", "alike"), [
    ('pr_err("%llx", err)', True), ('printk("%d %llx", 1, err)', True), ('dev_err(0, "%llx", err)', True),
    ('dev_printk("\\0013", 0, "%llx", err)', True), ('pr_info_once("%lld", err)', True),
    ("pr_err(err)", False),  # the format itself
    ('dev_err(err, "x")', False),  # the device
    ('dev_printk(err, 0, "x")', False),
    ('vprintk("%llx", err)', False),  # a va_list, not '...'
    ('no_such_printer("%llx", err)', False),
])
def test_a_printer_hands_on_its_arguments_after_the_format(call: str, alike: bool) -> None:
    body = f"\terr = op();\n\t{call};\n\treturn 0;\n"
    assert _alike(body) is alike, call


@pytest.mark.parametrize(("body", "alike"), [
    ("\terr = op();\n\treturn !(err >> 63);\n", True),
    ("\terr = op();\n\tif (err >> 1)\n\t\treturn 1;\n\treturn (err >> 0) == 0 || (0 != err >> 62);\n", True),
    ("\terr = op();\n\treturn ~err == 0 && (err | 8) != 9 && !((err ^ 3) & 1);\n", True),
    ("\terr = op();\n\treturn ((err & 6) >> 1) ? 1 : 2;\n", True),
    ("\terr = op();\n\treturn (err >> 63) == 1;\n", False),  # -1 or 1
    ("\terr = op();\n\treturn !(err >> 64);\n", False),  # past the width: undefined
    ("\terr = op();\n\treturn !(err >> v);\n", False),  # a count not a constant
    ("\terr = op();\n\treturn !(1 >> err);\n", False),
    ("\terr = op();\n\tswitch (err >> 63) {\n\tcase 1:\n\t\treturn 1;\n\t}\n\treturn 0;\n", False),
    ("\terr = op();\n\treturn ~err > 0;\n", False),
    ("\terr = op();\n\treturn (err | 1) < 3;\n", False),
    ("\terr = op();\n\treturn (err ^ v) == 0;\n", False),  # v: the parameter, not declared here (no param)
])
def test_a_shift_tested_for_zero_and_the_bitwise_operators_are_read_as_bits(body: str, alike: bool) -> None:
    assert _alike(body) is alike, body


def test_a_name_of_file_scope_is_read_as_a_constant_where_both_define_it_alike() -> None:
    body = "\terr = op();\n\treturn err == SC_X || (err & ~SC_Y) == 0;\n"
    names, both = frozenset({"err"}), {"SC_X": 1, "SC_Y": 2}
    assert bits_alike(_func(body, "u64"), _func(body, "long"), names, fixed=both)
    assert not bits_alike(_func(body, "u64"), _func(body, "long"), names, fixed={"SC_X": 1})
    assert not bits_alike(_func(body, "u64"), _func(body, "long"), names)
    hidden = "\tenum { SC_X = 1 };\n" + body  # the function's own enumerator hides the file's (C11 6.2.1p4)
    assert not bits_alike(_func(hidden, "u64"), _func(hidden, "long"), names, fixed=both)
    local = "\tu64 SC_Y = op();\n" + body
    assert not bits_alike(_func(local, "u64"), _func(local, "long"), names, fixed=both)
    masked = "\terr = op();\n\treturn ((err >> 63) & SC_X) < SC_Y;\n"  # their values read: 1, 2
    assert bits_alike(_func(masked, "u64"), _func(masked, "long"), names, fixed=both)
    assert not bits_alike(_func(masked, "u64"), _func(masked, "long"), names, fixed={"SC_X": 4, "SC_Y": 2})
    assert not bits_alike(_func(masked, "u64"), _func(masked, "long"), names, fixed={"SC_X": 1, "SC_Y": -2})
    shifted = "\terr = op();\n\treturn !(err >> SC_X) || (err >> SC_Y) == 0;\n"  # a count of 0 to 63 only
    assert bits_alike(_func(shifted, "u64"), _func(shifted, "long"), names, fixed={"SC_X": 63, "SC_Y": 0})
    assert not bits_alike(_func(shifted, "u64"), _func(shifted, "long"), names, fixed={"SC_X": 64, "SC_Y": 0})


LEAF_CASES = {
    # The code retried kept in a local of 64 bits, 'err != busy': INCONCLUSIVE before.
    "long err, u64 busy": ("u64", PASS),
    # Its twin: busy of 128 bits, the answer sign-extended to it (gcc: the module's code never equal): the runs show it.
    "long err, __int128 busy": ("__int128", FAIL),
}


@pytest.mark.parametrize("name", list(LEAF_CASES))
def test_an_answer_compared_with_a_local_is_judged_as_gcc_runs_it(tmp_path: Path, name: str) -> None:
    busy, want = LEAF_CASES[name]
    assert "\tu64 busy = " in RETRY_BY_LEAF and DECL in RETRY_BY_LEAF
    before = RETRY_BY_LEAF.replace("\tu64 busy = ", f"\t{busy} busy = ")
    after = before.replace(DECL, "\tlong err;\n")
    assert (_gcc_runs(tmp_path, before) == _gcc_runs(tmp_path, after)) is (want is PASS), name
    found = gate(tmp_path, before, after)
    assert {rule: found[rule][0] for rule in (UNCHANGED, NAK)} == {UNCHANGED: want, NAK: want}, found


def test_a_local_operand_is_read_where_it_is_in_scope_and_of_64_bits_or_fewer() -> None:
    def alike(body: str, param: str = "u64") -> bool:
        return bits_alike(_func(body, "u64", param=param), _func(body, "long", param=param), frozenset({"err"}))

    assert alike("\tu64 busy = 7;\n\terr = op();\n\treturn err != busy;\n")
    assert alike("\tu32 busy = 7;\n\terr = op();\n\treturn (err & busy) == 0;\n")
    assert alike("\terr = op();\n\treturn err == v;\n")  # the parameter
    assert not alike("\terr = op();\n\treturn err == v;\n", "unsigned __int128")
    assert not alike("\tunsigned __int128 busy = 7;\n\terr = op();\n\treturn err != busy;\n")
    assert not alike("\terr = op();\n\t{\n\t\tu64 busy = 7;\n\t}\n\treturn err != busy;\n")  # a global's
    assert not alike("\terr = op();\n\treturn err != busy;\n")  # declared nowhere in the function


def test_the_constants_of_file_scope_are_those_declared_once_in_64_bits() -> None:
    code = _TYPES + ("enum { A = 1, B = -1, BIG = 18446744073709551616 };\nenum e { C = 0x8000000000000000ULL };\n"
                     "static const u64 K = 7;\nconst s64 N = -2;\nstatic const unsigned __int128 W = 1;\n"
                     "static const volatile u64 V = 1;\nstatic u64 G = 1;\nconst u64 T = 1;\nextern const u64 T;\n"
                     "int f(void)\n{\n\tenum { D = 4 };\n\treturn D;\n}\n")
    program = SimpleNamespace(ast=c_parser.CParser().parse(code), where=lambda coord: str(coord))
    found = _constants(program)  # type: ignore[arg-type]
    assert {n: v for n, v in found.items() if n in "A B BIG C K N W V G T D".split()} == {
        "A": 1, "B": -1, "C": 1 << 63, "K": 7, "N": -2}
    # Declared with a typedef of the files: converted to the type it stands for; one of 128 bits is not taken, nor a
    # value cast to a typedef models.retryconsts.file_constants does not follow.
    typed = _TYPES + ("typedef u32 n32_t;\ntypedef n32_t m32_t;\ntypedef unsigned __int128 w_t;\n"
                      "static const m32_t TN = -1;\nstatic const w_t TW = 1;\nstatic const u64 TC = (n32_t)-1;\n"
                      "enum { TE = (n32_t)-1 };\nstatic const n32_t TK = 5;\n")
    program = SimpleNamespace(ast=c_parser.CParser().parse(typed), where=lambda coord: str(coord))
    found = _constants(program)  # type: ignore[arg-type]
    assert {n: v for n, v in found.items() if n.startswith("T")} == {"TN": 0xFFFFFFFF, "TK": 5}


TYPEDEF_CASES = {
    # The answer declared with a typedef of the files standing for a 64-bit integer type (INCONCLUSIVE before h591).
    "typedef u64": ("typedef u64 sc_err_t;\n\n", "", PASS),
    "typedef long": ("typedef long sc_err_t;\n\n", "", PASS),
    "typedef of a typedef": ("typedef s64 sc_base_t;\ntypedef sc_base_t sc_err_t;\n\n", "", PASS),
    # Twins the runs show apart: a 32-bit typedef (the code truncated: never retried), one more try.
    "typedef unsigned int": ("typedef unsigned int sc_err_t;\n\n", "", FAIL),
    "typedef u64, one more try": ("typedef u64 sc_err_t;\n\n", " + 1", FAIL),
}


@pytest.mark.parametrize("name", list(TYPEDEF_CASES))
def test_an_answer_declared_with_a_typedef_of_the_files_is_judged_as_gcc_runs_it(tmp_path: Path, name: str) -> None:
    files, more, want = TYPEDEF_CASES[name]
    before = _form(TEST)
    after = files + _form(TEST, "sc_err_t").replace("RDRAND_RETRY_LOOPS;", f"RDRAND_RETRY_LOOPS{more};")
    assert (_gcc_runs(tmp_path, before) == _gcc_runs(tmp_path, after)) is (want is PASS), name
    found = gate(tmp_path, before, after)
    assert {rule: found[rule][0] for rule in (UNCHANGED, NAK)} == {UNCHANGED: want, NAK: want}, found


def test_a_typedef_is_followed_only_where_the_files_define_it() -> None:
    body = "\terr = op();\n\treturn (err >> 63) & 1;\n"
    wide, narrow = (c_parser.CParser().parse(f"typedef {t} sc_err_t;").ext[0].type for t in ("long", "int"))
    typed = c_parser.CParser().parse(_TYPES + f"typedef long sc_err_t;\nu64 f(void)\n{{\n\tsc_err_t err;\n{body}}}\n")
    ours = typed.ext[-1]
    assert bits_alike(_func(body, "u64"), ours, frozenset({"err"}), typedefs=(None, {"sc_err_t": wide}.get))
    assert not bits_alike(_func(body, "u64"), ours, frozenset({"err"}))  # not followed
    assert not bits_alike(_func(body, "u64"), ours, frozenset({"err"}), typedefs=(None, {"sc_err_t": narrow}.get))

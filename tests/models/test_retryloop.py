"""The variable a retry loop compares a call's result with, found by its role whatever its name (models.retryloop)."""

from __future__ import annotations

import pytest

from models.facts import CodeFacts, RetryRole, RoleKind
from models.loader import EntryPoint, Source
from models.source import code_facts

HEAD = """\
#define LDR_NO_ENTROPY	0x8000000000030001ULL

u64 __seamcall(u64 fn, struct tdx_module_args *args);
bool need_retry(u64 fn, u64 ret);

static inline u64 retry(u64 fn, struct tdx_module_args *args)
{
	u64 %(var)s = 5;
	int left = 3;
	u64 ret;

	if (fn >> 63)
		%(var)s = LDR_NO_ENTROPY;
"""

LOOPS = {
    "do": "\tdo {\n\t\tret = __seamcall(fn, args);\n\t} while (%(test)s && --left);\n",
    "while": "\tret = __seamcall(fn, args);\n\twhile (%(test)s && left--)\n\t\tret = __seamcall(fn, args);\n",
    "while-call": "\twhile (%(test)s && --left)\n\t\t;\n",
    "goto": "again:\n\tret = __seamcall(fn, args);\n\tif (likely(%(test)s) && --left)\n\t\tgoto again;\n",
    "for": "\tfor (;;) {\n\t\tret = __seamcall(fn, args);\n\t\tif (!(%(test)s) || !--left)\n\t\t\tbreak;\n\t}\n",
    "for-cond": "\tfor (ret = __seamcall(fn, args); %(test)s && --left; )\n\t\tret = __seamcall(fn, args);\n",
}


def _facts(shape: str, test: str, var: str = "busy") -> CodeFacts:
    code = HEAD % {"var": var} + LOOPS[shape] % {"test": test % {"var": var}} + "\treturn ret;\n}\n"
    src = (Source("d/h.h", ((1, tuple(code.splitlines())),), True),)
    return code_facts(src, (EntryPoint("retry"),))


def _role(shape: str, test: str, var: str = "busy") -> RetryRole:
    return _facts(shape, test, var).retry_roles["retry"]


@pytest.mark.parametrize("shape", sorted(LOOPS.keys() - {"while-call"}))
@pytest.mark.parametrize("var", ["busy", "again_code"])
def test_the_variable_compared_with_the_result_is_found_whatever_its_name(shape: str, var: str) -> None:
    role = _role(shape, "ret == %(var)s", var)
    assert (role.kind, role.variable) == (RoleKind.VARIABLE, var), role
    assert role.sets == ("d/h.h:8", "d/h.h:12")  # its declaration and its override: where each statement is
    assert role.where == f"d/h.h:{15 if shape == 'while' else 14}", role  # the loop's own line (or its label's)
    assert _role(shape, "%(var)s != ret", var).variable == var  # either side, either polarity


def test_a_call_compared_in_the_test_itself_is_the_result() -> None:
    assert _role("while-call", "__seamcall(fn, args) == %(var)s").variable == "busy"


@pytest.mark.parametrize(("test", "why"), [
    ("need_retry(fn, ret)", "tests 'need_retry(fn, ret)', which checks ret otherwise than by comparing it"),
    ("(ret & %(var)s)", "tests 'ret & busy', which checks ret otherwise"),
    ("ret == fn", "compares what it calls with 'fn' (a parameter: its callers choose it)"),
    ("(ret == %(var)s || ret == left)", "compares what it calls with 'busy' and 'left': not one variable"),
    ("(ret == %(var)s || ret == 7)", "compares what it calls with 'busy' and the constant 7: not one variable"),
    ("ret == (fn ? %(var)s : 3)", "'(fn) ? (busy) : (3)' (not a variable)"),
])
def test_a_test_of_another_shape_is_unknown_and_says_why(test: str, why: str) -> None:
    role = _role("do", test)
    assert role.kind is RoleKind.UNKNOWN and why in role.why, role
    assert role.why.startswith("retry()'s retry loop (d/h.h:14) "), role


@pytest.mark.parametrize("test", ["(ret & 0xFFFFFFFF00000000ULL) == %(var)s",
                                  "%(var)s == (0xFFFFFFFF00000000ULL & (u64)ret)"])
def test_the_status_bits_of_the_result_are_compared_as_the_result(test: str) -> None:
    # (err & TDX_SEAMCALL_STATUS_MASK) == code: the code is the other side, as for 'err == code'. Before: unknown,
    # "checks ret otherwise than by comparing it with a value".
    role = _role("do", test)
    assert (role.kind, role.variable) == (RoleKind.VARIABLE, "busy"), role
    constant = _role("for", "(ret & 0xFFFFFFFF00000000ULL) == LDR_NO_ENTROPY")
    assert constant.kind is RoleKind.CONSTANT and "with 0x8000000000030001ULL itself" in constant.why, constant


@pytest.mark.parametrize(("test", "kind"), [
    ("(ret >> 32) == (%(var)s >> 32)", RoleKind.VARIABLE),
    ("(u32)(ret >> 32) != (u32)(%(var)s >> 32)", RoleKind.VARIABLE),
    ("((ret & 0xFFFFFFFF00000000ULL) >> 32) == (%(var)s >> 32)", RoleKind.VARIABLE),
    ("(ret >> 32) == (LDR_NO_ENTROPY >> 32)", RoleKind.CONSTANT),
    ("(ret >> 32) == 0x80000203", RoleKind.CONSTANT),
])
def test_the_status_class_of_the_result_shifted_down_is_compared_as_the_result(test: str, kind: RoleKind) -> None:
    # The class compared by a shift, '(err >> 32) != (K >> 32)' (h461's probe, round 49): before, unknown ("checks ret
    # otherwise than by comparing it with a value"), so retry-code-chosen-in-one-place was inconclusive where it is
    # n/a (constants alone) or judges the variable compared.
    role = _role("do", test)
    assert role.kind is kind and role.variable == ("busy" if kind is RoleKind.VARIABLE else ""), role


@pytest.mark.parametrize("test", ["(ret >> left) == (%(var)s >> left)", "(ret >> 32) == (%(var)s >> left)"])
def test_a_shift_by_a_variable_is_another_shape(test: str) -> None:
    assert _role("do", test).kind is RoleKind.UNKNOWN


def test_constants_alone_choose_no_variable() -> None:
    role = _role("do", "(ret == 3 || ret == LDR_NO_ENTROPY)")
    assert role.kind is RoleKind.CONSTANT and not role.variable, role
    assert "compares what it calls with 3 and 0x8000000000030001ULL itself" in role.why, role


def test_a_loop_whose_test_reads_no_result_is_no_retry_loop() -> None:
    # A counter alone (the result checked by a continue, a shape not read): no loop is recognised, none guessed.
    code = HEAD % {"var": "busy"} + "\twhile (--left) {\n\t\tret = __seamcall(fn, args);\n\t\tif (ret == busy)\n" \
        "\t\t\tcontinue;\n\t}\n\treturn ret;\n}\n"
    facts = code_facts((Source("d/h.h", ((1, tuple(code.splitlines())),), True),),
                       (EntryPoint("retry"),))
    role = facts.retry_roles["retry"]
    assert role.kind is RoleKind.UNKNOWN and "no retry loop is recognised" in role.why, role
    assert "retry" in CodeFacts.from_dict(facts.to_dict()).retry_roles  # kept through the cache's JSON


def test_a_function_without_a_loop_has_no_role() -> None:
    code = HEAD % {"var": "busy"} + "\tret = __seamcall(fn, args);\n\treturn ret == busy;\n}\n"
    facts = code_facts((Source("d/h.h", ((1, tuple(code.splitlines())),), True),),
                       (EntryPoint("retry"),))
    assert "retry" not in facts.retry_roles


def _role_of(body: str) -> RetryRole | None:
    code = HEAD % {"var": "busy"} + body + "\treturn ret;\n}\n"
    facts = code_facts((Source("d/h.h", ((1, tuple(code.splitlines())),), True),), (EntryPoint("retry"),))
    return facts.retry_roles.get("retry")


SPLIT = "\tfor (;;) {\n\t\tret = __seamcall(fn, args);\n\t\tif (ret == busy && --left)\n\t\t\tcontinue;\n" \
    "\t\tbreak;\n\t}\n"
LOOKUP = "\tu64 want = 2;\n\tint i;\n\n\tfor (i = 0; i < 3 && __seamcall(i, args) != want; i++)\n\t\t;\n"


@pytest.mark.parametrize("body", [
    SPLIT,  # the loop's condition split across 'if (...) continue; break;'
    "\tfor (;;) {\n\t\tret = __seamcall(fn, args);\n\t\tif (ret == busy) {\n\t\t\tif (--left)\n\t\t\t\tcontinue;\n"
    "\t\t}\n\t\tbreak;\n\t}\n",  # a nested if
    "\tfor (;;) {\n\t\tret = __seamcall(fn, args);\n\t\tswitch (ret) {\n\t\tcase 5:\n\t\t\tif (--left)\n"
    "\t\t\t\tcontinue;\n\t\t}\n\t\tbreak;\n\t}\n",  # a switch
])
def test_a_loop_that_retries_under_a_test_not_read_is_unknown_and_never_left_out(body: str) -> None:
    # Alone it was unknown already; beside another loop it was left out, and that loop chose the variable.
    alone, beside = _role_of(body), _role_of(LOOKUP + body)
    assert alone is not None and alone.kind is RoleKind.UNKNOWN and "a shape not read" in alone.why, alone
    assert beside is not None and beside.kind is RoleKind.UNKNOWN and "2 retry loops that disagree" in beside.why, \
        beside  # it was VARIABLE 'want', the lookup loop's


def test_a_do_while_zero_is_no_loop() -> None:
    # do { } while (0) runs once: a break in it tested on the result chose 'busy' as a retry code.
    once = "\tdo {\n\t\tret = __seamcall(fn, args);\n\t\tif (ret != busy)\n\t\t\tbreak;\n\t\tleft--;\n\t} while (0);\n"
    assert _role_of(once) is None
    kept = _role_of(once.replace("while (0)", "while (left)"))
    assert kept is not None and (kept.kind, kept.variable) == (RoleKind.VARIABLE, "busy"), kept

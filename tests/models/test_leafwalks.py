"""models.leafwalks: a function's bit-63 marks reused only where it reads another program alike.

models.leafwalks: a function's bit-63 marks are used again in another program only where it reads that program
alike (the helpers it evaluates through, the enumerators and types it reads), and they are then what a walk gives."""

from __future__ import annotations

import pytest

from models import leafwalks
from models.loader import EntryPoint, Source
from models.source import code_facts

CALL = """\
enum ldr_bits { LDR_SHIFT = ENUM };

static u64 call(u64 fn, struct tdx_module_args *args)
{
	u64 err = 0;
	int left = 3;

	if (TEST)
		left = 5;
	return err;
}
"""
HELPER = """\
static inline bool is_ldr(u64 fn)
{
	return fn & BIT_ULL(SHIFT);
}
"""


def _facts(test: str, shift: int, enum: int = 63) -> dict[str, dict[str, str]]:
    """What bit 63 fixes in call() (its test ``test``) with a helper file testing bit ``shift`` and LDR_SHIFT
    ``enum`` (in call()'s file: call()'s text is the same)."""
    text = CALL.replace("TEST", test).replace("ENUM", str(enum))
    src = (Source("d/helper.h", ((1, tuple(HELPER.replace("SHIFT", str(shift)).splitlines())),), True),
           Source("d/call.h", ((1, tuple(text.splitlines())),), True))
    return code_facts(src, (EntryPoint("call"),)).bit63_fixed


def _walked(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the functions walked (not read from a walk kept), as they are walked."""
    names: list[str] = []
    keep = leafwalks.keep_walk

    def counted(func: object, *args: object) -> None:
        names.append(func.decl.name)  # type: ignore[attr-defined]
        keep(func, *args)  # type: ignore[arg-type]
    monkeypatch.setattr("models.leafbits.keep_walk", counted)
    return names


@pytest.mark.parametrize(("test", "other"), [("is_ldr(fn)", (62, 63)), ("(fn >> LDR_SHIFT) == 1", (63, 62))])
def test_a_walk_is_not_used_again_where_the_helper_or_enumerator_it_read_differs(
        test: str, other: tuple[int, int], monkeypatch: pytest.MonkeyPatch) -> None:
    leafwalks._WALKS.clear()
    walked = _walked(monkeypatch)
    assert _facts(test, 63)["0"]  # a test of bit 63: it comes out false for every TDX-module leaf
    assert "call" in walked
    walked.clear()
    then = _facts(test, *other)  # the same call(), its helper or enumerator on bit 62: nothing it tests is fixed
    assert "call" in walked  # walked again: not the marks of the program before
    leafwalks._WALKS.clear()
    assert then == _facts(test, *other) and then["0"] != _facts(test, 63)["0"]


def test_a_walk_is_used_again_where_the_program_reads_alike_and_gives_the_same_marks(
        monkeypatch: pytest.MonkeyPatch) -> None:
    leafwalks._WALKS.clear()
    walked = _walked(monkeypatch)
    first = _facts("is_ldr(fn)", 63)
    assert "call" in walked
    walked.clear()
    src = (Source("d/helper.h", ((1, tuple(HELPER.replace("SHIFT", "63").splitlines())),), True),
           Source("d/call.h", ((1, tuple(CALL.replace("TEST", "is_ldr(fn)").replace("ENUM", "63").splitlines())),),
                  True),
           Source("d/other.h", ((1, ("static int other(void)", "{", "\treturn 1;", "}")),), True))
    again = code_facts(src, (EntryPoint("call"),)).bit63_fixed  # another program: a file nothing calls added
    assert "call" not in walked and again == first


SAY = """\
static const char *const fmts[4] = { "a %llx\\n", "b %llx\\n", "c %llu\\n", "d %llx\\n" };

static u64 call(u64 fn, struct tdx_module_args *args)
{
	u64 err = 0;

LINES
	return err;
}
"""
PICK = "static inline int slot(u64 f)\n{\n\treturn f & 3;\n}\n\nstatic inline int top(u64 f)\n{\n\treturn f >> 63;\n}\n"
# (call()'s lines, the helper file's text in the program walked first, in the program asked next)
_CHANGED = {
    "a helper handed a format comes to print it": (
        "\tsay(fmts[fn & 3], fn);",
        'static void say(const char *fmt, u64 fn)\n{\n\tpr_err("x %llx\\n", fn);\n}\n',
        "static void say(const char *fmt, u64 fn)\n{\n\tpr_err(fmt, fn);\n}\n"),
    "a helper absent comes to be": (
        "\terr = helper(fn);",
        "static int other(void)\n{\n\treturn 1;\n}\n",
        "static inline int helper(u64 f)\n{\n\treturn f & 3;\n}\n"),
    "a function called reads no helper, yet comes to store another to the pointer called through": (
        "\tsetup();\n\terr = slot_fn(fn);",
        PICK + "\nstatic int (*slot_fn)(u64) = top;\n\nstatic void setup(void)\n{\n}\n",
        PICK + "\nstatic int (*slot_fn)(u64) = top;\n\nstatic void setup(void)\n{\n\tslot_fn = slot;\n}\n"),
}


def _other_bits(lines: str, helper: str) -> dict[str, str]:
    """The OTHER_BITS marks of a program of call() (its lines ``lines``, its file's text the same in each program)
    and a helper file."""
    from models.facts import OTHER_BITS

    src = (Source("d/helper.h", ((1, tuple(helper.splitlines())),), True),
           Source("d/call.h", ((1, tuple(SAY.replace("LINES", lines).splitlines())),), True))
    fixed = code_facts(src, (EntryPoint("call"),)).bit63_fixed
    return {k: v for side in fixed.values() for k, v in side.items() if v == OTHER_BITS}


@pytest.mark.parametrize("case", sorted(_CHANGED))
def test_a_walk_is_not_used_again_where_a_function_it_looked_at_or_a_pointer_it_called_through_differs(
        case: str) -> None:
    # Each walk of call() in the first program reads nothing its marks take from the helper: the walk kept must
    # still not answer for the second, whose helper file makes call()'s store or print one of other bits.
    lines, first, then = _CHANGED[case]
    leafwalks._WALKS.clear()
    assert not _other_bits(lines, first)
    after = _other_bits(lines, then)
    leafwalks._WALKS.clear()
    fresh = _other_bits(lines, then)
    assert fresh and after == fresh

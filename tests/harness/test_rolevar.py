"""The rule's variable found by its role in the retry loop when no text of the input names it (harness.rolevar)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from harness.gate import GateRequest, evaluate_gate
from harness.localrename import LocalRename
from harness.rolevar import Chosen, Unjudged, choose
from harness.verdict import Verdict, VerdictStatus
from models.facts import CodeFacts, RetryRole, RoleKind
from tests.harness.seriesgen import NEW_HOME, PREPARE, RETRY_SAFE, Step, helpers, retry_loop, revision
from tests.mailgen import write_mbox

RULE = "retry-code-chosen-in-one-place"


def _gate(tmp_path: Path, retry: str) -> Verdict:
    """The rule on v4 alone (no text in the input names retry_code): a helper header, then the 'Prepare'
    patch giving sc_retry() the loop ``retry``."""
    base = helpers(RETRY_SAFE)
    msgs = revision(4, [Step("x86/virt/tdx: Add an internal SEAMCALL helper header", ((NEW_HOME, None, base),)),
                        Step(PREPARE, ((NEW_HOME, base, helpers(retry)),))])
    g = evaluate_gate(GateRequest((write_mbox(tmp_path / "s.mbox", msgs),), "v4", jobs=1))
    return next(v for v in g.verdicts if v.rule.id == RULE)


def _line(retry: str, text: str) -> int:
    """The line of the header where ``text`` starts a line (after its leading white space)."""
    return 1 + next(n for n, ln in enumerate(helpers(retry).splitlines()) if ln.strip().startswith(text))


@pytest.mark.parametrize("shape", ["do", "while", "goto", "for"])
def test_a_retry_code_of_any_name_in_any_loop_is_judged(tmp_path: Path, shape: str) -> None:
    # It was n/a ("sc_retry() does not set retry_code"): a real check hidden by a name.
    spread = retry_loop(shape, "again_code", adjacent=False)
    found = _gate(tmp_path, spread)
    assert found.status is VerdictStatus.FAIL, (found.status, found.note)
    first, second = _line(spread, "u64 again_code ="), _line(spread, "if (fn & SEAMLDR_LEAF_BIT)")  # the statements
    assert [(e.expected, e.actual) for e in found.evidence] == [(
        "again_code set by adjacent statements of sc_retry()",
        f"set by statements 2 ({NEW_HOME}:{first}), 4 ({NEW_HOME}:{second}) with 1 other statement between")]
    loop = {"do": "do {", "while": "while (", "goto": "again:", "for": "for (;;)"}[shape]
    assert found.note.startswith("sc_retry() does not name retry_code; again_code holds the code sc_retry() retries "
                                 f"on: its retry loop ({NEW_HOME}:{_line(spread, loop)}) tests '"), found.note
    together = _gate(tmp_path, retry_loop(shape, "again_code", adjacent=True))
    assert (together.status, together.evidence) == (VerdictStatus.PASS, ()), together


def test_a_loop_the_role_cannot_be_found_in_is_inconclusive(tmp_path: Path) -> None:
    # The result handed to a helper: which variable holds the code is not seen. It was n/a.
    helper = "static inline bool sc_again(u64 err, u64 code)\n{\n\treturn err == code;\n}\n\n"
    retry = retry_loop("do", "busy", adjacent=False, test="x").replace("err == x", "sc_again(err, busy)") \
        .replace("static __always_inline u64 sc_retry", helper + "static __always_inline u64 sc_retry")
    found = _gate(tmp_path, retry)
    assert found.status is VerdictStatus.INCONCLUSIVE, (found.status, found.note)
    loop = f"{NEW_HOME}:{_line(retry, 'do {')}"
    assert found.note == "sc_retry() does not set retry_code, and no variable of it is seen in its place: " \
                         f"sc_retry()'s retry loop ({loop}) tests 'sc_again(err, busy)', which checks err otherwise " \
                         "than by comparing it with a value: no variable is seen to hold the code it retries on"


def test_a_loop_comparing_with_a_constant_chooses_nothing(tmp_path: Path) -> None:
    found = _gate(tmp_path, retry_loop("do", "busy", adjacent=True, test="SEAMLDR_RND_NO_ENTROPY"))
    assert found.status is VerdictStatus.NOT_APPLICABLE, (found.status, found.note)
    assert "compares what it calls with 0x8000000000030001ULL itself: no variable holds the code" in found.note


# -- choose(): the role beside what other texts of the function show ------------------------------------------

def _facts(role: RetryRole | None, sets: dict[str, list[int]]) -> CodeFacts:
    return CodeFacts(("f",), {"f": Counter()}, {"f": frozenset()}, {"f": sets}, {"f": "a.h:1"},
                     retry_roles={"f": role} if role else {})


BUSY = RetryRole(RoleKind.VARIABLE, "busy", "ret == busy", "a.h:5", sets=("a.h:2", "a.h:4"))
RENAMED = LocalRename("code", "busy", "f", "v3's f() (a.h:1)")


def test_the_named_variable_needs_no_role() -> None:
    assert choose("code", "f", _facts(BUSY, {"code": [0]}), None) is None


def test_a_rename_and_the_role_agree_or_the_rule_says_both() -> None:
    facts = _facts(BUSY, {"busy": [0, 2]})
    assert choose("code", "f", facts, RENAMED) == Chosen("busy", RENAMED.note(), ("a.h:2", "a.h:4"))
    other = choose("code", "f", facts, LocalRename("code", "other", "f", "v3's f() (a.h:1)"))
    assert isinstance(other, Unjudged) and other.applies and "which one is code is not told" in other.why
    # A loop of a shape not read: the rename alone names it, as before.
    unknown = RetryRole(RoleKind.UNKNOWN, why="not read")
    assert choose("code", "f", _facts(unknown, {"busy": [0]}), RENAMED) == Chosen("busy", RENAMED.note())
    # The rename's reasons, when other texts name the variable, stand where the role finds none.
    assert choose("code", "f", _facts(unknown, {}), "why not") == Unjudged(True, "why not")


def test_a_role_variable_never_set_or_no_loop_is_inconclusive() -> None:
    never = choose("code", "f", _facts(BUSY, {}), None)
    assert isinstance(never, Unjudged) and never.applies and "which f() never sets" in never.why
    none = choose("code", "f", _facts(None, {}), None)
    assert none == Unjudged(True, "f() does not set code, and no variable of it is seen in its place: f() has no "
                                  "loop: no retry loop holds a code to retry on")


def _wrapped(retry: str) -> str:
    """sc_retry()'s loop moved into a new __sc_retry(), sc_retry() left handing its call on to it."""
    return retry.replace("static __always_inline u64 sc_retry(", "static __always_inline u64 __sc_retry(") + \
        "\nstatic __always_inline u64 sc_retry(sc_func_t op, u64 fn, struct tdx_module_args *args)\n{\n" \
        "\treturn __sc_retry(op, fn, args);\n}\n"


@pytest.mark.parametrize(("adjacent", "want"), [(False, VerdictStatus.FAIL), (True, VerdictStatus.PASS)])
def test_a_wrapper_handing_its_work_on_is_judged_by_the_loop_it_calls(tmp_path: Path, adjacent: bool,
                                                                      want: VerdictStatus) -> None:
    # Before: INCONCLUSIVE for each, 'sc_retry() does not set retry_code, and no variable of it is seen in its place:
    # sc_retry() has no loop', though the code it retries on is chosen in the loop it calls.
    found = _gate(tmp_path, _wrapped(retry_loop("for", "busy", adjacent=adjacent)))
    assert found.status is want, (found.status, found.note)
    assert found.note.startswith("sc_retry() sets nothing and only calls __sc_retry(), which holds its retry loop: "
                                 "judged there; __sc_retry() does not name retry_code; busy holds the code"), found.note


def test_a_wrapper_choosing_the_code_itself_is_not_looked_through(tmp_path: Path) -> None:
    # The wrapper sets a variable of its own (the code, handed on): what it chooses is its own, not the loop's.
    retry = _wrapped(retry_loop("for", "busy", adjacent=True)).replace(
        "\treturn __sc_retry(op, fn, args);\n", "\tu64 code = TDX_RND_NO_ENTROPY;\n\n\tif (fn & SEAMLDR_LEAF_BIT)\n"
        "\t\tcode = SEAMLDR_RND_NO_ENTROPY;\n\treturn __sc_retry(op, fn, args) | (code & 0);\n")
    found = _gate(tmp_path, retry)
    assert not found.note.startswith("sc_retry() sets nothing"), found.note


def test_a_status_class_compared_by_a_shift_is_judged(tmp_path: Path) -> None:
    # '(err >> 32) != (K >> 32)' (h461's probe): inconclusive before, "checks err otherwise than by comparing it
    # with a value". Constants alone choose nothing; a variable compared so is judged as 'err != busy' is.
    shifted = retry_loop("for", "busy", adjacent=False).replace("err != busy", "(err >> 32) != (busy >> 32)")
    for sub in ("k", "apart", "together"):
        (tmp_path / sub).mkdir()
    constant = _gate(tmp_path / "k", shifted.replace("(busy >> 32)", "(TDX_RND_NO_ENTROPY >> 32)"))
    assert constant.status is VerdictStatus.NOT_APPLICABLE, (constant.status, constant.note)
    assert _gate(tmp_path / "apart", shifted).status is VerdictStatus.FAIL
    together = retry_loop("for", "busy", adjacent=True).replace("err != busy", "(err >> 32) != (busy >> 32)")
    assert _gate(tmp_path / "together", together).status is VerdictStatus.PASS
